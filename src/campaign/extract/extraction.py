"""Extract a report's figures with their provenance: line, paragraph, indicator, region and period."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple

from campaign.core.registers import Registers

from .indicators import (
    CLAUSE,
    LABEL,
    NEAR_AFTER,
    NEAR_BEFORE,
    SENTENCE,
    WINDOW_WORDS,
    IndicatorMatcher,
    Placements,
)
from .layout import DEBRIS, HEADING, TITLE, Paragraph, lay_out
from .periods import PeriodMark, find_period_marks, whole_year_in_view
from .printed import PrintedFigure, find_printed
from .quantities import parse_all
from .reading import Normaliser
from .regions import detect_region

# Quotation marks come out of the words an alias is matched against (完成“百日攻坚”目标任务).
_QUOTE_MARKS = "“”‘’「」『』\"'《》〈〉"
_QUOTE_RE = re.compile(f"[{_QUOTE_MARKS}]")
_CLAUSE_END = re.compile(r"[。;；!?！？:：，]|,(?!\d{3}(?!\d))")
_SENTENCE_END = re.compile(r"[。;；!?！？]")
_LABEL = re.compile(r"^[^,，。;；:：]{2,16}[:：]")
_LINKING = re.compile(r"的|为|是|达到|达|约|共|占")
_AVERAGE = re.compile(r"(?:户均|人均|平均|每户|每人)[^,，。;；、]{0,4}$")
# Words that make the figure after them a target, not a result (力争全年…达到, 目标任务为, 确保…高于).
_TARGET_WORDS = re.compile(
    r"力争|确保|目标任务为|目标为|任务为|目标是|计划(?:全年|年内|今年|到|在|完成|实现|达到|新增|发放|投放)|预期|要求达到|将达到"
)
_TARGET_HINT = re.compile("[力确目任计预将要]")
# A figure that follows the word for a target (年度任务3.4亿元, 目标为…)
_TARGET_BEFORE = re.compile(r"(?:任务|目标|计划)(?:为|是|数)?\s*$")
# "from X to Y": 户贷率从去年的11.44%提高到今年的14.81%; 由2018年的172万减少到今年底的43万.
_FROM_BEFORE = re.compile(r"(?:从|由)(?P<year>去年|上年|\d{4}年)?(?:底|末|年底|年末)?的?\s*$")
_TO_BETWEEN = re.compile(
    r"^\s*[^,，。;；0-9]{0,6}?(?:提高|提升|增加|增长|上升|下降|减少|降低|降|升|扩大|缩小|变为)(?:到|至)"
    r"(?:今年|本年|去年|\d{4}年)?(?:底|末|年底|年末)?的?\s*$"
)


@dataclass(slots=True)
class ExtractedFigure:
    """One printed figure with everything a review row shows."""

    line: int
    printed: str
    value: float
    unit: str
    lower: float
    upper: float
    approximate: bool
    indicator: str
    region: str
    period_end: str
    sentence: str
    locator: str
    note: str = ""
    why: str = ""  # the words (an alias, a pattern) that gave the indicator
    uncertain: bool = False  # the review must look at this row before it can be written


@dataclass(frozen=True)
class Extraction:
    """The figures of one report, with the title and region it names."""

    figures: list[ExtractedFigure]
    title: str
    region: str
    published: dt.date


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``text`` cut at ``pattern``."""
    cuts = [0, *(m.end() for m in pattern.finditer(text)), len(text)]
    return list(zip(cuts, cuts[1:], strict=False))


