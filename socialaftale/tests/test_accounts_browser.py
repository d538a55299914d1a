"""Invitation and password reset pages in Chromium with axe-core: no password is e-mailed."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_user_chooses_a_password_and_logs_in(
    browser_page, browser_login, axe, reference_data, make_user, mailoutbox
):
    make_user("sekretariat", username="sek")
    page = browser_page
    browser_login(page, "sek")
    page.goto("/konto/inviter/")
    assert page.locator("h1").inner_text() == "Invitér en bruger"
    axe(page)
    page.get_by_label("E-mailadresse").fill("ny@rebild.example.dk")
    page.get_by_label("Fornavn").fill("Rikke")
    page.get_by_label("Rolle").select_option("driftsherre")
    page.get_by_label("Driftsherre").select_option(label="Rebild Kommune")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".messages")).to_contain_text(
        "Invitationen er sendt til ny@rebild.example.dk")
    axe(page)
    [invitation] = mailoutbox
    path = re.search(r"https?://[^/\s]+(/konto/adgangskode/\S+/)", invitation.body).group(1)

    page.context.clear_cookies()
    page.goto(path)
    assert page.locator("h1").inner_text() == "Vælg adgangskode"
    axe(page)
    page.get_by_label("Ny adgangskode", exact=True).fill("Rold-Skov-2027")
    page.get_by_label("Bekræftelse af ny adgangskode").fill("Rold-Skov-2027")
    page.get_by_role("button", name="Gem adgangskode").click()
    expect(page.locator("h1")).to_have_text("Adgangskoden er gemt")
    axe(page)
    browser_login(page, "ny", "Rold-Skov-2027")
    assert "Rebild Kommune" in page.locator(".user-box").inner_text()


def test_the_forgotten_password_pages(browser_page, axe, reference_data):
    page = browser_page
    page.goto("/log-ind/")
    page.get_by_role("link", name="Glemt adgangskode?").click()
    expect(page.locator("h1")).to_have_text("Glemt adgangskode")
    axe(page)
    page.get_by_label("E-mail").fill("ingen@example.dk")
    page.get_by_role("button", name="Send link").click()
    expect(page.locator("h1")).to_have_text("Tjek din e-mail")
    axe(page)
    page.goto("/konto/adgangskode/MQ/forkert-token/")
    assert "Linket er ugyldigt" in page.locator("main").inner_text()
    axe(page)
