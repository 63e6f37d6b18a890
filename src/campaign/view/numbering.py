"""Figure and table numbers of one report ("Figure 1. …" / "图1　…"), in page order.

One report is one notebook, run in a kernel of its own, so the numbers live in this module, per
kernel: a figure or table gets its number the first time it is named, by a key of the caller's
choosing (a figure's file name, a table's), and keeps it; running a cell again in JupyterLab
gives the same number. Figures, tables and cited sources are numbered separately.

Numbers follow the page when the text names a figure where it is shown or after it. Text that
names one before (the summary's takeaways, say) reserves the report's figures first, in the
order the page shows them: ``reserve("figure", [...])``.

The words ("Figure", "图") are the catalogue's: ``number.figure``, ``number.table`` and
``number.separator``.
"""

from __future__ import annotations

from collections.abc import Iterable

from campaign.tasks.specs import CHART_DRAWS, FIGURE_DRAWS
from campaign.view.text.catalogue import Text

KINDS = ("figure", "table", "source")  # sources: the reference numbers, [1], [2], in citing order
_numbers: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}


def _of(kind: str) -> dict[str, int]:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return _numbers[kind]


def number(kind: str, key: str) -> int:
    """The number of the figure or table ``key``: the next one the first time it is named."""
    numbers = _of(kind)
    return numbers.setdefault(key, len(numbers) + 1)


def numbered(kind: str) -> list[str]:
    """The keys numbered so far, in number order (the sources a report's references list)."""
    return sorted(_of(kind), key=_of(kind).get)


def reserve(kind: str, keys: Iterable[str]) -> None:
    """Number ``keys`` in this order now (those named before keep their numbers)."""
    for key in keys:
        number(kind, key)


def reset() -> None:
    """Start numbering again from 1 (a new report in the same process, as in the tests)."""
    for numbers in _numbers.values():
        numbers.clear()


def label(kind: str, key: str, text: Text) -> str:
    """How the text names it: "Figure 2", "表1"."""
    return text.plain(f"number.{kind}", number=number(kind, key))


def labels(kind: str, keys: list[str], text: Text) -> str:
    """How the text names several at once: "Figures 2 and 3", "图2、图3"."""
    if len(keys) == 1:
        return label(kind, keys[0], text)
    return text.plain(f"number.{kind}s", numbers=[number(kind, key) for key in keys])


def caption(kind: str, key: str, title: str, text: Text) -> str:
    """Its caption as plain text: "Figure 2. Title" / "图2　标题" (escape it where it is rendered)."""
    return label(kind, key, text) + str(text.messages["number.separator"]) + title.strip()


def after_findings(ids: list[str], charts: list[str]) -> dict[int, list[str]]:
    """Which of the findings (by id, in page order) each chart is referred to after: the finding
    it draws (FIGURE_DRAWS, else its task's CHART_DRAWS), else the first, the run's key figure."""
    task_drawn = [ids.index(i) for i in CHART_DRAWS.values() if i in ids]
    at: dict[int, list[str]] = {}
    for name in charts:
        own = FIGURE_DRAWS.get(name)
        at.setdefault(ids.index(own) if own in ids else (task_drawn[0] if task_drawn else 0), []).append(name)
    return at
