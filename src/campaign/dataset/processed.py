"""The processed data as the clean step wrote it: one reader per file, and look-ups by region and period."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from campaign.core.estimates import Estimate, MeasureMismatchError, per_unit
from campaign.core.files import restore_text_columns
from campaign.core.registers import Registers


def read_processed_csv(path: str | Path, **read_csv_options) -> pd.DataFrame:
    """A processed CSV file read back with its text as it was before it was made spreadsheet-safe."""
    return restore_text_columns(pd.read_csv(path, **read_csv_options))


def read_observations(path: str | Path) -> pd.DataFrame:
    """The processed observations as the clean step wrote them, with their types and text restored."""
    frame = read_processed_csv(
        path,
        dtype={"printed": "str", "note": "str", "locator": "str"},
        keep_default_na=False,
        na_values={"value": [""], "lower": [""], "upper": [""]},
    )
    frame["approximate"] = frame["approximate"].astype(str).str.lower() == "true"
    return frame


def read_derived(path) -> pd.DataFrame:
    return read_processed_csv(path, dtype={"period_end": "str"})


class _EstimatesOf:
    """Rows of one region and period, keyed by ``key``, read as Estimates (shared look-up logic)."""

    key = ""
    what = "figure"

    def __init__(self, table: pd.DataFrame, region: str, period_end: str):
        self.region = region
        self.period_end = str(period_end)
        mask = (table["region"] == region) & (table["period_end"].astype(str) == self.period_end)
        self.rows = table[mask].set_index(self.key)

    def has(self, name: str) -> bool:
        return name in self.rows.index and not math.isnan(float(self.rows.at[name, "value"]))

    def get(self, name: str) -> Estimate | None:
        return Estimate.from_row(self.rows.loc[name]) if self.has(name) else None

    def __getitem__(self, name: str) -> Estimate:
        estimate = self.get(name)
        if estimate is None:
            raise KeyError(f"{self.what} {name} is not available for {self.region} {self.period_end}")
        return estimate


class Figures(_EstimatesOf):
    """The observations of one region and period, looked up by indicator id."""

    key = "indicator"
    what = "figure"

    def reported(self, indicator: str) -> bool:
        """Present as a row, counted or qualitative."""
        return indicator in self.rows.index


class Derived(_EstimatesOf):
    """The derived figures of one region and period, looked up by metric id."""

    key = "metric"
    what = "derived figure"


def per_unit_of(figures: Figures, registers: Registers, total: str, count: str) -> Estimate:
    """``total`` per ``count`` for one region and period; both must be stocks or both flows."""
    measures = {i: registers.indicators[i].measure_for(figures.region) for i in (total, count)}
    if measures[total] != measures[count]:
        raise MeasureMismatchError(
            f"{total} ({measures[total]}) cannot be divided by {count} ({measures[count]}) for {figures.region}"
        )
    return per_unit(figures[total], figures[count])
