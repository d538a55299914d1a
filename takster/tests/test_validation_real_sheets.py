"""Rate sheets as people really fill them in: one test per class of wrong verdict (issue 12),
each on a real .xlsx written with openpyxl — from our template or laid out like the seed."""

from __future__ import annotations

import datetime
import io
import unicodedata
from decimal import Decimal

import openpyxl
import pytest

from takster.validation import Severity, TemplateBlock, YearValues, validate_workbook
from takster.validation.samples import build_seed_like_workbook

from .test_validation_rules import (
    KAERVEJ,
    SOLD,
    USED,
    Y1,
    Y2,
    codes,
    filled,
    kaervej_block,
    only,
    params,
    template,
)

D = Decimal
SEED = "Takstskema"


def edited(data: bytes, values: dict, sheet: str = "Takster") -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    for ref, value in values.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def code_list(result) -> list[str]:
    return [f.code for f in result.findings]


def messages(result) -> str:
    return "\n".join(f.message for f in result.findings)


# ------------------------------------------------------- a remark anywhere in the block


def test_a_remark_in_the_year1_bemaerkning_cell_explains_a_rise():
    # Basis 731 -> 800 is +9.4 %; the remark is typed in the blue year-1 cell (Y9).
    without = validate_workbook(filled({f"L{Y2}": 800}), params())
    assert [f.code for f in without.findings] == ["RISE_NEEDS_REMARK"]
    result = validate_workbook(
        filled({f"L{Y2}": 800, f"Y{Y1}": "Ny normering fra 1. januar."}), params()
    )
    assert result.findings == [] and result.ok


def test_a_remark_in_year1_explains_low_occupancy_too():
    data = filled({f"G{Y2}": 0.90, f"X{Y2}": 1, f"Y{Y1}": "Én plads står tom under ombygning."})
    result = validate_workbook(data, params())
    assert "LOW_OCCUPANCY_NEEDS_REMARK" not in code_list(result) and result.ok


def test_the_template_keeps_both_bemaerkning_cells_open_and_does_not_copy_last_years_remark():
    block = kaervej_block()
    block = TemplateBlock(
        tilbud=block.tilbud, afdeling=block.afdeling, paragraph=block.paragraph,
        unit=block.unit, year1=YearValues(**{**block.year1.__dict__, "bemaerkning": "Gammel"}),
    )
    ws = openpyxl.load_workbook(io.BytesIO(template([block])))["Takster"]
    for row in (Y1, Y2):
        cell = ws[f"Y{row}"]
        assert not cell.protection.locked and cell.fill.start_color.rgb.endswith("DDEBF7")
    assert ws[f"Y{Y1}"].value is None  # last year's remark explained last year's change
    assert ws.protection.sheet


def _rises_by_tilbud(result) -> set[str]:
    return {f.tilbud for f in result.findings if f.code == "RISE_NEEDS_REMARK"}


def test_the_seeds_remarks_on_the_2026_row_explain_the_2027_rises_in_a_seed_like_sheet():
    # Beskyttet Beskæftigelse rises 12,7 % with its remark printed on the 2026 row (merged);
    # Kærvej's basis rises 6,0 % and the seed's test row has no remark at all.
    result = validate_workbook(build_seed_like_workbook(), params())
    assert _rises_by_tilbud(result) == {KAERVEJ}
    # The same remark typed in the 2026 row only, with no merged cell, counts as well.
    wb = openpyxl.load_workbook(io.BytesIO(build_seed_like_workbook()))
    ws = wb[SEED]
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    out = io.BytesIO()
    wb.save(out)
    result = validate_workbook(out.getvalue(), params())
    assert _rises_by_tilbud(result) == {KAERVEJ}


# ---------------------------------------------------- formulas without a calculated value

FORMULA_FIELDS = {
    "F": "Pladser", "G": "Belægning", "H": "Budget i alt", "I": "Regulering", "J": "OH %",
    "L": "Basis", "M": "Time", "N": "Takst 1", "W": "Takst 10", "X": "Tomgang",
}


