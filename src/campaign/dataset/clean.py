"""Raw figures as printed -> tidy observations in base units, checked at the boundary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from campaign.core.quantities import QuantityColumnParseError
from campaign.core.quantity_columns import parse_quantities
from campaign.core.registers import Registers
from campaign.dataset.processed import read_observations  # noqa: F401 (the reader of what this step writes)
from campaign.dataset.rawfiles import RAW_COLUMNS, CleanError, raw_files, read_rows
from campaign.dataset.validate import problem_at, validate_raw

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
        raise CleanError([problem_at(raw, label, "printed", reason) for label, _, reason in error.failures]) from error
    quantities.loc[counted] = parsed

    indicators = registers.indicators.values()
    expected_unit = raw["indicator"].map({i.id: i.unit for i in indicators})
    wrong_unit = counted & (quantities["unit"] != expected_unit)
    if wrong_unit.any():
        raise CleanError(
            [
                problem_at(
                    raw,
                    label,
                    "printed",
                    f"the counter gives {quantities.at[label, 'unit']}, "
                    f"but {raw.at[label, 'indicator']} is measured in {expected_unit[label]}",
                )
                for label in raw.index[wrong_unit]
            ]
        )

    nonnegative = raw["indicator"].map({i.id: i.nonnegative for i in indicators}).astype(bool)
    value = pd.to_numeric(quantities["value"])
    negative = counted & nonnegative & (np.signbit(value.to_numpy(dtype=float, na_value=0.0)))
    if negative.any():
        raise CleanError(
            [
                problem_at(
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
            "region": raw["region"].map({name: region.slug for name, region in registers.region_by_name.items()}),
            "period_end": raw["period_end"],
            "task": raw["indicator"].map({i.id: i.task for i in indicators}),
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
    index: dict | None = None  # what choosing a run needs (campaign.dataset.runindex)


def clean(data_dir: str | Path, loan_ceiling: float | None = None) -> CleanOutputs:
    """Read, validate and tidy the raw data; derive figures and run the consistency rules."""
    from campaign.core.settings import LOAN_CEILING
    from campaign.dataset.checks import QUALITY_COLUMNS, run_checks, underivable_findings
    from campaign.dataset.derived import derive_metrics
    from campaign.dataset.runindex import build_index, input_signature, run_figures

    data_dir = Path(data_dir)
    signature = input_signature(data_dir) if (data_dir / "raw").is_dir() else []  # the files as read
    registers = Registers.load(data_dir)
    raw = read_raw(data_dir / "raw", root=data_dir.parent)
    observations = tidy_observations(raw, registers)
    boundary = pd.DataFrame(
        [
            ["raw_schema", "", "", path, "pass", count, count, count, None, None, None, "rows", "", f"{count} rows"]
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
    index = build_index(registers, run_figures(raw, registers), signature) if signature else None
    return CleanOutputs(observations, derived, quality, index)


class ProcessedWriteError(OSError):
    """The processed files could not be written; none was replaced (one line: file and reason)."""

    def __str__(self) -> str:
        return str(self.strerror)


def write_outputs(outputs: CleanOutputs, processed_dir: str | Path) -> list[Path]:
    """Write the three processed files all or nothing: each goes to a temporary file beside it,
    and only when all three are written are they renamed over the old ones. A read-only or full
    disk is one ProcessedWriteError naming the file, and leaves the previous files as they were."""
    import errno
    import os
    import tempfile

    from campaign.core.files import defuse_text_columns, remove_stale_temporaries
    from campaign.dataset.runindex import INDEX_NAME, write_index

    processed_dir = Path(processed_dir)
    shown_root = processed_dir.resolve().parent.parent  # the project: paths read data/processed/...
    names = ("observations", "derived", "quality")
    frames = (outputs.observations, outputs.derived, outputs.quality)
    paths = [processed_dir / f"{name}.csv" for name in names]
    if outputs.index is not None:  # written last: it says the three files are of these inputs
        names, frames, paths = (*names, "index"), (*frames, outputs.index), [*paths, processed_dir / INDEX_NAME]
    written: list[tuple[Path, Path]] = []
    current = processed_dir
    try:
        processed_dir.mkdir(parents=True, exist_ok=True)
        for path in paths:  # what a killed run left behind
            remove_stale_temporaries(processed_dir, path.name)
        for path, frame in zip(paths, frames, strict=True):
            current = path
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=processed_dir)
            os.close(handle)
            written.append((Path(temporary), path))
            if isinstance(frame, dict):
                write_index(frame, temporary)
            else:
                defuse_text_columns(frame).to_csv(temporary, index=False, lineterminator="\n", encoding="utf-8")
            os.chmod(temporary, 0o644)
        for temporary, path in written:
            current = path
            os.replace(temporary, path)
    except OSError as error:
        reason = error.strerror or str(error)
        code = f" ({errno.errorcode[error.errno]})" if error.errno in errno.errorcode else ""
        shown = os.path.relpath(current.resolve(), shown_root)
        raise ProcessedWriteError(
            error.errno, f"cannot write {shown}: {reason}{code}; the processed files were left as they were"
        ) from None
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
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
