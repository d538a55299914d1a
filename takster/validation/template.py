"""The prefilled rate sheet template a driftsherre downloads (full openpyxl, for styles)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from .guide import write_guide
from .params import (
    COLUMNS,
    DEFAULT_OCCUPANCY_THRESHOLD,
    DEFAULT_RISE_THRESHOLD_PP,
    PARAGRAPHS,
    RATE_FIELDS,
    TAKST_FIELDS,
    UNITS,
    TemplateBlock,
)
from .rules import occupancy_below_threshold_formula, rise_above_limit_formula

CONSTANT = "D9D9D9"  # constant / automatic
PREFILLED = "E2EFDA"  # prefilled by the secretariat from last year's data
TO_FILL = "DDEBF7"  # to be filled by the municipality / region ("de blå felter")
NOT_TO_FILL = "808080"  # not to be filled
LEGEND = (
    (CONSTANT, "Konstante/automatiske felter"),
    (PREFILLED, 'Forudfyldes af sekretariatet ("sidste års data")'),
    (TO_FILL, "Udfyldes af kommunerne og regionen"),
    (NOT_TO_FILL, "Skal ikke udfyldes"),
)
FIRST_COL = 2  # column B; the parser does not care, but a margin reads better
FIRST_BLOCK_ROW = 8
BLOCK_HEIGHT = 8
SPARE_BLOCKS = 3  # unlocked empty blocks at the end: a new offer or a new rate structure
BLOCKS_PER_PAGE = 6  # printed: page breaks between blocks, never inside one
NAME_WIDTH = 28
SHEET_TITLE = "Takster"
GUIDE_TITLE = "Vejledning"
OVERHEAD_LABEL = "Overhead driftsherre (rammeaftaletilbud), i procent"
COMMENT_AUTHOR = "Sekretariatet"
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)
_FORMATS = {
    "pladser": "#,##0",
    "belaegning": "0%",
    "budget": "#,##0",
    "regulering": "#,##0",
    "oh_pct": "0.0%",
    "tomgang": "#,##0",
    **dict.fromkeys(RATE_FIELDS, "#,##0.00"),
}
_PERCENT = {"belaegning", "oh_pct"}
COL = {key: FIRST_COL + i for i, (key, _) in enumerate(COLUMNS)}


def _letter(key: str) -> str:
    return get_column_letter(COL[key])


def _fill(color: str) -> PatternFill:
    return PatternFill("solid", start_color=color, end_color=color)


def _num(value: Decimal | None, key: str) -> float | None:
    if value is None:
        return None
    return float(value / 100) if key in _PERCENT else float(value)


def build_template(
    *,
    driftsherre_name: str,
    driftsherre_kind: str,
    budget_year: int,
    pl_kommuner: Decimal,
    pl_regioner: Decimal,
    overhead_by_year: dict[int, Decimal | None],
    blocks: list[TemplateBlock],
    rise_threshold_pp: Decimal = DEFAULT_RISE_THRESHOLD_PP,
    occupancy_threshold: Decimal = DEFAULT_OCCUPANCY_THRESHOLD,
    spare_blocks: int = SPARE_BLOCKS,
) -> bytes:
    """Write the .xlsx template for one driftsherre and budget year."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    write_guide(
        wb.create_sheet(GUIDE_TITLE),
        budget_year=budget_year,
        rise_threshold_pp=rise_threshold_pp,
        occupancy_threshold=occupancy_threshold,
        legend=LEGEND,
        spare_blocks=spare_blocks,
    )
    lists = wb.create_sheet("Lister")
    for i, value in enumerate(PARAGRAPHS, start=1):
        lists.cell(i, 1, value)
    for i, value in enumerate(UNITS, start=1):
        lists.cell(i, 2, value)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True

    b = FIRST_COL
    ws.cell(1, b, f"Takstskema {budget_year} — Nordjysk Socialaftale").font = Font(
        bold=True, size=14
    )
    _label(ws, 2, b, "Driftsherre")
    _value(ws, 2, b + 1, driftsherre_name, CONSTANT)
    _label(ws, 3, b, OVERHEAD_LABEL)
    dv_overhead = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
    )
    dv_overhead.errorTitle = "Overhead i procent"
    dv_overhead.error = "Angiv overhead i procent (f.eks. 6,5 %), ikke i kroner."
    dv_overhead.promptTitle = "Overhead i procent"
    dv_overhead.prompt = "Driftsherrens gennemsnitlige overheadprocent, f.eks. 6,5 %."
    ws.add_data_validation(dv_overhead)
    years = sorted(overhead_by_year) or [budget_year - 1, budget_year]
    for i, year in enumerate(years[:3]):
        _value(ws, 4 + i, b, year, CONSTANT)
        value = overhead_by_year.get(year)
        cell = _value(ws, 4 + i, b + 1, _num(value, "oh_pct"), PREFILLED if value else TO_FILL)
        cell.number_format = "0.0%"
        cell.comment = _comment(
            f"Overhead driftsherre {year} i procent: driftsherrens gennemsnitlige "
            "overheadprocent for rammeaftaletilbuddene, f.eks. 6,5 %. Ikke et beløb i kroner."
        )
        dv_overhead.add(cell.coordinate)
        if value is None:
            cell.protection = _UNLOCKED
    pl_col = b + 4
    _label(ws, 2, pl_col, "P/L - Kommuner")
    cell = _value(ws, 2, pl_col + 1, float(pl_kommuner / 100), CONSTANT)
    cell.number_format = "0.00%"
    cell.comment = _comment(f"Udmeldt P/L for kommuner for {budget_year} i procent.")
    _label(ws, 3, pl_col, "P/L - Regioner")
    cell = _value(ws, 3, pl_col + 1, float(pl_regioner / 100), CONSTANT)
    cell.number_format = "0.00%"
    cell.comment = _comment(f"Udmeldt P/L for regioner for {budget_year} i procent.")
    _label(ws, 4, pl_col, "Grænseværdi for krav om bemærkning - Takststigning over P/L")
    _value(ws, 4, pl_col + 1, float(rise_threshold_pp / 100), CONSTANT).number_format = "0.0%"
    _label(ws, 5, pl_col, "Grænseværdi for krav om bemærkning - Belægningsprocent")
    _value(ws, 5, pl_col + 1, float(occupancy_threshold / 100), CONSTANT).number_format = "0.0%"
    pl_ref = f"${get_column_letter(pl_col + 1)}${3 if driftsherre_kind == 'region' else 2}"
    threshold_ref = f"${get_column_letter(pl_col + 1)}$4"
    occupancy_ref = f"${get_column_letter(pl_col + 1)}$5"
    legend_col = COL["takst_1"]
    ws.cell(1, legend_col, "Farver i takstskema").font = Font(bold=True)
    for i, (color, text) in enumerate(LEGEND, start=2):
        ws.cell(i, legend_col).fill = _fill(color)
        ws.cell(i, legend_col).border = _BORDER
        ws.cell(i, legend_col + 1, text)
    ws.cell(6, b, f"Læs fanebladet '{GUIDE_TITLE}', før I udfylder skemaet. Rød tekst: en "
            "takst stiger mere end grænsen, eller belægningen er under grænsen — skriv en "
            "bemærkning.").font = Font(italic=True)

    dv_paragraph = DataValidation(
        type="list", formula1=f"Lister!$A$1:$A${len(PARAGRAPHS)}", allow_blank=True
    )
    dv_paragraph.error = "Vælg lovgrundlag (§§) fra listen."
    dv_unit = DataValidation(type="list", formula1=f"Lister!$B$1:$B${len(UNITS)}", allow_blank=True)
    dv_unit.error = "Vælg takstenhed fra listen."
    ws.add_data_validation(dv_paragraph)
    ws.add_data_validation(dv_unit)

    all_blocks = [*blocks, *([None] * spare_blocks)]
    red_font = Font(color="C00000", bold=True)
    red_fill = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE", bgColor="FFC7CE")
    for index, block in enumerate(all_blocks):
        top = FIRST_BLOCK_ROW + index * BLOCK_HEIGHT
        _write_block(ws, top, block, budget_year, dv_paragraph, dv_unit)
        if index and index % BLOCKS_PER_PAGE == 0:
            ws.row_breaks.append(Break(id=top - 1))
        y1, y2, change = top + 1, top + 2, top + 3
        # The rule book's own formulas (rules.py), with absolute rows so that the Ændring
        # row below turns red together with the year-2 rate.
        for key in RATE_FIELDS:
            col = _letter(key)
            rule = FormulaRule(
                formula=[
                    rise_above_limit_formula(
                        old=f"{col}${y1}", new=f"{col}${y2}", pl=pl_ref, threshold=threshold_ref
                    )
                ],
                font=red_font,
                fill=red_fill,
            )
            ws.conditional_formatting.add(f"{col}{y2}:{col}{change}", rule)
        col = _letter("belaegning")
        ws.conditional_formatting.add(
            f"{col}{y2}",
            FormulaRule(
                formula=[
                    occupancy_below_threshold_formula(
                        belaegning=f"{col}${y2}", threshold=occupancy_ref
                    )
                ],
                font=red_font,
                fill=red_fill,
            ),
        )

    for key, col in COL.items():
        width = NAME_WIDTH if key in ("tilbud", "afdeling", "bemaerkning") else 12
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions["A"].width = 3
    ws.freeze_panes = ws.cell(FIRST_BLOCK_ROW, FIRST_COL)
    _print_setup(ws)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _print_setup(ws) -> None:
    """Landscape A4, one page wide, title rows on every page, breaks between blocks."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Side &P af &N"
    ws.oddFooter.right.text = "&A"


def _name_height(*names: str) -> float | None:
    """Row height that shows a long tilbud/afdeling name in full (wrapped, not cut off)."""
    lines = max((-(-len(n or "") // (NAME_WIDTH - 2)) for n in names), default=1)
    return 15.0 * lines if lines > 1 else None


def _comment(text: str) -> Comment:
    comment = Comment(text, COMMENT_AUTHOR)
    comment.width, comment.height = 260, 90
    return comment


def _label(ws, row: int, col: int, text: str):
    cell = ws.cell(row, col, text)
    cell.font = Font(bold=True)
    return cell


def _value(ws, row: int, col: int, value, color: str):
    cell = ws.cell(row, col, value)
    cell.fill = _fill(color)
    cell.border = _BORDER
    return cell


_WRAP = Alignment(wrap_text=True, vertical="top")


def _write_block(
    ws, top: int, block: TemplateBlock | None, budget_year: int, dv_paragraph, dv_unit
):
    """One block; ``block=None`` writes a spare block with every field unlocked."""
    for key, title in COLUMNS:
        cell = _value(ws, top, COL[key], title, CONSTANT)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    y1, y2 = top + 1, top + 2
    if block is None:
        _write_spare(ws, top, budget_year, dv_paragraph, dv_unit)
        return
    prev = block.year1
    height = _name_height(block.tilbud, block.afdeling)
    for row, year in ((y1, budget_year - 1), (y2, budget_year)):
        is_year2 = row == y2
        if height:
            ws.row_dimensions[row].height = height
        for key, _ in COLUMNS:
            col = COL[key]
            if key in ("tilbud", "afdeling"):
                _value(ws, row, col, getattr(block, key), PREFILLED).alignment = _WRAP
            elif key == "bemaerkning" and (is_year2 or prev is not None):
                # One remark explains the block, typed in year 1 or year 2 (both are blue);
                # last year's remark is not copied in: it explained last year's change.
                cell = _value(ws, row, col, _year1_value(block.year2, key) if is_year2 else None,
                              TO_FILL)
                cell.protection = _UNLOCKED
                cell.alignment = _WRAP
            elif key == "year":
                _value(ws, row, col, year, CONSTANT)
            elif key in ("paragraph", "unit"):
                value = getattr(block, key) or None
                if is_year2:
                    cell = _value(ws, row, col, value, TO_FILL)
                    cell.protection = _UNLOCKED
                    (dv_paragraph if key == "paragraph" else dv_unit).add(cell.coordinate)
                else:
                    _value(
                        ws, row, col, value if prev else None, PREFILLED if prev else NOT_TO_FILL
                    )
            elif is_year2:
                cell = _value(ws, row, col, _year1_value(block.year2, key), TO_FILL)
                cell.protection = _UNLOCKED
                if key in _FORMATS:
                    cell.number_format = _FORMATS[key]
            else:
                value = _year1_value(prev, key)
                if prev is not None and value is None:
                    # No approved figure to prefill (e.g. the first year in the system):
                    # the driftsherre fills it in, so the cell must not be locked.
                    cell = _value(ws, row, col, None, TO_FILL)
                    cell.protection = _UNLOCKED
                else:
                    cell = _value(ws, row, col, value, PREFILLED if prev else NOT_TO_FILL)
                if key in _FORMATS:
                    cell.number_format = _FORMATS[key]
    _write_tail(ws, top, budget_year, block.saerlige_forhold)
    if prev is None:
        ws.cell(y1, COL["tilbud"]).comment = _comment(
            "Nyt tilbud: år 1 (indeværende år) skal ikke udfyldes."
        )


def _write_spare(ws, top: int, budget_year: int, dv_paragraph, dv_unit) -> None:
    y1, y2 = top + 1, top + 2
    for row, year in ((y1, budget_year - 1), (y2, budget_year)):
        for key, _ in COLUMNS:
            col = COL[key]
            if key == "year":
                _value(ws, row, col, year, CONSTANT)
                continue
            cell = _value(ws, row, col, None, TO_FILL)
            cell.protection = _UNLOCKED
            if key in _FORMATS:
                cell.number_format = _FORMATS[key]
            if key in ("tilbud", "afdeling", "bemaerkning"):
                cell.alignment = _WRAP
            if key == "paragraph":
                dv_paragraph.add(cell.coordinate)
            elif key == "unit":
                dv_unit.add(cell.coordinate)
    _write_tail(ws, top, budget_year, "")
    ws.cell(y1, COL["tilbud"]).comment = _comment(
        "Ledig blok til et nyt tilbud (kun år 2) eller en ny takststruktur (den nye struktur "
        "i år 2 her, den gamle bliver i år 1 i sin egen blok). Lad den stå tom, hvis den ikke "
        "skal bruges."
    )


def _write_tail(ws, top: int, budget_year: int, saerlige_forhold: str) -> None:
    """The Ændring row, Særlige forhold and the places rows under the two year rows."""
    y1, y2 = top + 1, top + 2
    change = top + 3
    ws.cell(change, COL["tilbud"], "Ændring").font = Font(italic=True)
    for key in ("pladser", "belaegning", "budget", "regulering", "oh_pct", *RATE_FIELDS):
        col = _letter(key)
        if key in RATE_FIELDS:
            formula = (
                f"=IF(AND(ISNUMBER({col}{y1}),{col}{y1}<>0,ISNUMBER({col}{y2})),"
                f'{col}{y2}/{col}{y1}-1,"")'
            )
            fmt = "0.0%"
        else:
            formula = f'=IF(AND(ISNUMBER({col}{y1}),ISNUMBER({col}{y2})),{col}{y2}-{col}{y1},"")'
            fmt = "0.0%" if key in _PERCENT else "#,##0"
        cell = _value(ws, change, COL[key], formula, CONSTANT)
        cell.number_format = fmt
    special = top + 4
    _value(ws, special, COL["tilbud"], "Særlige forhold vedrørende tilbuddet", CONSTANT)
    first, last = COL["afdeling"], COL["bemaerkning"]
    cell = _value(ws, special, first, saerlige_forhold or None, TO_FILL)
    cell.protection = _UNLOCKED
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=special, start_column=first, end_row=special, end_column=last)
    ws.row_dimensions[special].height = 30
    for offset, label in ((5, "Anvendte pladser"), (6, "Heraf solgte pladser")):
        row = top + offset
        _value(ws, row, COL["tilbud"], f"{label} - {budget_year}", CONSTANT)
        for key in TAKST_FIELDS:
            cell = _value(ws, row, COL[key], None, TO_FILL)
            cell.protection = _UNLOCKED


def _year1_value(prev, key: str):
    if prev is None:
        return None
    if key in TAKST_FIELDS:
        index = int(key.split("_")[1]) - 1
        return _num(prev.takster[index], key) if index < len(prev.takster) else None
    if key == "bemaerkning":
        return prev.bemaerkning or None
    return _num(getattr(prev, key), key)
