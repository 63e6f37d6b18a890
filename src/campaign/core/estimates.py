"""Figures with intervals (Estimate) and the domain formulas that combine them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from campaign.core.registers import parse_period_end


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
    """How far through its calendar year a date lies, counted by months as bulletins count the
    序时进度 (time progress): the end of June is half the year (时间过半), the end of August two
    thirds; a date inside a month adds its share of that month's days."""
    date = period_end if isinstance(period_end, dt.date) else parse_period_end(period_end)
    next_month = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
    days_in_month = (next_month - dt.date(date.year, date.month, 1)).days
    return Estimate.exact((date.month - 1 + date.day / days_in_month) / 12)


def ahead_of_calendar(completion: Estimate, elapsed: Estimate) -> Estimate:
    """Completion of an annual target minus the share of the year gone, in points (0 = even pace)."""
    return completion - elapsed


class MeasureMismatchError(ValueError):
    """A stock (a level at a date) and a flow (an amount over a period) set against each other."""
