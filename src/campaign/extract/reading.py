"""Read a report's text: decode it, fold traditional and full-width forms, undo reposting synonyms."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml


class ReportError(ValueError):
    """Input that cannot be read; the message names the file (and the line where there is one)."""


@dataclass(frozen=True)
class Line:
    """One non-empty line of the report.

    ``text`` is what the extraction reads: simplified characters, half-width digits and
    punctuation, reposting synonyms undone. It has the same length as ``original`` when
    ``aligned``, so a span of one is a span of the other.
    """

    number: int  # counting non-empty lines from 1
    original: str
    text: str

    @property
    def aligned(self) -> bool:
        return len(self.original) == len(self.text)

    def original_span(self, start: int, end: int) -> str:
        """The words at ``text[start:end]`` as the file prints them (normalised if not aligned)."""
        return (self.original if self.aligned else self.text)[start:end]


# Full-width ASCII (digits, letters, ％, ，, ：…) to half-width, and the odd spaces, one for one.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: " ", 0xFEFF: " "})
_WIDTH.update({ord("〇"): "零", ord("﹪"): "%", ord("٫"): "."})
# Folding is needed for digits, letters and ％ ．; full-width punctuation (，：；) is read as it is,
# so most texts need no folding at all, and a long text is spared a slow character-by-character pass.
_NEEDS_FOLDING = re.compile(
    "[\uff05\uff0e\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u00a0\u2002\u2003\u2009\u200b\ufeff〇﹪٫]"
)


def decode(data: bytes, path: str | Path = "<text>") -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030; else a ReportError."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise ReportError(
                f"{path}: line {line}: not UTF-8 or GB18030 text "
                f"(byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})"
            ) from None


def read_report(path: str | Path) -> str:
    """The text of the report at ``path``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a folder, not a text file") from None
    except OSError as error:
        raise ReportError(f"{path}: cannot read: {error.strerror}") from None
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReportError(f"{path}: not a text file (it holds NUL bytes)")
    return decode(data, path)


@cache
def _simplifier():
    import opencc

    return opencc.OpenCC("t2s")


def load_synonyms(data_dir: str | Path) -> dict[str, str]:
    """The register's reposting synonyms (``synonyms:`` in indicators.yml), each mapped to its usual word."""
    path = Path(data_dir) / "indicators.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    synonyms = {str(k): str(v) for k, v in (document.get("synonyms") or {}).items()}
    for synonym, word in synonyms.items():
        if len(synonym) != len(word):
            raise ReportError(f"{path}: synonym {synonym!r} -> {word!r}: both must have the same length")
    return synonyms


class Normaliser:
    """Turns the lines of a report into what the extraction reads (see ``Line``)."""

    def __init__(self, synonyms: dict[str, str] | None = None):
        self.synonyms = dict(synonyms or {})
        keys = sorted(self.synonyms, key=len, reverse=True)
        self._synonym_re = re.compile("|".join(map(re.escape, keys))) if keys else None

    def lines(self, text: str) -> list[Line]:
        """Every non-empty line, numbered from 1, in the original and normalised forms."""
        originals = [raw.strip() for raw in text.splitlines()]
        originals = [line for line in originals if line]
        if not originals:
            return []
        joined = "\n".join(originals)
        converted = _simplifier().convert(joined) if _has_traditional_candidates(joined) else joined
        if self._synonym_re is not None:
            converted = self._synonym_re.sub(lambda m: self.synonyms[m.group()], converted)
        texts = [t.translate(_WIDTH) if _NEEDS_FOLDING.search(t) else t for t in converted.split("\n")]
        if len(texts) != len(originals):  # a conversion that merged or split lines: fall back line by line
            texts = [self._one(line) for line in originals]
        return [
            Line(number, original, text)
            for number, (original, text) in enumerate(zip(originals, texts, strict=True), 1)
        ]

    def _one(self, line: str) -> str:
        text = _simplifier().convert(line).replace("\n", " ")
        if self._synonym_re is not None:
            text = self._synonym_re.sub(lambda m: self.synonyms[m.group()], text)
        return text.translate(_WIDTH)


def _has_traditional_candidates(text: str) -> bool:
    """False for pure ASCII; OpenCC is fast, but a text with no Han characters needs no call."""
    return any(ord(char) > 0x2E7F for char in text)
