"""The public offer pages are cached per URL and data generation, and a change shows at once."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from socialaftale.models import CacheGeneration, Driftsherre
from socialaftale.page_cache import current_generation
from tilbud import services
from tilbud.cache import GROUP
from tilbud.models import Afdeling, Tilbud

pytestmark = pytest.mark.django_db

LIST = "/tilbud/"


def test_a_repeated_anonymous_request_is_one_query_and_the_same_page(
    client, register, django_assert_num_queries
):
    first = client.get(LIST)
    with django_assert_num_queries(1):  # only the generation
        second = client.get(LIST)
    assert second.status_code == 200 and second.content == first.content
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_each_query_string_is_its_own_page(client, register):
    assert "4 tilbud fundet." in client.get(LIST).content.decode()
    assert "1 tilbud fundet." in client.get(LIST, {"q": "autisme"}).content.decode()
    assert "4 tilbud fundet." in client.get(LIST).content.decode()


def test_renaming_an_offer_shows_on_the_next_request(client, register):
    assert "Syrenhuset" in client.get(LIST).content.decode()
    tilbud = register["syrenhuset"]
    tilbud.name = "Syrenhaven"
    tilbud.save()
    body = client.get(LIST).content.decode()
    assert "Syrenhaven" in body and "Syrenhuset" not in body
    assert "Syrenhaven" in client.get(reverse("tilbud:detail", args=[tilbud.pk])).content.decode()


def test_adding_a_paragraph_or_department_or_capacity_invalidates(
    client, register, paragraffer, make_user
):
    tilbud = register["syrenhuset"]
    client.get(LIST, {"paragraf": "BL § 32"})
    tilbud.paragraphs.add(paragraffer["BL § 32"])
    assert "Syrenhuset" in client.get(LIST, {"paragraf": "BL § 32"}).content.decode()

    client.get(LIST, {"q": "Lyset"})
    Afdeling.objects.create(tilbud=tilbud, name="Lyset", places=2)
    assert "Syrenhuset" in client.get(LIST, {"q": "Lyset"}).content.decode()

    kapacitet = reverse("tilbud:kapacitet")
    before = client.get(kapacitet).content.decode()
    services.kapacitet_report(tilbud=tilbud, free_places=7, as_of=timezone.localdate(),
                              by=make_user("sekretariat"))
    after = client.get(kapacitet).content.decode()
    assert after != before and "Ikke indberettet" in before
    assert after.count("Ikke indberettet") == before.count("Ikke indberettet") - 1

    driftsherre = tilbud.driftsherre
    driftsherre.name = "Aalborg Kommune (nyt navn)"
    driftsherre.save()
    assert "Aalborg Kommune (nyt navn)" in client.get(LIST).content.decode()


def test_deleting_an_offer_invalidates(client, register):
    client.get(LIST)
    Tilbud.objects.filter(name="Det Gamle Hjem").delete()
    assert "3 tilbud fundet." in client.get(LIST).content.decode()


def test_a_rolled_back_change_invalidates_nothing(client, register):
    client.get(LIST)
    before = current_generation(GROUP)
    with pytest.raises(RuntimeError), transaction.atomic():
        register["syrenhuset"].save()
        raise RuntimeError("afbrudt")
    assert current_generation(GROUP) == before


def test_a_new_database_starts_at_a_random_generation(register):
    assert CacheGeneration.objects.get(name=GROUP).value > 1000


def test_logged_in_users_always_get_a_fresh_page(client, register, make_user):
    assert "Log ind" in client.get(LIST).content.decode()  # cached for anonymous visitors
    user = make_user("driftsherre", Driftsherre.objects.get(slug="aalborg"), username="anne")
    client.force_login(user)
    body = client.get(LIST).content.decode()
    assert "anne" in body and "Log ud" in body
    client.logout()
    assert "anne" not in client.get(LIST).content.decode()


def test_error_pages_are_not_cached(client, register):
    missing = reverse("tilbud:detail", args=[999_999])
    assert client.get(missing).status_code == 404
    Tilbud.objects.create(pk=999_999, name="Nyt tilbud", driftsherre=register[
        "syrenhuset"].driftsherre)
    assert client.get(missing).status_code == 200


def test_a_page_with_a_csrf_token_is_never_cached(rf):
    from django.middleware.csrf import get_token

    from socialaftale.page_cache import cached_public_page

    rendered = []

    @cached_public_page("test")
    def view(request):
        rendered.append(get_token(request))
        return HttpResponse(f"token {rendered[-1]}")

    view(rf.get("/formular/"))
    view(rf.get("/formular/"))
    assert len(rendered) == 2


def test_a_cached_page_still_varies_on_cookie(client, register):
    client.get(LIST)
    response = client.get(LIST)
    assert "Cookie" in response["Vary"]
