"""The secretariat keeps the register in the admin; every change is logged field by field."""

import pytest

from socialaftale.models import Driftsherre, Profile
from tilbud.models import Afdeling, Tilbud, TilbudChange

Role = Profile.Role
ADD_URL = "/admin/tilbud/tilbud/add/"


def offer_form(driftsherre, paragraphs, **overrides):
    data = {
        "name": "Botilbuddet Lærkereden", "tilbudsportalen_id": "", "driftsherre": driftsherre.pk,
        "paragraphs": [p.pk for p in paragraphs], "target_group": "Voksne med udviklingshæmning",
        "unit": "Døgn", "places": "12", "status": "active", "status_year": "",
        "address": "Engvej 4", "municipality": "Aalborg", "contact": "", "description": "",
        "afdelinger-TOTAL_FORMS": "1", "afdelinger-INITIAL_FORMS": "0",
        "afdelinger-MIN_NUM_FORMS": "0", "afdelinger-MAX_NUM_FORMS": "1000",
        "afdelinger-0-name": "Hus Nord", "afdelinger-0-tilbudsportalen_id": "",
        "afdelinger-0-unit": "Døgn", "afdelinger-0-places": "6", "afdelinger-0-sort_order": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [None, Role.DAS, Role.DRIFTSHERRE])
def test_only_the_secretariat_reaches_the_offer_admin(client, make_user, reference_data, role):
    if role:
        driftsherre = Driftsherre.objects.get(slug="aalborg") if role == Role.DRIFTSHERRE else None
        client.force_login(make_user(role, driftsherre))
    for url in ["/admin/tilbud/tilbud/", ADD_URL, "/admin/tilbud/tilbud/import/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_secretariat_creates_an_offer_with_a_department_and_it_is_logged(
    client, sekretariat, paragraffer
):
    client.force_login(sekretariat)
    aalborg = Driftsherre.objects.get(slug="aalborg")
    response = client.post(ADD_URL, offer_form(aalborg, [paragraffer["ABL § 105"]]))
    assert response.status_code == 302, response.content.decode()[:3000]
    tilbud = Tilbud.objects.get(name="Botilbuddet Lærkereden")
    assert [a.name for a in tilbud.afdelinger.all()] == ["Hus Nord"]
    assert [p.code for p in tilbud.paragraphs.all()] == ["ABL § 105"]
    entry = TilbudChange.objects.get(tilbud=tilbud)
    assert entry.action == TilbudChange.Action.CREATED and entry.changed_by == sekretariat
    fields = {c["field"]: c["new"] for c in entry.changes}
    assert fields["pladser"] == "12" and fields["lovgrundlag (§§)"] == "ABL § 105"
    assert "Hus Nord" in fields["afdelinger"]


def test_a_change_is_logged_with_old_and_new_values_and_shown_in_the_history(
    client, sekretariat, register, paragraffer
):
    client.force_login(sekretariat)
    kaervej = register["kaervej"]
    afdeling = kaervej.afdelinger.get()
    url = f"/admin/tilbud/tilbud/{kaervej.pk}/change/"
    assert client.get(url).status_code == 200
    data = offer_form(
        kaervej.driftsherre, [paragraffer["ABL § 105"], paragraffer["SEL § 108"]],
        name=kaervej.name, places="16", target_group=kaervej.target_group, address="",
        municipality="",
        **{"afdelinger-INITIAL_FORMS": "1", "afdelinger-0-id": afdeling.pk,
           "afdelinger-0-tilbud": kaervej.pk, "afdelinger-0-name": afdeling.name,
           "afdelinger-0-places": "9", "afdelinger-0-unit": "",
           "afdelinger-0-paragraphs": [paragraffer["SEL § 108"].pk]},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = TilbudChange.objects.get(tilbud=kaervej, action=TilbudChange.Action.CHANGED)
    changes = {c["field"]: (c["old"], c["new"]) for c in entry.changes}
    assert changes["pladser"] == ("15", "16")
    assert changes["lovgrundlag (§§)"] == ("ABL § 105", "ABL § 105, SEL § 108")
    assert "8 pl." in changes["afdelinger"][0] and "9 pl." in changes["afdelinger"][1]
    assert "navn (som på Tilbudsportalen)" not in changes
    history = client.get(f"/admin/tilbud/tilbud/{kaervej.pk}/history/").content.decode()
    assert "Ændringer i tilbuddet" in history
    assert "ABL § 105, SEL § 108" in history and "sara" in history


def test_saving_without_changes_logs_nothing(client, sekretariat, register, paragraffer):
    client.force_login(sekretariat)
    syrenhuset = register["syrenhuset"]
    data = offer_form(
        syrenhuset.driftsherre, [paragraffer["SEL § 104"]], name="Syrenhuset", unit="Dag",
        places="40", target_group=syrenhuset.target_group, address="", municipality="",
        **{"afdelinger-TOTAL_FORMS": "0"},
    )
    response = client.post(f"/admin/tilbud/tilbud/{syrenhuset.pk}/change/", data)
    assert response.status_code == 302
    assert not TilbudChange.objects.filter(tilbud=syrenhuset).exists()


def test_new_offer_needs_a_start_year(client, sekretariat, paragraffer):
    client.force_login(sekretariat)
    aalborg = Driftsherre.objects.get(slug="aalborg")
    response = client.post(ADD_URL, offer_form(aalborg, [], status="new"))
    assert response.status_code == 200
    assert "Angiv året for et nyt eller udgået tilbud." in response.content.decode()
    assert not Tilbud.objects.exists()


def test_deleting_an_offer_keeps_a_log_entry(client, sekretariat, register):
    client.force_login(sekretariat)
    birken = register["birken"]
    response = client.post(f"/admin/tilbud/tilbud/{birken.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Tilbud.objects.filter(pk=birken.pk).exists()
    entry = TilbudChange.objects.get(tilbud_name="Specialbørnehaven Birken")
    assert entry.action == TilbudChange.Action.DELETED and entry.tilbud is None


def test_changelist_search_and_filters_use_a_fixed_number_of_queries(
    client, sekretariat, register, paragraffer, django_assert_max_num_queries
):
    client.force_login(sekretariat)
    with django_assert_max_num_queries(20):
        response = client.get("/admin/tilbud/tilbud/", {"q": "Kærvej Hus"})
    assert [t.name for t in response.context["cl"].result_list] == ["Bo og Aktivitetstilbud Kærvej"]
    response = client.get("/admin/tilbud/tilbud/", {
        "paragraphs__id__exact": paragraffer["BL § 32"].pk,
    })
    assert [t.name for t in response.context["cl"].result_list] == ["Specialbørnehaven Birken"]
    response = client.get("/admin/tilbud/tilbud/", {"forstaerket_samarbejde__exact": "1"})
    assert [t.name for t in response.context["cl"].result_list] == ["Det Gamle Hjem"]
    assert Afdeling.objects.count() == 1
