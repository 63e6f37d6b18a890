"""The build fails loudly, runs nothing from its parameters, owns its figures and is reproducible
(issue 9). The make tests run in a small copy of the project whose analysis notebook is an
invented one-figure notebook, so that they take seconds; the export tests use invented pages."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from conftest import serve, small_copy

from campaign.dataset.rawlist import list_entries, write_listing

ROOT = Path(__file__).resolve().parents[2]
RUN = "changzhi-2022-06-30-en"
RUN_VARS = [f"RUN={RUN}", "REGION_SLUG=changzhi", "PERIOD_END=2022-06-30", "REPORT_LANG=en"]


@pytest.fixture
def project(tmp_path: Path, processed_data: Path) -> Path:
    return small_copy(tmp_path / "project", processed_data)


def make(project: Path, *args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """`make` in the copy (check the result yourself)."""
    environment = {**os.environ, "PYTHONPATH": str(project / "src"), **(env or {})}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# Parameters never reach a shell ------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("REGION", "x'; touch {pwned}; '", "campaign: unknown region \"x'; touch"),
        ("REGION", 'x"; touch {pwned}; "', "campaign: unknown region 'x\"; touch"),
        ("REGION", "$(touch {pwned})`touch {pwned}`", "campaign: unknown region"),
        ("PERIOD", "2022-06-30'; touch {pwned}; '", "campaign: malformed period end"),
        ("REPORT_LANG", "en'; touch {pwned}; '", "campaign: unknown language"),
        ("REPORT_LANG", "fr", "campaign: unknown language 'fr'; valid languages: en, zh"),
        ("PERIOD", "2021-06-30", "campaign: no data for 长治市 (changzhi) at period end 2021-06-30"),
    ],
)
def test_bad_run_parameters_print_one_line_run_nothing_and_fail(project, tmp_path, variable, value, expected):
    pwned = tmp_path / "pwned"
    result = make(project, "reports", f"{variable}={value.format(pwned=pwned)}")
    assert result.returncode != 0
    assert not pwned.exists(), "a parameter ran a shell command"
    ours = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]
    assert len(ours) == 1 and ours[0].startswith(expected), result.stderr
    assert "run:" not in result.stdout and "clean:" not in result.stdout


def test_a_parameter_from_the_environment_is_as_safe(project, tmp_path):
    pwned = tmp_path / "pwned"
    result = make(project, "reports", env={"REGION": f"x'; touch {pwned}; '"})
    assert result.returncode != 0 and not pwned.exists()
    assert "campaign: unknown region" in result.stderr


def test_reports_all_fails_when_the_runs_cannot_be_listed(project):
    # invented: a raw file with an unknown indicator, and one with a BOM (read fine)
    (project / "data" / "raw" / "zz-bad.csv").write_text(
        "region,period_end,indicator,printed,source_id,locator,note\n"
        "长治市,2022-06-30,no_such_indicator,1人,seed-changzhi-2022-09-05,p,\n",
        encoding="utf-8-sig",
    )
    result = make(project, "reports-all")
    assert result.returncode != 0
    assert "campaign: data/raw/zz-bad.csv, line 2, column 'indicator': 'no_such_indicator'" in result.stderr
    assert "run:" not in result.stdout and "clean:" not in result.stdout


def test_build_mk_refuses_a_run_name_a_shell_would_read(project, tmp_path):
    pwned = tmp_path / "pwned"
    result = make(
        project,
        "-f",
        "build.mk",
        f"RUN=x;touch {pwned}",
        "REGION_SLUG=x",
        "PERIOD_END=y",
        "REPORT_LANG=en",
        "run",
    )
    assert result.returncode != 0 and not pwned.exists()
    assert "must be one word of a-z, 0-9 and '-'" in result.stderr


def test_every_recipe_runs_with_pipefail():
    for makefile in ("Makefile", "build.mk"):
        assert ".SHELLFLAGS := -eu -o pipefail -c" in (ROOT / makefile).read_text()


# Make owns the figures ----------------------------------------------------------------------

TINY = "15-tiny"


def tiny_notebook(figure: str) -> dict:
    """An invented notebook in the shape of the analysis notebooks: parameters, then one figure."""
    cells = [
        nbformat.v4.new_code_cell(
            'region = "长治市"\nperiod_end = ""\nlang = "en"\ndata_dir = "../data"\nreports_dir = "../reports"',
            metadata={"tags": ["parameters"]},
        ),
        nbformat.v4.new_code_cell(
            "from pathlib import Path\n"
            "import matplotlib\n"
            "matplotlib.use('Agg')\n"
            "import matplotlib.pyplot as plt\n"
            "from campaign.view.theme import save_figure\n"
            "figure, axis = plt.subplots(figsize=(2, 1))\n"
            "axis.bar([0, 1], [1, 2])\n"
            f"save_figure(figure, Path(reports_dir) / 'figures' / f'{{region}}-{{period_end}}-{{lang}}', '{figure}')\n"
            "print(data_dir, reports_dir)"
        ),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"
    return notebook


def build_tiny(project: Path, env: dict | None = None, target: str = "run") -> subprocess.CompletedProcess:
    """The tiny run through build.mk: all of it, or one target (the executed notebook alone, for
    the checks that are about when the notebook runs and what it leaves, not about its pages)."""
    result = make(project, "-f", "build.mk", *RUN_VARS, f"ANALYSIS={TINY}", f"NOTEBOOKS={TINY}", target, env=env)
    assert "no build server" not in result.stderr, result.stderr
    return result


@pytest.fixture
def served(project):
    """The environment that sends the steps of `make -f build.mk` in ``project`` to a build
    server, as `make reports` does (the build server stays up for the whole test)."""
    with serve(project) as env:
        yield env


def steps(result: subprocess.CompletedProcess) -> list[str]:
    return [line.split(" (")[0] for line in result.stdout.splitlines() if line.startswith(("run:", "clean:"))]


def stand_in_for_the_clean_step(project: Path) -> None:
    """The clean step's outputs stand in as up to date (these tests are about the analysis step):
    sources an hour old, invented placeholders half an hour old, everything the build writes newer."""
    past = time.time() - 3600
    for path in project.rglob("*"):
        if ".venv" not in path.parts and path.is_file():
            os.utime(path, (past, past))
    listing = project / "reports" / "executed" / ".raw-files"  # as the last make left it (build.mk)
    write_listing(str(listing), list_entries(str(project / "data" / "raw"))[0])
    os.utime(listing, (past, past))
    placeholders = ["data/processed/observations.csv", "data/processed/derived.csv", "data/processed/quality.csv"]
    placeholders += ["reports/executed/00-clean.ipynb", "reports/html/00-clean.html"]
    for path in placeholders:
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text("invented placeholder\n")
        os.utime(project / path, (past + 1800, past + 1800))


@pytest.mark.e2e
def test_make_owns_the_figures_and_the_executed_notebook_is_reproducible(project, served):
    nbformat.write(tiny_notebook("first-chart"), project / "notebooks" / f"{TINY}.ipynb")
    stand_in_for_the_clean_step(project)

    figures = project / "reports" / "figures" / RUN
    executed = project / "reports" / "executed" / RUN / f"{TINY}.ipynb"
    deps = executed.parent / f".{TINY}.d"

    first = build_tiny(project, served)
    assert first.returncode == 0, first.stderr[-3000:]
    assert steps(first) == [f"run: notebooks/{TINY}.ipynb"]
    assert sorted(p.name for p in figures.iterdir()) == ["first-chart.png", "first-chart.svg"]
    assert f"reports/figures/{RUN}/first-chart.png:" in deps.read_text()
    for suffix in ("html", "pdf"):
        assert (project / "reports" / suffix / RUN / f"{TINY}.{suffix}").exists()

    # the executed notebook: no timestamps, fixed ids, no absolute path
    text = executed.read_text(encoding="utf-8")
    notebook = json.loads(text)
    assert "start_time" not in text and "end_time" not in text and '"duration"' not in text
    assert str(project) not in text and str(ROOT) not in text
    assert [c["id"] for c in notebook["cells"]] == ["cell-00", f"{TINY}-1", "cell-01"]
    assert notebook["metadata"]["papermill"]["parameters"]["data_dir"] == "../data"
    assert notebook["metadata"]["papermill"]["output_path"] == f"reports/executed/{RUN}/{TINY}.ipynb"
    html = (project / "reports" / "html" / RUN / f"{TINY}.html").read_bytes()

    assert steps(build_tiny(project, served)) == [], "a second make does nothing"

    # deleting the figures folder runs the notebook again; leftovers of a killed build go
    shutil.rmtree(figures)
    stale = [
        executed.parent / f".{TINY}.abc123.tmp.ipynb",
        project / "reports" / "html" / RUN / f".{TINY}.html.abc123.tmp",
        project / "reports" / "pdf" / RUN / f".{TINY}.pdf.abc123.tmp",
    ]
    for path in stale:
        path.write_text("left by a killed build")
    again = build_tiny(project, served)
    assert again.returncode == 0, again.stderr[-3000:]
    assert steps(again) == [f"run: notebooks/{TINY}.ipynb"]
    assert sorted(p.name for p in figures.iterdir()) == ["first-chart.png", "first-chart.svg"]
    assert not any(path.exists() for path in stale)
    assert executed.read_text(encoding="utf-8") == text, "two runs give the same executed notebook"
    assert (project / "reports" / "html" / RUN / f"{TINY}.html").read_bytes() == html, "and the same HTML"

    # deleting one figure file does too (from here on, the executed notebook is the target)
    only_the_notebook = str(executed.relative_to(project))
    (figures / "first-chart.svg").unlink()
    assert steps(build_tiny(project, served, only_the_notebook)) == [f"run: notebooks/{TINY}.ipynb"]
    assert (figures / "first-chart.svg").exists()

    # a notebook that now saves another figure leaves no stale one behind
    nbformat.write(tiny_notebook("second-chart"), project / "notebooks" / f"{TINY}.ipynb")
    assert steps(build_tiny(project, served, only_the_notebook)) == [f"run: notebooks/{TINY}.ipynb"]
    assert sorted(p.name for p in figures.iterdir()) == ["second-chart.png", "second-chart.svg"]
    assert "first-chart" not in deps.read_text()

    # a deleted dependency file makes the notebook run again as well
    deps.unlink()
    assert steps(build_tiny(project, served, only_the_notebook)) == [f"run: notebooks/{TINY}.ipynb"]
    assert deps.exists()


@pytest.mark.e2e
def test_failing_cell_stops_the_build_and_leaves_nothing_fresh(project, served):
    env = served  # as `make reports` runs the steps
    path = project / "notebooks" / f"{TINY}.ipynb"
    nbformat.write(tiny_notebook("first-chart"), path)
    stand_in_for_the_clean_step(project)
    assert build_tiny(project, env).returncode == 0
    executed = project / "reports" / "executed" / RUN / f"{TINY}.ipynb"
    built_at = {p: p.stat().st_mtime_ns for p in project.glob(f"reports/*/{RUN}/{TINY}.*")}
    assert len(built_at) == 3

    broken = tiny_notebook("first-chart")
    broken.cells.insert(1, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure for the test')"))
    nbformat.write(broken, path)
    result = build_tiny(project, env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"notebooks/{TINY}.ipynb: cell" in output and "deliberate failure for the test" in output
    assert executed.stat().st_mtime < path.stat().st_mtime, "a stale output must not look fresh"
    for output in project.glob(f"reports/*/{RUN}/{TINY}.*"):  # what is left is the last good build's
        assert output.stat().st_mtime_ns == built_at[output], output
    assert not list(project.glob("reports/**/.*.tmp*")), "temporary files left behind"
    assert "done:" not in result.stdout

    nbformat.write(tiny_notebook("first-chart"), path)  # mended: the next make runs it again
    again = build_tiny(project, env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert steps(again) == [f"run: notebooks/{TINY}.ipynb"]


@pytest.mark.e2e
def test_an_interrupted_build_stops_its_kernel_and_leaves_nothing_fresh(project):
    # ^C: the terminal sends SIGINT to make, its steps and the build server, which `make reports`
    # runs around them (python -m nbbuild.server -- make -f build.mk ...)
    slow = tiny_notebook("first-chart")
    slow.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(600)"))
    nbformat.write(slow, project / "notebooks" / f"{TINY}.ipynb")
    stand_in_for_the_clean_step(project)
    make_tiny = ["make", "--no-print-directory", "-f", "build.mk", *RUN_VARS, f"ANALYSIS={TINY}", f"NOTEBOOKS={TINY}"]
    build = subprocess.Popen(
        [
            str(project / ".venv" / "bin" / "python"),
            "-m",
            "nbbuild.server",
            "--jobs",
            "1",
            "--",
            *make_tiny,
            "run",
        ],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert build.stdout.readline().startswith(f"run: notebooks/{TINY}.ipynb")
        time.sleep(2)  # the kernel is in the cell that sleeps, or getting there
        os.killpg(build.pid, signal.SIGINT)
        stdout, stderr = build.communicate(timeout=60)  # not the cell's ten minutes
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert not list(project.glob(f"reports/*/{RUN}/*")), "nothing of the interrupted step remains"
    assert not list(project.glob("reports/**/.*.tmp*"))


def test_a_failing_step_run_alone_says_where_and_writes_nothing(project):
    # the step without make and without a build server (as build.mk runs it when no server is named)
    broken = tiny_notebook("first-chart")
    broken.cells.insert(1, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure for the test')"))
    nbformat.write(broken, project / "notebooks" / f"{TINY}.ipynb")
    output = project / "reports" / "executed" / RUN / f"{TINY}.ipynb"
    result = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-m", "nbbuild.execute", "--cwd", "notebooks"]
        + [f"notebooks/{TINY}.ipynb", str(output.relative_to(project)), "-p", "region", "changzhi"]
        + ["--html-dir", f"reports/html/{RUN}", "--pdf-dir", f"reports/pdf/{RUN}"],
        cwd=project,
        env={k: v for k, v in os.environ.items() if k != "NBBUILD_SERVER"} | {"PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert f"notebooks/{TINY}.ipynb: cell 3 failed: RuntimeError: deliberate failure for the test" in result.stderr
    assert not list((project / "reports").rglob("*.*")), "nothing written, no figure, no temporary file"


def test_dependency_file_lists_figures_with_empty_rules(tmp_path):
    from nbbuild.stepfiles import read_dependency_file, write_dependency_file

    deps = tmp_path / ".30-sales.d"
    outputs = [Path("reports/executed/r/30-sales.ipynb"), Path("reports/html/r/30-sales.html")]
    figures = [Path("reports/figures/r/a.png"), Path("reports/figures/r/a.svg")]
    write_dependency_file(deps, outputs, figures)
    lines = deps.read_text().splitlines()
    assert lines[1:] == [
        "reports/executed/r/30-sales.ipynb reports/html/r/30-sales.html: reports/figures/r/a.png reports/figures/r/a.svg",
        "reports/figures/r/a.png:",
        "reports/figures/r/a.svg:",
    ]
    assert read_dependency_file(deps) == figures
    with pytest.raises(ValueError, match="characters make cannot read"):
        write_dependency_file(deps, outputs, [Path("reports/figures/r/a b$.png")])


def test_save_figure_lists_what_it_writes_in_the_manifest(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from campaign.view.theme import save_figure

    manifest = tmp_path / "manifest"
    monkeypatch.setenv("CAMPAIGN_FIGURE_MANIFEST", str(manifest))
    figure, _ = plt.subplots()
    paths = save_figure(figure, tmp_path / "figures", "chart")
    plt.close(figure)
    assert manifest.read_text().splitlines() == [str(p.resolve()) for p in paths]
    with pytest.raises(ValueError, match="figure name"):
        save_figure(figure, tmp_path, "../escape")


# The PDF renderer and the shared HTML ---------------------------------------------------------

HOSTILE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<p>invented page</p>
<script>document.write("SCRIPT RAN")</script>
<img src="x" onerror="document.body.append('ONERROR RAN')">
</body></html>"""


