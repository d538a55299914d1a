"""QA findings on the 2027 rate sheet, each reproduced with a real workbook from our template."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from takster.validation import (
    RULESET_VERSION,
    Severity,
    TemplateBlock,
    YearValues,
    annotate_workbook,
    validate_workbook,
)

from .test_validation_rules import (
    KAERVEJ,
    Y1,
    Y2,
    codes,
    filled,
    kaervej_block,
    params,
    template,
)

D = Decimal
EMPTY_YEAR2_ERRORS = [
    ("VALUE_INVALID", f"F{Y2}", Severity.ERROR),  # Pladser
    ("VALUE_INVALID", f"G{Y2}", Severity.ERROR),  # Belægning
    ("VALUE_INVALID", f"H{Y2}", Severity.ERROR),  # Budget i alt
    ("VALUE_INVALID", f"J{Y2}", Severity.ERROR),  # OH %
    ("VALUE_INVALID", f"N{Y2}", Severity.ERROR),  # no rate at all: points at Takst 1
]


def edit(data: bytes, values: dict) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Takster"]
    for ref, value in values.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def messages(result, code="VALUE_INVALID") -> dict[str, str]:
    return {f.cell: f.message for f in result.findings if f.code == code}


# --------------------------------------------------------------- 1. untouched template


def test_an_untouched_template_with_prefilled_year1_cannot_pass():
    result = validate_workbook(template(), params(expected_driftsherre="Mariagerfjord Kommune"))
    assert codes(result) == EMPTY_YEAR2_ERRORS
    assert not result.ok and result.errors == 5
    found = messages(result)
    assert found[f"F{Y2}"].startswith("Udfyld Pladser for 2027")
    assert found[f"H{Y2}"].startswith("Udfyld Budget i alt for 2027")
    assert found[f"N{Y2}"].startswith("Udfyld mindst én takst for 2027")
    assert "skriv 'Udgår'" in found[f"G{Y2}"]
    assert all(f.code != "TILBUD_ENDED" for f in result.findings)


def test_an_untouched_first_year_template_with_only_places_cannot_pass():
    # The first year in the system: only Pladser is prefilled in year 1 (as services.py does).
    block = TemplateBlock(
        tilbud=KAERVEJ,
        afdeling=KAERVEJ,
        paragraph="ABL § 105",
        unit="Døgn",
        year1=YearValues(pladser=D(15)),
    )
    result = validate_workbook(template([block]), params())
    assert codes(result) == EMPTY_YEAR2_ERRORS
    assert "har kun tal for" not in " ".join(f.message for f in result.findings)


def test_an_untouched_new_offer_block_cannot_pass():
    new = TemplateBlock(tilbud="Nyt Botilbud", afdeling="Nord", paragraph="SEL § 108", unit="Døgn")
    result = validate_workbook(template([new]), params())
    assert codes(result) == EMPTY_YEAR2_ERRORS
    assert all(f.code not in ("NEW_TILBUD", "TILBUD_ENDED") for f in result.findings)


def test_a_year2_row_with_only_some_figures_still_asks_for_the_rest():
    data = edit(template(), {f"F{Y2}": 15, f"H{Y2}": 17_092_000})
    result = validate_workbook(data, params())
    assert [f.cell for f in result.findings] == [f"G{Y2}", f"J{Y2}", f"N{Y2}"]
    assert "Hvis tilbuddet udgår" not in messages(result)[f"G{Y2}"]  # the row is not empty


def test_an_empty_year2_marked_udgaar_is_an_ended_offer():
    data = edit(template(), {f"Y{Y2}": "Udgår: tilbuddet lukker 31/12 2026."})
    result = validate_workbook(data, params())
    assert codes(result) == [("TILBUD_ENDED", f"B{Y1}", Severity.INFO)]
    assert result.ok
    message = result.findings[0].message
    assert "har tal for 2026, ingen tal for 2027 og er markeret som udgået" in message


def test_udgaar_in_saerlige_forhold_also_marks_the_offer_as_ended():
    data = edit(template(), {f"C{Y2 + 2}": "Tilbuddet udgår af samarbejdet fra 2027."})
    assert codes(validate_workbook(data, params())) == [("TILBUD_ENDED", f"B{Y1}", Severity.INFO)]


def test_a_missing_year2_row_after_year1_figures_is_an_ended_offer():
    data = edit(template(), {f"E{Y2}": None})  # no År → no year-2 row at all
    result = validate_workbook(data, params())
    assert codes(result) == [("TILBUD_ENDED", f"B{Y1}", Severity.INFO)]
    assert "ingen række for 2027" in result.findings[0].message


def test_a_block_without_any_figures_and_without_a_year2_row_is_an_error():
    new = TemplateBlock(tilbud="Nyt Botilbud", afdeling="Nord", paragraph="SEL § 108", unit="Døgn")
    result = validate_workbook(edit(template([new]), {f"E{Y2}": None}), params())
    assert codes(result) == [("VALUE_INVALID", f"F{Y1}", Severity.ERROR)]
    assert "hverken for 2026 eller 2027" in result.findings[0].message


def test_marked_as_ended_without_year1_figures_is_an_error():
    new = TemplateBlock(tilbud="Nyt Botilbud", afdeling="Nord", paragraph="SEL § 108", unit="Døgn")
    result = validate_workbook(edit(template([new]), {f"Y{Y2}": "Udgår"}), params())
    assert codes(result) == [("VALUE_INVALID", f"F{Y1}", Severity.ERROR)]
    assert "markeret som udgået, men har ingen tal for 2026" in result.findings[0].message


def test_change_of_rate_structure_in_two_template_blocks_is_ended_plus_new():
    # The seed's "Skift i takststruktur": the old structure keeps only year 1 in one block,
    # the new one has only year 2 in another block with the same names.
    new_structure = TemplateBlock(
        tilbud=KAERVEJ, afdeling=KAERVEJ, paragraph="ABL § 105", unit="Time"
    )
    data = edit(
        template([kaervej_block(), new_structure]),
        {"F18": 15, "G18": 0.98, "H18": 17e6, "J18": 0.065, "L18": 760, "M18": 350},
    )
    result = validate_workbook(data, params())
    assert codes(result) == [
        ("TILBUD_ENDED", f"B{Y1}", Severity.INFO),
        ("NEW_TILBUD", "B17", Severity.INFO),
    ]
    message = result.findings[0].message
    assert "står i en anden blok for samme tilbud" in message and "række 16" in message
    # Each finding knows its block (the review page shows it there); the JSON does not change.
    assert [f.block for f in result.findings] == [0, 1]
    assert set(result.findings[0].to_dict()) == {
        "code", "severity", "sheet", "cell", "tilbud", "afdeling", "message"}


# --------------------------------------------------------------- 2. overhead and P/L header


def test_template_header_overhead_cells_are_percent_with_label_comment_and_limits():
    ws = openpyxl.load_workbook(io.BytesIO(template()))["Takster"]
    assert "i procent" in ws["B3"].value
    for ref in ("C4", "C5"):
        assert ws[ref].number_format == "0.0%"
        assert "i procent" in ws[ref].comment.text
    (overhead_dv,) = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    assert set(str(overhead_dv.sqref).split()) in ({"C4", "C5"}, {"C4:C5"})
    assert (overhead_dv.formula1, overhead_dv.formula2) == ("0", "100")
    assert ws["G2"].number_format == "0.00%" and "i procent" in ws["G2"].comment.text


def test_an_overhead_amount_in_the_header_is_invalid_not_a_deviation():
    result = validate_workbook(filled({"C5": 520_000}), params())
    assert codes(result) == [("VALUE_INVALID", "C5", Severity.ERROR)]
    message = result.findings[0].message
    assert "Overhead driftsherre for 2027" in message and "ikke overhead i kroner" in message
    negative = validate_workbook(filled({"C4": -0.02}), params())
    assert codes(negative) == [("VALUE_INVALID", "C4", Severity.ERROR)]


def test_a_valid_year_still_compares_when_the_other_header_year_is_impossible():
    # 2027's average is an amount: OH % 8,0 for 2027 falls back to 2026's 6,5 %.
    result = validate_workbook(filled({"C5": 500_000, f"J{Y2}": 0.08}), params())
    assert codes(result) == [
        ("VALUE_INVALID", "C5", Severity.ERROR),
        ("OVERHEAD_DEVIATES", f"J{Y2}", Severity.WARNING),
    ]
    assert "(2026) er 6,5 %" in result.findings[1].message


def test_an_impossible_pl_in_the_header_is_invalid_not_a_mismatch():
    result = validate_workbook(filled({"G2": 310}), params())
    assert codes(result) == [("VALUE_INVALID", "G2", Severity.ERROR)]
    assert "P/L - Kommuner er 310,0 %" in result.findings[0].message


def test_an_overhead_amount_in_the_oh_column_is_invalid_not_a_deviation():
    result = validate_workbook(filled({f"J{Y2}": 520_000}), params())
    assert codes(result) == [("VALUE_INVALID", f"J{Y2}", Severity.ERROR)]
    assert "ikke overhead i kroner" in result.findings[0].message


# --------------------------------------------------------------- 3. Danish annotations


def test_annotation_comments_name_the_severity_in_danish():
    data = template()
    result = validate_workbook(edit(data, {f"Y{Y2}": "Udgår"}), params())
    annotated = annotate_workbook(
        data, [*result.findings, *validate_workbook(data, params()).findings]
    )
    ws = openpyxl.load_workbook(io.BytesIO(annotated))["Takster"]
    assert ws[f"F{Y2}"].comment.text.startswith("Ugyldig værdi (fejl): Udfyld Pladser for 2027")
    assert ws[f"B{Y1}"].comment.text.startswith("Tilbud udgået (oplysning): ")
    assert ws[f"F{Y2}"].fill.start_color.rgb.endswith("FF9999")


# --------------------------------------------------------------- 4. year-1 prefill


RATES = (1369, 1663, 1958, 2252, 2547, 2841, 3136, 3430, 3725, 4019)  # the seed's Kærvej 2026


def test_every_year1_figure_is_prefilled_in_its_own_cell():
    block = TemplateBlock(
        tilbud=KAERVEJ,
        afdeling=KAERVEJ,
        paragraph="ABL § 105",
        unit="Døgn",
        year1=YearValues(
            pladser=D(15),
            belaegning=D(98),
            budget=D(15_999_963),
            regulering=D(-140_963),
            oh_pct=D("6.8"),
            basis=D(731),
            time=D("336.66"),
            takster=tuple(D(v) for v in RATES),
            tomgang=D(1),
            bemaerkning="Ny normering i 2026",
        ),
    )
    data = template([block])
    ws = openpyxl.load_workbook(io.BytesIO(data))["Takster"]
    row = {ref: ws[f"{ref}{Y1}"].value for ref in "BCDEFGHIJKLMNOPQRSTUVWXY"}
    assert row["B"] == row["C"] == KAERVEJ and row["D"] == "ABL § 105" and row["E"] == 2026
    assert (row["F"], row["G"], row["H"], row["I"]) == (15, 0.98, 15_999_963, -140_963)
    assert (row["J"], row["K"], row["L"], row["M"]) == (0.068, "Døgn", 731, 336.66)
    assert [row[c] for c in "NOPQRSTUVW"] == list(RATES)
    # Last year's remark explained last year's change: it is not copied in, and the year-1
    # Bemærkning cell is open (a remark in year 1 or year 2 explains the block).
    assert (row["X"], row["Y"]) == (1, None) and not ws[f"Y{Y1}"].protection.locked
    assert all(ws[f"{c}{Y1}"].protection.locked for c in "FGHIJLMNX")  # prefilled = locked
    # And the validator reads them back as the same figures.
    year1 = validate_workbook(data, params()).sheet.blocks[0].year1
    assert (year1.pladser, year1.belaegning, year1.oh_pct) == (D(15), D(98), D("6.8"))
    assert year1.takster[9] == D(4019) and year1.regulering == D(-140_963)


def test_ruleset_version_was_bumped_for_the_new_rules():
    assert RULESET_VERSION == "2027.4"
