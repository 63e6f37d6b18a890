"""A comparison region's run: only the notebook its figures support, and only its sections.

Changzhi's notebooks run in the end-to-end build (test_build.py); this covers Datong, whose one
source is a microcredit article."""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

from campaign.params import run_notebooks
from campaign.registers import Registers

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.notebook


def test_a_comparison_region_builds_only_the_notebooks_it_has_figures_for(processed_data):
    registers = Registers.load(processed_data)
    figures = [("datong", "2022-08-31", "microcredit_amount"), ("changzhi", "2022-06-30", "sales_orders")]
    assert run_notebooks(registers, figures, "datong", "2022-08-31") == ["20-funding"]
    assert run_notebooks(registers, figures, "changzhi", "2022-06-30") == [
        "10-employment",
        "20-funding",
        "30-sales",
        "40-training-policy",
    ]


def test_comparison_run_shows_microcredit_and_no_project_section(processed_data, tmp_path, monkeypatch):
    from campaign.export import ShareableHTMLExporter

    # a server's or CI's backend, under which a displayed Figure object would show nothing
    monkeypatch.setenv("MPLBACKEND", "Agg")
    reports = tmp_path / "reports"
    executed = tmp_path / "20-funding.ipynb"
    pm.execute_notebook(
        ROOT / "notebooks" / "20-funding.ipynb",
        executed,
        cwd=ROOT / "notebooks",
        parameters={"region": "大同市", "lang": "en", "data_dir": str(processed_data), "reports_dir": str(reports)},
        progress_bar=False,
    )
    folder = reports / "figures" / "datong-2022-08-31-en"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.{ext}"
        for name in ("microcredit-target-completion", "microcredit-average-loan-vs-benchmarks")
        for ext in ("png", "svg")
    )
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    images = [o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 2, "both figures are embedded whatever the backend"
    html, _ = ShareableHTMLExporter().from_notebook_node(notebook)
    assert "Comparison run:" in html and "Datong" in html
    assert "Assistance projects and linkage funds" not in html  # its source has no project figures
    assert "小额信贷" not in html.split("<body")[1].split("Datong (大同市)")[0]  # no Chinese heading cell
    assert "gave no figures" not in html
