"""Recorded e-mails: sent or failed with the error, retried from the admin; the job-failed
message; invitations and password resets through Django's one-time tokens."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from socialaftale.models import Driftsherre, Job, Notification
from socialaftale.notifications import notification_send, notify, notify_job_failed

pytestmark = pytest.mark.django_db
JOB_FAILED = Notification.Kind.JOB_FAILED


class BrokenBackend:
    """An e-mail backend whose server refuses every message (a real SMTP failure's shape)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused({"x@example.dk": (550, b"No such user")})


@pytest.fixture
def admin_client(client, reference_data):
    admin = User.objects.create_superuser("admin", "admin@example.dk", "kode-1234")
    client.force_login(admin)
    return client


def test_a_failed_message_is_recorded_with_its_error_and_retried_from_the_admin(
    admin_client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "socialaftale.tests.test_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(kind=JOB_FAILED, to=["x@example.dk"], subject="Emne",
                                body="Tekst")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED and notification.attempts == 1
    assert "SMTPRecipientsRefused" in notification.error
    html = admin_client.get(reverse("admin:socialaftale_notification_changelist")).content
    assert "Fejlet" in html.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:socialaftale_notification_changelist"), {
            "action": "retry", "_selected_action": [notification.pk]}, follow=True)
    assert "1 besked sendes igen" in response.content.decode()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT and notification.attempts == 2
    assert notification.error == "" and [m.subject for m in mailoutbox] == ["Emne"]


def test_a_sent_message_is_not_sent_twice_by_a_redelivered_task(reference_data, mailoutbox):
    [notification] = notify(kind=JOB_FAILED, to=["x@example.dk"], subject="Emne", body="Tekst")
    notification_send(notification_id=notification.pk)
    notification_send(notification_id=notification.pk)
    assert len(mailoutbox) == 1


def test_a_failed_job_tells_the_secretariat_with_a_link_to_the_job(
    reference_data, make_user, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from socialaftale import jobs

    settings.SITE_URL = "https://socialaftale.example.dk"
    staff = make_user("sekretariat")
    staff.email = "sek@example.dk"
    staff.save()
    job = Job.objects.create(kind="test.fails", input_hash="x")

    @jobs.handler("test.fails")
    def fails(job, progress):
        raise jobs.JobError("Filen kunne ikke læses.")

    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_run(job.pk)
    [message] = mailoutbox
    assert message.to == ["sek@example.dk"]
    assert message.subject == f"Et baggrundsjob fejlede: test.fails #{job.pk}"
    assert "Filen kunne ikke læses." in message.body
    assert f"https://socialaftale.example.dk/admin/socialaftale/job/{job.pk}/" in message.body
    assert notify_job_failed(Job.objects.get(pk=job.pk)) == []  # once per failed attempt


def _link(body: str) -> str:
    return re.search(r"https?://\S+/konto/adgangskode/\S+/", body).group(0)


def test_the_secretariat_invites_a_user_who_chooses_a_password_once(
    client, reference_data, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    staff = make_user("sekretariat")
    client.force_login(staff)
    aalborg = Driftsherre.objects.get(slug="aalborg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invite"), {
            "email": "ny@aalborg.example.dk", "first_name": "Nina", "last_name": "Ny",
            "role": "driftsherre", "driftsherre": aalborg.pk}, follow=True)
    assert "Invitationen er sendt til ny@aalborg.example.dk" in response.content.decode()
    user = User.objects.get(email="ny@aalborg.example.dk")
    assert not user.has_usable_password() and user.profile.driftsherre == aalborg
    [message] = mailoutbox
    assert "for Aalborg Kommune" in message.body and "kode" not in message.subject.lower()
    assert Notification.objects.get(kind="account.invite").status == "sent"
    client.logout()
    link = _link(message.body).split("127.0.0.1:8000")[-1]
    form_page = client.get(link, follow=True)
    assert "Vælg adgangskode" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Fjordvej-2027!", "new_password2": "Fjordvej-2027!"})
    user.refresh_from_db()
    assert user.check_password("Fjordvej-2027!")
    again = client.get(link, follow=True).content.decode()
    assert "Linket er ugyldigt eller allerede brugt" in again
    client.logout()
    logged_in = client.post(reverse("login"), {"username": user.username,
                                                "password": "Fjordvej-2027!"})
    assert logged_in.status_code == 302 and "_auth_user_id" in client.session


def test_an_invitation_needs_a_driftsherre_for_a_driftsherre_user_and_the_secretariat(
    client, reference_data, make_user
):
    client.force_login(make_user("sekretariat"))
    html = client.post(reverse("invite"), {"email": "x@example.dk", "role": "driftsherre"})
    assert "Vælg den driftsherre" in html.content.decode() and not User.objects.filter(
        email="x@example.dk").exists()
    client.force_login(make_user("driftsherre", Driftsherre.objects.get(slug="aalborg")))
    assert client.get(reverse("invite")).status_code == 403


def test_a_forgotten_password_is_reset_through_a_recorded_one_time_link(
    client, reference_data, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user("das", username="dasmedlem")
    user.email = "das@example.dk"
    user.save()
    assert "Glemt adgangskode?" in client.get(reverse("login")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "das@example.dk"})
    [message] = mailoutbox
    assert message.subject == "Nulstil din adgangskode – Nordjysk Socialaftale"
    assert Notification.objects.get(kind="account.password_reset").to == "das@example.dk"
    link = _link(message.body).split("127.0.0.1:8000")[-1]
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Ny-Kode-Fjord-9", "new_password2":
                                 "Ny-Kode-Fjord-9"}, follow=True)
    assert "Adgangskoden er gemt" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Ny-Kode-Fjord-9")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, reference_data, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "ukendt@example.dk"},
                           follow=True)
    assert "Tjek din e-mail" in response.content.decode() and mailoutbox == []


