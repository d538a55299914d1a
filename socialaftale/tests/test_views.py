"""Login, start page and navigation per role; who gets 403 and who gets 404."""

import pytest
from django.urls import reverse

from socialaftale.models import Driftsherre, Profile

Role = Profile.Role


def nav_labels(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


@pytest.mark.django_db
def test_anonymous_sees_only_public_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    assert nav_labels(response) == ["Forside", "Tilbud", "Socialaftalen", "Takster"]
    assert '<html lang="da">' in response.content.decode()
    assert "Log ind" in response.content.decode()


def test_each_role_sees_its_navigation(client, reference_data, make_user):
    aalborg = Driftsherre.objects.get(slug="aalborg")
    expected = {
        Role.SEKRETARIAT: ["Forside", "Tilbud", "Socialaftalen", "Takster", "Møder", "Bifrost",
                           "Administration"],
        Role.DAS: ["Forside", "Tilbud", "Socialaftalen", "Takster", "Møder", "Bifrost"],
        Role.DRIFTSHERRE: ["Forside", "Tilbud", "Socialaftalen", "Takster", "Bifrost"],
    }
    for role, labels in expected.items():
        user = make_user(role, aalborg if role == Role.DRIFTSHERRE else None)
        client.force_login(user)
        response = client.get("/")
        assert nav_labels(response) == labels, role
    assert "Aalborg Kommune" in response.content.decode()


def test_login_and_logout(client, reference_data, make_user):
    make_user(Role.DAS, username="dorte")
    response = client.post("/log-ind/", {"username": "dorte", "password": "forkert"})
    assert "Brugernavn eller adgangskode er forkert" in response.content.decode()
    response = client.post("/log-ind/", {"username": "dorte", "password": "kode-1234"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "DAS-medlem" in client.get("/").content.decode()
    client.post("/log-ud/")
    assert client.get("/").context["user_role"] == "anonym"


def test_meetings_need_das_or_secretariat(client, reference_data, make_user):
    url = reverse("moeder:index")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/log-ind/?next=")
    client.force_login(make_user(Role.DRIFTSHERRE, Driftsherre.objects.get(slug="thisted")))
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.DAS))
    assert client.get(url).status_code == 200


def test_only_the_secretariat_reaches_the_admin(client, reference_data, make_user):
    client.force_login(make_user(Role.DAS))
    assert client.get("/admin/").status_code == 302
    client.force_login(make_user(Role.SEKRETARIAT))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Styringsparametre" in response.content.decode()
    response = client.get("/admin/socialaftale/styringsparametre/")
    assert response.status_code == 200 and "2027" in response.content.decode()


def test_secretariat_edits_parameters_in_the_admin(client, reference_data, make_user):
    client.force_login(make_user(Role.SEKRETARIAT))
    from socialaftale.models import Styringsparametre

    params = Styringsparametre.objects.get(budget_year=2027)
    response = client.post(f"/admin/socialaftale/styringsparametre/{params.pk}/change/", {
        "budget_year": 2027, "pl_kommuner": "3,25", "pl_regioner": "2,46",
        "rise_threshold_pp": "2,00", "occupancy_threshold": "95,00", "days_in_year": 365,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    params.refresh_from_db()
    assert str(params.pl_kommuner) == "3.25"


def test_a_driftsherre_user_must_have_a_driftsherre(reference_data, make_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_user(Role.DRIFTSHERRE, None)
