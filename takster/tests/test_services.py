"""Services: round, template, storing, validating, comparing, acknowledging, submitting."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from socialaftale.models import Styringsparametre
from takster import services
from takster.models import Acknowledgement, Finding, RateLine, RateRound, Submission, Upload
from takster.validation import RULESET_VERSION
from takster.validation.samples import build_seed_like_workbook

from .conftest import HOBRO, KAERVEJ, fill_year2

pytestmark = pytest.mark.django_db


def test_a_budget_year_has_one_round(rate_round):
    assert rate_round.budget_year == 2027 and rate_round.is_open
    with pytest.raises(ValidationError, match="allerede"):
        services.round_open(parameters=rate_round.parameters, deadline=datetime.date(2026, 9, 1))


def test_template_lists_the_register_with_paragraph_unit_and_places(rate_round, mariagerfjord):
    content = services.template_build_for(driftsherre=mariagerfjord, rate_round=rate_round)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Takster"]
    assert ws["C2"].value == "Mariagerfjord Kommune"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    kaervej_rows = [row for row in values if KAERVEJ in row]
    year1 = next(row for row in kaervej_rows if 2026 in row)
    assert "ABL § 105" in year1 and "Døgn" in year1 and 15 in year1
    assert any(row[1] == HOBRO and row[2] == "Værkstedet" for row in values)
    assert ws.data_validations.dataValidation  # §§ and Enhed dropdowns
    assert ws.protection.sheet


def test_template_prefills_year_one_from_last_years_validated_upload(
    stored_upload, round_2028, mariagerfjord
):
    stored_upload()  # the 2027 sheet (validated, with errors: not submitted)
    content = services.template_build_for(driftsherre=mariagerfjord, rate_round=round_2028)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Takster"]
    year1 = next(
        [c.value for c in row] for row in ws.iter_rows() if row[1].value == KAERVEJ
        and row[4].value == 2027
    )
    # 2027 was the budget year of last year's sheet: its year-2 rates become this year's year 1.
    assert year1[11] == 775 and year1[5] == 15
    params = services.params_for(rate_round=round_2028, driftsherre=mariagerfjord)
    assert params.prefill[(KAERVEJ, KAERVEJ, "basis")] == Decimal(775)


def test_the_first_year_of_the_new_template_prefills_only_pladser(
    rate_round, mariagerfjord, mf_user, django_capture_on_commit_callbacks
):
    last_year = RateRound.objects.create(
        parameters=Styringsparametre.objects.get(budget_year=2026),
        deadline=datetime.date(2025, 8, 15),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.upload_store(
            rate_round=last_year, driftsherre=mariagerfjord,
            content=build_seed_like_workbook(budget_year=2026), original_name="2026.xlsx",
            by=mf_user,
        )
    assert rate_round.is_first_template_year
    content = services.template_build_for(driftsherre=mariagerfjord, rate_round=rate_round)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Takster"]
    year1 = next(
        [c.value for c in row] for row in ws.iter_rows() if row[1].value == KAERVEJ
        and row[4].value == 2026
    )
    assert year1[5] == 15 and year1[11] is None and year1[7] is None
    assert services.params_for(rate_round=rate_round, driftsherre=mariagerfjord).prefill is None


def test_a_stored_upload_keeps_file_sha256_and_uploader(stored_upload, mf_user):
    content = build_seed_like_workbook()
    upload = stored_upload(content)
    assert upload.version == 1 and upload.size == len(content) and upload.uploaded_by == mf_user
    assert upload.sha256 == __import__("hashlib").sha256(content).hexdigest()
    assert upload.file.read() == content
    assert upload.status == Upload.Status.DONE and upload.ruleset_version == RULESET_VERSION


def test_the_same_file_again_is_the_same_version_and_a_new_one_is_the_next(stored_upload):
    content = build_seed_like_workbook()
    first = stored_upload(content)
    assert stored_upload(content).pk == first.pk
    second = stored_upload(fill_year2(content, {"A1": "rettet"}))
    assert second.version == 2 and Upload.objects.count() == 2
    assert first.file.name != second.file.name


def test_validation_stores_lines_and_findings_with_register_links(stored_upload, mariagerfjord):
    upload = stored_upload()
    assert upload.errors_count == 8 and upload.warnings_count == 7 and upload.infos_count == 4
    line = RateLine.objects.get(upload=upload, tilbud_name__contains="Kærvej", year=2027)
    assert line.tilbud.name == KAERVEJ and line.basis == Decimal(775)
    assert line.belaegning is not None and line.approval_status == RateLine.Approval.PENDING
    finding = upload.findings.get(code="RISE_NEEDS_REMARK")
    assert (finding.sheet, finding.cell, finding.value) == ("Takstskema", "M9", "775")


def test_running_the_validation_twice_does_not_duplicate_results(stored_upload):
    upload = stored_upload()
    lines, findings = upload.lines.count(), upload.findings.count()
    services.upload_validate(upload=upload)
    assert (upload.lines.count(), upload.findings.count()) == (lines, findings)


def test_submitting_is_refused_while_there_are_errors(stored_upload, mf_user):
    upload = stored_upload()
    allowed, reason = services.submission_can_submit(upload=upload)
    assert not allowed and "fejl" in reason
    with pytest.raises(ValidationError):
        services.submission_submit(upload=upload, by=mf_user)
    assert upload.submission.status == Submission.Status.DRAFT


def _clean_upload(stored_upload, remark="Stigning skyldes ny normering."):
    """The Kærvej block from our template with one warning (overhead deviates)."""
    from takster.tests.test_validation_rules import filled, template

    return stored_upload(filled({"J10": 0.09, "Y9": remark}, base=template()))


def test_warnings_need_a_comment_before_submitting(stored_upload, mf_user):
    upload = _clean_upload(stored_upload)
    assert upload.errors_count == 0 and upload.warnings_count >= 1, list(
        upload.findings.values_list("code", "message")
    )
    allowed, reason = services.submission_can_submit(upload=upload)
    assert not allowed and "kommentar" in reason
    comments = {f.pk: "Vi har talt med sekretariatet." for f in upload.findings.filter(
        severity=Finding.Severity.WARNING)}
    assert services.acknowledgements_save(upload=upload, comments=comments, by=mf_user) == len(
        comments
    )
    submission = services.submission_submit(upload=upload, by=mf_user)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submitted_upload == upload and submission.submitted_by == mf_user


def test_a_new_version_reopens_a_submitted_submission_and_keeps_acknowledgements(
    stored_upload, mf_user
):
    upload = _clean_upload(stored_upload)
    warning = upload.findings.filter(severity="warning").first()
    services.acknowledgements_save(upload=upload, comments={warning.pk: "Kendt."}, by=mf_user)
    for f in upload.findings.filter(severity="warning", acknowledgement__isnull=True):
        services.acknowledgements_save(upload=upload, comments={f.pk: "Kendt."}, by=mf_user)
    services.submission_submit(upload=upload, by=mf_user)
    second = _clean_upload(stored_upload, remark="Ny normering fra 1. januar.")
    assert second.version == 2
    second.submission.refresh_from_db()
    assert second.submission.status == Submission.Status.DRAFT
    assert Acknowledgement.objects.filter(finding__upload=second).count() == (
        second.warnings_count
    )


def test_compare_shows_fixed_new_and_unchanged(stored_upload):
    first = stored_upload()
    fixed_content = fill_year2(build_seed_like_workbook(), {"Z8": "Ny normering."})
    second = stored_upload(fixed_content)
    comparison = services.upload_compare(upload=second)
    assert comparison["previous"] == first
    assert [f.code for f in comparison["fixed"]] == ["RISE_NEEDS_REMARK"]
    assert comparison["new"] == []
    assert len(comparison["unchanged"]) == second.findings.count()


def test_a_closed_round_takes_no_uploads(rate_round, mariagerfjord):
    rate_round.status = RateRound.Status.CLOSED
    rate_round.save()
    with pytest.raises(ValidationError, match="lukket"):
        services.upload_store(
            rate_round=rate_round, driftsherre=mariagerfjord, content=b"x", original_name="a.xlsx"
        )
    assert not Upload.objects.exists()


def test_year_one_cells_without_an_approved_figure_can_be_filled_in(rate_round, mariagerfjord):
    content = services.template_build_for(driftsherre=mariagerfjord, rate_round=rate_round)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Takster"]
    row = next(r for r in ws.iter_rows() if r[1].value == KAERVEJ and r[4].value == 2026)
    pladser, basis = row[5], row[11]
    assert pladser.value == 15 and pladser.protection.locked  # prefilled from the register
    assert basis.value is None and not basis.protection.locked  # nothing approved yet


def _fill_template(content: bytes, *, year: int, rows: dict[str, dict[str, object]],
                   overhead: float | None = None) -> bytes:
    """Fill a downloaded template like a driftsherre: year-`year` rows by afdeling name."""
    from takster.validation.template import COL, FIRST_COL

    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["Takster"]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, FIRST_COL).value == year and overhead is not None and r < 8:
            ws.cell(r, FIRST_COL + 1).value = overhead
        afdeling = ws.cell(r, COL["afdeling"]).value
        if ws.cell(r, COL["year"]).value == year and afdeling in rows:
            for key, value in rows[afdeling].items():
                ws.cell(r, COL[key]).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


KAERVEJ_2027 = {"pladser": 15, "belaegning": 0.98, "budget": 16_500_000, "regulering": 0,
                "oh_pct": 0.065, "basis": 760, "paragraph": "ABL § 105", "unit": "Døgn"}


@pytest.fixture
def last_year_upload(rate_round, mariagerfjord, mf_user, django_capture_on_commit_callbacks):
    """Last year's (2027) sheet from our template: Kærvej filled, Værkstedet marked Udgår
    with an empty 2027 row, Beskyttet Beskæftigelse left empty, header overhead 6,5 %."""
    from .conftest import BESKYTTET

    content = _fill_template(
        services.template_build_for(driftsherre=mariagerfjord, rate_round=rate_round),
        year=2027, overhead=0.065,
        rows={KAERVEJ: KAERVEJ_2027,
              "Værkstedet": {"bemaerkning": "Udgår pr. 31.12.2026: værkstedet lukkes."},
              BESKYTTET: {}},
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.upload_store(rate_round=rate_round, driftsherre=mariagerfjord,
                                       content=content, original_name="2027.xlsx", by=mf_user)
    upload.refresh_from_db()
    return upload


def test_only_lines_with_figures_are_stored(last_year_upload):
    from takster.validation.params import NUMBER_FIELDS

    lines = list(last_year_upload.lines.all())
    assert lines and all(any(getattr(ln, f) is not None for f in NUMBER_FIELDS) for ln in lines)
    # Værkstedet's and Beskyttet's empty 2027 rows are not stored; their 2026 rows are.
    assert {(ln.afdeling_name, ln.year) for ln in lines if ln.year == 2027} == {(KAERVEJ, 2027)}
    assert last_year_upload.header_overhead_pct == Decimal("6.50")


def test_next_template_leaves_out_ended_and_empty_lines_and_prefills_header_overhead(
    last_year_upload, round_2028, mariagerfjord,
):
    from .conftest import BESKYTTET

    # The sheet has errors (Beskyttet's empty row), so only the explicit Udgår ends an offer.
    assert last_year_upload.errors_count > 0
    line = last_year_upload.lines.get(afdeling_name="Værkstedet", year=2026)
    line.bemaerkning = "Udgår"  # as if the marker had been on a row with figures
    line.year = 2027
    line.save()
    content = services.template_build_for(driftsherre=mariagerfjord, rate_round=round_2028)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Takster"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert not any("Værkstedet" in row for row in values)
    kaervej = next(r for r in values if r[2] == KAERVEJ and r[4] == 2027)
    assert kaervej[11] == 760 and kaervej[7] == 16_500_000
    beskyttet = next(r for r in values if r[2] == BESKYTTET and r[4] == 2027)
    assert beskyttet[5] == 57 and beskyttet[7] is None  # register places, nothing else
    header = next(r for r in values[:7] if r[1] == 2027)
    assert header[2] == pytest.approx(0.065)
    params = services.params_for(rate_round=round_2028, driftsherre=mariagerfjord)
    assert all(key[1] != "Værkstedet" for key in params.prefill)


def test_a_clean_sheet_with_year_one_only_ends_the_offer_in_the_next_template(
    last_year_upload, round_2028, mariagerfjord,
):
    Upload.objects.filter(pk=last_year_upload.pk).update(errors_count=0)
    content = services.template_build_for(driftsherre=mariagerfjord, rate_round=round_2028)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Takster"]
    names = {c.value for row in ws.iter_rows() for c in row}
    assert "Værkstedet" not in names and KAERVEJ in names
