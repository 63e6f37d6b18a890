"""Make lists the raw files with the clean step's own rule (issue 19): it sees exactly the files the
clean step reads, and an entry the rule refuses stops `make processed` and `make reports` in one
line before anything runs. The entries are invented for the tests."""

from __future__ import annotations

import os

import pytest
from test_make_variables import checksums, make, our_lines, project  # noqa: F401  (project: a fixture)

SHOW_RAW = "--eval=show-raw: ; @echo $(RAW)"
SEED_ROW = "长治市,2022-05-31,projects_in_bank,3000个,seed-changzhi-2022-09-05,paragraph 4,\n"
HEADER = "region,period_end,indicator,printed,source_id,locator,note\n"


def test_make_sees_the_files_the_clean_step_reads(project):
    raw = project / "data" / "raw"
    (raw / ".hidden.csv").write_text(HEADER + SEED_ROW, encoding="utf-8")
    (raw / ".#changzhi-2022-06-30-seed.csv").symlink_to("root@host.4242:1700000000")
    (raw / "zz-extra.csv").write_text(HEADER + SEED_ROW, encoding="utf-8")
    result = make(project, "-f", "build.mk", SHOW_RAW, "show-raw")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "data/raw/benchmarks-2022.csv",
        "data/raw/changzhi-2022-06-30-seed.csv",
        "data/raw/zz-extra.csv",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("my file.csv", "data/raw/my file.csv: not a raw file name"),
        ("x:y.csv", "data/raw/x:y.csv: not a raw file name"),
        ("fifo.csv", "data/raw/fifo.csv: a FIFO (named pipe), not a file"),
    ],
)
def test_a_refused_entry_stops_make_in_one_line_before_anything_runs(project, name, expected):
    path = project / "data" / "raw" / name
    if name.startswith("fifo"):
        os.mkfifo(path)
    else:
        path.write_text(HEADER + SEED_ROW, encoding="utf-8")
    before = checksums(project / "data")
    for target in ("processed", "reports"):
        result = make(project, target, timeout=60)
        assert result.returncode != 0
        [line] = our_lines(result.stderr) or [result.stderr]  # make's own $(error) line, or campaign's
        assert expected in line and "No rule to make target" not in line, result.stderr
        assert "clean:" not in result.stdout and "run:" not in result.stdout
    assert checksums(project / "data") == before
