"""Shared fixtures. Data written by these fixtures is invented for the tests unless it copies
the project's own registers or raw files, and says so where it is used."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RAW_HEADER = "region,period_end,indicator,printed,source_id,locator,note\n"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder with the project's registers and raw files, safe to modify."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
        shutil.copy(DATA / name, target / name)
    shutil.copytree(DATA / "raw", target / "raw")
    (target / "processed").mkdir()
    return target


@pytest.fixture
def registers_dir(tmp_path: Path) -> Path:
    """A data folder with the project's registers and an empty raw folder for invented rows."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
        shutil.copy(DATA / name, target / name)
    (target / "raw").mkdir()
    (target / "processed").mkdir()
    return target


def write_raw(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / "raw" / name
    path.write_text(RAW_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def inconsistent_sales(data_dir: Path) -> None:
    """The project's raw files with one channel changed (invented) so that the channels no longer
    add up to the printed total."""
    seed = data_dir / "raw" / "changzhi-2022-06-30-seed.csv"
    text = seed.read_text(encoding="utf-8")
    assert ",309万元," in text
    seed.write_text(text.replace(",309万元,", ",3090万元,"), encoding="utf-8")


@pytest.fixture(scope="session")
def processed_data(tmp_path_factory) -> Path:
    """The project's registers and raw files, cleaned once per test session into a temporary folder."""
    from campaign.dataset.clean import clean, write_outputs

    target = tmp_path_factory.mktemp("processed") / "data"
    target.mkdir()
    for name in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
        shutil.copy(DATA / name, target / name)
    shutil.copytree(DATA / "raw", target / "raw")
    write_outputs(clean(target), target / "processed")
    return target


# End-to-end builds ------------------------------------------------------------------------------
#
# The end-to-end tests share one build per test session (`built`): a copy of the project with
# the reports of every run the data supports, made once by `make reports` and `make reports-all`.
# Tests read it; a test that changes it puts it back as it was (the build is up to date again
# afterwards), so that the tests pass in any order. Tests that break a build on purpose work on a
# small copy of their own (tests/test_make_safety.py).

RUN_EN = "changzhi-2022-06-30-en"
RUN_ZH = "changzhi-2022-06-30-zh"
RUNS = (RUN_EN, RUN_ZH, "datong-2022-08-31-en", "datong-2022-08-31-zh")
COPY_IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info", ".ipynb_checkpoints", ".jupyter"
)


def copy_project(target: Path) -> Path:
    """A copy of this checkout without its generated files, sharing its .venv (a symlink, which
    setup leaves alone). `make` in the copy imports the copy's own src/ first (see ``make``)."""
    shutil.copytree(ROOT, target, ignore=COPY_IGNORED, symlinks=True)
    if (ROOT / ".jupyter").is_dir():  # the project's Jupyter settings, not what Jupyter wrote there
        ignored = shutil.ignore_patterns("data", "ipython", "runtime", "workspaces")
        shutil.copytree(ROOT / ".jupyter", target / ".jupyter", ignore=ignored, symlinks=True)
    for generated in [*target.glob("data/processed/*"), *target.glob("reports/*/*")]:
        if generated.name != ".gitkeep":
            shutil.rmtree(generated) if generated.is_dir() else generated.unlink()
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def make(project: Path, *args: str, env: dict | None = None, check: bool = True, timeout: int = 1200):
    """`make` in a copy of the project; ``check`` raises with the end of its output if it fails."""
    environment = {**os.environ, "PYTHONPATH": str(project / "src"), **(env or {})}
    result = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def steps(output: str) -> list[str]:
    """The one line per step that make printed when a step started (clean:, run:)."""
    return [line for line in output.splitlines() if re.match(r"^(clean|run): ", line)]


@dataclass(frozen=True)
class Build:
    root: Path
    logs: dict[str, subprocess.CompletedProcess]  # each make of the build, by its arguments

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)


# The session's builds, each a copy of the project and the makes run in it:
#   built  `make reports` from cold (the default run), then `make reports-all` (the other runs);
#   again  the default run built again from scratch in another copy, by build.mk alone (each step
#          on its own, without a build server): the reproducibility test compares its bytes.
BUILDS = {
    "built": [["reports"], ["reports-all"]],
    "again": [
        ["-f", "build.mk", "-j2", f"RUN={RUN_EN}", "REGION_SLUG=changzhi", "PERIOD_END=2022-06-30"]
        + ["REPORT_LANG=en", "run"]
    ],
}


