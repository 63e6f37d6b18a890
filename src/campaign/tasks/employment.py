"""10 · Employment: labourers in work against last year's implied level, inside and outside the province."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from campaign.tasks.context import RunContext
from campaign.tasks.findings import Amount, Finding, above
from campaign.view import charts
from campaign.view.text.catalogue import Text

TASK = "employment"
FIGURE_THIS_YEAR = "employment-this-year-vs-last-year"
FIGURE_NATIONAL = "employment-growth-vs-national"
INCOME_INDICATORS = ("net_income_per_person", "net_income_per_person_growth", "net_income_per_person_increase")


def findings(ctx: RunContext) -> list[Finding]:
    total = ctx.amount("employed_labourers")
    if total is None:
        return []
    growth = ctx.derived_amount("employed_labourers_growth")
    if growth is None:
        return [Finding("employment.total_only", {"total": total, "period_end": ctx.period_end})]
    found = [
        Finding(
            "employment.total",
            {
                "total": total,
                "ratio": ctx.amount("employed_labourers_vs_last_year"),
                "last_year": ctx.derived_amount("employed_labourers_last_year"),
                "growth": growth,
                "period_end": ctx.period_end,
            },
            judgement={True: "rose", False: "fell", None: "unclear"}[above(growth, 0.0)],
        )
    ]
    out_growth = ctx.derived_amount("employed_out_of_province_growth")
    inside_growth = ctx.derived_amount("employed_in_province_growth")
    if out_growth is not None and inside_growth is not None:
        faster = above(out_growth.estimate - inside_growth.estimate, 0.0)
        found.append(
            Finding(
                "employment.out_of_province",
                {
                    "out": ctx.amount("employed_out_of_province"),
                    "out_ratio": ctx.amount("employed_out_of_province_vs_last_year"),
                    "out_growth": out_growth,
                    "inside": ctx.derived_amount("employed_in_province"),
                    "inside_growth": inside_growth,
                    "share": ctx.derived_amount("employed_out_of_province_share"),
                    "share_last_year": ctx.derived_amount("employed_out_of_province_share_last_year"),
                },
                judgement={True: "out_faster", False: "inside_faster", None: "unclear"}[faster],
            )
        )
    national = [o for o in ctx.derived_elsewhere("employed_labourers_growth") if o.region.level == "country"]
    if national:
        found.append(
            Finding(
                "employment.national",
                {"place": national[0].region, "growth": national[0].amount, "period_end": national[0].period_end},
                caveats=("caveat.year_end_against_mid_year",),
            )
        )
    return found


def aim(ctx: RunContext) -> Finding | None:
    """The campaign's aim for employment, judged across the whole interval the printed ratios allow."""
    growth = ctx.derived_amount("employed_labourers_growth")
    if growth is None:
        return None
    out = ctx.derived_amount("employed_out_of_province_growth")
    return Finding(
        "employment.aim",
        {"growth": growth, "out_growth": out},
        judgement=_met(above(growth, 0.0)),
        caveats=() if out is None else (f"employment.aim_out.{_met(above(out, 0.0))}",),
    )


def _met(rose: bool | None) -> str:
    return {True: "met", False: "not_met", None: "unclear"}[rose]


def this_year_table(ctx: RunContext, text: Text) -> pd.DataFrame | None:
    rows = _groups(ctx)
    if not rows:
        return None
    return pd.DataFrame(
        [
            [
                text.plain(f"employment.group.{group}"),
                text.amount(now),
                text.amount(last),
                text.amount(growth, signed=True),
            ]
            for group, now, last, growth in rows
        ],
        columns=text.plain("employment.table.columns").split("|"),
    )


def _groups(ctx: RunContext) -> list[tuple[str, Amount, Amount, Amount]]:
    """(group, this year, last year implied, growth) for the total and each part the data give."""
    groups = []
    for group, now, stem in (
        ("total", "employed_labourers", "employed_labourers"),
        ("inside", "employed_in_province", "employed_in_province"),
        ("outside", "employed_out_of_province", "employed_out_of_province"),
    ):
        current = ctx.amount(now) or ctx.derived_amount(now)
        last = ctx.derived_amount(f"{stem}_last_year")
        growth = ctx.derived_amount(f"{stem}_growth")
        if current and last and growth:
            groups.append((group, current, last, growth))
    return groups


def this_year_figure(ctx: RunContext, text: Text) -> Figure | None:
    groups = _groups(ctx)
    if not groups:
        return None
    return charts.this_year_against_last(
        [(text.plain(f"employment.group.{g}"), now.estimate, last.estimate) for g, now, last, _ in groups],
        labels=(
            text.plain("employment.figure.this_year", period_end=ctx.period_end),
            text.plain("employment.figure.last_year"),
        ),
        value_format=lambda e: text.amount(Amount(e, "persons")),
        title=text.plain("employment.figure.title", region=ctx.region),
        caption=text.plain("employment.figure.caption"),
    )


def national_figure(ctx: RunContext, text: Text) -> Figure | None:
    own = ctx.derived_amount("employed_labourers_growth")
    national = [o for o in ctx.derived_elsewhere("employed_labourers_growth") if o.region.level == "country"]
    if own is None or not national:
        return None
    bars = [
        charts.Bar(
            text.plain("employment.national.own_bar", region=ctx.region, period_end=ctx.period_end), own.estimate
        )
    ]
    for other in national:
        bars.append(
            charts.Bar(
                text.plain("employment.national.bar", place=other.region, period_end=other.period_end),
                other.amount.estimate,
                note=text.plain("employment.national.note"),
                like_for_like=False,
            )
        )
    return charts.benchmark_bars(
        bars,
        value_format=lambda e: text.percent(e, signed=True, places=1),
        not_comparable_label=text.plain("figure.not_like_for_like"),
        title=text.plain("employment.national.title"),
        caption=text.plain("employment.national.caption"),
    )


def income_context(ctx: RunContext) -> Finding | None:
    """Incomes of poverty-alleviated people, what the campaign is meant to protect (other places, whole year)."""
    places = []
    for observed in ctx.elsewhere("net_income_per_person"):
        growth = [g for g in ctx.elsewhere("net_income_per_person_growth") if g.region == observed.region]
        increase = [g for g in ctx.elsewhere("net_income_per_person_increase") if g.region == observed.region]
        places.append(
            {
                "place": observed.region,
                "income": observed.amount,
                "period_end": observed.period_end,
                "growth": growth[0].amount if growth else None,
                "increase": increase[0].amount if increase else None,
            }
        )
    if not places:
        return None
    own = any(ctx.reported(i) for i in INCOME_INDICATORS)
    return Finding(
        "employment.income_context", {"places": places, "region": ctx.region}, judgement="own" if own else "none"
    )
