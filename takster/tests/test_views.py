"""Pages: who may see what, the upload form with real bad files, the report, downloads."""

import csv
import io
import os
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from takster.models import Submission, Upload
from takster.services import template_build_for
from takster.validation.samples import build_seed_like_workbook

from .conftest import KAERVEJ, fill_year2, workbook_bytes, xlsx_file

pytestmark = pytest.mark.django_db


def upload_url(rate_round, driftsherre):
    return reverse("takster:upload_create", args=[rate_round.pk, driftsherre.pk])


def post_file(client, rate_round, driftsherre, content, name="takster.xlsx", capture=None):
    with capture(execute=True):
        return client.post(upload_url(rate_round, driftsherre), {"file": xlsx_file(content, name)})


# ------------------------------------------------------------------ permissions


def test_start_page_is_public_and_names_the_open_round(client, rate_round):
    response = client.get(reverse("takster:index"))
    assert response.status_code == 200
    assert "Takstrunde 2027" in response.content.decode()
    assert "Log ind" in response.content.decode()


def test_driftsherre_start_page_shows_own_round_and_links(client, rate_round, mf_user,
                                                          mariagerfjord):
    client.force_login(mf_user)
    html = client.get(reverse("takster:index")).content.decode()
    assert "Takster for Mariagerfjord Kommune" in html
    assert reverse("takster:template", args=[rate_round.pk, mariagerfjord.pk]) in html


def test_secretariat_sees_every_driftsherre_in_few_queries(
    client, rate_round, staff, stored_upload, django_assert_max_num_queries
):
    stored_upload()
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("takster:index")).content.decode()
    assert html.count("<th scope=\"row\">") == 12 and "8 fejl" in html


@pytest.mark.parametrize("who", ["anonymous", "das", "other", "own", "staff"])
def test_template_download_permissions(client, rate_round, mariagerfjord, who, mf_user,
                                       aalborg_user, staff, das_user):
    user = {"das": das_user, "other": aalborg_user, "own": mf_user, "staff": staff}.get(who)
    if user:
        client.force_login(user)
    response = client.get(reverse("takster:template", args=[rate_round.pk, mariagerfjord.pk]))
    expected = {"anonymous": 302, "das": 403, "other": 404, "own": 200, "staff": 200}[who]
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].endswith('takstskema-2027-mariagerfjord.xlsx"')
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        assert wb["Takster"]["C2"].value == "Mariagerfjord Kommune"


@pytest.mark.parametrize("who", ["anonymous", "das", "other", "own", "staff"])
def test_report_and_downloads_permissions(client, stored_upload, who, mf_user, aalborg_user,
                                          staff, das_user):
    upload = stored_upload()
    user = {"das": das_user, "other": aalborg_user, "own": mf_user, "staff": staff}.get(who)
    if user:
        client.force_login(user)
    expected = {"anonymous": 302, "das": 403, "other": 404, "own": 200, "staff": 200}[who]
    for name, args in [
        ("upload_detail", [upload.pk]),
        ("upload_file", [upload.pk]), ("upload_annotated", [upload.pk]),
        ("upload_findings", [upload.pk, "csv"]), ("upload_findings", [upload.pk, "xlsx"]),
        ("upload_compare", [upload.pk]), ("submission_detail", [upload.submission.pk]),
    ]:
        response = client.get(reverse(f"takster:{name}", args=args))
        assert response.status_code == expected, name
    # The one job-status endpoint: only the own driftsherre and the secretariat, others 404.
    status = client.get(reverse("jobs:status", args=[upload.job_id])).status_code
    assert status == (200 if who in {"own", "staff"} else 404)


def test_another_driftsherre_cannot_upload_for_mariagerfjord(client, rate_round, mariagerfjord,
                                                             aalborg_user,
                                                             django_capture_on_commit_callbacks):
    client.force_login(aalborg_user)
    response = post_file(client, rate_round, mariagerfjord, build_seed_like_workbook(),
                         capture=django_capture_on_commit_callbacks)
    assert response.status_code == 404 and not Upload.objects.exists()


