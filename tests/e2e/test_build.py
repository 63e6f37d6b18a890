"""End to end: `make reports` in a copy of the project, as a user runs it.

The tests read the session's one build (the `built` fixture in conftest.py: `make reports` from
cold, then `make reports-all`); a test that changes it leaves it up to date again. Breaking a build on purpose happens in
small copies of the project (tests/test_make_safety.py).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import AGAIN_NOTEBOOKS, ROOT, RUN_EN, RUN_ZH, RUNS, make, own_copy, steps

pytestmark = pytest.mark.e2e

NOTEBOOKS = ["10-employment", "20-funding", "30-sales", "40-training-policy", "90-summary"]
FIGURES = [
    "employment-this-year-vs-last-year",
    "microcredit-average-loan-vs-benchmarks",
    "microcredit-target-completion",
    "projects-pipeline-funnel",
    "sales-channel-composition",
    "training-reach-per-session-and-event",
]


def quiet(log: str) -> bool:
    """Only the build's own lines: a step starts, a step is done, a run is up to date."""
    return all(line.startswith(("clean: ", "run: ", "done: ", "reports: ")) for line in log.splitlines())


def notebooks_of(run: str) -> list[str]:
    return ["20-funding", "90-summary"] if run.startswith("datong") else NOTEBOOKS


def test_make_reports_produces_every_expected_file(built):
    result = built.logs["reports"]  # from cold
    assert re.search(rf"^reports: {RUN_EN} built, \d+ files written", result.stdout, re.M), result.stdout
    # A quiet log under -j: one line when a step starts and one when it is done; no progress bars
    # and no warnings that are not the user's to act on.
    assert len([line for line in result.stdout.splitlines() if line.startswith("done: ")]) == 1 + len(NOTEBOOKS)
    assert "Executing:" not in result.stderr and "without encryption" not in result.stderr, result.stderr
    assert result.stderr == "" and quiet(result.stdout), result.stdout + result.stderr
    for folder, suffix in (("executed", "ipynb"), ("html", "html"), ("pdf", "pdf")):
        for notebook in NOTEBOOKS:
            path = built.path("reports", folder, RUN_EN, f"{notebook}.{suffix}")
            assert path.stat().st_size > 5000, path
    for figure in FIGURES:
        for suffix in ("png", "svg"):
            assert built.path("reports", "figures", RUN_EN, f"{figure}.{suffix}").stat().st_size > 2000
    for name in ("observations", "derived", "quality"):
        assert built.path("data", "processed", f"{name}.csv").exists()
    assert built.path("reports", "html", "00-clean.html").exists()
    assert not list(built.root.glob("reports/**/.*.tmp*")), "temporary files left behind"


def test_reports_all_builds_the_other_runs_and_leaves_the_built_one_alone(built):
    result = built.logs["reports-all"]  # after `make reports`
    assert result.stderr == "" and quiet(result.stdout), result.stdout + result.stderr
    assert not any(RUN_EN in line for line in steps(result.stdout)), "the default run was up to date"
    assert not any(line.startswith("clean:") for line in steps(result.stdout))
    done = [line for line in result.stdout.splitlines() if line.startswith("done: ")]
    assert len(done) == sum(len(notebooks_of(run)) for run in RUNS if run != RUN_EN)
    assert f"reports: {RUN_EN} is up to date, nothing to do" in result.stdout
    for run in RUNS:
        assert f"reports: {run} {'is up to date' if run == RUN_EN else 'built'}" in result.stdout
        if run != RUN_EN:
            assert len([line for line in done if f"({run})" in line]) == len(notebooks_of(run))
        for folder, suffix in (("executed", "ipynb"), ("html", "html"), ("pdf", "pdf")):
            for notebook in notebooks_of(run):
                assert built.path("reports", folder, run, f"{notebook}.{suffix}").stat().st_size > 5000


def embedded_images(notebook: Path) -> list[bytes]:
    executed = nbformat.read(notebook, as_version=4)
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    return [base64.b64decode(o["data"]["image/png"]) for o in outputs if "image/png" in o.get("data", {})]


@pytest.mark.parametrize("run", RUNS)
def test_every_figure_is_embedded_in_the_executed_notebooks(built, run):
    figures = {p.read_bytes() for p in built.path("reports", "figures", run).glob("*.png")}
    for deps in built.path("reports", "executed", run).glob(".*.d"):
        notebook = deps.with_name(deps.name[1:-2] + ".ipynb")
        if notebook.stem == "90-summary":
            continue  # it saves no figure of its own
        saved = {built.path(line[:-1]).read_bytes() for line in deps.read_text().splitlines() if line.endswith(".png:")}
        images = embedded_images(notebook)
        assert len(images) == len(saved) and set(images) == saved, notebook  # each saved figure, as saved
    summary = embedded_images(built.path("reports", "executed", run, "90-summary.ipynb"))
    # the summary draws its charts from the run's data (never a file another step left: issue 17.7)
    assert summary and not set(summary) & figures, "the summary draws its own charts"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_summary_pdf_states_the_headline_figures_in_english(built):
    pdf = built.path("reports", "pdf", RUN_EN, "90-summary.pdf")
    text = pdf_text(pdf)
    for expected in (
        "104,731",
        "5.28%",
        "CNY 258 million",
        "121.9%",
        "CNY 98,436,300",
        "1,766",
        "described in words",
        "Yellow River News Network",
        "https://dt.sxgov.cn",
    ):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert 2 <= pages <= 7
    assert "(A4)" in info


