"""The summary of one run, in the order a brief is read: the overall judgement, the tasks table,
one section per task (what was done, the key figures, its chart), what the source does not
report, comparison figures, one note on sources and method, and the references.

It only assembles what the tasks return (findings, statuses, charts); every word comes from the
run's catalogue. Caveats are said once, in the note on sources and method, not after each finding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from campaign.tasks import employment, microcredit, projects, sales, status, training, watch
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Finding
from campaign.tasks.specs import CHART_DRAWS  # the finding each task's chart draws
from campaign.view import citations, drawing, numbering
from campaign.view.judgement import bottom_line, status_words
from campaign.view.practices import practices
from campaign.view.text.catalogue import Text

# Per task: its findings, how many of its own findings the summary keeps, and its chart.
TASKS = {
    "employment": (employment.findings, 2, employment.this_year_figure),
    "projects": (projects.findings, 3, projects.pipeline_figure),
    "microcredit": (microcredit.findings, 4, microcredit.completion_figure),
    "training": (training.findings, 4, training.reach_figure),  # with the full coverage it reports
    "sales": (sales.findings, 3, sales.channels_figure),
    "policy": (training.policy_findings, 1, None),  # its practices, and that it gives no figure
}
# The overall judgement keeps at most this many takeaways.
TAKEAWAYS = 5
# The caveat each task's takeaway says in its own words (summary.takeaway.<task>, "Caveat: ...").
SAID_BY_TAKEAWAY = {
    "microcredit": "caveat.lending_seasonal",
    "training": "caveat.person_times",
    "sales": "caveat.no_target_figure",
}


def is_comparison(finding: Finding) -> bool:
    """A finding about another place (it names the place)."""
    return "place" in finding.values


@dataclass
class TaskSection:
    task: object
    status: status.TaskStatus
    practices: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    chart: Figure | None = None


def title(ctx: RunContext, text: Text) -> str:
    if ctx.is_campaign_run:
        addition = ctx.registers.campaign.addition_of(ctx.region.slug)
        return text(
            "summary.title.campaign",
            region=ctx.region,
            campaign=addition or ctx.registers.campaign,
            period_end=ctx.period_end,
        )
    return text("summary.title.comparison", region=ctx.region, tasks=ctx.tasks(), period_end=ctx.period_end)


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
        "sources": [ctx.registers.sources[s] for s in ctx.source_ids()],
        "numbers": [citations.number_of(ctx, s) for s in ctx.source_ids()],
        # the source of the campaign's dates, cited where they are given (a comparison run's own
        # sources say nothing of the campaign)
        "campaign_number": citations.number_of(ctx, campaign.source_id) if campaign.source_id else None,
    }
    if ctx.is_campaign_run:
        addition = campaign.addition_of(ctx.region.slug)
        added = [ctx.registers.tasks[t] for t in addition.tasks] if addition else []
        tasks_label = numbering.label("table", "tasks", text)  # the table of tasks, named before it is shown
        return text("summary.context.campaign", addition=addition, added=added, tasks_label=tasks_label, **values)
    own, end = dt.date.fromisoformat(ctx.run.period_end), dt.date.fromisoformat(campaign.end)
    months_after = (own.year - end.year) * 12 + own.month - end.month
    covered = [t for t in ctx.tasks() if ctx.reported_indicators(t.id)]  # what this run has figures on
    campaign_regions = [r for r in ctx.registers.regions.values() if r.role == "campaign"]
    return text(
        "summary.context.comparison",
        after=own > end,
        months_after=months_after,
        covered=covered,
        campaign_regions=campaign_regions,
        # each campaign region's own version of the campaign where it has one ("5+1")
        versions=[campaign.addition_of(r.slug) or campaign for r in campaign_regions],
        parent=ctx.registers.regions.get(ctx.region.parent) if ctx.region.parent else None,
        **values,
    )


def _own_quality(ctx: RunContext) -> pd.DataFrame:
    quality = ctx.quality
    return quality[(quality["region"] == ctx.region.slug) & (quality["period_end"] == ctx.run.period_end)]


def quality_alerts(ctx: RunContext, text: Text) -> str:
    """Failed or unresolved consistency checks of this run's figures, in words; empty if none."""
    from campaign.view.checks import describe

    problems = _own_quality(ctx)
    problems = problems[problems["status"] != "pass"]
    if problems.empty:
        return ""
    items = ["- " + describe(row, text, ctx.registers) for row in problems.itertuples(index=False)]
    return "\n".join([text("summary.quality.alert"), "", *items])


def task_number(ctx: RunContext, task, position: int) -> int:
    """A task's number on the page: its number in the campaign for a campaign region's report;
    for a comparison region, which covers only some tasks, its place in the report (1, 2, ...)."""
    return task.number if ctx.is_campaign_run else position


def status_table(ctx: RunContext, text: Text) -> pd.DataFrame | None:
    """One row per task (None for a run of one task, a comparison brief: its takeaway is the row)."""
    statuses = status.task_statuses(ctx)
    if len(statuses) < 2:
        return None
    rows = []
    for position, row in enumerate(statuses, start=1):
        added = row.task.id not in ctx.registers.campaign.tasks
        rows.append(
            [
                text.plain("status.number", number=task_number(ctx, row.task, position), added=added),
                text.name(row.task),
                text.plain(row.headline.id, **row.headline.values) if row.headline else "",
                status_words(row, text),
                text.plain(row.basis.id, **row.basis.values),
            ]
        )
    return pd.DataFrame(rows, columns=text.plain("status.table.columns").split("|"))


