"""Derived figures (implied last-year levels, targets, shares, averages, pacing), each with its interval."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

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

DESCRIPTIONS_FILE = Path(__file__).with_name("derived.yml")
DERIVED_COLUMNS = ["region", "period_end", "metric", "value", "lower", "upper", "unit", "description", "description_zh"]


# Per-unit averages worth computing wherever both figures are present and are the same measure.
PER_UNIT_AVERAGES = [
    ("average_balance_per_household", "microcredit_balance", "microcredit_households", "yuan"),
    ("average_loan_per_household", "microcredit_amount", "microcredit_households", "yuan"),
    ("linkage_funds_per_planned_project", "linkage_funds", "projects_planned", "yuan"),
    ("person_times_per_training_session", "training_person_times", "training_sessions", "person_times"),
    ("reach_per_publicity_event", "publicity_person_times", "publicity_events", "person_times"),
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


@functools.cache
def _catalogue() -> dict:
    return yaml.safe_load(DESCRIPTIONS_FILE.read_text(encoding="utf-8"))


def describe(key: str, of=None, indicator=None, how: str = "", target: str = "") -> tuple[str, str]:
    """The description of a derived figure in English and in Chinese (derived.yml), with the
    names of the indicators it comes from filled in (str.format: a name is never read as a
    template)."""
    catalogue = _catalogue()
    template = catalogue["descriptions"][key]
    described = []
    for lang, names in (("en", "name_en"), ("zh", "name_zh")):
        of_name = getattr(of, names, "")
        values = {
            "of": of_name,
            "of_lower": of_name.lower() if lang == "en" else of_name,
            "indicator": getattr(indicator, names, ""),
            "how": catalogue["words"][how][lang] if how else "",
            "target": catalogue["words"].get(f"target.{target}", {}).get(lang, target),
        }
        described.append(template[lang].format(**values))
    return described[0], described[1]


def _metric(metric: str, compute, unit: str, description: tuple[str, str]) -> DerivedMetric | Underivable:
    """The derived figure ``compute()`` gives, or Underivable when it would divide by zero."""
    try:
        return DerivedMetric(metric, compute(), unit, *description)
    except ZeroDivisionError:
        return Underivable(metric, *description)


def _last_year_and_growth(of, last_year, growth_rate, how: str):
    """The implied last-year level of ``of`` and its growth on it, as two derived figures
    (``last_year`` and ``growth_rate`` are computed here, so that a zero divisor is reported)."""
    yield _metric(f"{of.id}_last_year", last_year, of.unit, describe("last_year", of=of, how=how))
    yield _metric(f"{of.id}_growth", growth_rate, "ratio", describe("growth", of=of))


def _from_relation(figures: Figures, indicator, of) -> Iterator[DerivedMetric | Underivable]:
    """The figures derived from one indicator and the one its relation names (both present)."""
    relation = indicator.relation
    own, whole = figures[indicator.id], figures[of.id]
    if relation.kind == "ratio_to_last_year":
        yield from _last_year_and_growth(
            of,
            lambda: implied_last_year(whole, own),
            lambda: growth(own),
            "how.ratio",
        )
    elif relation.kind == "completion_of_target":
        yield _metric(
            f"{of.id}_target_{relation.target}",
            lambda: implied_target(whole, own),
            of.unit,
            describe("target", of=of, target=relation.target),
        )
        if relation.target == "annual":
            yield _metric(
                f"{indicator.id}_ahead",
                lambda: ahead_of_calendar(own, year_elapsed(figures.period_end)),
                "ratio",
                describe("ahead", indicator=indicator),
            )
    elif relation.kind == "change_on_last_year":
        last = whole - own
        yield from _last_year_and_growth(of, lambda: last, lambda: whole / last - 1.0, "how.increase")
    elif relation.kind == "growth_on_last_year":
        yield _metric(
            f"{of.id}_last_year",
            lambda: whole / (own + 1.0),
            of.unit,
            describe("last_year_from_growth", of=of),
        )
    elif relation.kind == "above_target":
        yield _metric(
            f"{of.id}_target",
            lambda: whole - own,
            of.unit,
            describe("target_from_above", of=of),
        )
    elif relation.kind == "part_of":
        yield _metric(
            f"{indicator.id}_share",
            lambda: share(own, whole),
            "ratio",
            describe("share", of=of, indicator=indicator),
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
            describe("employed_in_province"),
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
                describe("employed_in_province_last_year"),
            )
            yield _metric(
                "employed_in_province_growth",
                lambda: in_province / in_last() - 1.0,
                "ratio",
                describe("employed_in_province_growth"),
            )
            yield _metric(
                "employed_out_of_province_share_last_year",
                lambda: implied_last_year(figures["employed_out_of_province"], figures[ratios[1]]) / total_last(),
                "ratio",
                describe("employed_out_of_province_share_last_year"),
            )

    # Two completion rates of one amount: the 100-day target as a share of the year's target
    completions = ("microcredit_annual_completion", "microcredit_100day_completion")
    if all(figures.has(c) for c in completions):
        yield _metric(
            "microcredit_100day_target_share_of_annual",
            lambda: figures[completions[0]] / figures[completions[1]],
            "ratio",
            describe("microcredit_100day_target_share_of_annual"),
        )

    rates = ("microcredit_household_loan_rate", "microcredit_household_loan_rate_last_year")
    if all(figures.has(r) for r in rates):
        yield _metric(
            "microcredit_household_loan_rate_change",
            lambda: figures[rates[0]] - figures[rates[1]],
            "ratio",
            describe("microcredit_household_loan_rate_change"),
        )

    for metric, total, count, unit in PER_UNIT_AVERAGES:
        if figures.has(total) and figures.has(count):
            measures = {registers.indicators[i].measure_for(figures.region) for i in (total, count)}
            if len(measures) > 1:
                continue  # a stock over a flow means nothing: not computed (see per_unit_of)
            yield _metric(
                metric,
                lambda total=total, count=count: per_unit_of(figures, registers, total, count),
                unit,
                describe(metric),
            )

    yield DerivedMetric(
        "year_elapsed",
        year_elapsed(figures.period_end),
        "ratio",
        *describe("year_elapsed"),
    )


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