@pytest.mark.parametrize("column", list(FORMULA_FIELDS))
def test_an_uncalculated_formula_in_any_number_field_blocks_with_a_clear_message(column):
    # Written by a script (openpyxl keeps no cached value): never read as empty.
    data = filled({f"{column}{Y2}": f"={column}{Y1}*1.06"})
    result = validate_workbook(data, params())
    finding = next(f for f in result.findings if f.cell == f"{column}{Y2}")
    assert finding.code == "VALUE_INVALID" and finding.severity is Severity.ERROR
    assert finding.message.startswith(f"{FORMULA_FIELDS[column]} (2027) er en formel uden")
    assert "Åbn filen i Excel, gem den" in finding.message
    assert "Udfyld" not in messages(result) and not result.ok


def test_a_six_percent_rise_written_as_formulas_does_not_pass_as_ok():
    rates = {f"{c}{Y2}": f"={c}{Y1}*1.06" for c in "LMNOP"}
    result = validate_workbook(filled(rates), params())
    assert not result.ok
    assert {f.cell for f in result.findings} >= {f"L{Y2}", f"N{Y2}", f"P{Y2}"}


def test_an_uncalculated_formula_in_the_places_rows_blocks():
    result = validate_workbook(filled({f"N{USED}": "=7+3", f"N{SOLD}": "=2+3"}), params())
    cells = {f.cell: f.message for f in result.findings}
    assert "formel uden beregnet værdi" in cells[f"N{USED}"]
    assert cells[f"N{SOLD}"].startswith("Heraf solgte pladser (2027) for Takst 1 er en formel")


# --------------------------------------------------------------- Danish number habits


@pytest.mark.parametrize(
    ("ref", "typed", "field", "expected"),
    [
        (f"N{Y2}", "1.030,-", "takst_1", D(1030)),
        (f"N{Y2}", "kr. 1.430,-", "takst_1", D(1430)),
        (f"H{Y2}", "9.167.000,-", "budget", D(9_167_000)),
        (f"G{Y2}", "97 pct.", "belaegning", D(97)),
        (f"G{Y2}", "97 procent", "belaegning", D(97)),
        (f"I{Y2}", "(125.000)", "regulering", D(-125_000)),
        (f"I{Y2}", "-125.000", "regulering", D(-125_000)),
        (f"J{Y2}", "6,5 %", "oh_pct", D("6.5")),
    ],
)
def test_danish_number_habits_are_numbers(ref, typed, field, expected):
    result = validate_workbook(filled({ref: typed}), params())
    assert result.sheet.blocks[0].year2.get(field) == expected
    assert all(f.cell != ref for f in result.findings), codes(result)


def test_a_pl_that_excel_made_a_date_says_so_not_missing():
    # "3.10" typed in a Danish Excel becomes 3 October.
    result = validate_workbook(filled({"G2": datetime.date(2026, 10, 3)}), params())
    (finding,) = [f for f in result.findings if f.cell == "G2"]
    assert finding.code == "VALUE_INVALID"
    assert "dato" in finding.message and "3. oktober 2026" in finding.message
    assert "3,10" in finding.message and "mangler" not in finding.message


def test_an_oh_pct_that_excel_made_a_date_says_so():
    result = validate_workbook(filled({f"J{Y2}": datetime.date(2026, 5, 6)}), params())
    (finding,) = [f for f in result.findings if f.cell == f"J{Y2}"]
    assert finding.message.startswith("OH % (2027) er blevet til en dato i Excel (6. maj 2026)")
    assert "6,5" in finding.message and "Udfyld" not in finding.message


# ------------------------------------------------------------ an ended offer, in Danish


