"""The clean step: schema at the boundary, errors that point at the cell, nothing half-written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_raw

from campaign.core.registers import Registers
from campaign.dataset.clean import CleanError, clean, write_outputs
from campaign.dataset.processed import read_observations

SEED = "seed-changzhi-2022-09-05"


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_project_data_cleans_into_one_row_per_printed_figure():
    outputs = clean(Path(__file__).resolve().parents[2] / "data")
    observations = outputs.observations
    changzhi = observations[observations["region"] == "changzhi"]
    # every task of the campaign keeps at least one row, qualitative "+1" included
    assert set(changzhi["task"]) == {"employment", "projects", "microcredit", "training", "sales", "policy"}
    policy = changzhi[changzhi["task"] == "policy"]
    assert len(policy) == 1 and policy["value"].isna().all() and policy["printed"].eq("").all()
    row = changzhi.set_index("indicator").loc["microcredit_amount"]
    assert (row["value"], row["lower"], row["upper"], row["unit"], row["printed"]) == (
        2.58e8,
        2.575e8,
        2.585e8,
        "yuan",
        "2.58亿元",
    )
    assert not observations.duplicated(["region", "period_end", "indicator"]).any()


def test_written_files_read_back_identically(data_dir):
    outputs = clean(data_dir)
    write_outputs(outputs, data_dir / "processed")
    back = read_observations(data_dir / "processed" / "observations.csv")
    pd.testing.assert_frame_equal(back, outputs.observations, check_dtype=False)


@pytest.mark.parametrize(
    ("row", "column", "text", "reason"),
    [
        (
            f"长治市,2022-06-30,employed_labourers,1O4731人,{SEED},paragraph 3,",
            "printed",
            "1O4731人",
            "not a printed quantity",
        ),
        (
            f"长治市,2022-06-31,employed_labourers,104731人,{SEED},paragraph 3,",
            "period_end",
            "2022-06-31",
            "not a date",
        ),
        (f"长治县,2022-06-30,employed_labourers,104731人,{SEED},paragraph 3,", "region", "长治县", "unknown region"),
        (
            f"长治市,2022-06-30,employed_people,104731人,{SEED},paragraph 3,",
            "indicator",
            "employed_people",
            "unknown indicator",
        ),
        (
            "长治市,2022-06-30,employed_labourers,104731人,nowhere,paragraph 3,",
            "source_id",
            "nowhere",
            "unknown source",
        ),
        (
            f"长治市,2022-06-30,employed_labourers,104731元,{SEED},paragraph 3,",
            "printed",
            "104731元",
            "measured in persons",
        ),
        (f"长治市,2022-06-30,employed_labourers,,{SEED},paragraph 3,", "printed", "", "figure missing"),
        (f"长治市,2022-06-30,policy_creation,3个,{SEED},paragraph 8,", "printed", "3个", "qualitative"),
        (f"长治市,2022-06-30,employed_labourers,104731人,{SEED},,", "locator", "", "empty locator"),
    ],
)
def test_bad_cell_names_file_line_column_and_text(registers_dir, row, column, text, reason):
    # invented rows: one good line, then the bad one on line 3 of the file
    written = write_raw(
        registers_dir, "bad.csv", [f"长治市,2022-06-30,projects_in_bank,3344个,{SEED},paragraph 4,", row]
    )
    path = written.relative_to(registers_dir.parent)  # shown relative to the project
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column, problem.text) == (path, 3, column, text)
    message = str(caught.value)
    assert f"{path}, line 3, column {column!r}: {text!r}" in message
    assert reason in message


def test_every_bad_row_is_reported_at_once(registers_dir):
    write_raw(
        registers_dir,
        "bad.csv",
        [
            f"长治市,2022-06-30,employed_labourers,abc,{SEED},paragraph 3,",
            f"长治市,2022-06-30,projects_in_bank,3344个,{SEED},paragraph 4,",
            f"长治市,2022-06-30,linkage_funds,11.33亿,{SEED},paragraph 4,",
        ],
    )
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    assert [(p.line, p.text) for p in caught.value.problems] == [(2, "abc"), (4, "11.33亿")]


def test_row_with_wrong_number_of_fields_is_reported_with_its_line(registers_dir):
    path = write_raw(
        registers_dir,
        "bad.csv",
        [
            f"长治市,2022-06-30,projects_in_bank,3344个,{SEED},paragraph 4,",
            f"长治市,2022-06-30,cadres_sent,2850名,{SEED},paragraph 6,sent by province, city and county",
        ],
    ).relative_to(registers_dir.parent)
    with pytest.raises(CleanError, match=rf"{path}, line 3, column '\(row\)'.*expected 7 fields, found 8"):
        clean(registers_dir)


def test_duplicate_figure_is_an_error(registers_dir):
    row = f"长治市,2022-06-30,projects_in_bank,3344个,{SEED},paragraph 4,"
    write_raw(registers_dir, "dup.csv", [row, row])
    with pytest.raises(
        CleanError,
        match="line 3, column 'indicator'.*the same region, period and indicator as data/raw/dup.csv, line 2",
    ):
        clean(registers_dir)


def test_successful_step_leaves_raw_untouched(data_dir):
    raw_before = digest(data_dir / "raw")
    mtimes = {p.name: p.stat().st_mtime_ns for p in (data_dir / "raw").iterdir()}
    write_outputs(clean(data_dir), data_dir / "processed")
    assert digest(data_dir / "raw") == raw_before
    assert {p.name: p.stat().st_mtime_ns for p in (data_dir / "raw").iterdir()} == mtimes
    assert sorted(p.name for p in (data_dir / "processed").iterdir()) == [
        "derived.csv",
        "index.sqlite",  # what choosing a run needs (campaign.dataset.runindex)
        "observations.csv",
        "quality.csv",
    ]


def test_failed_step_leaves_raw_untouched_and_processed_as_it_was(data_dir):
    # a good run first, then a bad raw file (invented) added beside the real ones
    write_outputs(clean(data_dir), data_dir / "processed")
    raw_before, processed_before = digest(data_dir / "raw"), digest(data_dir / "processed")
    write_raw(data_dir, "zz-bad.csv", [f"长治市,2022-09-30,employed_labourers,many,{SEED},p1,"])
    raw_before["zz-bad.csv"] = hashlib.sha256((data_dir / "raw" / "zz-bad.csv").read_bytes()).hexdigest()
    with pytest.raises(CleanError):
        write_outputs(clean(data_dir), data_dir / "processed")
    assert digest(data_dir / "raw") == raw_before
    assert digest(data_dir / "processed") == processed_before  # no temporary or partial files either


def test_write_is_atomic_when_writing_fails(data_dir, monkeypatch):
    outputs = clean(data_dir)

    def explode(self, *args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(pd.DataFrame, "to_csv", explode)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(outputs, data_dir / "processed")
    assert list((data_dir / "processed").iterdir()) == []


def test_region_that_reported_some_tasks_only_is_normal(registers_dir):
    # invented: a city reporting microcredit only
    write_raw(
        registers_dir,
        "partial.csv",
        [
            "大同市,2022-08-31,microcredit_amount,5.24亿元,datong-2022-09-05,table,",
            "大同市,2022-08-31,microcredit_households,10495户,datong-2022-09-05,table,",
        ],
    )
    outputs = clean(registers_dir)
    assert set(outputs.observations["task"]) == {"microcredit"}
    assert not (outputs.quality["status"] == "fail").any()


def test_registers_resolve_regions_by_chinese_name_slug_or_english():
    registers = Registers.load(Path(__file__).resolve().parents[2] / "data")
    assert registers.region("长治市").slug == registers.region("changzhi").slug == registers.region("Changzhi").slug
    with pytest.raises(ValueError, match=r"unknown region 'Taiyuan'; valid regions: .*长治市 \(changzhi\)"):
        registers.region("Taiyuan")