class _SessionBuild(threading.Thread):
    """The session's BUILDS, started as soon as the tests are collected, in the background, one
    after the other. The tests that read neither run meanwhile (they run first, unless the order
    is shuffled)."""

    def __init__(self, folder: Path):
        super().__init__(name="session-build", daemon=True)
        self.folder, self.process = folder, None
        self.results: dict[str, Build | BaseException] = {}
        self.done = {"built": threading.Event(), "again": threading.Event()}
        self.lock, self.stopped = threading.Lock(), False

    def run(self) -> None:
        for name, makes in BUILDS.items():
            try:
                project = copy_project(self.folder / name)
                self.results[name] = Build(project, {" ".join(args): self._make(project, args) for args in makes})
            except BaseException as error:  # noqa: BLE001  (raised in the tests that need it)
                self.results[name] = error
            finally:
                self.done[name].set()

    def _make(self, project: Path, args: list[str]) -> subprocess.CompletedProcess:
        with self.lock:
            if self.stopped:
                raise RuntimeError("the test session ended first")
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", *args],
                cwd=project,
                env={**os.environ, "PYTHONPATH": str(project / "src")},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,  # ^C reaches pytest only, which ends the build (stop)
            )
        stdout, stderr = self.process.communicate(timeout=1200)
        if self.process.returncode != 0:
            raise AssertionError(f"make {' '.join(args)} failed:\n{stdout[-3000:]}\n{stderr[-3000:]}")
        return subprocess.CompletedProcess(self.process.args, 0, stdout, stderr)

    def result(self, name: str) -> Build:
        self.done[name].wait()
        if isinstance(self.results.get(name), BaseException):
            raise self.results[name]
        return self.results[name]

    def stop(self) -> None:
        """End the builds if the session ends first (pytest -x, ^C)."""
        with self.lock:
            self.stopped = True
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.join(timeout=60)


def _reads_the_build(item) -> bool:
    return bool({"built", "built_again"} & set(getattr(item, "fixturenames", ())))


_BUILD = pytest.StashKey[_SessionBuild]()
_SEED = pytest.StashKey[int]()


@pytest.fixture(scope="session", autouse=True)
def _session_build_in_the_background(request, tmp_path_factory):
    """The session's builds start with the first test, in the background, if any test reads them
    (those tests run last), and are ended with the session if it ends first (pytest -x, ^C)."""
    build = None
    if any(_reads_the_build(item) for item in request.session.items):
        build = request.config.stash[_BUILD] = _SessionBuild(tmp_path_factory.mktemp("builds"))
        build.start()
    yield
    if build is not None:
        build.stop()


def _session_build(request) -> _SessionBuild:
    return request.config.stash[_BUILD]


@pytest.fixture(scope="session")
def built(request) -> Build:
    """The session's build of every report (BUILDS["built"]), as a user makes them: the notebooks
    under the kernel's own matplotlib backend (a test rebuilds two of them under MPLBACKEND=Agg)."""
    return _session_build(request).result("built")


@pytest.fixture(scope="session")
def built_again(request) -> Build:
    """The default run built again from scratch in another copy (BUILDS["again"])."""
    return _session_build(request).result("again")


@contextlib.contextmanager
def serve(project: Path):
    """A build server (nbbuild.server) for `make -f build.mk` in ``project``, as `make
    reports` starts one, kept until the block ends: yields the environment that sends the steps
    of a make to it."""
    command = "import os, sys; print(os.environ['NBBUILD_SERVER'], flush=True); sys.stdin.read()"
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "-m",
            "nbbuild.server",
            "--jobs",
            "1",  # steps one at a time: one kernel started ahead
            "--",
            sys.executable,
            "-c",
            command,
        ],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield {"NBBUILD_SERVER": server.stdout.readline().strip()}
    finally:
        server.stdin.close()
        server.wait(timeout=60)


# Order: `pytest --shuffle` (or --shuffle=SEED) runs the test files in a random order and the
# tests of each file in a random order, to show that no test depends on another having run.


def pytest_addoption(parser):
    parser.addoption(
        "--shuffle",
        nargs="?",
        const="random",
        default=None,
        metavar="SEED",
        help="run the test files, and the tests in each, in a shuffled order (seeded; the seed is printed)",
    )


def _shuffle_seed(config) -> int | None:
    value = config.getoption("--shuffle")
    if value is None:
        return None
    if _SEED not in config.stash:
        config.stash[_SEED] = random.randrange(10**6) if value == "random" else int(value)
    return config.stash[_SEED]


def pytest_report_header(config):
    seed = _shuffle_seed(config)
    return None if seed is None else f"shuffled order: --shuffle={seed}"


def pytest_collection_modifyitems(config, items):
    seed = _shuffle_seed(config)
    if seed is None:  # the tests that read the session's build last: it is made meanwhile
        items.sort(key=_reads_the_build)
        return
    rng = random.Random(seed)
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)
    files = list(by_file)
    rng.shuffle(files)
    items[:] = []
    for name in files:
        group = by_file[name]
        rng.shuffle(group)
        items.extend(group)
