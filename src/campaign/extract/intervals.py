"""Positions in a line: whether a span lies inside one of many others, quickly."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable


def containment(spans) -> Callable[[int, int], bool]:
    """Whether [start, end) lies inside one of ``spans`` (pairs (a, b)), in logarithmic time: the
    spans sorted by a, with the largest b among those starting at or before each (a line with
    thousands of figures would otherwise cost the square of their number for each of them)."""
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(itertools.accumulate((b for _, b in ordered), max))

    def inside(start: int, end: int) -> bool:
        last = bisect.bisect_right(starts, start) - 1
        return last >= 0 and reach[last] >= end

    return inside