def test_chinese_run_has_chinese_pdf_with_an_embedded_cjk_font(built):
    pdf = built.path("reports", "pdf", RUN_ZH, "90-summary.pdf")
    text = pdf_text(pdf)
    for expected in (
        "104731人",
        "2.58亿元",
        "9843.63万元",
        "超额完成",
        "仅有文字介绍",
        "参考资料",
        "黄河新闻网大同频道",
    ):
        assert expected in text, expected
    assert "not reported" not in text and "Sources" not in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # Noto Sans CJK, whose CFF outlines Chromium embeds as Type 3 fonts (tests/e2e/test_layout.py)
    embedded = fonts.splitlines()[2:]
    assert embedded and all(" Type 3 " in line and " yes " in line for line in embedded), fonts


def test_html_shows_figures_and_tables_with_the_network_blocked(built):
    from playwright.sync_api import sync_playwright

    from nbbuild.export import CHROMIUM_ARGS, find_chromium

    attempted = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page()

        def refuse(route):
            if not route.request.url.startswith(("file:", "data:")):
                attempted.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", refuse)
        for notebook, figures in (("10-employment", 1), ("20-funding", 3), ("90-summary", 3)):
            page.goto(built.path("reports", "html", RUN_EN, f"{notebook}.html").as_uri(), wait_until="load")
            loaded = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth > 100).length")
            assert loaded >= figures, notebook
            assert page.locator("table").count() >= 1
            code = page.locator(".jp-InputArea").first
            working = page.locator("details.fold-working")  # ids and raw values: the analyst's
            assert not code.is_visible(), "code is hidden until the reader asks for it"
            assert working.count() == (0 if notebook == "90-summary" else 1), notebook
            assert not (working.count() and working.first.is_visible()), "so is the working"
            page.click("#show-code")  # the page's one switch: CSS, no script
            assert code.is_visible(), "and the switch shows it"
            assert not working.count() or working.first.is_visible(), "and the working"
        browser.close()
    assert attempted == [], f"the HTML asked the network for {attempted}"


def test_second_make_is_a_no_op_even_after_the_bytecode_is_rewritten(built, tmp_path):
    # Python rewrites bytecode whenever it likes (a kernel importing the package in the
    # background, another Python version): caches are never sources, so none of it re-runs a step.
    built = own_copy(built, tmp_path / "built")
    subprocess.run(
        [str(built.root / ".venv" / "bin" / "python"), "-m", "compileall", "-q", "-f", "src"],
        cwd=built.root,
        check=True,
    )
    for cache in (built.root / "src").rglob("__pycache__"):
        (cache / "stray.pyc").write_bytes(b"")
        os.utime(cache)
    result = make(built.root, "reports")
    assert steps(result.stdout) == []
    assert f"reports: {RUN_EN} is up to date" in result.stdout
    result = make(built.root, "reports-all")
    assert steps(result.stdout) == []


def _without_dates(pdf: bytes) -> bytes:
    return re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", pdf)


def outputs_of(built, notebooks: list[str]) -> dict[Path, bytes]:
    """The bytes of the notebooks' outputs in the default run (PDFs without their dates)."""
    found = {}
    for notebook in notebooks:
        deps = built.path("reports", "executed", RUN_EN, f".{notebook}.d")
        figures = [line[:-1] for line in deps.read_text().splitlines() if line.endswith(":") and "figures" in line]
        for relative in (
            *figures,
            f"reports/executed/{RUN_EN}/.{notebook}.d",
            f"reports/executed/{RUN_EN}/{notebook}.ipynb",
            f"reports/html/{RUN_EN}/{notebook}.html",
            f"reports/pdf/{RUN_EN}/{notebook}.pdf",
        ):
            data = built.path(relative).read_bytes()
            found[Path(relative)] = _without_dates(data) if relative.endswith(".pdf") else data
    return found


