from pathlib import Path

import pytest
from django.core.management import call_command

from socialaftale.models import Driftsherre, Profile
from tilbud.models import Afdeling, Paragraf, Tilbud

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Test users log in with a cheap hasher; the real one costs ~0.3 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def paragraffer(reference_data):
    call_command("loaddata", str(FIXTURES / "tilbud_paragraffer.json"), verbosity=0)
    return {p.code: p for p in Paragraf.objects.all()}


@pytest.fixture
def register(paragraffer):
    """A handful of offers: two in Aalborg, one in Mariagerfjord, one ended in the region."""
    aalborg = Driftsherre.objects.get(slug="aalborg")
    mariagerfjord = Driftsherre.objects.get(slug="mariagerfjord")
    region = Driftsherre.objects.get(slug="region-nordjylland")
    syrenhuset = Tilbud.objects.create(
        name="Syrenhuset", driftsherre=aalborg, unit="Dag", places=40,
        target_group="Voksne med behov for samvær",
    )
    syrenhuset.paragraphs.add(paragraffer["SEL § 104"])
    birken = Tilbud.objects.create(
        name="Specialbørnehaven Birken", driftsherre=aalborg, places=32,
        target_group="Børn med autisme",
    )
    birken.paragraphs.add(paragraffer["BL § 32"])
    kaervej = Tilbud.objects.create(
        name="Bo og Aktivitetstilbud Kærvej", driftsherre=mariagerfjord, places=15,
        target_group="Voksne med behov for botilbud",
    )
    kaervej.paragraphs.add(paragraffer["ABL § 105"])
    afdeling = Afdeling.objects.create(tilbud=kaervej, name="Kærvej Hus Nord", places=8)
    afdeling.paragraphs.add(paragraffer["SEL § 108"])
    gammel = Tilbud.objects.create(
        name="Det Gamle Hjem", driftsherre=region, status=Tilbud.Status.ENDED, status_year=2026,
        forstaerket_samarbejde=True,
    )
    return {"syrenhuset": syrenhuset, "birken": birken, "kaervej": kaervej, "gammel": gammel}


@pytest.fixture
def sekretariat(make_user):
    return make_user(Profile.Role.SEKRETARIAT, username="sara")


@pytest.fixture
def aalborg_user(make_user, reference_data):
    return make_user(Profile.Role.DRIFTSHERRE, Driftsherre.objects.get(slug="aalborg"),
                     username="anne")
