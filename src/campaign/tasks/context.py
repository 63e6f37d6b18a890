"""The run an analysis notebook works on: its parameters, the registers and the processed data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from campaign.core.estimates import Estimate
from campaign.core.quantities import shared_rank
from campaign.core.registers import Registers, Task
from campaign.core.runs import Run, resolve_run
from campaign.dataset.processed import Derived, Figures, read_derived, read_observations, read_processed_csv
from campaign.tasks.findings import Amount, Observed, Rank

PROCESSED_FILES = ("observations.csv", "derived.csv", "quality.csv")


@dataclass
class RunContext:
    run: Run
    registers: Registers
    observations: pd.DataFrame
    derived_table: pd.DataFrame
    quality: pd.DataFrame
    figures: Figures = field(init=False)
    derived: Derived = field(init=False)

    def __post_init__(self):
        self.figures = Figures(self.observations, self.run.region.slug, self.run.period_end)
        self.derived = Derived(self.derived_table, self.run.region.slug, self.run.period_end)

    @property
    def region(self):
        return self.run.region

    @property
    def period_end(self) -> dt.date:
        return dt.date.fromisoformat(self.run.period_end)

    @property
    def base_year(self) -> int:
        """The year of "last year's level" (占上年度): the year before the run's."""
        return self.period_end.year - 1

    @property
    def is_campaign_run(self) -> bool:
        return self.run.region.is_campaign_region

    # the run's own figures -----------------------------------------------------------------
    def has(self, *indicators: str) -> bool:
        return all(self.figures.has(i) for i in indicators)

    def reported(self, indicator: str) -> bool:
        """Present as a row, counted or qualitative."""
        return self.figures.reported(indicator)

    def amount(self, indicator: str) -> Amount | None:
        """The run's figure for ``indicator`` as printed, or None."""
        estimate = self.figures.get(indicator)
        if estimate is None:
            return None
        unit = self.registers.indicators[indicator].unit
        return Amount(estimate, unit, str(self.figures.rows.at[indicator, "printed"]))

    def derived_amount(self, metric: str) -> Amount | None:
        estimate = self.derived.get(metric)
        if estimate is None:
            return None
        return Amount(estimate, str(self.derived.rows.at[metric, "unit"]))

    def task_of_metric(self, metric: str) -> str | None:
        """The task a derived figure belongs to: that of the indicator it is computed from (an
        average's total, or the indicator its id starts with); None for the calendar."""
        from campaign.dataset.derived import PER_UNIT_AVERAGES

        base = {m: total for m, total, *_ in PER_UNIT_AVERAGES}.get(metric)
        base = base or max((i for i in self.registers.indicators if metric.startswith(i)), key=len, default=None)
        # a split of an indicator (employed_in_province): the indicators named with its first word
        base = base or next((i for i in self.registers.indicators if i.split("_")[0] == metric.split("_")[0]), None)
        return self.registers.indicators[base].task if base else None

    def working_table(self, *tasks: str) -> pd.DataFrame:
        """The figures a notebook works from, as one DataFrame indexed by id: the run's printed
        figures of ``tasks`` and the figures derived from them, each with its interval (lower,
        upper), unit, the figure as printed and where it stands in its source."""
        zh = self.run.lang == "zh"
        rows = []
        for indicator_id, row in self.figures.rows.iterrows():
            indicator = self.registers.indicators[indicator_id]
            if indicator.task in tasks and not indicator.qualitative:
                name = indicator.name_zh if zh else indicator.name_en
                rows.append(
                    [
                        indicator_id,
                        "printed",
                        name,
                        row["value"],
                        row["lower"],
                        row["upper"],
                        indicator.unit,
                        row["printed"],
                        row["source_id"],
                        row["locator"],
                    ]
                )
        for metric, row in self.derived.rows.iterrows():
            if self.task_of_metric(metric) in (*tasks, None):
                name = row["description_zh"] if zh else row["description"]
                rows.append(
                    [metric, "derived", name, row["value"], row["lower"], row["upper"], row["unit"], "", "", ""]
                )
        columns = ["id", "kind", "name", "value", "lower", "upper", "unit", "printed", "source_id", "locator"]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def reported_indicators(self, task: str) -> list[str]:
        """Indicators of ``task`` with a row (counted or qualitative) in this run, in register order."""
        return [i.id for i in self.registers.indicators_of_task(task) if self.reported(i.id)]

    def tasks(self) -> list[Task]:
        """What the run covers: a campaign region's campaign tasks; a comparison region's tasks with figures."""
        if self.is_campaign_run:
            return self.registers.tasks_of_region(self.run.region.slug)
        return [t for t in self.registers.campaign_tasks() if self.reported_indicators(t.id)]

    def source_ids(self) -> list[str]:
        return sorted(set(self.figures.rows["source_id"])) if len(self.figures.rows) else []

    # other places ---------------------------------------------------------------------------
    def elsewhere(self, indicator: str) -> list[Observed]:
        """Every other place's (or period's) figure for ``indicator``, oldest region first."""
        table = self.observations
        rows = table[
            (table["indicator"] == indicator)
            & table["value"].notna()
            & ~((table["region"] == self.run.region.slug) & (table["period_end"].astype(str) == self.run.period_end))
        ]
        found = []
        measure = self.registers.indicators[indicator]
        for row in rows.itertuples(index=False):
            found.append(
                Observed(
                    self.registers.regions[row.region],
                    str(row.period_end),
                    indicator,
                    Amount(Estimate(row.value, row.lower, row.upper), row.unit, str(row.printed)),
                    measure.measure_for(row.region),
                    row.source_id,
                )
            )
        return sorted(found, key=lambda o: (_level_order(o.region.level), o.region.slug, o.period_end))

    def beside(self, indicator: str, observed: Observed) -> Amount | None:
        """Another place's figure for ``indicator`` at the place and date of ``observed``, or None."""
        found = [
            o for o in self.elsewhere(indicator) if (o.region, o.period_end) == (observed.region, observed.period_end)
        ]
        return found[0].amount if found else None

    def rank_of(self, of: Observed | str) -> Rank | None:
        """The rank its source prints (全省第二: second in the province) for another place's figure
        ``of``, or for this run's own figure of the indicator ``of``; None when none is printed."""
        indicator_id = of if isinstance(of, str) else of.indicator
        for indicator in self.registers.indicators.values():
            relation = indicator.relation
            if relation and relation.kind == "rank_of" and relation.of == indicator_id:
                rank = self.amount(indicator.id) if isinstance(of, str) else self.beside(indicator.id, of)
                if rank is not None:
                    return Rank(int(rank.value), relation.among, shared_rank(rank.printed), rank.printed)
        return None

    def derived_elsewhere(self, metric: str) -> list[Observed]:
        table = self.derived_table
        rows = table[
            (table["metric"] == metric)
            & ~((table["region"] == self.run.region.slug) & (table["period_end"].astype(str) == self.run.period_end))
        ]
        return sorted(
            (
                Observed(
                    self.registers.regions[row.region],
                    str(row.period_end),
                    metric,
                    Amount(Estimate(row.value, row.lower, row.upper), row.unit),
                )
                for row in rows.itertuples(index=False)
            ),
            key=lambda o: (_level_order(o.region.level), o.region.slug, o.period_end),
        )


def _level_order(level: str) -> int:
    return {"country": 0, "province": 1}.get(level, 2)


def open_run(
    region: str,
    period_end: str | None,
    lang: str,
    data_dir: str | Path,
    reports_dir: str | Path,
) -> RunContext:
    """Validate the notebook parameters and load the processed data of the run."""
    data_dir = Path(data_dir)
    registers = Registers.load(data_dir)
    processed = data_dir / "processed"
    missing = [p for p in PROCESSED_FILES if not (processed / p).exists()]
    if missing:
        raise FileNotFoundError(
            f"{processed} lacks {', '.join(missing)}: run notebooks/00-clean.ipynb (or 'make processed') first"
        )
    observations = read_observations(processed / "observations.csv")
    figures = zip(
        observations["region"], observations["period_end"].astype(str), observations["indicator"], strict=True
    )
    run = resolve_run(registers, figures, region, period_end, lang, data_dir, reports_dir)
    quality = read_processed_csv(processed / "quality.csv", dtype=str, keep_default_na=False)
    return RunContext(run, registers, observations, read_derived(processed / "derived.csv"), quality)
