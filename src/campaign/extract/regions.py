"""The region a report is about, and the register row (slug from pinyin) for a region not yet known."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from campaign.core.registers import Registers

if TYPE_CHECKING:
    from .layout import Paragraph

# Administrative suffixes, longest first, with the register level they give.
SUFFIX_LEVELS = {
    "自治州": "prefecture",
    "自治县": "county",
    "自治区": "province",
    "地区": "prefecture",
    "省": "province",
    "市": "prefecture",
    "盟": "prefecture",
    "州": "prefecture",
    "县": "county",
    "区": "county",
    "旗": "county",
}
# A place named in a title or as the actor of a sentence: 晋城市, 武乡县, 上党区 at the start, or
# before the bodies that govern it (市委, 县政府, 市乡村振兴局).
_NAMED = re.compile(r"^([\u4e00-\u9fff]{1,3}?)(市|县|区|盟)(?![场民长级直])")
_GOVERNED = re.compile(
    r"([\u4e00-\u9fff]{2,3}?)(市|县|区)(?:委|人民政府|政府|乡村振兴局|农业农村局|人社局|财政局|扶贫办)"
)
_OPENING = 40  # lines read for the region: a report names its place early
# Words ending in a suffix that are not places (全市, 城市, 超市, 市县).
_NOT_PLACES = set("全本各我该此城超门股夜集都上县市省区城乡两三四五六七八九十")


def _plausible(stem: str) -> bool:
    return not any(char in _NOT_PLACES for char in stem[:1]) and not stem.endswith(("的", "和", "在", "对"))


def detect_region(content: list[Paragraph], registers: Registers) -> str:
    """A region the text names: the place its title opens with, else the known or governing place
    named most often in its opening lines, else 中国 for a national text (全国 and no place);
    empty when none is found."""
    known = {r.name_zh: r for r in registers.regions.values() if len(r.name_zh) >= 2}
    title = next((p.line.text for p in content if p.role == "title"), "")
    body = [p.line.text for p in content[:_OPENING] if p.role != "title"]
    for text in [title, *body[:1]]:
        match = _NAMED.match(re.sub(r"^[【\[（(][^】\]）)]*[】\]）)]", "", text))
        if match and _plausible(match.group(1)) and (len(match.group(1)) > 1 or match.group(2) == "县"):
            return match.group(1) + match.group(2)  # one-character names are counties: 沁县
    counts: Counter[str] = Counter()
    joined = "\n".join([title, *body])
    for name in known:
        if name != "中国" and name in joined:
            counts[name] += joined.count(name) * 2
    for match in _GOVERNED.finditer(joined):
        if _plausible(match.group(1)):
            counts[match.group(1) + match.group(2)] += 1
    if counts:
        return counts.most_common(1)[0][0]
    if "全国" in joined or "中国" in joined:
        return known["中国"].name_zh if "中国" in known else "中国"
    return ""


def split_suffix(name_zh: str) -> tuple[str, str]:
    """(stem, suffix): 晋城市 -> (晋城, 市); a name without a known suffix keeps it all."""
    for suffix in SUFFIX_LEVELS:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix):
            return name_zh[: -len(suffix)], suffix
    return name_zh, ""


def pinyin_slug(name_zh: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """An ASCII, lower-case slug from the name's pinyin without its suffix (晋城市 -> jincheng),
    made unique against ``taken`` with the suffix's pinyin, then a number."""
    from pypinyin import Style, lazy_pinyin

    stem, suffix = split_suffix(name_zh)

    def ascii_pinyin(text: str) -> str:
        syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore", v_to_u=False)
        return re.sub(r"[^a-z0-9]", "", "".join(syllables).lower().replace("ü", "v"))

    base = ascii_pinyin(stem) or "region"
    candidates = [base]
    if suffix:
        candidates.append(f"{base}-{ascii_pinyin(suffix)}")
    candidates += [f"{base}-{n}" for n in range(2, 100)]
    return next(c for c in candidates if c not in taken)


def english_name(slug: str) -> str:
    """The English name: the slug's stem, capitalised (jincheng -> Jincheng)."""
    return slug.split("-")[0].capitalize()


def region_level(name_zh: str) -> str:
    return SUFFIX_LEVELS.get(split_suffix(name_zh)[1], "prefecture")
