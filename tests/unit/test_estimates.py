"""Derived figures checked against what a careful analyst computes from the seed article."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from campaign.core.estimates import Estimate, ahead_of_calendar, growth, implied_last_year, implied_target, year_elapsed
from campaign.dataset.clean import clean
from campaign.dataset.processed import Derived, Figures

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def outputs():
    return clean(DATA)


@pytest.fixture(scope="module")
def changzhi(outputs):
    return Derived(outputs.derived, "changzhi", "2022-06-30")


def test_interval_arithmetic_takes_the_widest_corners():
    a, b = Estimate(10, 9, 11), Estimate(2, 1, 4)
    assert (a / b) == Estimate(5, 9 / 4, 11)
    assert (a - b) == Estimate(8, 5, 10)
    assert (a * b) == Estimate(20, 9, 44)
    with pytest.raises(ZeroDivisionError):
        a / Estimate(0, -1, 1)


def test_implied_last_year_employment_is_about_99_5_thousand(changzhi):
    last_year = changzhi["employed_labourers_last_year"]
    assert last_year.value == pytest.approx(104731 / 1.0528)
    assert 99_470 < last_year.lower < last_year.value < last_year.upper < 99_490
    assert round(last_year.value, -2) == 99_500
    assert last_year.lower == pytest.approx(104731 / 1.05285) and last_year.upper == pytest.approx(104731 / 1.05275)


def test_in_province_split_is_derived(changzhi):
    assert changzhi["employed_in_province"].value == 104731 - 17599
    in_last = changzhi["employed_in_province_last_year"]
    assert in_last.value == pytest.approx(104731 / 1.0528 - 17599 / 1.1404)
    growth_in = changzhi["employed_in_province_growth"]
    assert growth_in.value == pytest.approx(87132 / in_last.value - 1)
    assert growth_in.lower < growth_in.value < growth_in.upper
    # out-of-province share rose: 16.8% this year against 15.5% last year
    assert changzhi["employed_out_of_province_share"].value == pytest.approx(17599 / 104731)
    assert changzhi["employed_out_of_province_share_last_year"].value == pytest.approx(
        (17599 / 1.1404) / (104731 / 1.0528)
    )


def test_average_microcredit_is_just_under_the_50000_ceiling(changzhi):
    average = changzhi["average_loan_per_household"]
    assert average.value == pytest.approx(2.58e8 / 5170)
    assert 49_800 < average.value < 50_000
    assert average.upper == pytest.approx(2.585e8 / 5170)


def test_implied_microcredit_targets(changzhi):
    assert changzhi["microcredit_amount_target_100day"].value == pytest.approx(2.58e8 / 1.219)
    annual = changzhi["microcredit_amount_target_annual"]
    assert annual.value == pytest.approx(2.58e8 / 0.607)
    assert annual.lower == pytest.approx(2.575e8 / 0.6075) and annual.upper == pytest.approx(2.585e8 / 0.6065)


def test_time_progress_counts_months_as_bulletins_do():
    assert year_elapsed("2022-06-30").value == 0.5  # 时间过半
    assert year_elapsed("2022-08-31").value == pytest.approx(8 / 12)
    assert year_elapsed(dt.date(2024, 12, 31)).value == 1.0
    assert year_elapsed("2024-02-29").value == pytest.approx(2 / 12)  # a leap February ends on the 29th
    assert year_elapsed("2022-06-15").value == pytest.approx((5 + 15 / 30) / 12)


def test_microcredit_runs_ahead_of_the_calendar(changzhi):
    assert changzhi["microcredit_annual_completion_ahead"].value == pytest.approx(0.607 - 0.5)
    assert ahead_of_calendar(Estimate.exact(0.4), year_elapsed("2022-06-30")).value < 0


def test_sales_channel_shares_add_to_one(changzhi):
    shares = [changzhi[f"{c}_share"] for c in ("sales_stocked_produce", "sales_orders", "sales_exhibitions")]
    assert sum(s.value for s in shares) == pytest.approx(1.0, abs=1e-12)
    assert shares[1].value == pytest.approx(7222.6 / 9843.63)


def test_per_unit_averages(changzhi):
    assert changzhi["person_times_per_training_session"].value == pytest.approx(23000 / 279)
    assert changzhi["reach_per_publicity_event"].value == pytest.approx(659000 / 3393)
    assert changzhi["linkage_funds_per_planned_project"].value == pytest.approx(11.33e8 / 1766)


def test_functions_match_the_seed_figures(outputs):
    figures = Figures(outputs.observations, "changzhi", "2022-06-30")
    assert growth(figures["employed_out_of_province_vs_last_year"]).value == pytest.approx(0.1404)
    assert implied_last_year(
        figures["employed_out_of_province"], figures["employed_out_of_province_vs_last_year"]
    ).value == pytest.approx(15432.3, abs=0.1)
    assert implied_target(
        figures["microcredit_amount"], figures["microcredit_100day_completion"]
    ).value == pytest.approx(2.1165e8, rel=1e-4)


def test_region_with_microcredit_only_derives_only_what_it_supports(outputs):
    datong = Derived(outputs.derived, "datong", "2022-08-31")
    assert datong.has("average_loan_per_household") and datong.has("microcredit_amount_target_annual")
    assert not datong.has("employed_labourers_last_year")
    # Datong: 102% of the annual target by day 243 of 365
    assert datong["microcredit_annual_completion_ahead"].value == pytest.approx(1.02 - 8 / 12)
