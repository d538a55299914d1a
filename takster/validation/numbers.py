"""Numbers as they appear in rate sheets: numeric cells or Danish-formatted text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_DANISH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_EMPTY_MARKERS = {"", "-", "–", "—"}


@dataclass(frozen=True)
class Number:
    """A parsed cell: value is None for an empty cell; invalid holds unparseable text."""

    value: Decimal | None
    is_percent_text: bool = False
    invalid: str = ""


def parse_number(raw: object) -> Number:
    """Read a numeric cell or Danish text such as ``15.999.963``, ``3,10%`` or ``-1.234,5``."""
    if raw is None or isinstance(raw, bool):
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
    if not isinstance(raw, str):
        return Number(None, invalid=str(raw))
    text = raw.replace("\u00a0", " ").strip()
    if text in _EMPTY_MARKERS:
        return Number(None)
    is_percent = text.endswith("%")
    cleaned = text.rstrip("%").strip()
    cleaned = re.sub(r"^kr\.?\s*|\s*kr\.?$", "", cleaned, flags=re.IGNORECASE)
    cleaned = cleaned.replace(" ", "").replace("−", "-")
    cleaned = cleaned.removeprefix("+")
    normalised = _normalise_separators(cleaned)
    if normalised is None or not _NUMBER.match(normalised):
        return Number(None, invalid=raw.strip())
    try:
        return Number(Decimal(normalised), is_percent_text=is_percent)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return Number(None, invalid=raw.strip())


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
    if abs(number.value) <= fraction_limit:
        return (number.value * 100).normalize()
    return number.value


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
    quant = Decimal(1).scaleb(-decimals)
    text = f"{value.quantize(quant, rounding=ROUND_HALF_UP):,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")
