"""A consistency check of the quality table (campaign.dataset.checks) in the reader's words, with
its figures formatted as the rest of the report formats them."""

from __future__ import annotations

import math
import re

from campaign.core.estimates import Estimate
from campaign.core.registers import Registers
from campaign.tasks.findings import Amount
from campaign.view.text.catalogue import Text


def _amount(value, lower, upper, unit: str) -> Amount | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return Amount(Estimate(float(value), float(lower), float(upper)), unit or "")


def _names(registers: Registers, subject: str) -> list:
    """The register entries a check's subject names (its ids), in order; unknown ids as written."""
    ids = re.findall(r"[a-z][a-z0-9_]*", subject)
    return [registers.indicators.get(i, i) for i in ids]


def describe(row, text: Text, registers: Registers) -> str:
    """One sentence: what was checked, what it found, with the figures."""
    unit = row.unit if isinstance(row.unit, str) else ""
    missing = row.missing.split() if isinstance(row.missing, str) and row.missing else []
    return text(
        f"check.{row.rule}",
        status=row.status,
        names=_names(registers, str(row.subject)),
        checked=_amount(row.value, row.lower, row.upper, unit),
        limit=_amount(row.limit, row.limit_lower, row.limit_upper, unit),
        missing=[registers.indicators.get(i, i) for i in missing],
        exact=row.status == "pass" and row.value == row.limit and row.lower == row.limit_lower,
    )
