"""The raw rows checked against their declared schema and the registers, column by column.

Every check is vectorised (a column at a time, whatever the number of rows); every problem names
the file, line, column and text of its cell.
"""

from __future__ import annotations

import calendar
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from campaign.core.registers import Registers
from campaign.dataset.rawfiles import RawProblem


def _is_iso_date(dates: pd.Series) -> pd.Series:
    """True where the text is a real calendar date written YYYY-MM-DD (2022-06-31 is not)."""
    well_formed = dates.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False).astype(bool)  # ASCII digits only
    return well_formed & pd.to_datetime(dates, format="%Y-%m-%d", errors="coerce").notna()


def raw_schema(registers: Registers) -> pa.DataFrameSchema:
    """The declared shape of a raw row; register look-ups make unknown ids fail here."""
    text = {"nullable": False, "coerce": False}
    return pa.DataFrameSchema(
        {
            "region": pa.Column(str, pa.Check.isin(sorted(registers.region_by_name)), **text),
            "period_end": pa.Column(str, pa.Check(_is_iso_date, name="iso_date"), **text),
            "indicator": pa.Column(str, pa.Check.isin(sorted(registers.indicators)), **text),
            "printed": pa.Column(str, **text),
            "source_id": pa.Column(str, pa.Check.isin(sorted(registers.sources)), **text),
            "locator": pa.Column(str, pa.Check.str_length(min_value=1), **text),
            "note": pa.Column(str, **text),
            "file": pa.Column(str),
            "line": pa.Column(int),
        },
        strict=True,
    )


_CHECK_REASONS = {
    "region": "unknown region (see data/regions.csv)",
    "period_end": "not a date as YYYY-MM-DD",
    "indicator": "unknown indicator (see data/indicators.yml)",
    "source_id": "unknown source (see data/sources.csv)",
    "locator": "empty locator",
}


def problem_at(raw: pd.DataFrame, label, column: str, reason: str) -> RawProblem:
    row = raw.loc[label]
    return RawProblem(Path(row["file"]), int(row["line"]), column, row[column], reason)


def _published_by(date: str) -> str:
    """The last day a source dated ``date`` can report on: the date, or the end of its month
    for a source dated only by its month (2023-02 -> 2023-02-28)."""
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:])
        return f"{date}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def _targets(registers: Registers) -> list[str]:
    return [i.id for i in registers.indicators.values() if i.relation and i.relation.kind == "target_of"]


def ahead_of_source(raw: pd.DataFrame, registers: Registers) -> pd.Series:
    """True for rows whose period ends after the date of their source."""
    published = raw["source_id"].map({s.id: _published_by(s.date) for s in registers.sources.values()})
    return published.notna() & _is_iso_date(raw["period_end"]) & (raw["period_end"] > published)


def validate_raw(raw: pd.DataFrame, registers: Registers) -> list[RawProblem]:
    """Schema, register, duplicate and publication-date checks; every problem (empty when clean)."""
    problems: list[RawProblem] = []
    try:
        raw_schema(registers).validate(raw, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples(index=False):
            if pd.isna(case.index):
                raise
            reason = _CHECK_REASONS.get(case.column, str(case.check))
            problems.append(problem_at(raw, case.index, case.column, reason))

    units = raw["indicator"].map({i.id: i.unit for i in registers.indicators.values()})
    qualitative_with_figure = (units == "none") & (raw["printed"] != "")
    figure_missing = (units != "none") & units.notna() & (raw["printed"] == "")
    for label in raw.index[qualitative_with_figure]:
        reason = "a qualitative indicator takes no figure; put the fact in 'note'"
        problems.append(problem_at(raw, label, "printed", reason))
    for label in raw.index[figure_missing]:
        problems.append(problem_at(raw, label, "printed", "figure missing"))

    # A figure for a period that had not ended when its source was published (2099-12-31 in a
    # 2022 article) would become the region's latest period, and so the default run. Targets are
    # set ahead of their period (Shanxi's 2023 aim, published in January 2023): they may be later,
    # and name no run (campaign.dataset.runindex).
    future = ahead_of_source(raw, registers) & ~raw["indicator"].isin(_targets(registers))
    for label in raw.index[future]:
        source = registers.sources[raw.at[label, "source_id"]]
        reason = (
            f"after the date of its source {source.id} ({source.date}): a source reports only periods that have ended"
        )
        problems.append(problem_at(raw, label, "period_end", reason))

    # One figure per region (however spelt), period and indicator, across every raw file.
    slugs = raw["region"].map({name: region.slug for name, region in registers.region_by_name.items()})
    keys = [slugs.fillna(raw["region"]), raw["period_end"], raw["indicator"]]
    first = pd.Series(raw.index, index=raw.index).groupby(keys, sort=False).transform("first")
    for label in raw.index[first != raw.index]:
        earlier = raw.loc[first[label]]
        reason = (
            f"the same region, period and indicator as {earlier['file']}, line {earlier['line']} "
            "(one figure each: delete one of them)"
        )
        problems.append(problem_at(raw, label, "indicator", reason))
    return sorted(problems, key=lambda p: (str(p.path), p.line))
