"""Shared fixtures. Data written by these fixtures is invented for the tests unless it copies
the project's own registers or raw files, and says so where it is used."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import pickle
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from nbbuild.startup import skip_slow_optional_imports

# The tests write nothing into the user's home folder: each test process, and whatever it starts
# (make, kernels, Chromium, Jupyter), gets a home of its own in the system's temporary folder,
# deleted when the process ends, and no variable that names a folder elsewhere (matplotlib's and
# IPython's caches, Chromium's profile and crash reports, dconf, Jupyter's files).
_TEST_HOME = tempfile.mkdtemp(prefix="campaign-tests-home-")
atexit.register(shutil.rmtree, _TEST_HOME, ignore_errors=True)
for _name in [n for n in os.environ if n.startswith(("XDG_", "JUPYTER_", "IPYTHON", "MPL"))]:
    del os.environ[_name]
os.environ["HOME"] = _TEST_HOME

# As the build's own steps do (nbbuild.startup): jsonschema, which nbformat imports, would compile
# rfc3987-syntax's grammar in every test process (about a second), for IRI formats that no
# notebook schema uses.
skip_slow_optional_imports()

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
    """The project's registers and raw files, cleaned once per test session into a temporary folder.
    The copies keep the files' times, so that the index of runs written there (which names each
    input by its size and time) is fresh for any other such copy of data/ (``small_copy``)."""
    from campaign.dataset.clean import clean, write_outputs

    target = tmp_path_factory.mktemp("processed") / "data"
    target.mkdir()
    for name in ("indicators.yml", "regions.csv", "sources.csv", "campaign.yml"):
        shutil.copy2(DATA / name, target / name)
    shutil.copytree(DATA / "raw", target / "raw")
    write_outputs(clean(target), target / "processed")
    return target


SMALL_COPY = ("Makefile", "build.mk", "pyproject.toml", "requirements.lock", "src", "data", "notebooks", "tools")


def small_copy(target: Path, processed_data: Path) -> Path:
    """A copy of the project's build files and data at ``target``, sharing this checkout's .venv (a
    symlink), for the make tests. Its data/processed holds the processed files of the session's
    clean step, as a project has them once its clean step has run: `campaign run-id` then reads
    the index of runs instead of validating every raw row again, as a user's second `make reports`
    does (the copies keep the files' times, which the index names)."""
    target.mkdir()
    for name in SMALL_COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.tmp"))
        else:
            shutil.copy2(source, target / name)
    for generated in (target / "data" / "processed").glob("*"):
        generated.unlink()
    for path in (processed_data / "processed").iterdir():
        shutil.copy2(path, target / "data" / "processed" / path.name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


# End-to-end builds ------------------------------------------------------------------------------
#
# The end-to-end tests share one build per test session (`built`): a copy of the project with
# the reports of every run the data supports, made once by `make reports` and `make reports-all`.
# Tests only read it, side by side in every process of the session; a test that changes a build
# (runs make in it, saves its notebooks) works on its own copy of it (``own_copy``). Tests that
# break a build on purpose work on a small copy of their own (``small_copy``).

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
    home: Path  # the HOME its makes ran with (an empty folder of its own), see BUILD_ENVIRONMENT
    tmp: Path | None = None  # the TMPDIR they ran with (an empty folder of its own)

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)


# The session's builds, each a copy of the project and the makes run in it:
#   built  `make reports` from cold (the default run), then `make reports-all` (the other runs);
#   again  the default run built again from scratch in another copy, by build.mk alone (each step
#          on its own, without a build server): the reproducibility test compares its bytes. It
#          makes the clean step, one analysis notebook and the summary (AGAIN_NOTEBOOKS): every
#          kind of step there is, at half the cost of the whole run.
# Each runs with a home folder of its own and without the variables that would send Jupyter's,
# IPython's, matplotlib's or the XDG folders elsewhere: a test checks that it stays empty.
AGAIN_NOTEBOOKS = ("30-sales", "90-summary")
BUILDS = {
    "built": [["reports"], ["reports-all"]],
    "again": [
        ["-f", "build.mk", "-j2", f"RUN={RUN_EN}", "REGION_SLUG=changzhi", "PERIOD_END=2022-06-30"]
        + ["REPORT_LANG=en", f"ANALYSIS_NOTEBOOKS={AGAIN_NOTEBOOKS[0]}", "run"]
    ],
}


class _SessionBuild(threading.Thread):
    """The session's BUILDS, made once for the whole session, in the background, one after the
    other. The tests that read neither run meanwhile (they run first, unless the order is
    shuffled).

    Under pytest-xdist (`make test` runs the tests in several processes) the first process to
    need them makes them, and the others wait for them: a folder every process of the session
    sees holds a lock file per build, which the builder holds until that build is done, and its
    result (a pickle of the Build, or of the error that ended it)."""

    def __init__(self, shared: Path):
        super().__init__(name="session-build", daemon=True)
        self.folder, self.process = shared / "builds", None
        self.results: dict[str, Build | BaseException] = {}
        self.done = {name: threading.Event() for name in BUILDS}
        self.lock, self.stopped = threading.Lock(), False
        self.held: dict[str, int] = {}  # the lock files of the builds not yet done (builder only)

    @classmethod
    def claim(cls, shared: Path) -> _SessionBuild | None:
        """The builder if this process is the first of the session to ask, else None. The claim
        is taken under a lock that no process holds for longer than the claim itself."""
        with _locked(shared / "session-build.claim", fcntl.LOCK_EX):
            marker = shared / "session-build.claimed"
            if marker.exists():
                return None
            build = cls(shared)
            build.folder.mkdir()
            for name in BUILDS:
                build.held[name] = os.open(shared / f"session-build.{name}.lock", os.O_RDWR | os.O_CREAT)
                fcntl.flock(build.held[name], fcntl.LOCK_EX)
            marker.write_text(f"{os.getpid()}\n")
            return build

    def run(self) -> None:
        for name, makes in BUILDS.items():
            try:
                project, home = copy_project(self.folder / name), self.folder / f"{name}-home"
                tmp = self.folder / f"{name}-tmp"
                home.mkdir()
                tmp.mkdir()
                logs = {" ".join(args): self._make(project, args, home, tmp) for args in makes}
                self.results[name] = Build(project, logs, home, tmp)
            except BaseException as error:  # noqa: BLE001  (raised in the tests that need it)
                self.results[name] = error
            finally:
                _publish(self.folder.parent / f"session-build.{name}.result", self.results.get(name))
                os.close(self.held.pop(name))  # which lets the other processes read it
                self.done[name].set()

    def _make(self, project: Path, args: list[str], home: Path, tmp: Path) -> subprocess.CompletedProcess:
        with self.lock:
            if self.stopped:
                raise RuntimeError("the test session ended first")
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", *args],
                cwd=project,
                env={
                    **_without_home_variables(os.environ),
                    "HOME": str(home),
                    "TMPDIR": str(tmp),
                    "PYTHONPATH": str(project / "src"),
                },
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


def _without_home_variables(environment) -> dict[str, str]:
    """The environment without the variables that name folders other than HOME's defaults."""
    return {k: v for k, v in environment.items() if not k.startswith(("XDG_", "JUPYTER_", "IPYTHON", "MPL"))}


@contextlib.contextmanager
def _locked(path: Path, operation: int):
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, operation)  # blocks until no other process holds it the other way
        yield
    finally:
        os.close(descriptor)


