"""Find the figures a line prints and leave dates, ranks, list numbers, codes and names alone."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from campaign.core.quantities import APPROX_PREFIXES, Quantity, QuantityParseError, parse_quantity
from campaign.core.vocabulary import COUNTERS

# Qualifiers printed with a figure. 达 ("reached") is a verb, not a qualifier, so it stays out.
_PREFIXES = sorted((p for p in APPROX_PREFIXES if p != "达"), key=len, reverse=True)
_PREFIX_RE = "|".join(_PREFIXES)
_COUNTER_RE = "|".join(map(re.escape, sorted(COUNTERS, key=len, reverse=True)))
# A count of people or households printed with its noun instead of a classifier: 3.2万脱贫人口.
_PEOPLE_RE = r"(?:脱贫|贫困|农村|困难|监测|搬迁|低收入|易地搬迁)?(?:人口|劳动力|群众|农民|村民)"
_HOUSEHOLDS_RE = r"(?:脱贫|贫困|监测|搬迁|低收入|农)户"
_UNIT_RE = rf"(?P<people>{_PEOPLE_RE})|(?P<households>{_HOUSEHOLDS_RE})|(?P<counter>{_COUNTER_RE})"
_TAIL_HEDGE_RE = r"(?P<hedge3>左右|以上|余|多)?"

# Each pattern starts with its number, so that the regex engine skips to digits quickly; the
# qualifier before the number and what may not stand before it are checked by hand (_start).
# Digits are ASCII digits only ([0-9]: the reading folds full-width ones): a character that is a
# digit to Unicode but not in the source's sense (², ①, ⑴, ½, ٣) never becomes part of a number.
# A number starts where no digit, point or comma stands before it, so that a long run of digits
# is tried once, not from every position in it (linear time).
_ARABIC = re.compile(
    r"(?<![0-9.])(?<![0-9],)(?P<number>[0-9]{1,3}(?:,[0-9]{3})++(?:\.[0-9]++)?|[0-9]++(?:\.[0-9]++)?)(?![.0-9])"
    r"(?P<hedge1>余|多)?\s?(?P<magnitude>万亿|千万|百万|十万|亿|万|千|百)?(?P<hedge2>余|多)?\s?"
    rf"(?:{_UNIT_RE}){_TAIL_HEDGE_RE}"
)
_CN_DIGITS = "零一二三四五六七八九两"
_CN_MAGNITUDES = "十百千万亿"
_CHINESE = re.compile(
    rf"(?<![{_CN_DIGITS}{_CN_MAGNITUDES}点])(?P<number>[{_CN_DIGITS}十][{_CN_DIGITS}{_CN_MAGNITUDES}]*+(?:点[{_CN_DIGITS}]++)?)"
    rf"(?P<hedge1>余|多)?(?P<magnitude>万亿|亿|万)?(?:{_UNIT_RE}){_TAIL_HEDGE_RE}"
)
# 近万人, 上千人, 万余户, 千多名: a round number without its digit, hedged before or after.
_ROUND = re.compile(rf"(?P<number>万|千)(?P<hedge1>余|多)?(?P<magnitude>)(?:{_UNIT_RE}){_TAIL_HEDGE_RE}")
_ROUND_HINT = re.compile("[近上逾超约][万千]|[万千][余多]")
# A Chinese numeral that counts has a digit and a magnitude (三千, 二十) or a decimal point.
_CHINESE_HINT = re.compile(f"[{_CN_DIGITS}十][{_CN_DIGITS}{_CN_MAGNITUDES}点]")
# (a comma may: 7222.6万元,309万元 lists figures with ASCII commas, as reposts print them)
_NOT_BEFORE_ARABIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.+-/_#@")
_NOT_BEFORE_CHINESE = set(_CN_DIGITS + _CN_MAGNITUDES + "第前每几数0123456789.")
_SPACE = re.compile(r"\s")
_QUOTE_OPEN = re.compile('[“「『《〈"‘]')
_ANY_NUMERAL = re.compile(rf"[0-9{_CN_DIGITS}{_CN_MAGNITUDES}]")
_CN_PERCENT = re.compile(rf"百分之(?P<number>[0-9]++(?:\.[0-9]++)?|[{_CN_DIGITS}十百点]++)")

# A number followed by a character that Unicode counts as a number but that is no digit here (a
# superscript, a circled or parenthesised number, a fraction: 2850²名): listed for review with the
# character quoted, never read into the number.
_ODD_NUMERALS = "\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u2079\u2080-\u2089\u2150-\u218b\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf"
_ODD_AFTER = re.compile(
    rf"(?<![0-9.])(?<![0-9],)(?P<number>[0-9]++(?:\.[0-9]++)?)(?P<odd>[{_ODD_NUMERALS}]+)(?P<magnitude>万亿|亿|万)?(?:{_UNIT_RE})"
)
_ODD_HINT = re.compile(f"[{_ODD_NUMERALS}]")
# Units the counters do not know: the figure is still listed, with its unit as printed.
_FOREIGN_UNITS = (
    "兆瓦时|千兆瓦|兆瓦|吉瓦|千伏安|千伏|万伏|平方公里|平方千米|平米|千米|厘米|毫米|米|"
    "GWh|MWh|kWh|KWh|GW|MW|kW|KW|km2|km|m2|m³|m3|kg|ha"
)
_FOREIGN = re.compile(
    r"(?<![0-9.])(?<![0-9],)(?P<number>[0-9]++(?:\.[0-9]++)?)(?P<hedge1>余|多)?(?P<magnitude>万亿|亿|万|千)?(?P<hedge2>余|多)?\s?"
    rf"(?P<unit>{_FOREIGN_UNITS})(?![A-Za-z])(?P<hedge3>左右|以上|余|多)?"
)
_FOREIGN_HINT = re.compile(
    r"[0-9](?:余|多)?(?:万亿|亿|万|千)?(?:余|多)?\s?(?:[兆吉千万平厘毫米]|[GMkK]W|km|m[23²³]|kg|ha)"
)
_FURNITURE_HINT = re.compile("[评阅浏点赞收转分访关粉播热看]")
# Page furniture: counters of views, comments, likes and shares are never figures.
_FURNITURE_BEFORE = re.compile(
    r"(?:评论|阅读|浏览|点击|点赞|收藏|转发|分享|访问|关注|粉丝|播放|人气|热度)(?:量|数|次数)?\s*[:：]?\s*$"
)
_FURNITURE_AFTER = re.compile(
    r"\s*(?:条?评论|人?阅读|次?阅读|人?浏览|次?浏览|人点赞|个?赞|人收藏|次播放|人关注|次点击|人看过|次转发)"
)

# Quoted names and titles: “131”服务, “5+1”, 《…》. A figure inside one is part of a name.
_QUOTED = re.compile(
    r"“[^”]{1,24}”|「[^」]{1,24}」|『[^』]{1,24}』|《[^》]{1,60}》|〈[^〉]{1,40}〉|\"[^\"]{1,24}\"|‘[^’]{1,24}’"
)
# A classifier followed by these is a duration or another word, not a count (3个月, 5个工作日, 3条件).
_NOT_A_COUNT_AFTER = {
    "个": ("月", "工作日", "小时", "季度", "星期", "年头", "周", "多月", "半月"),
    "名": ("单", "义", "称", "额", "次"),
    "家": ("庭", "乡", "门", "长"),
    "台": ("账", "湾", "阶", "上"),
    "条": ("件", "例", "款"),
    "所": ("有", "以", "在", "属", "得", "谓"),
    "只": ("有", "是", "要", "能"),
    "位": ("于", "居", "列", "置"),
    "批": ("准", "复", "示"),
    "笔": ("记", "者"),
    "座": ("谈",),
    "场": ("所", "地", "景"),
    "度": ("电费",),
    "头": ("部",),
    "支": ("出", "持", "付", "部", "撑", "援", "柱"),
    "张": ("贴", "家"),
    "轮": ("流", "换"),
    "份": ("额",),
}
_RANK_BEFORE = re.compile(r"(?:第|排名)\s*$")
_TOP_BEFORE = re.compile(r"(?:前|排名前)\s*$")


@dataclass(slots=True)
class PrintedFigure:
    """A figure found in a line: its span, the words as printed, its unit and, once parsed, its
    quantity in base units."""

    start: int
    end: int
    printed: str
    unit: str
    parsed_as: str  # the form parse_quantity reads (differs from printed for 3.2万脱贫人口, 百分之九十)
    quantity: Quantity | None = None
    note: str = ""  # what a reviewer must check (a unit the counters do not know, a character that is no digit)
    foreign_unit: str = ""  # the unit as printed, when it is none of the counters (兆瓦, MW)


def name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted names and titles, where numbers are part of a name."""
    return [m.span() for m in _QUOTED.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def _chinese_value(number: str) -> str | None:
    """A Chinese numeral as Arabic digits (三千三百四十四 -> 3344), or None if it is not one."""
    import cn2an

    try:
        value = cn2an.cn2an(number, "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


def _start(text: str, match: re.Match, prefixes: tuple[str, ...], not_before: set[str]) -> tuple[int, str] | None:
    """Where the figure starts with its qualifier (约, 近, 超过…), and the qualifier; None when the
    number continues another one or a code (ICP备05007890号, 5+1, 第十二期)."""
    start = match.start()
    prefix = ""
    if start and text[start - 1] in _PREFIX_ENDINGS:
        prefix = next((p for p in prefixes if start >= len(p) and text.startswith(p, start - len(p))), "")
    start -= len(prefix)
    if start and text[start - 1] in not_before:
        return None
    return start, prefix


def _is_furniture(text: str, start: int, end: int) -> bool:
    """A page's counter of views, comments or likes (评论0条, 阅读 1532次, 12人点赞)."""
    return bool(_FURNITURE_BEFORE.search(text, max(0, start - 8), start) or _FURNITURE_AFTER.match(text, end))


def _is_count(text: str, start: int, match: re.Match) -> bool:
    """False for ranks (第二, 全省第4名, 前3位) and for classifiers that begin another word."""
    before = text[max(0, start - 4) : start]
    if ("第" in before or "排" in before) and _RANK_BEFORE.search(before):
        return False
    counter = match["counter"]
    if counter in ("名", "位") and _TOP_BEFORE.search(before):
        return False
    after = text[match.end() : match.end() + 4]
    if counter and match["hedge3"] is None and after.startswith(_NOT_A_COUNT_AFTER.get(counter, ())):
        return False
    if counter == "个" and match["hedge3"] in ("多", "余") and after.startswith(("月", "小时")):
        return False
    return not after.startswith("+")


def _unit(match: re.Match) -> str:
    return "persons" if match["people"] else "households" if match["households"] else COUNTERS[match["counter"]]


def _parsed_form(match: re.Match, prefix: str, number: str | None = None) -> str:
    """What parse_quantity is given: the printed figure with a noun replaced by its classifier
    (3.2万脱贫人口 -> 3.2万人) and ``number`` for the printed numeral, if given."""
    words = match.group()
    noun = "people" if match["people"] else "households" if match["households"] else None
    if noun:
        kept = words[: match.start(noun) - match.start()]
        words = kept + ("人" if noun == "people" else "户") + (match["hedge3"] or "")
    if number is not None:
        words = number + words[len(match["number"]) :]
    return ("超" if prefix == "上" else prefix) + words


_ARABIC_PREFIXES = tuple(_PREFIXES)
_PREFIX_ENDINGS = frozenset(p[-1] for p in (*_PREFIXES, "上"))
_CHINESE_PREFIXES = (*_PREFIXES, "上")


def find_printed(text: str) -> list[PrintedFigure]:
    """Every printed figure of one normalised line, in order of position, not yet parsed."""
    if not _ANY_NUMERAL.search(text):
        return []
    names = name_spans(text) if _QUOTE_OPEN.search(text) else []
    found: list[PrintedFigure] = []

    def keep(start: int, end: int, unit: str, parsed_as: str, overlapping: bool = True, **extra) -> None:
        if names and _inside(start, names):
            return
        if overlapping and any(f.start < end and start < f.end for f in found):
            return
        if furniture and _is_furniture(text, start, end):
            return
        printed = text[start:end]
        if spaced:  # 2.58 亿元 is printed and parsed without its space
            printed, parsed_as = _SPACE.sub("", printed), _SPACE.sub("", parsed_as)
        odd = text[start - 1] if start else ""  # 务工٣4人, 务工𝟒5人: a digit, not ASCII (not a list mark ①)
        if odd and not odd.isascii() and unicodedata.category(odd) == "Nd" and not extra.get("note"):
            extra["note"] = f"{odd!r} before {printed} is a digit the reading does not take as one: check the source"
        found.append(PrintedFigure(start, end, printed, unit, parsed_as, **extra))

    spaced = _SPACE.search(text) is not None
    furniture = _FURNITURE_HINT.search(text) is not None

    # The Chinese numerals' pass needs one of their characters followed by more than one.
    chinese = _CHINESE_HINT.search(text) is not None
    for match in _ARABIC.finditer(text):
        where = _start(text, match, _ARABIC_PREFIXES, _NOT_BEFORE_ARABIC)
        if where is None or not _is_count(text, where[0], match):
            continue
        if match["counter"] == "度" and not match["magnitude"] and float(match["number"].replace(",", "")) < 1000:
            continue  # 38度, 360度: temperatures and angles, not kilowatt-hours
        # the Arabic figures do not overlap one another: finditer does not overlap its matches
        keep(where[0], match.end(), _unit(match), _parsed_form(match, where[1]), overlapping=False)

    rounds = list(_ROUND.finditer(text)) if _ROUND_HINT.search(text) else []
    for match in [*(_CHINESE.finditer(text) if chinese else ()), *rounds]:
        where = _start(text, match, _CHINESE_PREFIXES, _NOT_BEFORE_CHINESE)
        if where is None:
            continue
        number = match["number"]
        if number in ("万", "千"):
            if not (where[1] or match["hedge1"]):
                continue
            number = "一" + number  # 近万人, 千余人
        elif not any(c in _CN_MAGNITUDES for c in number) and "点" not in number:
            continue  # 五项重点工作, 两不愁, 十项: a single numeral names things, it does not count them
        elif number == "十":
            continue
        if not _is_count(text, where[0], match):
            continue
        parsed_as = _parsed_form(match, where[1], number)
        if match["magnitude"]:  # 一千多万元: the parser reads this form in Arabic digits only
            parsed_as = parsed_as.replace(number, _chinese_value(number) or number, 1)
        keep(where[0], match.end(), _unit(match), parsed_as)

    if _ODD_HINT.search(text):
        for match in _ODD_AFTER.finditer(text):
            if match.start() and text[match.start() - 1] in _NOT_BEFORE_ARABIC:
                continue
            odd = match["odd"]
            plain = match.group().replace(odd, "", 1)
            note = f"{odd!r} after {match['number']} is no digit (a footnote mark?): read as {plain}; check the source"
            keep(match.start(), match.end(), _unit(match), plain, note=note)

    if _FOREIGN_HINT.search(text):
        for match in _FOREIGN.finditer(text):
            if match.start() and text[match.start() - 1] in _NOT_BEFORE_ARABIC:
                continue
            unit = match["unit"]
            stand_in = match.group()[: match.start("unit") - match.start()] + "个" + (match["hedge3"] or "")
            note = f"unit {unit} is not one the counters know: listed for review with its unit as printed"
            keep(match.start(), match.end(), unit, _SPACE.sub("", stand_in), note=note, foreign_unit=unit)

    if "百分之" in text:
        for match in _CN_PERCENT.finditer(text):
            if match.start() and text[match.start() - 1] == "第":
                continue
            number = match["number"]
            keep(match.start(), match.end(), "ratio", (_chinese_value(number) or number) + "%")

    return sorted(found, key=lambda figure: figure.start)


def with_quantity(figure: PrintedFigure) -> PrintedFigure | None:
    """The figure with its quantity, parsed on its own (the extraction parses a whole text at once)."""
    try:
        return replace(figure, quantity=parse_quantity(figure.parsed_as))
    except QuantityParseError:
        return None


def find_figures(text: str) -> list[PrintedFigure]:
    """Every printed figure of one normalised line that parses, with its quantity."""
    return [f for f in map(with_quantity, find_printed(text)) if f is not None]
