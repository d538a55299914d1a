"""Fixtures for the agreement tests: the three periods exactly as in fixtures/."""

from pathlib import Path

import pytest
from django.core.management import call_command

from socialaftale.models import AftalePeriode

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "socialaftale_aftaler.json"


@pytest.fixture(name="agreements")
def agreements_fixture(reference_data):
    call_command("loaddata", str(FIXTURE), verbosity=0)
    return {p.label: p for p in AftalePeriode.objects.all()}
