"""Benchmark: parse 1,000,000 printed quantities column-wise and with a naive per-row loop.

Prints rows per second for both and their ratio. Both run in the same process, one after the
other, so the ratio holds even on a busy machine. It also checks (it was a unit test, too slow for
one) that a column long enough to be cut into slices parsed on several threads agrees with the
single parser, and that its bad rows are reported with their labels.
Usage: python bench/parse_quantities.py [rows]
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from campaign.core import quantity_columns as units
from campaign.core.quantities import QuantityColumnParseError, parse_quantity
from campaign.core.quantity_columns import parse_quantities

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


def printed_quantities(rows: int, seed: int = 2022) -> pd.Series:
    """Invented figures in the shapes real reports print: 2.58亿元, 104731人, 105.28%, 约2.3万人次..."""
    rng = np.random.default_rng(seed)
    numbers = rng.integers(1, 1_000_000, rows) / 10.0 ** rng.integers(0, 3, rows)
    magnitudes = rng.choice(["", "", "万", "亿"], rows)
    counters = rng.choice(["元", "人", "人次", "户", "个", "期", "次", "%"], rows)
    hedges = rng.choice(["", "", "", "", "约", "近", "超"], rows)
    text = [
        f"{hedge}{number:g}{'' if counter == '%' else magnitude}{counter}"
        for hedge, number, magnitude, counter in zip(hedges, numbers, magnitudes, counters, strict=True)
    ]
    # a sprinkling of the rarer forms that take the careful path
    rare = ["三千三百四十四个", "１０４７３１人", "1万余人", " 2.58 亿元"]
    for position in rng.choice(rows, size=max(rows // 1000, 1), replace=False):
        text[position] = rare[position % len(rare)]
    return pd.Series(text, dtype="str")


def check_slices_agree() -> None:
    """A column cut into slices (parsed on several threads) gives the single parser's values, and
    every bad row, with its label, whichever slice it is in."""
    start = time.perf_counter()
    rows = units._PARALLEL_MIN_ROWS * 2 + 7
    texts = (GOOD * (rows // len(GOOD) + 1))[:rows]
    texts[-1] = "not a number"
    texts[units._PARALLEL_MIN_ROWS + 3] = "5万%"
    printed = pd.Series(texts, index=range(100, 100 + rows))
    try:
        parse_quantities(printed)
    except QuantityColumnParseError as caught:
        labels = [label for label, _, _ in caught.failures]
    else:
        raise AssertionError("the bad rows of a long column were not reported")
    assert labels == [100 + units._PARALLEL_MIN_ROWS + 3, 100 + rows - 1], labels
    good = printed.drop(labels)
    column = parse_quantities(good)
    for label in (100, 100 + units._PARALLEL_MIN_ROWS - 1, 100 + units._PARALLEL_MIN_ROWS + 11, 100 + rows - 2):
        one = parse_quantity(good[label])
        assert tuple(column.loc[label]) == (one.value, one.unit, one.lower, one.upper, one.approximate), label
    print(
        f"check: {rows:,} rows in slices agree with the single parser, bad rows named ({time.perf_counter() - start:.1f} s)"
    )


def main(rows: int = 1_000_000) -> None:
    check_slices_agree()

    printed = printed_quantities(rows)
    unique = printed.nunique()

    # Warm both paths up on the same small sample (regex compilation, lazy imports), so that
    # what is timed is throughput.
    sample = printed_quantities(10_000, seed=1)
    parse_quantities(sample)
    [parse_quantity(text) for text in sample]

    start = time.perf_counter()
    column = parse_quantities(printed)
    vectorised = time.perf_counter() - start

    start = time.perf_counter()
    loop = [parse_quantity(text) for text in printed]
    naive = time.perf_counter() - start

    assert np.allclose(column["value"].to_numpy(), [q.value for q in loop])
    print(f"rows: {rows:,} ({unique:,} distinct)")
    print(f"column-wise (parse_quantities): {vectorised:7.2f} s  {rows / vectorised:12,.0f} rows/s")
    print(f"per-row loop (parse_quantity):  {naive:7.2f} s  {rows / naive:12,.0f} rows/s")
    print(f"ratio: column-wise is {naive / vectorised:.1f} times faster")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
