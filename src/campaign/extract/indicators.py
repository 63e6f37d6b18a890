"""Name the register indicator a figure reports, from the words around it and the register's aliases."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from campaign.core.registers import Indicator, Registers

from .intervals import containment


class AliasError(ValueError):
    """An alias in the register that the matcher cannot use; the message names the file and indicator."""


RELATIVE = "…"  # leading: a relative phrase; inside: parts in order (see data/indicators.yml)

# Where the words naming a figure are looked for, nearest first. A match in a nearer window wins
# over any match further out; within a window the longest alias wins.
NEAR_BEFORE, NEAR_AFTER, CLAUSE, SENTENCE, LABEL, SECTION = range(6)
WINDOW_WORDS = {
    NEAR_BEFORE: "just before the figure",
    NEAR_AFTER: "just after the figure",
    CLAUSE: "in the figure's clause",
    SENTENCE: "elsewhere in its sentence",
    LABEL: "in the line's label",
    SECTION: "in the section heading",
}
_MIN_FAR_LENGTH = 4  # characters an alias needs to count in the sentence, label or section
_ALL = 1 << 30  # a window over a whole text


@dataclass(frozen=True)
class Alias:
    indicator: str
    parts: tuple[str, ...]
    relative: bool
    order: int  # position in the register: the last tie-break
    length: int = 0  # characters in its parts: a longer alias is a better match

    def __post_init__(self):
        object.__setattr__(self, "length", sum(map(len, self.parts)))


def parse_alias(indicator: str, text: str, order: int) -> Alias:
    relative = text.startswith(RELATIVE)
    parts = tuple(part for part in text.strip(RELATIVE).split(RELATIVE) if part)
    if not parts:
        raise ValueError(f"indicator {indicator!r}: empty alias {text!r}")
    return Alias(indicator, parts, relative, order)


def trie_pattern(words: list[str]) -> str:
    """One regex for many words, as a trie (务工(?:总人数|规模)?…): it matches the longest word at a
    position, and Python's regex engine runs it several times faster than a flat alternation."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class Placements:
    """Where the aliases stand in one text: (alias, start, end) with all its parts in order."""

    def __init__(self, text: str, matcher: IndicatorMatcher, ranges: list[tuple[int, int]] | None = None):
        """Aliases in the ``ranges`` of ``text`` (all of it by default; positions count from its start)."""
        self._matcher = matcher
        self.starts: dict[str, list[int]] = defaultdict(list)
        pattern, prefixes, within, reaching = matcher._pattern, matcher._prefixes, matcher._within, matcher._reaching
        starts = self.starts
        for start, stop in ranges or [(0, len(text))]:
            for match in pattern.finditer(text, start, stop):
                # a part found here hides the parts that start inside it: those wholly inside are
                # known in advance; those reaching beyond it are looked for where they can start
                position, end = match.span()
                word = match.group()
                for offset, part in within[word]:
                    starts[part].append(position + offset)
                for offset in reaching[word]:
                    found = pattern.match(text, position + offset, stop)
                    if found and found.end() > end:
                        for part in prefixes[found.group()]:
                            if len(part) > len(word) - offset:
                                starts[part].append(position + offset)
        for positions in starts.values():
            positions.sort()
        self._by_unit: dict[str, list[tuple[Alias, int, int]]] = {}

    def of_unit(self, unit: str) -> list[tuple[Alias, int, int]]:
        """Placements of the aliases of indicators measured in ``unit``."""
        if unit not in self._by_unit:
            placed = []
            ending = self._matcher._aliases_ending_in
            for part in self.starts:
                for alias in ending.get((unit, part), ()):
                    placed += self._place(alias)
            self._by_unit[unit] = placed
        return self._by_unit[unit]

    def _place(self, alias: Alias) -> list[tuple[Alias, int, int]]:
        *earlier, last = alias.parts
        ends = self.starts.get(last)
        if not earlier:
            return [(alias, p, p + alias.length) for p in ends] if ends else []
        if not ends or any(part not in self.starts for part in earlier):
            return []
        placed = []
        for position in ends:
            start = position
            for part in reversed(earlier):  # the nearest chain of earlier parts
                positions = self.starts[part]
                index = bisect.bisect_right(positions, start - len(part)) - 1
                if index < 0:
                    break
                start = positions[index]
            else:
                placed.append((alias, start, position + len(last)))
        return placed

    def plain_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, indicator) of the one-part, non-relative aliases within [start, end)."""
        found = []
        for aliases in self._matcher.aliases_by_unit.values():
            for alias in aliases:
                if alias.relative or len(alias.parts) > 1:
                    continue
                length = len(alias.parts[0])
                found += [
                    (p, p + length, alias.indicator)
                    for p in self.starts.get(alias.parts[0], ())
                    if start <= p <= end - length
                ]
        return found


class IndicatorMatcher:
    """The register's indicators with their names and aliases, ready to match figures."""

    def __init__(self, registers: Registers):
        self.indicators: dict[str, Indicator] = {i.id: i for i in registers.indicators.values() if not i.qualitative}
        self.aliases_by_unit: dict[str, list[Alias]] = defaultdict(list)
        where = Path(registers.data_dir) / "indicators.yml"
        order = 0
        for indicator in self.indicators.values():
            names = (indicator.name_zh, *indicator.aliases)
            for text in names:
                if not isinstance(text, str) or not text:
                    raise AliasError(
                        f"{where}: indicator {indicator.id!r}: alias {text!r} is not a word (aliases are a list of words)"
                    )
            for text in dict.fromkeys(names):
                self.aliases_by_unit[indicator.unit].append(parse_alias(indicator.id, text, order))
                order += 1
        parts = sorted({p for aliases in self.aliases_by_unit.values() for a in aliases for p in a.parts}, key=len)
        self._pattern = re.compile(trie_pattern(parts))
        # Every part that matches where a longer one does is one of its prefixes.
        self._prefixes = {p: tuple(q for q in parts if p.startswith(q)) for p in parts}
        # For each part, the parts wholly within it (offset, part), itself and its prefixes
        # included, and the offsets where a part may start that reaches beyond it.
        self._within = {p: [(i, q) for i in range(len(p)) for q in parts if p.startswith(q, i)] for p in parts}
        self._reaching = {
            p: [i for i in range(1, len(p)) if any(q.startswith(p[i:]) and len(q) > len(p) - i for q in parts)]
            for p in parts
        }
        self._aliases_ending_in: dict[tuple[str, str], list[Alias]] = defaultdict(list)
        for unit, aliases in self.aliases_by_unit.items():
            for alias in aliases:
                self._aliases_ending_in[unit, alias.parts[-1]].append(alias)
        self._implied = self._implied_patterns()

    def placements(self, text: str, ranges: list[tuple[int, int]] | None = None) -> Placements:
        return Placements(text, self, ranges)

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
        placed: list[tuple[Alias, int, int]],
        windows: list[tuple[int, int, int, int]],
        anchors: list[str],
        section: list[tuple[Alias, int, int]] = (),
        claimed: list[tuple[int, int]] = (),
    ) -> str:
        """The indicator of the best placed alias over ``windows`` (rank, start, end, figure
        position), nearest window first, then the longest alias; the section heading's aliases
        count last; in the clause and sentence, aliases within a ``claimed`` span (beside another
        figure) do not count. Empty when none fits."""
        found = self.best_match(placed, windows, anchors, section, claimed)
        return found[0].indicator if found else ""

    def best_match(
        self,
        placed: list[tuple[Alias, int, int]],
        windows: list[tuple[int, int, int, int]],
        anchors: list[str],
        section: list[tuple[Alias, int, int]] = (),
        claimed: list[tuple[int, int]] = (),
    ) -> tuple[Alias, int] | None:
        """The best placed alias and the window rank it was found in (see ``best``), or None."""
        best_key, best_alias = None, None
        inside_claimed = containment(claimed)
        candidates = [(a, s, e, windows) for a, s, e in placed]
        if section:
            candidates += [(a, s, e, [(SECTION, 0, _ALL, _ALL)]) for a, s, e in section]
        for alias, start, end, spans in candidates:
            for rank, window_start, window_end, position in spans:
                if best_key is not None and rank > best_key[0]:
                    break
                if window_start > start or end > window_end:
                    continue
                if alias.relative and rank != NEAR_BEFORE:
                    break
                if rank >= SENTENCE and alias.length < _MIN_FAR_LENGTH:
                    break
                if rank in (NEAR_AFTER, CLAUSE, SENTENCE) and inside_claimed(start, end):
                    continue
                binding = self.binding(alias, anchors)
                if binding is None:
                    break
                key = (rank, -alias.length, binding, abs(position - end), alias.order)
                if best_key is None or key < best_key:
                    best_key, best_alias = key, alias
                break  # the nearest window holding this placement is its best
        return (best_alias, best_key[0]) if best_alias else None

    def named_in_order(self, placements: Placements, start: int, end: int) -> list[str]:
        """Indicators named in [start, end), in the order they are named, longest names first where
        names overlap: 存量农产品销售、农产品订单、展销活动 -> the three sales channels."""
        chosen: list[tuple[int, int, str]] = []
        for first, stop, indicator in sorted(placements.plain_in(start, end), key=lambda f: (f[0] - f[1], f[0])):
            if all(stop <= s or e <= first for s, e, _ in chosen):
                chosen.append((first, stop, indicator))
        return list(dict.fromkeys(indicator for _, _, indicator in sorted(chosen)))

    def _implied_patterns(self) -> dict[str, list[tuple[str, re.Pattern]]]:
        patterns = defaultdict(list)
        for indicator in self.indicators.values():
            relation = indicator.relation
            if relation and relation.kind == "part_of":
                names = "|".join(re.escape(n) for n in (indicator.name_zh, *indicator.aliases) if RELATIVE not in n)
                said = re.compile(rf"(?:已|并|且)?(?:全部|均已|均|全都)(?:已|已经)?(?:{names})")
                patterns[relation.of].append((indicator.id, said))
        return patterns

    def implied_parts(self, whole: str, after: str) -> list[str]:
        """Parts said to equal their whole: 项目1766个全部开工 gives projects_started for the
        planned projects' figure (a `part_of` indicator whose alias follows 全部 or 均)."""
        return [part for part, said in self._implied.get(whole, ()) if said.match(after)]
