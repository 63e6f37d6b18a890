"""Numbers as readers of each language expect them."""

from __future__ import annotations

import pytest

from campaign.metrics import Estimate
from campaign.tables import format_estimate, format_range, format_value


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        (104731, "persons", "10.47万人", "104,731"),
        (2.58e8, "yuan", "2.58亿元", "CNY 258 million"),
        (11.33e8, "yuan", "11.33亿元", "CNY 1.13 billion"),
        (98436300, "yuan", "9843.63万元", "CNY 98.4 million"),
        (3.09e6, "yuan", "309万元", "CNY 3.09 million"),
        (49903.29, "yuan", "4.99万元", "CNY 49,903"),
        (5170, "households", "5170户", "5,170 households"),
        (23000, "person_times", "2.3万人次", "23,000 person-times"),
        (279, "sessions", "279期", "279 sessions"),
        (1.0528, "ratio", "105.28%", "105.28%"),
        (0.607, "ratio", "60.7%", "60.7%"),
        (1.0, "ratio", "100%", "100%"),
    ],
)
def test_format_value_in_each_language(value, unit, zh, en):
    assert format_value(value, unit, "zh") == zh
    assert format_value(value, unit, "en") == en


def test_missing_value_reads_not_reported():
    assert format_value(None, "yuan", "en") == "not reported"
    assert format_value(float("nan"), "persons", "zh") == "未报告"


def test_interval_is_shown_only_where_it_is_wider_than_the_rounding():
    assert format_estimate(Estimate(2.58e8, 2.575e8, 2.585e8), "yuan", "zh") == "2.58亿元"
    assert format_estimate(Estimate(2.116e8, 2.1115e8, 2.1215e8), "yuan", "zh") == "2.12亿元（区间 2.11亿元–2.12亿元）"
    assert format_estimate(Estimate(2.116e8, 2.1115e8, 2.1215e8), "yuan", "en") == (
        "CNY 212 million (range CNY 211 million–CNY 212 million)"
    )
    assert format_estimate(Estimate.exact(5170), "households", "en") == "5,170 households"
    assert format_range(Estimate(99478.6, 99473.9, 99483.3), "persons", "en") == "99,479 (99,474–99,483)"
    assert format_range(Estimate(99478.6, 99473.9, 99483.3), "persons", "zh") == "99479人（99474人–99483人）"
