"""A DAS member clicks from the meeting list to the agenda, the minutes and the decisions."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_reads_agenda_minutes_and_searches_decisions(
    browser_page, browser_login, axe, seed_meetings, make_user
):
    page = browser_page
    make_user("das", username="dorte")
    browser_login(page, "dorte")
    page.locator("nav[aria-label='Hovedmenu'] a", has_text="Møder").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "DAS Social – møder"
    axe(page)

    page.get_by_role("link", name="Dagsorden 23. februar 2026").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dagsorden: DAS Social 23. februar 2026"
    assert page.locator("section.agenda-item h2").count() == 17
    axe(page)

    page.get_by_role("link", name="Se referatet").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Referat: DAS Social 23. februar 2026"
    assert "i stedet for Hanne Madsen" in page.locator("dl.meeting-header").inner_text()
    axe(page)

    page.get_by_role("link", name="Referat (PDF)").click()
    page.get_by_role("button", name="Lav PDF").click()
    page.wait_for_load_state()
    download_link = page.get_by_role("link", name="Hent PDF")
    download_link.wait_for()  # eager Celery: done on the redirect, else the page refreshes
    axe(page)
    response = page.request.get(download_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    page.go_back()
    page.go_back()

    page.get_by_role("link", name="Møder", exact=True).first.click()
    page.get_by_role("link", name="Søg i beslutninger").click()
    page.get_by_label("Søg i beslutninger").fill("takster")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_load_state()
    headings = page.locator("article.decision h2").all_inner_texts()
    assert "Reviderede takster fra Aalborg Kommune" in headings
    assert "Behandling af takster for 2026" in headings
    axe(page)

    page.get_by_role("link", name="Reviderede takster fra Aalborg Kommune").click()
    page.wait_for_load_state()
    assert page.url.endswith("#punkt-10")
    assert page.locator("#punkt-10-titel").is_visible()
