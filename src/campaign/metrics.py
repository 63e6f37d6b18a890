"""Derived figures (implied last-year levels, targets, shares, averages, pacing) with intervals."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from .registers import Registers, parse_period_end

DERIVED_COLUMNS = ["region", "period_end", "metric", "value", "lower", "upper", "unit", "description", "description_zh"]


@dataclass(frozen=True)
class Estimate:
    """A figure with the interval its printed precision allows (lower <= value <= upper)."""

    value: float
    lower: float
    upper: float

    @classmethod
    def exact(cls, value: float) -> Estimate:
        return cls(value, value, value)

    @classmethod
    def from_row(cls, row) -> Estimate:
        return cls(float(row["value"]), float(row["lower"]), float(row["upper"]))

    def _combine(self, other: Estimate | float, operation) -> Estimate:
        other = other if isinstance(other, Estimate) else Estimate.exact(float(other))
        corners = [operation(a, b) for a in (self.lower, self.upper) for b in (other.lower, other.upper)]
        return Estimate(operation(self.value, other.value), min(corners), max(corners))

    def __add__(self, other):
        return self._combine(other, lambda a, b: a + b)

    def __sub__(self, other):
        return self._combine(other, lambda a, b: a - b)

    def __mul__(self, other):
        return self._combine(other, lambda a, b: a * b)

    def __truediv__(self, other):
        other = other if isinstance(other, Estimate) else Estimate.exact(float(other))
        if other.lower <= 0 <= other.upper:
            raise ZeroDivisionError("the divisor's interval contains zero")
        return self._combine(other, lambda a, b: a / b)

    def contains(self, x: float) -> bool:
        return self.lower <= x <= self.upper

    def overlaps(self, other: Estimate) -> bool:
        return self.lower <= other.upper and other.lower <= self.upper

    @property
    def half_width(self) -> float:
        return (self.upper - self.lower) / 2


class _EstimatesOf:
    """Rows of one region and period, keyed by ``key``, read as Estimates (shared look-up logic)."""

    key = ""
    what = "figure"

    def __init__(self, table: pd.DataFrame, region: str, period_end: str):
        self.region = region
        self.period_end = str(period_end)
        mask = (table["region"] == region) & (table["period_end"].astype(str) == self.period_end)
        self.rows = table[mask].set_index(self.key)

    def has(self, name: str) -> bool:
        return name in self.rows.index and not math.isnan(float(self.rows.at[name, "value"]))

    def get(self, name: str) -> Estimate | None:
        return Estimate.from_row(self.rows.loc[name]) if self.has(name) else None

    def __getitem__(self, name: str) -> Estimate:
        estimate = self.get(name)
        if estimate is None:
            raise KeyError(f"{self.what} {name} is not available for {self.region} {self.period_end}")
        return estimate


class Figures(_EstimatesOf):
    """The observations of one region and period, looked up by indicator id."""

    key = "indicator"
    what = "figure"

    def reported(self, indicator: str) -> bool:
        """Present as a row, counted or qualitative."""
        return indicator in self.rows.index

    def note(self, indicator: str) -> str:
        return str(self.rows.at[indicator, "note"]) if self.reported(indicator) else ""

    @property
    def tasks(self) -> set[str]:
        return set(self.rows["task"])


# The domain formulas. Each is one line on purpose: the notebooks and tests call these.


def implied_last_year(current: Estimate, ratio_to_last_year: Estimate) -> Estimate:
    """Last year's level implied by this year's level and the printed ratio to last year."""
    return current / ratio_to_last_year


def growth(ratio_to_last_year: Estimate) -> Estimate:
    """Growth on last year from a ratio to last year's level (105.28% -> +5.28%)."""
    return ratio_to_last_year - 1.0


def implied_target(achieved: Estimate, completion: Estimate) -> Estimate:
    """The target implied by what was achieved and the printed completion rate."""
    return achieved / completion


def share(part: Estimate, whole: Estimate) -> Estimate:
    return part / whole


def per_unit(total: Estimate, count: Estimate) -> Estimate:
    return total / count


def year_elapsed(period_end: str | dt.date) -> Estimate:
    """How far through its calendar year a date lies: 2022-06-30 is day 181 of 365."""
    date = period_end if isinstance(period_end, dt.date) else parse_period_end(period_end)
    days_in_year = (dt.date(date.year, 12, 31) - dt.date(date.year, 1, 1)).days + 1
    return Estimate.exact(date.timetuple().tm_yday / days_in_year)


def ahead_of_calendar(completion: Estimate, elapsed: Estimate) -> Estimate:
    """Completion of an annual target minus the share of the year gone, in points (0 = even pace)."""
    return completion - elapsed


class MeasureMismatchError(ValueError):
    """A stock (a level at a date) and a flow (an amount over a period) set against each other."""


def per_unit_of(figures: Figures, registers: Registers, total: str, count: str) -> Estimate:
    """``total`` per ``count`` for one region and period; both must be stocks or both flows."""
    measures = {i: registers.indicators[i].measure_for(figures.region) for i in (total, count)}
    if measures[total] != measures[count]:
        raise MeasureMismatchError(
            f"{total} ({measures[total]}) cannot be divided by {count} ({measures[count]}) for {figures.region}"
        )
    return per_unit(figures[total], figures[count])


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
    for (region, period_end), _ in observations.groupby(["region", "period_end"], sort=True):
        for derived in derive_for(Figures(observations, region, period_end), registers):
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


def read_derived(path) -> pd.DataFrame:
    from .io import read_processed_csv

    return read_processed_csv(path, dtype={"period_end": "str"})


class Derived(_EstimatesOf):
    """The derived figures of one region and period, looked up by metric id."""

    key = "metric"
    what = "derived figure"
