"""Every locked package supports every supported Python, so a re-lock cannot silently drop one.

The supported Pythons are pyproject.toml's requires-python (Debian 12's 3.11.2 up to 3.13). Each
locked distribution's Requires-Python is read from the metadata installed in .venv
(importlib.metadata): offline and fast. Packages that the lock marks for other Pythons or
systems (e.g. `; python_full_version == '3.12.*'`) are not installed here and not checked;
tools/try-pythons.sh sets the project up, and runs these tests, under each Python on the machine.
A second check: everything installed in .venv is in the lock, so no package came in unpinned.
"""

from __future__ import annotations

import importlib.metadata
import platform
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import lockfiles  # noqa: E402


def supported_pythons() -> list[Version]:
    """Every release X.Y.0 to X.Y.40 of each supported minor series that requires-python admits."""
    floor, ceiling = (Version(v) for v in lockfiles.python_range())
    spec = SpecifierSet(f">={floor},<{ceiling}")
    minors = range(floor.minor, ceiling.minor)
    return [v for minor in minors for patch in range(41) if (v := Version(f"{floor.major}.{minor}.{patch}")) in spec]


def excluded(requires_python: str | None, pythons: list[Version]) -> list[Version]:
    """The supported Pythons that a distribution's Requires-Python leaves out."""
    if not requires_python:
        return []
    spec = SpecifierSet(requires_python)
    return [v for v in pythons if not spec.contains(v, prereleases=True)]


def locked_requirements() -> list[Requirement]:
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


def test_the_supported_range_runs_from_debian_12s_python_to_3_13():
    pythons = supported_pythons()
    assert pythons[0] == Version("3.11.2") and pythons[-1].release[:2] == (3, 13)
    assert Version(platform.python_version()) in SpecifierSet(f">={pythons[0]},<3.14")


def test_every_locked_distribution_supports_every_supported_python():
    pythons = supported_pythons()
    problems, checked = [], 0
    for requirement in locked_requirements():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue  # for another Python or system than this one
        (pinned,) = (s.version for s in requirement.specifier)
        try:
            distribution = importlib.metadata.distribution(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{requirement.name}=={pinned}: not installed in .venv (run 'make setup')")
            continue
        if distribution.version != pinned:
            problems.append(
                f"{requirement.name}: .venv has {distribution.version}, the lock {pinned} (run 'make setup')"
            )
            continue
        requires_python = distribution.metadata.get("Requires-Python")
        if left_out := excluded(requires_python, pythons):
            problems.append(
                f"{requirement.name}=={pinned}: Requires-Python {requires_python!r} leaves out Python "
                f"{', '.join(map(str, left_out[:3]))}{' ...' if len(left_out) > 3 else ''}"
            )
        checked += 1
    assert checked > 100
    assert not problems, "the lock drops a supported Python:\n" + "\n".join(problems)


def test_every_installed_distribution_is_locked():
    """Nothing in .venv came unpinned: the lock names every package this Python and system need."""
    locked = {lockfiles.canonical(r.name) for r in locked_requirements() if r.marker is None or r.marker.evaluate()}
    installed = {lockfiles.canonical(d.metadata["Name"]) for d in importlib.metadata.distributions()}
    assert installed - locked - {"campaign", "pip", "wheel"} == set()


def test_a_requires_python_that_leaves_out_a_supported_python_is_caught():
    pythons = supported_pythons()
    assert excluded(">=3.11.5", pythons)[0] == Version("3.11.2")  # soupsieve 3.0.2 and later
    assert Version("3.13.0") in excluded(">=3.9,<3.13", pythons)
    assert excluded(">=3.7,<=3.11", pythons)[0] == Version("3.11.2")  # <=3.11 means up to 3.11.0
    assert excluded("!=3.12.4,>=3.10", pythons) == [Version("3.12.4")]
    assert excluded(">=3.11", pythons) == excluded(None, pythons) == excluded("", pythons) == []
