"""Choosing the run costs the same whatever the size of the data (issue 19): `campaign run-id`
reads the clean step's index while the registers and raw files are as the clean step read them,
and validates them itself otherwise. Rows added here are invented for the tests."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_raw

from campaign.cli import main as campaign_main
from campaign.dataset import clean as clean_module
from campaign.dataset.clean import clean, write_outputs
from campaign.dataset.runindex import INDEX_NAME, run_index

SEED = "seed-changzhi-2022-09-05"  # published 2022-09-05


def run_id(data_dir: Path, capsys, *args: str) -> str:
    assert campaign_main(["--data-dir", str(data_dir), "run-id", "--make-vars", *args]) == 0
    return capsys.readouterr().out.strip()


@pytest.fixture
def cleaned(data_dir: Path) -> Path:
    write_outputs(clean(data_dir), data_dir / "processed")
    return data_dir


def test_a_fresh_index_is_read_without_the_raw_rows_or_pandas(cleaned, capsys, monkeypatch):
    expected = run_id(cleaned, capsys)
    monkeypatch.setattr(clean_module, "read_raw", lambda *a, **k: pytest.fail("read the raw rows"))
    assert run_id(cleaned, capsys) == expected
    code = (
        "import sys; from campaign.cli import main; status = main(sys.argv[1:]); "
        "print(status, 'pandas' in sys.modules, 'pandera' in sys.modules)"
    )
    args = ["--data-dir", str(cleaned), "runs"]
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "0 False False", result.stdout + result.stderr


def test_the_index_and_the_data_give_the_same_runs(cleaned, capsys):
    from_index = [run_id(cleaned, capsys, "--region", r) for r in ("长治市", "datong", "大同市")]
    assert campaign_main(["--data-dir", str(cleaned), "runs", "--make-vars"]) == 0
    runs_from_index = capsys.readouterr().out
    (cleaned / "processed" / INDEX_NAME).unlink()
    assert [run_id(cleaned, capsys, "--region", r) for r in ("长治市", "datong", "大同市")] == from_index
    assert campaign_main(["--data-dir", str(cleaned), "runs", "--make-vars"]) == 0
    assert capsys.readouterr().out == runs_from_index


def test_a_changed_raw_file_or_register_makes_the_index_stale(cleaned, capsys):
    assert run_id(cleaned, capsys).startswith("RUN=changzhi-2022-06-30-en ")
    write_raw(cleaned, "changzhi-later.csv", [f"长治市,2022-08-31,projects_in_bank,3400个,{SEED},invented,"])
    assert run_id(cleaned, capsys).startswith("RUN=changzhi-2022-08-31-en ")  # a new file
    path = cleaned / "raw" / "changzhi-later.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2022-08-31", "2022-07-31"), encoding="utf-8")
    assert run_id(cleaned, capsys).startswith("RUN=changzhi-2022-07-31-en ")  # an edited file
    regions = cleaned / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace("Datong", "Tatung"), encoding="utf-8")
    assert run_index(cleaned).registers.regions["datong"].name_en == "Tatung"  # an edited register


def _other_index(path: Path, kind: str) -> None:
    if kind == "not sqlite":
        path.write_text("{not an index}")
    else:
        connection = sqlite3.connect(path)
        query = "UPDATE meta SET value = ? WHERE key = 'format'" if kind == "other code" else "DROP TABLE figures"
        connection.execute(query, ("0",) if kind == "other code" else ())
        connection.commit()
        connection.close()


@pytest.mark.parametrize("kind", ["not sqlite", "other code", "no figures"])
def test_an_index_of_other_code_or_a_broken_one_is_not_trusted(cleaned, capsys, kind):
    expected = run_id(cleaned, capsys)
    _other_index(cleaned / "processed" / INDEX_NAME, kind)
    assert run_id(cleaned, capsys) == expected


def test_a_future_target_names_no_run(cleaned):
    # Shanxi's target for 2023, published in January 2023 (data/raw/benchmarks-2022.csv)
    index = run_index(cleaned)
    assert index.periods("shanxi") == ["2022-08-31", "2022-12-31"]
    assert index.latest("shanxi") == "2022-12-31"


def test_the_index_holds_one_row_per_region_period_and_task_not_per_figure(cleaned):
    connection = sqlite3.connect(cleaned / "processed" / INDEX_NAME)
    rows = connection.execute("SELECT region, period_end, task FROM figures").fetchall()
    inputs = json.loads(connection.execute("SELECT value FROM meta WHERE key = 'inputs'").fetchone()[0])
    connection.close()
    assert len(rows) == len(set(rows)) and ("changzhi", "2022-06-30", "employment") in rows
    assert len([r for r in rows if r[:2] == ("changzhi", "2022-06-30")]) == 6  # six tasks, 25 figures
    names = [name for name, _, _ in inputs]
    assert names[:4] == ["indicators.yml", "regions.csv", "sources.csv", "campaign.yml"]
    assert names[4:] == sorted(os.path.join("raw", p.name) for p in (cleaned / "raw").glob("*.csv"))


def test_the_benchmarks_invented_rows_are_valid_for_every_indicator(tmp_path):
    # bench/clean_million.py and bench/run_id.py write invented rows of every register indicator:
    # they must stay rows the clean step accepts, or the benchmarks measure an error
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "clean_million", Path(__file__).parents[2] / "bench" / "clean_million.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from campaign.core.registers import Registers

    rows = len(bench.REGIONS) * len(Registers.load(Path(__file__).parents[2] / "data").indicators)
    data_dir = tmp_path / "data"
    bench.write_raw_rows(data_dir, rows)  # every indicator for every region, one day
    assert len(clean(data_dir).observations) == rows
