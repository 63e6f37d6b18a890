"""Find the figures a line prints and leave dates, ranks, list numbers, codes and names alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..units import APPROX_PREFIXES, Quantity, QuantityParseError, parse_quantity
from ..vocabulary import COUNTERS

# Qualifiers printed with a figure. 达 ("reached") is a verb, not a qualifier, so it stays out.
_PREFIXES = sorted((p for p in APPROX_PREFIXES if p != "达"), key=len, reverse=True)
_PREFIX_RE = "|".join(_PREFIXES)
_COUNTER_RE = "|".join(map(re.escape, sorted(COUNTERS, key=len, reverse=True)))
# A count of people or households printed with its noun instead of a classifier: 3.2万脱贫人口.
_PEOPLE_RE = r"(?:脱贫|贫困|农村|困难|监测|搬迁|低收入|易地搬迁)?(?:人口|劳动力|群众|农民|村民)"
_HOUSEHOLDS_RE = r"(?:脱贫|贫困|监测|搬迁|低收入|农)户"
_UNIT_RE = rf"(?P<people>{_PEOPLE_RE})|(?P<households>{_HOUSEHOLDS_RE})|(?P<counter>{_COUNTER_RE})"
_TAIL_HEDGE_RE = r"(?P<hedge3>左右|以上|余|多)?"

_ARABIC = re.compile(
    rf"(?<![0-9A-Za-z.+\-/_#@])(?P<prefix>{_PREFIX_RE})?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![.\d])"
    r"(?P<hedge1>余|多)? ?(?P<magnitude>万亿|千万|百万|十万|亿|万|千|百)?(?P<hedge2>余|多)? ?"
    rf"(?:{_UNIT_RE}){_TAIL_HEDGE_RE}"
)
_CN_DIGITS = "零一二三四五六七八九两"
_CN_MAGNITUDES = "十百千万亿"
_CHINESE = re.compile(
    rf"(?<![{_CN_DIGITS}{_CN_MAGNITUDES}第前每几数上])(?P<prefix>{_PREFIX_RE}|上)?"
    rf"(?P<number>[{_CN_DIGITS}{_CN_MAGNITUDES}]+(?:点[{_CN_DIGITS}]+)?)"
    rf"(?P<hedge1>余|多)?(?P<magnitude>万亿|亿|万)?(?:{_UNIT_RE}){_TAIL_HEDGE_RE}"
)
_CN_PERCENT = re.compile(rf"(?<![第])百分之(?P<number>\d+(?:\.\d+)?|[{_CN_DIGITS}十百点]+)")

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
    "批": ("准", "复", "示", "次"),
    "笔": ("记", "者"),
    "座": ("谈",),
    "场": ("所", "地", "景"),
    "度": ("电费",),
    "头": ("部",),
    "件": ("事",),
}
_RANK_BEFORE = re.compile(r"(?:第|排名第?|排第|列第|居第|位居第?|位列第?)\s*$")
_TOP_BEFORE = re.compile(r"(?:前|排名前)\s*$")


@dataclass(frozen=True)
class PrintedFigure:
    """A figure found in a line: its span, the words as printed and the quantity in base units."""

    start: int
    end: int
    printed: str
    quantity: Quantity
    parsed_as: str  # the form parse_quantity read (differs from printed for 3.2万脱贫人口, 百分之九十)

    @property
    def unit(self) -> str:
        return self.quantity.unit


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


def _quantity(parsed_as: str, chinese_number: str | None = None) -> Quantity | None:
    try:
        return parse_quantity(parsed_as)
    except QuantityParseError:
        pass
    if chinese_number:  # a form the parser does not read (一千多万元): the numeral in Arabic digits
        arabic = _chinese_value(chinese_number)
        if arabic:
            try:
                return parse_quantity(parsed_as.replace(chinese_number, arabic, 1))
            except QuantityParseError:
                return None
    return None


def _is_count(text: str, match: re.Match) -> bool:
    """False for ranks (第二, 全省第4名, 前3位) and for classifiers that begin another word."""
    before = text[max(0, match.start() - 4) : match.start()]
    if _RANK_BEFORE.search(before):
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


def _parsed_form(match: re.Match, number: str) -> str:
    """What parse_quantity is given: the printed figure with a noun replaced by its classifier."""
    unit = "人" if match["people"] else "户" if match["households"] else match["counter"]
    groups = match.groupdict()
    prefix = groups["prefix"] if groups["prefix"] != "上" else ""
    middle = [groups.get(name) or "" for name in ("hedge1", "magnitude", "hedge2")]
    return "".join([prefix or "", number, *middle, unit, groups["hedge3"] or ""])


def find_figures(text: str) -> list[PrintedFigure]:
    """Every printed figure of one normalised line, in order of position."""
    if not any(char.isdigit() for char in text) and not any(c in text for c in _CN_DIGITS + "百千万"):
        return []
    names = name_spans(text)
    found: list[PrintedFigure] = []
    taken: list[tuple[int, int]] = []

    def keep(start: int, end: int, printed: str, quantity: Quantity | None, parsed_as: str) -> None:
        if quantity is None or _inside(start, names) or any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(PrintedFigure(start, end, printed.replace(" ", ""), quantity, parsed_as))

    for match in _ARABIC.finditer(text):
        if not _is_count(text, match):
            continue
        if match["counter"] == "度" and not match["magnitude"] and float(match["number"].replace(",", "")) < 1000:
            continue  # 38度, 360度: temperatures and angles, not kilowatt-hours
        parsed_as = _parsed_form(match, match["number"])
        keep(match.start(), match.end(), match.group(), _quantity(parsed_as.replace(" ", "")), parsed_as)

    if any(c in text for c in _CN_DIGITS + "十百千万"):
        for match in _CHINESE.finditer(text):
            number = match["number"]
            digits = any(c in _CN_DIGITS for c in number)
            magnitudes = any(c in _CN_MAGNITUDES for c in number)
            hedged = match["prefix"] or match["hedge1"] or match["hedge3"]
            if number in ("万", "千") and hedged:  # 近万人, 千余人
                number = "一" + number
            elif not (digits and magnitudes) and "点" not in number:
                continue  # 五项重点工作, 两不愁, 十项: a single numeral names things, it does not count them
            if not _is_count(text, match):
                continue
            parsed_as = _parsed_form(match, number)
            keep(match.start(), match.end(), match.group(), _quantity(parsed_as, number), parsed_as)
        for match in _CN_PERCENT.finditer(text):
            parsed_as = match["number"] + "%"
            keep(match.start(), match.end(), match.group(), _quantity(parsed_as, match["number"]), parsed_as)

    return sorted(found, key=lambda figure: figure.start)
