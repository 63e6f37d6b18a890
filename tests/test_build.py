"""End to end: `make reports` in a temporary copy of the project, as a user runs it.

The copy shares this checkout's .venv (a symlink) but imports its own src/ first (PYTHONPATH),
so what is tested is the copied project. The tests run in file order and build on each other.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e

RUN_EN = "changzhi-2022-06-30-en"
RUN_ZH = "changzhi-2022-06-30-zh"
NOTEBOOKS = ["10-employment", "20-funding", "30-sales", "40-training-policy", "90-summary"]
FIGURES = [
    "employment-growth-vs-national",
    "employment-this-year-vs-last-year",
    "microcredit-average-loan-vs-benchmarks",
    "microcredit-target-completion",
    "projects-pipeline-funnel",
    "sales-channel-composition",
    "training-reach-per-session-and-event",
]
IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info", ".ipynb_checkpoints"
)


def make(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    result = subprocess.run(
        ["make", "--no-print-directory", *args], cwd=project, env=env, capture_output=True, text=True, timeout=1200
    )
    if check and result.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def steps(output: str) -> list[str]:
    """The one-line-per-step messages make printed (clean:, run:, export:, html:)."""
    return [line for line in output.splitlines() if re.match(r"^(clean|run): ", line)]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("e2e") / "project"
    shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
    for generated in [*copy.glob("data/processed/*.csv"), *copy.glob("reports/*/*")]:
        if generated.name != ".gitkeep":
            shutil.rmtree(generated) if generated.is_dir() else generated.unlink()
    (copy / ".venv").symlink_to(ROOT / ".venv")
    return copy


def test_make_reports_produces_every_expected_file(project):
    result = make(project, "reports", "-j2")
    assert f"reports: {RUN_EN} is up to date" in result.stdout
    # A quiet log under -j: one line when a step starts and one when it is done; no progress bars
    # and no warnings that are not the user's to act on.
    assert len([line for line in result.stdout.splitlines() if line.startswith("done: ")]) == 1 + len(NOTEBOOKS)
    assert "Executing:" not in result.stderr and "without encryption" not in result.stderr, result.stderr
    for folder, suffix in (("executed", "ipynb"), ("html", "html"), ("pdf", "pdf")):
        for notebook in NOTEBOOKS:
            path = project / "reports" / folder / RUN_EN / f"{notebook}.{suffix}"
            assert path.stat().st_size > 5000, path
    for figure in FIGURES:
        for suffix in ("png", "svg"):
            assert (project / "reports" / "figures" / RUN_EN / f"{figure}.{suffix}").stat().st_size > 2000
    for name in ("observations", "derived", "quality"):
        assert (project / "data" / "processed" / f"{name}.csv").exists()
    assert (project / "reports" / "html" / "00-clean.html").exists()
    assert not list(project.glob("reports/**/.*.tmp*")), "temporary files left behind"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_summary_pdf_states_the_headline_figures_in_english(project):
    pdf = project / "reports" / "pdf" / RUN_EN / "90-summary.pdf"
    text = pdf_text(pdf)
    for expected in (
        "104,731",
        "5.28%",
        "CNY 258 million",
        "121.9%",
        "CNY 98.4363 million",
        "1,766",
        "qualitative",
        "Yellow River News Network",
        "https://dt.sxgov.cn",
    ):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert 2 <= pages <= 4
    assert "(A4)" in info


def test_chinese_run_has_chinese_pdf_with_an_embedded_cjk_font(project):
    make(project, "reports", "REPORT_LANG=zh", "-j2")
    pdf = project / "reports" / "pdf" / RUN_ZH / "90-summary.pdf"
    text = pdf_text(pdf)
    for expected in ("104731人", "2.58亿元", "9843.63万元", "已完成", "定性", "资料来源", "黄河新闻网大同频道"):
        assert expected in text, expected
    assert "not reported" not in text and "Sources" not in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line or "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts


def test_html_shows_figures_and_tables_with_the_network_blocked(project):
    from playwright.sync_api import sync_playwright

    from campaign.export import CHROMIUM_ARGS, find_chromium

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
        for notebook, figures in (("10-employment", 2), ("20-funding", 3), ("90-summary", 3)):
            page.goto((project / "reports" / "html" / RUN_EN / f"{notebook}.html").as_uri(), wait_until="load")
            loaded = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth > 100).length")
            assert loaded >= figures, notebook
            assert page.locator("table").count() >= 1
            assert page.locator(".jp-InputArea").count() >= 1, "code is shown in the HTML"
        browser.close()
    assert attempted == [], f"the HTML asked the network for {attempted}"


def test_second_make_is_a_no_op(project):
    result = make(project, "reports")
    assert steps(result.stdout) == []
    assert f"reports: {RUN_EN} is up to date" in result.stdout


def test_touching_one_notebook_reruns_only_what_depends_on_it(project):
    (project / "notebooks" / "30-sales.ipynb").touch()
    result = make(project, "reports")
    assert [s.split(" ->")[0] for s in steps(result.stdout)] == [
        f"run: notebooks/30-sales.ipynb ({RUN_EN})",
        f"run: notebooks/90-summary.ipynb ({RUN_EN})",
    ]
    for notebook in ("30-sales", "90-summary"):  # each step executes and exports
        assert f"{RUN_EN}/{notebook}.html" in result.stdout and f"{RUN_EN}/{notebook}.pdf" in result.stdout


def test_failing_cell_stops_the_build_and_leaves_nothing_fresh(project):
    notebook_path = project / "notebooks" / "30-sales.ipynb"
    original = notebook_path.read_text(encoding="utf-8")
    notebook = json.loads(original)
    notebook["cells"].insert(
        3,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "broken",
            "metadata": {},
            "outputs": [],
            "source": "raise RuntimeError('deliberate failure for the test')",
        },
    )
    notebook_path.write_text(json.dumps(notebook), encoding="utf-8")
    try:
        result = make(project, "reports", check=False)
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert "30-sales" in output and "deliberate failure for the test" in output
        executed = project / "reports" / "executed" / RUN_EN / "30-sales.ipynb"
        assert executed.stat().st_mtime < notebook_path.stat().st_mtime, "a stale output must not look fresh"
        assert not list(project.glob("reports/executed/**/.*.tmp*"))
    finally:
        notebook_path.write_text(original, encoding="utf-8")
    make(project, "reports")


def _without_dates(pdf: bytes) -> bytes:
    return re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", pdf)


def test_rebuild_from_scratch_is_reproducible(project, tmp_path):
    before = {
        p.relative_to(project): p.read_bytes()
        for pattern in (f"reports/figures/{RUN_EN}/*", "data/processed/*.csv", f"reports/pdf/{RUN_EN}/*.pdf")
        for p in project.glob(pattern)
    }
    make(project, "clean-reports")
    assert not list(project.glob(f"reports/pdf/{RUN_EN}/*.pdf"))
    make(project, "reports", "-j2")
    for relative, content in before.items():
        again = (project / relative).read_bytes()
        if relative.suffix == ".pdf":
            assert _without_dates(again) == _without_dates(content), relative
        else:
            assert again == content, relative


def test_nbconvert_knows_the_chromium_pdf_exporter(project, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    executed = project / "reports" / "executed" / RUN_EN / "30-sales.ipynb"
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


@pytest.mark.parametrize(
    ("notebook", "expected"),
    [("10-employment", "104,731"), ("20-funding", "CNY 258 million"), ("90-summary", "104,731")],
)
def test_notebooks_run_with_their_default_parameters_as_in_jupyterlab(project, tmp_path, notebook, expected):
    # JupyterLab runs a notebook in its own folder with the parameters cell as written.
    import papermill as pm

    pm.execute_notebook(
        project / "notebooks" / f"{notebook}.ipynb",
        tmp_path / "out.ipynb",
        cwd=project / "notebooks",
        progress_bar=False,
        kernel_name="python3",
    )
    assert expected in (tmp_path / "out.ipynb").read_text(encoding="utf-8")


def test_make_lab_starts_jupyterlab_on_the_notebooks(project, tmp_path):
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path / "home"  # the project's own Jupyter settings: nothing may be written into $HOME
    home.mkdir()
    env = {**os.environ, "PYTHONPATH": str(project / "src"), "HOME": str(home)}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        env.pop(name, None)
    args = f"LAB_ARGS=--no-browser --port={port} --ip=127.0.0.1 --IdentityProvider.token=e2e"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "lab", args],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=e2e", timeout=5) as reply:
                    listing = json.load(reply)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        names = {item["name"] for item in listing["content"]}
        assert {"00-clean.ipynb", "10-employment.ipynb", "90-summary.ipynb"} <= names
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token=e2e", timeout=5) as reply:
            specs = json.load(reply)
        assert specs["default"] == "python3"
        notification = "@jupyterlab/apputils-extension:notification"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab/api/settings/{notification}?token=e2e") as reply:
            settings = json.load(reply)["settings"]  # the project's: Lab asks nothing about Jupyter news
        assert settings["fetchNews"] == "false"
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    assert list(home.rglob("*")) == []
