"""Project hygiene: stripped notebooks, lock files in step, the README's contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:1] == ["00-clean.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS + sorted((ROOT / "notebooks").glob("*/*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: a code cell has outputs"
            assert cell.get("execution_count") is None, f"{path.name}: a code cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_have_a_parameters_cell_first(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code_cells[0].get("metadata", {}).get("tags", [])


def test_environment_yml_and_lock_agree():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lockfiles.py"), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_lock_drift_is_detected(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    import lockfiles

    for name in ("pyproject.toml", "requirements.lock", "environment.yml"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    env = tmp_path / "environment.yml"
    env.write_text(env.read_text().replace("  - pandas==", "  - pandas==0.0.1+"))
    monkeypatch.setattr(lockfiles, "ROOT", tmp_path)
    assert any(d.startswith("pandas: environment.yml has 0.0.1+") for d in lockfiles.differences())


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make reports" in head and "make test" in head
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
