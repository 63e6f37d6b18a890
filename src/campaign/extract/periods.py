"""Date the figures: the period end a figure runs to, from 截至…月底, 月X日 or 年底 before it."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_CN_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_YEAR = r"(?P<year>\d{4})年|(?P<relative>今|本|当|去|上)年"
_UNTIL = r"(?P<until>截至到?|截止到?|停止|直至|迄至?|到|至|止)"
_UNTIL2 = _UNTIL.replace("until", "until2")
# 到年底 in September is a target for this year's end; 截至12月底 in January is last December.
_TARGET_REACH = dt.timedelta(days=183)
_PAST_ONLY = ("截", "停", "迄")

_DATED = re.compile(
    # 截至6月底, 截止2022年6月30日, 到今年5月末, 至6月底
    rf"{_UNTIL}\s*(?:{_YEAR})?\s*(?P<month>{_NUM})月份?\s*(?:(?P<end>底|末|尾|终)|(?P<day>{_NUM})[日号])"
    # 截至2022年底, 到年底, 截至上年末
    rf"|{_UNTIL2}\s*(?:(?P<year2>\d{{4}})年?|(?P<relative2>今|本|当|去|上)年|年)(?:底|末|尾|终)"
    # 2022年上半年, 上半年, 一季度, 前三季度, 1-8月, 1至8月份, 前8个月
    r"|(?:(?P<year3>\d{4})年|(?P<relative3>今|本|当|去|上)年)?\s*(?:"
    r"(?P<half>上半年)|(?P<q1>第?一季度)|(?P<q3>前三季度)"
    rf"|(?:1|一)\s*[-—–~至到]\s*(?P<month_to>{_NUM})月份?|前(?P<months>{_NUM})个月)"
    # 2022年, 全国… (a whole year that heads its sentence); 2022年全年
    r"|(?:^|(?<=[。；;!！?？\s]))(?P<year4>\d{4})年(?:全年|度)?(?=[,，:：])|(?P<year5>\d{4})年全年"
)
# On their own these mean "up to publication".
_UNDATED = re.compile(
    r"截至目前|截至当前|到目前为止|目前为止|迄今为止|迄今|至今|目前|今年以来|本年以来|年初以来|今年来|\d{4}年以来"
)
_SENTENCE_END = re.compile(r"[。！？!?；;]")


@dataclass(frozen=True)
class PeriodMark:
    """A period expression in a line: where it stands and the date it names."""

    start: int
    end: int
    date: dt.date
    dated: bool  # False for 目前, 今年以来: the publication date
    words: str


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + _CN_NUMBERS.get(text[1:], 0) if len(text) > 1 else 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_NUMBERS[tens] * 10 + (_CN_NUMBERS[ones] if ones else 0)
    return _CN_NUMBERS[text]


def _year(explicit: str | None, relative: str | None, published: dt.date) -> int | None:
    """The year a date expression names; None when the text gives none (then see _resolve)."""
    if explicit:
        return int(explicit)
    if relative in ("今", "本", "当"):
        return published.year
    if relative in ("去", "上"):
        return published.year - 1
    return None


def _resolve(
    year: int | None, month: int, day: int | None, published: dt.date, until: str | None = None
) -> dt.date | None:
    """A calendar date. Without a year: the publication year, or the year before when that date
    would lie after publication (截至12月底 in January), unless 到/至 sets a target within half a year."""
    if not 1 <= month <= 12:
        return None
    reach = dt.timedelta(0) if not until or until.startswith(_PAST_ONLY) else _TARGET_REACH
    for candidate in [year] if year else [published.year, published.year - 1]:
        last = calendar.monthrange(candidate, month)[1]
        if day is not None and not 1 <= day <= last:
            return None
        date = dt.date(candidate, month, day or last)
        if year or date <= published + reach:
            return date
    return None


def _date_of(match: re.Match, published: dt.date) -> dt.date | None:
    g = match.groupdict()
    if g["month"]:
        year = _year(g["year"], g["relative"], published)
        day = _number(g["day"]) if g["day"] else None
        return _resolve(year, _number(g["month"]), day, published, g["until"])
    if match.group().endswith(("底", "末", "尾", "终")):
        year = _year(g["year2"], g["relative2"], published)
        return _resolve(year, 12, None, published, g["until2"])
    year = _year(g["year3"], g["relative3"], published)
    if g["half"]:
        return _resolve(year, 6, None, published)
    if g["q1"]:
        return _resolve(year, 3, None, published)
    if g["q3"]:
        return _resolve(year, 9, None, published)
    if g["month_to"]:
        return _resolve(year, _number(g["month_to"]), None, published)
    if g["months"]:
        return _resolve(year, _number(g["months"]), None, published)
    whole_year = g["year4"] or g["year5"]
    return dt.date(int(whole_year), 12, 31) if whole_year else None


def find_period_marks(text: str, published: dt.date) -> list[PeriodMark]:
    """The period expressions of one line, in order; 目前 or 今年以来 beside a dated one in the
    same sentence are dropped, since the dated one says what they mean."""
    marks = []
    for match in _DATED.finditer(text):
        date = _date_of(match, published)
        if date is not None:
            marks.append(PeriodMark(match.start(), match.end(), date, True, match.group()))
    undated = [
        PeriodMark(m.start(), m.end(), published, False, m.group())
        for m in _UNDATED.finditer(text)
        if not any(mark.start <= m.start() < mark.end for mark in marks)
    ]
    if undated:
        sentences = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text) + 1]

        def sentence_of(position: int) -> int:
            return next(i for i, end in enumerate(sentences[1:]) if position < end)

        dated_sentences = {sentence_of(mark.start) for mark in marks}
        marks += [mark for mark in undated if sentence_of(mark.start) not in dated_sentences]
    return sorted(marks, key=lambda mark: mark.start)
