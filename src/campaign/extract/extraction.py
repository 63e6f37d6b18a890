"""Extract a report's figures with their provenance: line, paragraph, indicator, region and period."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from campaign.core.registers import Registers

from .context import QUOTE_RE, SENTENCE_END, LineContext, around, near_windows, previous_sentence_start, spans
from .dating import Periods
from .indicators import SENTENCE, IndicatorMatcher, Placements
from .labelling import Found, Labeller
from .layout import DEBRIS, HEADING, TITLE, lay_out
from .printed import find_printed
from .quantities import parse_all
from .reading import Normaliser
from .regions import detect_region

_THIS_YEAR = re.compile("今年|本年|当年|新增")  # words that make a flow the year's own, not a longer total


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


class Extractor:
    """Reads report texts against one data folder's registers."""

    def __init__(self, registers: Registers, synonyms: dict[str, str] | None = None):
        self.registers = registers
        self.matcher = IndicatorMatcher(registers)
        self.labeller = Labeller(self.matcher)
        self.normaliser = Normaliser(synonyms)

    def extract(self, text: str, published: dt.date, region: str | None = None) -> Extraction:
        paragraphs = lay_out(self.normaliser.lines(text))
        content = [p for p in paragraphs if p.role != DEBRIS]
        title = next((p.line.original for p in content if p.role == TITLE), "")
        region_name = region or detect_region(content, self.registers)

        periods = Periods(content, published)
        found: list[Found] = []
        section: Placements | None = None
        previous = ""  # the indicator of the figure before (a relative phrase binds to it alone)
        for paragraph in content:
            printed = find_printed(paragraph.line.text)
            if not printed:
                if paragraph.role == HEADING:
                    section = self.matcher.placements(QUOTE_RE.sub("", paragraph.line.text))
                continue
            context = LineContext(paragraph.line.text, self.matcher, printed)
            sentences = spans(SENTENCE_END, paragraph.line.text)
            nears = near_windows(context, printed)
            given: list[tuple[int, str]] = []  # (position, indicator) of the paragraph's figures so far
            this_year: list[str] = []  # indicators given so far as the year's own (今年新增…)
            has_qizhong = "其中" in context.text
            rows: list[Found] = []
            for index, figure in enumerate(printed):
                near = nears[index]
                # A relative phrase (…占上年度, …同比增长) binds to a figure before it in its sentence,
                # nearest first, or, first in its sentence, to the figure just before.
                anchors = [i for p, i in reversed(given) if near.sentence[0] <= p and i]
                if not any(near.sentence[0] <= p for p, _ in given):
                    anchors = [previous] if previous else []
                label = self.labeller.indicator(context, printed, nears, index, section, anchors)
                indicator, implied, why, rank, notes = label
                split = (
                    context.text.rfind("其中", previous_sentence_start(context, near), near.start)
                    if indicator and has_qizhong
                    else -1
                )
                if split >= 0 and any(p < split and i == indicator for p, i in given):
                    # 其中: what follows breaks down a figure given before; it is not that figure again
                    notes.append(f"其中: a part of a figure given before, so not {indicator} again")
                    indicator, implied, why, rank = "", [], "", -1
                if (
                    indicator
                    and self.registers.indicators[indicator].measure == "flow"
                    and "累计" in context.text[near.clause[0] : near.start]
                    and any(i == indicator for i in this_year)
                ):
                    # 今年新增投放…万元…累计投放…万元: after the year's amount, 累计 is a longer total
                    notes.append(f"累计 after the year's figure: a total over a longer span, not {indicator}")
                    indicator, implied, why, rank = "", [], "", -1
                if figure.note:
                    notes.append(figure.note)
                given.append((near.start, indicator))
                if _THIS_YEAR.search(context.text, near.clause[0], near.start):
                    this_year.append(indicator)
                previous = indicator
                period = periods.of(paragraph, figure)
                if self.labeller.expected(context, near):  # a target or forecast: its year's end
                    period = dt.date(period.year, 12, 31)
                start, end = around(sentences, figure.start)
                sentence = paragraph.line.original_span(start, end).strip()
                uncertain = bool(figure.note) or (indicator != "" and rank >= SENTENCE)
                if indicator and rank >= SENTENCE:
                    notes.append("the words that name the indicator stand away from the figure: check")
                row = Found(paragraph, figure, indicator, period, sentence, "", why, rank, notes, uncertain)
                rows.append(row)
                rows += [
                    Found(paragraph, figure, part, period, sentence, indicator, f"implied: {why}", rank, [], uncertain)
                    for part in implied
                ]
            if "从" in context.text or "由" in context.text:
                self.labeller.from_to(context, rows, published)
            if any(r.rank >= SENTENCE for r in rows):
                self.labeller.competing(rows, nears, printed)
            found += rows

        quantities = parse_all([f.figure for f in found])
        figures = [self._row(f, quantities[i], region_name) for i, f in enumerate(found) if quantities[i]]
        return Extraction(figures, title, region_name, published)

    def _row(self, found: Found, quantity, region: str) -> ExtractedFigure:
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
