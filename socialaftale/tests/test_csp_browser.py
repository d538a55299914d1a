"""The pages, the Bifrost chart and the Django admin work in Chromium under the strict CSP."""

import pytest
from django.core.management import call_command

from .test_production import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_would_be_refused(browser_page):
    """The policy is really enforced: a script injected as an inline tag does not run."""
    browser_page.goto("/")
    browser_page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = "
        "'window.injected = 1'; document.body.appendChild(s); }"
    )
    browser_page.wait_for_timeout(200)
    assert browser_page.evaluate("window.injected") is None
    assert browser_page.csp_violations, "Chromium meldte ingen CSP-overtrædelse"
    browser_page.csp_violations.clear()  # the one violation this test provoked on purpose


def test_admin_and_chart_work_under_the_policy(
    browser_page, browser_login, axe, reference_data, make_user
):
    call_command("loaddata", *sorted(str(p) for p in FIXTURES.glob("*.json")), verbosity=0)
    make_user("sekretariat", username="sara")
    browser_login(browser_page, "sara")

    browser_page.goto("/bifrost/")
    line = browser_page.locator("svg.bifrost-chart path.linje").first
    assert line.evaluate("el => getComputedStyle(el).stroke") != "none"
    assert line.evaluate("el => getComputedStyle(el).fill") == "none"
    axe(browser_page)

    browser_page.goto("/admin/tilbud/tilbud/")
    browser_page.locator("#result_list tbody a").first.click()
    browser_page.wait_for_load_state()
    # The admin's own JavaScript (loaded from /static/) runs: jQuery and the inlines are there.
    assert browser_page.evaluate("typeof django !== 'undefined' && !!django.jQuery")
    browser_page.locator("a.historylink").click()
    browser_page.wait_for_load_state()
    table = browser_page.locator("#tilbud-change-history, p:has-text('ikke registreret')")
    assert table.count() == 1

    browser_page.goto("/admin/tilbud/tilbud/export/")
    fields = browser_page.locator(".selectable-field-export-row input[type=checkbox]")
    assert fields.count() > 1 and fields.first.is_checked()
    browser_page.locator("input.select-toggle").uncheck()  # wired by admin-export.js
    assert not fields.first.is_checked()


def test_the_lockout_page_is_danish_and_accessible(browser_page, axe, make_user, settings):
    make_user("das", username="dorte")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser_page.goto("/log-ind/")
        browser_page.get_by_label("Brugernavn").fill("dorte")
        browser_page.get_by_label("Adgangskode").fill("forkert")
        browser_page.get_by_role("button", name="Log ind").click()
        browser_page.wait_for_load_state()
    assert browser_page.locator("h1").inner_text() == "Log ind er midlertidigt spærret"
    assert "kontakt sekretariatet" in browser_page.locator("main").inner_text()
    axe(browser_page)