def takeaways(ctx: RunContext, text: Text, notes=None) -> str:
    """Three to five statements, one per task with figures, each with its reservation; ``notes``
    (page.Notes) learns which caveats they said, so that the note on method does not say them again."""
    items = []
    watched = {f.id for f in watch.points(ctx)}  # a takeaway may point to what the points to watch say
    for row in status.task_statuses(ctx):
        message = f"summary.takeaway.{row.task.id}"
        if row.status in ("no_figures", "described") or not text.has(message):
            continue
        values = {
            "period_end": ctx.period_end,
            "watched": watched,
            **(row.headline.values if row.headline else {}),
            **row.basis.values,
        }
        items.append("- " + text(message, status=row.status, **values))
        if notes is not None and row.task.id in SAID_BY_TAKEAWAY and len(items) <= TAKEAWAYS:
            notes.said.add(SAID_BY_TAKEAWAY[row.task.id])
    if not items:
        return text("summary.no_findings")
    return "\n\n".join(p for p in (bottom_line(ctx, text), "\n".join(items[:TAKEAWAYS])) if p)


def task_sections(ctx: RunContext, text: Text) -> list[TaskSection]:
    """One section per task the run covers, in the tasks' order."""
    sections = []
    for row in status.task_statuses(ctx):
        findings_of, keep, chart_of = TASKS[row.task.id]
        own = [f for f in findings_of(ctx) if not is_comparison(f)][:keep]
        section = TaskSection(row.task, row, practices(ctx, text, row.task.id), own)
        if chart_of is not None and own:
            section.chart = drawing.draw(chart_of(ctx), text)
        sections.append(section)
    return sections


def comparison_findings(ctx: RunContext) -> list[Finding]:
    """The findings about other places, task by task."""
    found = []
    for row in status.task_statuses(ctx):
        findings_of, _keep, _chart = TASKS[row.task.id]
        found += [f for f in findings_of(ctx) if is_comparison(f)]
    return found


def gaps(ctx: RunContext, text: Text) -> str:
    """Per task, the figures a report on it is expected to give (data/campaign.yml) that this run lacks."""
    items = []
    for task in ctx.tasks():
        missing = [
            ctx.registers.indicators[i]
            for i in ctx.registers.campaign.expected_of(task.id)
            if not ctx.reported(i) and i in ctx.registers.indicators
        ]
        if missing:
            items.append("- " + text("summary.gap", task=task, missing=missing))
    return "\n".join(items)


def glossary(ctx: RunContext, text: Text) -> str:
    """The terms of data/campaign.yml (glossary) whose indicators the run reports, as a list."""
    if ctx.registers.campaign is None:
        return ""
    terms = [t for t in ctx.registers.campaign.glossary if any(ctx.reported(i) for i in t["indicators"])]
    return "\n".join(
        "- " + text("summary.term", zh=t["zh"], en=t["en"], meaning=text.pick(t["meaning_en"], t["meaning_zh"]))
        for t in terms
    )


def watch_points(ctx: RunContext, text: Text) -> str:
    """What the figures leave open (campaign.tasks.watch), as a list; a line saying so if nothing."""
    from campaign.view import page

    found = watch.points(ctx)
    return page.render_findings(found, text) if found else text("summary.watch.none")


def method_note(ctx: RunContext, text: Text, caveats: list[str]) -> str:
    """The one note on sources and method: the nature of the evidence, the conventions, every
    caveat of the findings shown (each once)."""
    rows = ctx.figures.rows
    counted = rows[rows["value"].notna()]
    indicators = [ctx.registers.indicators[i] for i in counted.index]
    measures = [
        i.measure_for(ctx.region.slug) for i in indicators if not (i.relation and i.relation.kind == "target_of")
    ]
    parts = [
        text(
            "summary.method.evidence",
            sources=[ctx.registers.sources[s] for s in ctx.source_ids()],
            numbers=[citations.number_of(ctx, s) for s in ctx.source_ids()],
            figures=len(counted),
            region=ctx.region,
            flows=measures.count("flow"),
            stocks=measures.count("stock"),
            targets=sum(1 for i in indicators if i.relation and i.relation.kind == "target_of"),
            period_end=ctx.period_end,
            campaign=ctx.is_campaign_run,
        ),
        text(
            "summary.method.conventions",
            last_year=ctx.has("employed_labourers_vs_last_year"),
            base_year=ctx.base_year,
            elapsed=ctx.derived_amount("year_elapsed"),
            period_end=ctx.period_end,
        ),
    ]
    parts += caveats
    # the checks that passed are not the reader's business (a sum that adds up is said in its
    # task's section); a check that failed is said at the top (summary.quality_alerts)
    return "\n".join(f"- {p}" for p in parts if p)


def show_sections(ctx: RunContext, text: Text, notes) -> None:
    """Each task's section: heading, what was done, key figures, and its numbered chart."""
    from campaign.view import numbering, page

    for position, section in enumerate(task_sections(ctx, text), start=1):
        parts = [
            # (its status is in the table of tasks above, not said again here)
            text("summary.task.heading", number=task_number(ctx, section.task, position), task=section.task),
            *section.practices,
        ]
        findings = page.render_findings(section.findings, text, notes, ctx)
        key = f"summary-{section.task.id}"
        if findings:
            lines = findings.split("\n")  # one line per finding
            if section.chart:  # the reference follows the finding the chart draws (else the last)
                ids = [f.id for f in section.findings]
                drawn = CHART_DRAWS.get(section.task.id)
                at = ids.index(drawn) if drawn in ids else len(lines) - 1
                see = text("summary.figure.see", label=numbering.label("figure", key, text))
                lines[at] += text.between_sentences + see
            parts.append("\n".join(lines))
        page.show_markdown("\n\n".join(parts))
        page.show_chart(section.chart, text, key)
