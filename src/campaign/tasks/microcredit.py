"""20 · Microcredit: disbursement against its targets and the calendar, and beside other places."""

from __future__ import annotations

from campaign.core.estimates import Estimate
from campaign.core.settings import LOAN_CEILING
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Amount, Finding, above
from campaign.tasks.specs import Bar, Chart, Style, words

TASK = "microcredit"
FIGURE_COMPLETION = "microcredit-target-completion"
FIGURE_AVERAGE = "microcredit-average-loan-vs-benchmarks"
# An average within this share of the ceiling means nearly every loan is at the ceiling.
NEAR_CEILING = 0.98


def ceiling() -> Amount:
    return Amount(Estimate.exact(LOAN_CEILING), "yuan")


def near_ceiling(average: Amount) -> bool:
    """Whether an average loan is at the usual limit: nearly every loan at the limit."""
    return average.lower >= NEAR_CEILING * LOAN_CEILING


def findings(ctx: RunContext) -> list[Finding]:
    amount = ctx.amount("microcredit_amount")
    if amount is None:
        return []
    found = []
    average = ctx.derived_amount("average_loan_per_household")
    found.append(
        Finding(
            "microcredit.disbursed",
            {
                "amount": amount,
                "households": ctx.amount("microcredit_households"),
                "population": ctx.registers.indicators["microcredit_households"].population_for(ctx.region.slug),
                "average": average,
                "ceiling": ceiling(),
                "of_ceiling": None if average is None else Amount(average.estimate / LOAN_CEILING, "ratio"),
                "period_end": ctx.period_end,
            },
            judgement=None if average is None else ("near_ceiling" if near_ceiling(average) else "below_ceiling"),
        )
    )
    completion = ctx.amount("microcredit_100day_completion")
    if completion:
        found.append(
            Finding(
                "microcredit.target_100day",
                {
                    "completion": completion,
                    "target": ctx.derived_amount("microcredit_amount_target_100day"),
                    "amount": amount,
                },
                judgement={True: "met", False: "not_met", None: "unclear"}[above(completion, 1.0 - 1e-12)],
            )
        )
    annual = ctx.amount("microcredit_annual_completion")
    if annual:
        ahead = ctx.derived_amount("microcredit_annual_completion_ahead")
        found.append(
            Finding(
                "microcredit.annual",
                {
                    "completion": annual,
                    "elapsed": ctx.derived_amount("year_elapsed"),
                    "ahead": ahead,
                    # a printed target is quoted; only a target the source does not print is implied
                    "printed_target": ctx.amount("microcredit_annual_target"),
                    "target": ctx.derived_amount("microcredit_amount_target_annual"),
                    "period_end": ctx.period_end,
                    "also": completion is not None,
                    "rank": ctx.rank_of("microcredit_annual_completion"),
                    "hundred_share": ctx.derived_amount("microcredit_100day_target_share_of_annual"),
                },
                judgement={True: "ahead", False: "behind", None: "even"}[above(ahead, 0.0)],
                caveats=("caveat.lending_seasonal",),
            )
        )
    growth = ctx.amount("microcredit_amount_growth")
    if growth:
        found.append(Finding("microcredit.growth", {"growth": growth, "period_end": ctx.period_end}))
    rate, change = (
        ctx.amount("microcredit_household_loan_rate"),
        ctx.derived_amount("microcredit_household_loan_rate_change"),
    )
    if rate and change:
        found.append(
            Finding(
                "microcredit.loan_rate",
                {
                    "rate": rate,
                    "last_year": ctx.amount("microcredit_household_loan_rate_last_year"),
                    "change": change,
                    "period_end": ctx.period_end,
                },
                judgement={True: "rose", False: "fell", None: "unclear"}[above(change, 0.0)],
            )
        )
    return found + comparisons(ctx)


