"""What a notebook shows: findings rendered in the run's language, escaped tables, saved figures.

Everything from the data is escaped here or in the catalogue: tables go through a Styler with
``escape="html"``; Markdown is rendered by ``campaign.view.text`` with every value escaped. Figures are
saved as PNG and SVG and shown from the saved PNG, so they appear whatever matplotlib backend the
environment sets. Table ids are fixed, so two builds give the same HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from campaign.tasks.context import RunContext
from campaign.tasks.findings import Finding
from campaign.view.citations import cite, number_of, references  # noqa: F401  (references: for notebooks)
from campaign.view.text.catalogue import Text, escape_markdown


def render_findings(findings: Iterable[Finding], text: Text, notes: Notes | None = None) -> str:
    """A Markdown bullet list of the findings' sentences. Their caveats go to ``notes``, said once
    in the notes at the end; without ``notes`` each follows its finding."""
    lines = []
    for finding in findings:
        sentence = text(finding.id, judgement=finding.judgement, **finding.values)
        caveats = [text(c, judgement=finding.judgement, **finding.values) for c in finding.caveats]
        if notes is not None:
            notes.add(*caveats)
            caveats = []
        lines.append("- " + text.between_sentences.join([sentence, *caveats]))
    return "\n".join(lines)


class Notes:
    """The caveats of what a page shows, each once, in the order they first arise."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, *caveats: str) -> None:
        self.items += [c for c in caveats if c and c not in self.items]


class Numbering:
    """Figure and table numbers of one page, in the order they are shown."""

    def __init__(self) -> None:
        self.figures = 0
        self.tables = 0

    def figure(self) -> int:
        self.figures += 1
        return self.figures

    def table(self) -> int:
        self.tables += 1
        return self.tables


def show_markdown(markdown: str) -> None:
    from IPython.display import Markdown, display

    if markdown:
        display(Markdown(markdown))


def show_findings(findings: list[Finding | None], text: Text, notes: Notes | None = None) -> None:
    """The findings as a list (None entries skipped); nothing when there are none."""
    findings = [f for f in findings if f is not None]
    if findings:
        show_markdown(render_findings(findings, text, notes))


def show_notes(notes: Notes) -> None:
    """The page's caveats as one list."""
    if notes.items:
        show_markdown("\n".join(f"- {c}" for c in notes.items))


def show_caption(text: Text, kind: str, number: int, title: str) -> None:
    """ "Figure 1. ..." / "图1 ..." under a chart, "Table 1. ..." above a table."""
    label = text(f"summary.{kind}.label", number=number)
    separator = " " if text.spaces else "\u3000"  # 图1　长治市…: a full-width space in Chinese
    show_markdown(f"*{label}{separator}{escape_markdown(title)}*")


def show_chart(figure, text: Text, number: int, title: str) -> None:
    """A chart drawn for this page only (not saved), numbered, its title as the image's alt text."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    from campaign.view.theme import png_bytes

    if figure is None:
        return
    data = png_bytes(figure)
    plt.close(figure)
    display(Image(data=data, format="png", width=720, metadata={"alt": title}))
    show_caption(text, "figure", number, title)


_table_counter = 0


def styled_table(table: pd.DataFrame, wrap_anywhere: tuple[str, ...] = (), keep_together: tuple[str, ...] = ()):
    """A Styler without the index, every cell HTML-escaped, with a fixed id (same HTML every build)."""
    global _table_counter
    _table_counter += 1
    styler = table.style.hide(axis="index").format(escape="html").set_uuid(f"campaign{_table_counter}")
    styler = styler.set_properties(**{"text-align": "left"}).set_table_styles(
        [{"selector": "th", "props": [("text-align", "left")]}]
    )
    if wrap_anywhere:
        styler = styler.set_properties(subset=list(wrap_anywhere), **{"overflow-wrap": "anywhere"})
    if keep_together:
        styler = styler.set_properties(subset=list(keep_together), **{"white-space": "nowrap"})
    return styler


def show_table(
    table: pd.DataFrame | None, wrap_anywhere: tuple[str, ...] = (), keep_together: tuple[str, ...] = ()
) -> None:
    """Show a table (see styled_table) as HTML only; ``keep_together`` columns never wrap."""
    from IPython.display import HTML, display

    if table is None or table.empty:
        return
    display(HTML(styled_table(table, wrap_anywhere, keep_together).to_html()))


def show_figure(figure, ctx: RunContext, name: str) -> None:
    """Save ``figure`` under reports/figures/<run>/ as PNG and SVG, then show the saved PNG."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    from campaign.view.theme import save_figure

    if figure is None:
        return
    paths = save_figure(figure, ctx.run.figures_dir, name)
    plt.close(figure)
    png = next(p for p in paths if p.suffix == ".png")
    display(Image(data=png.read_bytes(), format="png", width=720))


def intro(ctx: RunContext, text: Text) -> str:
    """The line under each analysis notebook's heading: the run, its period and its sources."""
    sources = [ctx.registers.sources[s] for s in ctx.source_ids()]
    return text(
        "run.intro",
        region=ctx.region,
        period_end=ctx.period_end,
        count=int(ctx.figures.rows["value"].notna().sum()),
        statements=int(ctx.figures.rows["value"].isna().sum()),
        sources=sources,
        numbers=[number_of(ctx, s) for s in ctx.source_ids()],
        comparison=not ctx.is_campaign_run,
    )


def printed_figures(ctx: RunContext, text: Text, indicators: list[str]) -> pd.DataFrame | None:
    """The run's figures for ``indicators``: name, as printed, value in base units, source."""
    rows = []
    for indicator_id in indicators:
        indicator = ctx.registers.indicators[indicator_id]
        row = ctx.figures.rows.loc[indicator_id]
        if indicator.qualitative:
            fact = text.pick(indicator.description_en or str(row["note"]), indicator.description_zh)
            shown = text.plain("value.qualitative", fact=fact)
        else:
            shown = text.amount(ctx.amount(indicator_id))
        source = text.plain("table.source", source=cite(ctx, text, row["source_id"], str(row["locator"])))
        rows.append([text.name(indicator), str(row["printed"]), shown, source])
    if not rows:
        return None
    return pd.DataFrame(rows, columns=text.plain("table.printed.columns").split("|"))


def show_printed_figures(ctx: RunContext, text: Text, task: str) -> None:
    """The task's figures as printed; for a task the run covers but its source left out, a note saying so."""
    practices = set(ctx.registers.campaign.practices_of(task)) if ctx.registers.campaign else set()
    table = printed_figures(ctx, text, [i for i in ctx.reported_indicators(task) if i not in practices])
    if table is not None:
        show_table(table, keep_together=(table.columns[1],))
    elif task in {t.id for t in ctx.tasks()}:
        show_markdown(text("section.none", region=ctx.region, period_end=ctx.period_end))
