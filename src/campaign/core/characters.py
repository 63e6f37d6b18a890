"""Characters no printed figure, name or note needs, and that can hide or reorder text.

C0 and C1 controls (NUL, tab, line breaks inside a field...), format characters (zero-width
spaces, bidi overrides and isolates, a BOM in mid-text) and the Unicode line and paragraph
separators are refused wherever text comes in: raw files and registers alike. So are the other
characters that Unicode says to draw as nothing (Default_Ignorable_Code_Point: Hangul fillers,
variation selectors, the combining grapheme joiner...) and the blank Braille pattern, which are
letters or marks by category but leave a name that looks shorter, or empty, on the page.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

REJECTED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# Drawn as nothing, outside the categories above (Unicode's DerivedCoreProperties.txt, plus U+2800).
INVISIBLE_RANGES = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_CONTROL_NAMES = {0: "NUL", 9: "TAB", 10: "LF, a line break", 13: "CR, a line break", 27: "ESC", 127: "DEL"}


def rejected_character(text: str) -> str | None:
    """Why ``text`` is refused (its first control or invisible character), or None."""
    match = rejected_pattern().search(text)
    if match is None:
        return None
    char = match.group()
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    described = f"U+{code:04X}" + (f" ({name})" if name else "")
    return f"control or invisible character {described} at position {match.start() + 1}"


@functools.cache
def rejected_pattern(allow: str = "") -> re.Pattern[str]:
    """One character of the refused categories or INVISIBLE_RANGES, less those in ``allow`` (built once, on first use:
    a whole file is searched in one pass)."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) in REJECTED_CATEGORIES and chr(code) not in allow:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    ranges += [(a, b) for a, b in INVISIBLE_RANGES if not any(a <= ord(c) <= b for c in allow)]
    members = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{members}]")
