"""Review pages and the public takstbilag page: who may see and do what, and query counts."""

import datetime

import pytest
from django.urls import reverse

from takster import services
from takster.models import ReviewComment, Submission, Takstbilag

from .conftest import clean_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(stored_upload, mf_user):
    return clean_submitted(stored_upload, mf_user)


def review_url(submission, name="submission_review", **kwargs):
    return reverse(f"takster:{name}", args=[submission.pk, *kwargs.values()])


@pytest.mark.parametrize("who,status", [
    ("anonymous", 302), ("das", 403), ("own", 403), ("staff", 200),
])
def test_only_the_secretariat_opens_the_review_page(client, submitted, who, status, mf_user,
                                                    das_user, staff):
    users = {"das": das_user, "own": mf_user, "staff": staff}
    if who in users:
        client.force_login(users[who])
    response = client.get(review_url(submitted))
    assert response.status_code == status
    if status == 200:
        assert "Gennemgang af takster 2027: Mariagerfjord Kommune" in response.content.decode()


@pytest.mark.parametrize("action", ["returner", "indstil", "godkend", "delegeret"])
def test_a_driftsherre_cannot_review_or_approve(client, submitted, mf_user, action):
    client.force_login(mf_user)
    response = client.post(reverse("takster:submission_transition",
                                   args=[submitted.pk, action]))
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED


def test_secretariat_comments_per_line_and_returns_and_the_driftsherre_sees_it(
    client, submitted, staff, mf_user, aalborg_user
):
    line = submitted.submitted_upload.lines.filter(year=2027).first()
    client.force_login(staff)
    response = client.post(review_url(submitted, "submission_comment"), {
        "line": line.pk, "source": "styringsaftalegruppen", "text": "Begrund belægningen.",
    })
    assert response.status_code == 302
    assert ReviewComment.objects.get().line == line
    response = client.post(reverse("takster:submission_transition",
                                   args=[submitted.pk, "returner"]), {"text": ""}, follow=True)
    assert "returneret til driftsherren" in response.content.decode()
    # The driftsherre sees the comment on its report, next to the findings.
    client.force_login(mf_user)
    report = reverse("takster:upload_detail", args=[submitted.submitted_upload_id])
    html = client.get(report).content.decode()
    assert "Bemærkninger fra sekretariatet" in html and "Begrund belægningen." in html
    assert "Styringsaftalegruppen" in html and html.index("Begrund") < html.index("<h2>Fund")
    # Another driftsherre gets 404 on the report and the submission.
    client.force_login(aalborg_user)
    assert client.get(report).status_code == 404
    assert client.get(reverse("takster:submission_detail", args=[submitted.pk])).status_code \
        == 404


def test_an_invalid_transition_shows_the_danish_reason(client, submitted, staff):
    client.force_login(staff)
    response = client.post(reverse("takster:submission_transition",
                                   args=[submitted.pk, "godkend"]), follow=True)
    assert "Kun indstillede indberetninger kan godkendes." in response.content.decode()


def test_line_decisions_and_das_approval_from_the_review_page(client, submitted, staff,
                                                              seed_meetings):
    client.force_login(staff)
    client.post(reverse("takster:submission_transition", args=[submitted.pk, "indstil"]))
    line = submitted.submitted_upload.lines.filter(year=2027).first()
    client.post(reverse("takster:rateline_decide", args=[submitted.pk, line.pk]),
                {"decision": "afvis"})
    line.refresh_from_db()
    assert line.approval_status == "rejected"
    client.post(reverse("takster:submission_transition", args=[submitted.pk, "godkend"]))
    item = seed_meetings[("2025-11-17", 5)]
    wrong_day = client.post(review_url(submitted, "das_approval"), {
        "item": item.pk, "date": "2026-11-16", "reference": "DAS Social 16.11.2026, pkt. 4",
    }, follow=True).content.decode()
    assert "Datoen skal være mødets dato (17.11.2025)" in wrong_day
    assert not services.submission_is_official(Submission.objects.get(pk=submitted.pk))
    response = client.post(review_url(submitted, "das_approval"), {
        "item": item.pk, "date": "", "reference": "",  # both from the item
    }, follow=True)
    assert "DAS Socials godkendelse er registreret" in response.content.decode()
    assert services.submission_is_official(Submission.objects.get(pk=submitted.pk))
    assert item.links.filter(content_type__model="dasapproval").count() == 1


