"""The parser of printed quantities, one value at a time and column-wise."""

from __future__ import annotations

import pandas as pd
import pytest

from campaign.core.quantities import QuantityColumnParseError, QuantityParseError, parse_quantity, shared_rank
from campaign.core.quantity_columns import parse_quantities


@pytest.mark.parametrize(
    ("printed", "value", "unit", "lower", "upper", "approximate"),
    [
        # the seed article's figures
        ("104731人", 104731, "persons", 104731, 104731, False),
        ("11.33亿元", 11.33e8, "yuan", 11.325e8, 11.335e8, False),
        ("2.58亿元", 2.58e8, "yuan", 2.575e8, 2.585e8, False),
        ("2.3万人次", 23000, "person_times", 22500, 23500, False),
        ("105.28%", 1.0528, "ratio", 1.05275, 1.05285, False),
        ("2850名", 2850, "persons", 2850, 2850, False),
        ("5170户", 5170, "households", 5170, 5170, False),
        ("3344个", 3344, "items", 3344, 3344, False),
        ("279期", 279, "sessions", 279, 279, False),
        ("3393次", 3393, "times", 3393, 3393, False),
        ("309万元", 3.09e6, "yuan", 3.085e6, 3.095e6, False),
        ("9843.63万元", 98436300, "yuan", 98436250, 98436350, False),
        ("100%", 1.0, "ratio", 0.995, 1.005, False),
        # what other reports print
        ("约2.3万人次", 23000, "person_times", 22500, 23500, True),
        ("近3000户", 3000, "households", 3000, 3000, True),
        ("超过5000户", 5000, "households", 5000, 5000, True),
        ("1万余人", 10000, "persons", 5000, 15000, True),
        ("3000多户", 3000, "households", 3000, 3000, True),
        ("2万人左右", 20000, "persons", 15000, 25000, True),
        ("3.5萬元", 35000, "yuan", 34500, 35500, False),
        ("1.2億元", 1.2e8, "yuan", 1.15e8, 1.25e8, False),
        ("3,344个", 3344, "items", 3344, 3344, False),
        ("１０４７３１人", 104731, "persons", 104731, 104731, False),
        ("１０５．２８％", 1.0528, "ratio", 1.05275, 1.05285, False),
        (" 2.58 亿元 ", 2.58e8, "yuan", 2.575e8, 2.585e8, False),
        ("2.58\u3000亿元", 2.58e8, "yuan", 2.575e8, 2.585e8, False),
        ("三千三百四十四个", 3344, "items", 3344, 3344, False),
        ("两万零五十人", 20050, "persons", 20050, 20050, False),
        ("十二期", 12, "sessions", 12, 12, False),
        ("一亿二千万元", 1.2e8, "yuan", 1.2e8, 1.2e8, False),
        ("-1.5%", -0.015, "ratio", -0.0155, -0.0145, False),
        ("1.5千万元", 1.5e7, "yuan", 1.45e7, 1.55e7, False),
        ("3十万人次", 3e5, "person_times", 2.5e5, 3.5e5, False),
    ],
)
def test_parse_quantity_reads_printed_figures(printed, value, unit, lower, upper, approximate):
    quantity = parse_quantity(printed)
    assert quantity.value == pytest.approx(value, rel=1e-12)
    assert quantity.unit == unit
    assert quantity.lower == pytest.approx(lower, rel=1e-12)
    assert quantity.upper == pytest.approx(upper, rel=1e-12)
    assert quantity.approximate is approximate


def test_values_carry_no_binary_noise():
    # 9843.63 * 1e4 is 98436299.99999999 in floating point; the parser snaps to what was printed.
    assert parse_quantity("9843.63万元").value == 98436300.0
    assert parse_quantity("105.28%").value == 1.0528


@pytest.mark.parametrize(
    "printed",
    ["", "   ", "abc", "104731", "人", "1.2.3万元", "5万%", "二点", "1,23,4人", "一百零五米", "∞元", None, 5],
)
def test_parse_quantity_rejects_what_is_not_a_quantity(printed):
    with pytest.raises(QuantityParseError) as caught:
        parse_quantity(printed)
    assert repr(printed) in str(caught.value)
    assert isinstance(caught.value, ValueError)


GOOD = [
    "104731人",
    "11.33亿元",
    "2.3万人次",
    "105.28%",
    "约1万余人",
    "三千个",
    "１２人",
    "3,344个",
    " 2.58 亿元",
    "-1.5%",
]


def test_column_parser_agrees_with_the_single_parser():
    column = parse_quantities(pd.Series(GOOD, index=range(10, 20)))
    assert list(column.index) == list(range(10, 20))
    for label, text in zip(column.index, GOOD, strict=True):
        one = parse_quantity(text)
        row = column.loc[label]
        assert (row["value"], row["unit"], row["lower"], row["upper"], row["approximate"]) == (
            one.value,
            one.unit,
            one.lower,
            one.upper,
            one.approximate,
        ), text


def test_column_parser_accepts_object_and_arrow_strings():
    for dtype in (object, "str"):
        column = parse_quantities(pd.Series(["2.58亿元", "5170户"], dtype=dtype))
        assert column["value"].tolist() == [2.58e8, 5170.0]


def test_column_parser_reports_every_bad_row_not_only_the_first():
    printed = pd.Series(["104731人", "abc", "2.58亿元", "5万%", None, "12"], index=[2, 3, 4, 5, 6, 7])
    with pytest.raises(QuantityColumnParseError) as caught:
        parse_quantities(printed, column="printed")
    failures = caught.value.failures
    assert [(label, text) for label, text, _ in failures] == [(3, "abc"), (5, "5万%"), (6, None), (7, "12")]
    message = str(caught.value)
    assert "4 printed quantities in column 'printed'" in message
    assert "'abc'" in message and "'5万%'" in message and "'12'" in message


# A column long enough to be cut into slices that run on several threads is checked by
# bench/parse_quantities.py (it parses hundreds of thousands of rows).


@pytest.mark.parametrize(
    ("printed", "position", "shared"),
    [("第二", 2, False), ("并列第一", 1, True), ("第5名", 5, False), ("第12位", 12, False), ("第二十一", 21, False)],
)
def test_a_rank_is_read_as_printed(printed, position, shared):
    rank = parse_quantity(printed)
    assert (rank.value, rank.unit, rank.lower, rank.upper, rank.approximate) == (
        position,
        "rank",
        position,
        position,
        False,
    )
    assert shared_rank(printed) is shared


@pytest.mark.parametrize("printed", ["第零", "第0名", "第三五", "第", "第二人", "并列第"])
def test_what_is_no_rank_is_refused(printed):
    with pytest.raises(QuantityParseError):
        parse_quantity(printed)
