"""Name the register indicator a figure reports, from the words around it and the register's aliases."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from ..registers import Indicator, Registers

RELATIVE = "…"  # leading: a relative phrase; inside: parts in order (see data/indicators.yml)

# Where the words naming a figure are looked for, nearest first. A match in a nearer window wins
# over any match further out; within a window the longest alias wins.
NEAR_BEFORE, NEAR_AFTER, CLAUSE, SENTENCE, LABEL, SECTION = range(6)
_MIN_FAR_LENGTH = 4  # characters an alias needs to count in the sentence, label or section


@dataclass(frozen=True)
class Alias:
    indicator: str
    parts: tuple[str, ...]
    relative: bool
    order: int  # position in the register: the last tie-break

    @property
    def length(self) -> int:
        return sum(map(len, self.parts))


@dataclass(frozen=True)
class Match:
    indicator: str
    alias: str
    window: int


def parse_alias(indicator: str, text: str, order: int) -> Alias:
    relative = text.startswith(RELATIVE)
    parts = tuple(part for part in text.strip(RELATIVE).split(RELATIVE) if part)
    if not parts:
        raise ValueError(f"indicator {indicator!r}: empty alias {text!r}")
    return Alias(indicator, parts, relative, order)


class Occurrences:
    """Where each alias part occurs in one text, found in one pass."""

    def __init__(self, text: str, pattern: re.Pattern, prefixes: dict[str, tuple[str, ...]]):
        self.starts: dict[str, list[int]] = defaultdict(list)
        for match in pattern.finditer(text):
            for part in prefixes[match.group(1)]:
                self.starts[part].append(match.start())

    def has(self, alias: Alias) -> bool:
        return all(part in self.starts for part in alias.parts)

    def find(self, alias: Alias, start: int, end: int) -> int | None:
        """End of the last placement of the alias's parts, in order, within [start, end); or None."""
        limit = end
        last_end = None
        for part in reversed(alias.parts):
            positions = self.starts.get(part)
            if not positions:
                return None
            index = bisect.bisect_right(positions, limit - len(part)) - 1
            if index < 0 or positions[index] < start:
                return None
            if last_end is None:
                last_end = positions[index] + len(part)
            limit = positions[index]
        return last_end


class IndicatorMatcher:
    """The register's indicators with their names and aliases, ready to match figures."""

    def __init__(self, registers: Registers):
        self.indicators: dict[str, Indicator] = {i.id: i for i in registers.indicators.values() if not i.qualitative}
        self.aliases_by_unit: dict[str, list[Alias]] = defaultdict(list)
        order = 0
        for indicator in self.indicators.values():
            for text in dict.fromkeys((indicator.name_zh, *indicator.aliases)):
                self.aliases_by_unit[indicator.unit].append(parse_alias(indicator.id, text, order))
                order += 1
        parts = sorted({p for aliases in self.aliases_by_unit.values() for a in aliases for p in a.parts}, key=len)
        self._pattern = re.compile("(?=(" + "|".join(map(re.escape, reversed(parts))) + "))")
        # Every part that matches where a longer one does is one of its prefixes.
        self._prefixes = {p: tuple(q for q in parts if p.startswith(q)) for p in parts}

    def occurrences(self, text: str) -> Occurrences:
        return Occurrences(text, self._pattern, self._prefixes)

    def candidates(self, unit: str, occurrences: Occurrences, *more: Occurrences) -> list[Alias]:
        """Aliases of indicators in ``unit`` whose parts all occur in one of the texts."""
        return [a for a in self.aliases_by_unit.get(unit, ()) if any(o.has(a) for o in (occurrences, *more))]

    def _binds(self, alias: Alias, anchor: str) -> int | None:
        """How a relative alias binds to a figure of ``anchor`` before it (lower is better), or None:
        0 that figure is the alias's `relation.of`, 1 it relates to the same indicator, 2 (for an
        indicator without a relation) it is of the same task."""
        indicator, before = self.indicators[alias.indicator], self.indicators.get(anchor)
        if before is None or anchor == alias.indicator:
            return None
        if indicator.relation:
            if indicator.relation.of == anchor:
                return 0
            if before.relation and before.relation.of == indicator.relation.of:
                return 1
            return None
        return 2 if before.task == indicator.task else None

    def binding(self, alias: Alias, anchors: list[str]) -> tuple[int, int] | None:
        """(which earlier figure, how) a relative alias binds to, nearest first; (0, 0) for a plain
        alias; None when a relative alias binds to none of ``anchors`` (indicators, nearest first)."""
        if not alias.relative:
            return (0, 0)
        for index, anchor in enumerate(anchors):
            how = self._binds(alias, anchor)
            if how is not None:
                return (index, how)
        return None

    def best(
        self,
        aliases: list[Alias],
        windows: list[tuple[int, Occurrences, int, int, int]],
        anchors: list[str],
    ) -> Match | None:
        """The best alias over ``windows`` (rank, occurrences, start, end, figure position)."""
        for rank, occurrences, start, end, position in sorted(windows, key=lambda w: w[0]):
            scored = []
            for alias in aliases:
                if alias.relative and rank != NEAR_BEFORE:
                    continue
                if rank >= SENTENCE and alias.length < _MIN_FAR_LENGTH:
                    continue
                binding = self.binding(alias, anchors)
                if binding is None:
                    continue
                found = occurrences.find(alias, start, end)
                if found is None:
                    continue
                scored.append((-alias.length, binding, abs(position - found), alias.order, alias))
            if scored:
                alias = min(scored)[-1]
                return Match(alias.indicator, RELATIVE.join(alias.parts), rank)
        return None

    def named_in_order(self, occurrences: Occurrences, start: int, end: int) -> list[str]:
        """Indicators named in [start, end), in the order they are named, longest names first where
        names overlap: 存量农产品销售、农产品订单、展销活动 -> the three sales channels."""
        spans = []
        for aliases in self.aliases_by_unit.values():
            for alias in aliases:
                if alias.relative or len(alias.parts) > 1:
                    continue
                part = alias.parts[0]
                spans += [
                    (-len(part), p, alias.indicator)
                    for p in occurrences.starts.get(part, ())
                    if start <= p <= end - len(part)
                ]
        chosen: list[tuple[int, int, str]] = []
        for negative_length, position, indicator in sorted(spans):
            stop = position - negative_length
            if all(stop <= s or e <= position for s, e, _ in chosen):
                chosen.append((position, stop, indicator))
        return list(dict.fromkeys(indicator for _, _, indicator in sorted(chosen)))

    def implied_parts(self, whole: str, after: str) -> list[str]:
        """Parts said to equal their whole: 项目1766个全部开工 gives projects_started for the
        planned projects' figure (a `part_of` indicator whose alias follows 全部 or 均)."""
        found = []
        for indicator in self.indicators.values():
            relation = indicator.relation
            if not relation or relation.kind != "part_of" or relation.of != whole:
                continue
            names = (indicator.name_zh, *indicator.aliases)
            if any(
                re.match(rf"(?:已|并|且)?(?:全部|均已|均|全都)(?:已|已经)?{re.escape(name)}", after) for name in names
            ):
                found.append(indicator.id)
        return found
