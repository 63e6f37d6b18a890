"""Shared fixtures. Data written by these fixtures is invented for the tests unless it copies
the project's own registers or raw files, and says so where it is used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RAW_HEADER = "region,period_end,indicator,printed,source_id,locator,note\n"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder with the project's registers and raw files, safe to modify."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
        shutil.copy(DATA / name, target / name)
    shutil.copytree(DATA / "raw", target / "raw")
    (target / "processed").mkdir()
    return target


@pytest.fixture
def registers_dir(tmp_path: Path) -> Path:
    """A data folder with the project's registers and an empty raw folder for invented rows."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
        shutil.copy(DATA / name, target / name)
    (target / "raw").mkdir()
    (target / "processed").mkdir()
    return target


def write_raw(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / "raw" / name
    path.write_text(RAW_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def processed_data(tmp_path_factory) -> Path:
    """The project's registers and raw files, cleaned once per test session into a temporary folder."""
    from campaign.clean import clean, write_outputs

    target = tmp_path_factory.mktemp("processed") / "data"
    target.mkdir()
    for name in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
        shutil.copy(DATA / name, target / name)
    shutil.copytree(DATA / "raw", target / "raw")
    write_outputs(clean(target), target / "processed")
    return target
