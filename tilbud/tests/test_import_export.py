"""Bulk import and export: checked before saving, all or nothing, formula-safe on the way out."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tilbud import services
from tilbud.models import Tilbud, TilbudChange

HEADER = ["Navn", "Driftsherre", "§§", "Målgruppe", "Enhed", "Pladser", "Status",
          "Status fra år", "Forstærket samarbejde"]
GOOD = ["Værkstedet Smedjen", "thisted", "SEL § 103", "Beskyttet beskæftigelse",
        "Dag", "25", "Aktiv", "", "nej"]
GOOD_2 = ["Ungebostedet Havblik", "Region Nordjylland", "SEL § 107; BL § 43", "Unge",
          "Døgn", "8", "Nyt", "2027", "ja"]
BAD_DRIFTSHERRE = ["Bostedet Ingenlunde", "Skagen Kommune", "SEL § 108", "", "Døgn", "5",
                   "Aktiv", "", "nej"]
BAD_PARAGRAPH = ["Bostedet Måske", "Rebild Kommune", "SEL § 999", "", "Døgn", "5", "Aktiv",
                 "", "nej"]


def as_csv(*rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def as_xlsx(*rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def excel_csv_rows(text: str) -> list[list[str]]:
    """The file read as Danish Excel reads it: UTF-8 with BOM, ";" between cells."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def row_errors(result) -> list[str]:
    return [msg for row in result.invalid_rows for msgs in row.error_dict.values() for msg in msgs]


def test_dry_run_reports_row_errors_in_danish_and_saves_nothing(paragraffer):
    result = services.tilbud_import(
        data=as_csv(GOOD, BAD_DRIFTSHERRE, BAD_PARAGRAPH), file_format="csv", dry_run=True
    )
    assert result.has_validation_errors()
    errors = row_errors(result)
    assert any(
        e.startswith("Række 3 i regnearket: Ukendt driftsherre 'Skagen Kommune'") for e in errors
    )
    assert any(e.startswith("Række 4 i regnearket: Ukendt lovgrundlag: SEL § 999") for e in errors)
    assert not Tilbud.objects.exists()


def test_a_file_with_one_bad_row_is_not_half_saved(paragraffer):
    result = services.tilbud_import(
        data=as_xlsx(GOOD, GOOD_2, BAD_DRIFTSHERRE), file_format="xlsx", dry_run=False
    )
    assert result.has_validation_errors()
    assert not Tilbud.objects.exists()
    assert not TilbudChange.objects.exists()


def test_commit_creates_offers_with_paragraphs_and_history(paragraffer, sekretariat):
    result = services.tilbud_import(
        data=as_xlsx(GOOD, GOOD_2), file_format="xlsx", dry_run=False, by=sekretariat
    )
    assert not result.has_errors() and not result.has_validation_errors()
    havblik = Tilbud.objects.get(name="Ungebostedet Havblik")
    assert havblik.driftsherre.slug == "region-nordjylland"
    assert sorted(p.code for p in havblik.paragraphs.all()) == ["BL § 43", "SEL § 107"]
    assert (havblik.status, havblik.status_year, havblik.forstaerket_samarbejde) == (
        Tilbud.Status.NEW, 2027, True
    )
    entry = TilbudChange.objects.get(tilbud=havblik)
    assert entry.action == TilbudChange.Action.IMPORTED and entry.changed_by == sekretariat


def test_reimport_updates_by_driftsherre_and_name_and_logs_the_difference(paragraffer):
    services.tilbud_import(data=as_csv(GOOD), file_format="csv", dry_run=False)
    changed = GOOD.copy()
    changed[5] = "30"
    result = services.tilbud_import(data=as_csv(changed), file_format="csv", dry_run=False)
    assert result.totals["update"] == 1
    smedjen = Tilbud.objects.get()
    assert smedjen.places == 30 and smedjen.driftsherre.name == "Thisted Kommune"
    last = TilbudChange.objects.filter(tilbud=smedjen).first()
    assert {"field": "pladser", "old": "25", "new": "30"} in last.changes


def test_new_offer_without_start_year_is_rejected(paragraffer):
    row = GOOD_2.copy()
    row[7] = ""
    result = services.tilbud_import(data=as_csv(row), file_format="csv", dry_run=False)
    assert "Angiv året for et nyt eller udgået tilbud." in row_errors(result)
    assert not Tilbud.objects.exists()


