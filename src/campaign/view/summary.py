"""The summary of one run: what the campaign was, the evidence, statuses, key findings, quality, sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from campaign.tasks import employment, microcredit, projects, sales, status, training
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Finding
from campaign.view.text.catalogue import Text

# Per analysis area: the findings function, how many findings the summary keeps, and the figure
# the summary shows when the area has findings in this run.
AREAS = (
    ("employment", employment.findings, 2, employment.FIGURE_THIS_YEAR),
    ("projects", projects.findings, 2, None),
    ("microcredit", microcredit.findings, 3, microcredit.FIGURE_COMPLETION),
    ("sales", sales.findings, 2, sales.FIGURE_CHANNELS),
    ("training", training.findings, 2, None),
)


def title(ctx: RunContext, text: Text) -> str:
    if ctx.is_campaign_run:
        addition = ctx.registers.campaign.addition_of(ctx.region.slug)
        return text(
            "summary.title.campaign",
            region=ctx.region,
            campaign=addition or ctx.registers.campaign,
            period_end=ctx.period_end,
        )
    topics = [t for t in ctx.tasks()]
    return text("summary.title.comparison", region=ctx.region, tasks=topics, period_end=ctx.period_end)


def context(ctx: RunContext, text: Text) -> str:
    """Two or three sentences from the registers: the campaign, who ran it, when, and any addition."""
    campaign = ctx.registers.campaign
    values = {
        "campaign": campaign,
        "province": ctx.registers.regions[campaign.run_by],
        "tasks": [ctx.registers.tasks[t] for t in campaign.tasks],
        "end": campaign.end,
        "start": campaign.start,
        "region": ctx.region,
        "period_end": ctx.period_end,
    }
    if ctx.is_campaign_run:
        addition = campaign.addition_of(ctx.region.slug)
        added = [ctx.registers.tasks[t] for t in addition.tasks] if addition else []
        return text("summary.context.campaign", addition=addition, added=added, **values)
    after = ctx.run.period_end > campaign.end
    return text("summary.context.comparison", after=after, **values)


def evidence(ctx: RunContext, text: Text) -> str:
    """Where the run's figures come from, that they are self-reported, and which are cumulative."""
    rows = ctx.figures.rows
    counted = rows[rows["value"].notna()]
    indicators = [ctx.registers.indicators[i] for i in counted.index]
    targets = sum(1 for i in indicators if i.relation and i.relation.kind == "target_of")
    measures = [
        i.measure_for(ctx.region.slug) for i in indicators if not (i.relation and i.relation.kind == "target_of")
    ]
    return text(
        "summary.evidence",
        sources=[ctx.registers.sources[s] for s in ctx.source_ids()],
        figures=len(counted),
        qualitative=len(rows) - len(counted),
        flows=measures.count("flow"),
        stocks=measures.count("stock"),
        ratios=len(measures) - measures.count("flow") - measures.count("stock"),
        targets=targets,
        period_end=ctx.period_end,
        campaign=ctx.is_campaign_run,
    )


def quality_alerts(ctx: RunContext, text: Text) -> str:
    """Failed or unresolved consistency checks of this run's figures, each with its figures; empty if none."""
    quality = ctx.quality
    own = quality[(quality["region"] == ctx.region.slug) & (quality["period_end"] == ctx.run.period_end)]
    problems = own[own["status"] != "pass"]
    if problems.empty:
        return ""
    items = [
        "- "
        + text("summary.quality.item", status=row.status, rule=row.rule, detail=text.pick(row.detail, row.detail_zh))
        for row in problems.itertuples(index=False)
    ]
    return "\n".join([text("summary.quality.alert"), "", *items])


def quality_note(ctx: RunContext, text: Text) -> str:
    quality = ctx.quality
    own = quality[(quality["region"] == ctx.region.slug) & (quality["period_end"] == ctx.run.period_end)]
    counts = own["status"].value_counts()
    return text(
        "summary.quality.note",
        files=int((quality["rule"] == "raw_schema").sum()),
        checks=len(own),
        passed=int(counts.get("pass", 0)),
        warned=int(counts.get("warn", 0)),
        failed=int(counts.get("fail", 0)),
        rules=sorted(set(own["rule"])),
    )


def status_table(ctx: RunContext, text: Text) -> pd.DataFrame:
    rows = []
    for row in status.task_statuses(ctx):
        number = text.plain(
            "status.number", number=row.task.number, added=row.task.id not in ctx.registers.campaign.tasks
        )
        rows.append(
            [
                number,
                text.name(row.task),
                text.plain(row.headline.id, **row.headline.values) if row.headline else "",
                text.plain(f"status.{row.status}"),
                text.plain(row.basis.id, **row.basis.values),
            ]
        )
    return pd.DataFrame(rows, columns=text.plain("status.table.columns").split("|"))


def key_findings(ctx: RunContext) -> list[tuple[str, list[Finding]]]:
    """The first findings of each area the run has, in the areas' order."""
    found = []
    for area, findings_of, keep, _figure in AREAS:
        findings = findings_of(ctx)[:keep]
        if findings:
            found.append((area, findings))
    return found


def key_findings_by_area(ctx: RunContext, text: Text) -> list[tuple[str, Path | None]]:
    """Per area with findings: its heading and findings as Markdown, and the figure that belongs
    with them (None if it has none), so that each figure stands in its area."""
    from campaign.view.page import render_findings

    figures = {area: figure for area, _findings, _keep, figure in AREAS}
    parts = []
    for area, findings in key_findings(ctx):
        markdown = f"**{text(f'summary.area.{area}')}**\n\n" + render_findings(findings, text)
        path = ctx.run.figures_dir / f"{figures[area]}.png" if figures[area] else None
        parts.append((markdown, path if path and path.exists() else None))
    return parts


def render_key_findings(ctx: RunContext, text: Text) -> str:
    parts = [markdown for markdown, _figure in key_findings_by_area(ctx, text)]
    return "\n\n".join(parts) if parts else text("summary.no_findings")


def figure_paths(ctx: RunContext) -> list[Path]:
    """The figures of the areas with findings in this run, as this run's notebooks saved them."""
    areas = {area for area, _ in key_findings(ctx)}
    return [
        ctx.run.figures_dir / f"{figure}.png"
        for area, _findings, _keep, figure in AREAS
        if figure and area in areas and (ctx.run.figures_dir / f"{figure}.png").exists()
    ]


def sources_table(ctx: RunContext, text: Text) -> pd.DataFrame:
    """Every source behind the run's own figures and the figures of other places it compares with."""
    own = set(ctx.source_ids())
    used = own | set(ctx.observations.loc[ctx.observations["region"] != ctx.region.slug, "source_id"])
    rows = []
    for source_id in sorted(used, key=lambda s: (s not in own, s)):
        source = ctx.registers.sources[source_id]
        address = source.address if source.address.startswith("http") else text.plain("sources.no_address")
        title = text.pick(source.title, source.title_zh)
        rows.append([text.name(source), title, source.date, address])
    return pd.DataFrame(rows, columns=text.plain("sources.columns").split("|"))
