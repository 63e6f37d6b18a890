"""The clean step's tables as its page shows them: plain numbers, blank gaps, every cell escaped.

pandas prints a column of floats in one format, so 104731 and 0.0528 in one column read as
1.047310e+05 and 5.280000e-02, and a missing value as NaN. Here each number is written on its
own, with thousands separators and no exponent, to as many digits as it has (up to
``SIGNIFICANT``), and a missing value is an empty cell.
"""

from __future__ import annotations

import math

import pandas as pd

SIGNIFICANT = 10


def plain_number(value: object) -> str:
    """``value`` as a reader writes it: 104,731; 98,436,300; 1.0528; 0.0528; "" when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    digits = math.floor(math.log10(abs(value))) + 1
    shown = f"{value:,.{max(0, SIGNIFICANT - digits)}f}"
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def readable_table(table: pd.DataFrame, table_id: str):
    """``table`` as an HTML Styler: numbers as ``plain_number`` writes them, missing values blank,
    every text cell HTML-escaped, no index, and a fixed id (the same HTML every build)."""
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c]) and table[c].dtype != bool]
    styler = table.style.hide(axis="index").set_uuid(table_id).format(na_rep="", escape="html")
    if numeric:
        styler = styler.format(plain_number, subset=numeric, na_rep="")
    return styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
