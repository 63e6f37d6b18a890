"""Numbers and dates written as each language's readers expect, at the precision the data justify.

Precision comes from the interval a figure carries: a printed figure's interval is what its
printed digits allow (2.58亿 is 2.575亿–2.585亿), a derived figure's is what its inputs allow.
The last digit shown is the power of ten just below the interval's width, so a figure quoted as
printed keeps its printed digits (5.125亿元, CNY 512.5 million) and a derived one shows no more
than its inputs justify. A derived amount (no printed form: an average, an implied level) is
also held to the significant figures its relative interval supports, ceil(log10(value / width) -
0.1): 65.9万人次 over 3393 events is about 194, not 194.2, and 11.33亿元 over 1766 projects about
64.2万元. Rounding is half-up on the decimal value, never on a binary float.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from campaign.core.estimates import Estimate

# Exact values that are not whole numbers (a share of the year elapsed) show this many
# significant digits; exact shares show one decimal of a percent.
EXACT_SIGNIFICANT = 3
EXACT_RATIO_QUANTUM = Decimal("0.001")

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
    "person_times": " person-times",
    "households": " households",
    "sessions": " sessions",
}
ZH_SCALES = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
EN_SCALES = {"million": Decimal(10) ** 6}  # bare digits: the column's header gives "CNY million"
EN_WORDS = "zero one two three four five six seven eight nine ten".split()
EN_ORDINALS = ("", *"first second third fourth fifth sixth seventh eighth ninth tenth".split())
EN_MONTHS = ("January February March April May June July August September October November December").split()


def decimal(value: float) -> Decimal:
    """The decimal a float was written from (9843.63e4 snapped is exactly 98436300)."""
    return Decimal(f"{float(value):.15g}")


def quantum(estimate: Estimate, unit: str = "", derived: bool = False, inside: bool = True) -> Decimal:
    """The place of the last digit the estimate's interval justifies (``derived``: a quotient or
    product of printed figures, also held to the significant figures of its relative width)."""
    width = float(estimate.upper) - float(estimate.lower)
    if width > 0:
        # the width to one significant figure (0.9995e6 is 1e6): binary noise never adds a digit
        step = Decimal(1).scaleb(Decimal(f"{width:.1g}").adjusted())
        # the last digit shown spans at most two or three values, unless the coarser figure would
        # fall outside the interval (2.3万 / 279 = 80.6-84.2: 82, not 80)
        if width > 2.5 * float(step) and (not inside or _inside(rounded(estimate.value, step * 10), estimate)):
            step *= 10
        value = abs(float(estimate.value))
        if derived and value > 0:  # and no more significant figures than the inputs (194, not 194.2)
            significant = max(1, math.ceil(math.log10(value / width) - 0.1))
            step = max(step, Decimal(1).scaleb(decimal(value).adjusted() - significant + 1))
        return step
    value = decimal(estimate.value)
    if value == value.to_integral_value():
        # An exact whole number: the largest power of ten that divides it (2.5亿, not 250000000).
        step = Decimal(1)
        while value and value % (step * 10) == 0:
            step *= 10
        return step
    if unit == "ratio":
        return EXACT_RATIO_QUANTUM
    return Decimal(1).scaleb(value.adjusted() - EXACT_SIGNIFICANT + 1)


def _inside(shown: Decimal, estimate: Estimate) -> bool:
    return decimal(estimate.lower) <= shown <= decimal(estimate.upper)


def rounded(value: float | Decimal, step: Decimal) -> Decimal:
    """Half-up rounding of the decimal value to a multiple of ``step`` (a power of ten)."""
    value = value if isinstance(value, Decimal) else decimal(value)
    return (
        value.quantize(step, rounding=ROUND_HALF_UP)
        if step < 1
        else (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    )


def _digits(value: Decimal, step: Decimal, scale: Decimal, grouping: bool, trim: bool = False) -> str:
    """``value`` in units of ``scale``, with the decimals that ``step`` asks for (``trim``: no trailing zeros)."""
    scaled_step = step / scale
    places = max(-scaled_step.normalize().as_tuple().exponent, 0) if scaled_step < 1 else 0
    scaled = (value / scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{scaled:,.{places}f}" if grouping else f"{scaled:.{places}f}"
    return text.rstrip("0").rstrip(".") if trim and "." in text else text


def _exact(estimate: Estimate) -> bool:
    return float(estimate.lower) == float(estimate.upper)


def _percent(value: Decimal, step: Decimal, signed: bool, trim: bool = False) -> str:
    text = _digits(rounded(value, step) * 100, step * 100, Decimal(1), grouping=False, trim=trim)
    if text.startswith("-") and set(text[1:]) <= set("0."):
        text = text[1:]  # no "-0.0%"
    return ("+" if signed and value > 0 and not set(text) <= set("0.") else "") + text + "%"


class Numbers:
    """Formatting shared by both styles; subclasses write the language's forms."""

    def amount(
        self,
        estimate: Estimate,
        unit: str,
        signed: bool = False,
        scale: str | None = None,
        derived: bool = False,
        step: Decimal | None = None,
        inside: bool = True,
    ) -> str:
        """A figure in its unit at the precision its interval justifies; ``scale`` (万 or 亿) puts two
        sides of a comparison on one scale where the language uses one; ``step`` rounds it to a
        coarser last digit (the rows of a table that add up share one)."""
        if unit == "ratio":
            return self.percent(estimate, signed)
        if unit == "rank":  # a place in a ranking: second, 第二
            return self.rank(int(estimate.value))
        step = max(quantum(estimate, unit, derived, inside), step or Decimal(0))
        value = rounded(decimal(estimate.value), step)
        sign = "+" if signed and value > 0 else ""
        # an exact figure, or a derived one, shows no trailing zero decimals (4.21万元, not 4.210万元):
        # a printed figure keeps its printed digits
        return self._amount(value, step, unit, sign, _exact(estimate) or derived, scale)

    def _amount(self, value: Decimal, step: Decimal, unit: str, sign: str, trim: bool, scale: str | None) -> str:
        """The language's form of a rounded figure (``trim``: an exact figure, no trailing zeros)."""
        raise NotImplementedError

    def percent(self, estimate: Estimate, signed: bool = False, places: int | None = None) -> str:
        """A ratio as a percentage; ``places`` caps the decimals of a derived share (never adds any)."""
        step = quantum(estimate, "ratio")
        if places is not None:
            step = max(step, Decimal(1).scaleb(-places - 2))
        return _percent(decimal(estimate.value), step, signed, trim=_exact(estimate))

    def points(self, estimate: Estimate, places: int | None = None) -> str:
        """A difference of two rates, as a number of percentage points (no unit word); ``places``
        caps the decimals (never adds any)."""
        step = quantum(estimate, "ratio")
        if places is not None:
            step = max(step, Decimal(1).scaleb(-places - 2))
        return _digits(
            rounded(abs(decimal(estimate.value)), step) * 100,
            step * 100,
            Decimal(1),
            grouping=False,
            trim=_exact(estimate),
        )

    def times(self, estimate: Estimate, derived: bool = True) -> str:
        step = quantum(estimate, derived=derived)
        return _digits(rounded(decimal(estimate.value), step), step, Decimal(1), True, _exact(estimate))

    def date(self, day: dt.date, with_year: bool = True) -> str:
        raise NotImplementedError

    def month(self, month: int) -> str:
        raise NotImplementedError

    def words(self, count: int) -> str:
        """A small count in words, as prose writes it (five tasks, 五项任务)."""
        raise NotImplementedError

    def month_of_year(self, year: int, month: int) -> str:
        raise NotImplementedError

    def ordinal(self, position: int) -> str:
        """A rank's position as a ranking writes it (second; 第二 without the 第)."""
        raise NotImplementedError

    def rank(self, position: int) -> str:
        """A rank on its own, as a table cell gives it (second; 第二)."""
        return self.ordinal(position)


