"""Every step someone else must act on sends a Danish e-mail with a direct, absolute link,
after commit, recorded as a `Notification` row."""

import datetime

import pytest
from django.contrib.auth.models import User

from socialaftale.models import Notification, Styringsparametre
from takster import services
from takster.models import RateLine, RateRound, SubmissionEvent

pytestmark = pytest.mark.django_db
SUBMITTED = Notification.Kind.SUBMITTED
SITE = "https://socialaftale.example.dk"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def staff_user(aalborg_2027):
    return User.objects.get(username="sekretariat")


def _to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def test_nothing_is_sent_before_the_transaction_commits(
    reference_data, mailoutbox, django_capture_on_commit_callbacks
):
    parameters = Styringsparametre.objects.get(budget_year=2027)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.round_open(parameters=parameters, deadline=datetime.date(2026, 8, 15))
    assert mailoutbox == [] and len(callbacks) == 12
    assert Notification.objects.filter(status="pending").count() == 12


def test_round_opened_goes_to_every_driftsherre_with_its_template_link(
    reference_data, mailoutbox, django_capture_on_commit_callbacks
):
    parameters = Styringsparametre.objects.get(budget_year=2027)
    with django_capture_on_commit_callbacks(execute=True):
        rate_round = services.round_open(parameters=parameters,
                                         deadline=datetime.date(2026, 8, 15))
    assert len(mailoutbox) == 12
    message = _to(mailoutbox, "takster@aalborg.example.dk")[0]
    assert message.subject == "Takstrunde 2027 er åbnet – Aalborg Kommune"
    assert "15. august 2026" in message.body
    aalborg = rate_round.submissions.model.driftsherre.field.related_model.objects.get(
        slug="aalborg")
    assert f"{SITE}/takster/runder/{rate_round.pk}/driftsherre/{aalborg.pk}/skabelon.xlsx" in (
        message.body)
    assert Notification.objects.filter(status="sent", kind="takster.round_opened").count() == 12


def test_a_submission_tells_the_secretariat_with_a_link_to_the_review(
    staff_user, aalborg_2027, mailoutbox
):
    # aalborg_2027 submitted outside a captured commit: the row was recorded, then sent
    notification = Notification.objects.get(kind="takster.submitted")
    assert notification.to == "sekretariat@example.dk"
    assert notification.subject == "Indsendt: takster 2027 for Aalborg Kommune"
    assert f"{SITE}/takster/indberetninger/{aalborg_2027.pk}/gennemgang/" in notification.body


def test_a_return_sends_the_comments_inline_and_a_direct_link(
    staff_user, aalborg_2027, mailoutbox, django_capture_on_commit_callbacks
):
    line = aalborg_2027.submitted_upload.lines.get(tilbud_name="Syrenhuset", year=2027)
    services.submission_comment(submission=aalborg_2027, by=staff_user, line=line,
                                text="Dokumentér den nye normering.")
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=aalborg_2027, by=staff_user,
                                   text="Se også overheadprocenten.")
    message = _to(mailoutbox, "takster-aalborg@example.dk")[-1]
    assert message.subject == "Returneret med bemærkninger: takster 2027 for Aalborg Kommune"
    assert "- Syrenhuset (2027) (Sekretariatet): Dokumentér den nye normering." in message.body
    assert "- Hele indberetningen (Sekretariatet): Se også overheadprocenten." in message.body
    assert f"{SITE}/takster/indberetninger/{aalborg_2027.pk}/" in message.body
    assert message.body.startswith("Kære Aalborg Kommune")