def test_overview_shows_states_and_last_event_in_few_queries(
    client, submitted, staff, aalborg, stored_upload, django_assert_max_num_queries
):
    services.submission_comment(submission=submitted, by=staff, text="Tjek OH.")
    services.submission_return(submission=submitted, by=staff)
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("takster:index")).content.decode()
    assert "Returneret med bemærkninger" in html and "Ikke startet" in html
    assert "Returneret, " in html and "af sek" in html
    assert html.count('<th scope="row">') == 12


@pytest.mark.parametrize(("days_after", "shown"), [(-1, False), (0, False), (1, True)])
def test_the_after_the_deadline_reminder_button_shows_only_once_the_deadline_has_passed(
    client, rate_round, staff, days_after, shown
):
    """On the deadline day the driftsherrer are still in time: no button (which would only
    answer "Ingen påmindelser sendt")."""
    from django.utils import timezone

    rate_round.deadline = timezone.localdate() - datetime.timedelta(days=days_after)
    rate_round.save()
    client.force_login(staff)
    html = client.get(reverse("takster:index")).content.decode()
    assert ("Send påmindelse til driftsherrer efter fristen" in html) is shown
    assert rate_round.reminders_due is shown


def test_reminder_button_sends_mail_and_reports_names(client, rate_round, staff, aalborg,
                                                      mailoutbox,
                                                      django_capture_on_commit_callbacks):
    rate_round.deadline = datetime.date(2020, 1, 1)
    rate_round.save()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("takster:reminders_send", args=[rate_round.pk]),
                               follow=True)
    assert "Påmindelse sendt til 12" in response.content.decode() and len(mailoutbox) == 12


# ------------------------------------------------------------------ takstbilag page


@pytest.fixture
def draft_and_published(demo_2026_rendered, django_capture_on_commit_callbacks):
    """The demo's two published versions and a third, unpublished draft."""
    from django.contrib.auth.models import User

    staff = User.objects.get(username="sekretariat")
    rate_round = demo_2026_rendered[0].rate_round
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.takstbilag_draft(rate_round=rate_round, by=staff, label="Udkast 3",
                                          render=False)
    return demo_2026_rendered, draft


def test_anonymous_and_das_see_only_published_versions(client, draft_and_published,
                                                       das_user):
    (first, second), draft = draft_and_published
    url = reverse("takster:takstbilag_year", args=[2026])
    for user in (None, das_user):
        if user:
            client.force_login(user)
        html = client.get(url).content.decode()
        assert "Version 2 – revideret Aalborg SEL § 104" in html and "Udkast 3" not in html
        assert "(gældende)" in html
        assert client.get(f"/takster/takstbilag/2026/v{second.version}.pdf").status_code == 200
        assert client.get(f"/takster/takstbilag/2026/v{draft.version}.pdf").status_code == 404
        assert client.post(
            reverse("takster:takstbilag_publish", args=[2026, draft.version])
        ).status_code in (302, 403)
    draft.refresh_from_db()
    assert draft.status == Takstbilag.Status.DRAFT
    response = client.get(f"/takster/takstbilag/2026/v{second.version}.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("takster:takstbilag_year", args=[2031])).status_code == 404


def test_the_secretariat_sees_the_draft_and_publishes_it(client, draft_and_published,
                                                         django_capture_on_commit_callbacks):
    from django.contrib.auth.models import User

    _, draft = draft_and_published
    client.force_login(User.objects.get(username="sekretariat"))
    html = client.get(reverse("takster:takstbilag_year", args=[2026])).content.decode()
    assert "Udkast 3" in html and "Offentliggør version 3" in html
    url = reverse("takster:takstbilag_publish", args=[2026, 3])
    confirm = client.get(url).content.decode()
    assert "Med i takstbilaget (2)" in confirm and "Mangler (10)" in confirm
    assert "Hjørring Kommune" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(url, {"note": ""}).content.decode()
    assert "Skriv en begrundelse" in refused
    draft.refresh_from_db()
    assert not draft.is_published
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"note": "De øvrige driftsherrer følger i version 4."})
    draft.refresh_from_db()
    assert draft.is_published and draft.pdf_job.status == "done"
    assert draft.publication_note == "De øvrige driftsherrer følger i version 4."


