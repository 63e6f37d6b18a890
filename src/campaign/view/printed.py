"""The table of a task's figures as its source prints them: name, as printed, value in the run's
words, source; money in one form down the column."""

from __future__ import annotations

import pandas as pd

from campaign.tasks.context import RunContext
from campaign.view import drawing
from campaign.view.citations import cite
from campaign.view.text.catalogue import Text


def printed_figures(ctx: RunContext, text: Text, indicators: list[str]) -> pd.DataFrame | None:
    """The run's figures for ``indicators``: name, as printed, value in the run's words, source."""
    rows = []
    amounts = [ctx.amount(i) for i in indicators if ctx.registers.indicators[i].unit == "yuan"]
    money = [a for a in amounts if a is not None]
    # in millions where each amount's printed digits fit (CNY 258 million), else all in whole yuan (9843.63万元)
    whole = "yuan" if any(a.upper - a.lower < 1000 for a in money) else None
    for indicator_id in indicators:
        indicator = ctx.registers.indicators[indicator_id]
        row = ctx.figures.rows.loc[indicator_id]
        if indicator.qualitative:
            fact = text.pick(indicator.description_en or str(row["note"]), indicator.description_zh)
            shown = text.plain("value.qualitative", fact=fact)
        else:
            shown = text.amount(ctx.amount(indicator_id), scale=whole if indicator.unit == "yuan" else None)
        source = text.plain("table.source", source=cite(ctx, text, row["source_id"], str(row["locator"])))
        rows.append([text.name(indicator), str(row["printed"]), shown, source])
    if not rows:
        return None
    table = pd.DataFrame(rows, columns=text.plain("table.printed.columns").split("|"))
    return drawing.without_repeated_printed(table, 1, text)
