"""Read a report's text: decode it, fold traditional and full-width forms, undo reposting synonyms,
and fold the noise reposts add (pinyin glosses, doubled punctuation, stray markup)."""

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
    # Where each character of ``text`` stands in ``original`` when noise was folded out of it
    # (empty when the folding also changed lengths: then spans are shown as normalised).
    positions: tuple[int, ...] | None = None

    @property
    def aligned(self) -> bool:
        return self.positions is None and len(self.original) == len(self.text)

    def original_span(self, start: int, end: int) -> str:
        """The words at ``text[start:end]`` as the file prints them (normalised if not aligned)."""
        if self.positions == ():
            return self.text[start:end]
        if self.positions is not None:
            if start >= end:
                return ""
            return self.original[self.positions[start] : self.positions[end - 1] + 1]
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


# Noise that reposting tools add, folded out before figures are found and words matched:
# pinyin glosses after characters (務(wù)工), doubled punctuation (,, and ,。) and stray markup.
_PINYIN = "a-zü\u00e0-\u00fc\u0101-\u01dc"
_NOISE = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（][{_PINYIN}]{{1,7}}[)）]"
    r"|[,，](?=[,，。；;、：:！？!?])|(?<=[。；;、：:！？!?])[,，]"
    r"|</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,200})?/?>|&(?:nbsp|amp|lt|gt|quot|#[0-9]{1,5});"
)
_NOISE_HINT = re.compile(
    r"[(（][a-z\u00e0-\u01dc]|[,，。；;、：:！？!?][,，]|[,，][,，。；;、：:！？!?]|<[A-Za-z/]|&[a-z#]"
)


def fold_noise(text: str) -> tuple[str, list[int] | None]:
    """``text`` without reposting noise, and where each kept character stood (None: nothing folded)."""
    if not _NOISE_HINT.search(text):
        return text, None
    kept: list[int] = []
    pieces: list[str] = []
    last = 0
    for match in _NOISE.finditer(text):
        kept.extend(range(last, match.start()))
        pieces.append(text[last : match.start()])
        last = match.end()
    if not pieces and last == 0:
        return text, None
    kept.extend(range(last, len(text)))
    pieces.append(text[last:])
    return "".join(pieces), kept


# A report or review file is text of some pages; read whole, it must fit in memory many times over.
TEXT_MAX_BYTES = 64 * 1024 * 1024


def _plausible(text: str) -> bool:
    """Text as reports are written: Chinese characters, ASCII, CJK and full-width punctuation."""
    if not text:
        return False
    usual = sum(
        1
        for char in text
        if " " <= char <= "~"
        or char in "\t\n\r"
        or "\u4e00" <= char <= "\u9fff"
        or "\u3000" <= char <= "\u303f"
        or "\uff00" <= char <= "\uffef"
        or "\u2010" <= char <= "\u2027"
    )
    return usual >= len(text) * 0.95


def _utf16_without_bom(data: bytes) -> str | None:
    """'little-endian' or 'big-endian' when ``data`` reads as UTF-16 text in that order, without
    its byte order mark: what its first few thousand characters decode to, not a count of NULs
    (Chinese text has few: 一 is 00 4E)."""
    sample = data[:8192]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    for order, codec in (("little-endian", "utf-16-le"), ("big-endian", "utf-16-be")):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            text = sample[:-2].decode(codec, errors="ignore")  # a pair cut at the end of the sample
        if _plausible(text):
            return order
    return None


def _utf16_error(path: str | Path, order: str) -> ReportError:
    return ReportError(
        f"{path}: looks like UTF-16 ({order}) without a byte order mark; save it as UTF-8 (or UTF-16 with a BOM)"
    )


def decode(data: bytes, path: str | Path = "<text>") -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030; else a ReportError. UTF-16
    without its BOM is refused by name, never read as GB18030 (which would take most of its bytes)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        order = _utf16_without_bom(data)
        if order:
            raise _utf16_error(path, order) from None
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise ReportError(
                f"{path}: line {line}: not UTF-8 or GB18030 text "
                f"(byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})"
            ) from None


def read_text_file(path: str | Path) -> str:
    """The text of the file at ``path``; a ReportError naming the file for anything else: a
    folder, FIFO or device (refused without waiting on it), a file over TEXT_MAX_BYTES."""
    from campaign.core.files import NotARegularFile, read_regular
    from campaign.dataset.rawlist import file_kind

    path = Path(path)
    try:
        data = read_regular(path, TEXT_MAX_BYTES)
    except NotARegularFile as refused:
        if refused.mode is not None:
            raise ReportError(f"{path}: is {file_kind(refused.mode)}, not a text file") from None
        raise ReportError(f"{path}: {refused.size:,} bytes, more than a text may hold ({TEXT_MAX_BYTES:,})") from None
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a folder, not a text file") from None
    except OSError as error:
        raise ReportError(f"{path}: cannot read: {error.strerror}") from None
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        order = _utf16_without_bom(data)
        if order:
            raise _utf16_error(path, order)
        raise ReportError(f"{path}: not a text file (it holds NUL bytes)")
    try:
        return decode(data, path)
    except UnicodeDecodeError as error:
        raise ReportError(f"{path}: not valid UTF-16 text ({error.reason} at offset {error.start})") from None


def read_report(path: str | Path) -> str:
    """The text of the report at ``path``."""
    return read_text_file(path)


@cache
def _simplifier():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC's t2s), as the extraction reads a report."""
    return _simplifier().convert(text)


def load_synonyms(data_dir: str | Path) -> dict[str, str]:
    """The register's reposting synonyms (``synonyms:`` in indicators.yml), each mapped to its usual word."""
    path = Path(data_dir) / "indicators.yml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ReportError(f"{path}: cannot read the synonyms: {str(error).splitlines()[0]}") from None
    found = document.get("synonyms") if isinstance(document, dict) else None
    if found is not None and not isinstance(found, dict):
        raise ReportError(f"{path}: synonyms: expected word: word pairs")
    synonyms = {}
    for key, value in (found or {}).items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ReportError(f"{path}: synonym {key!r}: {value!r}: both must be words")
        synonyms[key] = value
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
        lines = []
        for number, (original, text) in enumerate(zip(originals, texts, strict=True), 1):
            folded, kept = fold_noise(text)
            if kept is None:
                lines.append(Line(number, original, text))
            else:
                positions = tuple(kept) if len(original) == len(text) else ()  # (): not aligned
                lines.append(Line(number, original, folded, positions))
        return lines

    def _one(self, line: str) -> str:
        text = _simplifier().convert(line).replace("\n", " ")
        if self._synonym_re is not None:
            text = self._synonym_re.sub(lambda m: self.synonyms[m.group()], text)
        return text.translate(_WIDTH)


def _has_traditional_candidates(text: str) -> bool:
    """False for pure ASCII; OpenCC is fast, but a text with no Han characters needs no call."""
    return any(ord(char) > 0x2E7F for char in text)
