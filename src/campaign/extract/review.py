"""The review CSV: one row per printed figure, written for the analyst and read back after editing.

The `review` column is the reviewer's mark. The extraction writes `unreviewed` on every row, or
`uncertain` where it doubts a row (two indicators compete, the words are far from the figure, a
character in the figure is no digit, the unit is not one the counters know); the reviewer writes
`ok` on each row to be written once it is checked. `--write` writes only rows marked `ok`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TextIO

from campaign.core.files import defuse_text, restore_text

from .extraction import ExtractedFigure
from .reading import ReportError, read_text_file

REVIEW_COLUMNS = [
    "line",
    "printed",
    "value",
    "unit",
    "lower",
    "upper",
    "approximate",
    "indicator",
    "why",
    "review",
    "region",
    "period_end",
    "sentence",
    "locator",
    "note",
]
# Cells written as numbers (never prefixed by the spreadsheet-safe rule); every other cell is text.
NUMBER_COLUMNS = frozenset({"line", "value", "lower", "upper"})
# First characters the spreadsheet-safe rule may change (the rule itself is campaign.io's).
_RISKY_START = frozenset("=+-@\t\r'")
# What --write needs of an edited review file; the other columns are there to help the review.
REQUIRED_COLUMNS = ("printed", "indicator", "region", "period_end", "review")

# The reviewer's marks.
REVIEWED = "ok"
UNREVIEWED = "unreviewed"
UNCERTAIN = "uncertain"


def _number(value: float) -> str:
    return format(value, ".15g")


def _cells(f: ExtractedFigure) -> list[str]:
    """The review columns of one figure, in order, text cells spreadsheet-safe."""
    approximate = "true" if f.approximate else "false"
    mark = UNCERTAIN if f.uncertain else UNREVIEWED
    cells = [
        str(f.line),
        f.printed,
        _number(f.value),
        f.unit,
        _number(f.lower),
        _number(f.upper),
        approximate,
        f.indicator,
        f.why,
        mark,
        f.region,
        f.period_end,
        f.sentence,
        f.locator,
        f.note,
    ]
    return [
        defuse_text(cell) if cell and cell[0] in _RISKY_START and name not in NUMBER_COLUMNS else cell
        for name, cell in zip(REVIEW_COLUMNS, cells, strict=True)
    ]


def review_row(figure: ExtractedFigure) -> dict[str, str]:
    """One figure's review row as the analyst reads it (the spreadsheet-safe rule undone)."""
    return {name: restore_text(cell) for name, cell in zip(REVIEW_COLUMNS, _cells(figure), strict=True)}


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
    """The rows of an edited review CSV (UTF-8 with or without BOM, or GB18030 as spreadsheets
    save it), with the spreadsheet-safe rule undone on its text cells."""
    path = Path(path)
    text = read_text_file(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise ReportError(f"{path}: line 1: the review file has no column {', '.join(missing)}")
        rows = []
        for record in reader:
            if None in record:
                raise ReportError(f"{path}: line {reader.line_num}: more fields than the header names")
            row = ReviewedRow()
            for key, value in record.items():
                key = key.strip()
                value = (value or "").strip()
                row[key] = value if key in NUMBER_COLUMNS else restore_text(value)
            if not any(row.values()):
                continue
            row.where = f"{path}, line {reader.line_num}"
            rows.append(row)
    except csv.Error as error:
        raise ReportError(f"{path}: line {reader.line_num}: {_csv_problem(error, text, reader.line_num)}") from None
    return rows


def _csv_problem(error: csv.Error, text: str, line: int) -> str:
    """csv's complaint in words, quoting the start of the offending line (never all of it)."""
    lines = text.splitlines()
    start = lines[line - 1][:40] if 0 < line <= len(lines) else ""
    reason = "a field longer than the CSV limit" if "field larger" in str(error) else str(error)
    return f"{reason} (the line starts {start!r})"


def rows_from_figures(figures: list[ExtractedFigure], source: str) -> list[ReviewedRow]:
    """The extraction's own rows, as a review file would hold them before any review."""
    rows = []
    for figure in figures:
        row = ReviewedRow(review_row(figure))
        row.where = f"{source}, line {figure.line} ({figure.printed})"
        rows.append(row)
    return rows
