"""Runs: every region offered is a region that builds. The figures in these tests are invented
(region, period end, indicator) triples unless they are read from the project's data/raw/."""

from __future__ import annotations

import csv

import pytest
from conftest import DATA

from campaign.core.registers import Registers
from campaign.core.runs import report_runs, resolve_run
from campaign.dataset.runindex import run_index


@pytest.fixture(scope="module")
def registers() -> Registers:
    return Registers.load(DATA)


def test_every_region_in_the_register_resolves_to_a_run_or_says_in_one_line_why_not(registers):
    figures = run_index(DATA).figures()
    runs = report_runs(registers, figures)
    listed = ", ".join(f"{registers.regions[s].name_zh} ({s}) {p}" for s, p in runs)
    with open(DATA / "regions.csv", encoding="utf-8") as file:
        regions = list(csv.DictReader(file))
    assert len(regions) >= 5
    for row in regions:
        for name in (row["name_zh"], row["slug"]):
            try:
                run = resolve_run(registers, figures, name)
            except ValueError as error:
                message = str(error)
                assert "\n" not in message and message.endswith(f"; runs: {listed}"), message
                assert message.startswith(f"{row['name_zh']} ({row['slug']}) holds only "), message
            else:
                assert (run.region.slug, run.period_end) in runs


def test_the_project_has_runs_for_changzhi_and_datong_only(registers):
    runs = report_runs(registers, run_index(DATA).figures())
    assert runs == [("changzhi", "2022-06-30"), ("datong", "2022-08-31")]


def test_a_benchmark_region_is_told_what_it_holds_and_which_runs_exist(registers):
    figures = [
        ("china", "2022-12-31", "employed_labourers"),
        ("china", "2022-12-31", "net_income_per_person"),
        ("china", "2021-12-31", "net_income_per_person"),
        ("changzhi", "2022-06-30", "employed_labourers"),
    ]
    with pytest.raises(ValueError) as raised:
        resolve_run(registers, figures, "中国")
    assert str(raised.value) == (
        "中国 (china) holds only benchmark figures (employment of labourers from poverty-alleviated "
        "households, context indicators; period ends 2021-12-31, 2022-12-31), which the reports compare "
        "against: it has no report of its own; runs: 长治市 (changzhi) 2022-06-30"
    )
    with pytest.raises(ValueError, match=r"^阳泉市 \(yangquan\) holds only benchmark figures \(context indicators;"):
        resolve_run(registers, [*figures, ("yangquan", "2022-12-31", "net_income_per_person")], "yangquan")
    with pytest.raises(
        ValueError, match=r"^大同市 \(datong\) has no figures in data/raw/, so it has no report; runs: "
    ):
        resolve_run(registers, figures, "大同市")


def test_an_unknown_region_is_offered_only_regions_with_a_run(registers):
    figures = [("china", "2022-12-31", "employed_labourers"), ("datong", "2022-08-31", "microcredit_amount")]
    with pytest.raises(ValueError) as raised:
        resolve_run(registers, figures, "Taiyuan")
    assert str(raised.value) == "unknown region 'Taiyuan'; valid regions: 大同市 (datong)"


def test_a_period_with_benchmark_figures_only_is_not_a_run(registers):
    figures = [
        ("changzhi", "2022-06-30", "employed_labourers"),
        ("changzhi", "2022-12-31", "net_income_per_person"),  # a context figure only
    ]
    assert resolve_run(registers, figures, "changzhi").period_end == "2022-06-30"  # the latest run, not 12-31
    with pytest.raises(ValueError, match=r"at period end 2022-12-31; reported period ends: 2022-06-30$"):
        resolve_run(registers, figures, "changzhi", "2022-12-31")


def test_the_run_index_keeps_the_registers_as_they_were_loaded(registers):
    """The run index stores the registers as plain data; read back they are the same objects
    (a population, a glossary term and an indicator's aliases of the same types)."""
    again = Registers.from_snapshot(registers.data_dir, registers.snapshot())
    assert again.indicators == registers.indicators
    assert again.campaign == registers.campaign
    assert again.indicators["microcredit_households"].population_for("changzhi").name_zh == "脱贫户和监测户"
    assert again.campaign.glossary and again.campaign.glossary == registers.campaign.glossary
