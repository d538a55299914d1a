"""The template explains itself: a Vejledning sheet, print setup, and spare open blocks."""

from __future__ import annotations

import io
import os
import re
import threading
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from takster.validation import validate_workbook
from takster.validation.template import BLOCK_HEIGHT, FIRST_BLOCK_ROW, SPARE_BLOCKS

from .test_validation_rules import KAERVEJ, Y2, filled, params, template

D = Decimal


def guide_text(data: bytes) -> str:
    ws = openpyxl.load_workbook(io.BytesIO(data))["Vejledning"]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_the_template_has_a_vejledning_sheet_explaining_the_columns_and_rules():
    data = template()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["Takster", "Vejledning"] and wb.active.title == "Takster"
    text = guide_text(data)
    for column in ("Tilbud", "Afdeling", "§§", "Pladser", "Belægning", "Budget i alt",
                   "Regulering", "OH %", "Enhed", "Basis / Time", "Takst 1-10", "Tomgang",
                   "Bemærkning", "Særlige forhold vedrørende tilbuddet", "Anvendte pladser",
                   "Heraf solgte pladser"):
        assert f"\n{column}\n" in f"\n{text}\n", column
    # The colour legend, Tomgang as places, the worked OH % example, offer changes, first year.
    assert "Udfyldes af kommunerne og regionen" in text and "Skal ikke udfyldes" in text
    assert "Antallet af tomme pladser" in text and "ikke kroner" in text
    assert "10.000.000 kr." in text and "9.300.000 kr." in text and "5,4 %" in text
    for heading in ("Nyt tilbud", "Tilbud udgået", "Skift i takststruktur",
                    "Sammenlægning eller opsplitning"):
        assert heading in text
    assert "første år" in text and "2026" in text
    assert "P/L + 2,0 procentpoint" in text and "under 95 %" in text


def test_the_guide_states_the_rounds_own_thresholds():
    from takster.validation import build_template

    data = build_template(
        driftsherre_name="Mariagerfjord Kommune", driftsherre_kind="kommune", budget_year=2027,
        pl_kommuner=D("3.10"), pl_regioner=D("2.46"), overhead_by_year={}, blocks=[],
        rise_threshold_pp=D("2.5"), occupancy_threshold=D("90"),
    )
    text = guide_text(data)
    assert "P/L + 2,5 procentpoint" in text and "under 90 %" in text
    assert "2,0 procentpoint" not in text


