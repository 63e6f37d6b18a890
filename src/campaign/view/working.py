"""The working table of an analysis notebook (RunContext.working_table) as a reader of the shared
HTML sees it, and the numbers of computed tables: readable, and the same bytes at every build."""

from __future__ import annotations

import pandas as pd


def working_number(value) -> str:
    """A number of the working table as a reader reads it: no exponent, no trailing zeros, at
    most six decimals (the value itself stays exact in the DataFrame)."""
    if not isinstance(value, int | float) or value != value:  # text, or NaN
        return "" if value != value else str(value)
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def show_working(table: pd.DataFrame) -> None:
    """The working table (RunContext.working_table) with its numbers readable; in JupyterLab the
    DataFrame itself is the variable to compute with."""
    from IPython.display import HTML, display

    numbers = [c for c in ("value", "lower", "upper") if c in table.columns]
    styler = table.style.format(working_number, subset=numbers).set_uuid("working")  # the same bytes each build
    display(HTML(styler.to_html()))
