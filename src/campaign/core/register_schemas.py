"""The declared schema of each register, and the checks across them (docs/data.md, "Registers").

- ``data/regions.csv`` and ``data/sources.csv``: pandera schemas (required columns and no others,
  types, unique keys, allowed values);
- ``data/indicators.yml`` and ``data/campaign.yml``: pydantic models (required fields and no
  others, strict types: a number is not a name, a list is not a string).

Then the registers are checked against each other (an indicator's task and relation, a region's
parent, every spelling of a region naming one region, the campaign's tasks, regions and sources).
Every problem of every register is collected before anything is used, each with its file, line
and field (``RegisterError``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
import pandera.pandas as pa
from pydantic import Field, StrictBool, StrictInt, StrictStr, ValidationError

from campaign.core.campaign_model import CampaignDocument, NamesModel, Text, _Strict
from campaign.core.register_files import (
    CsvRegister,
    RegisterError,
    RegisterProblem,
    YamlRegister,
    field_name,
    is_date,
    read_csv_register,
    read_register_bytes,
    read_yaml_register,
    shown_path,
)
from campaign.core.registers import LEVELS, MEASURES, RANK_SCOPES, RELATION_KINDS, ROLES, SLUG
from campaign.core.vocabulary import BASE_UNITS

SOURCE_ID = r"[a-z0-9][a-z0-9._-]*"  # source ids name raw files (docs/data.md)

# CSV registers (pandera) ----------------------------------------------------------------------

_REASONS = {
    "required": "empty: a value is needed",
    "slug": "not a slug: lower-case a-z, 0-9 and '-', starting with a letter",
    "source_id": "not a source id: lower-case a-z, 0-9, '.', '_' and '-'",
    "level": f"unknown level (known: {', '.join(LEVELS)})",
    "role": f"unknown role (known: {', '.join(ROLES)})",
    "date": "not a date as YYYY-MM-DD (or YYYY-MM when the source gives only the month)",
}


def _named(name: str, test) -> pa.Check:
    return pa.Check(test, name=name)


_REQUIRED = _named("required", lambda s: s.str.len() > 0)


def _text(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, [_REQUIRED, *checks], unique=unique, report_duplicates="exclude_first")


REGIONS_SCHEMA = pa.DataFrameSchema(
    {
        "slug": _text(_named("slug", lambda s: s.str.fullmatch(SLUG) | (s == "")), unique=True),
        "name_zh": _text(unique=True),
        "name_en": _text(unique=True),
        "level": _text(_named("level", lambda s: s.isin(LEVELS) | (s == ""))),
        "parent": pa.Column(str),  # empty for the country
        "role": _text(_named("role", lambda s: s.isin(ROLES) | (s == ""))),
    },
    strict=True,
    name="regions",
)
SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "id": _text(_named("source_id", lambda s: s.str.fullmatch(SOURCE_ID) | (s == "")), unique=True),
        "publisher": _text(),
        "publisher_zh": _text(),
        "title": _text(),
        "title_zh": _text(),
        "date": _text(_named("date", lambda s: s.map(lambda text: not text or is_date(text, month_only=True)))),
        "address": _text(),
    },
    strict=True,
    name="sources",
)


def validate_csv(register: CsvRegister, schema: pa.DataFrameSchema) -> list[RegisterProblem]:
    """Every problem pandera finds in the register, each with its line and field."""
    columns = list(schema.columns)
    frame = pd.DataFrame(register.rows, columns=register.header, dtype="str")
    if frame.columns.duplicated().any():
        twice = sorted(set(frame.columns[frame.columns.duplicated()]))
        return [RegisterProblem(register.path, 1, name, None, "the column appears twice") for name in twice]
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        if case.check == "column_in_dataframe":
            reason = f"missing column (the columns are {', '.join(columns)})"
            problems.append(RegisterProblem(register.path, 1, case.failure_case, None, reason))
        elif case.check == "column_in_schema":
            reason = f"unknown column (the columns are {', '.join(columns)})"
            problems.append(RegisterProblem(register.path, 1, case.failure_case, None, reason))
        elif pd.isna(case.index):
            problems.append(RegisterProblem(register.path, 1, case.column or "", None, str(case.check)))
        else:
            row = int(case.index)
            if case.check == "field_uniqueness":
                first = next(i for i, value in enumerate(frame[case.column]) if value == case.failure_case)
                reason = f"also on line {register.lines[first]}: each {case.column} names one {schema.name[:-1]}"
            else:
                reason = _REASONS.get(str(case.check), str(case.check))
            problems.append(RegisterProblem(register.path, register.lines[row], case.column, case.failure_case, reason))
    return problems


# YAML registers (pydantic) --------------------------------------------------------------------


class TaskModel(_Strict):
    number: StrictInt
    name_zh: Text
    name_en: Text


class RelationModel(_Strict):
    kind: Literal[RELATION_KINDS]
    of: Text
    target: StrictStr | None = None
    channel: StrictBool = False
    among: Literal[RANK_SCOPES] | None = None


class IndicatorModel(_Strict):
    id: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    task: Text
    name_zh: Text
    name_en: Text
    unit: Text
    relation: RelationModel | None = None
    comparable: StrictBool = True
    description_zh: StrictStr = ""
    description_en: StrictStr = ""
    measure: Literal[("", *MEASURES)] = ""
    measure_in: dict[StrictStr, Literal[MEASURES]] = {}
    population_in: dict[StrictStr, NamesModel] = {}
    nonnegative: StrictBool = False
    aliases: list[Text] = []


class IndicatorsDocument(_Strict):
    tasks: dict[StrictStr, TaskModel]
    indicators: list[IndicatorModel]
    synonyms: dict[Text, Text] = {}


def validate_yaml(register: YamlRegister, model: type[_Strict]) -> tuple[_Strict | None, list[RegisterProblem]]:
    """The document as ``model``, or every problem pydantic finds, each with its line and field."""
    try:
        return model.model_validate(register.document), []
    except ValidationError as errors:
        problems = []
        for error in errors.errors(include_url=False):
            location = tuple(error["loc"])
            if error["type"] == "extra_forbidden":
                reason = "unknown field (a misspelt name?)"
            elif error["type"] == "missing":
                reason = "missing: a value is needed"
            else:
                reason = error["msg"]
            text = error.get("input") if error["type"] not in ("missing", "model_type", "dict_type") else None
            text = text if isinstance(text, str | int | float | bool) else None
            problems.append(
                RegisterProblem(register.path, register.line_of(location), field_name(location), text, reason)
            )
        return None, problems


# The registers together -----------------------------------------------------------------------


@dataclass(frozen=True)
class ValidRegisters:
    """All four registers, each valid against its schema and against the others."""

    indicators: IndicatorsDocument
    campaign: CampaignDocument
    regions: list[dict[str, str]]
    sources: list[dict[str, str]]


REGISTER_FILES = ("indicators.yml", "campaign.yml", "regions.csv", "sources.csv")
_VALID: dict[tuple, ValidRegisters] = {}  # by the registers' bytes: the same bytes validate the same


def _contents_key(data_dir: Path) -> tuple | None:
    try:
        return tuple(hashlib.sha256(read_register_bytes(data_dir / n)).digest() for n in REGISTER_FILES)
    except OSError:  # validated anyway, which names the problem (NotARegularFile is an OSError)
        return None


def validate_registers(data_dir: Path, root: Path | None = None) -> ValidRegisters:
    """Read and validate every register of ``data_dir``; RegisterError lists every problem.
    Registers with the same bytes as ones already validated in this process are not validated again."""
    key = _contents_key(data_dir)
    if key in _VALID:
        return _VALID[key]
    valid = _validate(data_dir, root)
    if key is not None:
        _VALID[key] = valid
    return valid


def _validate(data_dir: Path, root: Path | None) -> ValidRegisters:
    problems: list[RegisterProblem] = []

    def read(name, reader):
        try:
            return reader(data_dir / name, shown_path(data_dir / name, root))
        except RegisterError as error:
            problems.extend(error.problems)
            return None

    indicators_file = read("indicators.yml", read_yaml_register)
    campaign_file = read("campaign.yml", read_yaml_register)
    regions_file = read("regions.csv", read_csv_register)
    sources_file = read("sources.csv", read_csv_register)
    indicators = campaign = None
    if indicators_file:
        indicators, found = validate_yaml(indicators_file, IndicatorsDocument)
        problems += found
    if campaign_file:
        campaign, found = validate_yaml(campaign_file, CampaignDocument)
        problems += found
    for register, schema in ((regions_file, REGIONS_SCHEMA), (sources_file, SOURCES_SCHEMA)):
        if register:
            problems += validate_csv(register, schema)
    if problems:  # the checks across registers need each of them valid
        raise RegisterError(problems)
    regions = [dict(zip(regions_file.header, row, strict=True)) for row in regions_file.rows]
    sources = [dict(zip(sources_file.header, row, strict=True)) for row in sources_file.rows]
    from campaign.core.register_checks import cross_check

    problems = cross_check(indicators, indicators_file, campaign, campaign_file, regions, regions_file, sources)
    if problems:
        raise RegisterError(problems)
    return ValidRegisters(indicators, campaign, regions, sources)


__all__ = ["BASE_UNITS", "RegisterError", "ValidRegisters", "validate_registers"]
