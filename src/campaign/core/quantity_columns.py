"""A whole column of printed quantities parsed at once: the common form column-wise with Arrow,
the rare forms one by one with parse_quantity (which gives their errors)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from campaign.core.quantities import (
    APPROX_PREFIXES,
    APPROX_SUFFIXES,
    COUNTER_PATTERN,
    COUNTERS,
    MAX_SIGNIFICANT_DIGITS,
    NON_APPROX_PREFIXES,
    PREFIX_PATTERN,
    SUFFIX_PATTERN,
    QuantityColumnParseError,
    QuantityParseError,
    parse_quantity,
)


def _snap(value, places):
    """Round away binary noise (9843.63 * 1e4 is 98436299.99999999) to the printed precision."""
    scale = np.power(10.0, np.maximum(places, 0))
    return np.where(places > 0, np.round(value * scale) / scale, np.round(value))


def _quantity_arrays(number_value, decimals, multiplier, exact):
    """Value and bounds in base units from the printed number, its decimals and its magnitude."""
    value = number_value * multiplier
    places = decimals - np.log10(multiplier)
    half = np.where(exact, 0.0, 0.5 * np.power(10.0, -decimals) * multiplier)
    return _snap(value, places), _snap(value - half, places + 1), _snap(value + half, places + 1)


# The common printed form, Arabic digits with no stray characters, is parsed column-wise by
# Arrow; everything else (Chinese numerals, full-width digits, spaces, trailing hedges) takes
# the per-row path, which also produces the error messages.
_FAST_PATTERN = (
    rf"^(?:{PREFIX_PATTERN})?[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?"
    rf"(?:{SUFFIX_PATTERN})?(?:万亿|亿|万)?(?:{SUFFIX_PATTERN})?(?:{COUNTER_PATTERN})$"
)
# In a row of the fast form, the number is what remains once the hedge words before it and the
# hedge, magnitude and counter characters after it are trimmed away.
_TRAILING_CHARS = "".join(sorted(set("".join(APPROX_SUFFIXES) + "万亿" + "".join(COUNTERS))))
_LEADING_CHARS = "".join(sorted(set("".join(APPROX_PREFIXES))))
_HEDGE_PATTERN = "|".join(
    map(re.escape, [*(p for p in APPROX_PREFIXES if p not in NON_APPROX_PREFIXES), *APPROX_SUFFIXES])
)
_ONE_CHAR_COUNTERS = [c for c in COUNTERS if len(c) == 1]
_MAGNITUDE_CHARS = {"万": 1e4, "亿": 1e8}


_PARALLEL_MIN_ROWS = 200_000  # below this, threads cost more than they save


def _parse_fast_form(text):
    """Column-wise parse of one Arrow string array: (in fast form?, value, unit, lower, upper, approximate)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    fast = pc.fill_null(pc.match_substring_regex(text, _FAST_PATTERN), False)
    fast_np = fast.to_numpy(zero_copy_only=False)
    number = pc.utf8_ltrim(
        pc.utf8_rtrim(pc.if_else(fast, text, None), characters=_TRAILING_CHARS), characters=_LEADING_CHARS
    )
    if pc.any(pc.match_substring(number, ",")).as_py():
        number = pc.replace_substring(number, ",", "")
    number_value = pc.cast(number, pa.float64()).to_numpy(zero_copy_only=False)
    dot = pc.find_substring(number, ".").to_numpy(zero_copy_only=False).astype(float)
    length = pc.binary_length(number).to_numpy(zero_copy_only=False).astype(float)
    decimals = np.where(dot >= 0, length - dot - 1, 0.0)

    multiplier = np.ones(len(text))
    for char, factor in _MAGNITUDE_CHARS.items():
        has = pc.fill_null(pc.match_substring(text, char), False).to_numpy(zero_copy_only=False)
        multiplier = np.where(has, multiplier * factor, multiplier)

    last = pc.utf8_slice_codeunits(text, -1)
    counter_index = pc.index_in(last, value_set=pa.array(_ONE_CHAR_COUNTERS))
    units = np.array([COUNTERS[c] for c in _ONE_CHAR_COUNTERS] + [None], dtype=object)
    unit = units[pc.fill_null(counter_index, len(_ONE_CHAR_COUNTERS)).to_numpy(zero_copy_only=False)]
    person_times = pc.fill_null(pc.ends_with(text, "人次"), False).to_numpy(zero_copy_only=False)
    unit = np.where(person_times, "person_times", unit)
    is_ratio = unit == "ratio"
    fast_np = fast_np & ~(is_ratio & (multiplier != 1.0))  # "5万%" is malformed: per-row path
    multiplier = np.where(is_ratio, 0.01, multiplier)
    exact = (decimals == 0) & (multiplier == 1.0) & ~is_ratio

    value, lower, upper = _quantity_arrays(number_value, decimals, multiplier, exact)
    # Too many digits to keep exactly (or to stay finite): the per-row path counts them and refuses.
    too_long = (length - (dot >= 0)) > MAX_SIGNIFICANT_DIGITS
    fast_np = fast_np & ~too_long & np.isfinite(value) & np.isfinite(lower) & np.isfinite(upper)
    approximate = np.array(pc.fill_null(pc.match_substring_regex(text, _HEDGE_PATTERN), False), dtype=bool)
    return fast_np, value, unit, lower, upper, approximate


def parse_quantities(printed: pd.Series, column: str | None = None) -> pd.DataFrame:
    """Parse a whole column of printed quantities at once.

    Returns a frame aligned with ``printed`` with columns value, unit, lower, upper, approximate.
    Every row that cannot be parsed is reported in one QuantityColumnParseError. Long columns
    are cut into one slice per core; Arrow's kernels release the GIL, so the slices run at once.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa

    if not pd.api.types.is_string_dtype(printed.dtype) or printed.dtype == object:
        printed = printed.astype("str")  # missing values stay missing and fail below
    text = pa.chunked_array(pa.array(printed, type=pa.string()))

    slices = max(1, min(os.cpu_count() or 1, len(text) // _PARALLEL_MIN_ROWS))
    if slices == 1:
        parts = [_parse_fast_form(text)]
    else:
        bounds = np.linspace(0, len(text), slices + 1).astype(int)
        with ThreadPoolExecutor(max_workers=slices) as pool:
            parts = list(
                pool.map(
                    _parse_fast_form, [text.slice(lo, hi - lo) for lo, hi in zip(bounds, bounds[1:], strict=False)]
                )
            )
    fast_np, value, unit, lower, upper, approximate = (np.concatenate(columns) for columns in zip(*parts, strict=True))

    # The rare forms: parse one by one, then write them into the arrays in one go.
    failures: list[tuple[object, object, str]] = []
    slow_positions = np.flatnonzero(~fast_np)
    slow_text = printed.iloc[slow_positions].tolist()
    for position, raw in zip(slow_positions, slow_text, strict=True):
        raw = raw if isinstance(raw, str) else None
        try:
            q = parse_quantity(raw)
        except QuantityParseError as err:
            failures.append((printed.index[position], raw, err.reason))
            continue
        value[position], unit[position], lower[position], upper[position] = q.value, q.unit, q.lower, q.upper
        approximate[position] = q.approximate
    if failures:
        raise QuantityColumnParseError(failures, column)
    return pd.DataFrame(
        {"value": value, "unit": unit, "lower": lower, "upper": upper, "approximate": approximate.astype(bool)},
        index=printed.index,
    )
