"""Public offer pages and the driftsherre's free-places form, role by role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socialaftale.models import Driftsherre, Profile
from tilbud.models import LedigKapacitet, Tilbud

Role = Profile.Role


def names(response) -> list[str]:
    return [t.name for t in response.context["page"].object_list]


def test_anonymous_sees_the_offer_list(client, register):
    response = client.get(reverse("tilbud:list"))
    assert response.status_code == 200
    assert names(response) == [
        "Bo og Aktivitetstilbud Kærvej", "Det Gamle Hjem", "Specialbørnehaven Birken", "Syrenhuset"
    ]
    body = response.content.decode()
    assert "4 tilbud fundet." in body
    assert body.count("<h1>") == 1 and "<caption>" in body and 'scope="col"' in body


@pytest.mark.parametrize("params, expected", [
    ({"driftsherre": "aalborg"}, ["Specialbørnehaven Birken", "Syrenhuset"]),
    ({"paragraf": "BL § 32"}, ["Specialbørnehaven Birken"]),
    ({"paragraf": "SEL § 108"}, ["Bo og Aktivitetstilbud Kærvej"]),  # via its department
    ({"status": "ended"}, ["Det Gamle Hjem"]),
    ({"q": "autisme"}, ["Specialbørnehaven Birken"]),  # target group
    ({"q": "hus nord"}, ["Bo og Aktivitetstilbud Kærvej"]),  # department name
    ({"forstaerket": "on"}, ["Det Gamle Hjem"]),
    ({"q": "syren", "driftsherre": "mariagerfjord"}, []),
])
def test_offer_list_filters(client, register, paragraffer, params, expected):
    if "driftsherre" in params:
        params["driftsherre"] = Driftsherre.objects.get(slug=params["driftsherre"]).pk
    if "paragraf" in params:
        params["paragraf"] = paragraffer[params["paragraf"]].pk
    response = client.get(reverse("tilbud:list"), params)
    assert response.status_code == 200
    assert names(response) == expected


def test_an_invalid_filter_shows_all_offers_and_the_error(client, register):
    response = client.get(reverse("tilbud:list"), {"status": "hemmelig"})
    assert len(names(response)) == 4
    assert "Marker en gyldig valgmulighed" in response.content.decode()


def make_offers(count: int, paragraf) -> None:
    aalborg = Driftsherre.objects.get(slug="aalborg")
    offers = Tilbud.objects.bulk_create(
        Tilbud(name=f"Bosted {n:03d}", driftsherre=aalborg, places=10) for n in range(count)
    )
    Tilbud.paragraphs.through.objects.bulk_create(
        Tilbud.paragraphs.through(tilbud_id=t.pk, paragraf_id=paragraf.pk) for t in offers
    )
    LedigKapacitet.objects.bulk_create(
        LedigKapacitet(tilbud=t, free_places=1, as_of=timezone.localdate()) for t in offers
    )


def test_offer_list_query_count_does_not_grow_with_the_rows(
    client, paragraffer, django_assert_num_queries
):
    make_offers(3, paragraffer["SEL § 104"])
    url = reverse("tilbud:list")
    filters = {"paragraf": paragraffer["SEL § 104"].pk, "q": "Bosted"}
    # Each count includes the page cache's generation lookup (socialaftale/page_cache.py).
    with django_assert_num_queries(6):
        assert len(names(client.get(url))) == 3
    with django_assert_num_queries(7):  # + the § choice is looked up once
        client.get(url, filters)
    make_offers(0, paragraffer["SEL § 104"])
    Tilbud.objects.all().delete()
    make_offers(120, paragraffer["SEL § 104"])
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(names(response)) == 50 and response.context["page"].paginator.num_pages == 3
    with django_assert_num_queries(7):
        response = client.get(url, {**filters, "side": 3})
    assert len(names(response)) == 20
    assert "SEL § 104" in response.content.decode()


def test_offer_detail_shows_departments_and_latest_capacity(client, register):
    kaervej = register["kaervej"]
    LedigKapacitet.objects.create(tilbud=kaervej, free_places=3, as_of=datetime.date(2026, 1, 5))
    LedigKapacitet.objects.create(tilbud=kaervej, free_places=1, as_of=datetime.date(2026, 2, 1))
    response = client.get(reverse("tilbud:detail", args=[kaervej.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kærvej Hus Nord" in body and "SEL § 108" in body
    assert "<strong>1</strong> ledig plads pr. 1. februar 2026" in body
    assert "Indberet ledig kapacitet" not in body
    assert client.get(reverse("tilbud:detail", args=[99999])).status_code == 404


def test_capacity_overview_shows_only_the_latest_report_per_offer(client, register):
    syrenhuset = register["syrenhuset"]
    LedigKapacitet.objects.create(tilbud=syrenhuset, free_places=4, as_of=datetime.date(2026, 1, 1))
    LedigKapacitet.objects.create(tilbud=syrenhuset, free_places=2, as_of=datetime.date(2026, 3, 1))
    response = client.get(reverse("tilbud:kapacitet"))
    rows = {t.name: (t.latest_free, t.latest_as_of) for t in response.context["page"].object_list}
    assert rows["Syrenhuset"] == (2, datetime.date(2026, 3, 1))
    assert rows["Specialbørnehaven Birken"] == (None, None)
    assert "Det Gamle Hjem" not in rows, "ended offers have no capacity"
    response = client.get(reverse("tilbud:kapacitet"), {"only_free": "on"})
    assert [t.name for t in response.context["page"].object_list] == ["Syrenhuset"]


def test_capacity_form_is_for_the_offers_own_driftsherre_only(
    client, register, make_user, aalborg_user
):
    url = reverse("tilbud:kapacitet_report", args=[register["syrenhuset"].pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/log-ind/")
    client.force_login(make_user(Role.DAS))
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.DRIFTSHERRE, Driftsherre.objects.get(slug="mariagerfjord")))
    assert client.get(url).status_code == 404
    assert client.post(url, {"free_places": 1, "as_of": "2026-01-01"}).status_code == 404
    assert not LedigKapacitet.objects.exists()
    client.force_login(aalborg_user)
    assert client.get(url).status_code == 200
    other = reverse("tilbud:kapacitet_report", args=[register["kaervej"].pk])
    assert client.get(other).status_code == 404


def test_driftsherre_reports_free_places_for_its_own_offer(client, register, aalborg_user):
    client.force_login(aalborg_user)
    syrenhuset = register["syrenhuset"]
    detail = client.get(reverse("tilbud:detail", args=[syrenhuset.pk])).content.decode()
    assert "Indberet ledig kapacitet" in detail
    today = timezone.localdate()
    response = client.post(reverse("tilbud:kapacitet_report", args=[syrenhuset.pk]), {
        "free_places": "3", "as_of": today.isoformat(), "note": "To pladser i hus B.",
    })
    assert response.status_code == 302 and response["Location"] == f"/tilbud/{syrenhuset.pk}/"
    report = LedigKapacitet.objects.get()
    assert (report.free_places, report.as_of, report.reported_by) == (3, today, aalborg_user)
    overview = client.get(reverse("tilbud:kapacitet")).content.decode()
    assert f'href="/tilbud/{syrenhuset.pk}/ledig-kapacitet/"' in overview
    assert f'href="/tilbud/{register["kaervej"].pk}/ledig-kapacitet/"' not in overview


@pytest.mark.parametrize("data, message", [
    ({"free_places": "41"}, "Tilbuddet har kun 40 pladser i alt."),
    ({"free_places": "-1"}, "Denne værdi skal være større end eller lig 0."),
    ({"as_of": "2999-01-01"}, "Datoen kan ikke ligge i fremtiden."),
])
def test_capacity_report_rejects_impossible_numbers(client, register, aalborg_user, data, message):
    client.force_login(aalborg_user)
    post = {"free_places": "2", "as_of": timezone.localdate().isoformat(), **data}
    response = client.post(
        reverse("tilbud:kapacitet_report", args=[register["syrenhuset"].pk]), post
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LedigKapacitet.objects.exists()


def test_secretariat_may_report_for_any_offer_but_not_for_an_ended_one(
    client, register, sekretariat
):
    client.force_login(sekretariat)
    today = timezone.localdate().isoformat()
    url = reverse("tilbud:kapacitet_report", args=[register["kaervej"].pk])
    assert client.post(url, {"free_places": "0", "as_of": today}).status_code == 302
    url = reverse("tilbud:kapacitet_report", args=[register["gammel"].pk])
    response = client.post(url, {"free_places": "0", "as_of": today})
    assert "Et udgået tilbud kan ikke have ledig kapacitet." in response.content.decode()
    assert LedigKapacitet.objects.count() == 1


def test_years_and_ids_are_not_written_with_thousands_separators(client, register):
    gammel = register["gammel"]
    gammel.tilbudsportalen_id = 123456
    gammel.save()
    body = client.get(reverse("tilbud:detail", args=[gammel.pk])).content.decode()
    assert "Udgået fra 2026" in body and "123456" in body
    assert "2.026" not in body and "123.456" not in body
    assert "Udgået fra 2026" in client.get(reverse("tilbud:list")).content.decode()
