"""The summary's comparison figures: other places' figures on the run's tasks as one table (place,
figure, value, date, measure, source), then the sentences that say how they bear on the run, and
the one chart that sets like beside like."""

from __future__ import annotations

import pandas as pd

from campaign.core.vocabulary import RANK_UNIT
from campaign.tasks import microcredit
from campaign.tasks.context import RunContext
from campaign.view import citations, drawing
from campaign.view.text.catalogue import Text


def comparison_table(ctx: RunContext, text: Text) -> pd.DataFrame:
    """One row per figure of a comparison place (the registers' role) on one of the run's tasks,
    grouped by task, then flows (and rates) before stocks, so that a level such as a balance or a
    count of households with a loan outstanding stands with the other levels; within a group, in the
    registers' order of indicators. A printed rank goes beside the figure it ranks."""
    order = {t.id: n for n, t in enumerate(ctx.tasks())}
    tasks = set(order)
    keyed = []
    for position, indicator in enumerate(ctx.registers.indicators.values()):
        # a level of the year before (…_last_year) is dated in the data by the report it is in:
        # its own date is not known, so it has no row here (its sentence says "in 2021")
        if indicator.task not in tasks or indicator.unit in (RANK_UNIT, "none") or indicator.id.endswith("_last_year"):
            continue
        relation = indicator.relation.kind if indicator.relation else None
        for other in ctx.elsewhere(indicator.id):
            if other.region.role != "comparison" or other.region.slug == ctx.region.slug:
                continue
            kind = KINDS.get(relation, "rate") if relation else (other.measure or "rate")
            stock = (other.measure or indicator.measure) == "stock"
            keyed.append(
                (
                    (order[indicator.task], stock, position),
                    [
                        text.place(other.region),
                        text.plain(
                            "comparison.figure", indicator=indicator, measure=other.measure, usual=indicator.measure
                        ),
                        text.plain("comparison.value", amount=other.amount, rank=ctx.rank_of(other)),
                        text.plain("comparison.date", period_end=other.period_end, kind=kind),
                        text.plain(f"comparison.kind.{kind}"),
                        citations.cite(ctx, text, other.source_id),
                    ],
                )
            )
    rows = [row for _, row in sorted(keyed, key=lambda k: k[0])]  # stable: places keep their order
    return pd.DataFrame(rows, columns=text.plain("comparison.columns").split("|"))


def show_comparisons(ctx: RunContext, text: Text, notes) -> None:
    """The table, the comparisons in words (what the table alone cannot say), the chart."""
    from campaign.view import numbering, page
    from campaign.view.summary import comparison_findings

    table = comparison_table(ctx, text)
    found = [f for f in comparison_findings(ctx) if f.id not in TABLE_SAYS_IT]
    if table.empty and not found:
        return
    if not table.empty:
        label = numbering.label("table", "comparisons", text)
        page.show_markdown(text("comparison.lead", label=label, region=ctx.region))
        caption = page.table_caption("comparisons", text.plain("table.caption.comparisons"), text)
        page.show_table(table, caption=caption, keep_together=tuple(table.columns[2:4]))
    chart = microcredit.average_figure(ctx)
    markdown = page.render_findings(found, text, notes, ctx)
    alike, near = microcredit.averages_alike(ctx) or (False, False)
    # averages that cannot be told apart are a sentence; bars of the same height would add nothing
    drawn = chart is not None and len(chart.rows) > 1 and not alike
    if chart is not None and len(chart.rows) > 1:  # the text names the chart that follows it
        markdown += "\n\n" + text(
            "summary.comparison.chart",
            label=numbering.label("figure", "summary-average-loan", text) if drawn else "",
            alike=alike,
            near=near,
            ceiling=microcredit.ceiling(),
            average=ctx.derived_amount("average_loan_per_household"),
            places=[o.region for o in ctx.derived_elsewhere("average_loan_per_household")],
            region=ctx.region,
        )
    page.show_markdown(markdown)
    if drawn:
        page.show_chart(drawing.draw(chart, text), text, "summary-average-loan")


# What a figure is, by its relation in the registers (one without a relation: its measure).
KINDS = {"target_of": "target", "change_on_last_year": "change", "above_target": "margin"}

# Findings that only restate another place's figure and its period: the table gives both.
TABLE_SAYS_IT = frozenset({"microcredit.other_growth", "microcredit.other_amount"})
