"""The demo register: every offer the seeds name, plus fictional offers marked as demo."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from tilbud import demo
from tilbud.models import LedigKapacitet, Tilbud
from tilbud.tests.conftest import FIXTURES


@pytest.fixture
def demo_register(paragraffer):
    call_command("loaddata", str(FIXTURES / "tilbud.json"), verbosity=0)


SEED_OFFERS = {
    # name: (driftsherre pk, §§)
    "Syrenhuset": (11, ["SEL § 104"]),
    "Hviddalen": (11, ["SEL § 104"]),
    "Væksthuset": (11, ["SEL § 104"]),
    "Børnehus Nord": (11, []),
    "Bo og Aktivitetstilbud Kærvej": (6, ["ABL § 105"]),
    "Aktivitetshuset Hobro": (6, ["SEL § 104"]),
    "Beskyttet Beskæftigelse Mariagerfjord": (6, ["SEL § 103"]),
    "Ungehjemmet Bifrost": (12, ["SEL § 107", "BL § 43"]),
    "Neurocenter Østerskoven": (12, []),
    "Specialbørnehjemmet Kvisten": (12, []),
    "Institut for Syn og Hørelse": (12, []),
    "Nordstjernen": (1, []),
    "Frederikshavn Krisecenter": (2, ["SEL § 109"]),
    "Adelgade": (9, []),
}


def test_every_offer_named_in_the_seeds_is_in_the_register(demo_register):
    for name, (driftsherre_id, codes) in SEED_OFFERS.items():
        tilbud = Tilbud.objects.get(name=name)
        assert tilbud.driftsherre_id == driftsherre_id, name
        assert [p.code for p in tilbud.paragraphs.all()] == codes, name
        assert not tilbud.is_demo


def test_seed_facts_on_named_offers(demo_register):
    bifrost = Tilbud.objects.get(name="Ungehjemmet Bifrost")
    assert (bifrost.status, bifrost.status_year, bifrost.places) == ("new", 2026, 10)
    assert Tilbud.objects.get(name="Børnehus Nord").unit == "Objektiv"
    forstaerket = set(
        Tilbud.objects.filter(forstaerket_samarbejde=True).values_list("name", flat=True)
    )
    assert {"Neurocenter Østerskoven", "Specialbørnehjemmet Kvisten",
            "Institut for Syn og Hørelse"} <= forstaerket
    for name in ["Bo og Aktivitetstilbud Kærvej", "Aktivitetshuset Hobro",
                 "Beskyttet Beskæftigelse Mariagerfjord"]:
        assert [a.name for a in Tilbud.objects.get(name=name).afdelinger.all()] == [name]


def test_every_driftsherre_has_three_to_six_demo_offers_with_departments(demo_register):
    demo_offers = Tilbud.objects.filter(is_demo=True).prefetch_related("afdelinger")
    per_driftsherre = Counter(t.driftsherre_id for t in demo_offers)
    assert sorted(per_driftsherre) == list(range(1, 13))
    assert all(3 <= n <= 6 for n in per_driftsherre.values())
    for tilbud in demo_offers:
        assert 1 <= len(tilbud.afdelinger.all()) <= 3
        assert tilbud.name.endswith("(demo)")
        assert sum(a.places for a in tilbud.afdelinger.all()) == tilbud.places
        tilbud.full_clean()


def test_demo_capacity_reports_are_created_once(demo_register):
    demo.load(stdout=io.StringIO())
    count = LedigKapacitet.objects.count()
    assert count > 20
    assert not LedigKapacitet.objects.filter(tilbud__status=Tilbud.Status.ENDED).exists()
    demo.load(stdout=io.StringIO())
    assert LedigKapacitet.objects.count() == count
