"""Numbers as they appear in rate sheets: numeric cells or Danish-formatted text."""

from __future__ import annotations

import datetime
import functools
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

_DANISH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_EMPTY_MARKERS = {"", "-", "–", "—"}
# "97 %", "97 pct.", "97 procent"
_PERCENT_SUFFIX = re.compile(r"\s*(%|pct\.?|procent)$", re.IGNORECASE)
# "kr. 2.060,-", "2.060 kr.", "DKK 2.060"
_CURRENCY = re.compile(r"^(kr\.?|dkk)\s*|\s*(kr\.?|dkk)$", re.IGNORECASE)
# "1.030,-" / "1.030,–": whole kroner, no øre
_NO_OERE = re.compile(r",[-–—]$")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "—": "-"})
MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december",
)


class Number(NamedTuple):
    """A parsed cell: value is None for an empty cell; invalid holds unparseable text.

    ``date`` is set when Excel turned what was typed into a date (a P/L typed "3.10" in a
    Danish Excel becomes 3 October); ``is_currency`` when the text names kroner.
    (A NamedTuple: tens of thousands are made per sheet, and tuples are cheap.)"""

    value: Decimal | None
    is_percent_text: bool = False
    invalid: str = ""
    date: datetime.date | None = None
    is_currency: bool = False


EMPTY = Number(None)


def parse_number(raw: object) -> Number:
    """Read a numeric cell or Danish text such as ``15.999.963``, ``3,10%`` or ``-1.234,5``."""
    if raw.__class__ is float and math.isfinite(raw):
        if raw.is_integer():
            return Number(Decimal(int(raw)))
        # repr gives the shortest round-tripping form: 0.98 stays 0.98, not 0.979999...
        return Number(Decimal(repr(raw)))
    if raw is None or raw == "":
        return EMPTY
    if isinstance(raw, bool):
        return Number(None) if raw is None else Number(None, invalid=str(raw))
    if isinstance(raw, int):
        return Number(Decimal(raw))
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return Number(None, invalid=str(raw))
        if raw.is_integer():
            return Number(Decimal(int(raw)))
        # repr gives the shortest round-tripping form: 0.98 stays 0.98, not 0.979999...
        return Number(Decimal(repr(raw)))
    if isinstance(raw, Decimal):
        return Number(raw)
    if isinstance(raw, (datetime.date, datetime.time, datetime.timedelta)):
        return _date_number(raw)
    if not isinstance(raw, str):
        return Number(None, invalid=str(raw))
    text = unicodedata.normalize("NFKC", raw).strip()
    if text in _EMPTY_MARKERS:
        return Number(None)
    cleaned, is_percent = _PERCENT_SUFFIX.subn("", text)
    cleaned, is_currency = _CURRENCY.subn("", cleaned.strip())
    cleaned = _NO_OERE.sub("", cleaned.strip())
    cleaned = cleaned.replace(" ", "").translate(_MINUS_SIGNS).removeprefix("+")
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):  # accounting: (125.000) is minus
        cleaned, negative = cleaned[1:-1], True
    elif cleaned.endswith("-") and cleaned[:-1].replace(".", "").replace(",", "").isdigit():
        cleaned, negative = cleaned[:-1], True  # "125.000-"
    normalised = _normalise_separators(cleaned)
    if normalised is None or not _NUMBER.match(normalised) or (negative and "-" in normalised):
        return Number(None, invalid=raw.strip())
    try:
        value = Decimal(normalised)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return Number(None, invalid=raw.strip())
    return Number(
        -value if negative else value, is_percent_text=bool(is_percent),
        is_currency=bool(is_currency),
    )


def _date_number(raw) -> Number:
    """A cell Excel shows as a date or time: never a number the user meant as such."""
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        text = f"{raw.day}. {MONTHS_DA[raw.month - 1]} {raw.year}"
        return Number(None, invalid=text, date=raw)
    return Number(None, invalid=str(raw), date=datetime.date.min)


def date_as_typed(value: datetime.date) -> str:
    """What a Danish Excel user most likely typed to get this date: 3 Oct → '3,10'."""
    if value == datetime.date.min:
        return ""
    return f"{value.day},{value.month:02d}" if value.month >= 10 else f"{value.day},{value.month}"


def _normalise_separators(text: str) -> str | None:
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # Danish: 1.234,5
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")  # English: 1,234.5
    if "," in text:
        if text.count(",") > 1:
            return text.replace(",", "") if re.match(r"^-?\d{1,3}(,\d{3})+$", text) else None
        return text.replace(",", ".")
    if "." in text and _DANISH_THOUSANDS.match(text):
        return text.replace(".", "")
    return text


def to_percent(number: Number, *, fraction_limit: Decimal = Decimal(1)) -> Decimal | None:
    """Normalise to percent: ``98%`` text, ``98`` and ``0.98`` (a %-formatted cell) all give 98."""
    if number.value is None:
        return None
    if number.is_percent_text:
        return number.value
    return percent_value(number.value, fraction_limit=fraction_limit)


def percent_value(value: Decimal, *, fraction_limit: Decimal | int = 1) -> Decimal:
    """A number from a cell that is not '%' text: 0.98 (a %-formatted cell) is 98 %."""
    if abs(value) <= fraction_limit:
        return (value * 100).normalize()
    return value


def overhead_pct(*, budget: Decimal, regulering: Decimal, overhead: Decimal) -> Decimal:
    """Overhead in % of the budget excluding regulering and overhead, one decimal."""
    basis = budget - regulering - overhead
    if basis <= 0:
        raise ValueError("Takstgrundlaget uden regulering og overhead skal være positivt.")
    return (overhead / basis * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rise_pct(old: Decimal, new: Decimal) -> Decimal | None:
    """Relative change old → new in %, None when there is no base to compare with."""
    if old is None or new is None or old <= 0:
        return None
    return (new - old) / old * 100


def format_da(value: Decimal | None, decimals: int = 0) -> str:
    """1234567.5 → '1.234.567,5' (Danish display in messages)."""
    if value is None:
        return ""
    # -0 equals 0 (and hashes alike), so both are cached as 0: no "-0" in messages.
    return _format_da(value if value else Decimal(0), decimals)


@functools.lru_cache(maxsize=4096)
def _format_da(value: Decimal, decimals: int) -> str:
    # Messages repeat the same figures (belægning, thresholds, P/L): cached.
    text = f"{value.quantize(_QUANTS[decimals], rounding=ROUND_HALF_UP):,.{decimals}f}"
    return text.translate(_DANISH_SEPARATORS)


_QUANTS = [Decimal(1).scaleb(-decimals) for decimals in range(10)]
_DANISH_SEPARATORS = str.maketrans(",.", ".,")
