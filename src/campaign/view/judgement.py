"""The overall judgement's bottom line: one sentence over all the run's tasks, by what each
task's status rests on (a target met, last year's level, the report's word, words only)."""

from __future__ import annotations

from campaign.tasks import status
from campaign.tasks.context import RunContext
from campaign.view.text.catalogue import Text

# The statuses of the bottom line, by what a task's status rests on.
BOTTOM_LINE = {
    "met": ("exceeded", "met"),
    "started": ("all_started",),
    "covered": ("full_coverage",),
    "above": ("above_last_year", "ahead"),
    "stated": ("stated_met",),
    "reported": ("reported",),
    "words": ("described", "no_figures"),
}
# Figures of outcomes rather than of activity: the bottom line says when the run has none of them.
OUTCOMES = ("projects_completed", "linkage_funds_spent_share", "microcredit_overdue_share", "migrant_work_income")


def status_words(row, text: Text) -> str:
    """A task's status in words; where the status rests on one of several targets, the words name
    it ("status.<basis>.<status>", e.g. the 100-day target exceeded, not the year's)."""
    named = f"status.{row.basis.id.removeprefix('status.basis.')}.{row.status}"
    return text.plain(named if text.has(named) else f"status.{row.status}")


def bottom_line(ctx: RunContext, text: Text) -> str:
    """One sentence over all the run's tasks, a clause each in the tasks' order, each saying what its
    status rests on (a target met, last year's level, the report's word, words only); a run of one
    task has none: its takeaway says it."""
    rows = status.task_statuses(ctx)
    if len(rows) < 2:
        return ""
    short = ctx.registers.campaign.short_names if ctx.registers.campaign else {}

    def named(task) -> str:  # a task as a list names it (data/campaign.yml, short_names)
        return text.pick(short[task.id]["en"], short[task.id]["zh"]) if task.id in short else text.name(task)

    group_of = {kind: group for group, kinds in BOTTOM_LINE.items() for kind in kinds}
    clauses = [
        {
            "group": group_of.get(r.status, "words"),
            "name": named(r.task),
            "words": status_words(r, text),
            "coverage": r.basis.values.get("name"),  # the indicator that was 100%
        }
        for r in rows
    ]
    no_outcome = not any(ctx.reported(i) for i in OUTCOMES)
    return text("summary.bottom_line", region=ctx.region, no_outcome=no_outcome, clauses=clauses)
