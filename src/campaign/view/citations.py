"""Sources as a reader cites them: numbered references in order of use, and where in each a figure stands.

A run's own sources come first, then those of the places it is compared with; each is numbered
once ([1], [2] ...) and every table and note cites it by that number and its paragraph. The
reference list gives the outlet, the date, the title where the register records the printed one,
and the address as a link. Register ids never reach the page.
"""

from __future__ import annotations

import html
import re

from campaign.core.settings import NOT_RECORDED
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Finding
from campaign.view import numbering
from campaign.view.text.catalogue import Text

_PARAGRAPH = re.compile(r"^paragraph (\d+)$")
_BRIEF = re.compile(r"^research brief: benchmarks table \((.+)\)$")


def reference_order(ctx: RunContext) -> list[str]:
    """Source ids in the order the report cites them: the run's own, then the comparisons'."""
    own = list(ctx.source_ids())
    others = sorted(set(ctx.observations.loc[ctx.observations["region"] != ctx.region.slug, "source_id"]) - set(own))
    return own + others


def number_of(ctx: RunContext, source_id: str) -> int:
    """The reference number of ``source_id`` in this report: the run's own sources come first,
    the others take the next number when first cited (campaign.view.numbering)."""
    numbering.reserve("source", ctx.source_ids())
    return numbering.number("source", source_id)


def locator(text: Text, raw: str) -> str:
    """Where in its source a figure stands, in the run's language (paragraph 3 -> 第3段); a figure
    taken from a summary table of the source has no paragraph to give."""
    if match := _PARAGRAPH.match(raw):
        return text.plain("locator.paragraph", number=int(match[1]))
    if _BRIEF.match(raw):
        return ""
    return raw


def cite(ctx: RunContext, text: Text, source_id: str, raw_locator: str = "") -> str:
    """[1], paragraph 3 (plain text, for tables)."""
    where = locator(text, raw_locator) if raw_locator else ""
    return text.plain("citation", number=number_of(ctx, source_id), where=where)


def sources_of(ctx: RunContext, region, period_end: str, task: str | None = None) -> list[str]:
    """The sources of another place's figures at one date (on ``task``, when it has any), in
    reference order: a comparison's citation."""
    observations = ctx.observations
    chosen = (observations["region"] == region.slug) & (observations["period_end"].astype(str) == str(period_end))
    if task is not None and (chosen & (observations["task"] == task)).any():
        chosen &= observations["task"] == task
    found = set(observations.loc[chosen, "source_id"])
    return [s for s in reference_order(ctx) if s in found]


def references(ctx: RunContext, text: Text) -> str:
    """The numbered list of the sources this report has cited, as HTML: each entry escaped, its address
    a link (campaign.view.page.link_cell: plain http(s) addresses only, breaking cleanly)."""
    from campaign.view.page import link_cell

    numbering.reserve("source", ctx.source_ids())
    items = []
    for number, source_id in enumerate(numbering.numbered("source"), start=1):
        source = ctx.registers.sources[source_id]
        headline, translation = _headline(source)
        title = "" if source.title in ("", NOT_RECORDED) else text.pick(source.title, source.title_zh)
        entry = text.plain(
            "reference",
            number=number,
            publisher=text.name(source),
            title=source.title_zh if headline and title else title,
            translation=translation,
            date=source.date,
            headline=headline,
        )
        link = link_cell(source.address) if source.address.startswith(("http://", "https://")) else ""
        items.append(f"<li>{html.escape(entry)}{' ' + link if link else ''}</li>")
    return '<ol class="references">' + "".join(items) + "</ol>"


def _headline(source) -> tuple[bool, str]:
    """Whether the source's Chinese title is its printed headline, and the headline's English
    translation if the register gives one: the English title is the headline itself (as
    `campaign extract --write` records it), or the headline then its translation in brackets."""
    if source.title == source.title_zh:
        return True, ""
    rest = source.title.removeprefix(source.title_zh) if source.title_zh else source.title
    translated = re.fullmatch(r"\s*\[(.+)\]", rest) if rest != source.title else None
    return (True, translated[1]) if translated else (False, "")


_LAST_STOP = re.compile(r"([.。])$")


def _mark(ctx: RunContext | None, text: Text, place, period_end, task: str) -> str:
    """The citation of another place's figure at one date (" [3]"), or "" without a source."""
    if ctx is None or place is None or period_end is None or not hasattr(place, "slug"):
        return ""
    numbers = [number_of(ctx, s) for s in sources_of(ctx, place, period_end, task)]
    if not numbers:
        return ""
    return ("\u00a0" if text.spaces else "") + text.plain("citation", number=", ".join(map(str, numbers)), where="")


def cited(sentence: str, finding: Finding, ctx: RunContext | None, text: Text) -> str:
    """A finding about another place with its source's number before the final stop ("… 2022 [3].")."""
    task = finding.id.split(".", 1)[0]  # a finding's message id starts with its task's id
    mark = _mark(ctx, text, finding.values.get("place"), finding.values.get("period_end"), task)
    if not mark:
        return sentence
    return _LAST_STOP.sub(lambda m: f"{mark}{m[1]}", sentence) if _LAST_STOP.search(sentence) else sentence + mark


def place_marks(finding: Finding, ctx: RunContext | None, text: Text) -> list[str]:
    """For a finding about several places (``places``: dicts with place and period_end), each
    one's citation, which the message puts after that place's figures."""
    task = finding.id.split(".", 1)[0]
    return [_mark(ctx, text, p.get("place"), p.get("period_end"), task) for p in finding.values.get("places", [])]