def test_pdf_is_printed_without_javascript_and_without_touching_the_home_folder(tmp_path, monkeypatch):
    from nbbuild.export import render_pdfs

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    [pdf] = render_pdfs([HOSTILE_PAGE])
    (tmp_path / "page.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "page.pdf"), "-"], capture_output=True, text=True).stdout
    assert "invented page" in text
    assert "SCRIPT RAN" not in text and "ONERROR RAN" not in text
    assert list(home.iterdir()) == [], "Chromium wrote into the home folder"


def test_a_chromium_that_does_not_exist_is_an_error(monkeypatch):
    from nbbuild.export import ChromiumNotFoundError, find_chromium

    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(ChromiumNotFoundError, match=r"\$CHROMIUM \('/nonexistent/chromium'\) is not an executable"):
        find_chromium()


def test_shared_html_forbids_scripts_and_remote_fetches(tmp_path):
    """Even markup that reaches the page unescaped can neither run nor fetch anything."""
    from playwright.sync_api import sync_playwright

    from nbbuild.export import CHROMIUM_ARGS, export_notebooks, find_chromium

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "display(HTML(...))",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data",
                        data={
                            "text/html": '<img src="http://127.0.0.1:9/track.png">'
                            "<script>document.title = 'SCRIPT RAN'</script>"
                            "<img src=x onerror=\"document.title = 'ONERROR RAN'\">"
                            '<link rel="stylesheet" href="http://127.0.0.1:9/style.css">'
                        },
                    )
                ],
            )
        ]
    )
    path = tmp_path / "hostile.ipynb"
    nbformat.write(notebook, path)
    [html] = export_notebooks([path], tmp_path, None)
    assert "Content-Security-Policy" in html.read_text()[:1000]

    requested, refused = [], {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.on("requestfailed", lambda request: refused.update({request.url: request.failure}))
        page.goto(html.as_uri(), wait_until="load")
        title = page.title()
        browser.close()
    assert "RAN" not in title
    remote = [url for url in requested if url.startswith("http")]
    assert remote == ["http://127.0.0.1:9/track.png", "http://127.0.0.1:9/style.css"]
    assert all(refused.get(url) == "csp" for url in remote), refused  # refused by the page's policy


# JOBS, the build's own files, the home folder ---------------------------------------------------


@pytest.mark.parametrize("jobs", ["0", "65", "1000000", "2x", "$(shell touch {pwned})", "`touch {pwned}`"])
def test_a_bad_jobs_is_one_line_and_runs_nothing(project, tmp_path, jobs):
    pwned = tmp_path / "pwned"
    for env in ({}, {"JOBS": jobs.format(pwned=pwned)}):  # on the command line, in the environment
        args = ["reports"] + ([] if env else [f"JOBS={jobs.format(pwned=pwned)}"])
        result = make(project, *args, env=env, timeout=30)  # never a deadlock
        assert result.returncode != 0 and not pwned.exists()
        assert result.stderr.count("\n") == 1 and "must be a whole number from 1 to 64" in result.stderr, result.stderr
        assert "run:" not in result.stdout and "clean:" not in result.stdout


def test_a_dependency_file_never_makes_the_step_delete_outside_its_figures(project, tmp_path, served):
    nbformat.write(tiny_notebook("first-chart"), project / "notebooks" / f"{TINY}.ipynb")
    stand_in_for_the_clean_step(project)
    victims = [tmp_path / "victim.txt", project / "data" / "raw" / "changzhi-2022-06-30-seed.csv"]
    victims[0].write_text("not the build's")
    before = {victim: victim.read_bytes() for victim in victims}
    deps = project / "reports" / "executed" / RUN / f".{TINY}.d"
    deps.parent.mkdir(parents=True, exist_ok=True)
    deps.write_text(  # invented: a .d that names files the step does not own
        f"reports/executed/{RUN}/{TINY}.ipynb: ../victim.txt\n../victim.txt:\n{victims[0]}:\n"
        f"reports/figures/{RUN}/../../../data/raw/changzhi-2022-06-30-seed.csv:\n"
    )
    result = build_tiny(project, served)
    assert result.returncode == 0, result.stderr[-3000:]
    for victim, data in before.items():
        assert victim.read_bytes() == data, victim
    assert "not in the step's figures folder: left alone" in result.stderr


# Make's dependencies follow the layers -------------------------------------------------------------


def planned(project: Path) -> list[str]:
    """The steps `make -n` would run for the tiny notebook's run: 'execute', 'export', 'clean'."""
    result = make(project, "-n", "-f", "build.mk", *RUN_VARS, f"ANALYSIS={TINY}", f"NOTEBOOKS={TINY}", "run")
    assert result.returncode == 0, result.stderr
    kinds = []
    for line in result.stdout.splitlines():
        if "nbbuild.execute" in line:
            kinds.append(
                "clean"
                if "00-clean" in line and "--export" not in line
                else "export"
                if "--export" in line
                else "execute"
            )
    return kinds


def stand_in_build(project: Path) -> float:
    """The tiny run as if built: invented placeholders for its outputs, all up to date (checked);
    returns the time they are older than."""
    nbformat.write(tiny_notebook("first-chart"), project / "notebooks" / f"{TINY}.ipynb")
    stand_in_for_the_clean_step(project)
    now = time.time()
    for suffix, folder in (("ipynb", "executed"), ("html", "html"), ("pdf", "pdf")):
        path = project / "reports" / folder / RUN / f"{TINY}.{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("invented placeholder\n")
        os.utime(path, (now - 600, now - 600))
    deps = project / "reports" / "executed" / RUN / f".{TINY}.d"
    deps.write_text(f"reports/executed/{RUN}/{TINY}.ipynb:\n")
    os.utime(deps, (now - 900, now - 900))
    assert planned(project) == [], "the stand-in build is up to date"
    return now


def test_without_the_clean_steps_notebook_the_clean_step_runs_before_the_notebooks(project):
    # The processed files are up to date, the clean step's executed notebook is gone: make runs the
    # clean step, which writes the processed files again, so the notebooks run too, after it (not
    # beside it, which left them older than their inputs and the next make running them again).
    stand_in_build(project)
    (project / "reports" / "executed" / "00-clean.ipynb").unlink()
    assert sorted(planned(project)) == ["clean", "execute", "export", "export"]  # and the clean step's HTML


@pytest.mark.parametrize("change", ["added with an old time", "deleted"])
def test_a_raw_file_added_with_an_old_time_or_deleted_runs_the_clean_step(project, change):
    # make compares times: a raw file copied in with its old time, or one deleted, changes no time
    # make reads, but it changes the list of raw files, which the clean step depends on
    stand_in_build(project)
    raw = project / "data" / "raw"
    if change == "deleted":
        (raw / "benchmarks-2022-ranks.csv").unlink()
    else:
        copied = raw / "zz-invented-copy.csv"  # invented: a copy of a raw file under a new name
        shutil.copy2(raw / "benchmarks-2022-ranks.csv", copied)
        os.utime(copied, (time.time() - 10 * 86400, time.time() - 10 * 86400))
    assert "clean" in planned(project)


@pytest.mark.parametrize(
    ("touched", "expected"),
    [
        ("src/nbbuild/server.py", []),
        ("src/nbbuild/wire.py", []),
        ("src/nbbuild/kernelpool.py", []),
        ("src/nbbuild/forkserver.py", []),
        ("src/nbbuild/provisioner.py", []),
        ("src/nbbuild/startup.py", []),
        ("src/nbbuild/__pycache__", []),
        ("src/campaign/view/__pycache__", []),
        ("src/nbbuild/export.py", ["export", "export"]),
        ("src/nbbuild/printer.py", ["export", "export"]),
        ("src/nbbuild/templates/campaign_pdf/index.html.j2", ["export", "export"]),
        # (`make -n` does not show the clean step's HTML export after it: GNU make 4.3 does not
        # count a grouped target of a dry run as remade; a real build exports it)
        ("src/nbbuild/stepfiles.py", ["clean", "execute", "export"]),
        ("src/campaign/view/page.py", ["execute", "export"]),
        ("src/campaign/core/settings.py", ["clean", "execute", "export"]),
    ],
)
def test_a_change_reruns_what_it_can_affect_and_nothing_else(project, touched, expected):
    now = stand_in_build(project)
    path = project / touched
    path.mkdir(exist_ok=True) if touched.endswith("__pycache__") else None
    if path.is_dir():
        (path / "stray.pyc").write_bytes(b"")
    os.utime(path, (now, now))
    assert sorted(planned(project)) == sorted(expected)


# The printer: it prints the page it was given, or says in one line why it cannot --------------------


def fake_chromium(tmp_path: Path, body: str) -> Path:
    """An invented stand-in for Chromium: a shell script."""
    path = tmp_path / "chromium"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize(
    ("body", "said"),
    [("sleep 600", "did not start within 3 s"), ("echo crashed >&2; exit 1", "failed to start")],
)
def test_a_browser_that_hangs_or_dies_is_one_line(tmp_path, body, said):
    from nbbuild.printer import ChromiumPrinter, PrinterError

    started = time.monotonic()
    with pytest.raises(PrinterError) as raised:
        with ChromiumPrinter(str(fake_chromium(tmp_path, body)), timeout=3) as printer:
            printer.print_pages(["<p>invented</p>"])
    assert time.monotonic() - started < 30
    assert said in str(raised.value) and "\n" not in str(raised.value), raised.value


def test_an_export_step_with_a_dead_browser_says_so_in_one_line(tmp_path):
    notebook = tmp_path / "n.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("invented")]), notebook)
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "nbbuild.execute", "--export", str(notebook)]
        + ["--html-dir", str(tmp_path / "html"), "--pdf-dir", str(tmp_path / "pdf")],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "NBBUILD_SERVER"}
        | {"CHROMIUM": str(fake_chromium(tmp_path, "exit 1"))},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "failed to start" in result.stderr, result.stderr
    assert not (tmp_path / "html" / "n.html").exists() and not (tmp_path / "pdf").exists()


@pytest.mark.parametrize(
    "refresh",
    [
        '<meta http-equiv="refresh" content="0">',
        '<meta http-equiv="refresh" content="0; url=about:blank">',
        '<meta http-equiv="refresh" content="0; url=data:text/html,MOVED-AWAY">',
        '<meta http-equiv="refresh" content="0; url=http://127.0.0.1:9/">',
    ],
)
def test_the_printer_never_prints_another_page_than_its_own(tmp_path, refresh):
    from nbbuild.printer import PrinterError, render_pdfs

    page = f"<!DOCTYPE html><html><head>{refresh}</head><body><p>invented page</p></body></html>"
    try:
        [pdf] = render_pdfs([page])
    except PrinterError as error:  # refused: it tried to leave
        assert "navigate away" in str(error) or "navigated away" in str(error), error
        return
    (tmp_path / "page.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "page.pdf"), "-"], capture_output=True, text=True).stdout
    assert "invented page" in text and "MOVED-AWAY" not in text
