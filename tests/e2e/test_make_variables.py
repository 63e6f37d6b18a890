"""What make is given is data (issue 19): every variable the documentation names reaches its
recipe as the text it was given, from make's command line or from the environment, with
`$(shell ...)`, `$(...)` and backquotes in it inert; `make extract` works as docs/extraction.md
shows it; make lists the raw files with the clean step's own rule and stops in one line at an
entry it refuses. Each test works in a small copy of the project; the report text is an invented
held-out fixture (tests/fixtures/extract/heldout/), the raw entries are invented too."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import small_copy

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "tests" / "fixtures" / "extract" / "heldout" / "jincheng-city-page.txt"
# The variables README.md and docs/*.md document (`make help` shows the targets that read them).
DOCUMENTED = (
    "REGION",
    "PERIOD",
    "REPORT_LANG",
    "PYTHON",
    "CHROMIUM",
    "JOBS",
    "FILE",
    "PUBLISHED",
    "SOURCE",
    "OUTPUT",
    "ARGS",
    "LAB_ARGS",
    "LAB_PORT",
)


@pytest.fixture
def project(tmp_path: Path, processed_data: Path) -> Path:
    return small_copy(tmp_path / "project", processed_data)


def make(project: Path, *args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in DOCUMENTED and k != "MAKEFLAGS"}
    environment |= {"PYTHONPATH": str(project / "src"), **(env or {})}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def hostile(pwned: Path, name: str) -> str:
    """A value that would create files in ``pwned`` if make or a shell ran any part of it."""
    return f"x$(shell touch {pwned}/{name}-make)`touch {pwned}/{name}-tick`$(touch {pwned}/{name}-sub)"


def given(source: str, values: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The values as make arguments, or as the environment."""
    if source == "command line":
        return [f"{k}={v}" for k, v in values.items()], {}
    return [], values


def our_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]


SOURCES = ["command line", "environment"]


@pytest.mark.parametrize("source", SOURCES)
def test_no_documented_variable_is_expanded_when_make_exports_it(project, tmp_path, source):
    # every recipe gets the variables in its environment: exporting must not expand them
    # (JOBS is checked before anything else: its own test below)
    pwned = tmp_path / "pwned"
    pwned.mkdir()
    args, env = given(source, {name: hostile(pwned, name) for name in DOCUMENTED if name != "JOBS"})
    result = make(project, "help", *args, env=env)
    assert result.returncode == 0, result.stderr
    assert "make reports" in result.stdout
    assert list(pwned.iterdir()) == []


@pytest.mark.parametrize("source", SOURCES)
def test_a_job_count_that_is_not_a_small_whole_number_stops_make_in_one_line(project, tmp_path, source):
    pwned = tmp_path / "pwned"
    pwned.mkdir()
    for value in (hostile(pwned, "JOBS"), "0", "65", "1000000", "2 3", "-1"):
        args, env = given(source, {"JOBS": value})
        result = make(project, "help", *args, env=env)
        assert result.returncode == 2, (value, result.stderr)
        assert f"JOBS='{value}' must be a whole number from 1 to 64" in result.stderr
    args, env = given(source, {"JOBS": "3"})
    assert make(project, "help", *args, env=env).returncode == 0
    assert list(pwned.iterdir()) == []


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        ("REGION", "campaign: unknown region 'x$(shell touch "),
        ("PERIOD", "campaign: malformed period end 'x$(shell touch "),
        ("REPORT_LANG", "campaign: unknown language 'x$(shell touch "),
    ],
)
def test_run_parameters_reach_campaign_as_given(project, tmp_path, source, variable, expected):
    pwned = tmp_path / "pwned"
    pwned.mkdir()
    before = checksums(project / "data")
    args, env = given(source, {variable: hostile(pwned, variable)})
    result = make(project, "reports", *args, env=env)
    assert result.returncode != 0
    assert list(pwned.iterdir()) == []
    [line] = our_lines(result.stderr)
    assert line.startswith(expected) and "`touch" in line, result.stderr
    assert checksums(project / "data") == before


@pytest.mark.parametrize("source", SOURCES)
def test_extract_variables_reach_campaign_as_given(project, tmp_path, source):
    pwned = tmp_path / "pwned"
    pwned.mkdir()
    before = checksums(project / "data")
    names = ("FILE", "PUBLISHED", "SOURCE", "OUTPUT", "ARGS")
    args, env = given(source, {name: hostile(pwned, name) for name in names})
    result = make(project, "extract", *args, env=env)
    assert result.returncode != 0
    assert list(pwned.iterdir()) == []
    assert "x$(shell touch" in result.stderr  # the text arrived as it was given
    assert checksums(project / "data") == before


