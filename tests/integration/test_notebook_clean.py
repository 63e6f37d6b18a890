"""00-clean writes the three processed files (as the session's build ran it), and stops on bad raw
data (run here under papermill on a temporary data folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from campaign.dataset.processed import read_observations

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.notebook


@pytest.mark.e2e
def test_clean_notebook_writes_processed_files(built):
    # the clean step of the session's build (`make reports`): notebooks/00-clean.ipynb under papermill
    processed = built.path("data", "processed")
    assert sorted(p.name for p in processed.iterdir() if p.name != ".gitkeep") == [
        "derived.csv",
        "index.sqlite",  # what campaign run-id reads (campaign.dataset.runindex)
        "observations.csv",
        "quality.csv",
    ]
    observations = read_observations(processed / "observations.csv")
    assert len(observations) == sum(
        len(p.read_text(encoding="utf-8").strip().splitlines()) - 1 for p in built.path("data", "raw").glob("*.csv")
    )
    text = built.path("reports", "executed", "00-clean.ipynb").read_text(encoding="utf-8")
    assert "The raw files hold" in text and "quality checks gave" in text


def test_clean_notebook_stops_on_bad_raw_data_with_the_cell_and_line(data_dir, tmp_path):
    # invented bad row
    (data_dir / "raw" / "zz-bad.csv").write_text(
        "region,period_end,indicator,printed,source_id,locator,note\n"
        "长治市,2022-04-30,employed_labourers,lots,seed-changzhi-2022-09-05,p1,\n",
        encoding="utf-8",
    )
    with pytest.raises(pm.PapermillExecutionError) as caught:
        pm.execute_notebook(
            ROOT / "notebooks" / "00-clean.ipynb",
            tmp_path / "out.ipynb",
            cwd=ROOT / "notebooks",
            parameters={"data_dir": str(data_dir)},
            progress_bar=False,
        )
    assert "zz-bad.csv, line 2, column 'printed': 'lots'" in str(caught.value)
    assert list((data_dir / "processed").iterdir()) == []
    shutil.rmtree(data_dir / "processed")


def test_the_exploratory_starter_runs_on_the_processed_data(processed_data, tmp_path):
    # notebooks/exploratory/ is the analyst's own corner: make never builds it, so a test runs it
    import shutil

    folder = tmp_path / "project"
    shutil.copytree(processed_data, folder / "data")
    (folder / "notebooks" / "exploratory").mkdir(parents=True)
    out = tmp_path / "starter.ipynb"
    pm.execute_notebook(
        ROOT / "notebooks" / "exploratory" / "starter.ipynb",
        out,
        cwd=folder / "notebooks" / "exploratory",
        progress_bar=False,
    )
    images = [
        o
        for c in nbformat.read(out, as_version=4).cells
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    assert len(images) == 1
