"""What a task's charts and tables show, as records: which drawing, which rows, which words.

A task says what to draw (the rows, their values with intervals, the catalogue keys of every
label, title and caption, and how values are written); campaign.view.drawing puts the words into
the run's language and draws it. So a task module holds its chart's specification and imports
nothing of the report layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from campaign.core.estimates import Estimate
from campaign.tasks.findings import Amount


@dataclass(frozen=True)
class Words:
    """A message of the run's catalogue, by id, with its values (put into words by the view)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def words(key: str, **values: Any) -> Words:
    return Words(key, values)


@dataclass(frozen=True)
class Name:
    """A register entry (region, indicator, task), written as its name in the run's language."""

    thing: Any


@dataclass(frozen=True)
class Style:
    """How a chart or table writes a value.

    ``kind``: "amount" (in ``unit``, optionally in the language's ``scale`` message) or "percent"
    (``places`` decimals at most). ``half_width``: the value is known to ± this (0: exactly),
    whatever interval it carries; None keeps its own interval. ``adding``: a column whose rows
    add up: each takes the coarser last digit its interval's width justifies even where the
    coarser figure falls just outside the interval, so that rows rounded alike still add up."""

    kind: str
    unit: str = ""
    signed: bool = False
    places: int | None = None
    scale: str | None = None
    half_width: float | None = None
    adding: bool = False


ADDING_STYLE = Style("amount", adding=True)  # an Amount in its own unit, in a column that adds up


AMOUNT_STYLE = Style("amount")  # an Amount in its own unit


@dataclass(frozen=True)
class Value:
    """A table cell: an Amount (or an Estimate) written in ``style``."""

    amount: Amount | Estimate
    style: Style = AMOUNT_STYLE


@dataclass(frozen=True)
class Bar:
    """One bar of a comparison chart; ``like_for_like`` False when it is not the same period or measure."""

    label: Words
    estimate: Estimate
    note: Words | None = None
    like_for_like: bool = True


@dataclass(frozen=True)
class Chart:
    """A chart: ``kind`` names one of campaign.view.charts' drawings, ``rows`` its data (labels as
    Words), ``style`` how its values are written; ``options`` the drawing's other arguments
    (Words, Styles, values)."""

    kind: str
    rows: tuple
    style: Style
    title: Words
    caption: Words
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """A table: its column headings (one message, "|" between them) and its rows, each cell a
    Words, a Name, a Value or text as printed. ``printed``: the column of figures as printed, when
    the next column gives their values (left out where the two read the same)."""

    columns: Words
    rows: tuple[tuple[Any, ...], ...]
    printed: int | None = None


# The finding each task's chart draws: the reference to the chart follows it.
CHART_DRAWS = {
    "employment": "employment.out_of_province",
    "projects": "projects.started",
    "microcredit": "microcredit.annual",
    "training": "training.publicity",
    "sales": "sales.channels",
}
# A chart that draws another finding than its task's (by the chart's file name).
FIGURE_DRAWS = {"microcredit-average-loan-vs-benchmarks": "microcredit.disbursed"}
