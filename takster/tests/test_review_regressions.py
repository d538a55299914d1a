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


def test_two_blocks_with_one_name_each_show_their_own_findings(reference_data):
    """A structure change: Kragholm appears in two blocks of the sheet (rows 10-11 and 20-21).
    Each block's findings are shown under that block, by the row of the finding's cell."""
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
    for block, first_row in ((0, 10), (1, 20)):
        for offset, year in enumerate((2025, 2026)):
            HistoryRateLineFactory(upload=upload, block_index=block, row=first_row + offset,
                                   year=year, tilbud_name="Kragholm", afdeling_name="Kragholm",
                                   takst_1=2350 + 100 * offset)
    first = FindingFactory(upload=upload, tilbud="Kragholm", afdeling="Kragholm", cell="N11")
    header = FindingFactory(upload=upload, tilbud="Kragholm", afdeling="Kragholm", cell="B19")
    second = FindingFactory(upload=upload, tilbud="Kragholm", afdeling="Kragholm", cell="N21")
    elsewhere = FindingFactory(upload=upload, tilbud="Kragholm", afdeling="Kragholm",
                               sheet="Andet ark", cell="N21")
    offers = selectors.review_offers(submission)
    assert [o.index for o in offers] == [0, 1]
    assert offers[0].findings == [first, elsewhere]  # another sheet: the first block
    assert offers[1].findings == [header, second]
    assert selectors.review_general_findings(submission, offers) == []