def test_smtp_is_chosen_by_the_environment(monkeypatch):
    import importlib

    from socialaftale import settings as project_settings

    monkeypatch.setenv("EMAIL_HOST", "smtp.example.dk")
    monkeypatch.setenv("SITE_URL", "https://socialaftale.example.dk/")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert reloaded.SITE_URL == "https://socialaftale.example.dk"
    finally:
        monkeypatch.delenv("EMAIL_HOST")
        monkeypatch.delenv("SITE_URL")
        reloaded = importlib.reload(project_settings)
    assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_the_admin_sends_an_invitation_again_and_only_staff_may_invite(
    admin_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    user = User.objects.create_user("udloebet", email="udloebet@example.dk")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:auth_user_changelist"), {
            "action": "send_invitation", "_selected_action": [user.pk]})
    [message] = mailoutbox
    assert message.to == ["udloebet@example.dk"] and "/konto/adgangskode/" in message.body
    client.logout()
    assert client.get(reverse("invite")).status_code == 302  # anonymous: to the login page


@pytest.mark.integration
def test_a_real_worker_sends_the_message_after_commit(celery_worker_process, reference_data):
    """With Redis and a worker: the row is recorded, the task goes after commit, the worker
    sends it (its console backend) and marks it sent."""
    import time

    [notification] = notify(kind=JOB_FAILED, to=["x@example.dk"], subject="Emne", body="Tekst")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status != Notification.Status.PENDING:
            break
        time.sleep(0.1)
    assert notification.status == Notification.Status.SENT and notification.attempts == 1


def test_the_admin_lists_messages_by_status_in_few_queries(
    admin_client, django_assert_max_num_queries
):
    from .factories import NotificationFactory

    aalborg = Driftsherre.objects.get(slug="aalborg")
    NotificationFactory.create_batch(30, driftsherre=aalborg)
    NotificationFactory(status=Notification.Status.FAILED, error="SMTPServerDisconnected: x",
                        to="fejl@example.dk")
    url = reverse("admin:socialaftale_notification_changelist")
    with django_assert_max_num_queries(12):
        html = admin_client.get(url + "?status__exact=failed").content.decode()
    assert "fejl@example.dk" in html and "modtager" not in html
    assert admin_client.get(url + f"?driftsherre__id__exact={aalborg.pk}").status_code == 200


def test_every_kind_of_message_has_a_danish_name_in_the_admin(admin_client):
    """notify() takes only the kinds Notification.Kind names, so no message shows up in the
    admin as "takster.round_opened"; the list shows the name."""
    with pytest.raises(ValueError, match="Ukendt beskedtype 'takster.ny_type'"):
        notify(kind="takster.ny_type", to=["x@example.dk"], subject="Emne", body="Tekst")
    assert not Notification.objects.exists()
    notify(kind=Notification.Kind.ROUND_OPENED, to=["x@example.dk"], subject="Emne",
           body="Tekst")
    html = admin_client.get(reverse("admin:socialaftale_notification_changelist")).content
    assert '<td class="field-kind">Takstrunde åbnet</td>' in html.decode()
    assert "Nulstilling af adgangskode" in html.decode()  # the type filter names every kind