def test_a_build_writes_nothing_into_the_home_folder_and_leaves_nothing_in_the_temporary_one(built, built_again):
    # The session's builds ran with a home folder and a TMPDIR of their own and without XDG_,
    # JUPYTER_, IPYTHON or MPL variables (conftest.py): `make reports` and `make reports-all`,
    # their steps on a build server, and the default run again, each step on its own. What they
    # put in the temporary folder (kernels' connection files, the forkserver's socket folder,
    # Chromium's profile) is gone when they end.
    for build in (built, built_again):
        assert sorted(str(p.relative_to(build.home)) for p in build.home.rglob("*")) == []
        assert sorted(str(p.relative_to(build.tmp)) for p in build.tmp.rglob("*")) == []


def test_touching_one_notebook_reruns_only_what_depends_on_it_whatever_the_backend(built, tmp_path):
    # Rebuilt under MPLBACKEND=Agg, a server's or CI's backend, under which a displayed matplotlib
    # Figure would show nothing: figures are displayed from their saved PNG, so the outputs are
    # the same bytes as the build's under the kernel's own backend.
    built = own_copy(built, tmp_path / "built")
    notebook = built.path("notebooks", "30-sales.ipynb")
    before = outputs_of(built, ["30-sales", "90-summary"])
    notebook.touch()
    result = make(built.root, "reports", env={"MPLBACKEND": "Agg"})
    assert [s.split(" ->")[0] for s in steps(result.stdout)] == [
        f"run: notebooks/30-sales.ipynb ({RUN_EN})",
        f"run: notebooks/90-summary.ipynb ({RUN_EN})",
    ]
    for name in ("30-sales", "90-summary"):  # each step executes and exports
        assert f"{RUN_EN}/{name}.html" in result.stdout and f"{RUN_EN}/{name}.pdf" in result.stdout
    assert len([line for line in result.stdout.splitlines() if line.startswith("done: ")]) == 2
    assert result.stderr == "" and quiet(result.stdout), result.stdout + result.stderr
    after = outputs_of(built, ["30-sales", "90-summary"])
    assert after.keys() == before.keys() and len(before) > 8
    for relative, data in before.items():
        assert after[relative] == data, relative


def test_a_second_build_elsewhere_gives_the_same_bytes(built, built_again):
    """Reproducible: the default run built again from scratch in another folder, by its steps
    alone, gives the bytes of the session's build, whose steps ran on a build server: the
    processed files, the clean step's outputs, and for the notebooks built again (the clean step,
    one analysis notebook and the summary) every figure, executed notebook, HTML and make
    dependency file, and the PDF but for its dates."""
    clean = sorted(
        p.relative_to(built.root)
        for pattern in ("data/processed/*.csv", "reports/*/00-clean.*", "reports/*/.00-clean.d")
        for p in built.root.glob(pattern)
    )
    assert len(clean) == 3 + 2 + 1
    for relative in clean:
        assert built.path(str(relative)).read_bytes() == built_again.path(str(relative)).read_bytes(), relative
    first, second = outputs_of(built, list(AGAIN_NOTEBOOKS)), outputs_of(built_again, list(AGAIN_NOTEBOOKS))
    assert any(p.suffix == ".png" for p in first) and len(first) >= 4 * len(AGAIN_NOTEBOOKS) + 2
    assert first.keys() == second.keys()
    for relative, data in first.items():
        assert data == second[relative], relative


def test_nbconvert_knows_the_chromium_pdf_exporter(built, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(built.path("src"))}
    executed = built.path("reports", "executed", RUN_EN, "30-sales.ipynb")
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "jupyter"),
            "nbconvert",
            "--to",
            "chromiumpdf",
            "--no-input",
            "--no-prompt",
            "--output-dir",
            str(tmp_path),
            str(executed),
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "30-sales.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.fixture(scope="module")
def lab_folder(built, tmp_path_factory) -> Path:
    """The notebooks and data as JupyterLab sees them, beside the build (what the notebooks write
    goes here, not into the session's build): the summary shows the figures the build saved."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copytree(built.path("notebooks"), folder / "notebooks")
    shutil.copytree(built.path("data"), folder / "data")
    shutil.copytree(built.path("reports", "figures", RUN_EN), folder / "reports" / "figures" / RUN_EN)
    return folder


@pytest.mark.parametrize(
    ("notebook", "expected"),
    [("10-employment", "104,731"), ("20-funding", "CNY 258 million"), ("90-summary", "104,731")],
)
def test_notebooks_run_with_their_default_parameters_as_in_jupyterlab(lab_folder, tmp_path, notebook, expected):
    # JupyterLab runs a notebook in its own folder with the parameters cell as written.
    import papermill as pm

    pm.execute_notebook(
        lab_folder / "notebooks" / f"{notebook}.ipynb",
        tmp_path / "out.ipynb",
        cwd=lab_folder / "notebooks",
        progress_bar=False,
        kernel_name="python3",
    )
    assert expected in (tmp_path / "out.ipynb").read_text(encoding="utf-8")
