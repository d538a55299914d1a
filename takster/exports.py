"""Downloads built from stored findings: annotated workbook, findings as xlsx and csv."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .formatting import finding_value_display
from .models import Upload
from .validation import Finding, Severity, annotate_workbook, findings_to_rows
from .validation.findings import safe_cell_text

COLUMNS = [
    ("code", "Kode"), ("severity", "Alvor"), ("title", "Titel"), ("sheet", "Ark"),
    ("cell", "Celle"), ("tilbud", "Tilbud"), ("afdeling", "Afdeling"),
    ("message", "Besked"), ("value", "Fundet værdi"),
]
SEVERITY_DA = {"error": "Fejl", "warning": "Advarsel", "info": "Oplysning"}


def as_findings(upload: Upload) -> list[Finding]:
    return [
        Finding(code=f.code, severity=Severity(f.severity), sheet=f.sheet, cell=f.cell,
                tilbud=f.tilbud, afdeling=f.afdeling, message=f.message, value=f.value)
        for f in upload.findings.order_by("position")
    ]


def _rows(upload: Upload) -> list[list[str]]:
    rows = []
    for row in findings_to_rows(as_findings(upload)):
        row["severity"] = SEVERITY_DA.get(row["severity"], row["severity"])
        # Danish text ("1.100", "3,1 %") like the report page; the column stays text.
        row["value"] = safe_cell_text(finding_value_display(row["value"], row["message"]))
        rows.append([row[key] for key, _ in COLUMNS])
    return rows


def findings_csv(upload: Upload) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([title for _, title in COLUMNS])
    writer.writerows(_rows(upload))
    # BOM so Excel opens the Danish letters correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def findings_xlsx(upload: Upload) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Fund"
    ws.append([title for _, title in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in _rows(upload):
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.data_type = "s"  # text, never a formula
    for letter, width in zip("ABCDEFGHI", (22, 10, 30, 12, 8, 30, 30, 80, 20), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def annotated_workbook(upload: Upload) -> bytes:
    with upload.file.open("rb") as fh:
        data = fh.read()
    return annotate_workbook(data, as_findings(upload))
