"""Raw files at the boundary: which files in data/raw count, and reading one as text (encodings,
malformed CSV, control characters).

One rule decides which raw files exist (``raw_files``, by campaign.dataset.rawlist, which build.mk
runs); the clean step and the command line that names runs list them with it and read them
through ``read_rows``, so a file that one accepts the others read the same way. No pandas: the command line must start fast.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from campaign.core.characters import rejected_character, rejected_pattern
from campaign.dataset.rawbytes import ENCODINGS, decode, read_bytes
from campaign.dataset.rawlist import RAW_NAME, list_entries
from campaign.dataset.rawproblems import CleanError, RawProblem, quoted, shown_path

__all__ = [
    "ENCODINGS",
    "RAW_COLUMNS",
    "RAW_NAME",
    "CleanError",
    "RawProblem",
    "RawRows",
    "decode",
    "quoted",
    "raw_files",
    "read_rows",
    "rejected_character",
    "shown_path",
]

RAW_COLUMNS = ["region", "period_end", "indicator", "printed", "source_id", "locator", "note"]


def raw_files(raw_dir: str | Path, root: str | Path | None = None) -> list[Path]:
    """The raw files of ``raw_dir`` in name order, by the one rule (campaign.dataset.rawlist); an
    entry it refuses is a CleanError naming it (every such entry at once)."""
    raw_dir = Path(raw_dir)
    try:
        names, refused = list_entries(str(raw_dir))
    except NotADirectoryError:
        raise FileNotFoundError(f"{shown_path(raw_dir, root)} is not a folder") from None
    except FileNotFoundError:
        raise FileNotFoundError(f"no folder {shown_path(raw_dir, root)} for the raw files") from None
    if refused:
        raise CleanError([RawProblem(shown_path(raw_dir / n, root), 0, "(file)", n, why) for n, why in refused])
    if not names:
        raise FileNotFoundError(f"no raw CSV files in {shown_path(raw_dir, root)}")
    return [raw_dir / name for name in names]


@dataclass(frozen=True)
class RawRows:
    """The data rows of one raw file: cells as written (stripped) and the line each row starts on."""

    path: Path
    encoding: str
    rows: list[list[str]]
    lines: list[int]


def read_rows(path: str | Path, root: str | Path | None = None) -> RawRows:
    """Decode, parse and check one raw CSV file; every problem is a CleanError with file and line.

    Rows are checked for their number of fields and for control characters; all such problems of
    the file are reported at once. A row's line is the line it starts on, so an unterminated
    quote is reported where it opens. ``root`` is the project folder that paths are shown
    relative to. The whole text is searched for control characters in one pass; only the rows
    on lines where one was found, or that span several lines, are checked cell by cell.
    """
    path = Path(path)
    shown = shown_path(path, root)
    text, encoding = decode(path, read_bytes(path, shown), shown)

    def line_text(number: int) -> str:
        lines = io.StringIO(text, newline="")
        return next((line.rstrip("\r\n") for n, line in enumerate(lines, start=1) if n == number), "")

    flagged = _flagged_lines(text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[RawProblem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1  # the line the next record starts on
    width = len(RAW_COLUMNS)
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = row
                if [cell.strip() for cell in row] != RAW_COLUMNS:
                    raise CleanError(
                        [RawProblem(shown, line, "(header)", ",".join(row), f"expected {','.join(RAW_COLUMNS)}")]
                    )
                continue
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue
                problems.append(
                    RawProblem(shown, line, "(row)", ",".join(row), f"expected {width} fields, found {len(row)}")
                )
                continue
            if start - line > 1 or (flagged and not flagged.isdisjoint(range(line, start))):
                for column, cell in zip(RAW_COLUMNS, row, strict=True):
                    reason = rejected_character(cell)
                    if reason:
                        problems.append(RawProblem(shown, line, column, cell, reason))
            stripped = [cell.strip() for cell in row]
            if any(stripped):
                rows.append(stripped)
                lines.append(line)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            reason = f"a field longer than {csv.field_size_limit():,} characters, which no raw cell needs"
        elif "unexpected end of data" in str(error):
            reason = "a quoted field opens on this line and is never closed"
        else:
            reason = f"malformed CSV: {error}"
        raise CleanError([*problems, RawProblem(shown, start, "(row)", line_text(start), reason)]) from None
    if header is None:
        raise CleanError([RawProblem(shown, 1, "(header)", "", f"empty file; expected {','.join(RAW_COLUMNS)}")])
    if problems:
        raise CleanError(problems)
    if not rows:
        raise CleanError(
            [RawProblem(shown, 1, "(header)", ",".join(header), "the file has a header but no rows (cut short?)")]
        )
    return RawRows(shown, encoding, rows, lines)


def _flagged_lines(text: str) -> set[int]:
    """The lines (counted as the CSV reader counts them) holding a control or invisible character
    other than the line ends themselves; empty for a clean file (the usual case: one search)."""
    pattern = rejected_pattern("\n\r")
    if "\r" in text.replace("\r\n", ""):  # lone CRs end lines too: every line is checked
        return set(range(1, text.count("\n") + text.count("\r") + 2)) if pattern.search(text) else set()
    flagged, line, position = set(), 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        flagged.add(line)
    return flagged