def test_print_setup_is_landscape_one_page_wide_with_title_rows_and_whole_names():
    long_name = "Bo- og Aktivitetstilbud Kærvej med Særlige Pladser for Unge Voksne"
    from takster.validation import TemplateBlock

    ws = openpyxl.load_workbook(io.BytesIO(template([
        TemplateBlock(tilbud=long_name, afdeling=long_name, paragraph="SEL § 108", unit="Døgn")
    ])))["Takster"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"
    name = ws[f"B{FIRST_BLOCK_ROW + 1}"]
    assert name.value == long_name and name.alignment.wrap_text
    assert ws.row_dimensions[FIRST_BLOCK_ROW + 1].height >= 45  # three lines of 26 characters


def test_a_driftsherre_adds_a_new_offer_in_a_spare_block_without_unprotecting():
    wb = openpyxl.load_workbook(io.BytesIO(filled()))
    ws = wb["Takster"]
    assert ws.protection.sheet  # the sheet stays protected
    top = FIRST_BLOCK_ROW + BLOCK_HEIGHT  # the first spare block, after Kærvej
    y1, y2 = top + 1, top + 2
    new = {"B": "Botilbud Nyt", "C": "Botilbud Nyt", "D": "SEL § 108", "F": 8, "G": 0.97,
           "H": 4_000_000, "I": 0, "J": 0.065, "K": "Døgn", "N": 1500}
    for col, value in new.items():
        cell = ws[f"{col}{y2}"]
        assert not cell.protection.locked, cell.coordinate
        cell.value = value
    for col in "BCDFGHIJKLMNX":
        assert not ws[f"{col}{y1}"].protection.locked  # a new structure's year 1 too
    out = io.BytesIO()
    wb.save(out)
    result = validate_workbook(out.getvalue(), params())
    assert [(f.code, f.tilbud) for f in result.findings] == [("NEW_TILBUD", "Botilbud Nyt")]
    assert [b.tilbud for b in result.sheet.blocks] == [KAERVEJ, "Botilbud Nyt"]


def test_unused_spare_blocks_are_ignored():
    result = validate_workbook(filled(), params())
    assert result.findings == [] and len(result.sheet.blocks) == 1
    assert result.sheet.blank_blocks == SPARE_BLOCKS


# ------------------------------------------------------------------ the command


@pytest.fixture
def seed_sheet(tmp_path):
    from takster.validation.samples import build_seed_like_workbook

    path = tmp_path / "mariagerfjord.xlsx"
    path.write_bytes(build_seed_like_workbook())
    return path


def run_command(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_rate_sheet", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_the_command_reads_the_file_once_without_driftsherre(reference_data, tmp_path):
    # A named pipe can be read once; a second read of it would find an empty file.
    from takster.validation.samples import build_seed_like_workbook

    fifo = tmp_path / "takster.xlsx"
    os.mkfifo(fifo)
    data = build_seed_like_workbook()

    def write_once():
        with open(fifo, "wb") as fh:
            fh.write(data)
        with open(fifo, "wb"):
            pass  # a second reader would get an empty file

    threading.Thread(target=write_once, daemon=True).start()
    code, out = run_command(str(fifo), "--year", "2027")
    assert out.startswith("Mariagerfjord Kommune: ")
    assert "Filen kan ikke læses" not in out and code == 1


def test_the_command_prints_danish_titles_and_plurals_without_codes(reference_data, seed_sheet):
    code, out = run_command(str(seed_sheet), "--year", "2027", "--driftsherre", "mariagerfjord")
    first = out.splitlines()[0]
    assert first.startswith("Mariagerfjord Kommune: ") and "IKKE OK" in first
    count, word = re.search(r"(\d+) (advarsel|advarsler) — ", first).groups()
    assert word == ("advarsel" if count == "1" else "advarsler")
    assert "RISE_NEEDS_REMARK" not in out and "Takststigning kræver bemærkning" in out
    assert "[error]" not in out and "Fejl – " in out
    _, json_out = run_command(str(seed_sheet), "--year", "2027", "--json")
    assert '"code": "RISE_NEEDS_REMARK"' in json_out  # the codes stay in the JSON


def test_plural_of_advarsel():
    from socialaftale.wording import plural

    assert plural(1, "advarsel", "advarsler") == "1 advarsel"
    assert plural(2, "advarsel", "advarsler") == "2 advarsler"
    assert plural(0, "advarsel", "advarsler") == "0 advarsler"


# --------------------------------------------------------------- the upload page


def test_the_upload_page_links_the_guide(client, rate_round, mariagerfjord, mf_user):
    client.force_login(mf_user)
    url = reverse("takster:upload_create", args=[rate_round.pk, mariagerfjord.pk])
    html = client.get(url).content.decode()
    template_url = reverse("takster:template", args=[rate_round.pk, mariagerfjord.pk])
    assert 'id="vejledning"' in html and f'href="{template_url}">Vejledning</a>' in html
    response = client.get(template_url)
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Vejledning" in wb.sheetnames
    assert wb["Takster"][f"Y{Y2}"].protection.locked is False


def test_a_backup_sheet_uploaded_through_the_form_is_one_warning_with_a_danish_title(
    client, rate_round, mariagerfjord, mf_user, django_capture_on_commit_callbacks
):
    from takster.models import Upload
    from takster.validation.samples import build_seed_like_workbook

    from .conftest import xlsx_file

    wb = openpyxl.load_workbook(io.BytesIO(build_seed_like_workbook()))
    wb.copy_worksheet(wb["Takstskema"]).title = "Takstskema (2)"
    out = io.BytesIO()
    wb.save(out)
    client.force_login(mf_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("takster:upload_create", args=[rate_round.pk, mariagerfjord.pk]),
            {"file": xlsx_file(out.getvalue())},
        )
    upload = Upload.objects.get()
    duplicates = upload.findings.filter(code="DUPLICATE_BLOCK")
    assert duplicates.count() == 7 and {f.sheet for f in duplicates} == {"Takstskema (2)"}
    assert upload.lines.filter(sheet="Takstskema (2)").count() == 0  # not counted twice
    html = client.get(response.url).content.decode()
    assert "Blokken står to gange (7)" in html and "DUPLICATE_BLOCK, 7" not in html
