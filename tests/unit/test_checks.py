"""Each consistency rule, with one passing and one failing case.

The failing cases use invented figures (written here, not taken from any source)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_raw

from campaign.core.registers import Registers
from campaign.dataset.checks import run_checks
from campaign.dataset.clean import clean

SEED = "seed-changzhi-2022-09-05"


def findings(data_dir: Path, rows: list[str], ceiling: float = 50_000.0):
    write_raw(data_dir, "invented.csv", [r.format(seed=SEED) for r in rows])
    observations = clean(data_dir).observations
    quality = run_checks(observations, Registers.load(data_dir), ceiling)
    return {(q.rule, q.subject): q.status for q in quality.itertuples(index=False)}


CHANNELS = "consumption_assistance_total = sales_stocked_produce + sales_orders + sales_exhibitions"


@pytest.mark.parametrize(("total", "expected"), [("9843.63万元", "pass"), ("9900万元", "fail")])
def test_sales_channels_add_up_to_the_total(registers_dir, total, expected):
    status = findings(
        registers_dir,
        [
            "长治市,2022-06-30,sales_stocked_produce,2312.03万元,{seed},p7,",
            "长治市,2022-06-30,sales_orders,7222.6万元,{seed},p7,",
            "长治市,2022-06-30,sales_exhibitions,309万元,{seed},p7,",
            f"长治市,2022-06-30,consumption_assistance_total,{total},{{seed}},p7,",
        ],
    )
    assert status[("parts_add_up", CHANNELS)] == expected


def test_rounding_within_printed_precision_still_adds_up(registers_dir):
    # invented: parts printed to 0.1万 whose exact sum is 1.5万 off the 2-decimals total by rounding only
    status = findings(
        registers_dir,
        [
            "长治市,2022-06-30,sales_stocked_produce,1.2万元,{seed},p7,",
            "长治市,2022-06-30,sales_orders,1.2万元,{seed},p7,",
            "长治市,2022-06-30,sales_exhibitions,1.2万元,{seed},p7,",
            "长治市,2022-06-30,consumption_assistance_total,3.73万元,{seed},p7,",
        ],
    )
    assert status[("parts_add_up", CHANNELS)] == "pass"


def test_missing_channel_is_a_warning_not_a_pass(registers_dir):
    status = findings(
        registers_dir,
        [
            "长治市,2022-06-30,sales_orders,7222.6万元,{seed},p7,",
            "长治市,2022-06-30,consumption_assistance_total,9843.63万元,{seed},p7,",
        ],
    )
    assert status[("parts_add_up", CHANNELS)] == "warn"


@pytest.mark.parametrize(
    ("started", "planned", "bank", "started_ok", "planned_ok"),
    [
        ("1766个", "1766个", "3344个", "pass", "pass"),
        ("1800个", "1766个", "3344个", "fail", "pass"),
        ("1766个", "3500个", "3344个", "pass", "fail"),
    ],
)
def test_started_within_planned_within_project_bank(registers_dir, started, planned, bank, started_ok, planned_ok):
    status = findings(
        registers_dir,
        [
            f"长治市,2022-06-30,projects_in_bank,{bank},{{seed}},p4,",
            f"长治市,2022-06-30,projects_planned,{planned},{{seed}},p4,",
            f"长治市,2022-06-30,projects_started,{started},{{seed}},p4,",
        ],
    )
    assert status[("part_within_whole", "projects_started <= projects_planned")] == started_ok
    assert status[("part_within_whole", "projects_planned <= projects_in_bank")] == planned_ok


@pytest.mark.parametrize(
    ("amount", "ceiling", "expected"),
    [
        ("2.58亿元", 50_000, "pass"),  # the seed: 49,903 yuan per household
        ("2.60亿元", 50_000, "fail"),  # invented: 50,290 yuan per household
        ("2.5亿元", 50_000, "pass"),
        ("2.58亿元", 40_000, "fail"),  # a lower ceiling given as a parameter
    ],
)
def test_average_loan_within_ceiling(registers_dir, amount, ceiling, expected):
    status = findings(
        registers_dir,
        [
            f"长治市,2022-06-30,microcredit_amount,{amount},{{seed}},p5,",
            "长治市,2022-06-30,microcredit_households,5170户,{seed},p5,",
        ],
        ceiling=ceiling,
    )
    assert status[("average_loan_within_ceiling", "microcredit_amount / microcredit_households")] == expected


def test_average_loan_that_the_precision_cannot_place_is_a_warning(registers_dir):
    # invented: 2.6亿 over 5200 households is 50,000 exactly, with an interval on both sides
    status = findings(
        registers_dir,
        [
            "长治市,2022-06-30,microcredit_amount,2.6亿元,{seed},p5,",
            "长治市,2022-06-30,microcredit_households,5200户,{seed},p5,",
        ],
    )
    assert status[("average_loan_within_ceiling", "microcredit_amount / microcredit_households")] == "warn"


# A negative coverage never gets this far: the clean step rejects it (tests/test_hostile_input.py).
@pytest.mark.parametrize(("coverage", "expected"), [("100%", "pass"), ("0%", "pass"), ("104%", "fail")])
def test_shares_and_coverage_within_0_100(registers_dir, coverage, expected):
    status = findings(registers_dir, [f"长治市,2022-06-30,cadre_training_coverage,{coverage},{{seed}},p6,"])
    assert status[("share_within_0_100", "cadre_training_coverage")] == expected


def test_project_data_passes_every_rule():
    quality = clean(Path(__file__).resolve().parents[2] / "data").quality
    assert set(quality["status"]) == {"pass"}
    assert {
        "parts_add_up",
        "part_within_whole",
        "average_loan_within_ceiling",
        "share_within_0_100",
        "raw_schema",
    } <= set(quality["rule"])
