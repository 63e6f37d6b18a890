"""A task's chart and table specifications (campaign.tasks.specs) in the run's words: each label,
title and caption from the catalogue, each value in the language's number style, then drawn by
campaign.view.charts or laid out as a DataFrame."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from campaign.core.estimates import Estimate
from campaign.tasks.findings import Amount
from campaign.tasks.specs import Bar, Chart, Name, Style, Table, Value, Words
from campaign.view import charts
from campaign.view.text.catalogue import Text

DRAWINGS: dict[str, Callable[..., Figure]] = {
    "this_year_against_last": charts.this_year_against_last,
    "funnel": charts.funnel,
    "bullets": charts.bullets,
    "composition": charts.composition,
    "benchmark_bars": charts.benchmark_bars,
    "ratio_bars": charts.ratio_bars,
}


def written(value: Any, style: Style, text: Text) -> str:
    """A value (Amount or Estimate) as ``style`` writes it."""
    estimate = value.estimate if isinstance(value, Amount) else value
    if style.half_width is not None:
        estimate = Estimate(estimate.value, estimate.value - style.half_width, estimate.value + style.half_width)
        value = estimate
    if style.kind == "percent":
        return text.percent(estimate, signed=style.signed, places=style.places)
    if style.unit:  # a chart's bare estimate, in the chart's unit: a derived figure
        value = Amount(estimate, style.unit)
    scale = (text.plain(style.scale) or None) if style.scale else None
    return text.amount(value, signed=style.signed, scale=scale, inside=not style.adding)


def _formatter(style: Style, text: Text) -> Callable[[Estimate], str]:
    return lambda estimate: written(estimate, style, text)


def in_words(item: Any, text: Text) -> Any:
    """``item`` with every Words in it written out, every Bar a chart's bar, every Style a formatter."""
    if isinstance(item, Words):
        return text.plain(item.key, **item.values)
    if isinstance(item, Name):
        return text.name(item.thing)
    if isinstance(item, Bar):
        note = "" if item.note is None else in_words(item.note, text)
        return charts.Bar(in_words(item.label, text), item.estimate, note=note, like_for_like=item.like_for_like)
    if isinstance(item, Style):
        return _formatter(item, text)
    if isinstance(item, tuple):
        return tuple(in_words(i, text) for i in item)
    if isinstance(item, list):
        return [in_words(i, text) for i in item]
    return item


def draw(spec: Chart | None, text: Text) -> Figure | None:
    """The chart ``spec`` describes, in the run's words (None for no chart)."""
    if spec is None:
        return None
    options = {name: in_words(value, text) for name, value in spec.options.items()}
    if spec.kind == "funnel":  # a value and its share, written together as the language writes them
        options["with_share"] = lambda value, share: text.plain("figure.with_share", value=value, share=share)
    caption = in_words(spec.caption, text)
    return DRAWINGS[spec.kind](
        in_words(spec.rows, text),
        value_format=_formatter(spec.style, text),
        title=in_words(spec.title, text),
        caption=text.plain("figure.note", note=caption) if caption else caption,  # 注：… in Chinese
        **options,
    )


def cell(item: Any, text: Text) -> str:
    if isinstance(item, Value):
        return written(item.amount, item.style, text)
    if isinstance(item, (Words, Name)):
        return in_words(item, text)
    return str(item)


def frame(spec: Table | None, text: Text) -> pd.DataFrame | None:
    """The table ``spec`` describes, every cell written in the run's words (None for no table)."""
    if spec is None:
        return None
    table = pd.DataFrame(
        [[cell(item, text) for item in row] for row in spec.rows],
        columns=text.plain(spec.columns.key, **spec.columns.values).split("|"),
    )
    return without_repeated_printed(table, spec.printed, text) if spec.printed is not None else table


def without_repeated_printed(table: pd.DataFrame, printed: int, text: Text) -> pd.DataFrame:
    """The table without its "as printed" column (at ``printed``) where the next column, the value
    in the run's words, gives the same figures in every row (a language that writes figures as the
    sources print them, perhaps with another measure word: 2850名, 2850人); one column is left, with
    the heading "as printed" and the printed text (a row printed without a figure: the value)."""
    shown, value = table.columns[printed], table.columns[printed + 1]
    if not all(p == "" or _same_figure(p, v) for p, v in zip(table[shown], table[value], strict=True)):
        return table
    merged = [p or v for p, v in zip(table[shown], table[value], strict=True)]
    table = table.drop(columns=[value]).rename(columns={shown: text.plain("table.value_as_printed")})
    table[text.plain("table.value_as_printed")] = merged
    return table


def _same_figure(printed: str, value: str) -> bool:
    """The same digits, scale words and per cent in both (the measure word may differ)."""
    figure = re.compile(r"[^0-9.万亿%]")
    return printed == value or (bool(figure.sub("", printed)) and figure.sub("", printed) == figure.sub("", value))
