"""Open data, rates over time and the driftsherre comparison in Chromium, with axe-core."""

import json

import pytest
from django.urls import reverse

from socialaftale.models import Driftsherre
from tilbud.models import Tilbud

from .factories import published_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_data_and_driftsherre_pages_are_accessible(browser_page, axe, demo_2026):
    page = browser_page
    page.goto("/takster/takstbilag/2026/")
    page.get_by_role("link", name="JSON", exact=True).click()
    page.wait_for_load_state()
    data = json.loads(page.locator("body").inner_text())
    assert data["year"] == 2026 and data["version"] == 2
    page.goto("/data/")
    assert page.locator("h1").inner_text() == "Åbne data"
    assert page.get_by_role("rowheader", name="das_henvisning").is_visible()
    axe(page)
    page.goto(reverse("takster:driftsherre_compare"))
    assert page.locator("svg.chart").is_visible()
    axe(page)
    page.get_by_role("link", name="Aalborg Kommune").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Aalborg Kommune: takster over tid"
    axe(page)


def test_an_offer_page_shows_its_rates_over_five_years_without_javascript(
    _playwright_browser, live_server, reference_data
):
    offer = Tilbud.objects.create(driftsherre=Driftsherre.objects.get(slug="aalborg"),
                                  name="Bostedet Fjordglimt", places=10, tilbudsportalen_id=42)
    published_history(offer, {2022: (1000, 1500), 2023: (1030, 1545), 2024: (1070, 1600),
                              2025: (1100, 1650), 2026: (1134, 1700)})
    context = _playwright_browser.new_context(base_url=live_server.url, locale="da-DK",
                                              java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(reverse("tilbud:detail", args=[offer.pk]))
        chart = page.get_by_role("img", name="Godkendte takster for Bostedet Fjordglimt pr. år")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 300 and box["height"] > 120
        table = page.get_by_role("table", name="Godkendte takster for Bostedet Fjordglimt")
        assert table.locator("tbody tr").count() == 5
        assert page.get_by_role("link", name="Se tilbuddet på Tilbudsportalen").get_attribute(
            "href") == "https://tilbudsportalen.dk/tilbud/42"
        from conftest import assert_accessible

        # axe needs JavaScript; check the same page in a context with it on.
        js = _playwright_browser.new_context(base_url=live_server.url, locale="da-DK")
        js_page = js.new_page()
        js_page.goto(reverse("tilbud:detail", args=[offer.pk]))
        assert_accessible(js_page)
        js.close()
    finally:
        context.close()
