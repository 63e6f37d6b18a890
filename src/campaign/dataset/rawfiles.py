"""Reading a raw CSV file as text at the boundary: encodings, malformed CSV, control characters.

Both the clean step and the command line that names runs read raw files through here, so a file
that one accepts the other reads the same way. No pandas: the command line must start fast.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

RAW_COLUMNS = ["region", "period_end", "indicator", "printed", "source_id", "locator", "note"]

# Chinese office software saves CSV as GB18030 (or its subset GBK) unless told otherwise; every
# other tool here writes UTF-8, with or without a byte order mark. Tried in this order: text that
# is valid UTF-8 is practically never meant as GB18030.
ENCODINGS = ("UTF-8 (with or without BOM)", "GB18030")
_OTHER_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
_GB18030_BOM = b"\x84\x31\x95\x33"

# Characters no printed figure, name or note needs, and that can hide or reorder text: C0 and C1
# controls (NUL, tab, line breaks inside a field...), format characters (zero-width spaces, bidi
# overrides, a BOM in mid-file) and the Unicode line and paragraph separators.
_REJECTED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
_CONTROL_NAMES = {0: "NUL", 9: "TAB", 10: "LF, a line break", 13: "CR, a line break", 27: "ESC", 127: "DEL"}


@dataclass(frozen=True)
class RawProblem:
    """One bad cell (or row, or file) of a raw file, with everything needed to find it."""

    path: Path
    line: int
    column: str
    text: object
    reason: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}, column {self.column!r}: {self.text!r}: {self.reason}"


class CleanError(ValueError):
    """Malformed raw data; lists every problem found, each with file, line, column and text."""

    def __init__(self, problems: list[RawProblem]):
        self.problems = problems
        count = len(problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the raw data:"
        super().__init__("\n".join([header, *(f"  {p}" for p in problems)]))

    def first_line(self) -> str:
        """The first problem on one line, with a count of the others (for the command line)."""
        more = len(self.problems) - 1
        return str(self.problems[0]) + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else "")


def shown_path(path: str | Path, root: str | Path | None) -> Path:
    """``path`` relative to the project folder ``root`` (as messages and outputs show it)."""
    return Path(os.path.relpath(path, root)) if root is not None else Path(path)


def decode(path: Path, data: bytes, shown: Path | None = None) -> tuple[str, str]:
    """The text of a raw file and the encoding it was read with; CleanError names the file,
    the line of the first undecodable byte and the encodings tried."""
    shown = shown or path
    for bom, name in _OTHER_BOMS.items():
        if data.startswith(bom):
            raise CleanError(
                [RawProblem(shown, 1, "(file)", data[:4], f"{name} is not accepted; tried {', '.join(ENCODINGS)}")]
            )
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            if bom:  # says UTF-8, so it is no GB18030 file
                raise utf8_error
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            start = bom + utf8_error.start
            line = data.count(b"\n", 0, start) + 1
            raise CleanError(
                [
                    RawProblem(
                        shown,
                        line,
                        "(file)",
                        data[start : start + 4],
                        f"cannot decode byte {start} (0x{data[start]:02x}): the file is in none of the "
                        f"accepted encodings ({', '.join(ENCODINGS)}); save it as UTF-8",
                    )
                ]
            ) from None
        return text.removeprefix("\ufeff") if data.startswith(_GB18030_BOM) else text, "gb18030"


def rejected_character(text: str) -> str | None:
    """Why ``text`` is refused at the boundary (its first control or invisible character), or None."""
    for position, char in enumerate(text):
        if unicodedata.category(char) in _REJECTED_CATEGORIES:
            code = ord(char)
            name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
            described = f"U+{code:04X}" + (f" ({name})" if name else "")
            return f"control or invisible character {described} at position {position + 1}"
    return None


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
    relative to.
    """
    path = Path(path)
    shown = shown_path(path, root)
    text, encoding = decode(path, path.read_bytes(), shown)
    physical_lines = text.splitlines()

    def line_text(number: int) -> str:
        return physical_lines[number - 1] if 0 < number <= len(physical_lines) else ""

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[RawProblem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1  # the line the next record starts on
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
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(RAW_COLUMNS):
                problems.append(
                    RawProblem(
                        shown, line, "(row)", ",".join(row), f"expected {len(RAW_COLUMNS)} fields, found {len(row)}"
                    )
                )
                continue
            for column, cell in zip(RAW_COLUMNS, row, strict=True):
                reason = rejected_character(cell)
                if reason:
                    problems.append(RawProblem(shown, line, column, cell, reason))
            rows.append([cell.strip() for cell in row])
            lines.append(line)
    except csv.Error as error:
        reason = (
            "a quoted field opens on this line and is never closed"
            if "unexpected end of data" in str(error)
            else f"malformed CSV: {error}"
        )
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
