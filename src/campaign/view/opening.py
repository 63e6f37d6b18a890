"""An analysis page's opening: its title and question for the run, and the line on its sources
(with what the run does not cover among the page's tasks)."""

from __future__ import annotations

from campaign.core.runs import run_notebooks
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
    have them (a notebook run in JupyterLab for such a region is then not silently empty). A page
    whose region reports some of its tasks says nothing of the others: its title names only those
    it covers (heading)."""
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
        campaign=ctx.registers.campaign,
    )
    if not covered(ctx, tasks):
        names = [ctx.registers.tasks[t] for t in tasks]
        line += "\n\n" + text(
            "run.no_figures", region=ctx.region, period_end=ctx.period_end, tasks=names, notebooks=run_notebooks_of(ctx)
        )
    return line


def covered(ctx: RunContext, tasks: tuple[str, ...]) -> bool:
    """Whether the run has figures for any of a page's ``tasks`` (a page without tasks: yes)."""
    return not tasks or any(ctx.reported_indicators(t) for t in tasks)


def run_notebooks_of(ctx: RunContext) -> list[str]:
    """The notebooks `make reports` builds for this run (its analysis notebooks, then the summary)."""
    figures = ctx.observations[["region", "period_end", "indicator"]].itertuples(index=False)
    return [*run_notebooks(ctx.registers, figures, ctx.run.region.slug, ctx.run.period_end), "90-summary"]


class NotCovered(Exception):
    """Stops a notebook run for a region its tasks have no figures for (JupyterLab's Run All ends
    there): IPython shows the message alone, through the exception's ``_render_traceback_``."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def stop_unless_covered(ctx: RunContext, text: Text, tasks: tuple[str, ...]) -> None:
    """End the notebook here, in one line, when the run has no figures for its ``tasks``: the line
    under the heading (``intro``) has said why and which notebooks cover the region."""
    if not covered(ctx, tasks):
        raise NotCovered(text.plain("run.stopped", region=ctx.region, notebooks=run_notebooks_of(ctx)))
