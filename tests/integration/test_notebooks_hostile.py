"""Notebooks with hostile data (issue 9): a failed consistency rule reaches the summary, and no
notebook stops on it. The data is the project's own with one figure changed (invented)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import inconsistent_sales

from campaign.dataset.clean import clean


@pytest.mark.notebook
def test_notebooks_run_through_when_a_consistency_rule_fails(data_dir, tmp_path):
    import papermill as pm

    from campaign.dataset.clean import write_outputs

    inconsistent_sales(data_dir)
    write_outputs(clean(data_dir), data_dir / "processed")
    root = Path(__file__).resolve().parents[2]
    for notebook in ("30-sales", "90-summary"):
        pm.execute_notebook(
            root / "notebooks" / f"{notebook}.ipynb",
            tmp_path / f"{notebook}.ipynb",
            cwd=root / "notebooks",
            parameters={"data_dir": str(data_dir), "reports_dir": str(tmp_path / "reports")},
            progress_bar=False,
        )
    summary = (tmp_path / "90-summary.ipynb").read_text(encoding="utf-8")
    assert "Some consistency checks did not pass" in summary and "parts_add_up" not in summary
