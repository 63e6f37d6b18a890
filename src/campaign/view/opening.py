"""An analysis page's opening: its title and question for the run, and the line on its sources
(with what the run does not cover among the page's tasks)."""

from __future__ import annotations

from campaign.tasks.context import RunContext
from campaign.view.citations import number_of
from campaign.view.text.catalogue import Text


def heading(ctx: RunContext, text: Text, name: str, tasks: tuple[str, ...] = ()) -> str:
    """An analysis page's title and question for its run: the region and the date in the title,
    and of the page's ``tasks`` those the run has figures for (all of them when it has none)."""
    covered = [t for t in tasks if ctx.reported_indicators(t)] or list(tasks)
    values = {"region": ctx.region, "period_end": ctx.period_end, "covered": covered}
    return text(f"page.title.{name}", **values) + "\n\n" + text(f"page.question.{name}", **values)


def intro(ctx: RunContext, text: Text, tasks: tuple[str, ...] = ()) -> str:
    """The line under each analysis notebook's heading: the run, its period and its sources; when
    the run has no figure for any of the notebook's ``tasks``, a line saying so, and which regions
    have them (a notebook run in JupyterLab for such a region is then not silently empty)."""
    sources = [ctx.registers.sources[s] for s in ctx.source_ids()]
    line = text(
        "run.intro",
        region=ctx.region,
        period_end=ctx.period_end,
        count=int(ctx.figures.rows["value"].notna().sum()),
        statements=int(ctx.figures.rows["value"].isna().sum()),
        sources=sources,
        numbers=[number_of(ctx, s) for s in ctx.source_ids()],
        comparison=not ctx.is_campaign_run,
    )
    missing = [t for t in tasks if not ctx.reported_indicators(t)]
    if missing and len(missing) < len(tasks):  # some of the page's tasks, not all: say which
        line += "\n\n" + text(
            "run.partial",
            region=ctx.region,
            period_end=ctx.period_end,
            missing=[ctx.registers.tasks[t] for t in missing],
            present=[ctx.registers.tasks[t] for t in tasks if t not in missing],
        )
    if tasks and not any(ctx.reported_indicators(t) for t in tasks):
        have = ctx.observations[ctx.observations["task"].isin(tasks)]["region"].unique()
        regions = [ctx.registers.regions[slug] for slug in sorted(have) if slug in ctx.registers.regions]
        names = [ctx.registers.tasks[t] for t in tasks]
        line += "\n\n" + text(
            "run.no_figures", region=ctx.region, period_end=ctx.period_end, tasks=names, others=regions
        )
    return line
