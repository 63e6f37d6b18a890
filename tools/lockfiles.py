"""Keep environment.yml in step with requirements.lock: the same direct packages, same versions.

Usage: python tools/lockfiles.py write   # rewrite environment.yml from the lock
       python tools/lockfiles.py check   # exit 1 and list the differences if they drift apart
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
    return problems


def write_environment() -> None:
    locked = locked_versions()
    lines = [
        "# Conda environment with the same direct dependencies and versions as requirements.lock",
        "# (written by 'python tools/lockfiles.py write'; tests/test_environment.py checks they agree).",
        "# The Makefile does not use it: 'make' installs requirements.lock into .venv.",
        "name: campaign",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        *(f"  - {name}=={locked[name]}" for name in sorted(direct_dependencies())),
        "  - pip",
        "  - pip:",
        "      - --editable .",
        "",
    ]
    (ROOT / "environment.yml").write_text("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1:] == ["write"]:
        write_environment()
    elif sys.argv[1:] == ["check"]:
        found = differences()
        print("\n".join(found) or "environment.yml and requirements.lock agree")
        sys.exit(1 if found else 0)
    else:
        sys.exit(__doc__)
