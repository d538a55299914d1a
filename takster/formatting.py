"""Danish display of values the validator stores as plain text ("1100" → "1.100")."""

from __future__ import annotations

import re
from decimal import Decimal

from takster.validation.numbers import format_da

_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def finding_value_display(value: str, message: str = "") -> str:
    """The found value as a Dane reads it: 1.100, 336,66, and 3,1 % when the finding's message
    shows the value as a percentage. Text (names, formulas written as text) is unchanged."""
    text = (value or "").strip()
    if not _PLAIN_NUMBER.match(text):
        return value or ""
    number = Decimal(text)
    decimals = len(text.partition(".")[2].rstrip("0"))
    for places in (decimals, 1, 2, 0):
        as_pct = f"{format_da(number, places)} %"
        if as_pct in message and number.quantize(Decimal(1).scaleb(-places)) == number:
            return as_pct
    return format_da(number, decimals)