@pytest.mark.parametrize("word", ["nedlagt", "lukker", "lukket", "ophører", "udgår", "udgået"])
@pytest.mark.parametrize("where", [f"Y{Y2}", f"Y{Y1}", f"C{Y2 + 2}"])
def test_an_offer_ended_in_plain_danish_is_info_not_five_errors(word, where):
    text = f"Tilbuddet {word} pr. 31.12.2026 efter aftale med køberkommunerne."
    result = validate_workbook(edited(template(), {where: text}), params())
    assert codes(result) == [("TILBUD_ENDED", f"B{Y1}", Severity.INFO)]
    assert result.ok


def test_an_ended_offer_typed_on_a_mac_in_nfd_is_recognised():
    text = unicodedata.normalize("NFD", "Afdelingen udgår og er nedlagt.")
    result = validate_workbook(edited(template(), {f"Y{Y2}": text}), params())
    assert code_list(result) == ["TILBUD_ENDED"]


# ------------------------------------------------- header labels as people type them


def _seed_sheet(edits: dict) -> bytes:
    return edited(build_seed_like_workbook(), edits, sheet=SEED)


@pytest.mark.parametrize(
    "label", ["P/L – Kommuner", "P/L — Kommuner", "P/L\u00a0-\u00a0Kommuner", "P/L – KOMMUNER"]
)
def test_pl_labels_with_dashes_nbsp_and_case_read_like_the_plain_label(label):
    result = validate_workbook(_seed_sheet({"I3": label}), params())
    assert result.sheet.pl_kommuner == D("3.10")
    assert "PL_MISMATCH" not in code_list(result)


def test_column_headers_in_nfd_and_with_stray_spaces_are_found():
    data = template()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Takster"]
    for ref in ("C8", "E8", "G8", "Y8"):  # Afdeling, År, Belægning, Bemærkning
        ws[ref] = unicodedata.normalize("NFD", f" {ws[ref].value}\u00a0").upper()
    ws["B8"] = "TILBUD "
    out = io.BytesIO()
    wb.save(out)
    result = validate_workbook(edited(out.getvalue(), {f"F{Y2}": 15, f"G{Y2}": 0.98,
                                                       f"H{Y2}": 17e6, f"J{Y2}": 0.065,
                                                       f"N{Y2}": 1400}), params())
    block = result.sheet.blocks[0]
    assert not block.missing_columns and block.year2.belaegning == D(98)
    assert "COLUMN_MISSING" not in code_list(result)


def test_register_names_are_compared_nfc_normalised():
    name = "Botilbud Åkanden"
    register = {name: {name, "Søhuset"}}
    nfd, afdeling = unicodedata.normalize("NFD", name), unicodedata.normalize("NFD", "Søhuset")
    assert nfd != name
    data = filled({f"B{Y1}": nfd, f"C{Y1}": afdeling, f"B{Y2}": nfd, f"C{Y2}": afdeling})
    result = validate_workbook(data, params(known_offers=register))
    assert "TILBUD_UNKNOWN" not in code_list(result)
    assert "AFDELING_UNKNOWN" not in code_list(result)
    assert result.sheet.blocks[0].tilbud == name  # stored as NFC


# ------------------------------------- "Heraf solgte pladser" without the year


def test_sold_places_without_a_year_pair_with_the_used_places_row_of_the_block():
    data = filled({f"B{SOLD}": "Heraf solgte pladser", f"N{SOLD}": 4, f"O{SOLD}": 2})
    result = validate_workbook(data, params())
    assert "SOLD_EXCEEDS_USED" not in code_list(result), codes(result)
    data = filled({f"B{SOLD}": "Heraf solgte pladser", f"N{SOLD}": 12})
    (finding,) = only(validate_workbook(data, params()), "SOLD_EXCEEDS_USED")
    assert finding.cell == f"N{SOLD}" and "()" not in finding.message
    assert "anvendte pladser er 10" in finding.message


