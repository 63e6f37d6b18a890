"""The one setup call of every notebook: the run opened, its words and its chart theme."""

from __future__ import annotations

from campaign.tasks.context import RunContext, open_run
from campaign.view import theme
from campaign.view.text.catalogue import Text


def setup(region: str, period_end: str, lang: str, data_dir: str, reports_dir: str) -> tuple[RunContext, Text]:
    """Open the run the parameters name (see campaign.tasks.context.open_run), with the words of
    its language and the chart theme set for it."""
    ctx = open_run(region, period_end, lang, data_dir, reports_dir)
    text = Text(ctx.run.lang)
    theme.use_theme(ctx.run.lang)
    return ctx, text
