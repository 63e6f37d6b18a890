"""The review CSV: one row per printed figure, written for the analyst and read back after editing."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TextIO

from .extraction import ExtractedFigure
from .reading import ReportError, decode

REVIEW_COLUMNS = [
    "line",
    "printed",
    "value",
    "unit",
    "lower",
    "upper",
    "approximate",
    "indicator",
    "region",
    "period_end",
    "sentence",
    "locator",
    "note",
]
# What --write needs of an edited review file; the other columns are there to help the review.
REQUIRED_COLUMNS = ("printed", "indicator", "region", "period_end")


def _number(value: float) -> str:
    return format(value, ".15g")


def _cells(f: ExtractedFigure) -> list[str]:
    """The review columns of one figure, in order."""
    approximate = "true" if f.approximate else "false"
    numbers = [_number(f.value), f.unit, _number(f.lower), _number(f.upper), approximate]
    return [str(f.line), f.printed, *numbers, f.indicator, f.region, f.period_end, f.sentence, f.locator, f.note]


def review_row(figure: ExtractedFigure) -> dict[str, str]:
    return dict(zip(REVIEW_COLUMNS, _cells(figure), strict=True))


def write_review(figures: list[ExtractedFigure], handle: TextIO) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    writer.writerows(map(_cells, figures))


def review_text(figures: list[ExtractedFigure]) -> str:
    buffer = io.StringIO()
    write_review(figures, buffer)
    return buffer.getvalue()


class ReviewedRow(dict):
    """A row of an edited review file, with the file line it came from (for error messages)."""

    where: str = ""


def read_review(path: str | Path) -> list[ReviewedRow]:
    """The rows of an edited review CSV (UTF-8 with or without BOM, or GB18030 as spreadsheets save it)."""
    path = Path(path)
    try:
        text = decode(path.read_bytes(), path)
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ReportError(f"{path}: line 1: the review file has no column {', '.join(missing)}")
    rows = []
    for record in reader:
        if None in record:
            raise ReportError(f"{path}: line {reader.line_num}: more fields than the header names")
        row = ReviewedRow({key.strip(): (value or "").strip() for key, value in record.items()})
        if not any(row.values()):
            continue
        row.where = f"{path}, line {reader.line_num}"
        rows.append(row)
    return rows


def rows_from_figures(figures: list[ExtractedFigure], source: str) -> list[ReviewedRow]:
    """The extraction's own rows, as --write takes them when there is no edited review file."""
    rows = []
    for figure in figures:
        row = ReviewedRow(review_row(figure))
        row.where = f"{source}, line {figure.line} ({figure.printed})"
        rows.append(row)
    return rows
