from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def seed_meetings(reference_data):
    """The two seed meetings (17 Nov 2025, 23 Feb 2026) and the four planned 2026 meetings."""
    call_command("loaddata", str(FIXTURES / "moeder.json"), verbosity=0)
    from moeder.models import Meeting

    return {
        "nov": Meeting.objects.get(date="2025-11-17"),
        "feb": Meeting.objects.get(date="2026-02-23"),
    }



@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """make_user hashes a password per user; PBKDF2 would dominate these tests' runtime."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
