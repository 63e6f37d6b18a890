"""Parse quantities as Chinese reports print them (``2.58亿元``, ``105.28%``) into base units."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from campaign.core.vocabulary import BASE_UNITS, COUNTERS, RANK_UNIT  # noqa: F401 (BASE_UNITS re-exported)

MAGNITUDES: dict[str, float] = {
    "": 1.0,
    "十": 1e1,
    "百": 1e2,
    "千": 1e3,
    "万": 1e4,
    "十万": 1e5,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
    "万亿": 1e12,
}

# Words that mark a printed figure as approximate ("about", "nearly", "over", "more than").
APPROX_PREFIXES = ("大约", "将近", "接近", "超过", "约", "近", "超", "逾", "达")
APPROX_SUFFIXES = ("左右", "以上", "余", "多")
NON_APPROX_PREFIXES = ("达",)  # "reached": a verb, not a hedge

# Traditional forms and punctuation that NFKC leaves alone.
_TRANSLATE = str.maketrans(
    {
        "萬": "万",
        "億": "亿",
        "兩": "两",
        "點": "点",
        "〇": "零",
        "．": ".",
        "。": ".",
        "，": ",",
        "、": ",",
        "％": "%",
        "﹪": "%",
    }
)

PREFIX_PATTERN = "|".join(map(re.escape, APPROX_PREFIXES))
SUFFIX_PATTERN = "|".join(map(re.escape, APPROX_SUFFIXES))
_MAG_RE = "|".join(sorted((re.escape(m) for m in MAGNITUDES if m), key=len, reverse=True))
COUNTER_PATTERN = "|".join(map(re.escape, COUNTERS))

# A quantity in Arabic digits: optional hedge, sign, number (thousands separators allowed),
# optional hedge, magnitude, hedge, counter, hedge.
QUANTITY_PATTERN = (
    rf"^(?P<prefix>{PREFIX_PATTERN})?"
    r"(?P<sign>[+-])?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<hedge1>{SUFFIX_PATTERN})?"
    rf"(?P<magnitude>{_MAG_RE})?"
    rf"(?P<hedge2>{SUFFIX_PATTERN})?"
    rf"(?P<counter>{COUNTER_PATTERN})"
    rf"(?P<hedge3>{SUFFIX_PATTERN})?$"
)
_QUANTITY_RE = re.compile(QUANTITY_PATTERN)

# Chinese numerals, read by cn2an: positional (三千三百四十四, 两万零五十, 一万二) and digit by digit
# (一〇四七三一), with 〇/零, 两, the financial forms (壹贰叁, 拾佰仟) and traditional 萬/億 (folded by
# normalise). A decimal (一点五) may take one magnitude word after it (一点五万).
_CN_DIGIT_CHARS = "零一二两三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_CN_UNIT_CHARS = "十拾百佰千仟万亿"
_CN_QUANTITY_RE = re.compile(
    rf"^(?P<prefix>{PREFIX_PATTERN})?"
    r"(?P<sign>负)?"
    rf"(?P<number>[{_CN_DIGIT_CHARS}{_CN_UNIT_CHARS}]+(?:点[{_CN_DIGIT_CHARS}]+(?P<magnitude>万亿|万|亿)?)?)"
    rf"(?P<hedge1>{SUFFIX_PATTERN})?"
    rf"(?P<counter>{COUNTER_PATTERN})"
    rf"(?P<hedge3>{SUFFIX_PATTERN})?$"
)
# A rank: 第二, 第2, 第2名, 第2位; 并列第一 is a place shared with others (tied).
_RANK_RE = re.compile(
    rf"^(?P<tied>并列)?第(?P<number>[1-9]\d{{0,3}}|[{_CN_DIGIT_CHARS}{_CN_UNIT_CHARS}]{{1,4}})(?:名|位)?$"
)
# Two digits side by side with no unit (三五, 七八) usually mean "three to five", "seven or eight".
_CN_RANGE_RE = re.compile(rf"^[{_CN_DIGIT_CHARS}]{{2}}$")

# A float keeps 15 significant decimal digits exactly; a printed figure with more would silently
# change (and one with hundreds of digits would become infinity).
MAX_SIGNIFICANT_DIGITS = 15


class QuantityParseError(ValueError):
    """A printed quantity that could not be read; the message quotes the text."""

    def __init__(self, text: object, reason: str = "not a printed quantity"):
        self.text = text
        self.reason = reason
        super().__init__(f"cannot parse quantity {text!r}: {reason}")


class QuantityColumnParseError(ValueError):
    """Several printed quantities in a column could not be read; lists every one of them."""

    def __init__(self, failures: list[tuple[object, object, str]], column: str | None = None):
        self.failures = failures  # (index label, text, reason)
        where = f" in column {column!r}" if column else ""
        lines = [f"{len(failures)} printed quantit{'y' if len(failures) == 1 else 'ies'}{where} cannot be parsed:"]
        lines += [f"  row {label}: {text!r} ({reason})" for label, text, reason in failures]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Quantity:
    """A printed figure in base units, with the interval its printed precision implies."""

    value: float
    unit: str
    lower: float
    upper: float
    approximate: bool
    printed: str = ""


def _not_a_digit(text: str) -> str | None:
    """The first character that Unicode counts as a number but that is no digit as printed
    (a superscript ², a circled ① or parenthesised ⑴ number, a fraction ½, a digit of another
    script): NFKC folding would turn it into a digit that was never printed. Full-width digits
    (０-９) are digits."""
    for char in text:
        if char.isascii() or "\uff10" <= char <= "\uff19":
            continue
        category = unicodedata.category(char)
        if category in ("No", "Nd"):  # not Nl: 〇 is a Chinese numeral
            return char
        folded = unicodedata.normalize("NFKC", char)
        if folded != char and any(c.isdigit() or c in _NUMERAL_CHARS for c in folded):
            return char  # 〸 (a Suzhou numeral), ⼆ (a Kangxi radical): they fold into numerals
    return None


# Chinese numerals, as NFKC gives them: a character that folds into one was not printed as one.
_NUMERAL_CHARS = set("零〇一二两三四五六七八九十百千万亿")
# Digits with a space, or an enumeration comma, between them: two numbers, not one (2850 2名, 1、234人).
_SPLIT_NUMBER = re.compile(r"[0-9０-９][\s、]+[0-9０-９]")


def normalise(text: str) -> str:
    """Fold full-width characters, traditional magnitude words and stray spaces."""
    folded = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return re.sub(r"\s+", "", folded)


def _significant_digits(number: str) -> int:
    """Digits of a printed number in Arabic digits, leading zeros aside (``0.0105`` has 3, ``1,200`` has 4)."""
    return len(number.replace(",", "").replace(".", "").lstrip("0"))


def _chinese_number(text: str, raw: object) -> tuple[float, int, float]:
    """A Chinese numeral -> (value, decimals printed, magnitude multiplier); QuantityParseError
    quoting ``raw`` when cn2an cannot read it or when it is ambiguous."""
    import cn2an

    number, multiplier = text, 1.0
    integer, _, fraction = text.partition("点")
    for word in ("万亿", "万", "亿"):
        if fraction.endswith(word):
            number, fraction, multiplier = text[: -len(word)], fraction[: -len(word)], MAGNITUDES[word]
            break
    if _CN_RANGE_RE.match(integer) and not fraction:
        raise QuantityParseError(
            raw, f"ambiguous Chinese numeral {integer!r}: two digits side by side can mean a range"
        )
    try:
        value = cn2an.cn2an(number, "normal")
    except ValueError:
        raise QuantityParseError(raw, f"ambiguous or malformed Chinese numeral {number!r}") from None
    if abs(value) >= 10**MAX_SIGNIFICANT_DIGITS:
        raise QuantityParseError(raw, f"more than {MAX_SIGNIFICANT_DIGITS} significant digits cannot be kept exactly")
    return float(value), len(fraction), multiplier


def _hedged(*groups: str | None) -> bool:
    return any(g and g not in NON_APPROX_PREFIXES for g in groups)


def parse_quantity(text: str) -> Quantity:
    """Parse one printed quantity.

    ``parse_quantity("2.58亿元")`` gives 2.58e8 yuan with interval 2.575e8-2.585e8;
    ``parse_quantity("105.28%")`` gives the ratio 1.0528. Raises QuantityParseError otherwise.
    """
    if not isinstance(text, str):
        raise QuantityParseError(text, "expected text")
    odd = _not_a_digit(text)
    if odd is not None:
        raise QuantityParseError(text, f"{odd!r} ({unicodedata.name(odd, 'a numeral')}) is not a digit as printed")
    split = _SPLIT_NUMBER.search(text)
    if split is not None:
        raise QuantityParseError(text, f"{split.group()!r}: a space or 、 between digits makes two numbers, not one")
    cleaned = normalise(text)
    if not cleaned:
        raise QuantityParseError(text, "empty")
    match = _QUANTITY_RE.match(cleaned)
    if match:
        if _significant_digits(match["number"]) > MAX_SIGNIFICANT_DIGITS:
            raise QuantityParseError(
                text, f"more than {MAX_SIGNIFICANT_DIGITS} significant digits cannot be kept exactly"
            )
        number = match["number"].replace(",", "")
        multiplier = MAGNITUDES[match["magnitude"] or ""]
        unit = COUNTERS[match["counter"]]
        if unit == "ratio":
            if match["magnitude"]:
                raise QuantityParseError(text, "a percentage takes no magnitude word")
            multiplier = 0.01
        decimals = len(number.split(".", 1)[1]) if "." in number else 0
        exact = decimals == 0 and multiplier == 1.0 and unit != "ratio"
        sign = -1.0 if match["sign"] == "-" else 1.0
        value, lower, upper = _quantity_scalars(sign * float(number), decimals, multiplier, exact)
        approximate = _hedged(match["prefix"], match["hedge1"], match["hedge2"], match["hedge3"])
        return Quantity(value, unit, lower, upper, approximate, text)
    match = _CN_QUANTITY_RE.match(cleaned)
    if match:
        value, decimals, multiplier = _chinese_number(match["number"], text)
        unit = COUNTERS[match["counter"]]
        if unit == "ratio":
            if multiplier != 1.0:
                raise QuantityParseError(text, "a percentage takes no magnitude word")
            multiplier = 0.01
        exact = decimals == 0 and multiplier == 1.0 and unit != "ratio"
        sign = -1.0 if match["sign"] else 1.0
        value, lower, upper = _quantity_scalars(sign * value, decimals, multiplier, exact)
        approximate = _hedged(match["prefix"], match["hedge1"], match["hedge3"])
        return Quantity(value, unit, lower, upper, approximate, text)
    match = _RANK_RE.match(cleaned)
    if match:
        position = int(match["number"]) if match["number"].isdigit() else _chinese_number(match["number"], text)[0]
        if position < 1 or position != int(position):
            raise QuantityParseError(text, "a rank is a whole number from 1")
        return Quantity(float(position), RANK_UNIT, float(position), float(position), False, text)
    if not any(c in cleaned for c in COUNTERS):
        raise QuantityParseError(text, f"no counter ({' '.join(COUNTERS)})")
    raise QuantityParseError(text)


def shared_rank(printed: str) -> bool:
    """Whether a printed rank is a place shared with others (并列第一: tied first)."""
    return normalise(printed).startswith("并列")


def _quantity_scalars(number_value: float, decimals: int, multiplier: float, exact: bool):
    """Scalar twin of quantity_columns._quantity_arrays, kept in plain Python so the per-row path stays light."""
    value = number_value * multiplier
    places = max(round(decimals - math.log10(multiplier)), 0)
    half = 0.0 if exact else 0.5 * 10.0 ** (-decimals) * multiplier
    return round(value, places), round(value - half, places + 1), round(value + half, places + 1)
