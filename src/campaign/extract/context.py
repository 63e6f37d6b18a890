"""A line of a report as the extractor reads its words: without quotation marks, cut into clauses
and sentences, with the place of each printed figure among them."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from .indicators import IndicatorMatcher, Placements
from .printed import PrintedFigure

# Quotation marks come out of the words an alias is matched against (完成“百日攻坚”目标任务).
_QUOTE_MARKS = "“”‘’「」『』\"'《》〈〉"
QUOTE_RE = re.compile(f"[{_QUOTE_MARKS}]")
_CLAUSE_END = re.compile(r"[。;；!?！？:：，]|,(?!\d{3}(?!\d))")
SENTENCE_END = re.compile(r"[。;；!?！？]")
_LABEL = re.compile(r"^[^,，。;；:：]{2,16}[:：]")

# Characters of the words that make a figure a target (labelling.py): a line without any has none.
TARGET_HINT = re.compile("[力确目任计预将要]")


def spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``text`` cut at ``pattern``."""
    cuts = [0, *(m.end() for m in pattern.finditer(text)), len(text)]
    return list(zip(cuts, cuts[1:], strict=False))


def around(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    index = bisect.bisect_right(spans, (position, 1 << 30)) - 1
    return spans[max(index, 0)]


class LineContext:
    """A line without quotation marks, for matching words, with its clauses and sentences."""

    def __init__(self, text: str, matcher: IndicatorMatcher, figures: list[PrintedFigure]):
        self.quotes = [m.start() for m in QUOTE_RE.finditer(text)]
        self.text = QUOTE_RE.sub("", text) if self.quotes else text
        self.clauses = spans(_CLAUSE_END, self.text)
        self.sentences = spans(SENTENCE_END, self.text)
        label = _LABEL.match(self.text)
        self.label_end = label.end() if label else 0
        # Words are looked for only in the sentences with figures (and a label before them).
        ranges = list(dict.fromkeys(around(self.sentences, self.position(f.start)) for f in figures))
        if self.label_end and ranges[0][0] > 0:
            ranges.insert(0, (0, self.label_end))
        self.placements: Placements = matcher.placements(self.text, ranges)
        self.target_words = TARGET_HINT.search(self.text) is not None

    def position(self, index: int) -> int:
        """Where ``index`` of the line stands in the text without quotation marks."""
        return index - bisect.bisect_left(self.quotes, index) if self.quotes else index


class Near(NamedTuple):
    """A figure among the words of its line: its near-before window starts at ``before``, its
    near-after window ends at ``after``; ``clause`` and ``sentence`` are (start, end)."""

    before: int
    start: int
    end: int
    after: int
    clause: tuple[int, int]
    sentence: tuple[int, int]


def near_windows(context: LineContext, printed: list[PrintedFigure]) -> list[Near]:
    """Where each figure of a line stands among its words, in the context's text."""
    spans = [(context.position(f.start), context.position(f.end)) for f in printed]
    nears = []
    for index, (start, end) in enumerate(spans):
        clause = around(context.clauses, start)
        previous_end = spans[index - 1][1] if index else 0
        next_start = spans[index + 1][0] if index + 1 < len(spans) else len(context.text)
        before, after = max(clause[0], previous_end), min(clause[1], next_start)
        nears.append(Near(before, start, end, after, clause, around(context.sentences, start)))
    return nears


def previous_sentence_start(context: LineContext, near: Near) -> int:
    index = bisect.bisect_right(context.sentences, (near.sentence[0], 1 << 30)) - 1
    return near.sentence[0] if index <= 0 else context.sentences[index - 1][0]
