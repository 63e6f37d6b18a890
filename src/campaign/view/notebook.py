"""The one setup call of every notebook: the run opened, its words and its chart theme."""

from __future__ import annotations

from campaign.tasks.context import RunContext, open_run
from campaign.view import theme
from campaign.view.text.catalogue import Text


def setup(region: str, period_end: str, lang: str, data_dir: str, reports_dir: str) -> tuple[RunContext, Text]:
    """Open the run the parameters name (see campaign.tasks.context.open_run), with the words of
    its language, the chart theme set for it, and pandas showing numbers with separators and
    without exponents."""
    import pandas as pd

    # tables an analyst reads: 98,436,300 rather than 9.843630e+07
    pd.set_option("display.float_format", "{:,.10g}".format)
    ctx = open_run(region, period_end, lang, data_dir, reports_dir)
    text = Text(ctx.run.lang)
    theme.use_theme(ctx.run.lang)
    return ctx, text
