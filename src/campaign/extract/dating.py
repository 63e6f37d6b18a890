"""The date of each figure of a report, from the period expressions of its text."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import replace

from .layout import TITLE, Paragraph
from .periods import PeriodMark, find_period_marks, whole_year_in_view
from .printed import PrintedFigure

_LIST_MARKS = tuple("●○■□◆◇▲△▶►•▪◎★☆")


class Periods:
    """The period expressions of a text, to date its figures. An expression carries on to the
    figures after it, into later paragraphs; a date without 截至 (8月底即达到) holds in its own
    sentence only, and a date in an item of a list (●…) in that item only; a headline takes the text's first date; without any, the publication date."""

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
                if mark.until is None and paragraph.line.text.lstrip().startswith(_LIST_MARKS):
                    # an item of a list (●…) is a fact of its own: its dates do not carry to the next
                    mark = replace(mark, until=len(paragraph.line.text))
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
