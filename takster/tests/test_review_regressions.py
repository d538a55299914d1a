"""Regressions found by trying the workflow as its users would."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from takster import services
from takster.models import Submission
from takster.tests.conftest import clean_submitted


@pytest.fixture
def submitted(stored_upload, mf_user):
    return clean_submitted(stored_upload, mf_user)


def test_start_page_works_for_a_submission_without_uploads(
    client, rate_round, mariagerfjord, mf_user
):
    Submission.objects.create(rate_round=rate_round, driftsherre=mariagerfjord)
    client.force_login(mf_user)
    response = client.get(reverse("takster:index"))
    assert response.status_code == 200
    assert "I har ikke uploadet et skema endnu." in response.content.decode()


def test_warning_comments_are_fixed_once_the_version_is_submitted(submitted, mf_user):
    upload = submitted.submitted_upload
    warning = upload.findings.filter(severity="warning").first()
    with pytest.raises(ValidationError, match="indsendt"):
        services.acknowledgements_save(upload=upload, comments={warning.pk: "Ny"}, by=mf_user)
    warning.acknowledgement.refresh_from_db()
    assert warning.acknowledgement.comment == "Kendt."


def test_a_draft_is_late_only_after_the_deadline(rate_round, mariagerfjord):
    submission = Submission(rate_round=rate_round, driftsherre=mariagerfjord)
    rate_round.deadline = datetime.date.today() + datetime.timedelta(days=30)
    assert submission.is_late is False
    rate_round.deadline = datetime.date(2020, 1, 1)
    assert submission.is_late is True


def test_a_new_draft_revision_does_not_empty_next_years_prefill(demo_2026, rate_round):
    from socialaftale.models import Driftsherre
    from takster.services import _previous_lines

    aalborg = Driftsherre.objects.get(slug="aalborg")
    before = {line.tilbud_name: line.takst_1 for line in
              _previous_lines(driftsherre=aalborg, rate_round=rate_round)}
    assert before  # the rates in force for 2026
    official = Submission.objects.filter(
        driftsherre=aalborg, status=Submission.Status.PUBLISHED
    ).order_by("-revision").first()
    services.submission_revise(submission=official, by=official.approved_by or
                               official.submitted_by, reason="Ny normering.")
    after = {line.tilbud_name: line.takst_1 for line in
             _previous_lines(driftsherre=aalborg, rate_round=rate_round)}
    assert after == before


def test_a_structure_change_shows_each_block_s_findings_under_that_block(
    stored_upload, mf_user
):
    """The seed's "Skift i takststruktur": Kærvej's old structure keeps only year 1 in one
    block, the new structure (another unit) only year 2 in a second block with the same names.
    The review shows "ended" under the first block and "new" under the second, as the
    validator found them, not both under the first because the names are equal."""
    import io
    from decimal import Decimal as D

    import openpyxl

    from takster import selectors
    from takster.services import submission_submit
    from takster.validation import TemplateBlock, YearValues
    from takster.validation.template import build_template

    kaervej = "Bo og Aktivitetstilbud Kærvej"
    old = TemplateBlock(
        tilbud=kaervej, afdeling=kaervej, paragraph="ABL § 105", unit="Døgn",
        year1=YearValues(pladser=D(15), belaegning=D(98), budget=D(15999963),
                         regulering=D(140963), oh_pct=D("6.8"), basis=D(731)),
    )
    new = TemplateBlock(tilbud=kaervej, afdeling=kaervej, paragraph="ABL § 105", unit="Time")
    wb = openpyxl.load_workbook(io.BytesIO(build_template(
        driftsherre_name="Mariagerfjord Kommune", driftsherre_kind="kommune", budget_year=2027,
        pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        overhead_by_year={2026: D("6.5"), 2027: D("6.5")}, blocks=[old, new],
    )))
    for ref, value in {"F18": 15, "G18": 0.98, "H18": 17e6, "J18": 0.065, "L18": 760,
                       "M18": 350}.items():
        wb["Takster"][ref] = value
    content = io.BytesIO()
    wb.save(content)
    upload = stored_upload(content.getvalue())
    assert upload.errors_count == 0 and upload.warnings_count == 0
    submission = submission_submit(upload=upload, by=mf_user)
    offers = selectors.review_offers(submission)
    assert [(o.index, o.unit) for o in offers] == [(0, "Døgn"), (1, "Time")]
    assert [f.code for f in offers[0].findings] == ["TILBUD_ENDED"]
    assert [f.code for f in offers[1].findings] == ["NEW_TILBUD"]
    assert selectors.review_general_findings(submission, offers) == []


def test_findings_stored_without_their_block_go_under_the_first_block_of_the_name(
    reference_data
):
    """Findings validated before blocks were recorded (block_index empty) and a duplicate
    block's copy (no lines of its own) are shown with the first block of that name."""
    from takster import selectors
    from takster.tests.factories import (
        FindingFactory,
        HistoryRateLineFactory,
        HistorySubmissionFactory,
        HistoryUploadFactory,
    )

    submission = HistorySubmissionFactory(status=Submission.Status.SUBMITTED)
    upload = HistoryUploadFactory(submission=submission)
    submission.submitted_upload = upload
    submission.save(update_fields=["submitted_upload"])
    for block, (row, year) in enumerate(((10, 2025), (21, 2026))):
        HistoryRateLineFactory(upload=upload, block_index=block, row=row, year=year,
                               tilbud_name="Kragholm", afdeling_name="Kragholm", takst_1=2350)
    recorded = FindingFactory(upload=upload, tilbud="Kragholm", afdeling="Kragholm",
                              cell="B19", block_index=1)
    unrecorded = FindingFactory(upload=upload, tilbud="Kragholm", afdeling="Kragholm",
                                cell="N21")
    copy = FindingFactory(upload=upload, tilbud="Kragholm", afdeling="Kragholm", cell="B30",
                          block_index=7, code="DUPLICATE_BLOCK")
    offers = selectors.review_offers(submission)
    assert offers[0].findings == [unrecorded, copy]
    assert offers[1].findings == [recorded]
    assert selectors.review_general_findings(submission, offers) == []
