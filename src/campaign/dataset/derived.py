"""Derived figures (implied last-year levels, targets, shares, averages, pacing), each with its interval."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from campaign.core.estimates import (
    Estimate,
    ahead_of_calendar,
    growth,
    implied_last_year,
    implied_target,
    share,
    year_elapsed,
)
from campaign.core.registers import Registers
from campaign.dataset.processed import Figures, per_unit_of

DERIVED_COLUMNS = ["region", "period_end", "metric", "value", "lower", "upper", "unit", "description", "description_zh"]


# Per-unit averages worth computing wherever both figures are present and are the same measure.
PER_UNIT_AVERAGES = [
    (
        "average_balance_per_household",
        "microcredit_balance",
        "microcredit_households",
        "yuan",
        "average microcredit balance per borrowing household",
        "户均贷款余额",
    ),
    (
        "average_loan_per_household",
        "microcredit_amount",
        "microcredit_households",
        "yuan",
        "average microcredit per household",
        "户均贷款",
    ),
    (
        "linkage_funds_per_planned_project",
        "linkage_funds",
        "projects_planned",
        "yuan",
        "linkage funds per project in the annual plan",
        "年度计划项目平均衔接资金",
    ),
    (
        "person_times_per_training_session",
        "training_person_times",
        "training_sessions",
        "person_times",
        "person-times trained per session",
        "每期培训人次",
    ),
    (
        "reach_per_publicity_event",
        "publicity_person_times",
        "publicity_events",
        "person_times",
        "person-times reached per publicity event",
        "每次宣传覆盖人次",
    ),
]


@dataclass(frozen=True)
class DerivedMetric:
    metric: str
    estimate: Estimate
    unit: str
    description: str
    description_zh: str


@dataclass(frozen=True)
class Underivable:
    """A derived figure that the data cannot give: one of its divisors is zero (or may be)."""

    metric: str
    description: str
    description_zh: str


def _metric(metric: str, compute, unit: str, description: str, description_zh: str) -> DerivedMetric | Underivable:
    """The derived figure ``compute()`` gives, or Underivable when it would divide by zero."""
    try:
        return DerivedMetric(metric, compute(), unit, description, description_zh)
    except ZeroDivisionError:
        return Underivable(metric, description, description_zh)


def _last_year_and_growth(of, last_year, growth_rate, how_en: str, how_zh: str):
    """The implied last-year level of ``of`` and its growth on it, as two derived figures
    (``last_year`` and ``growth_rate`` are computed here, so that a zero divisor is reported)."""
    yield _metric(
        f"{of.id}_last_year",
        last_year,
        of.unit,
        f"{of.name_en}: last year's level implied by {how_en}",
        f"{of.name_zh}：按{how_zh}推算的上年水平",
    )
    yield _metric(
        f"{of.id}_growth", growth_rate, "ratio", f"{of.name_en}: growth on last year", f"{of.name_zh}：比上年增长"
    )


def _from_relation(figures: Figures, indicator, of) -> Iterator[DerivedMetric | Underivable]:
    """The figures derived from one indicator and the one its relation names (both present)."""
    relation = indicator.relation
    own, whole = figures[indicator.id], figures[of.id]
    if relation.kind == "ratio_to_last_year":
        yield from _last_year_and_growth(
            of,
            lambda: implied_last_year(whole, own),
            lambda: growth(own),
            "the ratio to last year",
            "占上年度比例",
        )
    elif relation.kind == "completion_of_target":
        yield _metric(
            f"{of.id}_target_{relation.target}",
            lambda: implied_target(whole, own),
            of.unit,
            f"{of.name_en}: {relation.target} target implied by the completion rate",
            f"{of.name_zh}：按完成率推算的{_TARGET_ZH.get(relation.target, relation.target)}目标",
        )
        if relation.target == "annual":
            yield _metric(
                f"{indicator.id}_ahead",
                lambda: ahead_of_calendar(own, year_elapsed(figures.period_end)),
                "ratio",
                f"{indicator.name_en} minus the share of the year elapsed (percentage points)",
                f"{indicator.name_zh}超时间进度（百分点）",
            )
    elif relation.kind == "change_on_last_year":
        last = whole - own
        yield from _last_year_and_growth(of, lambda: last, lambda: whole / last - 1.0, "the increase", "增量")
    elif relation.kind == "growth_on_last_year":
        yield _metric(
            f"{of.id}_last_year",
            lambda: whole / (own + 1.0),
            of.unit,
            f"{of.name_en}: last year's level implied by the growth rate",
            f"{of.name_zh}：按增长率推算的上年水平",
        )
    elif relation.kind == "above_target":
        yield _metric(
            f"{of.id}_target",
            lambda: whole - own,
            of.unit,
            f"{of.name_en}: target implied by the amount above it",
            f"{of.name_zh}：按超出量推算的目标",
        )
    elif relation.kind == "part_of":
        yield _metric(
            f"{indicator.id}_share",
            lambda: share(own, whole),
            "ratio",
            f"{indicator.name_en} as a share of {of.name_en.lower()}",
            f"{indicator.name_zh}占{of.name_zh}的比重",
        )


def derive_for(figures: Figures, registers: Registers) -> Iterator[DerivedMetric | Underivable]:
    """Every derived figure the observations of one region and period support; one that would
    divide by zero comes as Underivable. Each is computed before the next is made."""
    indicators = registers.indicators
    for indicator in indicators.values():
        relation = indicator.relation
        if relation and figures.has(indicator.id) and figures.has(relation.of):
            yield from _from_relation(figures, indicator, indicators[relation.of])

    # The in-province split is not printed: total minus out-of-province, this year and last.
    if figures.has("employed_labourers") and figures.has("employed_out_of_province"):
        in_province = figures["employed_labourers"] - figures["employed_out_of_province"]
        yield _metric(
            "employed_in_province",
            lambda: in_province,
            "persons",
            "Labourers working inside the province (total minus out-of-province)",
            "省内务工人数（总数减省外）",
        )
        ratios = ("employed_labourers_vs_last_year", "employed_out_of_province_vs_last_year")
        if all(figures.has(r) for r in ratios):

            def total_last():
                return implied_last_year(figures["employed_labourers"], figures[ratios[0]])

            def in_last():
                out_last = implied_last_year(figures["employed_out_of_province"], figures[ratios[1]])
                return total_last() - out_last

            yield _metric(
                "employed_in_province_last_year",
                in_last,
                "persons",
                "Labourers working inside the province last year (implied)",
                "上年省内务工人数（推算）",
            )
            yield _metric(
                "employed_in_province_growth",
                lambda: in_province / in_last() - 1.0,
                "ratio",
                "Labourers working inside the province: growth on last year (implied)",
                "省内务工人数比上年增长（推算）",
            )
            yield _metric(
                "employed_out_of_province_share_last_year",
                lambda: implied_last_year(figures["employed_out_of_province"], figures[ratios[1]]) / total_last(),
                "ratio",
                "Out-of-province share of labourers in work last year (implied)",
                "上年省外务工占比（推算）",
            )

    rates = ("microcredit_household_loan_rate", "microcredit_household_loan_rate_last_year")
    if all(figures.has(r) for r in rates):
        yield _metric(
            "microcredit_household_loan_rate_change",
            lambda: figures[rates[0]] - figures[rates[1]],
            "ratio",
            "Household loan rate: change on last year (percentage points)",
            "户贷率比上年提高（百分点）",
        )

    for metric, total, count, unit, description, description_zh in PER_UNIT_AVERAGES:
        if figures.has(total) and figures.has(count):
            measures = {registers.indicators[i].measure_for(figures.region) for i in (total, count)}
            if len(measures) > 1:
                continue  # a stock over a flow means nothing: not computed (see per_unit_of)
            yield _metric(
                metric,
                lambda total=total, count=count: per_unit_of(figures, registers, total, count),
                unit,
                description[0].upper() + description[1:],
                description_zh,
            )

    yield DerivedMetric(
        "year_elapsed",
        year_elapsed(figures.period_end),
        "ratio",
        "Share of the calendar year elapsed at the period end",
        "报告期末已过全年时间比例",
    )


_TARGET_ZH = {"annual": "年度", "100day": "百日攻坚"}


def derive_metrics(
    observations: pd.DataFrame, registers: Registers, underivable: list[tuple[str, str, Underivable]] | None = None
) -> pd.DataFrame:
    """Derived figures for every region and period in the observations. Those that would divide
    by zero are left out and, when ``underivable`` is given, listed there as (region, period, what)."""
    rows = []
    for (region, period_end), figures in Figures.groups(observations):
        for derived in derive_for(figures, registers):
            if isinstance(derived, Underivable):
                if underivable is not None:
                    underivable.append((region, period_end, derived))
                continue
            e = derived.estimate
            rows.append(
                [
                    region,
                    period_end,
                    derived.metric,
                    e.value,
                    e.lower,
                    e.upper,
                    derived.unit,
                    derived.description,
                    derived.description_zh,
                ]
            )
    return pd.DataFrame(rows, columns=DERIVED_COLUMNS)
