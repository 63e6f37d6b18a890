"""The summary's one row per task: a headline figure, a status, and what the status rests on.

Statuses: "met" only where a printed target or completion figure, or a like-for-like comparison
with last year, supports it; "not_met" where one shows a shortfall; "reported" for figures with
no target; "qualitative" for words without figures; "no_figures" for a campaign task its
source gave nothing on.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign.core.registers import Task
from campaign.tasks import employment
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Amount, Finding, above

STATUSES = ("met", "not_met", "reported", "qualitative", "no_figures")


@dataclass(frozen=True)
class TaskStatus:
    task: Task
    status: str
    headline: Finding | None  # the task's key figure (message id "status.headline.<task>")
    basis: Finding  # what the status rests on (message id "status.basis.<...>")


def _met(supported: bool | None) -> str:
    return {True: "met", False: "not_met", None: "reported"}[supported]


def employment_status(ctx: RunContext) -> tuple[str, Finding] | None:
    total = ctx.amount("employed_labourers")
    if total is None:
        return None
    aim = employment.aim(ctx)
    if aim is None:
        return "reported", Finding("status.basis.no_target", {})
    return _met(above(aim["growth"], 0.0)), Finding(
        "status.basis.employment",
        {"ratio": ctx.amount("employed_labourers_vs_last_year"), "out_growth": aim["out_growth"]},
    )


def projects_status(ctx: RunContext) -> tuple[str, Finding] | None:
    planned, started = ctx.amount("projects_planned"), ctx.amount("projects_started")
    if planned and started:
        return _met(started.value >= planned.value or None), Finding(
            "status.basis.projects", {"planned": planned, "started": started}
        )
    if ctx.reported_indicators("projects"):
        return "reported", Finding("status.basis.no_target", {})
    return None


def microcredit_status(ctx: RunContext) -> tuple[str, Finding] | None:
    if not ctx.has("microcredit_amount"):
        return None
    hundred = ctx.amount("microcredit_100day_completion")
    annual = ctx.amount("microcredit_annual_completion")
    values = {"hundred": hundred, "annual": annual, "period_end": ctx.period_end}
    if hundred:
        return _met(above(hundred, 1.0 - 1e-12)), Finding("status.basis.microcredit_100day", values)
    if annual and above(annual, 1.0 - 1e-12):
        return "met", Finding("status.basis.microcredit_annual", values)
    if annual:
        return "reported", Finding("status.basis.microcredit_annual_part", values)
    return "reported", Finding("status.basis.no_target", {})


def reported_status(ctx: RunContext, task: str) -> tuple[str, Finding] | None:
    indicators = ctx.reported_indicators(task)
    if not indicators:
        return None
    if all(ctx.registers.indicators[i].qualitative for i in indicators):
        return "qualitative", Finding(f"status.basis.{task}_qualitative", {})
    return "reported", Finding(f"status.basis.{task}", {})


def headline(ctx: RunContext, task: str) -> Finding | None:
    values: dict[str, Amount | None] = {
        "employment": {"total": ctx.amount("employed_labourers")},
        "projects": {"started": ctx.amount("projects_started"), "funds": ctx.amount("linkage_funds")},
        "microcredit": {"amount": ctx.amount("microcredit_amount"), "households": ctx.amount("microcredit_households")},
        "training": {"trained": ctx.amount("training_person_times"), "reached": ctx.amount("publicity_person_times")},
        "sales": {"total": ctx.amount("consumption_assistance_total")},
        "policy": {},
    }.get(task, {})
    if not any(v is not None for v in values.values()):
        return None
    return Finding(f"status.headline.{task}", values)


def task_statuses(ctx: RunContext) -> list[TaskStatus]:
    """One row per task the run covers (see RunContext.tasks)."""
    judges = {
        "employment": employment_status,
        "projects": projects_status,
        "microcredit": microcredit_status,
    }
    rows = []
    for task in ctx.tasks():
        judged = judges[task.id](ctx) if task.id in judges else reported_status(ctx, task.id)
        status, basis = judged or ("no_figures", Finding("status.basis.no_figures", {}))
        rows.append(TaskStatus(task, status, headline(ctx, task.id), basis))
    return rows