class EnglishNumbers(Numbers):
    """104,731; CNY 258 million; CNY 1.133 billion; 23,000 person-times; 30 June 2022."""

    def _amount(self, value: Decimal, step: Decimal, unit: str, sign: str, trim: bool, scale: str | None) -> str:
        if unit == "yuan" and scale in EN_SCALES:  # a table column in one scale: its header names it
            return f"{sign}{_digits(value, step, EN_SCALES[scale], True, trim)}"
        if unit == "yuan" and scale == "yuan":  # amounts listed together, all in whole yuan
            return f"{sign}CNY {_digits(value, step, Decimal(1), True, trim)}"
        if unit == "yuan":
            magnitude = abs(value)
            for scale, word in ((Decimal(10) ** 9, " billion"), (Decimal(10) ** 6, " million")):
                if magnitude >= scale:
                    digits = _digits(value, step, scale, True, trim)
                    if len(digits.partition(".")[2]) > 3:  # CNY 98,436,300, never CNY 98.4363 million
                        break
                    return f"{sign}CNY {digits}{word}"
            return f"{sign}CNY {_digits(value, step, Decimal(1), True, trim)}"
        if abs(value) >= Decimal(10) ** 6:  # 32.779 million (3277.9万人), as English counts millions
            digits = _digits(value, step, Decimal(10) ** 6, True, trim)
            if len(digits.partition(".")[2]) <= 3:
                return f"{sign}{digits} million{EN_NOUNS.get(unit, '')}"
        return sign + _digits(value, step, Decimal(1), True, trim) + EN_NOUNS.get(unit, "")

    def date(self, day: dt.date, with_year: bool = True) -> str:
        return f"{day.day} {EN_MONTHS[day.month - 1]}" + (f" {day.year}" if with_year else "")

    def month(self, month: int) -> str:
        return EN_MONTHS[month - 1]

    def words(self, count: int) -> str:
        return EN_WORDS[count] if 0 <= count < len(EN_WORDS) else f"{count:,}"

    def month_of_year(self, year: int, month: int) -> str:
        return f"{EN_MONTHS[month - 1]} {year}"

    def ordinal(self, position: int) -> str:
        if 0 < position < len(EN_ORDINALS):
            return EN_ORDINALS[position]
        suffix = "th" if 10 <= position % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
        return f"{position:,}{suffix}"


