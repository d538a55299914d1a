"""The agreement pages in Chromium: period page, PDF progress that updates itself, comparison."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from socialaftale.jobs import job_run
from socialaftale.models import Job
from socialaftale.services import agreement_content_hash

from .agreement_fixtures import agreements_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_clicks_the_pdf_while_it_renders_and_the_page_hands_it_over(
    browser_page, axe, agreements
):
    period = agreements["2025-2026"]
    job = Job.objects.create(
        kind="socialaftale.agreement_pdf", subject_type=ContentType.objects.get_for_model(period),
        subject_id=period.pk, input_hash=agreement_content_hash(period=period), is_public=True,
    )
    page = browser_page
    page.goto("/socialaftale/")
    axe(page)
    page.get_by_role("link", name="Nordjysk Socialaftale 2025-2026").click()
    assert page.locator("h1").inner_text() == "Nordjysk Socialaftale 2025-2026"
    assert page.get_by_role("row", name=re.compile("I alt")).inner_text().split() == [
        "I", "alt", "4.681", "3.0321", "2.257", "100,0", "%"]  # 1: footnote on printed 3.232
    assert "angiver 3.232 private pladser" in page.get_by_role("note").inner_text()
    assert page.get_by_text("PDF'en dannes lige nu").count() == 1
    axe(page)

    page.get_by_role("link", name="Hent Nordjysk Socialaftale 2025-2026 (PDF)").click()
    assert page.locator("h1").inner_text() == "PDF af Nordjysk Socialaftale 2025-2026"
    assert page.get_by_role("status").first.inner_text() == "I kø (0 %)"
    assert page.locator("main").get_by_role("button").count() == 0  # no "Lav PDF" for readers
    axe(page)
    with page.expect_response(
        lambda r: r.headers.get("content-type") == "application/pdf", timeout=20_000
    ) as handed_over:
        job_run(job.pk, heartbeat=False)  # the worker renders it; the poller fetches the file
    assert handed_over.value.url.endswith("/socialaftale/2025-2026/pdf/")
    assert page.context.request.get(handed_over.value.url).body().startswith(b"%PDF")


def test_a_reader_compares_two_periods(browser_page, axe, agreements):
    page = browser_page
    page.goto("/socialaftale/sammenlign/")
    axe(page)
    page.get_by_label("Fra periode").select_option(label="Nordjysk Socialaftale 2018-2020")
    page.get_by_label("Til periode").select_option(label="Nordjysk Socialaftale 2021-2022")
    page.get_by_role("button", name="Sammenlign").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=2).first.inner_text() == "Fra 2018-2020 til 2021-2022"
    assert page.get_by_text("Den gode alderdom").count() >= 1
    axe(page)
