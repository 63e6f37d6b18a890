"""The chart types of the reports: drawn with the project's theme (campaign.view.theme), no words of their own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from campaign.core.estimates import Estimate
from campaign.view.theme import ACCENT, GOOD, LAST_YEAR, MUTED, PALETTE, THIS_YEAR


@dataclass(frozen=True)
class Bar:
    label: str
    estimate: Estimate
    note: str = ""
    like_for_like: bool = True


def _error(estimates: Sequence[Estimate]) -> list[list[float]]:
    return [[e.value - e.lower for e in estimates], [e.upper - e.value for e in estimates]]


def _finish(figure: Figure, title: str, caption: str | None) -> Figure:
    figure.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=13)
    if caption:
        figure.text(0.01, -0.02, caption, ha="left", va="top", fontsize=8.5, color="#555555", wrap=True)
    figure.tight_layout()
    return figure


def this_year_against_last(
    groups: Sequence[tuple[str, Estimate, Estimate]],
    labels: tuple[str, str],
    value_format: Callable[[Estimate], str],
    title: str,
    caption: str | None = None,
) -> Figure:
    """Grouped bars: this year against last year's implied level, the interval as error bars."""
    figure, axis = plt.subplots(figsize=(8, 4.2))
    positions = range(len(groups))
    width = 0.38
    series = (  # (estimates, offset, colour, legend label, weight of the value labels)
        ([g[2] for g in groups], -width / 2, LAST_YEAR, labels[1], "normal"),
        ([g[1] for g in groups], width / 2, THIS_YEAR, labels[0], "bold"),
    )
    for estimates, offset, colour, label, weight in series:
        axis.bar(
            [p + offset for p in positions],
            [e.value for e in estimates],
            width,
            yerr=_error(estimates),
            capsize=4,
            color=colour,
            label=label,
            error_kw={"elinewidth": 1.2},
        )
        for p, estimate in zip(positions, estimates, strict=True):
            axis.annotate(
                value_format(estimate),
                (p + offset, estimate.upper),
                ha="center",
                va="bottom",
                fontsize=8.5,
                xytext=(0, 2),
                textcoords="offset points",
                fontweight=weight,
            )
    axis.set_xticks(list(positions), [g[0] for g in groups])
    axis.yaxis.set_major_formatter(_tick_labels(value_format))
    axis.legend(frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=9)
    axis.grid(axis="x", visible=False)
    axis.margins(y=0.12)
    return _finish(figure, title, caption)


def funnel(
    stages: Sequence[tuple[str, float]],
    value_format: Callable[[Estimate], str],
    share_format: Callable[[Estimate], str],
    title: str,
    caption: str | None = None,
    with_share: Callable[[str, str], str] = lambda value, share: f"{value} ({share})",
) -> Figure:
    """A pipeline as centred horizontal bars, each labelled with its share of the stage before
    (``with_share``: the value and its share as the language writes them together)."""
    figure, axis = plt.subplots(figsize=(8, 0.9 + 0.75 * len(stages)))
    widest = max(v for _, v in stages)
    colours = sns.light_palette(THIS_YEAR, n_colors=len(stages) + 2)[2:][::-1]
    for row, ((_label, value), colour) in enumerate(zip(stages, colours[::-1], strict=True)):
        axis.barh(row, value, left=(widest - value) / 2, color=colour, height=0.7)
        text = value_format(Estimate.exact(value))
        if row:
            text = with_share(text, share_format(Estimate.exact(value / stages[row - 1][1])))
        axis.text(widest / 2, row, text, ha="center", va="center", color="white", fontweight="bold", fontsize=10)
    axis.set_yticks(range(len(stages)), [label for label, _ in stages])
    axis.invert_yaxis()
    axis.set_xticks([])
    axis.grid(False)
    axis.spines[["left", "bottom"]].set_visible(False)
    return _finish(figure, title, caption)


def bullets(
    rows: Sequence[tuple[str, Estimate, float | None, bool]],
    pace_label: str,
    target_label: str,
    value_format: Callable[[Estimate], str],
    title: str,
    caption: str | None = None,
    other_date_label: str = "",
) -> Figure:
    """Bullet charts of target completion: a bar per target, a line at 100%, a marker for the
    calendar pace; a place at another date than the run's (the row's last item) is hatched."""
    figure, axis = plt.subplots(figsize=(8, 0.9 + 0.85 * len(rows)))
    top = max(1.25, max(r[1].upper for r in rows) * 1.12)
    for row, (_label, completion, pace_mark, other_date) in enumerate(rows):
        axis.barh(row, top, color="#eef1f5", height=0.8)
        axis.barh(row, 1.0, color=MUTED, height=0.8)
        colour = GOOD if pace_mark is None or completion.value >= pace_mark else ACCENT
        style = {"facecolor": "white", "edgecolor": "#7a8594", "hatch": "///"} if other_date else {"color": colour}
        axis.barh(
            row,
            completion.value,
            **style,
            height=0.36,
            xerr=[[completion.value - completion.lower], [completion.upper - completion.value]],
            capsize=3,
        )
        axis.text(
            completion.value,
            row - 0.3,
            " " + value_format(completion),
            va="bottom",
            fontsize=9,
            fontweight="bold",
        )
        if pace_mark is not None:
            axis.plot([pace_mark, pace_mark], [row - 0.38, row + 0.38], color="black", lw=2.5)
    axis.axvline(1.0, color="#555555", lw=1, ls="--")
    axis.set_yticks(range(len(rows)), [r[0] for r in rows])
    axis.invert_yaxis()
    axis.set_xlim(0, top)
    axis.xaxis.set_major_formatter(_tick_labels(value_format))
    axis.grid(axis="y", visible=False)
    handles = [Patch(color=MUTED, label=target_label)]
    if any(r[2] is not None for r in rows):
        handles.append(plt.Line2D([], [], color="black", lw=2.5, label=pace_label))
    if any(r[3] for r in rows):
        handles.append(Patch(facecolor="white", edgecolor="#7a8594", hatch="///", label=other_date_label))
    axis.legend(handles=handles, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3, fontsize=8.5)
    return _finish(figure, title, caption)


