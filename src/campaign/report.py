"""What every analysis notebook opens with: the run, its data, language helpers, figure output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .io import read_observations
from .metrics import Derived, Estimate, Figures, read_derived
from .params import Run, resolve_run
from .registers import Registers
from .tables import format_estimate, format_percent, format_range, format_value


@dataclass(frozen=True)
class Comparison:
    """One benchmark figure set beside the run's own, with why it is or is not like-for-like."""

    region: str
    period_end: str
    estimate: Estimate
    like_for_like: bool
    reason: str


@dataclass
class RunContext:
    run: Run
    registers: Registers
    observations: pd.DataFrame
    derived_table: pd.DataFrame
    quality: pd.DataFrame
    figures: Figures = field(init=False)
    derived: Derived = field(init=False)
    saved_figures: list[Path] = field(default_factory=list)

    def __post_init__(self):
        self.figures = Figures(self.observations, self.run.region.slug, self.run.period_end)
        self.derived = Derived(self.derived_table, self.run.region.slug, self.run.period_end)

    # language ---------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.run.lang

    def t(self, en: str, zh: str) -> str:
        """The text in the run's language."""
        return zh if self.lang == "zh" else en

    def name(self, indicator: str) -> str:
        return self.registers.indicators[indicator].name(self.lang)

    def label(self, indicator: str) -> str:
        """Indicator name; in English with the Chinese term beside it."""
        ind = self.registers.indicators[indicator]
        return ind.name_zh if self.lang == "zh" else f"{ind.name_en} ({ind.name_zh})"

    def region_name(self, slug: str | None = None) -> str:
        region = self.registers.regions[slug] if slug else self.run.region
        return region.name(self.lang)

    @property
    def not_reported(self) -> str:
        return self.t("not reported", "未报告")

    # numbers ----------------------------------------------------------------------------
    def fmt(self, value: float | Estimate | None, unit: str) -> str:
        if isinstance(value, Estimate):
            return format_estimate(value, unit, self.lang)
        return format_value(value, unit, self.lang)

    def fmt_range(self, estimate: Estimate, unit: str) -> str:
        return format_range(estimate, unit, self.lang)

    def pct(self, ratio: float, signed: bool = False, decimals: int = 2) -> str:
        return format_percent(ratio, signed=signed, decimals=decimals)

    def value_of(self, indicator: str) -> str:
        """The run's figure for an indicator in the run's language, or 'not reported'."""
        estimate = self.figures.get(indicator)
        unit = self.registers.indicators[indicator].unit
        return self.fmt(estimate.value if estimate else None, unit)

    def has(self, *indicators: str) -> bool:
        return all(self.figures.has(i) for i in indicators)

    def source_of(self, indicator: str) -> str:
        row = self.figures.rows.loc[indicator]
        return f"{row['source_id']} ({row['locator']})"

    # benchmarks -------------------------------------------------------------------------
    def comparisons(self, indicator: str) -> list[Comparison]:
        """The same indicator for other places, each marked like-for-like or not, with the reason."""
        rows = self.observations[
            (self.observations["indicator"] == indicator)
            & ~(
                (self.observations["region"] == self.run.region.slug)
                & (self.observations["period_end"].astype(str) == self.run.period_end)
            )
            & self.observations["value"].notna()
        ]
        found = []
        comparable = self.registers.indicators[indicator].comparable
        for row in rows.itertuples(index=False):
            same_period = str(row.period_end) == self.run.period_end
            reasons = []
            if not same_period:
                reasons.append(
                    self.t(
                        f"period ends {row.period_end}, not {self.run.period_end}",
                        f"截至 {row.period_end}，而非 {self.run.period_end}",
                    )
                )
            if not comparable:
                reasons.append(self.t("a different measure", "口径不同"))
            found.append(
                Comparison(
                    row.region,
                    str(row.period_end),
                    Estimate(row.value, row.lower, row.upper),
                    same_period and comparable,
                    "; ".join(reasons),
                )
            )
        return sorted(found, key=lambda c: (c.region, c.period_end))

    # display ----------------------------------------------------------------------------
    def show(self, en: str, zh: str) -> None:
        """Display Markdown in the run's language."""
        from IPython.display import Markdown, display

        display(Markdown(self.t(en, zh)))

    def show_markdown(self, text: str) -> None:
        from IPython.display import Markdown, display

        display(Markdown(text))

    def show_table(self, table: pd.DataFrame, wrap_anywhere: tuple[str, ...] = ()) -> None:
        """Display a table without its index; ``wrap_anywhere`` columns (addresses) may break mid-word."""
        from IPython.display import display

        styler = table.style.hide(axis="index").set_properties(**{"text-align": "left"})
        styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
        if wrap_anywhere:
            styler = styler.set_properties(subset=list(wrap_anywhere), **{"overflow-wrap": "anywhere"})
        display(styler)

    def intro(self) -> None:
        """Display the run's header line."""
        self.show_markdown(self.intro_text())

    def intro_text(self) -> str:
        """The run's header line: region, period and where the figures come from."""
        sources = sorted(set(self.figures.rows["source_id"])) if len(self.figures.rows) else []
        described = "; ".join(
            f"{self.registers.sources[s].publisher_in(self.lang)}, {self.registers.sources[s].date}" for s in sources
        )
        return self.t(
            f"**Run:** {self.region_name()} ({self.run.region.name_zh}), period ending {self.run.period_end}, "
            f"{len(self.figures.rows)} figures. **Source:** {described or 'none'}.",
            f"**本次分析**：{self.region_name()}，截至{self.run.period_end}，共{len(self.figures.rows)}项数据。"
            f"**来源**：{described or '无'}。",
        )

    # figures ----------------------------------------------------------------------------
    def show_figure(self, figure, name: str) -> None:
        """Save ``figure`` under reports/figures/<run>/ as PNG and SVG, then display it."""
        import matplotlib.pyplot as plt
        from IPython.display import display

        from .plots import save_figure

        self.saved_figures += save_figure(figure, self.run.figures_dir, name)
        display(figure)
        plt.close(figure)


def open_run(
    region: str,
    period_end: str | None,
    lang: str,
    data_dir: str | Path,
    reports_dir: str | Path,
    processed_dir: str | Path | None = None,
) -> RunContext:
    """Validate the notebook parameters and load the processed data of the run."""
    data_dir = Path(data_dir)
    registers = Registers.load(data_dir)
    processed = Path(processed_dir) if processed_dir else data_dir / "processed"
    missing = [p for p in ("observations.csv", "derived.csv", "quality.csv") if not (processed / p).exists()]
    if missing:
        raise FileNotFoundError(
            f"{processed} lacks {', '.join(missing)}: run notebooks/00-clean.ipynb (or 'make processed') first"
        )
    observations = read_observations(processed / "observations.csv")
    pairs = zip(observations["region"], observations["period_end"].astype(str), strict=True)
    run = resolve_run(registers, pairs, region, period_end, lang, data_dir, reports_dir)
    quality = pd.read_csv(processed / "quality.csv", dtype=str, keep_default_na=False)
    return RunContext(run, registers, observations, read_derived(processed / "derived.csv"), quality)
