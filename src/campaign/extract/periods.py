"""Date the figures: the period end a figure runs to, from 截至…月底, 月X日 or 年底 before it."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

_CN_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_YEAR = r"(?P<year>\d{4})年|(?P<relative>今|本|当|去|上)年"
_UNTIL = r"(?P<until>截至到?|截止到?|停止|直至|迄至?|到|至|止)"
# 到年底 in September is a target for this year's end; 截至12月底 in January is last December.
_TARGET_REACH = dt.timedelta(days=183)
_PAST_ONLY = ("截", "停", "迄")

# Every pattern starts with a literal or a digit, so that the regex engine skips to it quickly.
_UNTIL_DATE = re.compile(
    # 截至6月底, 截止2022年6月30日, 到今年5月末, 至6月底; 截至2022年底, 到年底, 截至上年末
    rf"{_UNTIL}\s*(?:(?:{_YEAR})?\s*(?P<month>{_NUM})月份?\s*(?:(?P<end>底|末|尾|终)|(?P<day>{_NUM})[日号])"
    rf"|(?:(?P<year2>\d{{4}})年?|(?P<relative2>今|本|当|去|上)年|年)(?:底|末|尾|终))"
)
# 截至13日 (a day of the publication's month); 截止7月, 截至上半年末 (a month or a half without 底)
_UNTIL_DAY = re.compile(rf"(?:截至到?|截止到?|停止|迄至?)\s*(?P<day>{_NUM})[日号]")
_UNTIL_MONTH = re.compile(
    rf"(?:截至到?|截止到?|停止|迄至?)\s*(?:(?:{_YEAR})\s*)?(?:(?P<month>{_NUM})月份?(?![底末尾终0-9一二三四五六七八九十]|份?[0-9])|(?P<half>上半年|一季度|二季度|三季度)末?)"
)
_SPAN = re.compile(
    # 上半年, 一季度, 前三季度, 1-8月, 一至八月份, 前8个月, 元至9月 (a year may stand before: 2022年上半年)
    rf"上半年|下半年|第[一二三四]季度|[一二三四]季度|前三季度|前(?P<months>{_NUM})个月"
    rf"|[1元]\s*[-—–~至到]\s*(?P<month_to>{_NUM})月|[一元]月?\s*[-—–~至到]\s*(?P<month_to2>{_NUM})月"
)
_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12}
# A year word dating what follows it: 2021年, 2019年末, 2018年底, 去年, 去年底, 上年, 全年. Not a base of
# comparison (比2020年, 较上年, 占去年, 是去年的) and not a date (2020年9月9日) or a span (2014年以来).
_YEAR_WORD = re.compile(
    r"(?P<year>\d{4})年(?P<end>年底|年末|底|末|全年)?(?![0-9一二三四五六七八九十]|度|以来|起|开始|前|后|之前|之后|上半年|下半年|[第一二三四前]季|[0-9]{1,2}月)"
    r"|(?P<relative>去|上|今|本)年(?P<rend>底|末|全年)?(?!度|同期|以来|来|将|要|力争|确保|计划|预计|[0-9一二三四五六七八九十元]{1,2}月|上半年|下半年|[一二三四前]季)"
    r"|(?P<whole>全年)"
)
_COMPARED = (
    "比",
    "较",
    "占",
    "是",
    "为",
    "于",
    "超过",
    "超",
    "相当于",
    "同",
    "和",
    "与",
    "对比",
    "高于",
    "低于",
    "增加",
    "减少",
)
# 全年 with no year before it in its line: the text's year in view (see whole_year_in_view).
WHOLE_YEAR_IN_VIEW = 1
_TARGET_YEAR = re.compile(r"今年(?=将|要|力争|确保|计划|预计)")
_YEAR_BEFORE = re.compile(rf"(?:{_YEAR})\s*$")
# 2022年, 全国… (a whole year heading its sentence); 2022年全年
_YEAR_HEAD = re.compile(r"(?P<year>\d{4})年(?P<whole>全年|度)?")
_SENTENCE_START = set("。；;!！?？ \t")
# On their own these mean "up to publication".
_UNDATED = re.compile(
    r"截至目前|截至当前|到目前为止|目前为止|迄今为止|迄今|至今|目前|当前|现在|今年以来|本年以来|年初以来|今年来"
)
# 8月底即达到100%: a month's end without 截至 dates what follows, unless it is a deadline (6月底前)
# or a base of comparison (较上年底, 比5月末).
_MONTH_END = re.compile("月(?:底|末)(?!前)")
_MONTH_BEFORE = re.compile(rf"(?:{_YEAR})?\s*(?P<month>{_NUM})$")
_YEAR_SINCE = re.compile(r"\d{4}年以来")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_SO_FAR = re.compile("已|累计|取得")


@dataclass(frozen=True)
class PeriodMark:
    """A period expression in a line: where it stands and the date it names."""

    start: int
    end: int
    date: dt.date
    dated: bool  # False for 目前, 今年以来: the publication date
    words: str
    until: int | None = None  # for a date that holds in its own sentence only (8月底即达到): where that ends


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


def _until_date(match: re.Match, published: dt.date) -> dt.date | None:
    g = match.groupdict()
    if g["month"]:
        year = _year(g["year"], g["relative"], published)
        day = _number(g["day"]) if g["day"] else None
        return _resolve(year, _number(g["month"]), day, published, g["until"])
    return _resolve(_year(g["year2"], g["relative2"], published), 12, None, published, g["until"])


def _span_date(text: str, match: re.Match, published: dt.date) -> tuple[int, dt.date | None]:
    """(start including a year before it, date) of 上半年, 一季度, 1-8月…"""
    start = match.start()
    year_before = _YEAR_BEFORE.search(text, max(0, start - 6), start)
    year = _year(year_before["year"], year_before["relative"], published) if year_before else None
    start = year_before.start() if year_before else start
    words = match.group()
    if words == "上半年":
        return start, _resolve(year, 6, None, published)
    if words == "下半年":
        return start, _resolve(year, 12, None, published)
    if words.endswith("季度") and words[-3] in _QUARTER_END:
        return start, _resolve(year, _QUARTER_END[words[-3]], None, published)
    month = match["months"] or match["month_to"] or match["month_to2"]
    return start, _resolve(year, _number(month), None, published)


def _compared(text: str, start: int) -> bool:
    """True when the words before ``start`` make what follows a base of comparison (比2020年)."""
    before = text[max(0, start - 4) : start]
    return before.endswith(_COMPARED)


def _year_words(text: str, published: dt.date, marks: list[PeriodMark]) -> list[PeriodMark]:
    """Marks of the years a line names: 2021年…, 2019年末, 去年, 上年底, 全年 (of the year in view)."""
    found: list[PeriodMark] = []
    for match in _YEAR_WORD.finditer(text):
        start, end = match.span()
        if any(m.start <= start < m.end for m in marks) or _compared(text, start):
            continue
        if match["whole"]:
            # 全年 after a date in its own sentence is the scope of that date's figures (截至6月底…全年…)
            stop = max((s.end() for s in _SENTENCE_END.finditer(text, 0, start)), default=0)
            if any(stop <= m.start < start for m in marks) or any(stop <= m.start < start for m in found):
                continue
            # the year in view: a year named before it in the line, else resolved by the caller
            year = next((m.date.year for m in reversed(found) if m.start < start), WHOLE_YEAR_IN_VIEW)
        elif match["year"]:
            year = int(match["year"])
            if not 1949 <= year <= published.year + 10:
                continue
        else:
            year = published.year - (match["relative"] in "去上")
        date, until = dt.date(year, 12, 31), None
        if year == published.year and date > published and not (match["end"] or match["rend"]):
            # the year of publication, not over yet: what it has done so far (2023年…已累计 in May,
            # 今年…已, 取得的成果) runs to the publication date, as 目前 does; without 已, 累计 or 取得
            # it is the year's plan (2023年，…保持30万个 in January): the year's end, carried on
            # for a year by its number, in its own sentence only for 今年 (今年是…之年), as for 今年将…
            stop = _SENTENCE_END.search(text, end)
            stop_at = stop.start() if stop else len(text)
            if _SO_FAR.search(text, end, stop_at):
                date = published
            elif match["relative"]:
                until = stop.end() if stop else len(text)
        found.append(PeriodMark(start, end, date, date != published, match.group(), until))
    for match in _TARGET_YEAR.finditer(text):  # 今年将…, 今年力争…: this year's end, in its own sentence
        stop = _SENTENCE_END.search(text, match.end())
        until = stop.end() if stop else len(text)
        found.append(
            PeriodMark(match.start(), match.end(), dt.date(published.year, 12, 31), True, match.group(), until)
        )
    return found


def find_period_marks(text: str, published: dt.date) -> list[PeriodMark]:
    """The period expressions of one line, in order; 目前 or 今年以来 beside a dated one in the
    same sentence are dropped, since the dated one says what they mean."""
    marks = []
    for match in _UNTIL_DATE.finditer(text):
        date = _until_date(match, published)
        if date is not None:
            marks.append(PeriodMark(match.start(), match.end(), date, True, match.group()))
    if "日" in text or "号" in text:
        for match in _UNTIL_DAY.finditer(text):
            if any(m.start <= match.start() < m.end for m in marks):
                continue
            day = _number(match["day"])
            for month_back in (0, 1):
                year, month = published.year, published.month - month_back
                if month < 1:
                    year, month = year - 1, 12
                date = _resolve(year, month, day, published)
                if date is not None and date <= published:
                    marks.append(PeriodMark(match.start(), match.end(), date, True, match.group()))
                    break
    if "月" in text or "季度" in text:
        for match in _UNTIL_MONTH.finditer(text):
            if any(m.start <= match.start() < m.end for m in marks):
                continue
            year = _year(match["year"], match["relative"], published)
            half = match["half"]
            month = _number(match["month"]) if match["month"] else (6 if half == "上半年" else _QUARTER_END[half[0]])
            date = _resolve(year, month, None, published, "截")
            if date is not None:
                marks.append(PeriodMark(match.start(), match.end(), date, True, match.group()))
    for match in _MONTH_END.finditer(text):
        month = _MONTH_BEFORE.search(text, max(0, match.start() - 10), match.start())
        start = month.start() if month else 0
        if not month or any(m.start <= start < m.end for m in marks) or (start and text[start - 1] in "较比同于上去前"):
            continue
        date = _resolve(_year(month["year"], month["relative"], published), _number(month["month"]), None, published)
        if date is not None:
            stop = _SENTENCE_END.search(text, match.end())
            until = stop.end() if stop else len(text)
            marks.append(PeriodMark(start, match.end(), date, True, text[start : match.end()], until))
    for match in _SPAN.finditer(text):
        start, date = _span_date(text, match, published)
        if date is not None and not any(m.start <= match.start() < m.end for m in marks):
            marks.append(PeriodMark(start, match.end(), date, True, text[start : match.end()]))
    so_far: list[PeriodMark] = []  # the year of publication, not over yet: like 目前 (see _year_words)
    if "年" in text:
        for mark in _year_words(text, published, marks):
            (marks if mark.dated else so_far).append(mark)
    undated = [m for m in _UNDATED.finditer(text)]
    if "以来" in text:
        undated += list(_YEAR_SINCE.finditer(text))
    undated_marks = [
        PeriodMark(m.start(), m.end(), published, False, m.group())
        for m in undated
        if not any(mark.start <= m.start() < mark.end for mark in marks)
    ] + [m for m in so_far if not any(u.start() <= m.start < u.end() for u in undated)]
    if undated_marks and marks:
        sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        dated_sentences = {bisect.bisect_right(sentence_ends, mark.start) for mark in marks}
        undated_marks = [m for m in undated_marks if bisect.bisect_right(sentence_ends, m.start) not in dated_sentences]
    return sorted(marks + undated_marks, key=lambda mark: mark.start)


def whole_year_in_view(mark: PeriodMark, last_dated: PeriodMark | None, published: dt.date) -> PeriodMark:
    """全年 resolved: the year of the last dated expression before it, else the publication's year
    (the year before, for a text published in January or February: a year-end summary)."""
    if mark.date.year != WHOLE_YEAR_IN_VIEW:
        return mark
    if last_dated is not None:
        year = last_dated.date.year
    else:
        year = published.year - 1 if published.month <= 2 else published.year
    return replace(mark, date=dt.date(year, 12, 31))
