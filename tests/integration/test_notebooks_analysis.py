"""A comparison region's run: only the notebook its figures support, and only its sections.

Changzhi's notebooks are checked in the end-to-end build (test_build.py); this covers Datong, whose
one source is a microcredit article. Its run is part of the session's build (`make reports-all`,
the `built` fixture)."""

from __future__ import annotations

import nbformat
import pytest

from campaign.core.registers import Registers
from campaign.core.runs import run_notebooks

RUN_DATONG = "datong-2022-08-31-en"


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


@pytest.mark.e2e
def test_comparison_run_shows_microcredit_and_no_project_section(built):
    folder = built.path("reports", "figures", RUN_DATONG)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.{ext}"
        for name in ("microcredit-target-completion", "microcredit-average-loan-vs-benchmarks")
        for ext in ("png", "svg")
    )
    assert sorted(p.name for p in built.path("reports", "executed", RUN_DATONG).glob("*.ipynb")) == [
        "20-funding.ipynb",
        "90-summary.ipynb",
    ]
    notebook = nbformat.read(built.path("reports", "executed", RUN_DATONG, "20-funding.ipynb"), as_version=4)
    images = [o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 2, "both figures are embedded"
    html = built.path("reports", "html", RUN_DATONG, "20-funding.html").read_text(encoding="utf-8")
    assert "is here for comparison" in html and "Datong" in html
    assert "Assistance projects and linkage funds" not in html  # its source has no project figures
    assert "小额信贷" not in html.split("<body")[1].split("Datong (大同市)")[0]  # no Chinese heading cell
    assert "gave no figures" not in html
