"""Findings: stable codes, severities and the result of validating one workbook."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from socialaftale.spreadsheets import safe_text

if TYPE_CHECKING:
    from .parser import ParsedSheet

# Bump whenever a rule, a threshold interpretation or a message changes: stored findings
# carry this version so a re-run with the same file and version can be skipped.
# .3: findings on merged cells name the top-left cell
# .4: sheets as people fill them in — a remark anywhere in the block, uncalculated formulas,
#     Danish number habits, dates, DUPLICATE_BLOCK, Tomgang as places, the one rule book
RULESET_VERSION = "2027.4"

_STYRING = "Styringsaftalen 2025-2026, afsnit om takstberegning"
_DAS = "DAS Social 23.02.2026, pkt. 4"
_SIKKERHED = "Sekretariatets krav til upload (kun .xlsx, ingen makroer, størrelsesgrænse)"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


E, W, I_ = Severity.ERROR, Severity.WARNING, Severity.INFO

# code -> (severity, short Danish title, plain-language explanation, source)
FINDING_CODES: dict[str, tuple[Severity, str, str, str]] = {
    "FILE_UNREADABLE": (
        E,
        "Filen kan ikke læses",
        (
            "Filen er ikke en almindelig Excel-projektmappe (.xlsx), eller den er krypteret, "
            "indeholder makroer eller eksterne links, er for stor eller beskadiget."
        ),
        _SIKKERHED,
    ),
    "NO_BLOCKS": (
        E,
        "Ingen takstblokke fundet",
        (
            "Skemaet skal indeholde mindst én blok med kolonneoverskrifterne Tilbud, Afdeling, "
            "§§, År … Bemærkning."
        ),
        _DAS,
    ),
    "COLUMN_MISSING": (
        E,
        "Kolonne mangler",
        "En blok mangler en af de obligatoriske kolonner fra takstskabelonen.",
        _DAS,
    ),
    "YEAR_MISMATCH": (
        E,
        "Forkert år",
        "Blokkens år skal være indeværende år (år 1) og budgetåret (år 2) for takstrunden.",
        _DAS,
    ),
    "DRIFTSHERRE_MISMATCH": (
        E,
        "Forkert driftsherre",
        "Skemaet angiver en anden driftsherre end den, der indberetter.",
        _DAS,
    ),
    "PL_MISMATCH": (
        E,
        "P/L afviger",
        "P/L-satserne i skemaets top skal være de udmeldte satser for budgetåret.",
        _STYRING,
    ),
    "VALUE_INVALID": (
        E,
        "Ugyldig værdi",
        "Et talfelt indeholder tekst, et negativt tal, en umulig værdi eller mangler.",
        _DAS,
    ),
    "PARAGRAPH_UNKNOWN": (
        E,
        "Ukendt lovgrundlag (§§)",
        "§§ skal vælges fra rullemenuen i skabelonen.",
        _DAS,
    ),
    "UNIT_UNKNOWN": (
        E,
        "Ukendt takstenhed",
        "Enhed skal vælges fra rullemenuen i skabelonen.",
        _DAS,
    ),
    "RISE_NEEDS_REMARK": (
        E,
        "Takststigning kræver bemærkning",
        (
            "Stiger en takst mere end P/L plus stigningsgrænsen i styringsaftalen "
            "(procentpoint), skal stigningen forklares i Bemærkning."
        ),
        _STYRING,
    ),
    "LOW_OCCUPANCY_NEEDS_REMARK": (
        E,
        "Lav belægning kræver bemærkning",
        (
            "Er den budgetterede belægning under belægningsgrænsen i styringsaftalen, skal det "
            "forklares i Bemærkning."
        ),
        _DAS,
    ),
    "LOW_OCCUPANCY_NEEDS_IDLE": (
        E,
        "Lav belægning kræver tomgang",
        (
            "Er den budgetterede belægning under belægningsgrænsen i styringsaftalen, skal "
            "antallet af tomme pladser angives i Tomgang."
        ),
        _DAS,
    ),
    "SOLD_EXCEEDS_USED": (
        E,
        "Flere solgte end anvendte pladser",
        "Heraf solgte pladser kan ikke være flere end anvendte pladser på samme takstniveau.",
        _DAS,
    ),
    "USED_EXCEEDS_PLACES": (
        W,
        "Flere anvendte pladser end pladsantal",
        "Summen af anvendte pladser er højere end tilbuddets pladsantal.",
        _DAS,
    ),
    "OVERHEAD_DEVIATES": (
        W,
        "Overhead afviger",
        "Tilbuddets OH % afviger mere end den tilladte afvigelse fra driftsherrens gennemsnit.",
        _STYRING,
    ),
    "TILBUD_UNKNOWN": (
        W,
        "Ukendt tilbud",
        "Tilbudsnavnet findes ikke i tilbudsregistret for driftsherren (Tilbudsportalens navne).",
        _DAS,
    ),
    "AFDELING_UNKNOWN": (
        W,
        "Ukendt afdeling",
        (
            "Afdelingsnavnet findes ikke under tilbuddet i tilbudsregistret (Tilbudsportalens "
            "navne)."
        ),
        _DAS,
    ),
    "PREFILL_CHANGED": (
        W,
        "Forudfyldt værdi ændret",
        "En værdi for indeværende år afviger fra sidste års godkendte tal.",
        _DAS,
    ),
    "DUPLICATE_BLOCK": (
        W,
        "Blokken står to gange",
        (
            "Samme tilbud og afdeling står med tal for samme år i to blokke (f.eks. i en kopi "
            "af fanebladet). Kun den første er læst, så tilbuddet ikke tælles dobbelt."
        ),
        _DAS,
    ),
    "NEW_TILBUD": (
        I_,
        "Nyt tilbud",
        "Blokken har kun tal for budgetåret (nyt tilbud eller ny takststruktur).",
        _DAS,
    ),
    "TILBUD_ENDED": (
        I_,
        "Tilbud udgået",
        "Blokken har kun tal for indeværende år (udgået tilbud eller gammel takststruktur).",
        _DAS,
    ),
}

_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


@functools.lru_cache(maxsize=8192)
def cell_sort_key(cell: str) -> tuple[int, int]:
    match = _CELL.match(cell or "")
    if not match:
        return (0, 0)
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return (int(match.group(2)), col)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    sheet: str
    cell: str
    tilbud: str
    afdeling: str
    message: str
    value: str = ""
    # The block's place in the parsed sheet (`ParsedSheet.blocks`), for the review page;
    # not part of the JSON, nor of what makes two findings the same.
    block: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "tilbud": self.tilbud,
            "afdeling": self.afdeling,
            "message": self.message,
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        row, col = cell_sort_key(self.cell)
        return (self.sheet, row, col, self.code, self.message)


def make_finding(
    code: str,
    *,
    sheet: str,
    cell: str,
    message: str,
    tilbud: str = "",
    afdeling: str = "",
    value: object = "",
    block: int | None = None,
) -> Finding:
    """Create a finding with the severity the code table prescribes."""
    # What Finding(...) does, without the frozen __init__'s eight object.__setattr__ calls:
    # a large sheet makes hundreds of findings, and this is about four times as fast.
    finding = _new_object(Finding)
    finding.__dict__.update(
        code=code,
        severity=FINDING_CODES[code][0],
        sheet=sheet,
        cell=cell,
        tilbud=tilbud,
        afdeling=afdeling,
        message=message,
        value="" if value is None else str(value),
        block=block,
    )
    return finding


_new_object = object.__new__


def sort_findings(findings: list[Finding]) -> list[Finding]:
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=Finding.sort_key)


@dataclass
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    sheet: ParsedSheet | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    @property
    def unreadable(self) -> bool:
        return any(f.code == "FILE_UNREADABLE" for f in self.findings)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
        }


safe_cell_text = safe_text  # formula-injection-safe text, shared with the other exports


def findings_to_rows(findings: list[Finding]) -> list[dict[str, str]]:
    """Rows for csv/xlsx export; every string is safe to open in a spreadsheet."""
    rows = []
    for f in findings:
        title = FINDING_CODES.get(f.code, (f.severity, f.code, "", ""))[1]
        row = {
            "code": f.code,
            "severity": f.severity.value,
            "title": title,
            "sheet": f.sheet,
            "cell": f.cell,
            "tilbud": f.tilbud,
            "afdeling": f.afdeling,
            "message": f.message,
            "value": f.value,
        }
        rows.append({key: safe_cell_text(val) for key, val in row.items()})
    return rows
