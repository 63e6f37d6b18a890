"""A build step in-process: what it deletes, how it fails when it cannot write, what it writes
outside the project, and the build server's start (invented notebooks and files)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nbbuild import execute, export
from nbbuild.files import inside

ROOT = Path(__file__).resolve().parents[2]


def test_inside_refuses_parents_absolute_paths_and_links_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    owned = tmp_path / "reports" / "figures" / "run"
    owned.mkdir(parents=True)
    (owned / "out").symlink_to("/etc")
    assert inside("reports/figures/run/a.png", owned)
    assert inside("reports/figures/run/out", owned)  # the link itself is the step's
    assert not inside("reports/figures/run/out/passwd", owned)
    assert not inside("reports/figures/run/../../../../etc/x", owned)
    assert not inside("/etc/passwd", owned)
    assert not inside("reports/figures/run", owned)


def executed_notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("invented")])
    nbformat.write(notebook, path)
    return path


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_during_export_is_one_line(tmp_path, monkeypatch, capsys, code):
    notebook = executed_notebook(tmp_path / "n.ipynb")
    target = tmp_path / "html" / "n.html"

    def refuse(data, path):  # as the disk would
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(export, "write_bytes_atomically", refuse)
    status = execute.run_step(["--export", str(notebook), "--html-dir", str(tmp_path / "html")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"cannot write {os.path.relpath(target)}: " in err
    assert ("No space left on device" if code == errno.ENOSPC else "Read-only file system") in err
    assert not target.exists()


def test_a_folder_where_the_html_goes_is_one_line(tmp_path, capsys):
    notebook = executed_notebook(tmp_path / "n.ipynb")
    (tmp_path / "html" / "n.html").mkdir(parents=True)  # a folder in the way
    status = execute.run_step(["--export", str(notebook), "--html-dir", str(tmp_path / "html")])
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1 and "n.html" in err and "Is a directory" in err, err


def test_meta_refresh_is_left_out_of_the_html():
    page = (
        '<p>kept</p><META HTTP-EQUIV="Refresh" CONTENT="0; url=http://127.0.0.1:9/">'
        "<meta http-equiv=refresh content='1;url=x>y'><meta http-equiv=' refresh ' content=0/>"
        '<meta http-equiv="&#114;efresh" content="0"><meta charset="utf-8"><meta name="refresh">'
        "<script>var s = '<meta http-equiv=refresh content=0>';</script>"
    )
    stripped = export.without_refresh(page)
    assert stripped == (
        '<p>kept</p><meta charset="utf-8"><meta name="refresh">'
        "<script>var s = '<meta http-equiv=refresh content=0>';</script>"
    )
    assert export.without_refresh("line\nand <meta http-equiv=refresh content=0> then") == "line\nand  then"


def test_an_exported_notebook_carries_no_meta_refresh(tmp_path):
    output = nbformat.v4.new_output(
        "display_data", data={"text/html": '<meta http-equiv="refresh" content="0;url=about:blank">x'}
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("display(HTML(...))", outputs=[output])])
    nbformat.write(notebook, tmp_path / "n.ipynb")
    [html] = export.export_notebooks([tmp_path / "n.ipynb"], tmp_path, None)
    text = html.read_text(encoding="utf-8")
    assert "url=about:blank" not in text and 'http-equiv="refresh"' not in text.lower()
    assert "<meta http-equiv" not in text.lower().replace('<meta http-equiv="content-security-policy"', "")


def test_the_build_server_imports_before_it_starts_a_thread():
    """Issue 19: three steps started together once met 'partially initialized module
    jupyter_client.manager'. The server's threads now start after every import the steps need."""
    code = (
        "import sys, threading\n"
        "from nbbuild import server\n"
        "seen = []\n"
        "original = threading.Thread.start\n"
        "def start(thread):\n"
        "    seen.append(all(n in sys.modules for n in ('jupyter_client.manager', 'papermill', 'nbconvert', 'playwright.async_api')))\n"
        "    return original(thread)\n"
        "threading.Thread.start = start\n"
        "import socket\n"
        "s = server.BuildServer(1)\n"
        "step = socket.socket(socket.AF_UNIX); step.connect(s.address)\n"
        'step.sendall(b\'{"argv": [], "cwd": "/elsewhere", "env": {}}\' + bytes([10]))\n'
        "s.start()\n"
        "step.recv(100)\n"
        "s.stop()\n"
        "print(seen)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    flags = eval(result.stdout.strip())  # noqa: S307  (the list this test's own code printed)
    assert flags and all(flags), result.stdout


@pytest.mark.parametrize("jobs", ["0", "65", "1000000"])
def test_the_build_server_refuses_jobs_out_of_range_in_one_line(jobs):
    result = subprocess.run(
        [sys.executable, "-m", "nbbuild.server", "--jobs", jobs, "--", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "must be from 1 to 64" in result.stderr.splitlines()[-1]


def test_a_steps_output_reaches_it_a_whole_line_at_a_time():
    # print() writes a line and its newline apart; sent apart, make's other steps could write
    # between them ("done: 30-sales in 5 srun: ..."), so the router sends whole lines
    import io

    from nbbuild import wire

    class Collected:
        def __init__(self):
            self.messages = []

        def send(self, message):
            self.messages.append(message)

    channel, router = Collected(), wire.OutputRouter(io.StringIO(), "out")
    wire.step.channel = channel
    try:
        print("done: 30-sales in 5 s", file=router)
        print("two\nlines", file=router)
        router.write("progress 50%\r")  # no newline: sent at the flush
        assert channel.messages == [{"out": "done: 30-sales in 5 s\n"}, {"out": "two\n"}, {"out": "lines\n"}]
        router.flush()
        assert channel.messages[-1] == {"out": "progress 50%\r"}
    finally:
        wire.step.channel = None