def _around(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    index = bisect.bisect_right(spans, (position, 1 << 30)) - 1
    return spans[max(index, 0)]


class _Context:
    """A line without quotation marks, for matching words, with its clauses and sentences."""

    def __init__(self, text: str, matcher: IndicatorMatcher, figures: list[PrintedFigure]):
        self.quotes = [m.start() for m in _QUOTE_RE.finditer(text)]
        self.text = _QUOTE_RE.sub("", text) if self.quotes else text
        self.clauses = _spans(_CLAUSE_END, self.text)
        self.sentences = _spans(_SENTENCE_END, self.text)
        label = _LABEL.match(self.text)
        self.label_end = label.end() if label else 0
        # Words are looked for only in the sentences with figures (and a label before them).
        ranges = list(dict.fromkeys(_around(self.sentences, self.position(f.start)) for f in figures))
        if self.label_end and ranges[0][0] > 0:
            ranges.insert(0, (0, self.label_end))
        self.placements: Placements = matcher.placements(self.text, ranges)
        self.target_words = _TARGET_HINT.search(self.text) is not None

    def position(self, index: int) -> int:
        """Where ``index`` of the line stands in the text without quotation marks."""
        return index - bisect.bisect_left(self.quotes, index) if self.quotes else index


class _Near(NamedTuple):
    """A figure among the words of its line: its near-before window starts at ``before``, its
    near-after window ends at ``after``; ``clause`` and ``sentence`` are (start, end)."""

    before: int
    start: int
    end: int
    after: int
    clause: tuple[int, int]
    sentence: tuple[int, int]


class _Periods:
    """The period expressions of a text, to date its figures. An expression carries on to the
    figures after it, into later paragraphs; a date without 截至 (8月底即达到) holds in its own
    sentence only; a headline takes the text's first date; without any, the publication date."""

    def __init__(self, content: list[Paragraph], published: dt.date):
        self.published = published
        self.carried: list[tuple[int, PeriodMark]] = []
        self.local: dict[int, list[PeriodMark]] = {}
        last_dated: PeriodMark | None = None
        for paragraph in content:
            for mark in find_period_marks(paragraph.line.text, published):
                mark = whole_year_in_view(mark, last_dated, published)
                if mark.dated:
                    last_dated = mark
                if mark.until is None:
                    self.carried.append((paragraph.line.number, mark))
                else:
                    self.local.setdefault(paragraph.line.number, []).append(mark)
        self.where = [(line, mark.start) for line, mark in self.carried]  # in text order, for bisect
        self.first_dated = next((m for _, m in self.carried if m.dated), None)

    def of(self, paragraph: Paragraph, figure: PrintedFigure) -> dt.date:
        here = (paragraph.line.number, figure.start)
        before = bisect.bisect_right(self.where, here)
        own = [m for m in self.local.get(here[0], ()) if m.start <= figure.start < m.until]
        if own and (not before or self.where[before - 1] < (here[0], own[-1].start)):
            return own[-1].date
        if before:
            return self.carried[before - 1][1].date
        if paragraph.role == TITLE and self.first_dated is not None:
            return self.first_dated.date
        return self.published


@dataclass
class _Found:
    """A figure on its way to a row: the printed figure, its line and what was said of it."""

    paragraph: Paragraph
    figure: PrintedFigure
    indicator: str
    period: dt.date
    sentence: str
    implied_of: str = ""  # the whole whose part this row is said to equal (全部开工)
    why: str = ""
    rank: int = -1  # the window the indicator's words were found in (-1: no indicator, or a pattern)
    notes: list[str] | None = None
    uncertain: bool = False


class Extractor:
    """Reads report texts against one data folder's registers."""

    def __init__(self, registers: Registers, synonyms: dict[str, str] | None = None):
        self.registers = registers
        self.matcher = IndicatorMatcher(registers)
        self.normaliser = Normaliser(synonyms)

    def extract(self, text: str, published: dt.date, region: str | None = None) -> Extraction:
        paragraphs = lay_out(self.normaliser.lines(text))
        content = [p for p in paragraphs if p.role != DEBRIS]
        title = next((p.line.original for p in content if p.role == TITLE), "")
        region_name = region or detect_region(content, self.registers)

        periods = _Periods(content, published)
        found: list[_Found] = []
        section: Placements | None = None
        previous = ""  # the indicator of the figure before (a relative phrase binds to it alone)
        for paragraph in content:
            printed = find_printed(paragraph.line.text)
            if not printed:
                if paragraph.role == HEADING:
                    section = self.matcher.placements(_QUOTE_RE.sub("", paragraph.line.text))
                continue
            context = _Context(paragraph.line.text, self.matcher, printed)
            sentences = _spans(_SENTENCE_END, paragraph.line.text)
            nears = self._nears(context, printed)
            given: list[tuple[int, str]] = []  # (position, indicator) of the paragraph's figures so far
            has_qizhong = "其中" in context.text
            rows: list[_Found] = []
            for index, figure in enumerate(printed):
                near = nears[index]
                # A relative phrase (…占上年度, …同比增长) binds to a figure before it in its sentence,
                # nearest first, or, first in its sentence, to the figure just before.
                anchors = [i for p, i in reversed(given) if near.sentence[0] <= p and i]
                if not any(near.sentence[0] <= p for p, _ in given):
                    anchors = [previous] if previous else []
                label = self._indicator(context, printed, nears, index, section, anchors)
                indicator, implied, why, rank, notes = label
                split = (
                    context.text.rfind("其中", self._previous_sentence_start(context, near), near.start)
                    if indicator and has_qizhong
                    else -1
                )
                if split >= 0 and any(p < split and i == indicator for p, i in given):
                    # 其中: what follows breaks down a figure given before; it is not that figure again
                    notes.append(f"其中: a part of a figure given before, so not {indicator} again")
                    indicator, implied, why, rank = "", [], "", -1
                if figure.note:
                    notes.append(figure.note)
                given.append((near.start, indicator))
                previous = indicator
                period = periods.of(paragraph, figure)
                start, end = _around(sentences, figure.start)
                sentence = paragraph.line.original_span(start, end).strip()
                uncertain = bool(figure.note) or (indicator != "" and rank >= SENTENCE)
                if indicator and rank >= SENTENCE:
                    notes.append("the words that name the indicator stand away from the figure: check")
                row = _Found(paragraph, figure, indicator, period, sentence, "", why, rank, notes, uncertain)
                rows.append(row)
                rows += [
                    _Found(paragraph, figure, part, period, sentence, indicator, f"implied: {why}", rank, [], uncertain)
                    for part in implied
                ]
            if "从" in context.text or "由" in context.text:
                self._from_to(context, rows, published)
            if any(r.rank >= SENTENCE for r in rows):
                self._competing(rows, nears, printed)
            found += rows

        quantities = parse_all([f.figure for f in found])
        figures = [self._row(f, quantities[i], region_name) for i, f in enumerate(found) if quantities[i]]
        return Extraction(figures, title, region_name, published)

    @staticmethod
    def _nears(context: _Context, printed: list[PrintedFigure]) -> list[_Near]:
        """Where each figure of a line stands among its words, in the context's text."""
        spans = [(context.position(f.start), context.position(f.end)) for f in printed]
        nears = []
        for index, (start, end) in enumerate(spans):
            clause = _around(context.clauses, start)
            previous_end = spans[index - 1][1] if index else 0
            next_start = spans[index + 1][0] if index + 1 < len(spans) else len(context.text)
            before, after = max(clause[0], previous_end), min(clause[1], next_start)
            nears.append(_Near(before, start, end, after, clause, _around(context.sentences, start)))
        return nears

    @staticmethod
    def _previous_sentence_start(context: _Context, near: _Near) -> int:
        index = bisect.bisect_right(context.sentences, (near.sentence[0], 1 << 30)) - 1
        return near.sentence[0] if index <= 0 else context.sentences[index - 1][0]

    def _indicator(
        self,
        context: _Context,
        printed: list[PrintedFigure],
        nears: list[_Near],
        index: int,
        section: Placements | None,
        anchors: list[str],
    ) -> tuple[str, list[str], str, int, list[str]]:
        """(indicator, implied parts, why, window rank, notes) of the index-th figure of a line."""
        figure = printed[index]
        before, start, end, after, clause, sentence = nears[index]
        nothing = ("", [], "", -1, [])
        if "分别" in context.text:
            respective = self._respective(context, printed, index, sentence)
            if respective is not None:
                return respective, [], "分别: the name in the same place of the list before 分别", NEAR_BEFORE, []
        same_clause = index and before == context.position(printed[index - 1].end)
        if same_clause and figure.unit == "ratio" and not _LINKING.sub("", context.text[before:start]):
            # 完成年度任务5.125亿元的102%: a share's words stand before the figure it is a share of
            before = nears[index - 1].before
        windows = [
            (NEAR_BEFORE, before, end, start),
            (NEAR_AFTER, end, after, end),
            (CLAUSE, clause[0], clause[1], start),
            (SENTENCE, sentence[0], sentence[1], start),
        ]
        if context.label_end and context.label_end <= start:
            windows.append((LABEL, 0, context.label_end, start))
        placed = context.placements.of_unit(figure.unit)
        heading = section.of_unit(figure.unit) if section else []
        if not placed and not heading:
            return nothing
        if _AVERAGE.search(context.text, max(before, start - 8), start):
            # 户均4.67万元 is an average: only an indicator of one (人均纯收入) may name it
            placed = [p for p in placed if "均" in "".join(p[0].parts)]
            heading = []
        # In the clause and sentence, words beside another figure of the same unit are that figure's.
        claimed = [(n.before, n.after) for j, n in enumerate(nears) if j != index and printed[j].unit == figure.unit]
        match = self.matcher.best_match(placed, windows, anchors, heading, claimed)
        named_target = _TARGET_BEFORE.search(context.text, max(before, start - 6), start)
        if match and match[1] >= SENTENCE and self._is_target(match[0].indicator) and not named_target:
            # a target's words (…任务, …目标) count only beside the figure: far off they name another figure
            placed = [p for p in placed if not self._is_target(p[0].indicator)]
            heading = [p for p in heading if not self._is_target(p[0].indicator)]
            match = self.matcher.best_match(placed, windows, anchors, heading, claimed)
        if not match:
            return nothing
        alias, rank = match
        indicator = alias.indicator
        words = "…".join(alias.parts)
        why = f"{'…' if alias.relative else ''}{words} ({WINDOW_WORDS[rank]})"
        notes: list[str] = []
        target = _TARGET_WORDS.search(context.text, clause[0], start) if context.target_words else None
        if target and not self._is_result_of_target(indicator):
            own = self._target_of(indicator)
            name = self.matcher.indicators[indicator].name_zh
            if own:
                why = f"target word {target.group()} + {why}"
                indicator = own
            else:
                notes.append(f"a target ({target.group()}…) for {name}; the register has no target indicator for it")
                return "", [], "", -1, notes
        return indicator, self.matcher.implied_parts(indicator, context.text[end:after]), why, rank, notes

    def _is_target(self, indicator: str) -> bool:
        relation = self.matcher.indicators[indicator].relation
        return bool(relation and relation.kind == "target_of")

    def _is_result_of_target(self, indicator: str) -> bool:
        """Indicators that already speak of a target (the target itself, completion, distance from it)."""
        relation = self.matcher.indicators[indicator].relation
        return bool(relation and relation.kind in ("target_of", "completion_of_target", "above_target"))

    def _target_of(self, indicator: str) -> str:
        """The register's target indicator for ``indicator``, or empty."""
        return next(
            (
                i.id
                for i in self.matcher.indicators.values()
                if i.relation and i.relation.kind == "target_of" and i.relation.of == indicator
            ),
            "",
        )

    def _last_year_of(self, indicator: str) -> str:
        """The register's indicator for last year's level of ``indicator`` (上年户贷率), or empty."""
        name = self.matcher.indicators[indicator].name_zh
        wanted = {f"上年{name}", f"去年{name}"}
        return next(
            (i.id for i in self.matcher.indicators.values() if i.id != indicator and wanted & {i.name_zh, *i.aliases}),
            "",
        )

    def _from_to(self, context: _Context, rows: list[_Found], published: dt.date) -> None:
        """From X to Y (户贷率从去年的11.44%提高到今年的14.81%): Y is the indicator the words name, X
        its earlier level (last year's indicator where the register has one, else none)."""
        plain = [r for r in rows if not r.implied_of]
        for first, second in zip(plain, plain[1:], strict=False):
            a, b = first.figure, second.figure
            if a.unit != b.unit or first.paragraph is not second.paragraph:
                continue
            start_a, end_a, start_b = context.position(a.start), context.position(a.end), context.position(b.start)
            between = _TO_BETWEEN.match(context.text, end_a, start_b)
            origin = _FROM_BEFORE.search(context.text, max(0, start_a - 10), start_a)
            if not between or not origin:
                continue
            indicator = second.indicator or first.indicator
            if not indicator:
                continue
            why = first.why if first.indicator else second.why
            second.indicator, second.why, second.rank = indicator, f"from…to: the later level; {why}", first.rank
            year = origin["year"] or ""
            earlier = (
                self._last_year_of(indicator) if year in ("去年", "上年") or year == f"{published.year - 1}年" else ""
            )
            first.indicator, first.rank = earlier, first.rank if earlier else -1
            first.why = f"from…to: the earlier level ({year or 'before'})" if earlier else ""
            if not earlier:
                first.notes.append(f"from…to: the earlier level of {indicator}; the register has no indicator for it")

    @staticmethod
    def _competing(rows: list[_Found], nears: list[_Near], printed: list[PrintedFigure]) -> None:
        """Words far from the figures cannot name two of them: when figures of one sentence would take
        the same indicator and one of them takes it from far off, the far ones are left unlabelled."""
        by_sentence: dict[tuple[tuple[int, int], str], list[_Found]] = {}
        sentence_of = {id(f): n.sentence for f, n in zip(printed, nears, strict=True)}
        for row in rows:
            if row.indicator and not row.implied_of:
                by_sentence.setdefault((sentence_of[id(row.figure)], row.indicator), []).append(row)
        for (_, indicator), group in by_sentence.items():
            if len(group) < 2 or all(r.rank < SENTENCE for r in group):
                continue
            for row in group:
                if row.rank >= SENTENCE:
                    row.notes.append(
                        f"competing: {len(group)} figures of the sentence would be {indicator}; left for review"
                    )
                    row.indicator, row.why, row.rank, row.uncertain = "", "", -1, True

    def _respective(
        self, context: _Context, printed: list[PrintedFigure], index: int, sentence: tuple[int, int]
    ) -> str | None:
        """The k-th figure after 分别 (respectively) reports the k-th indicator named before it:
        A、B、C分别完成x、y和z. Ratios bind to them, after a second 分别 too: A和B分别为x、y，分别占上年度u和v."""
        start = context.position(printed[index].start)
        marks = [sentence[0] + m.start() for m in re.finditer("分别", context.text[sentence[0] : start])]
        if not marks:
            return None
        names: list[str] = []
        for mark in marks:  # a later 分别 that names nothing refers to the same list
            clause = _around(context.clauses, mark)
            names = self.matcher.named_in_order(context.placements, clause[0], mark) or names
        respectively = marks[-1]
        following = context.text.find("分别", respectively + 2, sentence[1])
        stop = following if following >= 0 else sentence[1]
        listed = [i for i, f in enumerate(printed) if respectively < context.position(f.start) < stop]
        if len(names) != len(listed) or index not in listed:
            return None
        named = names[listed.index(index)]
        unit = printed[index].unit
        if self.matcher.indicators[named].unit == unit:
            return named
        first = context.position(printed[listed[0]].start)
        relative = [p for p in context.placements.of_unit(unit) if p[0].relative]
        return self.matcher.best(relative, [(NEAR_BEFORE, respectively, first, first)], [named]) or None

    def _row(self, found: _Found, quantity, region: str) -> ExtractedFigure:
        paragraph, figure = found.paragraph, found.figure
        notes = list(found.notes or [])
        if paragraph.role == TITLE:
            notes.append("headline")
        if figure.parsed_as != figure.printed and not figure.foreign_unit and not figure.note:
            notes.append(f"read as {figure.parsed_as}")
        if found.implied_of:
            whole = self.registers.indicators[found.implied_of].name_zh
            part = self.registers.indicators[found.indicator].name_zh
            notes.append(f"implied: the text says all of {whole} are {part} (全部)")
        return ExtractedFigure(
            line=paragraph.line.number,
            printed=figure.printed,
            value=quantity.value,
            unit=quantity.unit,
            lower=quantity.lower,
            upper=quantity.upper,
            approximate=quantity.approximate,
            indicator=found.indicator,
            region=region,
            period_end=found.period.isoformat(),
            sentence=found.sentence,
            locator=paragraph.locator,
            note="; ".join(notes),
            why=found.why,
            uncertain=found.uncertain,
        )
