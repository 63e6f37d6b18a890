"""The catalogue of one language rendered with Jinja2 (see campaign.view.text)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import yaml

from campaign.core.estimates import Estimate
from campaign.core.languages import LANGUAGES_FILE, language_specs
from campaign.tasks.findings import Amount
from campaign.view.text import TEXT_DIR
from campaign.view.text.number_style import STYLES, Numbers

_SPACE_BESIDE_WIDE = re.compile(r"(?<=[^\x00-\x7f]) |(?<!#) (?=[^\x00-\x7f])")
_SPACE_BEFORE_STOP = re.compile(r" (?=[.,;:)])")
# White space of the source text, not the no-break spaces a message asks for ("paragraph\u00a07").
_WHITE_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!$~])")


def escape_markdown(value: object) -> str:
    """Text that Markdown shows as itself: HTML entities for <>&, backslashes before markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))


@functools.cache
def _catalogue(text_dir: Path, lang: str) -> dict[str, str]:
    return yaml.safe_load((text_dir / f"{lang}.yml").read_text(encoding="utf-8"))


class MissingMessageError(KeyError):
    pass


class Text:
    """The words of one language: ``text("employment.total", total=...)`` renders one message."""

    def __init__(self, lang: str, text_dir: Path | None = None, languages_file: Path | None = None):
        self.text_dir = Path(text_dir or TEXT_DIR)
        specs = language_specs(Path(languages_file or LANGUAGES_FILE))
        if lang not in specs:
            raise ValueError(f"unknown language {lang!r}; valid languages: {', '.join(specs)}")
        self.lang = lang
        spec = specs[lang]
        self.numbers: Numbers = STYLES[spec["numbers"]]
        self.names = spec["names"]  # "en" or "zh": which register columns this language reads
        self.spaces = spec.get("spaces", True)  # False: no spaces between words (Chinese)
        self.messages = _catalogue(self.text_dir, lang)
        self._markdown = self._environment(finalize=lambda v: escape_markdown(v) if isinstance(v, str) else v)
        self._plain = self._environment(finalize=None)

    # rendering ----------------------------------------------------------------------------
    def _environment(self, finalize) -> jinja2.Environment:
        environment = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            finalize=finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        environment.filters.update(
            q=lambda a, scale=None: self.amount(a, scale=scale),
            about=lambda a, scale=None: self.amount(_for_prose(a), scale=scale),
            signed=lambda a: self.amount(a, signed=True),
            pct=lambda a, places=None: self.percent(a, places=places),
            apct=lambda a, places=None: self.percent(_absolute(_estimate(a)), places=places),
            place=self.place,
            pp=self.points,
            times=lambda a: self.numbers.times(_estimate(a)),
            date=self.date,
            year=lambda d: str(_date(d).year),
            month=lambda m: self.numbers.month(int(m)),
            words=lambda n: self.numbers.words(int(n)),
            ordinal=lambda n: self.numbers.ordinal(int(n)),
            rank=lambda r: self.plain("rank", rank=r),
            name=self.name,
            join=self.join,
        )
        environment.globals.update(lang=self.lang, names=self.names, msg=self.plain)
        return environment

    def _template(self, environment: jinja2.Environment, message_id: str) -> jinja2.Template:
        try:
            source = self.messages[message_id]
        except KeyError:
            raise MissingMessageError(f"message {message_id!r} is not in the {self.lang!r} catalogue") from None
        return environment.from_string(str(source))

    def __call__(self, message_id: str, **values: Any) -> str:
        """The message as Markdown, every inserted value escaped."""
        return self._tidy(self._template(self._markdown, message_id).render(**values))

    def plain(self, message_id: str, **values: Any) -> str:
        """The message as plain text (for tables and figures, which escape on their own)."""
        return self._tidy(self._template(self._plain, message_id).render(**values))

    def _tidy(self, rendered: str) -> str:
        """One paragraph: runs of white space become one space; languages written without spaces
        between words (``spaces: false``) lose those next to their own characters."""
        rendered = _SPACE_BEFORE_STOP.sub("", _WHITE_SPACE.sub(" ", rendered).strip())
        if not self.spaces:
            rendered = _SPACE_BESIDE_WIDE.sub("", rendered)
        return rendered

    @property
    def between_sentences(self) -> str:
        return " " if self.spaces else ""

    def has(self, message_id: str) -> bool:
        return message_id in self.messages

    # values -------------------------------------------------------------------------------
    def amount(self, amount, signed: bool = False, scale: str | None = None, step=None, inside: bool = True) -> str:
        """An Amount (or an Estimate) in words; one without a printed form is a derived figure."""
        if amount is None:
            return self.plain("value.not_reported")
        derived = not isinstance(amount, Estimate) and not getattr(amount, "printed", "")
        return self.numbers.amount(
            _estimate(amount),
            getattr(amount, "unit", ""),
            signed=signed,
            scale=scale,
            derived=derived,
            step=step,
            inside=inside,
        )

    def percent(self, amount, signed: bool = False, places: int | None = None) -> str:
        return self.numbers.percent(_estimate(amount), signed=signed, places=places)

    def points(self, amount, places: int | None = None) -> str:
        return self.numbers.points(_estimate(amount), places=places)

    def date(self, value, year: int | None = None) -> str:
        """A date; with ``year``, the year is left out when it is that year (3月下旬至6月底)."""
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
            return self.numbers.month_of_year(int(value[:4]), int(value[5:]))
        day = _date(value)
        return self.numbers.date(day, with_year=year is None or int(year) != day.year)

    def name(self, thing) -> str:
        """A register entry's name (region, indicator, task, source publisher) in this language."""
        if isinstance(thing, str):
            return thing
        if hasattr(thing, "name_zh"):
            return thing.name_zh if self.names == "zh" else thing.name_en
        return thing.publisher_zh if self.names == "zh" else thing.publisher

    def place(self, region) -> str:
        """A region as prose names it: the country's figures are national ones (全国 in Chinese)."""
        if getattr(region, "level", "") == "country" and self.has("place.country"):
            return self.plain("place.country")
        return self.name(region)

    def join(self, items: Iterable[object]) -> str:
        items = [str(i) for i in items]
        if self.names == "zh":
            return "、".join(items)
        if len(items) <= 2:
            return " and ".join(items)
        return ", ".join(items[:-1]) + " and " + items[-1]

    def pick(self, english: str, chinese: str) -> str:
        """Of a register's two columns, the one this language reads."""
        return chinese if self.names == "zh" else english


def _estimate(amount) -> Estimate:
    return amount if isinstance(amount, Estimate) else amount.estimate


# Prose rounds an amount to three significant figures ("about CNY 98.4 million"); the printed
# figure stays in the sections and tables.
PROSE_RELATIVE_WIDTH = 1e-3


def _for_prose(amount):
    """``amount`` as a derived figure known to three significant figures (the ``about`` filter)."""
    e = _estimate(amount)
    half = abs(e.value) * PROSE_RELATIVE_WIDTH / 2
    return Amount(Estimate(e.value, e.value - half, e.value + half), getattr(amount, "unit", ""))


def _absolute(e: Estimate) -> Estimate:
    if e.value >= 0:
        return e
    return Estimate(-e.value, -e.upper, -e.lower)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