def _tick_labels(value_format: Callable[[Estimate], str]) -> Callable[[float, object], str]:
    """An axis's tick labels: each value as the chart writes values, the origin as a bare 0."""
    return lambda v, _: "0" if v == 0 else value_format(Estimate.exact(v))


def composition(
    parts: Sequence[tuple[str, Estimate]],
    total: Estimate,
    value_format: Callable[[Estimate], str],
    share_format: Callable[[Estimate], str],
    total_label: str,
    title: str,
    caption: str | None = None,
) -> Figure:
    """One stacked bar of the channels that make up a total; the legend gives each channel's share."""
    figure, axis = plt.subplots(figsize=(8, 2.8))
    left = 0.0
    for (label, part), colour in zip(parts, PALETTE, strict=False):
        share = Estimate.exact(part.value / total.value)
        axis.barh(0, part.value, left=left, color=colour, height=0.5, label=f"{label}  {share_format(share)}")
        if share.value > 0.08:
            axis.text(
                left + part.value / 2,
                0,
                share_format(share),
                ha="center",
                va="center",
                color="white",
                fontweight="bold",
            )
        left += part.value
    axis.axvline(total.value, color="black", lw=1.5, ls="--", ymax=0.78)  # ends below its label
    axis.text(total.value, 0.42, total_label + "  ", ha="right", va="bottom", fontsize=9)
    axis.set_yticks([])
    axis.set_ylim(-0.4, 0.55)
    axis.set_xlim(0, max(left, total.upper) * 1.02)
    # ticks stop at the total, which the dashed line labels: no round tick past it (10000万元)
    axis.set_xticks([t for t in axis.get_xticks() if 0 <= t <= max(left, total.value)])
    axis.xaxis.set_major_formatter(_tick_labels(value_format))
    axis.legend(frameon=False, ncols=min(len(parts), 3), loc="upper center", bbox_to_anchor=(0.5, -0.28), fontsize=9)
    axis.grid(axis="y", visible=False)
    return _finish(figure, title, caption)


def benchmark_bars(
    bars: Sequence[Bar],
    value_format: Callable[[Estimate], str],
    not_comparable_label: str,
    title: str,
    caption: str | None = None,
    reference: tuple[float, str] | None = None,
) -> Figure:
    """Horizontal bars for one measure across places. Bars that are not like-for-like are hatched
    and carry their reason under their label; values stand in a column right of the plot, so no
    label crosses a bar, the reference line or another label."""
    figure, axis = plt.subplots(figsize=(8, 0.9 + 0.7 * len(bars)))
    top = max(max(b.estimate.upper for b in bars), reference[0] if reference else 0.0)
    for row, bar in enumerate(bars):
        style = {"color": THIS_YEAR} if row == 0 else {"color": LAST_YEAR}
        if not bar.like_for_like:
            style = {"facecolor": "white", "edgecolor": "#7a8594", "hatch": "///"}
        axis.barh(
            row,
            bar.estimate.value,
            height=0.62,
            xerr=[[bar.estimate.value - bar.estimate.lower], [bar.estimate.upper - bar.estimate.value]],
            capsize=3,
            **style,
        )
        axis.text(
            top * 1.04,
            row,
            value_format(bar.estimate),
            va="center",
            fontsize=9,
            fontweight="bold" if row == 0 else "normal",
            color="black" if bar.like_for_like else "#555555",
        )
    handles = []
    if reference:
        axis.axvline(reference[0], color=ACCENT, lw=1.5, ls="--")
        handles.append(plt.Line2D([], [], color=ACCENT, lw=1.5, ls="--", label=reference[1]))
    labels = [b.label + (f"\n{b.note}" if b.note else "") for b in bars]
    axis.set_yticks(range(len(bars)), labels, fontsize=9)
    axis.invert_yaxis()
    axis.set_xlim(0, top * 1.32)
    axis.spines["right"].set_visible(False)
    axis.xaxis.set_major_locator(MaxNLocator(nbins=4))
    axis.set_xticks([t for t in axis.get_xticks() if 0 <= t <= top])
    axis.xaxis.set_major_formatter(_tick_labels(value_format))
    axis.grid(axis="y", visible=False)
    if any(not b.like_for_like for b in bars):
        handles.append(Patch(facecolor="white", edgecolor="#7a8594", hatch="///", label=not_comparable_label))
    if handles:
        axis.legend(handles=handles, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=8.5)
    return _finish(figure, title, caption)


def ratio_bars(
    rows: Sequence[tuple[str, Estimate]],
    value_format: Callable[[Estimate], str],
    title: str,
    caption: str | None = None,
) -> Figure:
    """Horizontal bars of per-unit figures with their intervals (reach per event, trainees per session)."""
    figure, axis = plt.subplots(figsize=(8, 0.9 + 0.7 * len(rows)))
    estimates = [r[1] for r in rows]
    axis.barh(
        range(len(rows)), [e.value for e in estimates], xerr=_error(estimates), capsize=4, color=THIS_YEAR, height=0.55
    )
    for row, estimate in enumerate(estimates):
        axis.text(estimate.upper, row, "  " + value_format(estimate), va="center", fontsize=9)
    axis.set_yticks(range(len(rows)), [r[0] for r in rows])
    axis.invert_yaxis()
    axis.margins(x=0.2)
    axis.grid(axis="y", visible=False)
    return _finish(figure, title, caption)
