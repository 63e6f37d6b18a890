"""End to end: `make reports REGION=X` for every region in data/regions.csv builds its run or
refuses in one line; every run built says its counts in good English ("1 figure", not "1 figures").
Reads the session's build (`make reports`, then `make reports-all`)."""

from __future__ import annotations

import csv
import re
import subprocess

import pytest
from conftest import RUNS, make, steps

pytestmark = pytest.mark.e2e


def test_make_reports_builds_or_refuses_every_region_in_the_register(built):
    with open(built.path("data", "regions.csv"), encoding="utf-8") as file:
        regions = list(csv.DictReader(file))
    listed = subprocess.run(
        [str(built.root / ".venv" / "bin" / "python"), "-m", "campaign", "runs"],
        cwd=built.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted(listed) == sorted(RUNS)
    built_regions, refused = set(), set()
    for row in regions:
        result = make(built.root, "reports", f"REGION={row['name_zh']}", check=False)
        ours = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]
        if result.returncode == 0:
            # a run that reports-all built already: nothing to do, and it says which run it is
            [run] = [r for r in RUNS if r.startswith(f"{row['slug']}-") and r.endswith("-en")]
            assert steps(result.stdout) == [] and f"reports: {run}" in result.stdout, result.stdout
            assert ours == []
            built_regions.add(row["slug"])
        else:
            assert len(ours) == 1, result.stderr
            assert ours[0].startswith(f"campaign: {row['name_zh']} ({row['slug']}) holds only "), ours[0]
            assert ours[0].endswith("; runs: 长治市 (changzhi) 2022-06-30, 大同市 (datong) 2022-08-31"), ours[0]
            assert "run:" not in result.stdout and "clean:" not in result.stdout
            refused.add(row["slug"])
    assert built_regions == {r.split("-")[0] for r in RUNS}
    assert refused == {row["slug"] for row in regions} - built_regions


@pytest.mark.parametrize("run", RUNS)
def test_no_sentence_of_a_run_counts_one_thing_in_the_plural(built, run):
    texts = []
    for pdf in sorted(built.path("reports", "pdf", run).glob("*.pdf")):
        texts.append(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert texts
    text = re.sub(r"\s+", " ", "\n".join(texts))
    wrong = re.findall(r"(?<![\d.,])1 (?:figures|statements|sources|tasks|indicators|regions|periods|items)\b", text)
    assert wrong == [], wrong