def test_the_publish_confirmation_says_when_a_draft_has_nothing_new(
    client, draft_and_published
):
    from django.contrib.auth.models import User

    (_, second), draft = draft_and_published
    client.force_login(User.objects.get(username="sekretariat"))
    url = reverse("takster:takstbilag_publish", args=[2026, draft.version])
    html = client.get(url).content.decode()
    assert 'id="uaendret"' in html
    assert "de samme takster som Version 2 – revideret Aalborg SEL § 104" in html
    draft.submissions.remove(*draft.submissions.all()[:1])  # a draft that differs
    assert 'id="uaendret"' not in client.get(url).content.decode()


def test_the_year_page_follows_files_being_made_without_reloading_itself(
    client, draft_and_published
):
    """While a version's files are made, the page shows a progress box per file for the shared
    poller; only without JavaScript does the page refresh itself. (That the poller leaves a
    page with a label being typed alone is tested in Chromium, test_browser.py.)"""
    from django.contrib.auth.models import User

    _, draft = draft_and_published
    staff = User.objects.get(username="sekretariat")
    services.takstbilag_render(takstbilag=draft, by=staff)  # queued: runs after commit
    client.force_login(staff)
    url = reverse("takster:takstbilag_year", args=[2026])
    html = client.get(url).content.decode()
    for job, label in ((draft.pdf_job, "Version 3, PDF"), (draft.xlsx_job, "Version 3, regneark")):
        assert f'data-job-status-url="{reverse("jobs:status", args=[job.pk])}"' in html
        assert f">{label}</label>" in html
    assert f'data-job-done-url="{url}"' in html and "job-progress.js" in html
    assert html.count('http-equiv="refresh"') == 1
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    client.logout()
    public = client.get(url).content.decode()  # the published versions' files are all made
    assert "job-progress.js" not in public and 'http-equiv="refresh"' not in public


def test_the_public_start_page_links_the_published_takstbilag(client, demo_2026):
    html = client.get(reverse("takster:index")).content.decode()
    assert reverse("takster:takstbilag_year", args=[2026]) in html
    assert "offentliggøres her, når" not in html


def test_the_driftsherre_starts_a_revision_of_official_rates_and_others_cannot(
    client, demo_2026, aalborg_user, mf_user
):
    original = Submission.objects.get(revision=0, driftsherre__slug="aalborg")
    client.force_login(mf_user)
    url = reverse("takster:submission_revise", args=[original.pk])
    assert client.post(url, {"reason": "Ny takst"}).status_code == 404
    client.force_login(aalborg_user)
    html = client.get(reverse("takster:submission_detail", args=[original.pk])).content.decode()
    assert "Revision 1:" in html and "Start revision" not in html  # already revised once
    revision = Submission.objects.get(revision=1)
    response = client.post(reverse("takster:submission_revise", args=[revision.pk]),
                           {"reason": "Ændret normering fra 1. juni."})
    newest = Submission.objects.get(revision=2)
    assert response.url == reverse("takster:submission_detail", args=[newest.pk])
    assert newest.revision_of == revision and newest.status == Submission.Status.DRAFT


def test_admin_lists_the_workflow_models_and_sends_reminders(
    client, demo_2026, rate_round, mailoutbox, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("admin", "admin@example.org", "kode-1234")
    client.force_login(admin)
    for model in ("dasapproval", "takstbilag", "reviewcomment", "submissionevent",
                  "submission"):
        assert client.get(f"/admin/takster/{model}/").status_code == 200, model
    rate_round.deadline = datetime.date(2020, 1, 1)
    rate_round.save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/takster/rateround/", {
            "action": "send_reminders", "_selected_action": [rate_round.pk],
        }, follow=True)
    assert "påmindelse sendt til 12 driftsherre(r)" in response.content.decode()
    assert len(mailoutbox) == 12


