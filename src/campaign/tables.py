"""Numbers written the way readers of each language expect (10.47万人 / 104,731; 2.58亿元 / CNY 258 million)."""

from __future__ import annotations

import math

from .metrics import Estimate

ZH_COUNTERS = {
    "yuan": "元",
    "persons": "人",
    "person_times": "人次",
    "households": "户",
    "items": "个",
    "sessions": "期",
    "times": "次",
    "ratio": "",
}
EN_NOUNS = {
    "persons": "",
    "person_times": " person-times",
    "households": " households",
    "items": "",
    "sessions": " sessions",
    "times": "",
}


def _trim(number: str) -> str:
    """Drop trailing zeros of a decimal: 309.00 -> 309, 10.50 -> 10.5."""
    return number.rstrip("0").rstrip(".") if "." in number else number


def _significant(value: float, digits: int = 3) -> str:
    """A number to ``digits`` significant figures, no exponent: 258, 1.13, 64.2."""
    if value == 0:
        return "0"
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(value)))), 0)
    return _trim(f"{value:,.{decimals}f}")


def format_percent(ratio: float, signed: bool = False, decimals: int = 2) -> str:
    text = _trim(f"{ratio * 100:.{decimals}f}")
    if signed and ratio > 0:
        text = "+" + text
    return text + "%"


def format_zh(value: float, unit: str) -> str:
    """Chinese style: 10.47万人, 2.58亿元, 9843.63万元, 5170户, 105.28%."""
    if unit == "ratio":
        return format_percent(value)
    counter = ZH_COUNTERS.get(unit, "")
    magnitude = abs(value)
    if magnitude >= 1e8:
        return f"{_trim(f'{value / 1e8:.2f}')}亿{counter}"
    if magnitude >= 1e4:
        return f"{_trim(f'{value / 1e4:.2f}')}万{counter}"
    if float(value).is_integer():
        return f"{int(value)}{counter}"
    return f"{_trim(f'{value:.1f}')}{counter}"


def format_en(value: float, unit: str) -> str:
    """English style: 104,731; CNY 258 million; CNY 1.13 billion; 23,000 person-times; 105.28%."""
    if unit == "ratio":
        return format_percent(value)
    if unit == "yuan":
        magnitude = abs(value)
        if magnitude >= 1e9:
            return f"CNY {_significant(value / 1e9)} billion"
        if magnitude >= 1e6:
            return f"CNY {_significant(value / 1e6)} million"
        return f"CNY {value:,.0f}"
    number = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else _trim(f"{value:,.1f}")
    return number + EN_NOUNS.get(unit, "")


def format_value(value: float, unit: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "未报告" if lang == "zh" else "not reported"
    return format_zh(value, unit) if lang == "zh" else format_en(value, unit)


def format_estimate(estimate: Estimate, unit: str, lang: str) -> str:
    """A derived figure with its interval where the interval is wider than the rounding shown."""
    shown = format_value(estimate.value, unit, lang)
    low, high = format_value(estimate.lower, unit, lang), format_value(estimate.upper, unit, lang)
    if low == high == shown:
        return shown
    if lang == "zh":
        return f"{shown}（区间 {low}–{high}）"
    return f"{shown} (range {low}–{high})"


def format_precise(value: float, unit: str, lang: str) -> str:
    """Full precision for intervals of counts: 99,479 rather than 9.95万."""
    if unit == "ratio":
        return format_percent(value)
    digits = f"{value:,.0f}" if lang == "en" else f"{value:.0f}"
    if lang == "zh":
        return digits + ZH_COUNTERS.get(unit, "")
    return ("CNY " + digits) if unit == "yuan" else digits + EN_NOUNS.get(unit, "")


def format_range(estimate: Estimate, unit: str, lang: str) -> str:
    """A value and its interval at full precision: 99,479 (99,474–99,483)."""
    shown = format_precise(estimate.value, unit, lang)
    if estimate.lower == estimate.upper:
        return shown
    low, high = format_precise(estimate.lower, unit, lang), format_precise(estimate.upper, unit, lang)
    if low == high:
        return shown
    return f"{shown}（{low}–{high}）" if lang == "zh" else f"{shown} ({low}–{high})"
