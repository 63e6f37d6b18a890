"""30 · Consumption assistance: the total, its channels, and whether they add up."""

from __future__ import annotations

from campaign.tasks.context import RunContext
from campaign.tasks.findings import Amount, Finding
from campaign.tasks.specs import Chart, Name, Style, Table, Value, words

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
            summed = summed_channels(parts)
            judgement = sum_judgement(ctx, parts, summed, total)
            # components that add up exactly say so in the sentence on them; any other sum is a
            # finding of its own
            found.append(
                Finding(
                    "sales.channels",
                    {
                        "largest": ctx.registers.indicators[largest[0]],
                        "largest_share": largest[2],
                        "smallest": ctx.registers.indicators[smallest[0]],
                        "smallest_share": smallest[2],
                        "count": len(parts),
                        "parts": [(ctx.registers.indicators[p], amount) for p, amount, _ in parts],
                        "sum": summed,
                    },
                    judgement="exact" if judgement == "exact" else None,
                )
            )
            if judgement != "exact":
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


def sum_judgement(ctx: RunContext, parts, summed: Amount, total: Amount) -> str:
    """How the channels' sum stands to the total: exact (every channel, to the last printed
    digit), adds_up or partial (within the printed rounding, with every channel or not), short, over."""
    complete = len(parts) == len(ctx.registers.parts_of(TOTAL, channels_only=True))
    if complete and adds_up_exactly(summed, total):
        return "exact"
    if summed.estimate.overlaps(total.estimate):
        return "adds_up" if complete else "partial"
    return "short" if summed.value < total.value else "over"


def adds_up_exactly(summed: Amount, total: Amount) -> bool:
    """The printed channels sum to the printed total to the last printed digit (whole yuan)."""
    return round(summed.value) == round(total.value)


def summed_channels(parts: list[tuple[str, Amount, Amount]]) -> Amount:
    """The channels added up, with the interval their printed digits allow."""
    return Amount(sum((p[1].estimate for p in parts[1:]), parts[0][1].estimate), "yuan")


def channels_table(ctx: RunContext) -> Table | None:
    total = ctx.amount(TOTAL)
    parts = channels(ctx)
    if total is None or not parts:
        return None
    indicators = ctx.registers.indicators
    money = Style("amount", scale="sales.table.scale")  # one scale down the column
    rows = [
        (Name(indicators[p]), amount.printed, Value(amount, money), Value(share, Style("percent", places=1)))
        for p, amount, share in parts
    ]
    summed = summed_channels(parts)
    exact = sum_judgement(ctx, parts, summed, total) == "exact"
    rows.append(
        (
            words("sales.table.sum"),
            "",
            Value(total, money) if exact else Value(summed, money),
            "100%" if exact else Value(summed.estimate / total.estimate, Style("percent", places=1)),
        )
    )
    rows.append((Name(indicators[TOTAL]), total.printed, Value(total, money), "100%"))
    return Table(words("sales.table.columns"), tuple(rows), printed=1)


def channels_figure(ctx: RunContext) -> Chart | None:
    total = ctx.amount(TOTAL)
    parts = channels(ctx)
    if total is None or not parts:
        return None
    return Chart(
        "composition",
        tuple((Name(ctx.registers.indicators[p]), amount.estimate) for p, amount, _ in parts),
        Style("amount", unit="yuan", scale="sales.figure.scale"),  # one scale along the axis
        title=words("sales.figure.title", region=ctx.region),
        caption=words("sales.figure.caption"),
        options={
            "total": total.estimate,
            "share_format": Style("percent", half_width=0.0005),
            "total_label": words("sales.figure.total", total=total),
        },
    )
