"""Extract a report's figures with their provenance: line, paragraph, indicator, region and period."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import accumulate

from ..registers import Registers
from .figures import PrintedFigure, find_figures
from .indicators import CLAUSE, LABEL, NEAR_AFTER, NEAR_BEFORE, SECTION, SENTENCE, IndicatorMatcher, Occurrences
from .layout import DEBRIS, HEADING, TITLE, Paragraph, lay_out
from .periods import PeriodMark, find_period_marks
from .reading import Normaliser
from .regions import detect_region

# Quotation marks come out of the words an alias is matched against (完成“百日攻坚”目标任务).
_QUOTES = str.maketrans("", "", "“”‘’「」『』\"'《》〈〉")
_CLAUSE_END = re.compile(r"[。;；!?！？:：，]|,(?!\d{3}(?!\d))")
_SENTENCE_END = re.compile(r"[。;；!?！？]")
_LABEL = re.compile(r"^[^,，。;；:：]{2,16}[:：]")


@dataclass(frozen=True)
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
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a] or [(0, len(text))]


def _around(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= position < end:
            return start, end
    return spans[-1]


class _Context:
    """A line without quotation marks, for matching words, and the map from line positions."""

    def __init__(self, text: str, matcher: IndicatorMatcher):
        self.text = text.translate(_QUOTES)
        if len(self.text) == len(text):
            self.position: list[int] | range = range(len(text) + 1)
        else:
            removed = list(accumulate(0 if char.translate(_QUOTES) else 1 for char in text))
            self.position = [0, *(i + 1 - r for i, r in enumerate(removed))]
        self.occurrences = matcher.occurrences(self.text)
        self.clauses = _spans(_CLAUSE_END, self.text)
        self.sentences = _spans(_SENTENCE_END, self.text)
        label = _LABEL.match(self.text)
        self.label_end = label.end() if label else 0


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

        marks: list[tuple[int, PeriodMark]] = []
        for p in content:
            marks += [(p.line.number, mark) for mark in find_period_marks(p.line.text, published)]
        first_dated = next((m for _, m in marks if m.dated), None)

        figures: list[ExtractedFigure] = []
        section: Occurrences | None = None
        earlier: list[str] = []  # indicators of the figures before, in the paragraph and the last one before it
        for paragraph in content:
            found = find_figures(paragraph.line.text)
            if not found:
                if paragraph.role == HEADING:
                    section = self.matcher.occurrences(paragraph.line.text.translate(_QUOTES))
                continue
            context = _Context(paragraph.line.text, self.matcher)
            earlier = earlier[-1:]
            for index, figure in enumerate(found):
                indicator, implied = self._indicator(context, found, index, section, earlier[::-1])
                if indicator:
                    earlier.append(indicator)
                period = self._period(paragraph, figure, marks, first_dated, published)
                row = self._row(paragraph, figure, indicator, region_name, period)
                figures.append(row)
                for part in implied:
                    figures.append(self._implied(row, part))
        return Extraction(figures, title, region_name, published)

    def _indicator(
        self,
        context: _Context,
        found: list[PrintedFigure],
        index: int,
        section: Occurrences | None,
        anchors: list[str],
    ) -> tuple[str, list[str]]:
        figure = found[index]
        start, end = context.position[figure.start], context.position[figure.end]
        clause = _around(context.clauses, start)
        sentence = _around(context.sentences, start)
        previous_end = context.position[found[index - 1].end] if index else 0
        next_start = context.position[found[index + 1].start] if index + 1 < len(found) else len(context.text)
        occurrences = context.occurrences
        windows = [
            (NEAR_BEFORE, occurrences, max(clause[0], previous_end), end, start),
            (NEAR_AFTER, occurrences, end, min(clause[1], next_start), end),
            (CLAUSE, occurrences, clause[0], clause[1], start),
            (SENTENCE, occurrences, sentence[0], sentence[1], start),
        ]
        if context.label_end and context.label_end <= start:
            windows.append((LABEL, occurrences, 0, context.label_end, start))
        extra = [section] if section is not None else []
        if section is not None:
            windows.append((SECTION, section, 0, 10**6, 10**6))
        aliases = self.matcher.candidates(figure.unit, occurrences, *extra)
        respective = self._respective(context, found, index, sentence, aliases)
        if respective is not None:
            return respective, []
        match = self.matcher.best(aliases, windows, anchors) if aliases else None
        if match is None:
            return "", []
        after = context.text[end : min(clause[1], next_start)]
        return match.indicator, self.matcher.implied_parts(match.indicator, after)

    def _respective(
        self, context: _Context, found: list[PrintedFigure], index: int, sentence: tuple[int, int], aliases
    ) -> str | None:
        """The k-th figure after 分别 (respectively) reports the k-th indicator named before it:
        A、B、C分别完成x、y和z. Ratios bind to them, after a second 分别 too: A和B分别为x、y，分别占上年度u和v."""
        start = context.position[found[index].start]
        marks = [m.start() for m in re.finditer("分别", context.text[sentence[0] : start])]
        if not marks:
            return None
        marks = [sentence[0] + m for m in marks]
        names: list[str] = []
        for mark in marks:  # a later 分别 that names nothing refers to the same list
            clause = _around(context.clauses, mark)
            names = self.matcher.named_in_order(context.occurrences, clause[0], mark) or names
        respectively = marks[-1]
        following = context.text.find("分别", respectively + 2, sentence[1])
        stop = following if following >= 0 else sentence[1]
        listed = [i for i, f in enumerate(found) if respectively < context.position[f.start] < stop]
        if len(names) != len(listed) or index not in listed:
            return None
        named = names[listed.index(index)]
        if self.matcher.indicators[named].unit == found[index].unit:
            return named
        first = context.position[found[listed[0]].start]
        window = [(NEAR_BEFORE, context.occurrences, respectively, first, first)]
        match = self.matcher.best([a for a in aliases if a.relative], window, [named])
        return match.indicator if match else None

    @staticmethod
    def _period(
        paragraph: Paragraph,
        figure: PrintedFigure,
        marks: list[tuple[int, PeriodMark]],
        first_dated: PeriodMark | None,
        published: dt.date,
    ) -> dt.date:
        """The latest period expression at or before the figure; a headline takes the text's first."""
        where = (paragraph.line.number, figure.start)
        before = [mark for line, mark in marks if (line, mark.start) <= where]
        if before:
            return before[-1].date
        if paragraph.role == TITLE and first_dated is not None:
            return first_dated.date
        return published

    def _row(
        self, paragraph: Paragraph, figure: PrintedFigure, indicator: str, region: str, period: dt.date
    ) -> ExtractedFigure:
        line = paragraph.line
        start, end = _around(_spans(_SENTENCE_END, line.text), figure.start)
        notes = []
        if paragraph.role == TITLE:
            notes.append("headline")
        if figure.parsed_as != figure.printed:
            notes.append(f"read as {figure.parsed_as}")
        q = figure.quantity
        return ExtractedFigure(
            line=line.number,
            printed=figure.printed,
            value=q.value,
            unit=q.unit,
            lower=q.lower,
            upper=q.upper,
            approximate=q.approximate,
            indicator=indicator,
            region=region,
            period_end=period.isoformat(),
            sentence=line.original_span(start, end).strip(),
            locator=paragraph.locator,
            note="; ".join(notes),
        )

    def _implied(self, row: ExtractedFigure, indicator: str) -> ExtractedFigure:
        from dataclasses import replace

        whole = self.registers.indicators[row.indicator].name_zh
        part = self.registers.indicators[indicator].name_zh
        note = f"implied: the text says all of {whole} are {part} (全部)"
        return replace(row, indicator=indicator, note="; ".join(filter(None, [row.note, note])))