def _publish(path: Path, result: Build | BaseException | None) -> None:
    try:
        data = pickle.dumps(result)
    except Exception:  # noqa: BLE001  (an error that cannot be pickled travels as its text)
        data = pickle.dumps(RuntimeError(f"the session's build failed: {result!r}"))
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def _built_elsewhere(shared: Path, name: str) -> Build:
    """A build that another process of the session made (or is making: wait for it)."""
    with _locked(shared / "session-build.claim", fcntl.LOCK_SH):  # the claim is complete
        pass
    if not (shared / "session-build.claimed").exists():
        raise RuntimeError("no process of the session started its build")
    with _locked(shared / f"session-build.{name}.lock", fcntl.LOCK_SH):
        path = shared / f"session-build.{name}.result"
        if not path.exists():
            raise RuntimeError(f"the session's build {name!r} ended without a result (its process ended first)")
        result = pickle.loads(path.read_bytes())  # noqa: S301  (written by this session, above)
    if isinstance(result, BaseException):
        raise result
    return result


def _reads_the_build(item) -> bool:
    return bool({"built", "built_again"} & set(getattr(item, "fixturenames", ())))


def _shared_folder(tmp_path_factory) -> Path:
    """A folder every process of the session sees: the session's temporary folder, or under
    pytest-xdist the one that holds each worker's (as pytest-xdist's documentation does)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


_BUILD = pytest.StashKey[_SessionBuild | None]()
_SEED = pytest.StashKey[int]()


@pytest.fixture(scope="session", autouse=True)
def _session_build_in_the_background(request, tmp_path_factory):
    """The session's builds start with the first test, in the background, if any test reads them
    (those tests run last) and no other process of the session started them. Their builder waits
    for them at the end, since another process may still read them, unless the session ends
    first (pytest -x, ^C), which ends them."""
    build = None
    if any(_reads_the_build(item) for item in request.session.items):
        build = _SessionBuild.claim(_shared_folder(tmp_path_factory))
        if build is not None:
            build.start()
    request.config.stash[_BUILD] = build
    yield
    if build is not None:
        session = request.session
        if session.shouldstop or session.shouldfail or session.exitstatus == pytest.ExitCode.INTERRUPTED:
            build.stop()
        build.join()


def _session_build(request, tmp_path_factory, name: str) -> Build:
    build = request.config.stash[_BUILD]
    if build is not None:
        return build.result(name)
    return _built_elsewhere(_shared_folder(tmp_path_factory), name)


@pytest.fixture(scope="session")
def built(request, tmp_path_factory) -> Build:
    """The session's build of every report (BUILDS["built"]), as a user makes them: the notebooks
    under the kernel's own matplotlib backend (a test rebuilds two of them under MPLBACKEND=Agg)."""
    return _session_build(request, tmp_path_factory, "built")


@pytest.fixture(scope="session")
def built_again(request, tmp_path_factory) -> Build:
    """The default run built again from scratch in another copy (BUILDS["again"])."""
    return _session_build(request, tmp_path_factory, "again")


def own_copy(build: Build, target: Path) -> Build:
    """A copy of a session build for a test that changes it (runs make in it, rewrites its
    bytecode, saves its notebooks): the session's build stays as it was built for the tests that
    only read it, which run side by side in every process of the session. The copy keeps every
    file's times (make compares them) and the .venv symlink."""
    shutil.copytree(build.root, target, symlinks=True)
    return Build(target, build.logs, build.home, build.tmp)


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
        given = getattr(config, "workerinput", {}).get("shuffle_seed")  # under pytest-xdist, the controller's
        config.stash[_SEED] = (
            given if given is not None else random.randrange(10**6) if value == "random" else int(value)
        )
    return config.stash[_SEED]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Under pytest-xdist every worker shuffles with the controller's seed (their collections
    must be the same)."""
    seed = _shuffle_seed(node.config)
    if seed is not None:
        node.workerinput["shuffle_seed"] = seed


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
