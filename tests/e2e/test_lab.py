"""End to end: `make lab` in the session's build, as an analyst uses it, through the real Jupyter
server (its REST contents API) and JupyterLab itself in Chromium.

An analyst opens a notebook, runs it and saves it: the committed file stays as it was (no outputs),
`git status` stays clean and the next `make reports` does nothing. The scratch notebooks these
tests save are invented and deleted again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import RUN_EN, make, own_copy, steps

pytestmark = pytest.mark.e2e

NOTEBOOK = "notebooks/20-funding.ipynb"  # saves figures, as an analysis notebook does


@dataclass
class Lab:
    root: Path
    address: str  # the line make lab printed
    port: int
    token: str
    home: Path  # the HOME the server ran with
    log: Path  # its standard error
    printed: list[str]

    def api(self, method: str, path: str, body: dict | None = None) -> dict | None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/contents/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            text = reply.read()
        return json.loads(text) if text else None


def git(root: Path, git_dir: Path, *args: str) -> str:
    command = ["git", f"--git-dir={git_dir}", f"--work-tree={root}", "-c", "user.name=t", "-c", "user.email=t@t"]
    return subprocess.run([*command, *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def project(built, tmp_path_factory):
    """A copy of the session's build, which Lab opens and saves into (the build stays as built)."""
    return own_copy(built, tmp_path_factory.mktemp("lab-project") / "project")


@pytest.fixture(scope="module")
def repository(project, tmp_path_factory) -> Path:
    """The copy of the build committed to a repository kept outside it (nothing is added to the
    copy). Its .venv is a symlink, which .gitignore's `.venv/` misses."""
    git_dir = tmp_path_factory.mktemp("lab-git") / "git"
    git(project.root, git_dir, "init", "-q")
    (git_dir / "info" / "exclude").write_text(".venv\n")
    git(project.root, git_dir, "add", "-A")
    git(project.root, git_dir, "commit", "-q", "-m", "the project as built")
    assert git(project.root, git_dir, "status", "--porcelain") == ""
    return git_dir


@pytest.fixture(scope="module")
def lab(project, tmp_path_factory):
    """`make lab` as a user starts it on a machine without a screen, with a home folder of its own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path_factory.mktemp("lab-home")
    log = home.parent / "lab-server.log"
    env = {**os.environ, "PYTHONPATH": str(project.path("src")), "HOME": str(home), "LAB_PORT": str(port)}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "DISPLAY", "JUPYTER_TOKEN"):
        env.pop(name, None)
    with open(log, "w") as stderr:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "lab"],
            cwd=project.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,
        )
    printed: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in server.stdout:
            printed.append(line.rstrip("\n"))
            if line.startswith("lab: open "):
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(90) and printed and printed[-1].startswith("lab: open "), (printed, log.read_text())
        address = re.search(r"http://\S+", printed[-1])[0]
        yield Lab(project.root, address, port, address.split("token=")[1], home, log, printed)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    # the server's files went into the project's .jupyter/, none into the home folder
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == []
    assert not list(project.path(".jupyter", "data", "runtime").glob("jpserver-*"))


def test_make_lab_prints_one_line_with_the_address_and_the_tunnel(lab):
    # One line, and nothing else on the terminal: the log shows only warnings, and there are none.
    [line] = lab.printed
    assert re.fullmatch(
        rf"lab: open http://localhost:{lab.port}/lab/tree/notebooks\?token=[0-9a-f]{{48}}  \(from another machine: "
        rf"ssh -N -L {lab.port}:localhost:{lab.port} \S+@\S+, then open it there; Ctrl-C stops Lab\)",
        line,
    ), line
    with urllib.request.urlopen(lab.address, timeout=30) as reply:
        assert reply.status == 200
    with pytest.raises(urllib.error.HTTPError, match="403"):  # the token is needed
        urllib.request.urlopen(f"http://127.0.0.1:{lab.port}/api/contents", timeout=30)


def test_lab_serves_the_whole_project(lab):
    names = {item["name"] for item in lab.api("GET", "")["content"]}
    assert {"notebooks", "src", "data", "reports"} <= names
    assert "20-funding.ipynb" in {item["name"] for item in lab.api("GET", "notebooks")["content"]}
    assert lab.api("GET", "reports/html")["type"] == "directory"
    with urllib.request.urlopen(f"http://127.0.0.1:{lab.port}/api/kernelspecs?token={lab.token}") as reply:
        assert json.load(reply)["default"] == "python3"  # the project's environment's kernel
    notification = "@jupyterlab/apputils-extension:notification"
    with urllib.request.urlopen(
        f"http://127.0.0.1:{lab.port}/lab/api/settings/{notification}?token={lab.token}"
    ) as reply:
        assert json.load(reply)["settings"]["fetchNews"] == "false"  # the project's settings: no news asked or fetched


def _notebook_with_outputs(source: str) -> dict:
    """An invented notebook as Lab sends it after a run: outputs, counts, Lab's cell state."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.7", "file_extension": ".py"},
        },
        "cells": [
            {
                "cell_type": "code",
                "id": "only",
                "metadata": {"trusted": True, "scrolled": True, "execution": {"iopub.status.idle": "2022"}},
                "execution_count": 3,
                "source": source,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "2\n"}],
            }
        ],
    }


