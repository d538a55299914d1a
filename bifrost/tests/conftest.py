from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from socialaftale.models import Driftsherre, Profile

Role = Profile.Role


@pytest.fixture
def bifrost_data(reference_data):
    """Both plans, milestones, a screening round and the demo referrals."""
    call_command("loaddata", str(Path(settings.BASE_DIR) / "fixtures" / "bifrost.json"),
                 verbosity=0)


@pytest.fixture
def kommune():
    return lambda slug: Driftsherre.objects.get(slug=slug)


@pytest.fixture
def users(make_user, reference_data):
    """One user per role that matters here."""
    get = Driftsherre.objects.get
    return {
        "sekretariat": make_user(Role.SEKRETARIAT),
        "das": make_user(Role.DAS),
        "region": make_user(Role.DRIFTSHERRE, get(slug="region-nordjylland")),
        "aalborg": make_user(Role.DRIFTSHERRE, get(slug="aalborg"), username="aalborg-bruger"),
        "thisted": make_user(Role.DRIFTSHERRE, get(slug="thisted"), username="thisted-bruger"),
    }
