"""Consistency rules from the indicator register, run on tidy observations -> quality table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from campaign.core.estimates import Estimate, MeasureMismatchError
from campaign.core.registers import Registers
from campaign.core.settings import LOAN_CEILING
from campaign.dataset.processed import Figures, per_unit_of

QUALITY_COLUMNS = ["rule", "region", "period_end", "subject", "status", "detail", "detail_zh"]


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: str
    status: str  # pass | warn | fail
    detail: str
    detail_zh: str


def _fmt(e: Estimate) -> str:
    if e.lower == e.upper:
        return f"{e.value:,.6g}"
    return f"{e.value:,.6g} [{e.lower:,.6g}, {e.upper:,.6g}]"


def parts_add_up(figures: Figures, registers: Registers) -> Iterator[Finding]:
    """Channels listed as parts of one total add up to it within the printed precision."""
    for whole in registers.indicators.values():
        parts = registers.parts_of(whole.id, channels_only=True)
        if not parts or not figures.has(whole.id):
            continue
        present = [p for p in parts if figures.has(p.id)]
        subject = f"{whole.id} = " + " + ".join(p.id for p in parts)
        if len(present) < len(parts):
            missing = ", ".join(p.id for p in parts if p not in present)
            yield Finding(
                "parts_add_up", subject, "warn", f"cannot check: {missing} not reported", f"无法核对：未报告 {missing}"
            )
            continue
        total = figures[whole.id]
        summed = sum((figures[p.id] for p in present[1:]), figures[present[0].id])
        ok = summed.overlaps(total)
        gap = total.value - summed.value
        yield Finding(
            "parts_add_up",
            subject,
            "pass" if ok else "fail",
            f"parts sum to {_fmt(summed)}, total printed as {_fmt(total)} (difference {gap:,.6g})",
            f"分项合计 {_fmt(summed)}，总数 {_fmt(total)}（差额 {gap:,.6g}）",
        )


def part_within_whole(figures: Figures, registers: Registers) -> Iterator[Finding]:
    """A part never exceeds its whole (started <= planned <= project bank, out-of-province <= total)."""
    for part in registers.indicators.values():
        relation = part.relation
        if not relation or relation.kind != "part_of":
            continue
        if not (figures.has(part.id) and figures.has(relation.of)):
            continue
        p, w = figures[part.id], figures[relation.of]
        ok = p.lower <= w.upper
        yield Finding(
            "part_within_whole",
            f"{part.id} <= {relation.of}",
            "pass" if ok else "fail",
            f"{_fmt(p)} against {_fmt(w)}",
            f"{_fmt(p)} 对比 {_fmt(w)}",
        )


def average_loan_within_ceiling(figures: Figures, registers: Registers, ceiling: float) -> Iterator[Finding]:
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
    yield Finding(
        "average_loan_within_ceiling",
        "microcredit_amount / microcredit_households",
        status,
        f"average {_fmt(average)} yuan per household, ceiling {ceiling:,.0f}",
        f"户均 {_fmt(average)} 元，上限 {ceiling:,.0f} 元",
    )


def shares_within_bounds(figures: Figures, registers: Registers) -> Iterator[Finding]:
    """Coverage and rates lie between 0 and 100%."""
    for indicator in registers.indicators.values():
        relation = indicator.relation
        if not relation or relation.kind not in {"coverage", "rate"} or not figures.has(indicator.id):
            continue
        value = figures[indicator.id]
        ok = 0.0 <= value.value <= 1.0
        yield Finding(
            "share_within_0_100",
            indicator.id,
            "pass" if ok else "fail",
            f"{value.value:.2%} (must lie within 0-100%)",
            f"{value.value:.2%}（应在 0–100% 之间）",
        )


def run_checks(observations: pd.DataFrame, registers: Registers, loan_ceiling: float = LOAN_CEILING) -> pd.DataFrame:
    """Every rule for every region and period; one row per finding."""
    rows = []
    for (region, period_end), figures in Figures.groups(observations):
        findings = [
            *parts_add_up(figures, registers),
            *part_within_whole(figures, registers),
            *average_loan_within_ceiling(figures, registers, loan_ceiling),
            *shares_within_bounds(figures, registers),
        ]
        rows += [[f.rule, region, period_end, f.subject, f.status, f.detail, f.detail_zh] for f in findings]
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)


def underivable_findings(observations: pd.DataFrame, underivable: list) -> pd.DataFrame:
    """A fail row for each derived figure left out because it would divide by zero, naming the
    figures of that region and period whose interval contains zero (as printed)."""
    rows = []
    may_be_zero = observations[(observations["lower"] <= 0) & (observations["upper"] >= 0)]
    zero_at = {key: group for key, group in may_be_zero.groupby(["region", may_be_zero["period_end"].astype(str)])}
    for region, period_end, missing in underivable:
        here = zero_at.get((region, str(period_end)), may_be_zero.iloc[:0])
        zeros = ", ".join(f"{r.indicator} printed as {r.printed!r}" for r in here.itertuples(index=False))
        zeros_zh = "，".join(f"{r.indicator}（原文“{r.printed}”）" for r in here.itertuples(index=False))
        rows.append(
            [
                "derivable",
                region,
                period_end,
                missing.metric,
                "fail",
                f"not derived: {missing.description} would divide by zero ({zeros or 'a divisor is zero'})",
                f"未推算：{missing.description_zh}的除数为零（{zeros_zh or '除数为零'}）",
            ]
        )
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)