def test_upload_requires_csrf(rate_round, mariagerfjord, mf_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(mf_user)
    response = client.post(upload_url(rate_round, mariagerfjord),
                           {"file": xlsx_file(build_seed_like_workbook())})
    assert response.status_code == 403 and not Upload.objects.exists()


# ------------------------------------------------------------------ the whole path


def test_template_filled_and_uploaded_gives_a_clean_report_that_can_be_submitted(
    client, rate_round, mariagerfjord, mf_user, django_capture_on_commit_callbacks
):
    client.force_login(mf_user)
    template = client.get(reverse("takster:template", args=[rate_round.pk, mariagerfjord.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(template.content))
    ws = wb["Takster"]
    ws["C5"] = 0.065  # overhead for the budget year
    ws["C4"] = 0.065
    for row in ws.iter_rows(min_row=8):
        if row[4].value == 2027 and row[1].value:  # year-2 row of a block
            r = row[0].row
            ws[f"D{r}"] = ws[f"D{r - 1}"].value or "SEL § 104"
            ws[f"K{r}"] = ws[f"K{r - 1}"].value or "Døgn"
            for col, value in {"F": 15, "G": 0.97, "H": 17092000, "I": 0, "J": 0.065,
                               "L": 760, "N": 1436}.items():
                ws[f"{col}{r}"] = value
    response = post_file(client, rate_round, mariagerfjord, workbook_bytes(wb),
                         capture=django_capture_on_commit_callbacks)
    upload = Upload.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "takster:upload_detail", args=[upload.pk])
    html = client.get(response.url).content.decode()
    assert "Ingen fejl eller advarsler" in html, html
    assert "Indsend version 1" in html
    response = client.post(reverse("takster:upload_submit", args=[upload.pk]))
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert "er indsendt" in client.get(response.url).content.decode()


def test_report_shows_verdict_counts_groups_cells_and_values(client, stored_upload, mf_user):
    upload = stored_upload()
    client.force_login(mf_user)
    html = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert "Skemaet har fejl og kan ikke indsendes" in html
    assert "Takststigning kræver bemærkning (1)" in html and "RISE_NEEDS_REMARK, 1" not in html
    assert "Kilde: Styringsaftalen 2025-2026" in html
    assert "Takstskema!M9" in html and "775" in html and KAERVEJ.split()[0] in html
    assert "Skemaet har fejl. Ret dem" in html  # no submit button, a reason instead
    assert "Indsend version" not in html
    assert html.index("badge-error") < html.index("badge-warning") < html.index("badge-info")


def test_warnings_are_acknowledged_through_the_form(client, stored_upload, mf_user):
    from takster.tests.test_validation_rules import filled, template

    upload = stored_upload(filled({"J10": 0.09}, base=template()))
    client.force_login(mf_user)
    html = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert "1 advarsel mangler en kommentar" in html
    warning = upload.findings.get(severity="warning")
    client.post(reverse("takster:upload_acknowledge", args=[upload.pk]),
                {f"comment_{warning.pk}": "Overhead er højere pga. ny leder."})
    html = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert "Overhead er højere pga. ny leder." in html and "Indsend version 1" in html


def test_findings_downloads_are_formula_injection_safe(client, stored_upload, mf_user):
    content = fill_year2(build_seed_like_workbook(), {"D35": "=HYPERLINK(\"http://x\")"})
    upload = stored_upload(content)
    client.force_login(mf_user)
    raw = client.get(reverse("takster:upload_findings", args=[upload.pk, "csv"])).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Kode", "Alvor", "Titel", "Ark", "Celle"]
    assert len(rows) == upload.findings.count() + 1
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    response = client.get(reverse("takster:upload_findings", args=[upload.pk, "xlsx"]))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == upload.findings.count() + 1
    assert not any(isinstance(c.value, str) and c.value.startswith("=")
                   for row in ws.iter_rows() for c in row)


def test_annotated_workbook_marks_the_offending_cell(client, stored_upload, mf_user):
    upload = stored_upload()
    client.force_login(mf_user)
    response = client.get(reverse("takster:upload_annotated", args=[upload.pk]))
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["Takstskema"]
    assert "Takststigning kræver bemærkning (fejl)" in ws["M9"].comment.text
    assert ws["M9"].fill.start_color.rgb.endswith("FF9999")


def test_reupload_shows_what_was_fixed(client, stored_upload, mf_user):
    stored_upload()
    second = stored_upload(fill_year2(build_seed_like_workbook(), {"Z8": "Ny normering."}))
    client.force_login(mf_user)
    html = client.get(reverse("takster:upload_compare", args=[second.pk])).content.decode()
    assert "Rettet siden sidste version (1)" in html and "Nye fund (0)" in html


def test_status_json_reports_progress_and_report_url(client, stored_upload, mf_user):
    upload = stored_upload()
    client.force_login(mf_user)
    data = client.get(reverse("jobs:status", args=[upload.job_id])).json()
    assert data["status"] == "done" and data["progress"] == 100 and data["finished"]
    assert data["done_url"] == reverse("takster:upload_detail", args=[upload.pk])
    assert data["waits_for_queue"] is False


def test_secretariat_uploads_on_behalf_of_a_driftsherre(client, rate_round, mariagerfjord,
                                                        staff,
                                                        django_capture_on_commit_callbacks):
    client.force_login(staff)
    post_file(client, rate_round, mariagerfjord, build_seed_like_workbook(),
              capture=django_capture_on_commit_callbacks)
    upload = Upload.objects.get()
    assert upload.uploaded_by == staff and upload.submission.driftsherre == mariagerfjord


# ------------------------------------------------------------------ bad input


def _template(rate_round, driftsherre):
    return template_build_for(driftsherre=driftsherre, rate_round=rate_round)


def _rezip(data: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        for name, content in extra.items():
            dst.writestr(name, content)
    return out.getvalue()


def _huge_sheet() -> bytes:
    wb = openpyxl.Workbook()
    for _ in range(60):
        wb.active.append(list(range(40)))
    return workbook_bytes(wb)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600

BAD_FILES = {
    "not a zip": (lambda rr, d, a: b"Tilbud;Takst\nKaervej;1369\n", "takster.xlsx",
                  "FILE_UNREADABLE", "ikke en Excel-projektmappe"),
    "random bytes": (lambda rr, d, a: os.urandom(4000), "takster.xlsx",
                     "FILE_UNREADABLE", "ikke en Excel-projektmappe"),
    "encrypted": (lambda rr, d, a: OLE, "takster.xlsx", "FILE_UNREADABLE", "krypteret"),
    "macro workbook": (
        lambda rr, d, a: _rezip(_template(rr, d), {"xl/vbaProject.bin": b"\0" * 100}),
        "takster.xlsm", "FILE_UNREADABLE", "makro"),
    "old xls": (lambda rr, d, a: OLE, "takster.xls", "FILE_UNREADABLE", ".xls"),
    "zip bomb": (
        lambda rr, d, a: _rezip(_template(rr, d), {"xl/media/bomb.xml": b"\0" * 20_000_000}),
        "takster.xlsx", "FILE_UNREADABLE", "mistænkelig"),
    "huge sheet": (lambda rr, d, a: _huge_sheet(), "takster.xlsx", "FILE_UNREADABLE",
                   "for stort"),
    "external links": (
        lambda rr, d, a: _rezip(_template(rr, d), {
            "xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
        "takster.xlsx", "FILE_UNREADABLE", "eksterne links"),
    "empty workbook": (lambda rr, d, a: workbook_bytes(openpyxl.Workbook()), "takster.xlsx",
                       "NO_BLOCKS", "ingen takstblokke"),
    "another driftsherre": (lambda rr, d, a: _template(rr, a), "takster.xlsx",
                            "DRIFTSHERRE_MISMATCH", "Aalborg Kommune"),
    "wrong year": (lambda rr, d, a: build_seed_like_workbook(budget_year=2026), "takster.xlsx",
                   "YEAR_MISMATCH", "passer ikke til takstrunden"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_through_the_form_gives_its_finding_and_a_clear_state(
    case, client, rate_round, mariagerfjord, aalborg, mf_user, settings,
    django_capture_on_commit_callbacks,
):
    if case == "huge sheet":
        settings.TAKSTER_MAX_CELLS = 1000
    build, name, code, text = BAD_FILES[case]
    client.force_login(mf_user)
    response = post_file(client, rate_round, mariagerfjord, build(rate_round, mariagerfjord,
                                                                  aalborg),
                         name=name, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.DONE and upload.errors_count >= 1
    finding = upload.findings.filter(code=code).first()
    assert finding is not None, list(upload.findings.values_list("code", "message"))
    assert text.lower() in finding.message.lower()
    html = client.get(response.url).content.decode()
    assert "Skemaet har fejl og kan ikke indsendes" in html and code in html
    assert upload.submission.status == Submission.Status.DRAFT


def test_a_too_big_file_is_refused_by_the_form_and_not_stored(client, rate_round, mariagerfjord,
                                                             mf_user, settings,
                                                             django_capture_on_commit_callbacks):
    settings.MAX_UPLOAD_BYTES = 1000
    client.force_login(mf_user)
    response = post_file(client, rate_round, mariagerfjord, b"x" * 2000,
                         capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "Filen er for stor" in response.content.decode()
    assert not Upload.objects.exists()


def test_a_pdf_is_refused_by_the_form(client, rate_round, mariagerfjord, mf_user,
                                      django_capture_on_commit_callbacks):
    client.force_login(mf_user)
    response = post_file(client, rate_round, mariagerfjord, b"%PDF-1.4", name="takster.pdf",
                         capture=django_capture_on_commit_callbacks)
    assert "Kun Excel-projektmapper (.xlsx)" in response.content.decode()
    assert not Upload.objects.exists()


def test_a_waiting_upload_shows_venter_and_a_page_that_works_without_javascript(
    client, stored_upload, mf_user, django_assert_max_num_queries
):
    from socialaftale.models import Job

    upload = stored_upload()
    Job.objects.filter(pk=upload.job_id).update(status=Job.Status.QUEUED, progress=0)
    upload.refresh_from_db()
    upload.validated_at = None
    upload.save(update_fields=["validated_at"])
    client.force_login(mf_user)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("takster:index")).content.decode()
    assert "Venter" in html
    html = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "I kø (0 %)" in html and ">Opdater</a>" in html
    assert f'data-job-status-url="/jobs/{upload.job_id}/status/"' in html


# ------------------------------------------------------------------ Danish display


def test_versions_and_events_show_danish_datetimes_and_full_names(client, stored_upload,
                                                                  mf_user):
    from django.utils import timezone

    from takster.models import SubmissionEvent

    mf_user.first_name, mf_user.last_name = "Mette", "Fjordby"
    mf_user.save()
    upload = stored_upload()
    at = timezone.make_aware(timezone.datetime(2026, 11, 27, 3, 45))
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=at)
    SubmissionEvent.objects.filter(submission=upload.submission).update(at=at, by=mf_user)
    client.force_login(mf_user)
    html = client.get(reverse("takster:submission_detail", args=[upload.submission.pk])
                      ).content.decode()
    assert "27.11.2026 03:45" in html and "Nov" not in html
    assert "<td>Mette Fjordby</td>" in html and f"<td>{mf_user.username}</td>" not in html
    report = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert "uploadet 27. november 2026 kl. 03:45 af Mette Fjordby" in report


def test_secretariat_overview_names_who_did_the_last_event(client, stored_upload, mf_user,
                                                           staff):
    from takster.models import SubmissionEvent

    mf_user.first_name, mf_user.last_name = "Mette", "Fjordby"
    mf_user.save()
    upload = stored_upload()
    SubmissionEvent.objects.filter(submission=upload.submission).update(by=mf_user)
    client.force_login(staff)
    html = client.get(reverse("takster:index")).content.decode()
    assert " af Mette Fjordby" in html


def test_compare_page_shows_a_dash_for_a_finding_without_a_cell(client, stored_upload,
                                                                 mf_user):
    stored_upload(b"not a workbook", name="takster.xlsx")
    second = stored_upload()
    client.force_login(mf_user)
    html = client.get(reverse("takster:upload_compare", args=[second.pk])).content.decode()
    assert "<td>FILE_UNREADABLE</td>" not in html  # users read the Danish title, not the code
    row = html[html.index("<td>Filen kan ikke læses</td>"):]
    row = row[:row.index("</tr>")]
    assert "<td>–</td>" in row and "!" not in row


def test_found_values_are_danish_in_report_csv_and_xlsx(client, stored_upload, mf_user):
    from takster.tests.test_validation_rules import filled, template

    upload = stored_upload(filled({"L10": 1100, "G10": 102}, base=template()))
    values = dict(upload.findings.values_list("cell", "value"))
    assert values.get("L10") == "1100" and values.get("G10") == "102", values
    client.force_login(mf_user)
    html = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert "<td>1.100</td>" in html and "<td>1100</td>" not in html
    assert "<td>102,0 %</td>" in html
    raw = client.get(reverse("takster:upload_findings", args=[upload.pk, "csv"])).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    by_cell = {r[4]: r[8] for r in rows[1:]}
    assert by_cell["L10"] == "1.100" and by_cell["G10"] == "102,0 %"
    response = client.get(reverse("takster:upload_findings", args=[upload.pk, "xlsx"]))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    xlsx = {row[4]: row[8] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert xlsx["L10"] == "1.100" and xlsx["G10"] == "102,0 %"


def test_found_value_display_handles_numbers_percentages_and_text():
    from takster.formatting import finding_value_display

    assert finding_value_display("1100") == "1.100"
    assert finding_value_display("336.66") == "336,66"
    assert finding_value_display("3.1", "Overhead for 2027 er 3,1 %, mere end …") == "3,1 %"
    assert finding_value_display("102", "Belægning (2027) er 102,0 %, men …") == "102,0 %"
    assert finding_value_display("Aalborg Kommune") == "Aalborg Kommune"
    assert finding_value_display("") == ""


def test_upload_and_start_pages_say_only_pladser_is_prefilled_in_the_first_year(
    client, rate_round, mariagerfjord, mf_user,
):
    assert rate_round.budget_year == 2027
    client.force_login(mf_user)
    for url in (reverse("takster:index"), upload_url(rate_round, mariagerfjord)):
        html = client.get(url).content.decode()
        assert 'id="foerste-aar"' in html, url
        assert "kun Pladser forudfyldt i år 1 (2026)" in html
        assert "I udfylder selv jeres tal for 2026" in html


def test_later_rounds_do_not_carry_the_first_year_note(rate_round):
    from socialaftale.models import Styringsparametre

    rate_round.parameters = Styringsparametre(budget_year=2028)
    assert not rate_round.is_first_template_year


def test_the_acknowledgement_labels_are_danish_without_the_finding_code(
    client, stored_upload, mf_user
):
    from takster.tests.test_validation_rules import filled, template

    upload = stored_upload(filled({"J10": 0.09, "Y9": "Ny normering."}, base=template()))
    warning = upload.findings.get(severity="warning")
    client.force_login(mf_user)
    html = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert f"Kommentar til {warning.title} i Takster!{warning.cell}" in html
    assert f"({warning.code})" not in html


def test_the_upload_fields_help_text_is_the_one_its_aria_describedby_names(
    client, rate_round, mariagerfjord, mf_user
):
    import re

    client.force_login(mf_user)
    html = client.get(reverse("takster:upload_create",
                              args=[rate_round.pk, mariagerfjord.pk])).content.decode()
    described_by = re.search(r'<input type="file"[^>]*aria-describedby="([^"]+)"', html).group(1)
    assert f'id="{described_by}">Excel-projektmappe (.xlsx)' in html
