"""Bifrost holds pseudonymous counts only: no free-text field may carry a CPR number."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Six digits that form a day and month (ddmmyy), an optional dash, slash, dot or space,
# then four digits — with no digit directly before or after.
CPR_PATTERN = re.compile(
    r"(?<!\d)(0[1-9]|[12]\d|3[01])[\s./-]?(0[1-9]|1[0-2])[\s./-]?\d{2}\s?[-–/.\s]?\s?\d{4}(?!\d)"
)


def looks_like_cpr(value: str) -> bool:
    return bool(CPR_PATTERN.search(value or ""))


@deconstructible
class NoCprValidator:
    message = (
        "Feltet ser ud til at indeholde et CPR-nummer. Bifrost må kun indeholde "
        "pseudonyme oplysninger – fjern nummeret."
    )
    code = "cpr"

    def __call__(self, value) -> None:
        if looks_like_cpr(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoCprValidator)


no_cpr = NoCprValidator()

# A referral code is generated as BF-<year>-<number>; the strict shape keeps names out.
REFERRAL_CODE_PATTERN = r"^BF-\d{4}-\d{3,4}$"
