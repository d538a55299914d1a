"""Regressions from the QA round on the rate-round workflow (issue 6, third review)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from takster import services
from takster.models import ReviewComment, Submission

from .conftest import clean_submitted

pytestmark = pytest.mark.django_db
S = Submission.Status


@pytest.fixture
def submitted(stored_upload, mf_user):
    return clean_submitted(stored_upload, mf_user)


def test_a_return_needs_a_comment_made_since_the_last_submission(
    submitted, staff, mf_user, stored_upload
):
    services.submission_return(submission=submitted, by=staff, text="Ret belægningen.")
    again = clean_submitted(stored_upload, mf_user, "Belægningen er rettet.")
    assert again.status == S.SUBMITTED
    # The earlier cycle's comment does not count; the comment's time is before the submission.
    ReviewComment.objects.filter(submission=again).update(at=again.submitted_at.replace(year=2025))
    with pytest.raises(ValidationError, match="mindst én bemærkning"):
        services.submission_return(submission=again, by=staff)
    services.submission_return(submission=again, by=staff, text="Stadig for høj.")
    assert again.status == S.RETURNED


def test_a_returned_version_cannot_be_submitted_again_unchanged(submitted, staff, mf_user):
    services.submission_return(submission=submitted, by=staff, text="Ret belægningen.")
    upload = submitted.submitted_upload
    allowed, reason = services.submission_can_submit(upload=upload)
    assert not allowed and "Upload en rettet version" in reason
    with pytest.raises(ValidationError, match="rettet version"):
        services.submission_submit(upload=upload, by=mf_user)


def test_the_report_of_a_submitted_version_has_no_comment_fields(client, submitted, mf_user):
    client.force_login(mf_user)
    page = client.get(reverse("takster:upload_detail", args=[submitted.submitted_upload_id]))
    html = page.content.decode()
    assert "Gem kommentarer" not in html and "<textarea" not in html
    assert "skal kvitteres med en kommentar" not in html
    assert "Denne version er indsendt" in html and "Kendt." in html


def test_the_report_of_a_draft_version_still_asks_for_comments(client, stored_upload, mf_user):
    from takster.tests.test_validation_rules import filled, template

    upload = stored_upload(filled({"J10": 0.09, "Y9": "Ny normering."}, base=template()))
    assert upload.warnings_count
    client.force_login(mf_user)
    html = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert "Gem kommentarer" in html and "skal kvitteres med en kommentar" in html


def test_a_rejected_line_carries_its_reason_to_the_driftsherre_and_the_takstbilag(
    client, submitted, staff, mf_user
):
    import datetime

    from takster.publication import takstbilag_data

    services.submission_recommend(submission=submitted, by=staff)
    line = submitted.submitted_upload.lines.filter(year=2027).order_by("block_index").first()
    client.force_login(staff)
    review = client.get(reverse("takster:submission_review", args=[submitted.pk])).content
    assert f'id="note-{line.pk}"' in review.decode()
    client.post(reverse("takster:rateline_decide", args=[submitted.pk, line.pk]),
                {"decision": "afvis", "note": "Belægningen er ikke dokumenteret."})
    line.refresh_from_db()
    assert line.approval_status == "rejected"
    assert line.approval_note == "Belægningen er ikke dokumenteret."
    client.force_login(mf_user)
    for url in (reverse("takster:upload_detail", args=[submitted.submitted_upload_id]),
                reverse("takster:submission_detail", args=[submitted.pk])):
        html = client.get(url).content.decode()
        assert "Afviste takstlinjer" in html and "Belægningen er ikke dokumenteret." in html
    services.submission_approve(submission=submitted, by=staff)
    services.das_approval_record(submissions=[submitted], by=staff,
                                 date=datetime.date(2025, 11, 17), reference="DAS 17.11.2025")
    takstbilag = services.takstbilag_draft(rate_round=submitted.rate_round, by=staff,
                                           render=False)
    section = takstbilag_data(takstbilag).driftsherrer[0]
    assert f"Ikke med (takst afvist): {line.tilbud_name}" in section.remark
    assert "Belægningen er ikke dokumenteret." in section.remark
    assert line.tilbud_name not in {o.tilbud for o in section.offers if o.current}


def test_approving_a_rejected_line_again_drops_the_rejection_reason(submitted, staff):
    line = submitted.submitted_upload.lines.filter(year=2027).first()
    services.rateline_approve(line=line, by=staff, approve=False, note="Mangler svar.")
    assert line.approval_note == "Mangler svar."
    services.rateline_approve(line=line, by=staff)
    line.refresh_from_db()
    assert line.approval_status == "approved" and line.approval_note == ""


def test_an_empty_year_row_shows_dashes_not_zero_for_regulering_and_change():
    from decimal import Decimal as D

    from takster.takstbilag import Offer, OfferYear, TakstbilagData, _offer_view

    current = OfferYear(year=2027, pladser=D(10), belaegning=D(95), budget=D(1000000),
                        regulering=D(-5000), takster=(D(300),))
    empty = OfferYear(year=2026, pladser=D(10), regulering=D(0))  # only the prefilled Pladser
    offer = Offer(tilbud="A", afdeling="A", paragraphs="", unit="Døgn", previous=empty,
                  current=current)
    data = TakstbilagData(budget_year=2027, pl_kommuner=D("2.1"), pl_regioner=D("2.1"),
                          driftsherrer=())
    view = _offer_view(offer, data, "kommune")
    assert "0" not in view["change_kr"] and set(view["change_kr"]) == {"–"}
    assert view["folded"] == ("Pladser 10 · Belægning – → 95 % · Budget i alt – → 1.000.000 · "
                              "Regulering – → -5.000")
    assert view["rows"][0]["cells"] == ["– → 300"]


def test_revision_pages_do_not_double_the_full_stop(client, demo_2026, aalborg_user):
    revision = Submission.objects.get(driftsherre__slug="aalborg", revision=1)
    assert revision.revision_reason.endswith(".")
    client.force_login(aalborg_user)
    html = client.get(reverse("takster:submission_detail", args=[revision.pk])).content.decode()
    assert revision.revision_reason_bare + "." in html and ".." not in html


def _official(submission, staff):
    import datetime

    services.submission_recommend(submission=submission, by=staff)
    services.submission_approve(submission=submission, by=staff)
    services.das_approval_record(submissions=[submission], by=staff,
                                 date=datetime.date(2026, 11, 16), reference="DAS 16.11.2026")
    return submission


def test_a_revision_template_is_prefilled_with_the_rates_in_force(
    submitted, staff, mf_user, stored_upload
):
    import io

    import openpyxl

    from takster.validation import validate_workbook

    _official(submitted, staff)
    in_force = {
        (ln.tilbud_name, ln.afdeling_name): ln
        for ln in submitted.submitted_upload.lines.filter(year=2027)
    }
    services.submission_revise(submission=submitted, by=mf_user, reason="Ny normering.")
    content = services.template_build_for(driftsherre=submitted.driftsherre,
                                          rate_round=submitted.rate_round)
    params = services.params_for(rate_round=submitted.rate_round,
                                 driftsherre=submitted.driftsherre)
    result = validate_workbook(content, params)
    blocks = {(b.tilbud, b.afdeling): b for b in result.sheet.blocks}
    assert set(blocks) == set(in_force)
    for key, line in in_force.items():
        year2 = blocks[key].year2
        assert year2.get("pladser") == line.pladser and year2.get("takst_1") == line.takst_1
        assert year2.get("budget") == line.budget
    assert not [f for f in result.findings if f.severity.value == "error"]
    # The year-2 cells stay editable.
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    first = result.sheet.blocks[0].year2.cells["takst_1"]
    assert ws[first].protection.locked is False and ws[first].value is not None
    # The unchanged template can be uploaded for the revision and validates without errors.
    upload = stored_upload(content)
    assert upload.submission.revision == 1 and upload.errors_count == 0


def test_the_demo_stores_real_workbooks_that_validate(demo_2026):
    from takster.models import Upload
    from takster.validation import validate_workbook

    uploads = list(Upload.objects.filter(submission__rate_round__parameters__budget_year=2026))
    assert len(uploads) == 3  # Aalborg, Aalborg's revision, Mariagerfjord
    for upload in uploads:
        submission = upload.submission
        params = services.params_for(rate_round=submission.rate_round,
                                     driftsherre=submission.driftsherre)
        with upload.file.open("rb") as fh:
            result = validate_workbook(fh.read(), params)
        errors = [(f.code, f.cell) for f in result.findings if f.severity.value == "error"]
        assert not errors, (upload.original_name, errors)
        parsed = {(b.tilbud, b.year2.get("takst_1")) for b in result.sheet.blocks}
        stored = {(ln.tilbud_name, ln.takst_1) for ln in upload.lines.filter(year=2026)}
        assert parsed == stored


def _structure_blocks(new_rates: tuple[int, ...]) -> list[list[dict]]:
    """Botilbud A changes rate structure (2 → 4 levels) in 2027, like the seed's example;
    Botilbud B moves from day rates to basis + hourly rates (unit Time)."""
    def line(name, unit, year, **figures):
        return {"tilbud_name": name, "afdeling_name": name, "paragraph": "SEL § 108",
                "unit": unit, "year": year, **figures}

    full = {"pladser": 20, "belaegning": 95, "budget": 12_000_000, "regulering": 0,
            "oh_pct": 5}
    return [
        [line("Botilbud A", "Døgn", 2026, takst_1=1000, takst_2=2000, **full),
         line("Botilbud A", "Døgn", 2027)],
        [line("Botilbud A", "Døgn", 2027, **full,
              **{f"takst_{i}": r for i, r in enumerate(new_rates, start=1)})],
        [line("Botilbud B", "Døgn", 2026, takst_1=700, takst_2=2500, **full),
         line("Botilbud B", "Døgn", 2027)],
        [line("Botilbud B", "Time", 2027, basis=735, time=330, **full)],
    ]


def test_a_revised_structure_change_is_matched_block_by_block_in_the_takstbilag(
    rate_round, mariagerfjord, mf_user, staff
):
    import datetime

    from takster.demo import _demo_upload
    from takster.publication import takstbilag_data

    def submit(submission, rates, day):
        upload = _demo_upload(submission, _structure_blocks(rates), by=mf_user,
                              name=f"v{submission.revision}.xlsx")
        submission = services.submission_submit(upload=upload, by=mf_user)
        services.submission_recommend(submission=submission, by=staff)
        services.submission_approve(submission=submission, by=staff)
        services.das_approval_record(submissions=[submission], by=staff,
                                     date=datetime.date(2026, 11, day), reference=f"DAS {day}")
        return submission

    first = services.submission_current(rate_round=rate_round, driftsherre=mariagerfjord)
    first = submit(first, (1050, 1575, 2100, 3150), 16)
    revision = services.submission_revise(submission=first, by=mf_user, reason="Ny takst.")
    submit(revision, (1100, 1575, 2100, 3150), 20)
    takstbilag = services.takstbilag_draft(rate_round=rate_round, by=staff, render=False)
    offers = takstbilag_data(takstbilag).driftsherrer[0].offers
    notes = [(o.tilbud, o.unit, o.revision_note) for o in offers]
    revised = [n for n in notes if n[2]]
    assert len(revised) == 1, notes
    assert revised[0][0] == "Botilbud A"
    assert "var 1.050/1.575/2.100/3.150 kr. på 365 dage; nu 1.100/1.575/2.100/3.150 kr." in (
        revised[0][2])
    assert all("nu  kr." not in n[2] and "nu kr." not in n[2] for n in notes)


def test_findings_on_merged_cells_name_the_top_left_cell():
    import io
    from decimal import Decimal as D

    import openpyxl

    from takster.validation import RateSheetParams, validate_workbook
    from takster.validation.samples import build_seed_like_workbook

    content = build_seed_like_workbook()
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    followers = {
        cell.coordinate for merged in ws.merged_cells.ranges for row in merged.cells
        for cell in [ws.cell(*row)] if cell.coordinate != merged.start_cell.coordinate
    }
    params = RateSheetParams(budget_year=2027, pl_kommuner=D("2.1"), pl_regioner=D("2.1"))
    findings = validate_workbook(content, params).findings
    paragraph = [f.cell for f in findings if f.code == "PARAGRAPH_UNKNOWN"]
    assert paragraph == ["E35", "E44", "E53", "E62"]
    rises = [f for f in findings if f.code == "RISE_NEEDS_REMARK"]
    assert rises and all("Forklar stigningen i Bemærkning (Z8)." in f.message for f in rises)
    assert "Z9" in followers and not {f.cell for f in findings} & followers


def test_the_openpyxl_fallback_reads_merged_ranges_like_calamine():
    from takster.validation.parser import _read_calamine, _read_openpyxl
    from takster.validation.samples import build_seed_like_workbook

    content = build_seed_like_workbook()
    calamine = _read_calamine(content)[0].merged
    fallback = _read_openpyxl(content)[0].merged
    assert fallback and sorted(fallback) == sorted(calamine)


def test_a_started_revision_links_its_prefilled_template(client, demo_2026, aalborg_user):
    first = Submission.objects.get(driftsherre__slug="aalborg", revision=1)
    Submission.objects.filter(pk=first.pk).update(status=S.PUBLISHED)  # keep the demo's chain
    revision = Submission.objects.create(
        rate_round=first.rate_round, driftsherre=first.driftsherre, revision=2,
        revision_of=first, revision_reason="Ny normering.",
    )
    client.force_login(aalborg_user)
    html = client.get(reverse("takster:submission_detail", args=[revision.pk])).content.decode()
    template_url = reverse("takster:template", args=[revision.rate_round_id, 11])
    assert template_url in html
    form = client.get(reverse("takster:upload_create", args=[revision.rate_round_id, 11]))
    text = form.content.decode()
    assert "Revision 2: Ny normering. Skabelonen er forudfyldt" in text
    assert "Takstrunden er lukket" not in text and "første år" not in text


def test_revising_the_demo_aalborg_rates_gives_a_template_with_the_rates_in_force(
    client, demo_2026, aalborg_user
):
    from takster.validation import validate_workbook

    in_force = Submission.objects.get(driftsherre__slug="aalborg", revision=1)
    client.force_login(aalborg_user)
    response = client.post(reverse("takster:submission_revise", args=[in_force.pk]),
                           {"reason": "Ny normering i Hviddalen."})
    revision = Submission.objects.get(driftsherre__slug="aalborg", revision=2)
    assert response.url == reverse("takster:submission_detail", args=[revision.pk])
    content = client.get(reverse("takster:template", args=[revision.rate_round_id, 11])).content
    params = services.params_for(rate_round=revision.rate_round,
                                 driftsherre=revision.driftsherre)
    blocks = validate_workbook(content, params).sheet.blocks
    rates = {b.tilbud: (b.year1.get("takst_1"), b.year2.get("takst_1")) for b in blocks}
    assert rates == {"Syrenhuset": (224, 248), "Hviddalen": (198, 175),
                     "Væksthuset": (225, 225), "Børnehus Nord": (7734, 8020)}
