"""What a notebook shows: findings rendered in the run's language, escaped tables, saved figures.

Everything from the data is escaped here or in the catalogue: tables through a Styler (``escape="html"``),
Markdown by ``campaign.view.text`` with every value escaped. Figures are saved as PNG and SVG and shown
from the PNG, whatever matplotlib backend is set. Table ids are fixed: two builds give the same HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

from campaign.tasks.context import RunContext
from campaign.tasks.findings import Finding
from campaign.tasks.specs import Chart, Table
from campaign.view import drawing, numbering
from campaign.view.citations import cite, cited, number_of, place_marks, references  # noqa: F401  (references: for notebooks)
from campaign.view.opening import heading, intro, stop_unless_covered  # noqa: F401  (for notebooks)
from campaign.view.practices import practices
from campaign.view.printed import printed_figures
from campaign.view.text.catalogue import Text
from campaign.view.working import show_working, working_number  # noqa: F401  (show_working: for notebooks)


def render_findings(
    findings: Iterable[Finding], text: Text, notes: Notes | None = None, ctx: RunContext | None = None
) -> str:
    """A Markdown bullet list of the findings' sentences. Their caveats go to ``notes``, said once
    in the notes at the end; without ``notes`` each follows its finding. With ``ctx``, a finding
    about another place cites its source ([3])."""
    lines = []
    for finding in findings:
        marks = place_marks(finding, ctx, text)
        sentence = cited(
            text(finding.id, judgement=finding.judgement, marks=marks, **finding.values), finding, ctx, text
        )
        said = notes.said if notes is not None else set()
        new = [c for c in finding.caveats if c not in said]
        caveats = [text(c, judgement=finding.judgement, **finding.values) for c in new if not c.startswith(OTHERS)]
        clauses = [text(c, judgement=finding.judgement, **finding.values) for c in new if c.startswith(OTHERS)]
        if notes is not None:
            notes.add(*caveats)
            notes.add_clauses(clauses, text)
            caveats = []
        elif clauses:
            caveats.append(text(OTHERS.rstrip("."), clauses=clauses))
        lines.append("- " + text.between_sentences.join([sentence, *caveats]))
    return "\n".join(lines)


# Caveats about other places' figures (caveat.others.*) are clauses of one sentence, caveat.others,
# said once however many of them a page needs.
OTHERS = "caveat.others."


class Notes:
    """The caveats of what a page shows, each once, in the order they first arise; those about
    other places as one sentence, after the others."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.said: set[str] = set()  # caveat ids the page has said already in words of its own
        self.clauses: list[str] = []
        self.others = ""

    def add(self, *caveats: str) -> None:
        self.items += [c for c in caveats if c and c not in self.items]

    def add_clauses(self, clauses: list[str], text: Text) -> None:
        self.clauses += [c for c in clauses if c and c not in self.clauses]
        if self.clauses:
            self.others = text(OTHERS.rstrip("."), clauses=self.clauses)

    def lines(self) -> list[str]:
        return [*self.items, *([self.others] if self.others else [])]


def show_markdown(markdown: str) -> None:
    from IPython.display import Markdown, display

    if markdown:
        display(Markdown(markdown))


def show_findings(
    findings: list[Finding | None],
    text: Text,
    notes: Notes | None = None,
    ctx: RunContext | None = None,
    figures: tuple[str, ...] = (),
) -> None:
    """The findings as a list (None entries skipped); nothing when there are none (``ctx``: cite
    the sources of other places' figures). ``figures``: the charts they go with, by name; those
    this page has shown are referred to after the finding they draw (``CHART_DRAWS``), else after
    the first, the run's own key figure ("（见图1）", "(Figure 1)")."""
    findings = [f for f in findings if f is not None]
    if findings:
        shown = [name for name in figures if name in numbering.numbered("figure")]
        lines = render_findings(findings, text, notes, ctx).split("\n")  # one line per finding
        for line, names in numbering.after_findings([f.id for f in findings], shown).items():
            lines[line] += text.between_sentences + text(
                "summary.figure.see", label=numbering.labels("figure", names, text)
            )
        show_markdown("\n".join(lines))


def show_html(markup: str) -> None:
    """HTML built here from escaped parts (a reference list)."""
    from IPython.display import HTML, display

    if markup:
        display(HTML(markup))


def show_notes(notes: Notes) -> None:
    """The page's caveats as one list."""
    if notes.lines():
        show_markdown("\n".join(f"- {c}" for c in notes.lines()))


def show_chart(figure, text: Text, key: str) -> None:
    """A chart drawn for this page only (the summary: not saved, so never stale), numbered under
    ``key`` like a saved one (``show_figure``), its title as caption and alt text."""
    import matplotlib.pyplot as plt

    from campaign.view.theme import png_bytes

    if figure is None:
        return
    title = _figure_title(figure)
    data = png_bytes(figure)
    plt.close(figure)
    _show_png(data, key, title, text, 560)  # a brief's chart: narrower than an analysis page's


_table_counter = 0
# A plain web address, and nothing else: anything with spaces, quotes or angle brackets stays text.
_WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_BREAK_AFTER = re.compile(r"(?:(?<=[^/]/)|(?<=[?&=_]))(?!/)")


def link_cell(value: object) -> str:
    """A table cell as HTML: a plain http(s) address becomes a link whose text may break after
    ``/ ? & = _`` (a clean break, not one inside a word); anything else is escaped text."""
    value = "" if value is None else str(value)
    if not _WEB_ADDRESS.fullmatch(value):
        return html.escape(value)
    shown = "<wbr>".join(html.escape(part) for part in _BREAK_AFTER.split(value))
    return f'<a href="{html.escape(value, quote=True)}">{shown}</a>'


