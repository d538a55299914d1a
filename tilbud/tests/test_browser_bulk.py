"""The bulk free-places form in Chromium, by keyboard and mouse, with axe-core on each page."""

import datetime

import pytest
from django.utils import timezone

from tilbud.models import LedigKapacitet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_driftsherre_confirms_all_its_offers_in_one_form(
    browser_page, browser_login, axe, register, aalborg_user
):
    syrenhuset, birken = register["syrenhuset"], register["birken"]
    LedigKapacitet.objects.create(tilbud=syrenhuset, free_places=3,
                                  as_of=timezone.localdate() - datetime.timedelta(days=45))
    page = browser_page
    page.goto("/tilbud/ledig-kapacitet/")
    assert page.locator(".kapacitet-stale").first.is_visible()  # the public overview marks it
    axe(page)
    browser_login(page, "anne")
    page.goto("/tilbud/ledig-kapacitet/")
    page.get_by_role("link", name="Indberet for alle jeres tilbud på én gang").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Indberet ledig kapacitet: Aalborg Kommune"
    assert page.get_by_label("Ledige pladser, Syrenhuset").input_value() == "3"
    axe(page)

    page.get_by_label("Ledige pladser, Syrenhuset").fill("41")  # more than its 40 places
    page.get_by_label("Ledige pladser, Specialbørnehaven Birken").fill("2")
    page.get_by_label("Bemærkning, Specialbørnehaven Birken").fill("Fra 1. marts")
    page.get_by_role("button", name="Gem alle").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.inner_text().startswith("Intet er gemt.")
    assert "Tilbuddet har kun 40 pladser i alt." in page.content()
    assert page.get_by_label("Bemærkning, Specialbørnehaven Birken").input_value() == (
        "Fra 1. marts")  # nothing typed is lost
    assert not LedigKapacitet.objects.filter(as_of=timezone.localdate()).exists()
    axe(page)

    page.get_by_label("Ledige pladser, Syrenhuset").fill("1")
    page.get_by_label("Ledige pladser, Syrenhuset").press("Enter")  # keyboard submit
    page.wait_for_load_state()
    assert page.get_by_text("Ledig kapacitet er gemt for 2 tilbud.").is_visible()
    assert page.url.endswith("/tilbud/ledig-kapacitet/indberet/")
    assert page.locator(".kapacitet-stale").count() == 0
    axe(page)
    saved = {r.tilbud_id: (r.free_places, r.note)
             for r in LedigKapacitet.objects.filter(as_of=timezone.localdate())}
    assert saved == {syrenhuset.pk: (1, ""), birken.pk: (2, "Fra 1. marts")}
