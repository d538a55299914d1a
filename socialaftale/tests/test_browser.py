"""Each role logs in through the real login form in Chromium and sees its navigation."""

import pytest

from socialaftale.models import Driftsherre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAV = "nav[aria-label='Hovedmenu'] a"


def test_anonymous_start_page_is_public_and_accessible(browser_page, axe):
    browser_page.goto("/")
    assert browser_page.locator("h1").inner_text() == "Nordjysk Socialaftale"
    assert browser_page.locator(NAV).all_inner_texts() == [
        "Forside", "Tilbud", "Socialaftalen", "Takster"
    ]
    axe(browser_page)
    browser_page.goto("/log-ind/")
    axe(browser_page)


@pytest.mark.parametrize("role, expected", [
    ("sekretariat", ["Forside", "Tilbud", "Socialaftalen", "Takster", "Møder", "Bifrost",
                     "Administration"]),
    ("das", ["Forside", "Tilbud", "Socialaftalen", "Takster", "Møder", "Bifrost"]),
    ("driftsherre", ["Forside", "Tilbud", "Socialaftalen", "Takster", "Bifrost"]),
])
def test_each_role_logs_in_and_sees_its_menu(
    browser_page, browser_login, axe, reference_data, make_user, role, expected
):
    driftsherre = Driftsherre.objects.get(slug="rebild") if role == "driftsherre" else None
    make_user(role, driftsherre, username=f"demo-{role}")
    browser_login(browser_page, f"demo-{role}")
    assert browser_page.locator(NAV).all_inner_texts() == expected
    axe(browser_page)
    for label in expected[1:]:
        if label == "Administration":
            continue
        browser_page.locator(NAV, has_text=label).click()
        browser_page.wait_for_load_state()
        assert browser_page.locator("h1").count() == 1
        axe(browser_page)
    browser_page.get_by_role("button", name="Log ud").click()
    browser_page.wait_for_load_state()
    assert browser_page.locator(NAV).all_inner_texts()[-1] == "Takster"


def test_keyboard_user_can_skip_to_content(browser_page):
    browser_page.goto("/")
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Gå til indhold"
