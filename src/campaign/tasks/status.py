"""The summary's one row per task: a headline figure, a status, and what the status rests on.

A status names what the evidence shows, in the field's own terms, and nothing stronger:

- ``exceeded`` / ``met`` / ``not_met``: a printed completion rate of a printed target (the
  100-day target; the annual one once its year is over, or already passed);
- ``ahead`` / ``behind``: an annual target part-way through its year, against time progress;
- ``above_last_year`` / ``below_last_year``: a mid-year level set against last year's level
  (占上年度): a stage result (阶段性), not a like-for-like comparison with the same date;
- ``all_started``: every project of the annual plan started (a start rate, not completion);
- ``full_coverage``: a printed coverage of 100% (培训覆盖率100%), and no target for the rest;
- ``stated_met``: the source says the targets were met but prints no target figure;
- ``reported``: figures with no target; ``described``: words only; ``no_figures``: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign.core.registers import Task
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Amount, Finding, above

STATUSES = (
    "exceeded",
    "met",
    "not_met",
    "ahead",
    "behind",
    "above_last_year",
    "below_last_year",
    "all_started",
    "full_coverage",
    "stated_met",
    "reported",
    "described",
    "no_figures",
)
# A completion rate this close to 100% (the printed rounding) counts as reaching the target.
WHOLE = 1.0 - 1e-12


@dataclass(frozen=True)
class TaskStatus:
    task: Task
    status: str
    headline: Finding | None  # the task's key figure (message id "status.headline.<task>")
    basis: Finding  # what the status rests on (message id "status.basis.<...>")


def completion_status(completion: Amount) -> str:
    """exceeded, met or not_met, across the whole interval the printed rate allows."""
    if above(completion, 1.0 + 1e-12):
        return "exceeded"
    return "met" if above(completion, WHOLE) is not False else "not_met"


def employment_status(ctx: RunContext) -> tuple[str, Finding] | None:
    if ctx.amount("employed_labourers") is None:
        return None
    ratio = ctx.amount("employed_labourers_vs_last_year")
    growth = ctx.derived_amount("employed_labourers_growth")
    if ratio is None or growth is None:
        return "reported", Finding("status.basis.no_target", {})
    rose = above(growth, 0.0)
    values = {
        "ratio": ratio,
        "out_ratio": ctx.amount("employed_out_of_province_vs_last_year"),
        "base_year": ctx.base_year,
    }
    if rose is None:
        return "reported", Finding("status.basis.employment_level", values)
    return ("above_last_year" if rose else "below_last_year"), Finding("status.basis.employment", values)


def projects_status(ctx: RunContext) -> tuple[str, Finding] | None:
    planned, started = ctx.amount("projects_planned"), ctx.amount("projects_started")
    if planned and started:
        values = {"planned": planned, "started": started, "share": ctx.derived_amount("projects_started_share")}
        status = "all_started" if started.value >= planned.value else "reported"
        return status, Finding("status.basis.projects", values)
    if ctx.reported_indicators("projects"):
        return "reported", Finding("status.basis.no_target", {})
    return None


def microcredit_status(ctx: RunContext) -> tuple[str, Finding] | None:
    if not ctx.has("microcredit_amount"):
        return None
    hundred = ctx.amount("microcredit_100day_completion")
    annual = ctx.amount("microcredit_annual_completion")
    ahead = ctx.derived_amount("microcredit_annual_completion_ahead")
    values = {"hundred": hundred, "annual": annual, "ahead": ahead, "period_end": ctx.period_end}
    values["annual_rank"] = ctx.rank_of("microcredit_annual_completion")
    if hundred:
        return completion_status(hundred), Finding("status.basis.microcredit_100day", values)
    if annual and above(annual, WHOLE):
        return completion_status(annual), Finding("status.basis.microcredit_annual", values)
    if annual and ahead:
        judged = above(ahead, 0.0)
        status = {True: "ahead", False: "behind", None: "reported"}[judged]
        return status, Finding("status.basis.microcredit_annual_part", values)
    return "reported", Finding("status.basis.no_target", {})


def sales_status(ctx: RunContext) -> tuple[str, Finding] | None:
    indicators = ctx.reported_indicators("sales")
    if not indicators:
        return None
    if ctx.reported("consumption_assistance_target_met"):
        return "stated_met", Finding("status.basis.sales", {})
    return "reported", Finding("status.basis.no_target", {})


def reported_status(ctx: RunContext, task: str) -> tuple[str, Finding] | None:
    practices = set(ctx.registers.campaign.practices_of(task)) if ctx.registers.campaign else set()
    reported = ctx.reported_indicators(task)
    indicators = [i for i in reported if i not in practices]
    if not indicators:
        # what was done, in words, and no figure
        return ("described", Finding("status.basis.described", {})) if reported else None
    if all(ctx.registers.indicators[i].qualitative for i in indicators):
        return "described", Finding("status.basis.described", {})
    covered = [
        i
        for i in indicators
        if (r := ctx.registers.indicators[i].relation) and r.kind == "coverage" and ctx.amount(i) is not None
    ]
    if covered and all(above(ctx.amount(i), WHOLE) is not False for i in covered):
        values = {"coverage": ctx.amount(covered[0]), "name": ctx.registers.indicators[covered[0]]}
        return "full_coverage", Finding(f"status.basis.{task}_covered", values)
    return "reported", Finding(f"status.basis.{task}", {})


def headline(ctx: RunContext, task: str) -> Finding | None:
    values: dict[str, Amount | None] = {
        "employment": {"total": ctx.amount("employed_labourers")},
        "projects": {"started": ctx.amount("projects_started"), "funds": ctx.amount("linkage_funds")},
        "microcredit": {"amount": ctx.amount("microcredit_amount"), "households": ctx.amount("microcredit_households")},
        "training": {
            "trained": ctx.amount("training_person_times"),
            "reached": ctx.amount("publicity_person_times"),
            "cadres": ctx.amount("cadres_sent"),
            "coverage": ctx.amount("cadre_training_coverage"),
        },
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
        "sales": sales_status,
    }
    rows = []
    for task in ctx.tasks():
        judged = judges[task.id](ctx) if task.id in judges else reported_status(ctx, task.id)
        status, basis = judged or ("no_figures", Finding("status.basis.no_figures", {}))
        rows.append(TaskStatus(task, status, headline(ctx, task.id), basis))
    return rows