@pytest.mark.parametrize("source", SOURCES)
def test_job_count_python_and_lab_options_are_never_run(project, tmp_path, source):
    pwned = tmp_path / "pwned"
    pwned.mkdir()
    before = checksums(project / "data")
    args, env = given(source, {"JOBS": hostile(pwned, "JOBS")})
    assert make(project, "processed", *args, env=env).returncode != 0  # make refuses it as its -j
    args, env = given(source, {"PYTHON": hostile(pwned, "PYTHON")})
    result = make(project, "lock", *args, env=env)  # stops where it picks the Python (the copy's .venv is shared)
    assert result.returncode != 0 and "PYTHON=x$(shell touch" in result.stderr, result.stderr
    # --version makes JupyterLab print its version and stop; the rest are words it is given
    args, env = given(source, {"LAB_ARGS": "--version " + hostile(pwned, "LAB_ARGS")})
    result = make(project, "lab", *args, env=env)
    assert result.returncode == 0 and re.fullmatch(r"\d+\.\d+\.\d+\s*", result.stdout), result.stdout
    assert list(pwned.iterdir()) == []
    assert checksums(project / "data") == before


@pytest.mark.parametrize("variable", ["RUN", "REGION_SLUG", "PY", "SHELL", "EXECUTED"])
def test_a_variable_that_is_no_setting_is_refused_by_name_and_never_expanded(project, tmp_path, variable):
    # build.mk's own variables, make's SHELL: given on the command line, make would expand them
    # where they are used, before any recipe could check them
    pwned = tmp_path / "pwned"
    pwned.mkdir()
    before = checksums(project / "data")
    result = make(project, "reports", f"{variable}={hostile(pwned, variable)}")
    assert result.returncode != 0
    assert f"*** {variable} is not a setting of this project; settings: REGION PERIOD" in result.stderr, result.stderr
    assert list(pwned.iterdir()) == []
    assert checksums(project / "data") == before


@pytest.mark.parametrize("source", ["command line", "environment"])
def test_build_mk_keeps_the_run_it_is_given_unexpanded(project, tmp_path, source):
    # build.mk run by hand (or by a test) with make syntax in the run or the notebook list
    pwned = tmp_path / "pwned"
    pwned.mkdir()
    values = {"RUN": hostile(pwned, "RUN"), "ANALYSIS_NOTEBOOKS": hostile(pwned, "ANALYSIS_NOTEBOOKS")}
    args, env = given(source, values)
    result = make(project, "-f", "build.mk", *args, "run", env=env)
    assert result.returncode != 0 and "must be one word of a-z, 0-9 and '-'" in result.stderr, result.stderr
    args, env = given(source, {"ANALYSIS_NOTEBOOKS": hostile(pwned, "ANALYSIS_NOTEBOOKS")})
    make(project, "-f", "build.mk", "-n", *args, "processed", env=env)
    assert list(pwned.iterdir()) == []


def test_make_extract_works_as_the_documentation_shows(project):
    # docs/extraction.md, step 1 through make: a review CSV, nothing in data/ changed
    before = checksums(project / "data")
    shutil.copy(REPORT, project / "report.txt")
    result = make(project, "extract", "FILE=report.txt", "PUBLISHED=2022-07-12", "REGION=晋城市", "OUTPUT=review.csv")
    assert result.returncode == 0, result.stderr
    with (project / "review.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {row["region"] for row in rows} == {"晋城市"}
    assert checksums(project / "data") == before


def mark_reviewed(review: Path) -> None:
    """What a reviewer does in step 2: keep the rows with an indicator and mark them ok."""
    with review.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, [row for row in reader if row["indicator"]]
    assert rows, "the fixture has figures with an indicator"
    with review.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows({**row, "review": "ok"} for row in rows)


def test_make_extract_write_never_forces_a_region_the_user_did_not_give(project):
    # step 3 without REGION: the region is the one the text names, never the Makefile's default run
    shutil.copy(REPORT, project / "report.txt")
    old_raw = set((project / "data" / "raw").iterdir())
    result = make(project, "extract", "FILE=report.txt", "PUBLISHED=2022-07-12", "OUTPUT=review.csv")
    assert result.returncode == 0, result.stderr
    mark_reviewed(project / "review.csv")
    result = make(project, "extract", "FILE=report.txt", "PUBLISHED=2022-07-12", "ARGS=--write --reviewed review.csv")
    assert result.returncode == 0, result.stderr
    [new] = set((project / "data" / "raw").iterdir()) - old_raw
    with new.open(encoding="utf-8") as handle:
        assert {row["region"] for row in csv.DictReader(handle)} == {"晋城市"}, new.read_text(encoding="utf-8")
    run = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-m", "campaign", "run-id"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
    )
    assert run.stdout.strip() == "changzhi-2022-06-30-en", run.stderr


# The raw files make sees -----------------------------------------------------------------

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
        "data/raw/benchmarks-2022-ranks.csv",
        "data/raw/benchmarks-2022.csv",
        "data/raw/changzhi-2022-06-30-practices.csv",
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
