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


class _Users(dict):
    """Users made on first use, without password hashing (tests log in with force_login)."""

    SPEC = {"sekretariat": (Role.SEKRETARIAT, None), "das": (Role.DAS, None),
            "region": (Role.DRIFTSHERRE, "region-nordjylland"),
            "aalborg": (Role.DRIFTSHERRE, "aalborg"), "thisted": (Role.DRIFTSHERRE, "thisted")}

    def __missing__(self, key):
        from django.contrib.auth.models import User

        from socialaftale.services import profile_assign

        role, slug = self.SPEC[key]
        user = User(username=f"bifrost-{key}")
        user.set_unusable_password()
        user.save()
        profile_assign(user=user, role=role,
                       driftsherre=Driftsherre.objects.get(slug=slug) if slug else None)
        self[key] = user
        return user


@pytest.fixture
def users(reference_data):
    """One user per role that matters here: sekretariat, das, region, aalborg, thisted."""
    return _Users()
