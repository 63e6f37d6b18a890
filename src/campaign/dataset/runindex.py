"""The index of runs: what choosing a run needs, written by the clean step, read by `campaign run-id`.

Choosing the run (`campaign run-id`, which every `make reports` runs, even one with nothing to
do) needs the registers and, for one region, its latest period and the tasks reported there, not
the raw rows. The clean step writes them to ``data/processed/index.sqlite`` (SQLite, from the
standard library: one row per region, period end and task, looked up through its primary key)
with the size and modification time of every register and raw file it read. While those are
unchanged, run-id reads the index alone, and its cost does not grow with the data. When any
input changed (or the index is missing, broken or written by other code), run-id validates the
registers and the raw rows itself, as the clean step does, and builds the same index in memory.

A figure dated after its source (only targets may be: they are set ahead) names no run.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from campaign.core.registers import Registers
from campaign.dataset.rawfiles import raw_files

INDEX_NAME = "index.sqlite"
FORMAT = "2"  # change it when the index, or what the clean step accepts, changes
REGISTER_FILES = ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml")
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE figures (region TEXT, period_end TEXT, task TEXT, indicator TEXT, PRIMARY KEY (region, period_end, task))
    WITHOUT ROWID;
"""


def input_signature(data_dir: Path) -> list[list]:
    """[name, size, mtime_ns] of every register and raw file (by the raw-file rule), in order."""
    paths = [data_dir / name for name in REGISTER_FILES] + raw_files(data_dir / "raw", data_dir.parent)
    signature = []
    for path in paths:
        status = os.stat(path)
        signature.append([os.path.relpath(path, data_dir), status.st_size, status.st_mtime_ns])
    return signature


def run_figures(raw, registers: Registers) -> list[tuple[str, str, str, str]]:
    """(region slug, period end, task, one indicator of it) for every region, period and task that
    validated raw rows report and that can name a run."""
    from campaign.dataset.validate import ahead_of_source

    named = raw.assign(
        region=raw["region"].map({name: region.slug for name, region in registers.region_by_name.items()}),
        task=raw["indicator"].map({i.id: i.task for i in registers.indicators.values()}),
    )[~ahead_of_source(raw, registers)]
    distinct = named.drop_duplicates(["region", "period_end", "task"])
    return sorted(distinct[["region", "period_end", "task", "indicator"]].itertuples(index=False, name=None))


def build_index(registers: Registers, figures: list, signature: list[list]) -> dict:
    """What the clean step writes (``write_index``)."""
    return {"inputs": signature, "registers": registers.snapshot(), "figures": figures}


def write_index(index: dict, path: str | Path) -> None:
    """The index as an SQLite file at ``path`` (a temporary file: the caller renames it)."""
    Path(path).unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        _fill(connection, index)
    finally:
        connection.close()


def _fill(connection: sqlite3.Connection, index: dict) -> None:
    connection.executescript(_TABLES)
    meta = {"format": FORMAT, "inputs": json.dumps(index["inputs"]), "registers": json.dumps(index["registers"])}
    connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    connection.executemany("INSERT INTO figures VALUES (?, ?, ?, ?)", index["figures"])
    connection.commit()


class RunIndex:
    """The registers, and which region reports which tasks for which period end."""

    def __init__(self, connection: sqlite3.Connection, registers: Registers):
        self.connection, self.registers = connection, registers

    def latest(self, region: str) -> str | None:
        return self.connection.execute("SELECT max(period_end) FROM figures WHERE region = ?", (region,)).fetchone()[0]

    def has(self, region: str, period_end: str) -> bool:
        query = "SELECT 1 FROM figures WHERE region = ? AND period_end = ? LIMIT 1"
        return self.connection.execute(query, (region, period_end)).fetchone() is not None

    def periods(self, region: str) -> list[str]:
        query = "SELECT DISTINCT period_end FROM figures WHERE region = ? ORDER BY period_end"
        return [row[0] for row in self.connection.execute(query, (region,))]

    def regions(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT DISTINCT region FROM figures ORDER BY region")]

    def figures(self, region: str | None = None, period_end: str | None = None) -> list[tuple[str, str, str]]:
        """(region, period end, indicator): one indicator per task reported, for one region and
        period, or for all."""
        query, args = "SELECT region, period_end, indicator FROM figures", ()
        if region is not None:
            query, args = query + " WHERE region = ? AND period_end = ?", (region, period_end)
        return [tuple(row) for row in self.connection.execute(query, args)]


def _fresh(data_dir: Path) -> RunIndex | None:
    path = data_dir / "processed" / INDEX_NAME
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        connection.execute("SELECT region, period_end, task, indicator FROM figures LIMIT 1").fetchall()
        if meta.get("format") != FORMAT or json.loads(meta["inputs"]) != input_signature(data_dir):
            connection.close()
            return None
        return RunIndex(connection, Registers.from_snapshot(data_dir, json.loads(meta["registers"])))
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def run_index(data_dir: str | Path) -> RunIndex:
    """The index of ``data_dir``: the clean step's while it is fresh, else one built in memory from
    the registers and raw files, validated as the clean step validates them (CleanError and
    RegisterError name file, line and column)."""
    data_dir = Path(data_dir)
    indexed = _fresh(data_dir)
    if indexed is not None:
        return indexed
    raw_files(data_dir / "raw", data_dir.parent)  # an entry the rule refuses: said before pandas starts
    from campaign.dataset.clean import read_raw
    from campaign.dataset.rawfiles import CleanError
    from campaign.dataset.validate import validate_raw

    registers = Registers.load(data_dir)
    raw = read_raw(data_dir / "raw", root=data_dir.parent)
    problems = validate_raw(raw, registers)
    if problems:
        raise CleanError(problems)
    connection = sqlite3.connect(":memory:")
    _fill(connection, build_index(registers, run_figures(raw, registers), []))
    return RunIndex(connection, registers)