def test_the_driftsherre_start_page_lists_earlier_submissions_and_the_takstbilag(
    client, demo_2026, aalborg_user
):
    client.force_login(aalborg_user)
    html = client.get(reverse("takster:index")).content.decode()
    assert "Takster 2026, revision 1</a>: Offentliggjort" in html
    assert reverse("takster:takstbilag_year", args=[2026]) in html


def test_a_takstbilag_still_rendering_waits_and_hands_the_file_over(
    client, demo_2026, make_user
):
    """One click on a file that is not rendered yet: a waiting page, not a 404."""
    from socialaftale.jobs import job_run

    first = demo_2026[0]
    first.refresh_from_db()
    url = f"/takster/takstbilag/2026/v{first.version}.pdf"
    page = client.get(url).content.decode()
    assert "Filen dannes. Siden henter den af sig selv" in page
    assert f'data-job-status-url="/jobs/{first.pdf_job_id}/status/"' in page
    assert f'data-job-done-url="{url}"' in page
    status = client.get(f"/jobs/{first.pdf_job_id}/status/").json()  # published: public
    assert status["finished"] is False
    job_run(first.pdf_job_id, heartbeat=False)
    assert client.get(f"/jobs/{first.pdf_job_id}/status/").json()["done_url"] == url
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_confirmation_links_the_drafts_pdf_and_xlsx_to_check(
    client, draft_and_published, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import User

    from takster import services

    _, draft = draft_and_published
    staff = User.objects.get(username="sekretariat")
    with django_capture_on_commit_callbacks(execute=True):
        services.takstbilag_render(takstbilag=draft, by=staff)
    draft.refresh_from_db()
    assert draft.pdf_job.status == "done" and draft.xlsx_job.status == "done"
    client.force_login(staff)
    confirm = client.get(reverse("takster:takstbilag_publish", args=[2026, draft.version]))
    html = confirm.content.decode()
    for fmt in ("pdf", "xlsx"):
        link = reverse("takster:takstbilag_download", args=[2026, draft.version, fmt])
        assert f'href="{link}"' in html
        assert client.get(link).status_code == 200


def test_with_a_draft_the_year_page_offers_to_update_it_not_a_new_version(
    client, draft_and_published
):
    """There is one draft at a time, so the form updates version 3; it must not promise a new
    version (a second click used to read "Lav udkast til ny version" and changed version 3)."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="sekretariat"))
    html = client.get(reverse("takster:takstbilag_year", args=[2026])).content.decode()
    assert "Lav udkast til ny version" not in html and "Nyt udkast" not in html
    assert "Opdatér udkastet (version 3)" in html and "nu “Udkast 3”" in html


def test_the_review_comment_form_writes_for_reviewers_only(client, submitted, staff):
    """The secretariat writes for itself or Styringsaftalegruppen; "Driftsherren" is the
    driftsherre's own answer (comment_answer), not a sender the secretariat can pick."""
    from django.core.exceptions import ValidationError

    client.force_login(staff)
    html = client.get(review_url(submitted)).content.decode()
    new_comment = html.split("Ny bemærkning", 1)[1]
    assert "Styringsaftalegruppen" in new_comment and "Driftsherren" not in new_comment
    line = submitted.submitted_upload.lines.filter(year=2027).first()
    client.post(review_url(submitted, "submission_comment"), {
        "line": line.pk, "source": "driftsherre", "text": "Vi har tjekket det.",
    })
    assert not ReviewComment.objects.exists()
    with pytest.raises(ValidationError):
        services.submission_comment(submission=submitted, by=staff, text="Ok.",
                                    source=ReviewComment.Source.DRIFTSHERRE)
    assert f"{line.tilbud_name} / {line.tilbud_name}" not in new_comment
