"""Offer search ignores case and the Danish letters' spellings (born/børn, aa/å, ae/æ, oe/ø)."""

import pytest
from django.urls import reverse

from socialaftale.models import Driftsherre
from tilbud.folding import fold
from tilbud.models import Afdeling, Tilbud
from tilbud.selectors import tilbud_search

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [t.name for t in response.context["page"].object_list]


@pytest.fixture
def danish_names(register):
    aalborg = Driftsherre.objects.get(slug="aalborg")
    rosen = Tilbud.objects.create(name="Rosengården", driftsherre=aalborg,
                                  municipality="Aabybro")
    Afdeling.objects.create(tilbud=rosen, name="Bøgehuset")
    Tilbud.objects.create(name="Rosengaarden", driftsherre=aalborg, municipality="Hjørring")
    return register


def test_fold_lowers_and_folds_the_danish_letters_and_their_digraphs():
    assert fold("Børnehus Nord") == fold("BOERNEHUS nord") == "bornehus nord"
    assert fold("bornehus NORD") == "bornehus nord"
    assert fold("Kærvej") == fold("kaervej") == "karvej"
    assert fold("Rosengården") == fold("ROSENGAARDEN") == "rosengarden"
    assert fold("Ærø") == fold("AEROE") == "aro"


@pytest.mark.parametrize("query, expected", [
    ("born", ["Specialbørnehaven Birken"]),  # name and target group "Børn med autisme"
    ("BØRN", ["Specialbørnehaven Birken"]),
    ("boern", ["Specialbørnehaven Birken"]),
    ("kaervej", ["Bo og Aktivitetstilbud Kærvej"]),
    ("KÆRVEJ", ["Bo og Aktivitetstilbud Kærvej"]),
    ("rosengaarden", ["Rosengaarden", "Rosengården"]),
    ("rosengården", ["Rosengaarden", "Rosengården"]),
    ("Åbybro", ["Rosengården"]),  # municipality, stored as "Aabybro"
    ("hjoerring", ["Rosengaarden"]),
    ("boegehuset", ["Rosengården"]),  # department name
    ("100%", []),  # a wildcard is a character, not "anything"
    ("xyzzy", []),
])
def test_search_ignores_case_and_danish_spellings(client, danish_names, query, expected):
    response = client.get(reverse("tilbud:list"), {"q": query})
    assert response.status_code == 200
    assert names(response) == expected


def test_search_on_2000_offers_keeps_its_query_count(client, paragraffer,
                                                      django_assert_num_queries):
    driftsherrer = list(Driftsherre.objects.all())
    Tilbud.objects.bulk_create(
        Tilbud(name=f"{'Børnehuset' if n % 10 == 0 else 'Bostedet'} {n:04d}",
               driftsherre=driftsherrer[n % len(driftsherrer)],
               target_group="Voksne med autisme" if n % 3 else "Unge")
        for n in range(2000)
    )
    with django_assert_num_queries(6):  # 5 + the page cache's generation
        response = client.get(reverse("tilbud:list"), {"q": "BOERNEHUSET"})
    assert response.context["page"].paginator.count == 200
    assert names(response)[0] == "Børnehuset 0000"
    assert tilbud_search(q="autisme").count() == 1333
