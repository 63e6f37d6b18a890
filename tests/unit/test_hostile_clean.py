"""The clean step's second round of hostile input (issue 19): periods after their source, a figure
repeated across files, and disks that refuse the processed files. Rows are invented for the
tests; the good rows copy figures of the seed article so that they pass the registers."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import write_raw

from campaign.cli import main as campaign_main
from campaign.dataset.clean import CleanError, ProcessedWriteError, clean, write_outputs

SEED = "seed-changzhi-2022-09-05"  # published 2022-09-05


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_period_after_its_source_is_refused_and_never_becomes_the_default_run(data_dir, capsys):
    write_raw(data_dir, "future.csv", [f"长治市,2099-12-31,projects_in_bank,3344个,{SEED},paragraph 4,"])
    before = checksums(data_dir)
    with pytest.raises(CleanError) as caught:
        clean(data_dir)
    [problem] = caught.value.problems
    assert str(problem) == (
        "data/raw/future.csv, line 2, column 'period_end': '2099-12-31': after the date of its source "
        f"{SEED} (2022-09-05): a source reports only periods that have ended"
    )
    assert campaign_main(["--data-dir", str(data_dir), "run-id"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"campaign: {problem}\n"
    assert checksums(data_dir) == before


def test_a_period_up_to_the_end_of_a_source_dated_by_its_month_is_accepted(data_dir):
    # yangquan-2023-02 gives only the month: its figures may run to 2023-02-28, not later
    row = "阳泉市,{},net_income_per_person,14342元,yangquan-2023-02,invented,"
    write_raw(data_dir, "yangquan-extra.csv", [row.format("2023-02-28")])
    assert "2023-02-28" in set(clean(data_dir).observations["period_end"])
    write_raw(data_dir, "yangquan-extra.csv", [row.format("2023-03-01")])
    with pytest.raises(CleanError, match=r"'2023-03-01': after the date of its source yangquan-2023-02 \(2023-02\)"):
        clean(data_dir)


def test_a_figure_repeated_across_raw_files_names_both_files_and_lines(data_dir):
    # the seed file has projects_in_bank for 长治市 2022-06-30 on line 6; here it is spelt by slug
    seed = (data_dir / "raw" / "changzhi-2022-06-30-seed.csv").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(seed, start=1) if ",projects_in_bank," in text)
    write_raw(
        data_dir,
        "zz-again.csv",
        [
            f"changzhi,2022-06-30,employed_labourers_target,1人,{SEED},p,",
            f"changzhi,2022-06-30,projects_in_bank,3344个,{SEED},p,",
        ],
    )
    with pytest.raises(CleanError) as caught:
        clean(data_dir)
    [problem] = caught.value.problems
    assert str(problem).startswith(
        "data/raw/zz-again.csv, line 3, column 'indicator': 'projects_in_bank': the same region, period and "
        f"indicator as data/raw/changzhi-2022-06-30-seed.csv, line {line}"
    )


@pytest.fixture
def mounted(tmp_path):
    """A tmpfs of its own (root only), unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    mounts = []

    def mount(folder: Path, options: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
        if result.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
        mounts.append(folder)
        return folder

    yield mount
    for folder in reversed(mounts):
        subprocess.run(["umount", str(folder)], check=False)


def _old_outputs(processed: Path) -> dict[str, str]:
    for name in ("observations", "derived", "quality"):
        (processed / f"{name}.csv").write_text(f"the previous {name} (invented)\n")
    return checksums(processed)


def test_a_full_disk_is_one_line_and_leaves_the_previous_files(data_dir, mounted):
    outputs = clean(data_dir)
    processed = mounted(data_dir / "processed", "size=16k")
    before = _old_outputs(processed)
    with pytest.raises(ProcessedWriteError) as caught:
        write_outputs(outputs, processed)
    message = str(caught.value)
    assert message.startswith("cannot write data/processed/") and "No space left on device (ENOSPC)" in message
    assert message.endswith("the processed files were left as they were") and "\n" not in message
    assert checksums(processed) == before, "no file replaced, no temporary file left"


def test_a_read_only_disk_is_one_line_and_leaves_the_previous_files(data_dir, mounted):
    outputs = clean(data_dir)
    processed = mounted(data_dir / "processed", "size=1m")
    before = _old_outputs(processed)
    subprocess.run(["mount", "-o", "remount,ro", str(processed)], check=True)
    with pytest.raises(ProcessedWriteError) as caught:
        write_outputs(outputs, processed)
    assert str(caught.value).startswith("cannot write data/processed/observations.csv: Read-only file system (EROFS)")
    assert checksums(processed) == before


def test_a_file_where_the_processed_folder_should_be_is_one_line(data_dir):
    outputs = clean(data_dir)
    shutil.rmtree(data_dir / "processed")
    (data_dir / "processed").write_text("not a folder\n")
    with pytest.raises(ProcessedWriteError, match=r"^cannot write data/processed: File exists \(EEXIST\)"):
        write_outputs(outputs, data_dir / "processed")


def test_a_period_end_in_full_width_digits_names_file_line_and_column(registers_dir):
    # invented row: the date's year in full-width digits, which Unicode's \d would take
    write_raw(
        registers_dir, "wide.csv", ["大同市,２０２２-08-31,microcredit_amount,1亿元,datong-2022-09-05,paragraph 1,"]
    )
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    assert "data/raw/wide.csv, line 2, column 'period_end': '２０２２-08-31': not a date as YYYY-MM-DD" in str(
        caught.value
    )
