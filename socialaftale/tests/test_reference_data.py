from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialaftale.models import Driftsherre, Styringsparametre


def test_fixtures_hold_the_twelve_driftsherrer(reference_data):
    assert Driftsherre.objects.count() == 12
    assert list(Driftsherre.objects.filter(kind="region").values_list("name", flat=True)) == [
        "Region Nordjylland"
    ]
    assert Driftsherre.objects.get(slug="aalborg").name == "Aalborg Kommune"
    assert Driftsherre.objects.filter(kind="kommune").count() == 11


def test_parameters_for_2026_and_2027_carry_the_seed_pl(reference_data):
    for year in (2026, 2027):
        params = Styringsparametre.objects.get(budget_year=year)
        assert params.pl_kommuner == Decimal("3.10")
        assert params.pl_regioner == Decimal("2.46")
        assert params.rise_threshold_pp == Decimal("2.00")
        assert params.occupancy_threshold == Decimal("95.00")


def test_pl_depends_on_the_driftsherre_kind(reference_data):
    params = Styringsparametre.objects.get(budget_year=2027)
    assert params.pl_for(Driftsherre.objects.get(slug="region-nordjylland")) == Decimal("2.46")
    assert params.pl_for(Driftsherre.objects.get(slug="laeso")) == Decimal("3.10")


@pytest.mark.django_db
def test_days_in_year_must_match_leap_years():
    params = Styringsparametre(budget_year=2028, pl_kommuner=3, pl_regioner=2, days_in_year=365)
    with pytest.raises(ValidationError) as exc:
        params.full_clean()
    assert "2028 har 366 dage." in exc.value.message_dict["days_in_year"]
    params.days_in_year = 366
    params.full_clean()