def test_approval_sends_the_rejected_lines_with_reasons_and_the_approval(
    staff_user, aalborg_2027, mailoutbox, django_capture_on_commit_callbacks
):
    services.submission_recommend(submission=aalborg_2027, by=staff_user)
    line = aalborg_2027.submitted_upload.lines.get(tilbud_name="Væksthuset", year=2027)
    services.rateline_approve(line=line, by=staff_user, approve=False,
                              note="Belægningen skal dokumenteres.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission=aalborg_2027, by=staff_user)
    subjects = [m.subject for m in _to(mailoutbox, "takster-aalborg@example.dk")]
    assert subjects == ["Takster afvist: 1 linje(r) i takster 2027 for Aalborg Kommune",
                        "Godkendt: takster 2027 for Aalborg Kommune"]
    rejected = _to(mailoutbox, "takster-aalborg@example.dk")[0]
    assert "- Væksthuset (2027): Belægningen skal dokumenteres." in rejected.body
    assert "forelægges nu DAS Social" in _to(mailoutbox, "takster-aalborg@example.dk")[1].body


def test_das_approval_and_publication_tell_the_driftsherre(
    staff_user, aalborg_2027, mailoutbox, django_capture_on_commit_callbacks
):
    from moeder.models import AgendaItem

    services.submission_recommend(submission=aalborg_2027, by=staff_user)
    services.submission_approve(submission=aalborg_2027, by=staff_user)
    item = AgendaItem.objects.get(meeting__date=datetime.date(2026, 2, 23), number=10)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.das_approval_record(submissions=[aalborg_2027], by=staff_user, item=item,
                                     date=datetime.date(2026, 2, 23), reference="DAS 23.02.2026")
    message = _to(mailoutbox, "takster-aalborg@example.dk")[0]
    assert message.subject == "Godkendt af DAS Social: takster 2027 for Aalborg Kommune"
    assert "DAS 23.02.2026, 23. februar 2026" in message.body
    draft = services.takstbilag_draft(rate_round=aalborg_2027.rate_round, by=staff_user,
                                      render=False)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.takstbilag_publish(takstbilag=draft, by=staff_user, note="Kun Aalborg.")
    message = _to(mailoutbox, "takster-aalborg@example.dk")[0]
    assert message.subject == "Takstbilag 2027 er offentliggjort – Aalborg Kommune"
    assert f"{SITE}/takster/takstbilag/2027/" in message.body


def test_deadline_reminders_14_and_3_days_before_and_after_once_per_kind(
    staff_user, aalborg_2027, mailoutbox, django_capture_on_commit_callbacks
):
    deadline = aalborg_2027.rate_round.deadline
    mailoutbox.clear()

    def run(days_before: int) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.deadline_reminders_send(
                today=deadline - datetime.timedelta(days=days_before))

    assert run(15) == 0 and mailoutbox == []  # too early
    assert run(14) == 11  # everyone but Aalborg, which has submitted
    assert run(14) == 0 and run(10) == 0  # the same kind only once
    first = mailoutbox[0]
    assert "Påmindelse: 14 dage til fristen for takster 2027" in first.subject
    assert run(4) == 0 and run(3) == 11 and run(1) == 0
    assert run(0) == 0  # the deadline day itself
    assert run(-1) == 11 and run(-5) == 0
    after = [m for m in mailoutbox if "overskredet" in m.subject]
    assert len(after) == 11 and "15. august 2026" in after[0].body
    hjorring = aalborg_2027.rate_round.submissions.get(driftsherre__slug="hjorring")
    assert hjorring.events.filter(kind=SubmissionEvent.Kind.REMINDED).count() == 3


def test_reminders_stop_once_the_round_is_closed(staff_user, aalborg_2027, mailoutbox):
    RateRound.objects.filter(pk=aalborg_2027.rate_round_id).update(status="closed")
    today = aalborg_2027.rate_round.deadline + datetime.timedelta(days=1)
    assert services.deadline_reminders_send(today=today) == 0


def test_the_same_reminder_key_is_recorded_once_even_when_asked_twice(aalborg_2027):
    from socialaftale.notifications import notify

    first = notify(kind=SUBMITTED, to=["a@example.dk"], subject="S", body="B", key="k1")
    again = notify(kind=SUBMITTED, to=["a@example.dk", "b@example.dk"], subject="S", body="B",
                   key="k1")
    assert len(first) == 1 and [n.to for n in again] == ["b@example.dk"]


def test_refused_revalidation_keeps_lines_approvals_and_comments(staff_user, aalborg_2027):
    upload = aalborg_2027.submitted_upload
    services.submission_recommend(submission=aalborg_2027, by=staff_user)
    line = upload.lines.get(tilbud_name="Syrenhuset", year=2027)
    services.rateline_approve(line=line, by=staff_user, approve=False, note="Nej.")
    services.submission_comment(submission=aalborg_2027, by=staff_user, line=line, text="Hvorfor?")
    before = list(upload.lines.values_list("pk", "approval_status"))
    with pytest.raises(Exception, match="valideres ikke igen"):
        services.upload_revalidate(upload=upload, by=staff_user)
    with pytest.raises(Exception, match="valideres ikke igen"):
        services.upload_validate(upload=upload)
    assert list(upload.lines.values_list("pk", "approval_status")) == before
    assert line.comments.count() == 1
    assert (RateLine.objects.get(pk=line.pk).approval_status
            == RateLine.Approval.REJECTED)


def test_an_answer_tells_the_secretariat(
    staff_user, aalborg_2027, mailoutbox, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import User

    line = aalborg_2027.submitted_upload.lines.get(tilbud_name="Syrenhuset", year=2027)
    comment = services.submission_comment(submission=aalborg_2027, by=staff_user, line=line,
                                          text="Dokumentér normeringen.")
    services.submission_return(submission=aalborg_2027, by=staff_user)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_answer(comment=comment, by=User.objects.get(username="aalborg"),
                                text="Se byrådets beslutning 3.5.2026.")
    [message] = _to(mailoutbox, "sekretariat@example.dk")
    assert message.subject == "Svar på bemærkning: takster 2027 for Aalborg Kommune"
    assert "om Syrenhuset (2027)" in message.body and "byrådets beslutning" in message.body
    assert f"{SITE}/takster/indberetninger/{aalborg_2027.pk}/gennemgang/" in message.body


def test_a_round_opened_in_the_admin_is_announced_too(
    client, reference_data, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.create_superuser("admin", password="kode-1234"))
    parameters = Styringsparametre.objects.get(budget_year=2027)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/takster/rateround/add/", {
            "parameters": parameters.pk, "deadline": "15.08.2026", "status": "open"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mailoutbox) == 12 and all("Takstrunde 2027 er åbnet" in m.subject
                                         for m in mailoutbox)
