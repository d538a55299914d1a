"""Public agreement pages: list, period, PDF download with progress, and who sees drafts."""

import pytest
from django.urls import reverse

from socialaftale.models import AftalePeriode, Job
from socialaftale.services import agreement_content_hash

from .agreement_fixtures import agreements_fixture  # noqa: F401

LIST = reverse("socialaftale:period_list")


def _url(name, label):
    start, end = label.split("-")
    return reverse(f"socialaftale:{name}", kwargs={"start_year": start, "end_year": end})


@pytest.fixture
def draft(agreements):
    period = agreements["2018-2020"]
    period.is_published = False
    period.save()
    return period


def test_the_public_list_shows_published_periods_newest_first(client, agreements, draft):
    response = client.get(LIST)
    assert [p.label for p in response.context["periods"]] == ["2025-2026", "2021-2022"]
    assert "Nordjysk Socialaftale 2025-2026" in response.content.decode()


def test_the_list_needs_the_same_queries_however_many_periods(
    client, agreements, django_assert_max_num_queries
):
    for year in range(2030, 2060, 2):
        AftalePeriode.objects.create(title=f"Aftale {year}", start_year=year, end_year=year + 1,
                                     vision="v", is_published=True)
    with django_assert_max_num_queries(3):
        response = client.get(LIST)
    assert len(response.context["periods"]) == 18


def test_an_unpublished_period_is_not_found_by_the_public_or_a_das_member(
    client, draft, make_user
):
    assert client.get(_url("period_detail", "2018-2020")).status_code == 404
    assert client.get(_url("period_pdf", "2018-2020")).status_code == 404
    client.force_login(make_user("das"))
    assert client.get(_url("period_detail", "2018-2020")).status_code == 404
    assert "2018-2020" not in [p.label for p in client.get(LIST).context["periods"]]


def test_the_secretariat_previews_an_unpublished_period(client, draft, make_user):
    client.force_login(make_user("sekretariat"))
    response = client.get(_url("period_detail", "2018-2020"))
    assert response.status_code == 200
    assert "Kladde" in response.content.decode()


def test_the_period_page_shows_content_and_computed_totals(
    client, agreements, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        response = client.get(_url("period_detail", "2025-2026"))
    html = response.content.decode()
    for text in ("Samskabelse af fællesskaber for borgerne", "Afregning i skudår med 366 dage",
                 "Specialbørnehjemmet Kvisten", "Lasse Frimand Jensen, KKR Formand",
                 '<td class="num">4.681</td>', '<td class="num">2.257</td>'):
        assert text in html
    assert "Hent Nordjysk Socialaftale 2025-2026 (PDF)" in html
    assert "Lav og hent" not in html


def test_a_get_never_starts_work_an_edit_renders_the_pdf_and_one_click_serves_it(
    client, agreements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_url("period_pdf", "2025-2026"))
        client.get(response["Location"])
        client.get(_url("period_detail", "2025-2026"))
    assert response["Location"] == _url("period_pdf_status", "2025-2026")
    assert not Job.objects.exists()  # no GET creates work
    focus = agreements["2025-2026"].fokusomraader.first()
    focus.title = "Samskabelse af fællesskaber for alle borgere"
    with django_capture_on_commit_callbacks(execute=True):  # the edit is committed
        focus.save()
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.is_public and job.requested_by is None
    response = client.get(_url("period_pdf", "2025-2026"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="nordjysk-socialaftale-2025-2026.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Job.objects.get().attempts == 1  # the download reused the rendered file
    html = client.get(_url("period_detail", "2025-2026")).content.decode()
    assert "Hent Nordjysk Socialaftale 2025-2026 (PDF)" in html


def test_a_pdf_still_rendering_shows_progress_that_works_without_javascript(client, agreements):
    from django.contrib.contenttypes.models import ContentType

    period = agreements["2025-2026"]
    job = Job.objects.create(
        kind="socialaftale.agreement_pdf", subject_type=ContentType.objects.get_for_model(period),
        subject_id=period.pk, input_hash=agreement_content_hash(period=period), is_public=True,
        status=Job.Status.RUNNING, progress=40,
    )
    response = client.get(_url("period_pdf", "2025-2026"))
    assert response.status_code == 302
    assert response["Location"] == _url("period_pdf_status", "2025-2026")
    html = client.get(response["Location"]).content.decode()
    assert 'value="40"' in html and "Kører (40 %)" in html
    assert f'data-job-status-url="/jobs/{job.pk}/status/"' in html
    assert ">Opdater</a>" in html  # the no-JS way to follow it
    assert client.get(f"/jobs/{job.pk}/status/").json()["progress"] == 40


def test_a_failed_pdf_shows_its_error_and_the_secretariat_renders_it_again(
    client, agreements, make_user, django_capture_on_commit_callbacks
):
    from django.contrib.contenttypes.models import ContentType

    period = agreements["2025-2026"]
    Job.objects.create(
        kind="socialaftale.agreement_pdf", subject_type=ContentType.objects.get_for_model(period),
        subject_id=period.pk, input_hash=agreement_content_hash(period=period), is_public=True,
        status=Job.Status.FAILED, error="Skrifttypen mangler.",
    )
    html = client.get(_url("period_pdf_status", "2025-2026")).content.decode()
    assert "Skrifttypen mangler." in html and "Dan PDF'en igen" not in html  # a reader
    assert client.post(_url("period_pdf", "2025-2026")).status_code == 403
    client.force_login(make_user("sekretariat"))
    assert "Dan PDF'en igen" in client.get(_url("period_pdf_status", "2025-2026")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("period_pdf", "2025-2026"))
    assert response["Location"] == _url("period_pdf_status", "2025-2026")
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.error == ""  # queued again and rendered


def test_the_pdf_of_a_draft_is_private_to_the_secretariat(
    client, draft, make_user, django_capture_on_commit_callbacks
):
    from socialaftale.services import agreement_pdf_request

    client.force_login(make_user("sekretariat"))
    with django_capture_on_commit_callbacks(execute=False):
        agreement_pdf_request(period=draft)
    job = Job.objects.get()
    assert not job.is_public
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 200
    client.logout()
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 404
    assert client.get(_url("period_pdf_status", "2018-2020")).status_code == 404


def test_the_secretariat_forces_a_new_pdf_in_the_admin(
    admin_client, agreements, django_capture_on_commit_callbacks
):
    from socialaftale.services import agreement_pdf_request

    period = agreements["2025-2026"]
    with django_capture_on_commit_callbacks(execute=True):
        agreement_pdf_request(period=period)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:socialaftale_aftaleperiode_changelist"), {
            "action": "render_pdf", "_selected_action": [period.pk],
        })
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.attempts == 2
