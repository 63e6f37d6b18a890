"""The index of runs: what choosing a run needs, written by the clean step, read by `campaign run-id`.

Choosing the run (`campaign run-id`, which every `make reports` runs, even one with nothing to
do) needs the registers and which (region, period end, indicator) the raw files report, not
their rows. The clean step writes both to ``data/processed/index.json`` with the size and
modification time of every register and raw file it read. While those are unchanged, run-id
reads the index alone: its cost does not grow with the data. When any input changed (or the
index is missing or was written by other code), run-id validates the registers and the raw rows
itself, as the clean step does, and gets the same answer.

A figure dated after its source (only targets may be: they are set ahead) names no run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from campaign.core.registers import Registers
from campaign.dataset.rawfiles import raw_files

INDEX_NAME = "index.json"
FORMAT = 1  # raise it when the index, or what the clean step accepts, changes
REGISTER_FILES = ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml")

Figures = list[tuple[str, str, str]]  # (region slug, period end, indicator)


def input_signature(data_dir: Path) -> list[list]:
    """[name, size, mtime_ns] of every register and raw file (by the raw-file rule), in order."""
    paths = [data_dir / name for name in REGISTER_FILES] + raw_files(data_dir / "raw", data_dir.parent)
    signature = []
    for path in paths:
        status = os.stat(path)
        signature.append([os.path.relpath(path, data_dir), status.st_size, status.st_mtime_ns])
    return signature


def run_figures(raw, registers: Registers) -> Figures:
    """The distinct (region slug, period end, indicator) of validated raw rows that can name a run."""
    from campaign.dataset.validate import ahead_of_source

    slugs = raw["region"].map({name: region.slug for name, region in registers.region_by_name.items()})
    named = raw.assign(region=slugs)[~ahead_of_source(raw, registers)]
    distinct = named[["region", "period_end", "indicator"]].drop_duplicates()
    return sorted(distinct.itertuples(index=False, name=None))


def build_index(registers: Registers, figures: Figures, signature: list[list]) -> dict:
    return {"format": FORMAT, "inputs": signature, "registers": registers.snapshot(), "figures": figures}


def read_index(data_dir: Path) -> tuple[Registers, Figures] | None:
    """The registers and figures of a fresh index, or None (missing, unreadable, other code, or
    any input changed since it was written)."""
    try:
        index = json.loads((data_dir / "processed" / INDEX_NAME).read_text(encoding="utf-8"))
        if index.get("format") != FORMAT or index.get("inputs") != input_signature(data_dir):
            return None
        return Registers.from_snapshot(data_dir, index["registers"]), [tuple(f) for f in index["figures"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def run_inputs(data_dir: str | Path) -> tuple[Registers, Figures]:
    """The registers and the figures that name runs: from the index when it is fresh, else from
    the registers and raw files, validated as the clean step validates them (CleanError and
    RegisterError name file, line and column)."""
    data_dir = Path(data_dir)
    indexed = read_index(data_dir)
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
    return registers, run_figures(raw, registers)
