"""20 · Assistance projects and linkage funds: from the project bank to construction."""

from __future__ import annotations

from campaign.tasks.context import RunContext
from campaign.tasks.findings import Finding
from campaign.tasks.specs import Chart, Style, words

TASK = "projects"
FIGURE_PIPELINE = "projects-pipeline-funnel"
STAGES = ("projects_in_bank", "projects_planned", "projects_started")


def findings(ctx: RunContext) -> list[Finding]:
    found = []
    bank, planned, started = (ctx.amount(i) for i in STAGES)
    if bank and planned:
        found.append(
            Finding(
                "projects.planned",
                {"bank": bank, "planned": planned, "share": ctx.derived_amount("projects_planned_share")},
            )
        )
    if planned and started:
        found.append(
            Finding(
                "projects.started",
                {
                    "planned": planned,
                    "started": started,
                    "share": ctx.derived_amount("projects_started_share"),
                    "period_end": ctx.period_end,
                },
                judgement="all" if started.value >= planned.value else "part",
            )
        )
    funds = ctx.amount("linkage_funds")
    if funds:
        found.append(
            Finding(
                "projects.funds",
                {
                    "funds": funds,
                    "per_project": ctx.derived_amount("linkage_funds_per_planned_project"),
                    "matching": ctx.amount("fund_project_matching_rate"),
                },
            )
        )
    for other in ctx.elsewhere("project_start_rate") if planned and started else []:
        found.append(
            Finding(
                "projects.other_start_rate",
                {
                    "place": other.region,
                    "rate": other.amount,
                    "period_end": other.period_end,
                    "rank": ctx.rank_of(other),
                },
            )
        )
    for other in ctx.elsewhere("central_linkage_fund_spending") if funds else []:
        found.append(
            Finding(
                "projects.other_spending",
                {
                    "place": other.region,
                    "rate": other.amount,
                    "period_end": other.period_end,
                    "rank": ctx.rank_of(other),
                },
            )
        )
    return found


def pipeline_figure(ctx: RunContext) -> Chart | None:
    stages = [(words(f"projects.stage.{i}"), ctx.amount(i)) for i in STAGES if ctx.has(i)]
    if len(stages) < 2:
        return None
    return Chart(
        "funnel",
        tuple((label, amount.value) for label, amount in stages),
        Style("amount", unit="items"),
        title=words("projects.figure.title", region=ctx.region),
        caption=words("projects.figure.caption"),
        options={"share_format": Style("percent", half_width=0.0)},
    )
