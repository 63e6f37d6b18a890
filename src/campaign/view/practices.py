"""What was done on each task (主要做法): the qualitative facts its source reports, in the run's words."""

from __future__ import annotations

from campaign.tasks.context import RunContext
from campaign.view.text.catalogue import Text


def practices(ctx: RunContext, text: Text, task: str) -> list[str]:
    """One paragraph per qualitative fact the source reports on ``task`` (data/campaign.yml lists
    them; the words are the indicators' descriptions, in the run's language)."""
    if ctx.registers.campaign is None:
        return []
    paragraphs = []
    for indicator_id in ctx.registers.campaign.practices_of(task):
        if ctx.reported(indicator_id):
            indicator = ctx.registers.indicators[indicator_id]
            fact = text.pick(indicator.description_en, indicator.description_zh)
            paragraphs.append(text("summary.practice", name=text.name(indicator), fact=fact))
    return paragraphs
