"""The review and approval state machine, DAS approval, revisions, reminders, publication."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from takster import services
from takster.models import (
    RateLine,
    RateRound,
    Submission,
    SubmissionEvent,
    Takstbilag,
)

from .conftest import clean_submitted

pytestmark = pytest.mark.django_db
S = Submission.Status


@pytest.fixture
def submitted(stored_upload, mf_user):
    return clean_submitted(stored_upload, mf_user)


def _error(fn, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        fn(**kwargs)
    return " ".join(exc.value.messages)


def _budget_lines(submission):
    return list(submission.submitted_upload.lines.filter(year=2027).order_by("block_index"))


def test_the_full_way_from_submitted_to_published(
    submitted, staff, mf_user, seed_meetings, stored_upload, django_capture_on_commit_callbacks
):
    line = _budget_lines(submitted)[0]
    services.submission_comment(submission=submitted, by=staff, line=line,
                                text="Forklar stigningen i normeringen.")
    services.submission_return(submission=submitted, by=staff, text="Se bemærkningen.")
    assert submitted.status == S.RETURNED and submitted.comments.count() == 2
    # The driftsherre corrects and submits again; the comments stay with the submission.
    again = clean_submitted(stored_upload, mf_user, "Ny normering, rettet.")
    assert again.pk == submitted.pk and again.status == S.SUBMITTED
    services.submission_recommend(submission=again, by=staff)
    assert again.status == S.RECOMMENDED
    services.submission_approve(submission=again, by=staff)
    assert again.status == S.APPROVED and not again.delegated
    assert not services.submission_is_official(again)
    item = seed_meetings[("2025-11-17", 5)]
    approval = services.das_approval_record(
        submissions=[again], by=staff, item=item, date=datetime.date(2025, 11, 17),
        reference="DAS Social 17.11.2025, pkt. 5",
    )
    assert services.submission_is_official(again)
    link = item.links.get(object_id=approval.pk)
    assert link.target == approval and "Mariagerfjord" in link.label
    with django_capture_on_commit_callbacks(execute=True):
        takstbilag = services.takstbilag_draft(rate_round=again.rate_round, by=staff)
    takstbilag.refresh_from_db()  # the files are rendered (eager Celery after commit)
    with django_capture_on_commit_callbacks(execute=True):
        services.takstbilag_publish(takstbilag=takstbilag, by=staff,
                                    note="Kun Mariagerfjord i testen.")
    again.refresh_from_db()
    assert again.status == S.PUBLISHED and takstbilag.is_published
    kinds = list(again.events.values_list("kind", flat=True))
    # A second "uploaded" only when openpyxl's save time made the bytes differ.
    assert kinds[0] == "uploaded" and [
        k for k in kinds[1:] if k not in ("uploaded", "acknowledged")
    ] == [
        "submitted", "commented", "commented", "returned", "submitted",
        "recommended", "approved", "das_approved", "published",
    ]


def test_a_questioned_line_does_not_hold_back_the_rest(submitted, staff):
    services.submission_recommend(submission=submitted, by=staff)
    questioned, *rest = submitted.submitted_upload.lines.all()
    services.rateline_approve(line=questioned, by=staff, approve=False, note="Mangler svar.")
    services.submission_approve(submission=submitted, by=staff)
    questioned.refresh_from_db()
    assert questioned.approval_status == RateLine.Approval.REJECTED
    assert {x.approval_status for x in RateLine.objects.filter(pk__in=[r.pk for r in rest])} == {
        RateLine.Approval.APPROVED
    }


def test_invalid_transitions_are_refused_in_danish(submitted, staff, mf_user, stored_upload):
    assert "Kun sekretariatet kan godkende" in _error(
        services.submission_approve, submission=submitted, by=mf_user)
    assert "Kun sekretariatet" in _error(
        services.submission_recommend, submission=submitted, by=mf_user)
    assert "Kun indstillede" in _error(services.submission_approve, submission=submitted,
                                       by=staff)
    assert "mindst én bemærkning" in _error(services.submission_return, submission=submitted,
                                             by=staff)
    assert "kun godkendte" in _error(
        services.das_approval_record, submissions=[submitted], by=staff,
        date=datetime.date(2025, 11, 17), reference="DAS")
    assert "Kun takster, der er godkendt" in _error(
        services.submission_revise, submission=submitted, by=mf_user, reason="Ny takst")
    services.submission_return(submission=submitted, by=staff, text="Ret belægningen.")
    assert "returneret indberetning kan ikke indstilles" in _error(
        services.submission_recommend, submission=submitted, by=staff)
    assert "Kun indsendte" in _error(services.submission_return, submission=submitted,
                                     by=staff)
    again = clean_submitted(stored_upload, mf_user, "Ny normering, rettet.")
    services.submission_recommend(submission=again, by=staff)
    RateRound.objects.filter(pk=again.rate_round_id).update(deadline=datetime.date(2099, 1, 1))
    again.rate_round.refresh_from_db()
    assert "kan ikke ændres" in _error(
        services.upload_store, rate_round=again.rate_round, driftsherre=again.driftsherre,
        content=b"x", original_name="ny.xlsx")
    assert "kan ikke indsendes igen" in services.submission_can_submit(
        upload=again.submitted_upload)[1]
    assert "kun til indberetninger modtaget efter fristen" in _error(
        services.submission_approve, submission=again, by=staff, delegated=True)


def test_a_submission_with_errors_cannot_be_recommended_or_approved(submitted, staff):
    upload = submitted.submitted_upload
    type(upload).objects.filter(pk=upload.pk).update(errors_count=2)
    submitted.refresh_from_db()
    assert "med fejl kan ikke indstilles" in _error(
        services.submission_recommend, submission=submitted, by=staff)
    assert "med fejl kan ikke godkendes" in _error(
        services.rateline_approve, line=upload.lines.first(), by=staff)


def test_a_late_submission_is_approved_by_delegation_and_recorded_as_such(submitted, staff):
    RateRound.objects.filter(pk=submitted.rate_round_id).update(deadline=datetime.date(2020, 1, 1))
    submitted.refresh_from_db()
    services.submission_approve(submission=submitted, by=staff, delegated=True)
    assert submitted.delegated and services.submission_is_official(submitted)
    event = submitted.events.get(kind=SubmissionEvent.Kind.APPROVED)
    assert "delegation" in event.text and event.by == staff
    assert services.submissions_in_force(rate_round=submitted.rate_round) == [submitted]


def test_a_revision_is_a_new_version_with_its_own_approval(submitted, staff, mf_user,
                                                           stored_upload):
    services.submission_recommend(submission=submitted, by=staff)
    services.submission_approve(submission=submitted, by=staff)
    services.das_approval_record(submissions=[submitted], by=staff,
                                 date=datetime.date(2026, 11, 16), reference="DAS 16.11.2026")
    RateRound.objects.filter(pk=submitted.rate_round_id).update(status=RateRound.Status.CLOSED)
    revision = services.submission_revise(submission=submitted, by=mf_user,
                                          reason="Ny normering fra marts.")
    assert (revision.revision, revision.revision_of, revision.status) == (1, submitted, S.DRAFT)
    assert "allerede startet" in _error(services.submission_revise, submission=submitted,
                                        by=mf_user, reason="Igen")
    resubmitted = clean_submitted(stored_upload, mf_user)  # the closed round takes revisions
    assert resubmitted == revision and resubmitted.submitted_upload.submission == revision
    assert services.submissions_in_force(rate_round=submitted.rate_round) == [submitted]
    revision = resubmitted
    services.submission_recommend(submission=revision, by=staff)
    services.submission_approve(submission=revision, by=staff)
    services.das_approval_record(submissions=[revision], by=staff,
                                 date=datetime.date(2026, 11, 20), reference="DAS 20.11.2026")
    assert services.submissions_in_force(rate_round=submitted.rate_round) == [revision]


def test_reminders_go_to_late_driftsherrer_only_after_the_deadline(
    submitted, rate_round, staff, make_user, aalborg, django_capture_on_commit_callbacks
):
    aalborg_user = make_user("driftsherre", aalborg, username="aal-mail")
    aalborg_user.email = "takster@aalborg.example"
    aalborg_user.save()
    mariagerfjord_user = submitted.submitted_by
    mariagerfjord_user.email = "mf@example.org"
    mariagerfjord_user.save()
    mail.outbox.clear()  # the round's "opened" and "submitted" messages
    before = services.rate_reminders_send(rate_round=rate_round, today=rate_round.deadline)
    assert before == [] and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        names = services.rate_reminders_send(
            rate_round=rate_round, by=staff,
            today=rate_round.deadline + datetime.timedelta(days=1))
    assert "Aalborg Kommune" in names and "Mariagerfjord Kommune" not in names
    assert len(names) == 11  # every driftsherre has a contact address
    # One message per recipient: Aalborg's user and its contact address.
    assert len(mail.outbox) == 12
    to_aalborg = [m for m in mail.outbox if "Aalborg Kommune" in m.body]
    assert {m.to[0] for m in to_aalborg} == {"takster@aalborg.example",
                                             "takster@aalborg.example.dk"}
    to_aalborg = to_aalborg[0]
    assert "Fristen for takster 2027 er overskredet" in to_aalborg.subject
    reminded = Submission.objects.get(driftsherre=aalborg)
    assert reminded.events.get().kind == SubmissionEvent.Kind.REMINDED


def test_the_reminder_command_uses_the_same_service(rate_round, make_user, aalborg, capsys,
                                                    django_capture_on_commit_callbacks):
    user = make_user("driftsherre", aalborg, username="aal-cmd")
    user.email = "a@example.org"
    user.save()
    RateRound.objects.filter(pk=rate_round.pk).update(deadline=datetime.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_rate_reminders", "--year", "2027")
    assert "påmindelse sendt til 12 (Aalborg Kommune" in capsys.readouterr().out
    # 12 contact addresses and Aalborg's user: one message per recipient.
    assert any("a@example.org" in m.to for m in mail.outbox) and len(mail.outbox) == 13


def test_a_draft_needs_official_rates_and_only_one_draft_at_a_time(submitted, staff):
    assert "ingen takster for 2027 godkendt" in _error(
        services.takstbilag_draft, rate_round=submitted.rate_round, by=staff)
    services.submission_recommend(submission=submitted, by=staff)
    services.submission_approve(submission=submitted, by=staff)
    services.das_approval_record(submissions=[submitted], by=staff,
                                 date=datetime.date(2026, 11, 16), reference="DAS 16.11.2026")
    first = services.takstbilag_draft(rate_round=submitted.rate_round, by=staff, render=False)
    assert first.version == 1 and first.status == Takstbilag.Status.DRAFT
    again = services.takstbilag_draft(rate_round=submitted.rate_round, by=staff, render=False)
    assert again == first and Takstbilag.objects.count() == 1  # one draft, brought up to date
    assert "Kun sekretariatet" in _error(
        services.takstbilag_publish, takstbilag=first, by=submitted.submitted_by)


def test_the_periodic_task_reminds_late_driftsherrer_in_open_rounds(
    rate_round, django_capture_on_commit_callbacks
):
    from takster.tasks import send_deadline_reminders_task

    RateRound.objects.filter(pk=rate_round.pk).update(deadline=datetime.date(2099, 1, 1))
    assert send_deadline_reminders_task.delay().get() == 0  # long before the deadline
    RateRound.objects.filter(pk=rate_round.pk).update(deadline=datetime.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders_task.delay().get() == 12
    assert len(mail.outbox) == 12
    assert send_deadline_reminders_task.delay().get() == 0  # once per driftsherre and kind


def test_das_approval_cannot_be_dated_in_the_future_or_recorded_twice(submitted, staff):
    services.submission_recommend(submission=submitted, by=staff)
    services.submission_approve(submission=submitted, by=staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "fremtiden" in _error(services.das_approval_record, submissions=[submitted], by=staff,
                                 date=tomorrow, reference="DAS i morgen")
    services.das_approval_record(submissions=[submitted], by=staff,
                                 date=datetime.date(2026, 11, 16), reference="DAS 16.11.2026")
    assert "allerede registreret" in _error(
        services.das_approval_record, submissions=[submitted], by=staff,
        date=datetime.date(2026, 11, 16), reference="das 16.11.2026",
    )


def test_das_approval_on_an_agenda_item_is_dated_the_day_of_its_meeting(
    submitted, staff, seed_meetings
):
    services.submission_recommend(submission=submitted, by=staff)
    services.submission_approve(submission=submitted, by=staff)
    item = seed_meetings[("2025-11-17", 5)]
    assert "mødets dato (17.11.2025)" in _error(
        services.das_approval_record, submissions=[submitted], by=staff, item=item,
        date=datetime.date(2025, 11, 18), reference="DAS Social 17.11.2025, pkt. 5")
    assert not submitted.das_approvals.exists()
    services.das_approval_record(submissions=[submitted], by=staff, item=item,
                                 date=datetime.date(2025, 11, 17),
                                 reference="DAS Social 17.11.2025, pkt. 5")
    assert submitted.das_approvals.get().date == datetime.date(2025, 11, 17)


def test_asking_for_a_draft_again_brings_a_stale_draft_up_to_date(
    submitted, staff, aalborg_2027, client
):
    """Aalborg is DAS approved after the draft was made with Mariagerfjord: asking for a draft
    again gives the same draft with both, instead of a draft that calls Aalborg 'mangler'."""
    from django.urls import reverse

    day = datetime.date(2026, 11, 16)
    for submission in (submitted, aalborg_2027):
        services.submission_recommend(submission=submission, by=staff)
        services.submission_approve(submission=submission, by=staff)
    services.das_approval_record(submissions=[submitted], by=staff, date=day, reference="DAS")
    draft = services.takstbilag_draft(rate_round=submitted.rate_round, by=staff, render=False)
    assert list(draft.submissions.all()) == [submitted]
    services.das_approval_record(submissions=[aalborg_2027], by=staff, date=day,
                                 reference="DAS")
    client.force_login(staff)
    response = client.post(reverse("takster:takstbilag_create", args=[submitted.rate_round.pk]),
                           {"label": "Version 1 – begge"}, follow=True)
    assert "Udkastet er opdateret" in response.content.decode()
    draft.refresh_from_db()
    assert draft.label == "Version 1 – begge" and draft.status == Takstbilag.Status.DRAFT
    assert set(draft.submissions.all()) == {submitted, aalborg_2027}
    assert Takstbilag.objects.filter(rate_round=submitted.rate_round).count() == 1
    assert aalborg_2027.driftsherre not in services.takstbilag_missing(draft)


def test_aalborgs_demo_register_leaves_mariagerfjords_offers_alone(submitted, aalborg_2027):
    """The two fixtures' registers side by side: each rate line still points to its own
    driftsherre's offer (fixtures/tilbud.json's explicit ids once overwrote Kærvej with
    Aalborg's Syrenhuset on SQLite and collided with it on PostgreSQL)."""
    for submission in (submitted, aalborg_2027):
        lines = submission.submitted_upload.lines.select_related("tilbud")
        assert lines and all(
            line.tilbud.name == line.tilbud_name
            and line.tilbud.driftsherre_id == submission.driftsherre_id for line in lines)
