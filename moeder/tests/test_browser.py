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

    # Loading the meetings rendered their documents (after the commit): one click, the file.
    with page.expect_response(_is_pdf) as minutes_pdf:
        page.get_by_role("link", name="Referat (PDF)").click()
    assert minutes_pdf.value.status == 200
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


def _is_pdf(response) -> bool:
    """Chromium shows a PDF in its viewer; the response is the file the server sent."""
    return response.headers.get("content-type") == "application/pdf"


def test_a_member_downloads_a_document_in_one_click_and_waits_for_one_still_rendering(
    browser_page, browser_login, axe, seed_meetings, make_user
):
    from moeder.jobs import meeting_documents_refresh
    from socialaftale.jobs import job_run
    from socialaftale.models import Job

    feb = seed_meetings["feb"]
    meeting_documents_refresh(meeting_id=feb.pk)  # what saving the meeting does, after commit
    page = browser_page
    make_user("das", username="dorte")
    browser_login(page, "dorte")
    page.goto(f"/moeder/{feb.pk}/referat/")

    # Rendered: the click downloads the current file at once.
    with page.expect_response(_is_pdf) as first:
        page.get_by_role("link", name="Referat (PDF)").click()
    assert first.value.status == 200
    assert page.context.request.get(first.value.url).body().startswith(b"%PDF")

    # Still rendering: the page waits, then hands the file over by itself.
    page.goto(f"/moeder/{feb.pk}/referat/")
    agenda = Job.objects.get(kind="moeder.dagsorden", subject_id=feb.pk,
                             status=Job.Status.DONE)
    Job.objects.filter(pk=agenda.pk).update(status=Job.Status.QUEUED, progress=0,
                                            sent_at=agenda.finished_at)
    page.get_by_role("link", name="Dagsorden (PDF)").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dagsorden (PDF)"
    assert page.get_by_role("status").first.inner_text() == "I kø (0 %)"
    assert page.locator("main").get_by_role("button").count() == 0  # no "Lav PDF" for readers
    axe(page)
    with page.expect_response(_is_pdf, timeout=20_000) as handed_over:
        job_run(agenda.pk, heartbeat=False)  # the worker finishes
    assert f"/moeder/dokument/{agenda.pk}/hent/" in handed_over.value.url
    assert page.context.request.get(handed_over.value.url).body().startswith(b"%PDF")
