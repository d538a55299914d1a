"""Who sees what: anonymous → login, DAS → aggregates only, a municipality → its own rows."""

import re

from django.urls import reverse

from bifrost.models import IntakePlan, Referral, ScreeningAnswer

DASHBOARD = reverse("bifrost:index")
ON_DEMO_DAY = DASHBOARD + "?dato=2026-11-27"


def test_anonymous_users_are_sent_to_login_everywhere(client, bifrost_data):
    for url in [DASHBOARD, reverse("bifrost:referral_list"), reverse("bifrost:referral_create"),
                reverse("bifrost:referral_edit", args=[1]), reverse("bifrost:screening_detail",
                                                                    args=[1]),
                reverse("bifrost:screening_answer", args=[1, 11]),
                reverse("bifrost:report", args=[2026, 3])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/log-ind/"), url


def test_dashboard_shows_the_behind_plan_signal_and_the_numbers(client, bifrost_data, users):
    client.force_login(users["das"])
    html = client.get(ON_DEMO_DAY).content.decode()
    assert "Bagud i forhold til planen med 1" in html
    assert "4 af 10" in html and "75 %" in html
    assert "Temadag om selvskade" in html and "19. marts 2026" in html
    assert "13. august 2026 kl. 13.30–15.30" in html
    assert "Regionen modtager henvendelser om matchning" in html
    assert "7 af 11 kommuner har svaret" in html


def test_dashboard_needs_few_queries(client, bifrost_data, users, django_assert_max_num_queries):
    client.force_login(users["aalborg"])
    with django_assert_max_num_queries(16):
        assert client.get(ON_DEMO_DAY).status_code == 200


def test_region_and_unknown_municipalities_have_no_screening_answer(client, bifrost_data, users):
    client.force_login(users["sekretariat"])
    assert client.get(reverse("bifrost:screening_answer", args=[1, 12])).status_code == 404
    assert client.get(reverse("bifrost:screening_answer", args=[1, 999])).status_code == 404


def test_das_members_see_aggregates_but_never_referral_rows(client, bifrost_data, users):
    client.force_login(users["das"])
    html = client.get(ON_DEMO_DAY).content.decode()
    assert "BF-2026-" not in html
    assert client.get(reverse("bifrost:referral_list")).status_code == 403
    assert client.get(reverse("bifrost:referral_edit", args=[1])).status_code == 403
    assert client.get(reverse("bifrost:referral_create")).status_code == 403


def test_the_chart_is_server_side_svg_with_the_right_final_numbers(client, bifrost_data, users):
    client.force_login(users["das"])
    html = client.get(ON_DEMO_DAY).content.decode()
    svg = re.search(r"<svg class=\"bifrost-chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Gældende plan: 10 i alt." in svg
    assert "Indikatortabel (bilag 3): 10 i alt." in svg
    assert "Faktisk indskrevet: 4 pr. 27. november 2026." in svg
    assert svg.count('class="linje ') == 3
    # the text alternative carries the same figures per date
    assert re.search(r"30\. juni 2027</th><td class=\"num\">10</td><td class=\"num\">8</td>",
                     html)


def test_a_municipality_sees_only_its_own_referrals(client, bifrost_data, users,
                                                    django_assert_max_num_queries):
    client.force_login(users["aalborg"])
    with django_assert_max_num_queries(8):
        html = client.get(reverse("bifrost:referral_list")).content.decode()
    own = set(Referral.objects.filter(municipality__slug="aalborg").values_list("code", flat=True))
    assert own and all(code in html for code in own)
    assert "BF-2026-002" not in html and "BF-2026-005" not in html
    foreign = Referral.objects.exclude(municipality__slug="aalborg").first()
    assert client.get(reverse("bifrost:referral_edit", args=[foreign.pk])).status_code == 404
    client.force_login(users["thisted"])
    html = client.get(reverse("bifrost:referral_list")).content.decode()
    assert "BF-2026-005" in html and "BF-2026-001" not in html


def test_editors_see_every_referral_in_few_queries(client, bifrost_data, users,
                                                   django_assert_max_num_queries):
    for role in ("sekretariat", "region"):
        client.force_login(users[role])
        with django_assert_max_num_queries(8):
            html = client.get(reverse("bifrost:referral_list")).content.decode()
        assert all(f"BF-2026-00{i}" in html for i in range(1, 9)), role
        assert "31.12.2026" in html  # BF-2026-003's move-out date


def test_a_municipality_registers_a_referral_for_itself_only(client, bifrost_data, users):
    client.force_login(users["aalborg"])
    form = client.get(reverse("bifrost:referral_create")).context["form"]
    assert set(form.fields) == {"code", "received_on", "age_band", "target_group", "note"}
    assert form.initial["code"] == "BF-2026-009"
    response = client.post(reverse("bifrost:referral_create"), {
        "code": "BF-2026-009", "received_on": "2026-11-20", "age_band": "16-17",
        "target_group": "primaer", "note": "Afventer psykologisk test.", "municipality": 3})
    assert response.status_code == 302
    referral = Referral.objects.get(code="BF-2026-009")
    assert referral.municipality.slug == "aalborg" and referral.outcome == "afventer"


def test_a_cpr_number_posted_in_a_referral_is_refused_and_not_stored(client, bifrost_data, users):
    client.force_login(users["region"])
    response = client.post(reverse("bifrost:referral_edit", args=[7]), {
        "code": "BF-2026-007", "municipality": 8, "received_on": "2026-10-20",
        "age_band": "16-17", "target_group": "primaer", "outcome": "afventer",
        "north_jutland_priority": "on", "note": "CPR 010190-1234"})
    assert response.status_code == 200
    assert "ligner" not in Referral.objects.get(pk=7).note
    assert "CPR-nummer" in response.content.decode()
    assert Referral.objects.get(pk=7).note == ""


def test_region_records_the_match_and_admission(client, bifrost_data, users):
    client.force_login(users["region"])
    response = client.post(reverse("bifrost:referral_edit", args=[7]), {
        "code": "BF-2026-007", "municipality": 8, "received_on": "2026-10-20",
        "age_band": "16-17", "target_group": "primaer", "exclusion_checked": "on",
        "north_jutland_priority": "on", "outcome": "accepteret", "outcome_on": "2026-11-10",
        "admitted_on": "2026-11-25", "note": ""})
    assert response.status_code == 302
    client.force_login(users["das"])
    assert "Følger planen" in client.get(ON_DEMO_DAY).content.decode()


def test_screening_answers_are_per_municipality(client, bifrost_data, users):
    answer_url = reverse("bifrost:screening_answer", args=[1, 4])  # Jammerbugt
    client.force_login(users["aalborg"])
    assert client.get(answer_url).status_code == 404
    detail = client.get(reverse("bifrost:screening_detail", args=[1])).content.decode()
    assert "Aalborg Kommune" in detail and "Hjørring" not in detail
    response = client.post(reverse("bifrost:screening_answer", args=[1, 11]), {
        "primary_count": 5, "secondary_count": 2, "answered_on": "2026-04-21", "comment": ""})
    assert response.status_code == 302
    assert ScreeningAnswer.objects.get(round=1, municipality__slug="aalborg").primary_count == 5
    client.force_login(users["das"])
    assert client.get(answer_url).status_code == 403
    detail = client.get(reverse("bifrost:screening_detail", args=[1])).content.decode()
    assert "Ikke svaret" in detail and "Jammerbugt" in detail
    client.force_login(users["region"])
    assert client.post(answer_url, {"primary_count": 1, "secondary_count": 1,
                                    "answered_on": "2026-05-02"}).status_code == 302
    assert ScreeningAnswer.objects.filter(round=1).count() == 8


def test_only_the_secretariat_chooses_the_plan_in_force(client, bifrost_data, users):
    url = reverse("bifrost:plan_in_force", args=[2])
    client.force_login(users["das"])
    assert client.post(url).status_code == 403
    client.force_login(users["sekretariat"])
    assert client.post(url).status_code == 302
    assert IntakePlan.objects.get(in_force=True).pk == 2
    html = client.get(ON_DEMO_DAY).content.decode()
    assert "Følger planen" in html


def test_report_page_only_reads_a_registration_renders_it_and_one_click_serves_it(
    client, bifrost_data, users, django_capture_on_commit_callbacks
):
    from bifrost.models import Milestone, StatusReport
    from socialaftale.models import Job

    client.force_login(users["aalborg"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("bifrost:report", args=[2026, 4])).status_code == 200
        pending = client.get(reverse("bifrost:report_pdf", args=[2026, 4]))
    assert pending["Location"] == "/bifrost/rapport/2026-k4/"  # not rendered yet
    assert not Job.objects.exists() and not StatusReport.objects.exists()  # a GET only reads
    assert client.get(reverse("bifrost:report", args=[2025, 4])).status_code == 404
    assert client.post(reverse("bifrost:report", args=[2026, 3])).status_code == 403

    milestone = Milestone.objects.first()
    with django_capture_on_commit_callbacks(execute=True):  # a registration is committed
        milestone.save()
    assert Job.objects.filter(kind="bifrost.statusrapport", status=Job.Status.DONE).exists()
    client.force_login(users["das"])
    page = client.get(reverse("bifrost:report", args=[2026, 3])).content.decode()
    assert "Hent statusrapporten (PDF)" in page and "Dan rapporten igen" not in page
    response = client.get(reverse("bifrost:report_pdf", args=[2026, 3]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_rendering_report_waits_and_the_secretariat_can_render_it_again(
    client, bifrost_data, users, django_capture_on_commit_callbacks
):
    from bifrost.models import Milestone
    from socialaftale.models import Job

    with django_capture_on_commit_callbacks(execute=True):
        Milestone.objects.first().save()
    job = Job.objects.filter(kind="bifrost.statusrapport").order_by("pk").first()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=30)
    client.force_login(users["das"])
    url = reverse("bifrost:report", args=[job.subject.year, job.subject.quarter])
    assert client.get(reverse("bifrost:report_pdf", args=[job.subject.year,
                                                          job.subject.quarter]))["Location"] == url
    page = client.get(url).content.decode()
    assert f'data-job-status-url="/jobs/{job.pk}/status/"' in page and "Kører (30 %)" in page
    assert 'data-job-done-url="/bifrost/rapport/' in page
    assert client.get(f"/jobs/{job.pk}/status/").json()["progress"] == 30
    client.logout()
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 404  # anonymous: aggregates too
    client.force_login(users["sekretariat"])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, progress=100)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2  # rendered again by force


def test_dashboard_without_any_data_still_answers(client, users):
    client.force_login(users["das"])
    html = client.get(DASHBOARD).content.decode()
    assert "Ingen afdækningsrunde endnu." in html and "Ingen milepæle registreret." in html
    assert "Bagud i forhold" not in html and 'class="bifrost-chart"' in html