def test_the_server_saves_notebooks_without_outputs_and_leaves_an_unchanged_one_alone(lab):
    path = "notebooks/scratch-lab-test.ipynb"
    file = lab.root / path
    try:
        lab.api("PUT", path, {"type": "notebook", "content": _notebook_with_outputs("1 + 1")})
        saved = json.loads(file.read_text(encoding="utf-8"))
        [cell] = saved["cells"]
        assert cell["outputs"] == [] and cell["execution_count"] is None and cell["metadata"] == {}
        assert saved["metadata"]["language_info"] == {"name": "python", "file_extension": ".py"}
        os.utime(file, (1_000_000_000, 1_000_000_000))
        before = file.read_bytes()

        # saved again as Lab sends it (outputs and all): the same notebook, so nothing is written
        lab.api("PUT", path, {"type": "notebook", "content": _notebook_with_outputs("1 + 1")})
        assert file.stat().st_mtime == 1_000_000_000 and file.read_bytes() == before

        # loaded, it carries the kernel's Python version (which Lab would add, marking it modified)
        loaded = lab.api("GET", path)["content"]
        assert re.fullmatch(r"3\.\d+\.\d+", loaded["metadata"]["language_info"]["version"])

        # an edit is saved, still without outputs
        lab.api("PUT", path, {"type": "notebook", "content": _notebook_with_outputs("1 + 2")})
        saved = json.loads(file.read_text(encoding="utf-8"))
        assert saved["cells"][0]["source"] == ["1 + 2"] and saved["cells"][0]["outputs"] == []
        assert file.stat().st_mtime > 1_000_000_000
    finally:
        file.unlink(missing_ok=True)
        shutil.rmtree(lab.root / "notebooks" / ".ipynb_checkpoints", ignore_errors=True)


def test_open_run_and_save_a_notebook_in_jupyterlab_changes_nothing(lab, repository, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from nbbuild.export import CHROMIUM_ARGS, find_chromium

    notebook = lab.root / NOTEBOOK
    before = (notebook.read_bytes(), notebook.stat().st_mtime_ns)
    logged = len(lab.log.read_text())  # what the server logged for the other tests (their 403s)
    browser_home = tmp_path / "browser-home"  # the browser's own: nothing of it in a real home
    browser_home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(browser_home)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, env=env)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(lab.address)
        # Lab starts in notebooks/ ...
        listing = page.locator(".jp-DirListing-content")
        expect(page.locator(".jp-FileBrowser-crumbs")).to_contain_text("notebooks", timeout=60_000)
        listing.get_by_text("20-funding.ipynb", exact=True).dblclick()
        # ... opens the notebook with the project's kernel, unmodified
        expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=180_000)
        page.wait_for_timeout(1500)  # Lab writes the kernel's language_info into the notebook now
        tab = page.locator(".lm-TabBar-tab.jp-mod-current", has_text="20-funding.ipynb")
        expect(tab).not_to_have_class(re.compile("jp-mod-dirty"))
        # runs every cell (Run > Run All Cells) and shows the outputs ...
        started = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
            .some(p => !/^\\[ \\]/.test(p.textContent.trim()))"""
        for attempt in range(3):  # a Lab just connected to its kernel may drop the first Run All: no cell runs
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            try:
                page.wait_for_function(started, timeout=60_000)
                break
            except Exception:
                if attempt == 2:
                    raise
        # until every cell has run, or one fails (Run All stops there): a kernel sharing two cores
        # with the rest of the suite may take minutes, a failing cell says why at once
        try:
            page.wait_for_function(
                """() => {
                    if (document.querySelector("[data-mime-type='application/vnd.jupyter.error']")) return true;
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
                timeout=420_000,
            )
        except Exception as timeout:
            page.screenshot(path=str(tmp_path / "lab.png"), full_page=True)  # what Lab showed, for the report
            prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            raise AssertionError(
                f"Run All did not finish: prompts {prompts}; screenshot {tmp_path / 'lab.png'}"
            ) from timeout
        errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
        assert errors.count() == 0, errors.first.inner_text()[-2000:]
        assert page.locator(".jp-OutputArea-output img").count() >= 3, "the figures are shown"
        expect(tab).to_have_class(re.compile("jp-mod-dirty"))
        # ... and saves it: the tab is saved, outputs still in view
        page.keyboard.press("Control+s")
        expect(tab).not_to_have_class(re.compile("jp-mod-dirty"), timeout=30_000)
        assert page.locator(".jp-OutputArea-output img").count() >= 3
        browser.close()
    assert (notebook.read_bytes(), notebook.stat().st_mtime_ns) == before, "the saved notebook was written"
    assert git(lab.root, repository, "status", "--porcelain") == ""
    result = make(lab.root, "reports")
    assert steps(result.stdout) == [], result.stdout
    assert f"reports: {RUN_EN}" in result.stdout
    # a quiet log: no "Notebook ... is not trusted", no websocket ping warning, nothing at all
    assert lab.log.read_text()[logged:] == ""


@pytest.mark.parametrize("port", ["abc", "0", "70000", "$(touch {pwned})"])
def test_a_lab_port_that_is_no_port_is_one_line(tmp_path, port):
    pwned = tmp_path / "pwned"
    result = subprocess.run(
        ["bash", str(Path(__file__).resolve().parents[2] / "tools" / "lab.sh")],
        env={**os.environ, "LAB_PORT": port.format(pwned=pwned), "JUPYTER_RUNTIME_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "is not a port: give a number from 1 to 65535" in result.stderr and not pwned.exists()
