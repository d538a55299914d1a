"""The takstbilag as an xlsx workbook: the PDF's content with numbers as numbers."""

from __future__ import annotations

import io
from decimal import Decimal

from socialaftale.spreadsheets import safe_text

from .data import ABOVE_TEXT, RATE_LABELS, D, TakstbilagData, offer_change_pct, summarise

FMT_KR = "#,##0"
FMT_KR2 = "#,##0.00"
FMT_PCT = "0.0%"
FMT_PCT2 = "0.00%"


def _num(value: Decimal | None, *, pct: bool = False):
    if value is None:
        return None
    number = float(D(value) / 100 if pct else D(value))
    return int(number) if not pct and number.is_integer() else number


def render_takstbilag_xlsx(data: TakstbilagData) -> bytes:
    """The same content as the PDF as a workbook: numbers as numbers, text injection-safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ctx_summaries = [summarise(s, data) for s in data.driftsherrer]
    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, headers: list[tuple[str, int]], ws=None):
        ws = ws or wb.create_sheet(title)
        ws.title = title
        for col, (header, width) in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=col, value=header)
            cell.font = bold
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "A2"
        return ws

    def put(ws, row: int, values: list[tuple[object, str | None]]):
        for col, (value, number_format) in enumerate(values, start=1):
            if isinstance(value, str):
                value = safe_text(value)
            cell = ws.cell(row=row, column=col, value=value)
            if number_format and value is not None and not isinstance(value, str):
                cell.number_format = number_format

    about = sheet("Om", [("Felt", 34), ("Værdi", 60)], ws=wb.active)
    rows = [
        ("Titel", data.heading), ("Budgetår", data.budget_year),
        ("Version", data.version_label),
        ("Status", "Udkast" if data.is_draft else "Offentliggjort"),
        ("Offentliggjort", data.published_on or "Ikke offentliggjort"),
        ("P/L kommuner", _num(data.pl_kommuner, pct=True)),
        ("P/L regioner", _num(data.pl_regioner, pct=True)),
        ("Stigningsgrænse (pp over P/L)", _num(data.rise_threshold_pp)),
        ("Belægningsgrænse", _num(data.occupancy_threshold, pct=True)),
    ]
    if data.is_demo:
        rows.append(("Bemærk", "Indeholder demotal; se kolonnen Kilde."))
    for i, (label, value) in enumerate(rows, start=2):
        fmt = FMT_PCT2 if label.startswith(("P/L", "Belægnings")) else (
            "dd-mm-yyyy" if label == "Offentliggjort" else None)  # a date, as in Versioner
        put(about, i, [(label, None), (value, fmt)])

    ws = sheet("Driftsherrer", [
        ("Driftsherre", 28), ("Type", 10), ("Antal tilbud", 12), ("Gns. takstændring", 16),
        ("P/L", 10), ("Forskel til P/L (pp)", 18), ("Tilbud over grænsen", 18),
        ("Overhead", 11), ("Overhead sidste år", 18),
    ])
    for r, s in enumerate(ctx_summaries, start=2):
        put(ws, r, [
            (s.name, None), ("Region" if s.kind == "region" else "Kommune", None),
            (s.offer_count, None), (_num(s.avg_change_pct, pct=True), FMT_PCT),
            (_num(s.pl_pct, pct=True), FMT_PCT2),
            (_num(s.avg_vs_pl_pp.quantize(D("0.01"))) if s.avg_vs_pl_pp is not None else None,
             "0.0"),
            (s.above_count, None), (_num(s.overhead_pct, pct=True), FMT_PCT),
            (_num(s.overhead_pct_previous, pct=True), FMT_PCT),
        ])

    y1, y2 = data.budget_year - 1, data.budget_year
    offer_headers = [("Driftsherre", 24), ("Tilbud", 30), ("Afdeling", 24), ("§§", 16),
                     ("Enhed", 10), ("Status", 11)]
    for year in (y1, y2):
        offer_headers += [(f"Pladser/sager {year}", 13), (f"Belægning {year}", 13),
                          (f"Budget i alt {year}", 15), (f"Regulering {year}", 14),
                          (f"OH % {year}", 10), (f"Tomgang {year}", 11),
                          (f"Betalingsdage {year}", 14)]
    offer_headers += [("Forklaret takst", 14), ("Ændring i alt (kr.)", 16),
                      ("Heraf P/L (kr.)", 14), ("Heraf regulering (kr.)", 18),
                      ("Heraf øvrigt (kr.)", 16), ("Gns. ændring", 12), (ABOVE_TEXT, 13),
                      ("Bemærkning", 50), ("Særlige forhold", 40), ("Godkendelse", 40),
                      ("Revision", 40), ("Kilde", 30)]
    ws_offers = sheet("Tilbud", offer_headers)
    ws_rates = sheet("Takster", [
        ("Driftsherre", 24), ("Tilbud", 30), ("Afdeling", 24), ("§§", 16), ("Enhed", 10),
        ("Takst", 10), (f"Takst {y1}", 12), (f"Takst {y2}", 12), ("Ændring (kr.)", 13),
        ("Ændring (%)", 12), (ABOVE_TEXT, 13),
    ])
    offer_row = rate_row = 2
    for section in data.driftsherrer:
        pl = data.pl_for(section.kind)
        for offer in section.offers:
            changes = data.rate_changes(offer, section.kind)
            try:
                d = offer.explain(pl_pct=pl)
            except (ValueError, ArithmeticError):
                d = None
            values = [(section.name, None), (offer.tilbud, None), (offer.afdeling, None),
                      (offer.paragraphs, None), (offer.unit, None), (offer.status, None)]
            for year in (offer.previous, offer.current):
                if year is None:
                    values += [(None, None)] * 7
                    continue
                values += [
                    (_num(year.pladser), FMT_KR), (_num(year.belaegning, pct=True), FMT_PCT),
                    (_num(year.budget), FMT_KR), (_num(year.regulering), FMT_KR),
                    (_num(year.oh_pct, pct=True), FMT_PCT), (_num(year.tomgang), FMT_KR),
                    (year.days, None),
                ]
            primary = offer.primary_key()
            values += [
                (RATE_LABELS[primary] if primary else None, None),
                (_num(d.total) if d else None, FMT_KR2), (_num(d.pl) if d else None, FMT_KR2),
                (_num(d.regulering) if d else None, FMT_KR2),
                (_num(d.rest) if d else None, FMT_KR2),
                (_num(offer_change_pct(changes), pct=True), FMT_PCT),
                ("Ja" if any(c.above_limit for c in changes) else "Nej", None),
                (offer.bemaerkning, None), (offer.saerlige_forhold, None),
                (offer.approval_note, None), (offer.revision_note, None),
                (offer.source, None),
            ]
            put(ws_offers, offer_row, values)
            offer_row += 1
            for c in changes:
                put(ws_rates, rate_row, [
                    (section.name, None), (offer.tilbud, None), (offer.afdeling, None),
                    (offer.paragraphs, None), (offer.unit, None), (c.label, None),
                    (_num(c.old), FMT_KR2), (_num(c.new), FMT_KR2),
                    (_num(c.change_kr), FMT_KR2), (_num(c.change_pct, pct=True), FMT_PCT),
                    ("Ja" if c.above_limit else "Nej", None),
                ])
                rate_row += 1
    for ws in (ws_offers, ws_rates):
        ws.auto_filter.ref = ws.dimensions

    ws = sheet("Versioner", [("Version", 9), ("Betegnelse", 30), ("Godkendt", 14),
                             ("Godkendt af", 34), ("Offentliggjort", 16), ("Note", 60),
                             ("Gældende", 10)])
    for r, v in enumerate(data.versions, start=2):
        put(ws, r, [(v.number, None), (v.label, None), (v.approved_on, "dd-mm-yyyy"),
                    (v.approved_by, None), (v.published_on, "dd-mm-yyyy"), (v.note, None),
                    ("Ja" if data.version_status(v) == "Gældende" else "Nej", None)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
