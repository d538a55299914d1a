"""Comparing two agreement periods: focus areas by title, styringsaftale rules by key."""

from django.urls import reverse

from socialaftale.selectors import periods_compare

from .agreement_fixtures import agreements_fixture  # noqa: F401

COMPARE = reverse("socialaftale:compare")


def _titles(changes):
    return [c.title for c in changes]


def test_from_2021_2022_to_2025_2026_focus_areas_are_all_new(agreements):
    result = periods_compare(before=agreements["2021-2022"], after=agreements["2025-2026"])
    assert _titles(result.focus_areas.added) == [
        "Samskabelse af fællesskaber for borgerne", "Kvalitetsudvikling og effekt",
        "Fremtidssikring af indsatsen",
    ]
    assert _titles(result.focus_areas.removed) == [
        "Sammen om en stærk socialpsykiatri", "Den gode alderdom",
        "Effektive og vidensbaserede løsninger",
    ]
    assert not result.focus_areas.changed


def test_rules_added_removed_and_changed_between_periods(agreements):
    rules = periods_compare(before=agreements["2021-2022"], after=agreements["2025-2026"]).rules
    assert _titles(rules.added) == [
        "Indarbejdelse af Barnets Lov", "Rammer for budgetteret belægningsprocent",
        "Afregning i skudår med 366 dage",
    ]
    assert _titles(rules.changed) == [
        "Ny version af standardkontrakten på voksenområdet", "Grundtakster hedder nu Basistakster",
    ]
    assert "Nye regler for sundhedslovsydelser i taksten" in _titles(rules.removed)
    assert len(rules.unchanged) == 5  # the five principles hold across periods


def test_the_same_period_twice_is_refused_with_a_danish_message(client, agreements):
    response = client.get(COMPARE, {"fra": "2025-2026", "til": "2025-2026"})
    assert response.context["comparison"] is None
    assert "Vælg to forskellige perioder." in response.content.decode()


def test_the_compare_page_defaults_to_the_two_newest_periods(client, agreements):
    response = client.get(COMPARE)
    comparison = response.context["comparison"]
    assert (comparison.before.label, comparison.after.label) == ("2021-2022", "2025-2026")
    html = response.content.decode()
    assert "Indarbejdelse af Barnets Lov" in html and "Ikke med i 2025-2026 (3)" in html


def test_an_unpublished_period_cannot_be_compared_by_the_public(client, agreements):
    agreements["2018-2020"].is_published = False
    agreements["2018-2020"].save()
    response = client.get(COMPARE, {"fra": "2018-2020", "til": "2025-2026"})
    assert response.context["comparison"] is None
    assert "fra" in response.context["form"].errors
