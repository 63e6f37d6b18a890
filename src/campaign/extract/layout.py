"""Tell a report's article from the web page around it: title, body paragraphs, headings and debris."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .reading import Line

# Roles of a line. Only title, heading and body lines are read for figures; debris never is.
TITLE, HEADING, BODY, DEBRIS = "title", "heading", "body", "debris"

# Header and footer fields of a news page ("来源：", "发布时间：", "责任编辑："): a short line
# that starts with one of them is page furniture, not article.
_FIELD_RE = re.compile(
    r"^[\[【(（<>《〔\s]*(?:来源|信息来源|文章来源|稿件来源|稿源|发布时间|发布日期|发稿时间|更新时间|时间|日期|"
    r"作者|编辑|责任编辑|责编|编审|审核|审校|校对|初审|复审|终审|签发|供稿|供图|摄影|图片|字体|字号|"
    r"浏览|阅读|点击|访问|索引号|发文机关|发文字号|主题分类|成文日期|发布机构|所属机构|分类|标签|关键词|"
    r"打印|关闭|分享|收藏|评论|点赞|转发|链接|附件|相关附件)\s*[:：]"
)
# Words of page furniture wherever they stand in a short line.
_FURNITURE_RE = re.compile(
    r"分享到|扫一扫|扫描二维码|二维码|微信扫|QQ空间|新浪微博|微信好友|朋友圈|打印本页|关闭窗口|返回顶部|收藏本页|"
    r"上一篇|下一篇|相关新闻|相关阅读|相关链接|相关文章|推荐阅读|延伸阅读|热点新闻|热门推荐|猜你喜欢|"
    r"版权所有|版权声明|Copyright|copyright|COPYRIGHT|©|ICP备|ICP证|公网安备|网站标识码|网站地图|"
    r"主办单位|承办单位|主办[:：]|承办[:：]|技术支持|联系电话|联系我们|电话[:：]|传真|邮编|邮政编码|地址[:：]|"
    r"免责|违法和不良信息|举报电话|举报邮箱|建议使用|分辨率|浏览器|"
    r"浏览量|阅读量|访问量|点击量|浏览次数|阅读次数|点击数|访问次数|人阅读|次阅读|人浏览|次浏览|"
    r"【打印】|【关闭】|\[打印\]|\[关闭\]|责任编辑|编辑[:：]|来源[:：]|撤稿|"
    r"字号|字体|当前位置|您的位置|所在位置|访客|访问者|在线人数|长者模式|繁体版|简体版"
)
# After the article begins, a line with one of these ends it: what follows is the page's tail.
_TAIL_RE = re.compile(
    r"^[>\s【\[(（]*(?:相关新闻|相关阅读|相关链接|相关文章|推荐阅读|延伸阅读|热点新闻|上一篇|下一篇|"
    r"责任编辑|版权所有|分享到|扫一扫|【打印|打印本页|关闭窗口)"
)
_SEPARATOR_RE = re.compile(r"\s*(?:\||｜|>|»|›|/|·|\s-\s|\s{2,})\s*")
_DATE_ONLY_RE = re.compile(r"^[\d\s\-/:.年月日时分秒号()（）星期周一二三四五六日天]+$")
_SENTENCE_MARKS = "。，,；;！？!?"
_COUNT = re.compile(r"(?<![0-9.,])[0-9][0-9.,]*+\s?[万亿千]?\s?[人户元个项期次%名家亩吨]")
_SHORT = 40  # characters: furniture lines are short; article paragraphs seldom are


@dataclass(frozen=True)
class Paragraph:
    """A line with its role and, for article lines other than the title, its paragraph number."""

    line: Line
    role: str
    paragraph: int | None = None

    @property
    def locator(self) -> str:
        return f"paragraph {self.paragraph}" if self.paragraph else f"line {self.line.number}"


def is_debris(text: str) -> bool:
    """Navigation, share and editor lines, bare dates and times, footers with phones and licences."""
    stripped = text.strip()
    if _DATE_ONLY_RE.match(stripped):
        return True
    short = len(stripped) <= _SHORT or not any(mark in stripped for mark in "。；;！？!?")
    if short and _FIELD_RE.match(stripped):
        return True
    if (short or len(stripped) <= 80) and _FURNITURE_RE.search(stripped):
        return True
    if any(mark in stripped for mark in "。，；,;"):
        return False
    parts = [p for p in _SEPARATOR_RE.split(stripped) if p]
    menu = len(parts) >= 3 and sum(map(len, parts)) / len(parts) <= 8  # 首页 > 新闻中心 > 本地新闻
    return menu and not _COUNT.search(stripped)  # a table row (务工就业 | 104731人 | 105.28%) is no menu


def _is_prose(text: str) -> bool:
    return len(text) > 60 or any(mark in text for mark in "。；;！？!?")


def _is_heading(text: str) -> bool:
    """A short label line: 一、务工就业 · 【小额信贷】 · 三是消费帮扶 (no sentence, no clause break)."""
    return len(text) <= 24 and not any(mark in text for mark in _SENTENCE_MARKS)


def _header_field(text: str) -> bool:
    return len(text) <= _SHORT * 2 and _FIELD_RE.match(text) is not None


def lay_out(lines: list[Line]) -> list[Paragraph]:
    """Give every line a role; number the article's paragraphs from 1 as the raw files' locators do.

    The title is the first line that is not debris, unless that line is already prose; the
    page's tail (related news, editor, copyright) starts at the first tail line after the
    article has begun, and everything from there is debris, until a next article: a line
    followed by a page header field (来源：, 发布时间：), as in pages saved one after another.
    """
    paragraphs: list[Paragraph] = []
    number = 0
    title_seen = article_begun = tail = False
    for index, line in enumerate(lines):
        text = line.text
        if tail and not is_debris(text) and index + 1 < len(lines) and _header_field(lines[index + 1].text):
            tail = article_begun = title_seen = False  # the title of the next page
            number = 0
        if article_begun and not tail and len(text) <= 80 and _TAIL_RE.match(text):
            tail = True
        if tail or is_debris(text):
            paragraphs.append(Paragraph(line, DEBRIS))
            continue
        if not title_seen and not article_begun:
            title_seen = True
            if not _is_prose(text):
                paragraphs.append(Paragraph(line, TITLE))
                continue
        number += 1
        article_begun = True
        paragraphs.append(Paragraph(line, HEADING if _is_heading(text) else BODY, number))
    return paragraphs
