"""Points to watch (需关注的问题): what the figures leave open that an analyst would follow up.

Each point rests on figures of the run, or on a figure the report does not give, never on a
judgement typed in: an average loan at the usual limit with no overdue rate printed; projects
started with no count of projects finished or of funds spent; a total made mostly of orders,
which the report does not say were delivered.
"""

from __future__ import annotations

from campaign.tasks import microcredit
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Finding

# A channel at least this share of its total is most of it.
MOST = 0.5


def points(ctx: RunContext) -> list[Finding]:
    found = []
    average = ctx.derived_amount("average_loan_per_household")
    if average is not None and microcredit.near_ceiling(average):
        found.append(
            Finding(
                "watch.loans_at_the_limit",
                {
                    "average": average,
                    "ceiling": microcredit.ceiling(),
                    "overdue_given": ctx.reported("microcredit_overdue_share"),
                },
            )
        )
    started = ctx.amount("projects_started")
    if started is not None and not ctx.reported("projects_completed"):
        found.append(
            Finding(
                "watch.projects_unfinished",
                {"started": started, "spending_given": ctx.reported("linkage_funds_spent_share")},
            )
        )
    orders = ctx.derived_amount("sales_orders_share")
    if orders is not None and orders.lower >= MOST:
        found.append(Finding("watch.orders", {"share": orders, "orders": ctx.amount("sales_orders")}))
    return found
