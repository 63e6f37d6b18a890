"""The lock files: requirements.lock (every package, exact versions) and environment.yml (conda).

Usage: python tools/lockfiles.py lock    # re-resolve requirements.lock, then write environment.yml ('make lock')
       python tools/lockfiles.py write   # rewrite environment.yml from the lock
       python tools/lockfiles.py check   # exit 1 and list the differences if they drift apart

The lock holds for every Python in pyproject.toml's requires-python (Debian 12's 3.11.2 up to
3.13): uv resolves it once for all of them ("universal"), for the oldest of them, preferring one
version of each package for every Python (--fork-strategy fewest). A package that only some
Pythons or systems need carries an environment marker (e.g. `; python_full_version == '3.12.*'`),
which pip evaluates when it installs the lock. uv runs from a throwaway virtual environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UV = "uv==0.13.9"  # the resolver, installed only for 'make lock'
LOCK_HEADER = [
    "# Exact versions installed by 'make' into .venv, for every supported Python (regenerate with 'make lock').",
    "# environment.yml lists the direct dependencies at these same versions; tests/test_repository.py checks it.",
]
# Direct dependencies that environment.yml installs with pip from PyPI rather than from conda-forge.
PIP_ONLY = {"cn2an", "defusedcsv", "opencc", "pypinyin"}


def python_range() -> tuple[str, str]:
    """The oldest supported Python and the first unsupported one, from requires-python ">=A,<B"."""
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    match = re.fullmatch(r">=\s*([\d.]+)\s*,\s*<\s*([\d.]+)", spec.strip())
    if not match:
        sys.exit(f"pyproject.toml: requires-python must read '>=X.Y.Z,<X.Y' (found {spec!r})")
    return match[1], match[2]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    return [canonical(re.split(r"[<>=!~\[; ]", n, maxsplit=1)[0]) for n in names]


def locked_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonical(name)] = version.split(";")[0].strip()
    return pins


def environment_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"^\s+-\s+([A-Za-z0-9_.-]+)\s*==\s*([^\s#]+)", line)
        if match:
            pins[canonical(match[1])] = match[2]
    return pins


def differences() -> list[str]:
    locked, env = locked_versions(), environment_versions()
    problems = []
    for name in direct_dependencies():
        if name not in locked:
            problems.append(f"{name}: a direct dependency missing from requirements.lock")
        elif name not in env:
            problems.append(f"{name}: in requirements.lock ({locked[name]}) but missing from environment.yml")
        elif env[name] != locked[name]:
            problems.append(f"{name}: environment.yml has {env[name]}, requirements.lock has {locked[name]}")
    for name in env:
        if name not in locked and name != "python":
            problems.append(f"{name}: in environment.yml but not in requirements.lock")
    floor, ceiling = python_range()
    if f"  - python>={floor},<{ceiling}" not in (ROOT / "environment.yml").read_text().splitlines():
        problems.append(
            f"environment.yml does not ask for python>={floor},<{ceiling} (pyproject.toml's requires-python)"
        )
    return problems


def write_environment() -> None:
    locked = locked_versions()
    floor, ceiling = python_range()
    direct = sorted(direct_dependencies())
    lines = [
        "# Conda environment with the same direct dependencies and versions as requirements.lock",
        "# (written by 'python tools/lockfiles.py write'; tests/test_repository.py checks they agree).",
        "# The Makefile does not use it: 'make' installs requirements.lock into .venv.",
        "name: campaign",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python>={floor},<{ceiling}",
        *(f"  - {name}=={locked[name]}" for name in direct if name not in PIP_ONLY),
        "  - pip",
        "  - pip:",
        *(f"      - {name}=={locked[name]}" for name in direct if name in PIP_ONLY),
        "      - --editable .",
        "",
    ]
    (ROOT / "environment.yml").write_text("\n".join(lines))


def lock() -> None:
    """Re-resolve requirements.lock for every supported Python, keeping today's pins where they
    still fit (delete requirements.lock first to move every package to its newest version),
    then rewrite environment.yml."""
    floor, _ = python_range()
    build_requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    with tempfile.TemporaryDirectory(prefix="campaign-lock.") as tmp:
        tmp = Path(tmp)
        venv.create(tmp / "venv", with_pip=True)
        quiet = {"stdout": subprocess.DEVNULL}
        pip = [str(tmp / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, UV], check=True, **quiet)
        # setuptools is installed from the lock too: 'make' installs the project without build isolation.
        (tmp / "build.in").write_text("\n".join(build_requires) + "\n")
        compiled = tmp / "requirements.txt"
        # uv keeps the versions an existing output file pins where they still fit: a new
        # dependency adds its own packages without moving every other pin.
        compiled.write_text((ROOT / "requirements.lock").read_text())
        subprocess.run(
            [
                str(tmp / "venv" / "bin" / "uv"),
                "pip",
                "compile",
                "--quiet",
                "--no-config",
                "--universal",
                f"--python-version={floor}",
                "--fork-strategy=fewest",
                "--all-extras",
                "--no-header",
                "--no-annotate",
                f"--output-file={compiled}",
                str(ROOT / "pyproject.toml"),
                str(tmp / "build.in"),
            ],
            check=True,
            cwd=ROOT,
            env={**os.environ, "UV_CACHE_DIR": str(tmp / "cache")},
        )
        pins = [line for line in compiled.read_text().splitlines() if line and not line.startswith("#")]
    (ROOT / "requirements.lock").write_text("\n".join([*LOCK_HEADER, *pins]) + "\n")
    write_environment()
    print(f"lock: requirements.lock ({len(pins)} packages, Python {floor} and newer) and environment.yml written")


if __name__ == "__main__":
    if sys.argv[1:] == ["lock"]:
        lock()
    elif sys.argv[1:] == ["write"]:
        write_environment()
    elif sys.argv[1:] == ["check"]:
        found = differences()
        print("\n".join(found) or "environment.yml and requirements.lock agree")
        sys.exit(1 if found else 0)
    else:
        sys.exit(__doc__)
