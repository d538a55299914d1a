"""The dashboard and the referral form in Chromium, checked with axe-core."""

import pytest

from bifrost.models import Referral
from socialaftale.models import Driftsherre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_region_user_reads_the_dashboard_and_registers_a_referral(
    browser_page, browser_login, axe, bifrost_data, make_user
):
    make_user("driftsherre", Driftsherre.objects.get(slug="region-nordjylland"), username="rn")
    browser_login(browser_page, "rn")
    browser_page.goto("/bifrost/?dato=2026-11-27")
    assert browser_page.locator("h1").inner_text() == "Ungehjemmet Bifrost"
    signal = browser_page.locator(".bifrost-signal").inner_text()
    assert "Bagud i forhold til planen med 1" in signal
    assert browser_page.locator("svg.bifrost-chart path.linje").count() == 3
    axe(browser_page)

    browser_page.get_by_role("link", name="Se henvendelser").click()
    assert browser_page.locator("h1").inner_text() == "Henvendelser til Ungehjemmet Bifrost"
    axe(browser_page)
    browser_page.get_by_role("link", name="Registrér henvendelse").click()
    axe(browser_page)
    browser_page.get_by_label("Kommune").select_option(label="Jammerbugt Kommune")
    browser_page.get_by_label("Aldersgruppe").select_option("18-20")
    browser_page.get_by_label("Målgruppe").select_option("sekundaer")
    browser_page.get_by_label("Bemærkning").fill("Ring 311299-4321")
    browser_page.get_by_role("button", name="Gem henvendelse").click()
    assert "CPR-nummer" in browser_page.locator("main").inner_text()
    axe(browser_page)
    browser_page.get_by_label("Bemærkning").fill("Afventer materiale fra kommunen.")
    browser_page.get_by_role("button", name="Gem henvendelse").click()
    browser_page.wait_for_url("**/bifrost/henvendelser/")
    assert Referral.objects.get(code="BF-2026-009").municipality.slug == "jammerbugt"

    browser_page.goto("/bifrost/afdaekning/1/")
    assert "7 af 11 kommuner har svaret" in browser_page.locator("main").inner_text()
    axe(browser_page)
    browser_page.get_by_role("link", name="Indberet for Jammerbugt Kommune").click()
    axe(browser_page)
    browser_page.get_by_label("Antal unge i primær målgruppe").fill("2")
    browser_page.get_by_label("Antal unge i sekundær målgruppe").fill("0")
    browser_page.get_by_role("button", name="Gem afdækning").click()
    assert "8 af 11 kommuner har svaret" in browser_page.locator("main").inner_text()

    browser_page.goto("/bifrost/rapport/2026-k3/")
    browser_page.get_by_role("link", name="Hent statusrapporten (PDF)").wait_for()
    axe(browser_page)
