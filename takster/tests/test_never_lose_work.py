"""No action in the admin or the UI destroys review work; DAS approval on agenda items;
the publish confirmation."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from socialaftale.models import Job
from takster import services
from takster.models import RateLine, Submission, SubmissionEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, aalborg_2027):
    client.force_login(User.objects.create_superuser("admin", password="kode-1234"))
    return client


def test_the_admin_refuses_to_revalidate_a_submitted_version(
    admin_client, aalborg_2027, django_capture_on_commit_callbacks
):
    upload = aalborg_2027.submitted_upload
    staff = User.objects.get(username="sekretariat")
    services.submission_recommend(submission=aalborg_2027, by=staff)
    services.submission_approve(submission=aalborg_2027, by=staff)
    approved = upload.lines.filter(approval_status=RateLine.Approval.APPROVED).count()
    attempts = Job.objects.get(pk=upload.job_id).attempts
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:takster_upload_changelist"), {
            "action": "rerun_validation", "_selected_action": [upload.pk]}, follow=True)
    html = response.content.decode()
    assert "Indberetningen er godkendt, så dens versioner valideres ikke igen" in html
    assert upload.lines.filter(approval_status=RateLine.Approval.APPROVED).count() == approved
    assert approved == 6 and Job.objects.get(pk=upload.job_id).attempts == attempts
    assert Submission.objects.get(pk=aalborg_2027.pk).status == "approved"


def test_a_draft_version_may_be_validated_again_and_that_is_an_event(
    client, stored_upload, django_capture_on_commit_callbacks
):
    upload = stored_upload()
    admin_client = client
    client.force_login(User.objects.create_superuser("admin", password="kode-1234"))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:takster_upload_changelist"), {
            "action": "rerun_validation", "_selected_action": [upload.pk]})
    assert Job.objects.get(pk=upload.job_id).attempts == 2
    assert upload.submission.events.filter(kind=SubmissionEvent.Kind.REVALIDATED).exists()


def test_rate_lines_comments_and_uploads_are_read_only_in_the_admin(admin_client, aalborg_2027):
    line = aalborg_2027.submitted_upload.lines.first()
    url = reverse("admin:takster_rateline_change", args=[line.pk])
    page = admin_client.get(url).content.decode()
    assert admin_client.get(url).status_code == 200 and 'name="takst_1"' not in page
    response = admin_client.post(url, {"takst_1": "1", "approval_status": "approved"})
    assert response.status_code == 403
    assert RateLine.objects.get(pk=line.pk).takst_1 == line.takst_1
    upload = aalborg_2027.submitted_upload
    assert admin_client.post(reverse("admin:takster_upload_delete", args=[upload.pk]),
                             {"post": "yes"}).status_code == 403
    assert admin_client.post(reverse("admin:takster_submission_delete",
                                     args=[aalborg_2027.pk]), {"post": "yes"}).status_code == 403
    actions = admin_client.get(reverse("admin:takster_submission_changelist")).content.decode()
    assert "delete_selected" not in actions


def test_every_review_step_is_an_event(aalborg_2027):
    staff = User.objects.get(username="sekretariat")
    line = aalborg_2027.submitted_upload.lines.get(tilbud_name="Syrenhuset", year=2027)
    services.rateline_days_set(line=line, by=staff, days=250)
    services.submission_recommend(submission=aalborg_2027, by=staff)
    kinds = list(aalborg_2027.events.values_list("kind", flat=True))
    assert kinds == ["uploaded", "acknowledged", "submitted", "days_set", "recommended"] or (
        kinds == ["uploaded", "submitted", "days_set", "recommended"])
    assert RateLine.objects.get(pk=line.pk).betalingsdage == 250
    with pytest.raises(Exception, match="mellem 1 og 366"):
        services.rateline_days_set(line=line, by=staff, days=400)


# ------------------------------------------------------------------ DAS approval


def _approved(submission):
    staff = User.objects.get(username="sekretariat")
    services.submission_recommend(submission=submission, by=staff)
    services.submission_approve(submission=submission, by=staff)
    return staff


def test_the_review_page_lists_the_rate_rounds_agenda_items_first(client, aalborg_2027):
    from moeder.models import AgendaItem, Meeting

    staff = _approved(aalborg_2027)
    meeting = Meeting.objects.get(date=datetime.date(2026, 2, 23))
    item = services.das_agenda_item_create(meeting=meeting, by=staff,
                                           title="Godkendelse af takster 2027")
    client.force_login(staff)
    html = client.get(reverse("takster:submission_review", args=[aalborg_2027.pk])).content
    html = html.decode()
    options = html[html.index('name="item"'):html.index("</select>", html.index('name="item"'))]
    first = options.index(f'value="{item.pk}"')
    assert all(first < options.index(f'value="{i.pk}"') for i in AgendaItem.objects.filter(
        meeting__body__slug="das-social").exclude(pk=item.pk)[:5])


def test_das_approval_from_a_new_agenda_item_fills_date_and_reference(client, aalborg_2027):
    from moeder.models import AgendaItem, Meeting

    staff = _approved(aalborg_2027)
    client.force_login(staff)
    meeting = Meeting.objects.get(date=datetime.date(2026, 2, 23))
    client.post(reverse("takster:das_item_create", args=[aalborg_2027.pk]),
                {"meeting": meeting.pk, "title": "Godkendelse af takster 2027"})
    item = AgendaItem.objects.get(meeting=meeting, title="Godkendelse af takster 2027")
    numbers = list(meeting.items.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))  # before Eventuelt, no duplicates
    client.post(reverse("takster:das_approval", args=[aalborg_2027.pk]), {"item": item.pk})
    approval = aalborg_2027.das_approvals.get()
    assert approval.date == meeting.date
    assert approval.reference == f"DAS Social 23.02.2026, pkt. {item.number}"
    assert item.links.get().object_id == approval.pk
    assert services.submission_is_official(aalborg_2027)


def test_publishing_is_refused_while_the_files_render(aalborg_2027):
    staff = _approved(aalborg_2027)
    services.das_approval_record(submissions=[aalborg_2027], by=staff,
                                 date=datetime.date(2026, 2, 23), reference="DAS 23.02.2026")
    draft = services.takstbilag_draft(rate_round=aalborg_2027.rate_round, by=staff)
    assert draft.pdf_job.status == Job.Status.QUEUED  # not run: the commit is not over
    with pytest.raises(Exception, match="dannes stadig"):
        services.takstbilag_publish(takstbilag=draft, by=staff, note="Kun Aalborg.")
    Job.objects.filter(pk__in=[draft.pdf_job_id, draft.xlsx_job_id]).update(status="done")
    draft.refresh_from_db()
    services.takstbilag_publish(takstbilag=draft, by=staff, note="Kun Aalborg.")
    from takster.publication import takstbilag_data

    assert "Kun Aalborg." in takstbilag_data(draft).versions[-1].note


def test_revalidating_a_draft_keeps_its_acknowledgements(stored_upload, mf_user):
    from takster.tests.test_validation_rules import filled, template

    upload = stored_upload(filled({"J10": 0.09, "Y9": "Ny normering."}, base=template()))
    warnings = {f.pk: f"Kendt {f.code}." for f in upload.findings.filter(severity="warning")}
    assert warnings
    services.acknowledgements_save(upload=upload, comments=warnings, by=mf_user)
    services.upload_validate(upload=upload)  # e.g. after a rule change
    comments = sorted(upload.findings.filter(severity="warning").values_list(
        "acknowledgement__comment", flat=True))
    assert comments == sorted(warnings.values())


def test_no_version_of_an_approved_submission_is_validated_again(aalborg_2027):
    staff = User.objects.get(username="sekretariat")
    _approved(aalborg_2027)
    with pytest.raises(Exception, match="valideres ikke igen"):
        services.upload_revalidate(upload=aalborg_2027.submitted_upload, by=staff)


def test_a_returned_submissions_submitted_version_keeps_its_comments(aalborg_2027):
    staff = User.objects.get(username="sekretariat")
    line = aalborg_2027.submitted_upload.lines.get(tilbud_name="Syrenhuset", year=2027)
    services.submission_comment(submission=aalborg_2027, by=staff, line=line, text="Hvorfor?")
    services.submission_return(submission=aalborg_2027, by=staff)
    with pytest.raises(Exception, match="Version 1 er indsendt"):
        services.upload_revalidate(upload=aalborg_2027.submitted_upload, by=staff)
    assert line.comments.get().text == "Hvorfor?"


def test_only_the_secretariat_sees_the_publish_confirmation(client, aalborg_2027, make_user):
    staff = _approved(aalborg_2027)
    services.das_approval_record(submissions=[aalborg_2027], by=staff,
                                 date=datetime.date(2026, 2, 23), reference="DAS 23.02.2026")
    draft = services.takstbilag_draft(rate_round=aalborg_2027.rate_round, by=staff,
                                      render=False)
    url = reverse("takster:takstbilag_publish", args=[2027, draft.version])
    assert client.get(url).status_code == 302
    client.force_login(make_user("das"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "x"}).status_code == 403
    client.force_login(User.objects.get(username="aalborg"))
    assert client.post(url, {"note": "x"}).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published


def test_no_new_agenda_item_on_a_meeting_whose_minutes_are_approved(client, aalborg_2027):
    """17.11.2025 has approved minutes: a new item would renumber its Eventuelt/Næste møde."""
    from moeder.models import Meeting

    staff = _approved(aalborg_2027)
    meeting = Meeting.objects.get(date=datetime.date(2025, 11, 17))
    assert meeting.state == Meeting.State.REFERAT_GODKENDT
    before = list(meeting.items.order_by("number").values_list("pk", "number", "title"))
    client.force_login(staff)
    html = client.get(reverse("takster:submission_review", args=[aalborg_2027.pk])).content
    html = html.decode()
    start = html.index('name="meeting"')
    choices = html[start:html.index("</select>", start)]
    assert f'value="{meeting.pk}"' not in choices and "23.02.2026" in choices
    with pytest.raises(ValidationError, match="Referatet af mødet 17.11.2025 er godkendt"):
        services.das_agenda_item_create(meeting=meeting, by=staff, title="Takster 2027")
    client.post(reverse("takster:das_item_create", args=[aalborg_2027.pk]),
                {"meeting": meeting.pk, "title": "Godkendelse af takster 2027"})
    assert list(meeting.items.order_by("number").values_list("pk", "number", "title")) == before
