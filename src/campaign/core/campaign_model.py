"""The strict base of the YAML registers' models, and the model of data/campaign.yml (pydantic): the campaign, its dates, the tasks regions added, and
what the summary looks for in each task's report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from campaign.core.register_files import is_date


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Text = Annotated[StrictStr, Field(min_length=1)]


def _iso_date(value):
    """A date as YAML reads 2022-06-30, or the same text quoted; nothing else (no timestamps)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and is_date(value):
        return dt.date.fromisoformat(value)
    raise ValueError("not a date as YYYY-MM-DD")


class StartModel(_Strict):
    year: StrictInt
    month: Annotated[StrictInt, Field(ge=1, le=12)]
    third: Literal["early", "mid", "late"]


class AdditionModel(_Strict):
    region: Text
    tasks: list[Text]
    name_zh: Text
    name_en: Text
    source_id: StrictStr = ""


class NamesModel(_Strict):
    """A phrase in each language (a task's short name, whom a figure counts)."""

    en: Text
    zh: Text


class TermModel(_Strict):
    zh: Text
    en: Text
    meaning_zh: Text
    meaning_en: Text
    indicators: list[Text]


class ReportingModel(_Strict):
    practices: list[Text] = []
    expected: list[Text] = []


class CampaignDocument(_Strict):
    name_zh: Text
    name_en: Text
    run_by: Text
    start: StartModel
    end: Annotated[dt.date, BeforeValidator(_iso_date)]
    tasks: list[Text]
    source_id: StrictStr = ""
    additions: list[AdditionModel] = []
    reporting: dict[StrictStr, ReportingModel] = {}
    glossary: list[TermModel] = []
    short_names: dict[StrictStr, NamesModel] = {}
