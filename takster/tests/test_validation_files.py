"""Bad files, the seed-like sample, the template round trip, annotation and export."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from takster.validation import (
    Severity,
    annotate_workbook,
    findings_to_rows,
    overhead_pct,
    run_check,
    validate_workbook,
)
from takster.validation.numbers import parse_number, to_percent
from takster.validation.samples import build_large_workbook, build_seed_like_workbook

from .test_validation_rules import Y2, filled, params, template


def xlsx_bytes(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(data: bytes, extra: dict[str, bytes], *, replace: dict[str, bytes] | None = None):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, content in extra.items():
            dst.writestr(name, content)
    return out.getvalue()


def unreadable(result) -> str:
    assert [(f.code, f.severity, f.cell) for f in result.findings] == [
        ("FILE_UNREADABLE", Severity.ERROR, "")
    ]
    assert result.sheet is None and not result.ok
    return result.findings[0].message


def test_random_bytes_are_not_a_workbook(tmp_path):
    path = tmp_path / "takster.xlsx"
    path.write_bytes(b"this is not a spreadsheet" * 10)
    assert "ikke en Excel-projektmappe" in unreadable(validate_workbook(path, params()))


def test_encrypted_or_old_xls_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert "krypteret" in unreadable(validate_workbook(ole, params()))


def test_macro_workbook_is_refused(tmp_path):
    data = rezip(template(), {"xl/vbaProject.bin": b"\0" * 100})
    assert "makroer" in unreadable(validate_workbook(data, params()))
    path = tmp_path / "takster.xlsm"
    path.write_bytes(template())
    assert ".xlsm" in unreadable(validate_workbook(path, params()))


def test_macro_content_type_is_refused():
    data = template()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml").replace(
            b"sheet.main+xml", b"sheet.macroEnabled.main+xml"
        )
    data = rezip(data, {}, replace={"[Content_Types].xml": types})
    assert "makroer" in unreadable(validate_workbook(data, params()))


def test_too_big_file_is_refused(tmp_path):
    data = template()
    assert "for stor" in unreadable(validate_workbook(data, params(max_bytes=1000)))
    path = tmp_path / "stor.xlsx"
    path.write_bytes(data)
    assert "for stor" in unreadable(validate_workbook(path, params(max_bytes=1000)))


def test_zip_bomb_is_refused_from_the_directory():
    bomb = rezip(template(), {"xl/media/bomb.xml": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert "mistænkelig" in unreadable(validate_workbook(bomb, params()))
    assert "udpakket" in unreadable(
        validate_workbook(template(), params(max_uncompressed_bytes=20_000))
    )


def test_too_many_cells_is_refused():
    wb = openpyxl.Workbook()
    for _row in range(1, 60):
        wb.active.append(list(range(40)))
    message = unreadable(validate_workbook(xlsx_bytes(wb), params(max_cells=1000)))
    assert "for stort" in message


def test_external_links_are_refused():
    data = rezip(template(), {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "eksterne links" in unreadable(validate_workbook(data, params()))


def test_doctype_in_xml_is_refused():
    data = template()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        workbook = z.read("xl/workbook.xml")
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + workbook.split(b"?>", 1)[-1]
    data = rezip(data, {}, replace={"xl/workbook.xml": evil})
    unreadable(validate_workbook(data, params()))


def test_seed_like_workbook_gives_a_realistic_mix():
    p = params(expected_driftsherre="Mariagerfjord Kommune")
    result = validate_workbook(build_seed_like_workbook(), p)
    found = {(f.code, f.cell) for f in result.findings}
    assert ("RISE_NEEDS_REMARK", "M9") in found  # Kærvej basis 731 -> 775 = +6.0 %, no remark
    assert ("OVERHEAD_DEVIATES", "K17") in found  # Hobro 5,4 % vs 6,50 %
    assert ("USED_EXCEEDS_PLACES", "C21") in found  # Hobro 7 + 47 > 50
    assert ("PARAGRAPH_UNKNOWN", "E35") in found  # "§ 105" is not in the dropdown
    assert ("TILBUD_ENDED", "C35") in found and ("NEW_TILBUD", "C44") in found
    severities = {f.severity for f in result.findings}
    assert severities == {Severity.ERROR, Severity.WARNING, Severity.INFO}
    sheet = result.sheet
    assert sheet.driftsherre == "Mariagerfjord Kommune - test"
    assert sheet.pl_kommuner == Decimal("3.10") and sheet.pl_regioner == Decimal("2.46")
    assert sheet.overhead == {2025: Decimal("6.30"), 2026: Decimal("6.50")}
    kaervej = sheet.blocks[0]
    assert kaervej.tilbud == "Bo og Aktivitetstilbud Kærvej"  # merged over both year rows
    assert kaervej.year2.afdeling == kaervej.tilbud
    assert kaervej.year1.budget == Decimal(15999963)
    assert kaervej.year1.takster[9] == Decimal(4019)
    hobro = sheet.blocks[1]
    assert hobro.year2.bemaerkning.startswith("Taksten er faldet")  # merged remark
    assert hobro.year2.regulering == Decimal(-571416)
    assert hobro.saerlige_forhold.startswith("Takst 1 tæller")
    beskyttet_rise = [f for f in result.findings if f.tilbud.startswith("Beskyttet")]
    assert all(f.code != "RISE_NEEDS_REMARK" for f in beskyttet_rise)  # +12.7 % has a remark


def test_template_round_trip():
    data = filled({f"L{Y2}": 800, f"G{Y2}": 0.9, f"X{Y2}": 1})
    result = validate_workbook(data, params(expected_driftsherre="Mariagerfjord Kommune"))
    assert [(f.code, f.cell) for f in result.findings] == [
        ("RISE_NEEDS_REMARK", "L10"),
        ("LOW_OCCUPANCY_NEEDS_REMARK", "Y10"),
    ]
    wb = openpyxl.load_workbook(io.BytesIO(template()))
    ws = wb["Takster"]
    assert ws.protection.sheet and ws["H10"].protection.locked is False
    assert ws["H9"].protection.locked is True
    assert len(ws.data_validations.dataValidation) == 3  # §§, Enhed, overhead in percent
    assert ws.conditional_formatting
    assert ws["L11"].value.startswith("=IF(")
    assert wb["Lister"].sheet_state == "hidden"


def test_annotate_marks_cells_and_keeps_the_rest():
    data = filled({f"L{Y2}": 800, f"P{13}": 3})
    result = validate_workbook(data, params())
    annotated = annotate_workbook(data, result.findings)
    ws = openpyxl.load_workbook(io.BytesIO(annotated))["Takster"]
    assert ws["L10"].fill.start_color.rgb.endswith("FF9999")
    assert ws["L10"].comment.text.startswith("Takststigning kræver bemærkning (fejl): Basis stiger")
    assert "RISE_NEEDS_REMARK" not in ws["L10"].comment.text  # no English codes for users
    assert "(advarsel): " in ws["B13"].comment.text
    assert "(error)" not in ws["L10"].comment.text and "(warning)" not in ws["B13"].comment.text
    assert ws["B13"].fill.start_color.rgb.endswith("FFEB84")
    assert ws["L10"].value == 800 and ws["C2"].value == "Mariagerfjord Kommune"


def test_findings_to_rows_is_formula_injection_safe():
    result = validate_workbook(filled({f"H{Y2}": '=HYPERLINK("x")+1 kr'}), params())
    rows = findings_to_rows(result.findings)
    assert rows and all(
        not str(v).startswith(("=", "+", "-", "@")) for r in rows for v in r.values()
    )
    from takster.validation.findings import safe_cell_text

    assert [safe_cell_text(t) for t in ("=1", "+1", "-1", "@x", "\tx", "\rx", "ok")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
        "ok",
    ]


def test_run_check_exit_codes(tmp_path):
    good, bad, broken = tmp_path / "g.xlsx", tmp_path / "b.xlsx", tmp_path / "x.xlsx"
    good.write_bytes(filled())
    bad.write_bytes(filled({f"E{Y2}": 2030}))
    broken.write_bytes(b"nope")
    assert run_check(good, params())[0] == 0
    code, data = run_check(bad, params())
    assert code == 1 and data["errors"] == 1 and json.dumps(data)
    assert run_check(broken, params())[0] == 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15.999.963", Decimal(15999963)),
        ("-1.234,5", Decimal("-1234.5")),
        ("336,66", Decimal("336.66")),
        ("3,10%", Decimal("3.10")),
        (15.0, Decimal(15)),
        ("6.5", Decimal("6.5")),
    ],
)
def test_danish_numbers(raw, expected):
    assert parse_number(raw).value == expected


def test_percent_normalisation_and_overhead_formula():
    assert to_percent(parse_number("98%")) == to_percent(parse_number(0.98)) == Decimal(98)
    assert to_percent(parse_number(98)) == Decimal(98)
    assert overhead_pct(
        budget=Decimal(10_000_000), regulering=Decimal(200_000), overhead=Decimal(500_000)
    ) == Decimal("5.4")


def test_large_workbook_parses_every_block():
    result = validate_workbook(build_large_workbook(20), params())
    assert len(result.sheet.blocks) == 20 and result.sheet.driftsherre == "Aalborg Kommune"


def test_a_sheet_that_unpacks_to_more_than_declared_is_refused():
    # The cell cap is skipped for sheets too small to hold that many cells, which is only
    # sound if a sheet cannot unpack to more than the zip directory says.
    import struct

    data = bytearray(filled())
    name = b"xl/worksheets/sheet1.xml"
    i = data.find(b"PK\x01\x02")
    while i != -1:
        length = struct.unpack("<H", data[i + 28 : i + 30])[0]
        if bytes(data[i + 46 : i + 46 + length]) == name:
            struct.pack_into("<I", data, i + 24, 100)  # declared uncompressed size
            break
        i = data.find(b"PK\x01\x02", i + 4)
    result = validate_workbook(bytes(data), params())
    assert [f.code for f in result.findings] == ["FILE_UNREADABLE"]