def styled_table(
    table: pd.DataFrame,
    wrap_anywhere: tuple[str, ...] = (),
    keep_together: tuple[str, ...] = (),
    caption: str | None = None,
    links: tuple[str, ...] = (),
):
    """A Styler without the index, every cell HTML-escaped, with a fixed id (same HTML every build).

    ``caption`` (plain text) is shown above the table; ``links`` columns hold web addresses,
    shown as links (``link_cell``)."""
    global _table_counter
    _table_counter += 1
    styler = table.style.hide(axis="index").format(escape="html").set_uuid(f"campaign{_table_counter}")
    styler = styler.set_properties(**{"text-align": "left"}).set_table_styles(
        [{"selector": "th", "props": [("text-align", "left")]}]
    )
    floats = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    if floats:  # a computed number without pandas' six decimals (49900.000000)
        styler = styler.format(working_number, subset=floats)
    if links:
        styler = styler.format(link_cell, subset=list(links))
    if caption:
        styler = styler.set_caption(html.escape(caption))
    if wrap_anywhere:
        styler = styler.set_properties(subset=list(wrap_anywhere), **{"overflow-wrap": "anywhere"})
    if keep_together:
        styler = styler.set_properties(subset=list(keep_together), **{"white-space": "nowrap"})
    return styler


def show_table(
    table: pd.DataFrame | Table | None,
    wrap_anywhere: tuple[str, ...] = (),
    keep_together: tuple[str, ...] = (),
    caption: str | None = None,
    links: tuple[str, ...] = (),
    text: Text | None = None,
) -> None:
    """Show a table (see styled_table) as HTML only; ``keep_together`` columns never wrap;
    ``caption``: a numbered one, from ``table_caption``. A task's table specification is put
    into ``text``'s words first."""
    from IPython.display import HTML, display

    if isinstance(table, Table):
        if text is None:
            raise TypeError("show_table: a table specification needs the run's words (text=...)")
        table = drawing.frame(table, text)
    if table is None or table.empty:
        return
    display(HTML(styled_table(table, wrap_anywhere, keep_together, caption, links).to_html()))


def table_caption(key: str, title: str, text: Text) -> str:
    """A numbered table caption: "Table 1. title" / "表1　title" (campaign.view.numbering)."""
    return numbering.caption("table", key, title, text)


def _figure_title(figure) -> str:
    """The chart's title (its suptitle), hidden from the drawing: the caption carries it."""
    title = figure.get_suptitle()
    if title:
        figure.suptitle(title).set_visible(False)
    return title


def _show_png(png: bytes, key: str, title: str, text: Text, width: int) -> None:
    """The image, its alt text the chart's title, and its numbered caption below it."""
    from IPython.display import HTML, Image, display

    display(Image(data=png, format="png", width=width, metadata={"alt": title}))
    if title:
        shown = html.escape(numbering.caption("figure", key, title, text))
        display(HTML(f'<p class="caption figure-caption">{shown}</p>'))


def show_figure(figure, ctx: RunContext, name: str, text: Text | None = None) -> None:
    """Save ``figure`` (a Figure, or a task's chart specification, drawn in the run's words) under reports/figures/<run>/ as PNG and SVG, then show the saved PNG,
    numbered ("Figure 1. …" below it, campaign.view.numbering) with its title as alt text.

    The chart's title moves from the drawing into the caption (real text, the page's font) and
    into the files' metadata (``Title``), where the summary finds it (``show_saved_figure``)."""
    import matplotlib.pyplot as plt

    from campaign.view.theme import save_figure

    if figure is None:
        return
    text = text or Text(ctx.run.lang)
    if isinstance(figure, Chart):
        figure = drawing.draw(figure, text)
    title = _figure_title(figure)
    paths = save_figure(figure, ctx.run.figures_dir, name, title=title)
    plt.close(figure)
    png = next(p for p in paths if p.suffix == ".png")
    _show_png(png.read_bytes(), name, title, text, 720)


def show_saved_figure(path, text: Text, width: int = 640) -> None:
    """A figure another notebook of the run saved (``show_figure``), numbered in this report."""
    from campaign.view.theme import saved_title

    _show_png(path.read_bytes(), path.stem, saved_title(path), text, width)


def show_practices(ctx: RunContext, text: Text, *tasks: str) -> None:
    """The tasks' practices; a line saying the source describes none where it gives figures only."""
    paragraphs = [p for task in tasks for p in practices(ctx, text, task)]
    if paragraphs:
        show_markdown("\n\n".join(paragraphs))
    elif any(ctx.reported_indicators(task) for task in tasks):  # a task its source does not cover: nothing
        show_markdown(text("section.practices.none", region=ctx.region))


def show_printed_figures(ctx: RunContext, text: Text, task: str) -> None:
    """The task's figures as printed; for a task the run covers but its source leaves out altogether, a note saying so."""
    practices = set(ctx.registers.campaign.practices_of(task)) if ctx.registers.campaign else set()
    table = printed_figures(ctx, text, [i for i in ctx.reported_indicators(task) if i not in practices])
    if table is not None:
        title = table_caption(
            f"printed-{task}", text.plain("table.caption.printed", task=text.name(ctx.registers.tasks[task])), text
        )
        show_table(table, keep_together=(table.columns[1], table.columns[-1]), caption=title)  # as printed, source
    elif task in {t.id for t in ctx.tasks()} and not ctx.reported_indicators(task):
        # (a task its source describes in words only says so in its findings, once)
        show_markdown(text("section.none", region=ctx.region, period_end=ctx.period_end))
