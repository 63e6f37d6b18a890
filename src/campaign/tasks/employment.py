"""10 · Employment: labourers in work against last year's implied level, inside and outside the province."""

from __future__ import annotations

from campaign.tasks.context import RunContext
from campaign.tasks.findings import Amount, Finding, above
from campaign.tasks.specs import ADDING_STYLE, Chart, Style, Table, Value, words

TASK = "employment"
FIGURE_THIS_YEAR = "employment-this-year-vs-last-year"
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
                "base_year": ctx.base_year,
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
                    "inside_ratio": _share_of_last_year(ctx, "inside", inside_growth),
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
                {
                    "place": national[0].region,
                    "growth": national[0].amount,
                    "period_end": national[0].period_end,
                    "level": ctx.beside("employed_labourers", national[0]),
                    "increase": ctx.beside("employed_labourers_increase", national[0]),
                },
                # its caveat is in its own sentence (employment.national), beside the comparison
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
        # the aim for work outside the province is judged too, in the same finding (not a caveat)
        {"growth": growth, "out_growth": out, "out": None if out is None else _met(above(out, 0.0))},
        judgement=_met(above(growth, 0.0)),
    )


def _met(rose: bool | None) -> str:
    return {True: "met", False: "not_met", None: "unclear"}[rose]


def this_year_table(ctx: RunContext) -> Table | None:
    rows = _groups(ctx)
    if not rows:
        return None
    # the last column is this year's level as a share of last year's, the source's own measure
    # (占上年度): as printed where the source prints it, else one plus the derived growth
    return Table(
        words("employment.table.columns", period_end=ctx.period_end, base_year=ctx.base_year),
        tuple(
            (
                words(f"employment.group.{group}"),
                Value(now, ADDING_STYLE),
                Value(last, ADDING_STYLE),
                Value(_share_of_last_year(ctx, group, growth)),
            )
            for group, now, last, growth in rows
        ),
    )


# Each group of the employment table: its indicator, which names its derived figures too
# (<stem>_last_year, <stem>_growth) and its printed ratio to last year's level (<stem>_vs_last_year).
GROUPS = (("total", "employed_labourers"), ("inside", "employed_in_province"), ("outside", "employed_out_of_province"))


def _share_of_last_year(ctx: RunContext, group: str, growth: Amount) -> Amount:
    printed = ctx.amount(f"{dict(GROUPS)[group]}_vs_last_year")
    return printed or Amount(growth.estimate + 1.0, growth.unit)


def _groups(ctx: RunContext) -> list[tuple[str, Amount, Amount, Amount]]:
    """(group, this year, last year implied, growth) for the total and each part the data give."""
    groups = []
    for group, stem in GROUPS:
        current = ctx.amount(stem) or ctx.derived_amount(stem)
        last = ctx.derived_amount(f"{stem}_last_year")
        growth = ctx.derived_amount(f"{stem}_growth")
        if current and last and growth:
            groups.append((group, current, last, growth))
    return groups


def this_year_figure(ctx: RunContext) -> Chart | None:
    groups = _groups(ctx)
    if not groups:
        return None
    return Chart(
        "this_year_against_last",
        tuple((words(f"employment.group.{g}"), now.estimate, last.estimate) for g, now, last, _ in groups),
        Style("amount", unit="persons"),
        title=words("employment.figure.title", region=ctx.region),
        caption=words("employment.figure.caption"),
        options={
            "labels": (
                words("employment.figure.this_year", period_end=ctx.period_end),
                words("employment.figure.last_year", base_year=ctx.base_year),
            )
        },
    )


def income_context(ctx: RunContext) -> Finding | None:
    """Incomes of poverty-alleviated people, what the campaign is meant to protect (other places, whole year)."""
    places = []
    for observed in ctx.elsewhere("net_income_per_person"):
        places.append(
            {
                "place": observed.region,
                "income": observed.amount,
                "period_end": observed.period_end,
                "growth": ctx.beside("net_income_per_person_growth", observed),
                "increase": ctx.beside("net_income_per_person_increase", observed),
                "rank": ctx.rank_of(observed),
            }
        )
    if not places:
        return None
    own = any(ctx.reported(i) for i in INCOME_INDICATORS)
    return Finding(
        "employment.income_context", {"places": places, "region": ctx.region}, judgement="own" if own else "none"
    )