def comparisons(ctx: RunContext) -> list[Finding]:
    """Other places, compared by rates only: completion against the calendar, growth, average balance."""
    found = []
    own_ahead = ctx.derived_amount("microcredit_annual_completion_ahead")
    for other in ctx.elsewhere("microcredit_annual_completion"):
        ahead = [o for o in ctx.derived_elsewhere("microcredit_annual_completion_ahead") if o.region == other.region]
        same = [o for o in ctx.elsewhere("microcredit_annual_target") if o.region == other.region]
        amounts = [o for o in ctx.elsewhere("microcredit_amount") if o.region == other.region]
        found.append(
            Finding(
                "microcredit.other_completion",
                {
                    "place": other.region,
                    "completion": other.amount,
                    "target": same[0].amount if same else None,
                    "amount": amounts[0].amount if amounts else None,
                    "ahead": ahead[0].amount if ahead else None,
                    "period_end": other.period_end,
                    "own_ahead": own_ahead,
                    "region": ctx.region,
                    "rank": ctx.rank_of(other),
                },
                caveats=("caveat.others.lending_dates",) if other.period_end != ctx.run.period_end else (),
            )
        )
    growths = ctx.elsewhere("microcredit_amount_growth")
    for index, other in enumerate(growths):
        # a growth rate over another period than the one before it says so beside it
        before = growths[index - 1] if index else None
        unlike = before.region if before is not None and before.period_end != other.period_end else None
        found.append(
            Finding(
                "microcredit.other_growth",
                {"place": other.region, "growth": other.amount, "period_end": other.period_end, "unlike": unlike},
                caveats=("caveat.others.growth_periods",) if other.period_end != ctx.run.period_end else (),
            )
        )
    for other in ctx.derived_elsewhere("average_balance_per_household"):
        balance = [o for o in ctx.elsewhere("microcredit_balance") if o.region == other.region]
        households = [o for o in ctx.elsewhere("microcredit_households") if o.region == other.region]
        found.append(
            Finding(
                "microcredit.other_balance",
                {
                    "place": other.region,
                    "balance": balance[0].amount if balance else None,
                    "households": households[0].amount if households else None,
                    "average": other.amount,
                    "period_end": other.period_end,
                },
                # a balance, not an amount disbursed: its own sentence says so (microcredit.other_balance)
            )
        )
    for other in ctx.elsewhere("microcredit_amount"):
        if other.region.level == "prefecture":
            continue  # a city's amount is described by its completion and growth above
        found.append(
            Finding(
                "microcredit.other_amount",
                {
                    "place": other.region,
                    "amount": other.amount,
                    "period_end": other.period_end,
                    "rank": ctx.rank_of(other),
                },
                caveats=("caveat.others.no_share_across_periods",) if other.period_end != ctx.run.period_end else (),
            )
        )
    return found


def completion_figure(ctx: RunContext) -> Chart | None:
    """Completion of each target, with the share of the year elapsed for annual targets."""
    rows = []
    if ctx.has("microcredit_100day_completion"):
        rows.append(
            (
                words("microcredit.figure.target_100day", region=ctx.region),
                ctx.figures["microcredit_100day_completion"],
                None,
                False,
            )
        )
    places = [(ctx.region, ctx.run.period_end, ctx.figures.get("microcredit_annual_completion"))]
    places += [(o.region, o.period_end, o.amount.estimate) for o in ctx.elsewhere("microcredit_annual_completion")]
    for region, period_end, completion in places:
        if completion is None:
            continue
        elapsed = [
            o
            for o in ctx.derived_table.itertuples()
            if o.region == region.slug and str(o.period_end) == period_end and o.metric == "year_elapsed"
        ]
        rows.append(
            (
                words("microcredit.figure.annual", region=region, period_end=period_end),
                completion,
                float(elapsed[0].value) if elapsed else None,
                period_end != ctx.run.period_end,  # another place at its own date: hatched, as in the averages
            )
        )
    if not rows:
        return None
    return Chart(
        "bullets",
        tuple(rows),
        Style("percent"),
        title=words("microcredit.figure.completion_title"),
        caption=words("microcredit.figure.completion_caption"),
        options={
            "pace_label": words("microcredit.figure.elapsed"),
            "target_label": words("microcredit.figure.target"),
            "other_date_label": words("figure.different_date"),
        },
    )


def averages_alike(ctx: RunContext) -> tuple[bool, bool] | None:
    """Whether every other place's average loan per household is indistinguishable from the run's
    at the printed precision (their intervals overlap), and whether all of them are at the usual
    limit (``near_ceiling``); None without averages to compare."""
    own = ctx.derived_amount("average_loan_per_household")
    others = [o.amount for o in ctx.derived_elsewhere("average_loan_per_household")]
    if own is None or not others:
        return None
    alike = all(own.estimate.overlaps(o.estimate) for o in others)
    return alike, all(near_ceiling(a) for a in (own, *others))


def average_figure(ctx: RunContext) -> Chart | None:
    own = ctx.derived_amount("average_loan_per_household")
    if own is None:
        return None
    bars = [Bar(words("microcredit.figure.own_average", region=ctx.region, period_end=ctx.period_end), own.estimate)]
    for other in ctx.derived_elsewhere("average_loan_per_household"):
        bars.append(
            Bar(
                words("microcredit.figure.other_average", place=other.region, period_end=other.period_end),
                other.amount.estimate,
                like_for_like=other.period_end == ctx.run.period_end,
            )
        )
    # A balance per borrowing household (a stock over a stock) is another measure: it is stated in
    # words beside these averages of amounts disbursed, never drawn on their axis. One scale for
    # every bar where the language uses one (microcredit.figure.scale).
    return Chart(
        "benchmark_bars",
        tuple(bars),
        Style("amount", unit="yuan", scale="microcredit.figure.scale"),
        title=words("microcredit.figure.average_title"),
        caption=words("microcredit.figure.average_caption"),
        options={
            "not_comparable_label": words("figure.different_date"),
            "reference": (LOAN_CEILING, words("microcredit.figure.ceiling", ceiling=ceiling())),
        },
    )
