"""Each analysis notebook runs under papermill for Changzhi (English, Chinese) and Datong."""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.notebook

EXPECTED_FIGURES = {
    "10-employment": ["employment-this-year-vs-last-year", "employment-growth-vs-national"],
    "20-funding": [
        "projects-pipeline-funnel",
        "microcredit-target-completion",
        "microcredit-average-loan-vs-benchmarks",
    ],
    "30-sales": ["sales-channel-composition"],
    "40-training-policy": ["training-reach-per-session-and-event"],
}
DATONG_FIGURES = {"20-funding": ["microcredit-target-completion", "microcredit-average-loan-vs-benchmarks"]}
RUNS = [
    ("长治市", "en", "changzhi-2022-06-30-en"),
    ("长治市", "zh", "changzhi-2022-06-30-zh"),
    ("大同市", "en", "datong-2022-08-31-en"),
]


@pytest.mark.parametrize("notebook", sorted(EXPECTED_FIGURES))
@pytest.mark.parametrize(("region", "lang", "run"), RUNS, ids=[r[2] for r in RUNS])
def test_notebook_runs_and_saves_its_figures(processed_data, tmp_path, notebook, region, lang, run):
    reports = tmp_path / "reports"
    executed = tmp_path / f"{notebook}.ipynb"
    pm.execute_notebook(
        ROOT / "notebooks" / f"{notebook}.ipynb",
        executed,
        cwd=ROOT / "notebooks",
        parameters={"region": region, "lang": lang, "data_dir": str(processed_data), "reports_dir": str(reports)},
        progress_bar=False,
    )
    expected = (DATONG_FIGURES if run.startswith("datong") else EXPECTED_FIGURES).get(notebook, [])
    folder = reports / "figures" / run
    saved = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert saved == sorted(f"{name}.{ext}" for name in expected for ext in ("png", "svg"))
    for name in saved:
        assert (folder / name).stat().st_size > 2000
    text = executed.read_text(encoding="utf-8")
    if run.startswith("datong") and notebook != "20-funding":
        assert "not reported" in text.lower()
    if lang == "zh":
        assert "## 结论" in text or "## “+1”" in text
