"""Consistency rules from the indicator register, run on tidy observations -> quality table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from campaign.core.estimates import Estimate, MeasureMismatchError
from campaign.core.registers import Registers
from campaign.core.settings import LOAN_CEILING
from campaign.dataset.processed import Figures, per_unit_of

# One row per check: the figure checked (value with its interval) against its limit (a total, a
# whole, a ceiling, 100%), both in ``unit``; ``missing`` lists the indicators a check could not
# find. The reports put each row into words (campaign.view.checks); ``detail`` is the same in a
# compact notation for a reader of the CSV.
QUALITY_COLUMNS = [
    "rule",
    "region",
    "period_end",
    "subject",
    "status",
    "value",
    "lower",
    "upper",
    "limit",
    "limit_lower",
    "limit_upper",
    "unit",
    "missing",
    "detail",
]


@dataclass(frozen=True)
class CheckResult:
    rule: str
    subject: str
    status: str  # pass | warn | fail
    checked: Estimate | None = None
    limit: Estimate | None = None
    unit: str = ""
    missing: tuple[str, ...] = ()

    def row(self, region: str, period_end) -> list:
        checked, limit = self.checked, self.limit
        return [
            self.rule,
            region,
            period_end,
            self.subject,
            self.status,
            *(_numbers(checked) if checked else (None, None, None)),
            *(_numbers(limit) if limit else (None, None, None)),
            self.unit,
            " ".join(self.missing),
            _notation(checked, limit, self.missing),
        ]


def _numbers(e: Estimate) -> tuple[float, float, float]:
    return float(e.value), float(e.lower), float(e.upper)


def _notation(checked: Estimate | None, limit: Estimate | None, missing: tuple[str, ...]) -> str:
    """value [lower, upper] vs limit [lower, upper]; or the missing indicators."""

    def one(e: Estimate) -> str:
        return f"{e.value:.15g}" if e.lower == e.upper else f"{e.value:.15g} [{e.lower:.15g}, {e.upper:.15g}]"

    if missing:
        return "missing: " + ", ".join(missing)
    return " vs ".join(one(e) for e in (checked, limit) if e is not None)


def parts_add_up(figures: Figures, registers: Registers) -> Iterator[CheckResult]:
    """Channels listed as parts of one total add up to it within the printed precision."""
    for whole in registers.indicators.values():
        parts = registers.parts_of(whole.id, channels_only=True)
        if not parts or not figures.has(whole.id):
            continue
        present = [p for p in parts if figures.has(p.id)]
        subject = f"{whole.id} = " + " + ".join(p.id for p in parts)
        if len(present) < len(parts):
            missing = tuple(p.id for p in parts if p not in present)
            yield CheckResult("parts_add_up", subject, "warn", unit=whole.unit, missing=missing)
            continue
        total = figures[whole.id]
        summed = sum((figures[p.id] for p in present[1:]), figures[present[0].id])
        ok = summed.overlaps(total)
        yield CheckResult("parts_add_up", subject, "pass" if ok else "fail", summed, total, whole.unit)


def part_within_whole(figures: Figures, registers: Registers) -> Iterator[CheckResult]:
    """A part never exceeds its whole (started <= planned <= project bank, out-of-province <= total)."""
    for part in registers.indicators.values():
        relation = part.relation
        if not relation or relation.kind != "part_of":
            continue
        if not (figures.has(part.id) and figures.has(relation.of)):
            continue
        p, w = figures[part.id], figures[relation.of]
        ok = p.lower <= w.upper
        yield CheckResult("part_within_whole", f"{part.id} <= {relation.of}", "pass" if ok else "fail", p, w, part.unit)


def average_loan_within_ceiling(figures: Figures, registers: Registers, ceiling: float) -> Iterator[CheckResult]:
    """The average loan per household stays within the per-household ceiling of the product."""
    if not (figures.has("microcredit_amount") and figures.has("microcredit_households")):
        return
    try:
        average = per_unit_of(figures, registers, "microcredit_amount", "microcredit_households")
    except MeasureMismatchError:
        return  # households with a balance against a year's issuance: no average to check
    if average.upper <= ceiling:
        status = "pass"
    elif average.lower <= ceiling:
        status = "warn"  # the printed precision cannot tell
    else:
        status = "fail"
    yield CheckResult(
        "average_loan_within_ceiling",
        "microcredit_amount / microcredit_households",
        status,
        average,
        Estimate.exact(ceiling),
        "yuan",
    )


def shares_within_bounds(figures: Figures, registers: Registers) -> Iterator[CheckResult]:
    """Coverage and rates lie between 0 and 100%."""
    for indicator in registers.indicators.values():
        relation = indicator.relation
        if not relation or relation.kind not in {"coverage", "rate"} or not figures.has(indicator.id):
            continue
        value = figures[indicator.id]
        ok = 0.0 <= value.value <= 1.0
        yield CheckResult(
            "share_within_0_100", indicator.id, "pass" if ok else "fail", value, Estimate.exact(1.0), "ratio"
        )


def run_checks(observations: pd.DataFrame, registers: Registers, loan_ceiling: float = LOAN_CEILING) -> pd.DataFrame:
    """Every rule for every region and period; one row per check."""
    rows = []
    for (region, period_end), figures in Figures.groups(observations):
        results = [
            *parts_add_up(figures, registers),
            *part_within_whole(figures, registers),
            *average_loan_within_ceiling(figures, registers, loan_ceiling),
            *shares_within_bounds(figures, registers),
        ]
        rows += [r.row(region, period_end) for r in results]
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)


def underivable_findings(observations: pd.DataFrame, underivable: list) -> pd.DataFrame:
    """A fail row for each derived figure left out because it would divide by zero, naming the
    figures of that region and period whose interval contains zero (as printed)."""
    rows = []
    may_be_zero = observations[(observations["lower"] <= 0) & (observations["upper"] >= 0)]
    zero_at = {key: group for key, group in may_be_zero.groupby(["region", may_be_zero["period_end"].astype(str)])}
    for region, period_end, missing in underivable:
        here = zero_at.get((region, str(period_end)), may_be_zero.iloc[:0])
        zeros = tuple(r.indicator for r in here.itertuples(index=False))
        printed = ", ".join(f"{r.indicator} printed as {r.printed!r}" for r in here.itertuples(index=False))
        rows.append(
            [
                "derivable",
                region,
                period_end,
                missing.metric,
                "fail",
                None,
                None,
                None,
                None,
                None,
                None,
                "",
                " ".join(zeros),
                f"division by zero: {printed or 'a divisor is zero'}",
            ]
        )
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)
