"""Raw figures as printed -> tidy observations in base units, checked at the boundary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from campaign.core.quantities import QuantityColumnParseError, parse_quantities
from campaign.core.registers import Registers
from campaign.dataset.processed import read_observations  # noqa: F401 (the reader of what this step writes)
from campaign.dataset.rawfiles import RAW_COLUMNS, CleanError, RawProblem, raw_files, read_rows

OBSERVATION_COLUMNS = [
    "region",
    "period_end",
    "task",
    "indicator",
    "value",
    "unit",
    "lower",
    "upper",
    "printed",
    "approximate",
    "source_id",
    "locator",
    "note",
]


def read_raw_file(path: Path, root: str | Path | None = None) -> pd.DataFrame:
    """One raw CSV as text, with its file (relative to ``root``) and line number on every row.

    The rows are read by ``campaign.dataset.rawfiles``: UTF-8 with or without BOM and GB18030 are read
    the same; a bad encoding, a row with the wrong number of fields, an unterminated quote or a
    control character is reported with its file, line and text.
    """
    raw = read_rows(path, root)
    frame = pd.DataFrame(raw.rows, columns=RAW_COLUMNS, dtype="str")
    frame["file"] = str(raw.path)
    frame["line"] = pd.Series(raw.lines, dtype="int64")
    return frame


def read_raw(raw_dir: Path, root: str | Path | None = None) -> pd.DataFrame:
    """Every raw file of ``raw_dir`` (by the rule of ``campaign.dataset.rawfiles.raw_files``, which
    make shares), in name order. Nothing here writes to ``raw_dir``.

    Problems in several files are reported together."""
    paths = raw_files(raw_dir, root)
    frames, problems = [], []
    for path in paths:
        try:
            frames.append(read_raw_file(path, root))
        except CleanError as error:
            problems += error.problems
    if problems:
        raise CleanError(problems)
    return pd.concat(frames, ignore_index=True)


def _is_iso_date(dates: pd.Series) -> pd.Series:
    """True where the text is a real calendar date written YYYY-MM-DD (2022-06-31 is not)."""
    well_formed = dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
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


def _problem(raw: pd.DataFrame, label, column: str, reason: str) -> RawProblem:
    row = raw.loc[label]
    return RawProblem(Path(row["file"]), int(row["line"]), column, row[column], reason)


def validate_raw(raw: pd.DataFrame, registers: Registers) -> list[RawProblem]:
    """Schema, duplicate and register checks; returns every problem (empty list when clean)."""
    problems: list[RawProblem] = []
    try:
        raw_schema(registers).validate(raw, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples(index=False):
            if pd.isna(case.index):
                raise
            problems.append(_problem(raw, case.index, case.column, _CHECK_REASONS.get(case.column, str(case.check))))

    units = raw["indicator"].map(lambda i: registers.indicators[i].unit if i in registers.indicators else None)
    qualitative_with_figure = (units == "none") & (raw["printed"] != "")
    figure_missing = (units != "none") & units.notna() & (raw["printed"] == "")
    for label in raw.index[qualitative_with_figure]:
        problems.append(
            _problem(raw, label, "printed", "a qualitative indicator takes no figure; put the fact in 'note'")
        )
    for label in raw.index[figure_missing]:
        problems.append(_problem(raw, label, "printed", "figure missing"))

    duplicated = raw.duplicated(["region", "period_end", "indicator"], keep="first")
    for label in raw.index[duplicated]:
        problems.append(_problem(raw, label, "indicator", "the same region, period and indicator appear earlier"))
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def tidy_observations(raw: pd.DataFrame, registers: Registers) -> pd.DataFrame:
    """Validated raw rows -> one observation per figure in base units; raises CleanError."""
    problems = validate_raw(raw, registers)
    if problems:
        raise CleanError(problems)

    counted = raw["printed"] != ""
    quantities = pd.DataFrame(index=raw.index, columns=["value", "unit", "lower", "upper", "approximate"])
    try:
        parsed = parse_quantities(raw.loc[counted, "printed"], column="printed")
    except QuantityColumnParseError as error:
        raise CleanError([_problem(raw, label, "printed", reason) for label, _, reason in error.failures]) from error
    quantities.loc[counted] = parsed

    expected_unit = raw["indicator"].map(lambda i: registers.indicators[i].unit)
    wrong_unit = counted & (quantities["unit"] != expected_unit)
    if wrong_unit.any():
        raise CleanError(
            [
                _problem(
                    raw,
                    label,
                    "printed",
                    f"the counter gives {quantities.at[label, 'unit']}, "
                    f"but {raw.at[label, 'indicator']} is measured in {expected_unit[label]}",
                )
                for label in raw.index[wrong_unit]
            ]
        )

    nonnegative = raw["indicator"].map(lambda i: registers.indicators[i].nonnegative).astype(bool)
    value = pd.to_numeric(quantities["value"])
    negative = counted & nonnegative & (np.signbit(value.to_numpy(dtype=float, na_value=0.0)))
    if negative.any():
        raise CleanError(
            [
                _problem(
                    raw,
                    label,
                    "printed",
                    f"{raw.at[label, 'indicator']} cannot be negative (nonnegative in data/indicators.yml)",
                )
                for label in raw.index[negative]
            ]
        )

    observations = pd.DataFrame(
        {
            "region": raw["region"].map(lambda name: registers.region(name).slug),
            "period_end": raw["period_end"],
            "task": raw["indicator"].map(lambda i: registers.indicators[i].task),
            "indicator": raw["indicator"],
            "value": value,
            "unit": expected_unit,
            "lower": pd.to_numeric(quantities["lower"]),
            "upper": pd.to_numeric(quantities["upper"]),
            "printed": raw["printed"],
            "approximate": quantities["approximate"].fillna(False).astype(bool),
            "source_id": raw["source_id"],
            "locator": raw["locator"],
            "note": raw["note"],
        }
    )
    return observations.sort_values(["region", "period_end", "task", "indicator"], kind="stable").reset_index(
        drop=True
    )[OBSERVATION_COLUMNS]


@dataclass(frozen=True)
class CleanOutputs:
    observations: pd.DataFrame
    derived: pd.DataFrame
    quality: pd.DataFrame


def clean(data_dir: str | Path, loan_ceiling: float | None = None) -> CleanOutputs:
    """Read, validate and tidy the raw data; derive figures and run the consistency rules."""
    from campaign.core.settings import LOAN_CEILING
    from campaign.dataset.checks import QUALITY_COLUMNS, run_checks, underivable_findings
    from campaign.dataset.derived import derive_metrics

    data_dir = Path(data_dir)
    registers = Registers.load(data_dir)
    raw = read_raw(data_dir / "raw", root=data_dir.parent)
    observations = tidy_observations(raw, registers)
    boundary = pd.DataFrame(
        [
            [
                "raw_schema",
                "",
                "",
                path,
                "pass",
                f"{count} rows conform to the schema; every counter matches its indicator's unit",
                f"{count} 行符合数据结构；计量单位均与指标登记一致",
            ]
            for path, count in raw.groupby("file").size().items()
        ],
        columns=QUALITY_COLUMNS,
    )
    underivable: list = []
    derived = derive_metrics(observations, registers, underivable)
    quality = pd.concat(
        [
            boundary,
            run_checks(observations, registers, loan_ceiling or LOAN_CEILING),
            underivable_findings(observations, underivable),
        ],
        ignore_index=True,
    )
    return CleanOutputs(observations, derived, quality)


def write_outputs(outputs: CleanOutputs, processed_dir: str | Path) -> list[Path]:
    """Write the three processed files, each atomically; returns their paths."""
    from campaign.core.files import remove_stale_temporaries, write_csv_atomically

    processed_dir = Path(processed_dir)
    for name in ("observations", "derived", "quality"):  # what a killed run left behind
        remove_stale_temporaries(processed_dir, f"{name}.csv")
    paths = []
    for name, frame in (
        ("observations", outputs.observations),
        ("derived", outputs.derived),
        ("quality", outputs.quality),
    ):
        path = processed_dir / f"{name}.csv"
        write_csv_atomically(frame, path)
        paths.append(path)
    return paths


def describe_clean(outputs: CleanOutputs) -> str:
    """A short Markdown account of what the clean step produced, written from the data."""
    observations, quality = outputs.observations, outputs.quality
    counted = observations["value"].notna()
    per_region = observations.groupby("region").size()
    statuses = quality["status"].value_counts()
    lines = [
        f"The raw files hold **{len(observations)}** figures: **{int(counted.sum())}** counted and "
        f"**{int((~counted).sum())}** qualitative, for {len(per_region)} places "
        f"({', '.join(f'{region}: {count}' for region, count in per_region.items())}).",
        f"**{len(outputs.derived)}** derived figures were computed, each with the interval its inputs' "
        "printed precision allows.",
        "The quality checks gave " + ", ".join(f"**{statuses.get(s, 0)}** {s}" for s in ("pass", "warn", "fail")) + ".",
    ]
    problems = quality[quality["status"] != "pass"]
    for row in problems.itertuples(index=False):
        lines.append(f"- {row.status}: `{row.rule}` for {row.region} {row.period_end}, {row.subject}: {row.detail}")
    return "\n\n".join(lines)
