"""A citizen-facing walk through the register in Chromium, with axe-core on every page."""

import pytest

from tilbud.models import LedigKapacitet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = "table.tilbud-table tbody th[scope='row'] a"


def test_search_filter_and_open_an_offer(browser_page, axe, register):
    page = browser_page
    page.goto("/tilbud/")
    assert page.locator("h1").inner_text() == "Tilbudsregister"
    assert page.locator(ROWS).count() == 4
    axe(page)

    page.get_by_label("Søg", exact=True).fill("autisme")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_load_state()
    assert page.locator(ROWS).all_inner_texts() == ["Specialbørnehaven Birken"]
    assert page.get_by_role("status").inner_text() == "1 tilbud fundet."

    page.get_by_role("link", name="Nulstil").click()
    page.get_by_label("Driftsherre").select_option(label="Mariagerfjord Kommune")
    page.get_by_label("Lovgrundlag (§§)").select_option(label="SEL § 108")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_load_state()
    assert page.locator(ROWS).all_inner_texts() == ["Bo og Aktivitetstilbud Kærvej"]
    axe(page)

    page.locator(ROWS).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Bo og Aktivitetstilbud Kærvej"
    assert page.get_by_role("cell", name="SEL § 108").count() == 1
    axe(page)

    page.goto("/tilbud/ledig-kapacitet/")
    assert page.locator("h1").inner_text() == "Ledig kapacitet"
    axe(page)


def test_driftsherre_reports_free_places(browser_page, browser_login, axe, register, aalborg_user):
    page = browser_page
    browser_login(page, "anne")
    page.goto("/tilbud/ledig-kapacitet/")
    page.get_by_role("link", name="Indberet for Syrenhuset").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Indberet ledig kapacitet"
    axe(page)
    page.get_by_label("Ledige pladser").fill("50")
    page.get_by_role("button", name="Gem indberetning").click()
    page.wait_for_load_state()
    assert "Tilbuddet har kun 40 pladser i alt." in page.content()
    axe(page)
    page.get_by_label("Ledige pladser").fill("4")
    page.get_by_role("button", name="Gem indberetning").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ledig kapacitet for Syrenhuset er gemt.").is_visible()
    assert page.locator("h1").inner_text() == "Syrenhuset"
    axe(page)
    assert LedigKapacitet.objects.get().free_places == 4