def test_no_message_prints_empty_parentheses_when_neither_row_has_a_year():
    data = filled({
        f"B{USED}": "Anvendte pladser", f"B{SOLD}": "Heraf solgte pladser",
        f"N{USED}": 30, f"N{SOLD}": 40,
    })
    result = validate_workbook(data, params())
    assert {"SOLD_EXCEEDS_USED", "USED_EXCEEDS_PLACES"} <= set(code_list(result))
    assert "()" not in messages(result)


# ----------------------------------------------------------------- DUPLICATE_BLOCK


def test_a_backup_copy_of_the_sheet_is_one_warning_not_every_offer_twice():
    wb = openpyxl.load_workbook(io.BytesIO(filled({f"L{Y2}": 800})))
    wb.copy_worksheet(wb["Takster"])  # "Takster Copy" — like Excel's "Takster (2)"
    wb.worksheets[-1].title = "Takster (2)"
    out = io.BytesIO()
    wb.save(out)
    result = validate_workbook(out.getvalue(), params())
    assert len(result.sheet.blocks) == 1
    assert [f.code for f in result.findings].count("RISE_NEEDS_REMARK") == 1
    (dup,) = only(result, "DUPLICATE_BLOCK")
    assert dup.severity is Severity.WARNING and dup.sheet == "Takster (2)"
    assert f"'Takster'!B{Y1}" in dup.message and f"'Takster (2)'!B{Y1}" in dup.message


def test_a_block_repeated_on_the_same_sheet_is_a_duplicate_but_a_structure_change_is_not():
    repeated = validate_workbook(filled(base=template([kaervej_block(), kaervej_block()])),
                                 params())
    assert code_list(repeated) == ["DUPLICATE_BLOCK"]
    assert "blokken i række 16" in repeated.findings[0].message
    # The seed's Botilbud A/B: same names, old structure in year 1, new in year 2.
    seed = validate_workbook(build_seed_like_workbook(), params())
    assert "DUPLICATE_BLOCK" not in code_list(seed)


# ---------------------------------------------------------------- Tomgang is places


@pytest.mark.parametrize(
    ("value", "text"),
    [(16, "antallet af tomme pladser af tilbuddets 15 pladser"), (1.5, "et helt antal"),
     ("kr. 2.000", "ikke et beløb i kroner"), (125_000, "ikke et beløb i kroner")],
)
def test_tomgang_must_be_a_whole_number_of_places_within_pladser(value, text):
    result = validate_workbook(filled({f"X{Y2}": value}), params())
    (finding,) = [f for f in result.findings if f.cell == f"X{Y2}"]
    assert finding.code == "VALUE_INVALID" and text in finding.message


def test_tomgang_equal_to_pladser_is_allowed():
    assert validate_workbook(filled({f"X{Y2}": 15}), params()).findings == []


# ------------------------------------------------------------------------ messages


def test_region_message_says_pl_for_regioner():
    data = filled({f"L{Y2}": 800})
    result = validate_workbook(data, params(driftsherre_kind="region"))
    (finding,) = [f for f in only(result, "RISE_NEEDS_REMARK") if f.cell == f"L{Y2}"]
    assert "P/L for regioner 2,46 %" in finding.message and "regionr" not in finding.message


def test_a_wrong_year_file_gets_year_mismatch_without_treated_as_ended():
    result = validate_workbook(build_seed_like_workbook(budget_year=2026), params())
    assert "YEAR_MISMATCH" in code_list(result)
    assert "TILBUD_ENDED" not in code_list(result) and "NEW_TILBUD" not in code_list(result)
    assert "behandles som udgået" not in messages(result)


def test_paragraph_unknown_once_per_block_on_the_cell_the_user_can_fill():
    data = filled({f"D{Y1}": "SEL § 999", f"D{Y2}": "SEL § 999"})
    (finding,) = only(validate_workbook(data, params()), "PARAGRAPH_UNKNOWN")
    assert finding.cell == f"D{Y2}"
    ws = openpyxl.load_workbook(io.BytesIO(template()))["Takster"]
    assert not ws[f"D{Y2}"].protection.locked and ws[f"D{Y1}"].protection.locked