def test_export_escapes_cells_that_would_run_as_formulas(register):
    register["syrenhuset"].target_group = "=HYPERLINK(\"http://x\")"
    register["syrenhuset"].address = "+45 1234"
    register["syrenhuset"].contact = "@kontakt"
    register["syrenhuset"].description = "\tindrykket"
    register["syrenhuset"].municipality = "-minus"
    register["syrenhuset"].save()
    rows = excel_csv_rows(services.tilbud_export(file_format="csv"))
    header, body = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:3] == ["Navn", "Driftsherre", "§§"]
    syrenhuset = body["Syrenhuset"]
    assert syrenhuset["Målgruppe"] == "'=HYPERLINK(\"http://x\")"
    assert syrenhuset["Adresse"] == "'+45 1234"
    assert syrenhuset["Kontakt"] == "'@kontakt"
    assert syrenhuset["Beskrivelse"] == "'\tindrykket"
    assert syrenhuset["Beliggenhedskommune"] == "'-minus"
    assert body["Bo og Aktivitetstilbud Kærvej"]["Afdelinger (kun eksport)"] == "Kærvej Hus Nord"


def test_xlsx_export_is_escaped_and_reads_back(register):
    register["birken"].target_group = "=1+1"
    register["birken"].save()
    data = services.tilbud_export(file_format="xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    values = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert values["Specialbørnehaven Birken"]["Målgruppe"] == "'=1+1"
    assert values["Specialbørnehaven Birken"]["§§"] == "BL § 32"


def test_admin_import_shows_errors_and_offers_no_confirmation(client, sekretariat, paragraffer):
    client.force_login(sekretariat)
    upload = SimpleUploadedFile("tilbud.xlsx", as_xlsx(GOOD, BAD_DRIFTSHERRE))
    response = client.post("/admin/tilbud/tilbud/import/", {
        "import_file": upload, "format": "0", "resource": "0",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "Har blot én række en fejl, gemmes intet" in body
    assert "Række 3 i regnearket: Ukendt driftsherre &#x27;Skagen Kommune&#x27;" in body
    assert "Nogle rækker kunne ikke godkendes" in body  # the package's own texts in Danish
    assert "Some rows failed to validate" not in body
    assert "process_import" not in body
    assert not Tilbud.objects.exists()


def test_admin_import_preview_then_confirm(client, sekretariat, paragraffer):
    client.force_login(sekretariat)
    upload = SimpleUploadedFile("tilbud.csv", as_csv(GOOD, GOOD_2).encode())
    response = client.post("/admin/tilbud/tilbud/import/", {
        "import_file": upload, "format": "1", "resource": "0",
    })
    assert response.status_code == 200
    assert "Værkstedet Smedjen" in response.content.decode()
    assert not Tilbud.objects.exists(), "the preview is a dry run"
    confirm = response.context["confirm_form"].initial
    response = client.post("/admin/tilbud/tilbud/process_import/", confirm)
    assert response.status_code == 302
    assert sorted(Tilbud.objects.values_list("name", flat=True)) == [
        "Ungebostedet Havblik", "Værkstedet Smedjen"
    ]
    assert TilbudChange.objects.filter(changed_by=sekretariat).count() == 2


def test_admin_export_page_offers_xlsx_and_csv(client, sekretariat, register):
    client.force_login(sekretariat)
    response = client.get("/admin/tilbud/tilbud/export/")
    assert response.status_code == 200
    formats = [label for _, label in response.context["form"].fields["format"].choices]
    assert formats == ["---", "xlsx", "csv"]


@pytest.mark.parametrize("file_format", ["pdf", "xls"])
def test_unsupported_import_formats_are_refused(paragraffer, file_format):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.tilbud_import(data=b"", file_format=file_format, dry_run=True)


def test_admin_export_download_is_escaped(client, sekretariat, register):
    register["syrenhuset"].target_group = "=cmd|' /C calc'!A0"
    register["syrenhuset"].save()
    client.force_login(sekretariat)
    form = client.get("/admin/tilbud/tilbud/export/").context["form"]
    data = {"format": "1", "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("tilbudresource_")})
    response = client.post("/admin/tilbud/tilbud/export/", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and ";=cmd" not in text


def test_a_file_without_the_key_columns_is_refused_in_danish(paragraffer):
    result = services.tilbud_import(data="Titel,Sted\nx,y\n", file_format="csv", dry_run=True)
    assert result.has_errors()
    assert "Filen mangler kolonnen/kolonnerne Navn, Driftsherre" in str(result.base_errors[0].error)


def test_admin_refuses_an_oversized_import_file(client, sekretariat, paragraffer):
    client.force_login(sekretariat)
    upload = SimpleUploadedFile("stor.csv", b"Navn,Driftsherre\n" + b"x" * (6 * 1024 * 1024))
    response = client.post("/admin/tilbud/tilbud/import/", {
        "import_file": upload, "format": "1", "resource": "0",
    }, follow=True)
    assert "Filen er for stor (6 MB)" in response.content.decode()
    assert not Tilbud.objects.exists()


def test_an_exported_file_imports_back_unchanged(register):
    register["syrenhuset"].target_group = "=ikke en formel"
    register["syrenhuset"].save()
    before = {t.pk: services.tilbud_snapshot(tilbud=t) for t in Tilbud.objects.all()}
    for file_format in ["xlsx", "csv"]:
        data = services.tilbud_export(file_format=file_format)
        result = services.tilbud_import(data=data, file_format=file_format, dry_run=False)
        assert not result.has_errors() and not row_errors(result), (file_format, row_errors(result))
        assert result.totals["skip"] == 4, file_format
    after = {t.pk: services.tilbud_snapshot(tilbud=t) for t in Tilbud.objects.all()}
    assert after == before
    assert Tilbud.objects.get(name="Syrenhuset").target_group == "=ikke en formel"


def test_numbers_are_whole_and_may_use_danish_thousands(paragraffer):
    big, bad = GOOD.copy(), GOOD_2.copy()
    big[5], bad[5] = "1.200", "2,5"
    result = services.tilbud_import(data=as_csv(big, bad), file_format="csv", dry_run=True)
    assert row_errors(result) == ["Række 3 i regnearket: '2,5' er ikke et helt, positivt tal."]
    result = services.tilbud_import(data=as_csv(big), file_format="csv", dry_run=False)
    assert Tilbud.objects.get().places == 1200


def test_csv_export_opens_in_danish_excel_with_every_letter_and_column(register):
    data = services.tilbud_export(file_format="csv").encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")  # the UTF-8 BOM
    rows = excel_csv_rows(data)
    header = rows[0]
    assert header[:3] == ["Navn", "Driftsherre", "§§"] and "Forstærket samarbejde" in header
    assert all(len(row) == len(header) for row in rows)
    names = {row[0] for row in rows[1:]}
    assert "Specialbørnehaven Birken" in names


def test_semicolon_and_comma_csv_files_both_import(paragraffer):
    semicolon = as_csv(GOOD).replace(",", ";").encode("utf-8-sig")
    result = services.tilbud_import(data=semicolon, file_format="csv", dry_run=True)
    assert not result.has_errors() and not result.invalid_rows
    comma = as_csv(GOOD)
    result = services.tilbud_import(data=comma, file_format="csv", dry_run=True)
    assert not result.has_errors() and not result.invalid_rows


def test_xlsx_export_has_a_danish_sheet_numbers_as_numbers_and_a_bold_header(register):
    ws = openpyxl.load_workbook(io.BytesIO(services.tilbud_export(file_format="xlsx"))).active
    assert ws.title == "Tilbud"
    header = [c.value for c in ws[1]]
    assert header[0] == "Navn" and all(c.font.bold for c in ws[1])
    places = ws.cell(row=2, column=header.index("Pladser") + 1)
    assert isinstance(places.value, int) and places.number_format == "0"
    assert ws.freeze_panes == "A2"


def test_admin_export_form_lists_the_danish_column_names(client, sekretariat, register):
    client.force_login(sekretariat)
    form = client.get("/admin/tilbud/tilbud/export/").context["form"]
    labels = [f.label for name, f in form.fields.items() if name.startswith("tilbudresource_")]
    assert labels[:3] == ["Navn", "Driftsherre", "§§"]
    assert "Name (Navn)" not in labels and "Status Year (Status fra år)" not in labels


def test_admin_xlsx_download_is_a_named_sheet(client, sekretariat, register):
    client.force_login(sekretariat)
    form = client.get("/admin/tilbud/tilbud/export/").context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("tilbudresource_")})
    response = client.post("/admin/tilbud/tilbud/export/", data)
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws.title == "Tilbud" and ws["A1"].value == "Navn"
