"""The accessibility statement in Chromium, and the 375 px checks every browser test runs."""

import pytest

from conftest import NARROW_VIEWPORT, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_footer_link_opens_the_accessibility_statement(browser_page, axe):
    page = browser_page
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Tilgængelighedserklæring").click()
    assert page.locator("h1").inner_text() == "Tilgængelighedserklæring"
    assert page.get_by_role("link", name="læs den officielle tilgængelighedserklæring på "
                                         "was.digst.dk").get_attribute("href").startswith(
        "https://www.was.digst.dk/")
    axe(page)  # also at 375 px: the long heading wraps instead of widening the page


def test_the_narrow_check_catches_a_page_that_scrolls_sideways(browser_page):
    page = browser_page
    page.goto("/tilgaengelighed/")
    page.set_viewport_size(NARROW_VIEWPORT)
    assert_no_sideways_scroll(page)
    page.evaluate("() => { const d = document.createElement('div');"
                  " d.textContent = 'x'; d.className = 'test-wide'; d.setAttribute('aria-hidden',"
                  " 'true'); d.style.width = '600px'; document.querySelector('main').append(d); }")
    with pytest.raises(AssertionError, match="ruller sidelæns ved 375 px"):
        assert_no_sideways_scroll(page)


def test_a_wide_table_scrolls_inside_itself_and_can_be_reached_by_keyboard(
    browser_page, browser_login, make_user, reference_data,
):
    make_user("sekretariat", username="sek-narrow")
    page = browser_page
    page.set_viewport_size(NARROW_VIEWPORT)
    browser_login(page, "sek-narrow")
    page.goto("/moeder/")
    assert_no_sideways_scroll(page)
    wide = page.locator("main table[data-scroll-region]")
    assert wide.count() >= 1
    assert wide.first.get_attribute("tabindex") == "0"
