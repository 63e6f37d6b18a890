"""What the analyses return: findings as records (values with intervals, a judgement, caveats), no prose.

A finding's ``id`` is the message id that each language's catalogue writes it with; its
``judgement`` picks the wording (for example "rose" or "fell"); its ``caveats`` are message ids
of the reservations a careful reader needs beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from campaign.core.estimates import Estimate
from campaign.core.registers import Region


@dataclass(frozen=True)
class Amount:
    """A figure in base units with its interval; ``printed`` when quoted from a source."""

    estimate: Estimate
    unit: str
    printed: str = ""

    @property
    def value(self) -> float:
        return self.estimate.value

    @property
    def lower(self) -> float:
        return self.estimate.lower

    @property
    def upper(self) -> float:
        return self.estimate.upper


@dataclass(frozen=True)
class Rank:
    """The place a region takes among others, as its source prints it (第二, 并列第一)."""

    position: int
    among: str  # country: among China's provinces; province: among the cities of its province
    shared: bool  # a place shared with others (tied)
    printed: str


@dataclass(frozen=True)
class Observed:
    """Another place's figure: where, to when, what it is, and whether it is a stock or a flow."""

    region: Region
    period_end: str
    indicator: str
    amount: Amount
    measure: str = ""
    source_id: str = ""


@dataclass(frozen=True)
class Finding:
    id: str
    values: dict[str, Any] = field(default_factory=dict)
    judgement: str | None = None
    caveats: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def difference(a: Amount, b: Amount, unit: str | None = None) -> Amount:
    """a - b with its interval (for rates, a difference in percentage points)."""
    return Amount(a.estimate - b.estimate, unit or a.unit)


def above(estimate: Estimate | Amount, threshold: float) -> bool | None:
    """True if the whole interval lies above ``threshold``, False if below it, None if it straddles."""
    e = estimate.estimate if isinstance(estimate, Amount) else estimate
    if e.lower > threshold:
        return True
    if e.upper < threshold:
        return False
    return None
