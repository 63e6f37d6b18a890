"""A reviewed row as the raw file takes it: its period end, its printed figure in the indicator's
unit, its text free of invisible characters, and the figure checked against the report's text."""

from __future__ import annotations

import re

from campaign.core.quantities import QuantityParseError, parse_quantity
from campaign.core.registers import parse_period_end

from .printed import find_printed
from .review import ReviewedRow

_READ_AS = re.compile(r"read as (\S+?)(?:;|$)")
# Characters no register text may hold: controls, line breaks, zero-width and bidirectional marks.
BAD_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_SPREADSHEET_DATE = re.compile(r"(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?")


def period_end(text: str) -> str:
    """YYYY-MM-DD, also from the 2022/6/30 or 2022年6月30日 a spreadsheet may have saved."""
    match = _SPREADSHEET_DATE.fullmatch(text.strip())
    if match:
        text = "{}-{:0>2}-{:0>2}".format(*match.groups())
    return parse_period_end(text).isoformat()


def raw_printed(row: ReviewedRow, unit: str) -> tuple[str, str, str | None]:
    """(printed, note, problem) for the raw file: a figure the parser reads, in the indicator's unit."""
    printed, note = row.get("printed", ""), row.get("note", "")
    if unit == "none":
        return "", note, "a qualitative indicator takes no figure; put the fact in 'note'" if printed else None
    if not printed:
        return "", note, "figure missing"
    try:
        quantity = parse_quantity(printed)
    except QuantityParseError:
        read_as = _READ_AS.search(note)
        try:
            quantity = parse_quantity(read_as.group(1) if read_as else printed)
        except QuantityParseError:
            return printed, note, "not a printed quantity the clean step can read"
        printed, note = read_as.group(1), f"printed as {printed}"
    else:
        note = _READ_AS.sub("", note).strip("; ")
    if quantity.unit != unit:
        return printed, note, f"the counter gives {quantity.unit}, but the indicator is measured in {unit}"
    return printed, note.replace("headline", "from the headline"), None


def text_problem(name: str, value: str) -> str | None:
    match = BAD_TEXT.search(value)
    if match:
        return f"--{name} {value[:40]!r}: holds a control or invisible character (U+{ord(match.group()):04X})"
    return None


# What may stand right before a figure's first character and makes it part of a longer number.
_NUMBER_BEFORE = set("0123456789.,０１２３４５６７８９．，零〇一二两三四五六七八九十百千万亿")


def _stands_in(printed: str, line: str) -> bool:
    """Whether ``printed`` stands in ``line`` as a figure of its own, not as the end of a longer
    one (4120人 is not printed in 24120人)."""
    start = line.find(printed)
    while start >= 0:
        if (
            start == 0
            or line[start - 1] not in _NUMBER_BEFORE
            or not (printed[0].isdigit() or printed[0] in _NUMBER_BEFORE)
        ):
            return True
        start = line.find(printed, start + 1)
    return False


def checked_against_text(row: ReviewedRow, lines: dict[int, tuple[str, str]] | None) -> str | None:
    """A problem when the row's printed figure or value is not what the text prints, else None."""
    printed = row.get("printed", "")
    if not printed or lines is None:
        return None
    where = row.get("line", "").strip()
    if where:
        try:
            number = int(float(where))
        except ValueError:
            return f"line {where!r} is not a line number of the text"
        if number not in lines:
            return f"the text has no line {number}"
        candidates = [lines[number]]
    else:
        candidates = list(lines.values())
    compact = re.sub(r"\s", "", printed)
    place = f"line {where}" if where else "the text"
    if not any(
        _stands_in(compact, re.sub(r"\s", "", original)) or _stands_in(compact, text) for original, text in candidates
    ):
        return f"{printed!r} is not printed in {place} of the report"
    read_as = _READ_AS.search(row.get("note", ""))
    if read_as and not any(
        f.parsed_as == read_as.group(1)
        and compact in {re.sub(r"\s", "", f.printed), re.sub(r"\s", "", original[f.start : f.end])}
        for original, text in candidates
        for f in find_printed(text)
    ):
        return f"the note's 'read as {read_as.group(1)}' is not how the extraction reads {printed!r} in {place}"
    value = row.get("value", "").strip()
    if value:
        try:
            quantity = parse_quantity(read_as.group(1) if read_as else printed)
            given = float(value)
        except (QuantityParseError, ValueError):
            return None  # the printed figure's own problems are reported where it is read
        if abs(quantity.value - given) > 1e-9 * max(1.0, abs(quantity.value)):
            return f"value {value} is not what {printed!r} reads as ({quantity.value:.15g})"
    return None
