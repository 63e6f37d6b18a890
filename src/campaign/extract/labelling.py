"""Which indicator a printed figure reports: the register's words around it, in the windows of
its line (near before, near after, clause, sentence, label, heading), with the rules for lists
(分别), targets, averages, from…to and competing figures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .context import LineContext, Near, around
from .indicators import CLAUSE, LABEL, NEAR_AFTER, NEAR_BEFORE, SENTENCE, WINDOW_WORDS, IndicatorMatcher, Placements
from .layout import Paragraph
from .printed import PrintedFigure

_LINKING = re.compile(r"的|为|是|达到|达|约|共|占")
_AVERAGE = re.compile(r"(?:户均|人均|平均|每户|每人)[^,，。;；、]{0,4}$")
# Words that make the figure after them a target, not a result (力争全年…达到, 目标任务为, 确保…高于).
# 计划 as a verb, with its object before the verb (计划向贫困户发放…), not the noun (工作计划, 计划单列).
_TARGET_WORDS = re.compile(
    r"力争|确保|目标任务为|目标为|任务为|目标是|预期|要求达到|将达到"
    r"|计划[^,，。;；、]{0,8}?(?:全年|年内|今年|到|在|完成|实现|达到|新增|发放|投放|投入|实施|安排|组织|培训|销售|带动|转移)"
)
# Words that make a figure what is expected by the end of a period rather than what was done: a
# target, a forecast (预计), a deadline (年底前…完成).
_EXPECTED_WORDS = re.compile(r"预计|将在|将于|年底前")
# A figure that follows the word for a target (年度任务3.4亿元, 目标为…)
_TARGET_BEFORE = re.compile(r"(?:任务|目标|计划)(?:为|是|数)?\s*$")
# Words before a figure that make it something other than the indicator its words name, each
# with the kinds of indicator it rules out (the register's measure) and the note it leaves:
#   a total over several years (2016年至2019年…累计) is no year's flow;
#   新增 (the year's new ones) is no level (a stock);
#   all loans (各项贷款余额) are more than microcredit;
#   a group within the population (监测对象, 边缘易致贫户…), unless joined to it (脱贫户和监测对象), is
#   not the population.
# Where each rule looks, before the figure: SENTENCE, its sentence; NEAR, its clause (or its sentence,
# where the indicator's words stand further out than the clause); CLAUSE, its clause only: a group
# named elsewhere in the sentence (尤其是深度贫困地区, 对有贷款意愿的…) need not be whom it counts.
SENTENCE_REACH, NEAR_REACH, CLAUSE_REACH = "sentence", "near", "clause"
_SCOPE = (
    (
        re.compile(r"\d{4}年?\s*(?:至|到|[-—–~])\s*\d{4}年"),
        {"flow"},
        "a total over several years, not one year's",
        SENTENCE_REACH,
    ),
    (re.compile("新增"), {"stock"}, "新增: what was added, not the level", NEAR_REACH),
    (re.compile("各[项类]贷款"), {"stock", "flow"}, "all loans, more than microcredit", NEAR_REACH),
    (
        re.compile(
            "(?<![和及与、含])(?<![和及与、含]防止返贫)(?:防止返贫)?(?:监测对象|边缘易致贫|突发严重困难|脱贫不稳定)"
        ),
        {"stock", "flow"},
        "a group within the population (监测对象…), not all of it",
        NEAR_REACH,
    ),
    (
        re.compile("有[^,，。;；]{0,6}意愿|意愿[^,，。;；]{0,4}的"),
        {"stock", "flow"},
        "those willing to, not those who did",
        CLAUSE_REACH,
    ),
    (
        re.compile(r"(?:\d+个)?(?:挂牌督战|深度贫困|重点帮扶|乡村振兴重点帮扶)(?:县|村|地区)"),
        {"stock", "flow"},
        "a named group of counties or villages within the region, not all of it",
        CLAUSE_REACH,
    ),
)
# "from X to Y": 户贷率从去年的11.44%提高到今年的14.81%; 由2018年的172万减少到今年底的43万.
_FROM_BEFORE = re.compile(r"(?:从|由)(?P<year>去年|上年|\d{4}年)?(?:底|末|年底|年末)?的?\s*$")
_TO_BETWEEN = re.compile(
    r"^\s*[^,，。;；0-9]{0,6}?(?:提高|提升|增加|增长|上升|下降|减少|降低|降|升|扩大|缩小|变为)(?:到|至)"
    r"(?:今年|本年|去年|\d{4}年)?(?:底|末|年底|年末)?的?\s*$"
)


@dataclass
class Found:
    """A figure on its way to a row: the printed figure, its line and what was said of it."""

    paragraph: Paragraph
    figure: PrintedFigure
    indicator: str
    period: dt.date
    sentence: str
    implied_of: str = ""  # the whole whose part this row is said to equal (全部开工)
    why: str = ""
    rank: int = -1  # the window the indicator's words were found in (-1: no indicator, or a pattern)
    notes: list[str] | None = None
    uncertain: bool = False


class Labeller:
    """Gives figures their indicators against one register's words."""

    def __init__(self, matcher: IndicatorMatcher):
        self.matcher = matcher

    def indicator(
        self,
        context: LineContext,
        printed: list[PrintedFigure],
        nears: list[Near],
        index: int,
        section: Placements | None,
        anchors: list[str],
    ) -> tuple[str, list[str], str, int, list[str]]:
        """(indicator, implied parts, why, window rank, notes) of the index-th figure of a line."""
        figure = printed[index]
        before, start, end, after, clause, sentence = nears[index]
        nothing = ("", [], "", -1, [])
        if "分别" in context.text:
            respective = self._respective(context, printed, index, sentence)
            if respective is not None:
                return respective, [], "分别: the name in the same place of the list before 分别", NEAR_BEFORE, []
        same_clause = index and before == context.position(printed[index - 1].end)
        if same_clause and figure.unit == "ratio" and not _LINKING.sub("", context.text[before:start]):
            # 完成年度任务5.125亿元的102%: a share's words stand before the figure it is a share of
            before = nears[index - 1].before
        windows = [
            (NEAR_BEFORE, before, end, start),
            (NEAR_AFTER, end, after, end),
            (CLAUSE, clause[0], clause[1], start),
            (SENTENCE, sentence[0], sentence[1], start),
        ]
        if context.label_end and context.label_end <= start:
            windows.append((LABEL, 0, context.label_end, start))
        placed = context.placements.of_unit(figure.unit)
        heading = section.of_unit(figure.unit) if section else []
        if not placed and not heading:
            return nothing
        if _AVERAGE.search(context.text, max(before, start - 8), start):
            # 户均4.67万元 is an average: only an indicator of one (人均纯收入) may name it
            placed = [p for p in placed if "均" in "".join(p[0].parts)]
            heading = []
        # In the clause and sentence, words beside another figure of the same unit are that figure's.
        claimed = [(n.before, n.after) for j, n in enumerate(nears) if j != index and printed[j].unit == figure.unit]
        match = self.matcher.best_match(placed, windows, anchors, heading, claimed)
        named_target = _TARGET_BEFORE.search(context.text, max(before, start - 6), start)
        if match and match[1] >= SENTENCE and self._is_target(match[0].indicator) and not named_target:
            # a target's words (…任务, …目标) count only beside the figure: far off they name another figure
            placed = [p for p in placed if not self._is_target(p[0].indicator)]
            heading = [p for p in heading if not self._is_target(p[0].indicator)]
            match = self.matcher.best_match(placed, windows, anchors, heading, claimed)
        if not match:
            return nothing
        alias, rank = match
        indicator = alias.indicator
        words = "…".join(alias.parts)
        why = f"{'…' if alias.relative else ''}{words} ({WINDOW_WORDS[rank]})"
        notes: list[str] = []
        record = self.matcher.indicators[indicator]
        if not record.relation:
            for pattern, measures, note, reach in _SCOPE:
                whole = reach == SENTENCE_REACH or (reach == NEAR_REACH and rank > CLAUSE)
                scope_from = sentence[0] if whole else clause[0]
                found = pattern.search(context.text, scope_from, start)
                if found and record.measure in measures:
                    return "", [], "", -1, [f"{note} ({found.group()}): not {record.name_zh}"]
        target = _TARGET_WORDS.search(context.text, clause[0], start) if context.target_words else None
        if target and target.group().startswith("计划") and "计划" in "".join(alias.parts):
            target = None  # the indicator is the year's plan itself (计划实施项目: projects_planned)
        if target and not self._is_result_of_target(indicator):
            own = self._target_of(indicator)
            name = self.matcher.indicators[indicator].name_zh
            if own:
                why = f"target word {target.group()} + {why}"
                indicator = own
            else:
                notes.append(f"a target ({target.group()}…) for {name}; the register has no target indicator for it")
                return "", [], "", -1, notes
        return indicator, self.matcher.implied_parts(indicator, context.text[end:after]), why, rank, notes

    def expected(self, context: LineContext, near: Near) -> bool:
        """Whether the figure is what a target, a forecast or a deadline expects (its period: the
        end of its year) rather than a result: target words in its clause before it (力争,
        计划…发放), or 预计, 将在, 年底前. A target named beside its result and completion rate
        (完成年度任务5.125亿元的102%) keeps the result's date, as the raw files record it."""
        text, clause_start, start = context.text, near.clause[0], near.start
        if not context.target_words and "年" not in text[clause_start:start]:
            return False
        target = _TARGET_WORDS.search(text, clause_start, start)
        return bool(
            (target and not target.group().startswith("计划实施")) or _EXPECTED_WORDS.search(text, clause_start, start)
        )

    def _is_target(self, indicator: str) -> bool:
        relation = self.matcher.indicators[indicator].relation
        return bool(relation and relation.kind == "target_of")

    def _is_result_of_target(self, indicator: str) -> bool:
        """Indicators that already speak of a target (the target itself, completion, distance from it)."""
        relation = self.matcher.indicators[indicator].relation
        return bool(relation and relation.kind in ("target_of", "completion_of_target", "above_target"))

    def _target_of(self, indicator: str) -> str:
        """The register's target indicator for ``indicator``, or empty."""
        return next(
            (
                i.id
                for i in self.matcher.indicators.values()
                if i.relation and i.relation.kind == "target_of" and i.relation.of == indicator
            ),
            "",
        )

    def _last_year_of(self, indicator: str) -> str:
        """The register's indicator for last year's level of ``indicator`` (上年户贷率), or empty."""
        name = self.matcher.indicators[indicator].name_zh
        wanted = {f"上年{name}", f"去年{name}"}
        return next(
            (i.id for i in self.matcher.indicators.values() if i.id != indicator and wanted & {i.name_zh, *i.aliases}),
            "",
        )

    def from_to(self, context: LineContext, rows: list[Found], published: dt.date) -> None:
        """From X to Y (户贷率从去年的11.44%提高到今年的14.81%): Y is the indicator the words name, X
        its earlier level (last year's indicator where the register has one, else none)."""
        plain = [r for r in rows if not r.implied_of]
        for first, second in zip(plain, plain[1:], strict=False):
            a, b = first.figure, second.figure
            if a.unit != b.unit or first.paragraph is not second.paragraph:
                continue
            start_a, end_a, start_b = context.position(a.start), context.position(a.end), context.position(b.start)
            between = _TO_BETWEEN.match(context.text, end_a, start_b)
            origin = _FROM_BEFORE.search(context.text, max(0, start_a - 10), start_a)
            if not between or not origin:
                continue
            indicator = second.indicator or first.indicator
            if not indicator:
                continue
            why = first.why if first.indicator else second.why
            second.indicator, second.why, second.rank = indicator, f"from…to: the later level; {why}", first.rank
            year = origin["year"] or ""
            earlier = (
                self._last_year_of(indicator) if year in ("去年", "上年") or year == f"{published.year - 1}年" else ""
            )
            first.indicator, first.rank = earlier, first.rank if earlier else -1
            first.why = f"from…to: the earlier level ({year or 'before'})" if earlier else ""
            if not earlier:
                first.notes.append(f"from…to: the earlier level of {indicator}; the register has no indicator for it")

    @staticmethod
    def competing(rows: list[Found], nears: list[Near], printed: list[PrintedFigure]) -> None:
        """Words far from the figures cannot name two of them: when figures of one sentence would take
        the same indicator and one of them takes it from far off, the far ones are left unlabelled."""
        by_sentence: dict[tuple[tuple[int, int], str], list[Found]] = {}
        sentence_of = {id(f): n.sentence for f, n in zip(printed, nears, strict=True)}
        for row in rows:
            if row.indicator and not row.implied_of:
                by_sentence.setdefault((sentence_of[id(row.figure)], row.indicator), []).append(row)
        for (_, indicator), group in by_sentence.items():
            if len(group) < 2 or all(r.rank < SENTENCE for r in group):
                continue
            for row in group:
                if row.rank >= SENTENCE:
                    row.notes.append(
                        f"competing: {len(group)} figures of the sentence would be {indicator}; left for review"
                    )
                    row.indicator, row.why, row.rank, row.uncertain = "", "", -1, True

    def _respective(
        self, context: LineContext, printed: list[PrintedFigure], index: int, sentence: tuple[int, int]
    ) -> str | None:
        """The k-th figure after 分别 (respectively) reports the k-th indicator named before it:
        A、B、C分别完成x、y和z. Ratios bind to them, after a second 分别 too: A和B分别为x、y，分别占上年度u和v."""
        start = context.position(printed[index].start)
        marks = [sentence[0] + m.start() for m in re.finditer("分别", context.text[sentence[0] : start])]
        if not marks:
            return None
        names: list[str] = []
        for mark in marks:  # a later 分别 that names nothing refers to the same list
            clause = around(context.clauses, mark)
            names = self.matcher.named_in_order(context.placements, clause[0], mark) or names
        respectively = marks[-1]
        following = context.text.find("分别", respectively + 2, sentence[1])
        stop = following if following >= 0 else sentence[1]
        listed = [i for i, f in enumerate(printed) if respectively < context.position(f.start) < stop]
        if len(names) != len(listed) or index not in listed:
            return None
        named = names[listed.index(index)]
        unit = printed[index].unit
        if self.matcher.indicators[named].unit == unit:
            return named
        first = context.position(printed[listed[0]].start)
        relative = [p for p in context.placements.of_unit(unit) if p[0].relative]
        return self.matcher.best(relative, [(NEAR_BEFORE, respectively, first, first)], [named]) or None
