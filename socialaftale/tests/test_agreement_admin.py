"""Only the secretariat edits the agreement, through the admin."""

import pytest
from django.urls import reverse

from socialaftale.models import AftalePeriode, Driftsherre, Fokusomraade, Initiativ

from .agreement_fixtures import agreements_fixture  # noqa: F401

INLINE_PREFIXES = ["fokusomraader", "centrale_udmeldinger", "forstaerket_samarbejde",
                   "styringsprincipper", "regelaendringer", "pladser", "bilag", "underskrivere"]


def _empty_inlines(**forms):
    data = {}
    for prefix in INLINE_PREFIXES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    for prefix, rows in forms.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.mark.parametrize("role", ["das", "driftsherre"])
def test_other_roles_cannot_open_the_agreement_admin(client, agreements, make_user, role):
    url = reverse("admin:socialaftale_aftaleperiode_changelist")
    assert client.get(url).status_code == 302  # anonymous → admin login
    driftsherre = Driftsherre.objects.get(slug="rebild") if role == "driftsherre" else None
    client.force_login(make_user(role, driftsherre))
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_secretariat_adds_a_period_with_ordered_inlines(client, agreements, make_user):
    client.force_login(make_user("sekretariat"))
    changelist = client.get(reverse("admin:socialaftale_aftaleperiode_changelist"))
    assert changelist.status_code == 200
    assert "Nordjysk Socialaftale 2025-2026" in changelist.content.decode()
    data = {
        "title": "Nordjysk Socialaftale 2027-2028", "subtitle": "", "start_year": "2027",
        "end_year": "2028", "signed_text": "", "summary": "Udkast.", "vision": "Ny vision.",
        "vision_text": "", "coordination_text": "", "forstaerket_text": "",
        "styringsaftale_text": "", "places_text": "",
        **_empty_inlines(
            fokusomraader=[{"order": "2", "title": "Andet fokus", "vision": "", "description": ""},
                           {"order": "1", "title": "Første fokus", "vision": "",
                            "description": ""}],
            pladser=[{"order": "1", "kommune": "5", "kommunale": "26", "private": "0",
                      "socialaftale": "0"}],
            underskrivere=[{"order": "1", "name": "Formand", "role": "KKR Formand"}],
        ),
    }
    response = client.post(reverse("admin:socialaftale_aftaleperiode_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors
    period = AftalePeriode.objects.get(start_year=2027)
    assert not period.is_published
    assert [a.title for a in period.fokusomraader.all()] == ["Første fokus", "Andet fokus"]
    assert period.pladser.get().kommune.slug == "laeso"


def test_places_can_only_be_entered_for_a_municipality(client, agreements, make_user):
    client.force_login(make_user("sekretariat"))
    period = agreements["2018-2020"]
    data = {
        "title": period.title, "subtitle": "", "start_year": "2018", "end_year": "2020",
        "is_published": "on", "signed_text": "", "summary": "", "vision": period.vision,
        "vision_text": "", "coordination_text": "", "forstaerket_text": "",
        "styringsaftale_text": "", "places_text": "",
        **_empty_inlines(pladser=[{"order": "1", "kommune": "12", "kommunale": "1",
                                   "private": "1", "socialaftale": "1"}]),
    }
    response = client.post(
        reverse("admin:socialaftale_aftaleperiode_change", args=[period.pk]), data
    )
    assert response.status_code == 200  # redisplayed with an error, nothing saved
    assert not period.pladser.exists()


def test_the_secretariat_edits_initiatives_on_the_focus_area_page(client, agreements, make_user):
    client.force_login(make_user("sekretariat"))
    area = Fokusomraade.objects.get(period=agreements["2025-2026"], order=3)
    url = reverse("admin:socialaftale_fokusomraade_change", args=[area.pk])
    assert "Et bæredygtigt medarbejdergrundlag" in client.get(url).content.decode()
    initiatives = list(area.initiativer.all())
    data = {"period": area.period_id, "order": "3", "title": area.title, "vision": area.vision,
            "description": "", "initiativer-TOTAL_FORMS": "3", "initiativer-INITIAL_FORMS": "2",
            "initiativer-MIN_NUM_FORMS": "0", "initiativer-MAX_NUM_FORMS": "1000"}
    for i, initiative in enumerate(initiatives):
        data.update({f"initiativer-{i}-id": initiative.pk, f"initiativer-{i}-fokusomraade": area.pk,
                     f"initiativer-{i}-order": initiative.order,
                     f"initiativer-{i}-letter": initiative.letter,
                     f"initiativer-{i}-title": initiative.title,
                     f"initiativer-{i}-description": initiative.description})
    data.update({"initiativer-2-order": "3", "initiativer-2-letter": "C",
                 "initiativer-2-title": "Nyt initiativ", "initiativer-2-description": "",
                 "initiativer-2-fokusomraade": area.pk})
    assert client.post(url, data).status_code == 302
    assert list(Initiativ.objects.filter(fokusomraade=area).values_list("letter", flat=True)) == [
        "A", "B", "C"]


def test_publish_action_makes_a_draft_public(client, agreements, make_user):
    period = agreements["2018-2020"]
    period.is_published = False
    period.save()
    client.force_login(make_user("sekretariat"))
    response = client.post(reverse("admin:socialaftale_aftaleperiode_changelist"),
                           {"action": "publish", "_selected_action": [period.pk]})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.is_published


def test_the_render_action_orders_one_pdf_per_content_version(
    client, agreements, make_user, django_capture_on_commit_callbacks
):
    from socialaftale.models import Job

    client.force_login(make_user("sekretariat"))
    url = reverse("admin:socialaftale_aftaleperiode_changelist")
    period = agreements["2025-2026"]
    with django_capture_on_commit_callbacks(execute=False):  # no worker needed here
        client.post(url, {"action": "render_pdf", "_selected_action": [period.pk]})
        client.post(url, {"action": "render_pdf", "_selected_action": [period.pk]})
    job = Job.objects.get()
    assert job.kind == "socialaftale.agreement_pdf" and job.subject_id == period.pk
    assert job.is_public