class ChineseNumbers(Numbers):
    """104731人; 2.3万人次; 2.58亿元; 9843.63万元; 105.28%; 2022年6月底."""

    def _amount(self, value: Decimal, step: Decimal, unit: str, sign: str, trim: bool, scale: str | None) -> str:
        counter = ZH_COUNTERS.get(unit, "")
        if scale in ZH_SCALES:
            return f"{sign}{_digits(value, step, ZH_SCALES[scale], False, trim)}{scale}{counter}"
        magnitude = abs(value)
        # Figures known to the unit are written out (104731人, 14342元); rounded ones take 万 or
        # 亿 with the decimals their precision needs (2.3万人次, 2.58亿元, 9843.63万元).
        if step < 100:
            return f"{sign}{_digits(value, step, Decimal(1), False, trim)}{counter}"
        for scale, word in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
            if magnitude >= scale:
                return f"{sign}{_digits(value, step, scale, False, trim)}{word}{counter}"
        return f"{sign}{_digits(value, step, Decimal(1), False, trim)}{counter}"

    def date(self, day: dt.date, with_year: bool = True) -> str:
        year = f"{day.year}年" if with_year else ""
        month_end = (day + dt.timedelta(days=1)).day == 1
        if month_end and day.month == 12:
            return f"{day.year}年底" if with_year else "年底"
        if month_end:
            return f"{year}{day.month}月底"
        return f"{year}{day.month}月{day.day}日"

    def month(self, month: int) -> str:
        return f"{month}月"

    def words(self, count: int) -> str:
        import cn2an

        if count == 2:
            return "两"  # before a measure word: 两项, not 二项
        return cn2an.an2cn(count) if 0 <= count <= 99 else str(count)

    def month_of_year(self, year: int, month: int) -> str:
        return f"{year}年{month}月"

    def ordinal(self, position: int) -> str:
        import cn2an

        return cn2an.an2cn(position) if 0 < position <= 99 else str(position)

    def rank(self, position: int) -> str:
        return f"第{self.ordinal(position)}"


STYLES: dict[str, Numbers] = {"en": EnglishNumbers(), "zh": ChineseNumbers()}
