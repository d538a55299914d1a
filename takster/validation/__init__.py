"""Pure validation of the yearly rate sheet (takstskema): no Django, no ORM."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

from .annotate import annotate_workbook
from .findings import (
    FINDING_CODES,
    RULESET_VERSION,
    Finding,
    Severity,
    ValidationResult,
    findings_to_rows,
    make_finding,
    sort_findings,
)
from .numbers import overhead_pct
from .params import PARAGRAPHS, UNITS, RateSheetParams, TemplateBlock, YearValues
from .parser import ParsedBlock, ParsedLine, ParsedSheet, parse_grids, read_grids
from .rules import check_sheet
from .safety import UnsafeWorkbook, check_workbook_bytes
from .template import build_template

__all__ = [
    "FINDING_CODES",
    "PARAGRAPHS",
    "RULESET_VERSION",
    "UNITS",
    "Finding",
    "ParsedBlock",
    "ParsedLine",
    "ParsedSheet",
    "RateSheetParams",
    "Severity",
    "TemplateBlock",
    "ValidationResult",
    "YearValues",
    "annotate_workbook",
    "build_template",
    "collector_paused",
    "findings_to_rows",
    "overhead_pct",
    "run_check",
    "validate_workbook",
]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a sheet is read and checked.

    A 300-block sheet allocates tens of thousands of containers (thousands live until the
    result is used), none in a reference cycle: the collector would only walk them again
    and again (some 20 collections per check, and a full one now and then costs more than
    the whole check). Reference counting still frees everything; the collector is
    re-enabled afterwards unless it was off already (e.g. an outer pause)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _unreadable(message: str) -> ValidationResult:
    finding = make_finding("FILE_UNREADABLE", sheet="", cell="", message=message)
    return ValidationResult(findings=[finding], sheet=None)


def validate_workbook(
    source: bytes | str | Path,
    params: RateSheetParams,
    *,
    progress: Callable[[int], None] | None = None,
    params_for_sheet: Callable[[ParsedSheet], RateSheetParams] | None = None,
) -> ValidationResult:
    """Check an uploaded rate sheet; never raises for a bad file (FILE_UNREADABLE instead).

    ``params_for_sheet`` lets a caller choose the rules' parameters after the file is read
    (the command finds the driftsherre in the sheet's header), so the file is read once."""

    def report(percent: int) -> None:
        if progress is not None:
            progress(percent)

    report(0)
    with collector_paused():
        return _validate(source, params, report, params_for_sheet)


def _validate(
    source: bytes | str | Path,
    params: RateSheetParams,
    report: Callable[[int], None],
    params_for_sheet: Callable[[ParsedSheet], RateSheetParams] | None,
) -> ValidationResult:
    try:
        if isinstance(source, (str, Path)):
            path = Path(source)
            if path.suffix.lower() not in ("", ".xlsx"):
                return _unreadable(
                    f"Filtypen '{path.suffix}' accepteres ikke. Gem skemaet som "
                    "'Excel-projektmappe (.xlsx)' og upload igen."
                )
            size = path.stat().st_size
            if size > params.max_bytes:
                return _unreadable(
                    f"Filen er for stor ({size / 1024 / 1024:.1f} MB; grænsen er "
                    f"{params.max_bytes / 1024 / 1024:.0f} MB)."
                )
            data = path.read_bytes()
        else:
            data = bytes(source)
        scan = check_workbook_bytes(data, params)
        report(10)
        grids = read_grids(data)
        report(60)
        sheet = parse_grids(grids, budget_year=params.budget_year, formula_cells=scan.formula_cells)
        report(80)
        if params_for_sheet is not None:
            params = params_for_sheet(sheet)
        findings = sort_findings(check_sheet(sheet, params))
    except UnsafeWorkbook as exc:
        report(100)
        return _unreadable(str(exc))
    except OSError as exc:
        report(100)
        return _unreadable(f"Filen kunne ikke åbnes ({type(exc).__name__}).")
    report(100)
    return ValidationResult(findings=findings, sheet=sheet)


def run_check(
    path: str | Path,
    params: RateSheetParams,
    *,
    params_for_sheet: Callable[[ParsedSheet], RateSheetParams] | None = None,
) -> tuple[int, dict]:
    """For the check_rate_sheet command: exit code 0 ok, 1 errors, 2 unreadable; JSON dict."""
    with collector_paused():  # the JSON dict is another thousand objects
        result = validate_workbook(path, params, params_for_sheet=params_for_sheet)
        if result.unreadable:
            code = 2
        elif result.errors:
            code = 1
        else:
            code = 0
        return code, result.to_json_dict()
