"""An annotated copy of the user's own workbook: offending cells coloured and commented."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from .findings import FINDING_CODES, Finding, Severity
from .params import RateSheetParams
from .safety import UnsafeWorkbook, check_workbook_bytes

FILLS = {
    Severity.ERROR: PatternFill("solid", start_color="FF9999", end_color="FF9999"),
    Severity.WARNING: PatternFill("solid", start_color="FFEB84", end_color="FFEB84"),
}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
AUTHOR = "Takstkontrol"
SEVERITY_DA = {Severity.ERROR: "fejl", Severity.WARNING: "advarsel", Severity.INFO: "oplysning"}


def annotate_workbook(source: bytes, findings: list[Finding]) -> bytes:
    """Return a copy of ``source`` with red (error) / yellow (warning) cells and comments."""
    check_workbook_bytes(source, RateSheetParams(budget_year=0, pl_kommuner=0, pl_regioner=0))
    try:
        wb = load_workbook(io.BytesIO(source), rich_text=True)
    except Exception as exc:
        raise UnsafeWorkbook("Filen kan ikke åbnes til markering af fund.") from exc
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.sheet in wb.sheetnames and finding.cell:
            by_cell.setdefault((finding.sheet, finding.cell), []).append(finding)
    for (sheet_name, ref), items in by_cell.items():
        ws = wb[sheet_name]
        ref = _top_left(ws, ref)
        cell = ws[ref]
        items.sort(key=lambda f: _RANK[f.severity])
        fill = FILLS.get(items[0].severity)
        if fill is not None:
            cell.fill = fill
        text = "\n\n".join(f"{_title(f)} ({SEVERITY_DA[f.severity]}): {f.message}" for f in items)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, 160
        cell.comment = comment
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _title(finding: Finding) -> str:
    """The finding's Danish title; codes stay in the JSON/CSV, not in what users read."""
    return FINDING_CODES.get(finding.code, (None, "Fund"))[1]


def _top_left(ws, ref: str) -> str:
    """Merged cells take styles and comments on their top-left cell only."""
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return merged.start_cell.coordinate
    return ref
