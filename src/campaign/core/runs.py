"""Notebook and build parameters: validate them and name the run they select."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from campaign.core.languages import languages
from campaign.core.registers import Region, Registers, parse_period_end
from campaign.core.settings import ANALYSIS_NOTEBOOKS, DEFAULT_LANG, DEFAULT_REGION


@dataclass(frozen=True)
class Run:
    """One report run: a region, a period end and a language, with its output folders."""

    region: Region
    period_end: str
    lang: str
    data_dir: Path
    reports_dir: Path

    @property
    def id(self) -> str:
        return f"{self.region.slug}-{self.period_end}-{self.lang}"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    @property
    def figures_dir(self) -> Path:
        return self.reports_dir / "figures" / self.id


def resolve_run(
    registers: Registers,
    figures: Iterable[tuple[str, str, str]],
    region: str = DEFAULT_REGION,
    period_end: str | None = None,
    lang: str = DEFAULT_LANG,
    data_dir: str | Path = "data",
    reports_dir: str | Path = "reports",
) -> Run:
    """Check the parameters against the runs the data supports (``report_runs``); every error is
    one line that names what was given and what is valid.

    ``figures`` are (region slug, period end, indicator) triples; ``period_end`` empty or None
    selects the region's latest run.
    """
    figures = [(str(r), str(p), str(i)) for r, p, i in figures]
    if lang not in languages():
        raise ValueError(f"unknown language {lang!r}; valid languages: {', '.join(languages())}")
    runs = report_runs(registers, figures)
    try:
        found = registers.region(region)
    except ValueError:
        raise ValueError(
            f"unknown region {str(region)!r}; valid regions: {_regions_with_runs(registers, runs)}"
        ) from None
    periods = [period for slug, period in runs if slug == found.slug]
    if not periods:
        raise ValueError(f"{_holdings(registers, figures, found)}; runs: {_runs_listed(registers, runs)}")
    if period_end in (None, "", "latest"):
        period_end = periods[-1]
    else:
        period_end = parse_period_end(period_end).isoformat()
        if period_end not in periods:
            raise ValueError(
                f"no data for {found.name_zh} ({found.slug}) at period end {period_end}; "
                f"reported period ends: {', '.join(periods)}"
            )
    return Run(found, period_end, lang, Path(data_dir), Path(reports_dir))


def _regions_with_runs(registers: Registers, runs: list[tuple[str, str]]) -> str:
    slugs = sorted({slug for slug, _ in runs})
    return ", ".join(f"{registers.regions[s].name_zh} ({s})" for s in slugs) or "none (no region has campaign figures)"


def _runs_listed(registers: Registers, runs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{registers.regions[s].name_zh} ({s}) {period}" for s, period in runs) or "none"


def _holdings(registers: Registers, figures: list[tuple[str, str, str]], region: Region) -> str:
    """What a region without a run holds, in one clause: its figures' tasks and period ends."""
    held = [(period, indicator) for slug, period, indicator in figures if slug == region.slug]
    name = f"{region.name_zh} ({region.slug})"
    if not held:
        return f"{name} has no figures in data/raw/, so it has no report"
    numbers = {
        t: registers.tasks[t].number or 99 for t in {registers.indicators[i].task for _, i in held}
    }  # context last
    tasks = sorted(numbers, key=numbers.get)
    topics = ", ".join(registers.tasks[t].name_en.split(" (")[0].lower() for t in tasks)
    periods = ", ".join(sorted({p for p, _ in held}))
    return (
        f"{name} holds only benchmark figures ({topics}; period ends {periods}), which the reports compare "
        "against: it has no report of its own"
    )


def run_notebooks(
    registers: Registers, figures: Iterable[tuple[str, str, str]], region: str, period_end: str
) -> list[str]:
    """The analysis notebooks a run builds: for a campaign region, those covering its campaign
    tasks; for a comparison region, only those with figures (it is never blamed for the rest).

    ``figures`` are (region slug, period end, indicator) triples.
    """
    reported = {
        registers.indicators[indicator].task
        for slug, period, indicator in figures
        if slug == region and str(period) == period_end and indicator in registers.indicators
    }
    if registers.regions[region].is_campaign_region:
        covered = {t.id for t in registers.tasks_of_region(region)}
    else:
        covered = reported
    return [name for name, tasks in ANALYSIS_NOTEBOOKS.items() if covered & set(tasks)]


def report_runs(registers: Registers, figures: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(region slug, period end) of every prefecture-level run the data supports.

    ``figures`` are (region slug, period end, indicator) triples. A run needs at least one figure
    for one of the campaign's six tasks; benchmark-only places (country, province, cities with
    context figures only) are compared against, not reported on.
    """
    campaign_tasks = {t.id for t in registers.campaign_tasks()}
    prefectures = {r.slug for r in registers.regions.values() if r.level == "prefecture"}
    return sorted(
        {
            (region, str(period))
            for region, period, indicator in figures
            if region in prefectures and registers.indicators[indicator].task in campaign_tasks
        }
    )
