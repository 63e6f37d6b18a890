"""30 · Consumption assistance: the total, its channels, and whether they add up."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from campaign.core.estimates import Estimate
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Amount, Finding
from campaign.view import charts
from campaign.view.text.catalogue import Text

TASK = "sales"
TOTAL = "consumption_assistance_total"
FIGURE_CHANNELS = "sales-channel-composition"


def channels(ctx: RunContext) -> list[tuple[str, Amount, Amount]]:
    """(indicator, amount, share of the total) of each channel the run reports."""
    parts = [p.id for p in ctx.registers.parts_of(TOTAL, channels_only=True)]
    return [(p, ctx.amount(p), ctx.derived_amount(f"{p}_share")) for p in parts if ctx.has(p)]


def findings(ctx: RunContext) -> list[Finding]:
    total = ctx.amount(TOTAL)
    found = []
    if total:
        found.append(Finding("sales.total", {"total": total, "period_end": ctx.period_end}))
        parts = channels(ctx)
        if parts:
            largest = max(parts, key=lambda p: p[1].value)
            smallest = min(parts, key=lambda p: p[1].value)
            found.append(
                Finding(
                    "sales.channels",
                    {
                        "largest": ctx.registers.indicators[largest[0]],
                        "largest_share": largest[2],
                        "smallest": ctx.registers.indicators[smallest[0]],
                        "smallest_share": smallest[2],
                        "count": len(parts),
                    },
                )
            )
            summed = Amount(sum((p[1].estimate for p in parts[1:]), parts[0][1].estimate), "yuan")
            complete = len(parts) == len(ctx.registers.parts_of(TOTAL, channels_only=True))
            if complete and adds_up_exactly(summed, total):
                judgement = "exact"
            elif summed.estimate.overlaps(total.estimate):
                judgement = "adds_up" if complete else "partial"
            else:
                judgement = "short" if summed.value < total.value else "over"
            found.append(
                Finding(
                    "sales.adds_up",
                    {"sum": summed, "total": total, "gap": Amount(total.estimate - summed.estimate, "yuan")},
                    judgement=judgement,
                )
            )
    if ctx.reported("consumption_assistance_target_met"):
        found.append(Finding("sales.target_statement", {}, caveats=("caveat.no_target_figure",)))
    return found


def adds_up_exactly(summed: Amount, total: Amount) -> bool:
    """The printed channels sum to the printed total to the last printed digit (whole yuan)."""
    return round(summed.value) == round(total.value)


def channels_table(ctx: RunContext, text: Text) -> pd.DataFrame | None:
    total = ctx.amount(TOTAL)
    parts = channels(ctx)
    if total is None or not parts:
        return None
    rows = [
        [text.name(ctx.registers.indicators[p]), amount.printed, text.amount(amount), text.percent(share, places=1)]
        for p, amount, share in parts
    ]
    summed = Amount(sum((p[1].estimate for p in parts[1:]), parts[0][1].estimate), "yuan")
    exact = len(parts) == len(ctx.registers.parts_of(TOTAL, channels_only=True)) and adds_up_exactly(summed, total)
    rows.append(
        [
            text.plain("sales.table.sum"),
            "",
            text.amount(total) if exact else text.amount(summed),
            "100%" if exact else text.percent(summed.estimate / total.estimate, places=1),
        ]
    )
    rows.append([text.name(ctx.registers.indicators[TOTAL]), total.printed, text.amount(total), "100%"])
    return pd.DataFrame(rows, columns=text.plain("sales.table.columns").split("|"))


def channels_figure(ctx: RunContext, text: Text) -> Figure | None:
    total = ctx.amount(TOTAL)
    parts = channels(ctx)
    if total is None or not parts:
        return None
    return charts.composition(
        [(text.name(ctx.registers.indicators[p]), amount.estimate) for p, amount, _ in parts],
        total.estimate,
        value_format=lambda e: text.amount(Amount(e, "yuan")),
        share_format=lambda e: text.percent(Estimate(e.value, e.value - 0.0005, e.value + 0.0005)),
        total_label=text.plain("sales.figure.total", total=total),
        title=text.plain("sales.figure.title", region=ctx.region),
        caption=text.plain("sales.figure.caption"),
    )
