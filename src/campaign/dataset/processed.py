"""The processed data as the clean step wrote it: one reader per file, and look-ups by region and period."""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Self

import numpy as np
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


class _Columns:
    """The key and the figures of a whole table as Python lists, read once for all its groups."""

    def __init__(self, table: pd.DataFrame, key: str):
        self.names = table[key].tolist()
        self.value, self.lower, self.upper = (
            table[c].to_numpy(dtype=float, na_value=math.nan).tolist() for c in ("value", "lower", "upper")
        )


class _EstimatesOf:
    """Rows of one region and period, keyed by ``key``, read as Estimates (shared look-up logic).

    ``groups`` gives every region and period of a table at once (one pass over it); the
    constructor selects one."""

    key = ""
    what = "figure"

    def __init__(self, table: pd.DataFrame, region: str, period_end: str):
        mask = (table["region"] == region) & (table["period_end"].astype(str) == str(period_end))
        self._select(table, np.flatnonzero(mask.to_numpy()), region, period_end, _Columns(table, self.key))

    @classmethod
    def groups(cls, table: pd.DataFrame) -> Iterator[tuple[tuple[str, str], Self]]:
        """((region, period end), look-up) for every region and period of ``table``, in order:
        the table is grouped once and its columns read once, whatever the number of groups."""
        if table.empty:
            return
        columns = _Columns(table, cls.key)
        groups = table.groupby([table["region"], table["period_end"].astype(str)], sort=False).indices
        for region, period_end in sorted(groups):
            selected = cls.__new__(cls)
            selected._select(table, groups[(region, period_end)], region, period_end, columns)
            yield (region, period_end), selected

    def _select(self, table: pd.DataFrame, positions, region: str, period_end: str, columns: _Columns) -> None:
        self.region = region
        self.period_end = str(period_end)
        self._table, self._positions = table, positions
        names, value, lower, upper = columns.names, columns.value, columns.lower, columns.upper
        self._names = {names[i] for i in positions}
        self._estimates = {
            names[i]: Estimate(value[i], lower[i], upper[i]) for i in positions.tolist() if not math.isnan(value[i])
        }

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The rows, indexed by ``key``."""
        return self._table.iloc[self._positions].set_index(self.key)

    def has(self, name: str) -> bool:
        return name in self._estimates

    def get(self, name: str) -> Estimate | None:
        return self._estimates.get(name)

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
        return indicator in self._names


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
