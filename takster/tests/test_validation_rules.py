"""Every finding code, each on a real .xlsx built with openpyxl from our template."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from takster.validation import (
    FINDING_CODES,
    RateSheetParams,
    Severity,
    TemplateBlock,
    ValidationResult,
    YearValues,
    build_template,
    validate_workbook,
)

D = Decimal
KAERVEJ = "Bo og Aktivitetstilbud Kærvej"
# Template coordinates of the first block (header row 8): see template.py.
Y1, Y2, USED, SOLD = 9, 10, 13, 14


def params(**overrides) -> RateSheetParams:
    base = {"budget_year": 2027, "pl_kommuner": D("3.10"), "pl_regioner": D("2.46")}
    base.update(overrides)
    return RateSheetParams(**base)


def kaervej_block() -> TemplateBlock:
    return TemplateBlock(
        tilbud=KAERVEJ,
        afdeling=KAERVEJ,
        paragraph="ABL § 105",
        unit="Døgn",
        year1=YearValues(
            pladser=D(15),
            belaegning=D(98),
            budget=D(15999963),
            regulering=D(140963),
            oh_pct=D("6.8"),
            basis=D(731),
            time=D("336.66"),
            takster=(D(1369), D(1663), D(1958)),
        ),
    )


def template(blocks=None) -> bytes:
    return build_template(
        driftsherre_name="Mariagerfjord Kommune",
        driftsherre_kind="kommune",
        budget_year=2027,
        pl_kommuner=D("3.10"),
        pl_regioner=D("2.46"),
        overhead_by_year={2026: D("6.5"), 2027: D("6.5")},
        blocks=blocks if blocks is not None else [kaervej_block()],
    )


# Year 2 as in the seed, but with a basis rise inside P/L + 2 so the block is clean.
GOOD_YEAR2 = {
    f"F{Y2}": 15,
    f"G{Y2}": 0.98,
    f"H{Y2}": 17092000,
    f"I{Y2}": 0,
    f"J{Y2}": 0.065,
    f"L{Y2}": 760,
    f"M{Y2}": 348.89,
    f"N{Y2}": 1436,
    f"O{Y2}": 1741,
    f"P{Y2}": 2046,
    f"N{USED}": 10,
    f"O{USED}": 4,
    f"N{SOLD}": 5,
    f"O{SOLD}": 1,
}


def filled(edits: dict | None = None, *, base: bytes | None = None, sheet="Takster") -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(base or template()))
    ws = wb[sheet]
    for ref, value in {**GOOD_YEAR2, **(edits or {})}.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def codes(result: ValidationResult) -> list[tuple[str, str, Severity]]:
    return [(f.code, f.cell, f.severity) for f in result.findings]


def only(result: ValidationResult, code: str):
    found = [f for f in result.findings if f.code == code]
    assert found, f"{code} not in {codes(result)}"
    return found


def test_filled_template_is_clean():
    result = validate_workbook(filled(), params(expected_driftsherre="Mariagerfjord Kommune"))
    assert result.findings == []
    assert result.ok and result.to_json_dict() == {
        "ok": True,
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }
    block = result.sheet.blocks[0]
    assert block.tilbud == KAERVEJ and block.year2.budget == D(17092000)
    assert block.year2.belaegning == D(98) and block.year2.oh_pct == D("6.5")
    assert block.used_places[2027][:2] == [D(10), D(4)]


def test_every_code_has_a_table_entry_with_severity_title_and_source():
    for code, (severity, title, explanation, source) in FINDING_CODES.items():
        assert isinstance(severity, Severity) and title and explanation and source, code


def test_no_blocks_in_an_empty_workbook():
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Hej"
    out = io.BytesIO()
    wb.save(out)
    result = validate_workbook(out.getvalue(), params())
    assert codes(result) == [("NO_BLOCKS", "A1", Severity.ERROR)]


def test_column_missing_when_a_header_is_deleted():
    result = validate_workbook(filled({"X8": None}), params())
    (finding,) = only(result, "COLUMN_MISSING")
    assert (finding.cell, finding.severity) == ("B8", Severity.ERROR)
    assert "Tomgang" in finding.message


def test_year_mismatch_points_at_the_year_cell():
    result = validate_workbook(filled({f"E{Y2}": 2028}), params())
    (finding,) = only(result, "YEAR_MISMATCH")
    assert (finding.cell, finding.severity) == (f"E{Y2}", Severity.ERROR)


def test_driftsherre_mismatch():
    result = validate_workbook(filled(), params(expected_driftsherre="Aalborg Kommune"))
    assert codes(result) == [("DRIFTSHERRE_MISMATCH", "C2", Severity.ERROR)]


def test_pl_mismatch_on_the_pl_cell():
    result = validate_workbook(filled({"G3": 0.025}), params())
    assert codes(result) == [("PL_MISMATCH", "G3", Severity.ERROR)]


@pytest.mark.parametrize(
    ("ref", "value", "text"),
    [
        (f"H{Y2}", "ca. 17 mio", "ikke er et tal"),
        (f"F{Y2}", -15, "negativ"),
        (f"G{Y2}", 1.2, "100 %"),
    ],
)
def test_value_invalid(ref, value, text):
    result = validate_workbook(filled({ref: value}), params())
    (finding,) = only(result, "VALUE_INVALID")
    assert (finding.cell, finding.severity) == (ref, Severity.ERROR)
    assert text in finding.message


def test_negative_regulering_is_allowed():
    assert validate_workbook(filled({f"I{Y2}": -571416}), params()).findings == []


def test_paragraph_and_unit_must_come_from_the_dropdowns():
    result = validate_workbook(filled({f"D{Y2}": "§ 105", f"K{Y2}": "Nat"}), params())
    assert codes(result) == [
        ("PARAGRAPH_UNKNOWN", f"D{Y2}", Severity.ERROR),
        ("UNIT_UNKNOWN", f"K{Y2}", Severity.ERROR),
    ]


def test_rise_above_pl_plus_two_needs_remark():
    # Basis 731 -> 775 is +6.0 %, above 3.10 + 2.0 (the seed's Kærvej figures).
    result = validate_workbook(filled({f"L{Y2}": 775}), params())
    assert codes(result) == [("RISE_NEEDS_REMARK", f"L{Y2}", Severity.ERROR)]
    assert "stiger 6,02 %" in result.findings[0].message
    assert "grænsen er 5,10 % = P/L for kommuner 3,10 % + 2,0 pp" in result.findings[0].message
    with_remark = filled({f"L{Y2}": 775, f"Y{Y2}": "Ny normering"})
    assert validate_workbook(with_remark, params()).findings == []


def test_region_uses_pl_regioner():
    # +5.0 % is within 3.10 + 2 for a kommune but above 2.46 + 2 for a region.
    edits = {f"L{Y2}": 767.55, f"N{Y2}": 1369, f"O{Y2}": 1663, f"P{Y2}": 1958}
    assert validate_workbook(filled(edits), params()).findings == []
    result = validate_workbook(filled(edits), params(driftsherre_kind="region"))
    assert codes(result) == [("RISE_NEEDS_REMARK", f"L{Y2}", Severity.ERROR)]


def test_low_occupancy_needs_remark_and_idle():
    result = validate_workbook(filled({f"G{Y2}": "90%"}), params())
    assert codes(result) == [
        ("LOW_OCCUPANCY_NEEDS_IDLE", f"X{Y2}", Severity.ERROR),
        ("LOW_OCCUPANCY_NEEDS_REMARK", f"Y{Y2}", Severity.ERROR),
    ]
    ok = filled({f"G{Y2}": 90, f"X{Y2}": 2, f"Y{Y2}": "To pladser står tomme"})
    assert validate_workbook(ok, params()).findings == []


def test_sold_exceeds_used():
    result = validate_workbook(filled({f"O{SOLD}": 7}), params())
    assert codes(result) == [("SOLD_EXCEEDS_USED", f"O{SOLD}", Severity.ERROR)]


def test_used_exceeds_places_is_a_warning():
    result = validate_workbook(filled({f"P{USED}": 3}), params())
    assert codes(result) == [("USED_EXCEEDS_PLACES", f"B{USED}", Severity.WARNING)]
    assert result.ok and result.warnings == 1


def test_overhead_deviates_from_driftsherre_average():
    result = validate_workbook(filled({f"J{Y2}": "8,0%"}), params())
    assert codes(result) == [("OVERHEAD_DEVIATES", f"J{Y2}", Severity.WARNING)]


def test_unknown_tilbud_and_afdeling():
    unknown = params(known_offers={"Aktivitetshuset Hobro": {"Aktivitetshuset Hobro"}})
    assert codes(validate_workbook(filled(), unknown)) == [
        ("TILBUD_UNKNOWN", f"B{Y2}", Severity.WARNING)
    ]
    other_dept = params(known_offers={KAERVEJ.lower(): {"Kærvej Nord"}})
    assert codes(validate_workbook(filled(), other_dept)) == [
        ("AFDELING_UNKNOWN", f"C{Y2}", Severity.WARNING)
    ]


def test_prefill_changed():
    prefill = {(KAERVEJ, KAERVEJ, "budget"): D(15999963), (KAERVEJ, KAERVEJ, "pladser"): D(14)}
    result = validate_workbook(filled(), params(prefill=prefill))
    assert codes(result) == [("PREFILL_CHANGED", f"F{Y1}", Severity.WARNING)]


def test_new_and_ended_offers_are_info():
    new = TemplateBlock(tilbud="Nyt Botilbud", afdeling="Nord", paragraph="SEL § 108", unit="Døgn")
    base = template([kaervej_block(), new])
    # Kærvej's year 2 is empty and marked "Udgår" (ended); the new offer's year 2 is filled.
    wb = openpyxl.load_workbook(io.BytesIO(base))
    ws = wb["Takster"]
    ended = {f"Y{Y2}": "Udgår pr. 31/12: lukket efter aftale med køberne."}
    new_year2 = {"F18": 10, "G18": 0.96, "H18": 9e6, "J18": 0.06, "N18": 1200}
    for ref, value in {**ended, **new_year2}.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    result = validate_workbook(out.getvalue(), params())
    assert codes(result) == [
        ("TILBUD_ENDED", f"B{Y1}", Severity.INFO),
        ("NEW_TILBUD", "B17", Severity.INFO),
    ]
    assert result.ok


def test_formula_without_cached_value_gives_a_clear_finding():
    result = validate_workbook(filled({f"H{Y2}": "=H9*1.05"}), params())
    (finding,) = only(result, "VALUE_INVALID")
    assert finding.cell == f"H{Y2}" and "formel" in finding.message


def test_findings_are_sorted_and_json_has_the_contract_keys():
    result = validate_workbook(filled({f"G{Y2}": 0.9, f"D{Y2}": "x", "G3": 0.01}), params())
    keys = [f.sort_key()[:3] for f in result.findings]
    assert keys == sorted(keys)
    data = result.to_json_dict()
    assert data["ok"] is False and data["errors"] == len(result.findings)
    assert set(data["findings"][0]) == {
        "code",
        "severity",
        "sheet",
        "cell",
        "tilbud",
        "afdeling",
        "message",
    }


def test_progress_is_reported():
    seen: list[int] = []
    validate_workbook(filled(), params(), progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen)
