"""A raw file's bytes and their text: only regular files are read; UTF-8 and GB18030 are accepted,
and every other encoding is named when it is refused."""

from __future__ import annotations

import codecs
import errno
from pathlib import Path

from campaign.core.files import NotARegularFile, read_regular
from campaign.dataset.rawlist import file_kind
from campaign.dataset.rawproblems import CleanError, RawProblem

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


# About 3 million raw rows: the clean step holds a file in memory several times over while it reads it.
RAW_MAX_BYTES = 256 * 1024 * 1024


def read_bytes(path: Path, shown: Path) -> bytes:
    """The bytes of a regular file; a link, folder, FIFO or device is refused without reading it."""
    try:
        return read_regular(path, RAW_MAX_BYTES, follow_links=False)
    except NotARegularFile as refused:
        if refused.mode is not None:
            reason = f"{file_kind(refused.mode)}, not a file"
        else:  # read whole, it would not fit in memory: said before reading
            reason = f"{refused.size:,} bytes, more than a raw file may hold ({RAW_MAX_BYTES:,}): split it"
        raise CleanError([RawProblem(shown, 0, "(file)", "", reason)]) from None
    except OSError as error:
        kind = "a symbolic link, not a file" if error.errno == errno.ELOOP else (error.strerror or str(error)).lower()
        raise CleanError([RawProblem(shown, 0, "(file)", "", f"cannot read it: {kind}")]) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 or UTF-32 text that has no byte order mark, told by its NUL bytes (a header of
    ASCII letters has one beside every letter), or None."""
    start = data[:256]
    if b"\x00" not in start or len(start) < 8:
        return None
    nul_at = [i % 4 for i, byte in enumerate(start) if byte == 0]
    if len(nul_at) >= len(start) * 0.7:
        return "UTF-32"
    odd = sum(1 for i in nul_at if i % 2)
    if len(nul_at) >= len(start) * 0.3:
        return "UTF-16 LE" if odd > len(nul_at) / 2 else "UTF-16 BE"
    return None


def decode(path: Path, data: bytes, shown: Path | None = None) -> tuple[str, str]:
    """The text of a raw file and the encoding it was read with; CleanError names the file,
    the line of the first undecodable byte and the encodings tried."""
    shown = shown or path
    for bom, name in _OTHER_BOMS.items():
        if data.startswith(bom):
            raise CleanError(
                [RawProblem(shown, 1, "(file)", data[:4], f"{name} is not accepted; tried {', '.join(ENCODINGS)}")]
            )
    undeclared = _utf16_without_bom(data)
    if undeclared:
        raise CleanError(
            [
                RawProblem(
                    shown,
                    1,
                    "(file)",
                    data[:8],
                    f"looks like {undeclared} without a byte order mark (NUL bytes between the letters), "
                    f"which is not accepted; save it as UTF-8 (accepted: {', '.join(ENCODINGS)})",
                )
            ]
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
