"""Upload, progress and report in Chromium, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from socialaftale.jobs import job_run
from socialaftale.models import Job
from takster.models import Upload
from takster.validation.samples import build_seed_like_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_upload_progress_and_report(browser_page, browser_login, axe, rate_round, mariagerfjord,
                                    mf_user):
    page = browser_page
    browser_login(page, "mf")
    page.goto("/takster/")
    assert page.locator("h1").inner_text() == "Takster for Mariagerfjord Kommune"
    axe(page)
    page.get_by_role("link", name="Upload det udfyldte skema").click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Udfyldt takstskema (.xlsx)").set_input_files(
        {"name": "takster.xlsx", "mimeType": XLSX, "buffer": build_seed_like_workbook()}
    )
    page.get_by_role("button", name="Upload og kontrollér").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Rapport for takstskema 2027, version 1")
    assert "Skemaet har fejl" in page.locator("#verdict").inner_text()
    assert page.locator("#kode-RISE_NEEDS_REMARK td", has_text="Takstskema!M9").count() == 1
    axe(page)

    # While a validation runs the page shows progress and turns into the report by itself.
    upload = Upload.objects.get()
    Job.objects.filter(pk=upload.job_id).update(status=Job.Status.QUEUED, progress=40)
    page.goto(f"/takster/uploads/{upload.pk}/")
    assert page.locator("h1").inner_text().startswith("Kontrol af takstskema")
    assert page.locator("progress").get_attribute("value") == "40"
    axe(page)
    job_run(upload.job_id)
    page.wait_for_selector("#verdict", timeout=10_000)
    assert re.match(r"Rapport for takstskema", page.locator("h1").inner_text())

    page.get_by_role("link", name="Alle versioner af indberetningen").click()
    page.wait_for_load_state()
    axe(page)


def test_the_upload_page_says_the_queue_is_away_and_shows_it_resolved_without_a_reload(
    browser_page, browser_login, axe, stored_upload
):
    from django.utils import timezone

    upload = stored_upload()
    # As after an upload while Redis was down: stored, queued, never sent.
    Job.objects.filter(pk=upload.job_id).update(status=Job.Status.QUEUED, progress=0,
                                                sent_at=None, queued_at=timezone.now())
    Upload.objects.filter(pk=upload.pk).update(validated_at=None)
    page = browser_page
    browser_login(page, "mf")
    page.goto(f"/takster/uploads/{upload.pk}/")
    note = page.locator("[data-job-queue-note]")
    assert note.is_visible()
    assert note.inner_text() == ("Køen er ikke tilgængelig lige nu; filen er gemt og "
                                 "kontrolleres automatisk.")
    axe(page)
    page.evaluate("window.__same_page = true")  # gone if the page reloads

    Job.objects.filter(pk=upload.job_id).update(sent_at=timezone.now())  # the broker is back
    page.get_by_text("Køen er tilgængelig igen; opgaven køres nu.").wait_for(timeout=10_000)
    assert page.evaluate("window.__same_page") is True  # resolved without a reload
    axe(page)
    job_run(upload.job_id, heartbeat=False)  # the worker validates it
    page.wait_for_selector("#verdict", timeout=10_000)  # and the page shows the report
    assert page.locator("h1").inner_text().startswith("Rapport for takstskema")


def test_public_page_and_secretariat_overview_and_comparison(
    browser_page, browser_login, axe, stored_upload, staff
):
    from .conftest import fill_year2

    stored_upload()
    second = stored_upload(fill_year2(build_seed_like_workbook(), {"Z8": "Ny normering."}))
    page = browser_page
    page.goto("/takster/")
    assert page.locator("h1").inner_text() == "Takster"
    axe(page)
    browser_login(page, "sek")
    page.goto("/takster/")
    assert page.locator("table.data tbody tr").count() == 12
    axe(page)
    page.goto(f"/takster/uploads/{second.pk}/sammenligning/")
    assert "Rettet siden sidste version (1)" in page.locator("#rettet").inner_text()
    axe(page)


def test_review_comment_and_return_reach_the_driftsherre(
    browser_page, browser_login, axe, stored_upload, staff, mf_user
):
    from .conftest import clean_submitted

    submission = clean_submitted(stored_upload, mf_user)
    page = browser_page
    browser_login(page, "sek")
    page.goto("/takster/")
    page.get_by_role("link", name="Gennemgå Mariagerfjord Kommune").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Gennemgang af takster 2027")
    axe(page)
    page.get_by_label("Gælder").select_option(index=1)
    page.get_by_label("Fra").select_option("styringsaftalegruppen")
    page.get_by_label("Bemærkning", exact=True).fill("Forklar den nye normering.")
    page.get_by_role("button", name="Gem bemærkning").click()
    page.wait_for_load_state()
    assert "Forklar den nye normering." in page.locator("#bemaerkninger").inner_text()
    page.get_by_role("button", name="Returnér til rettelse").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "Returneret med bemærkninger"
    axe(page)

    page.context.clear_cookies()
    browser_login(page, "mf")
    page.goto(f"/takster/uploads/{submission.submitted_upload_id}/")
    comments = page.locator("#bemaerkninger").inner_text()
    assert "Forklar den nye normering." in comments and "Styringsaftalegruppen" in comments
    axe(page)


def test_public_takstbilag_page(browser_page, axe, demo_2026):
    page = browser_page
    page.goto("/takster/")
    page.get_by_role("link", name="Takstbilag 2026").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Takstbilag 2026"
    assert "Version 2 – revideret Aalborg SEL § 104" in page.locator("#gaeldende").inner_text()
    assert page.locator("#versioner tbody tr").count() == 2
    axe(page)
    with page.expect_download() as download:
        page.locator('#versioner a[href$="/v2.xlsx"]').click()
    assert download.value.suggested_filename == "takstbilag-2026-v2.xlsx"


def test_a_takstbilag_still_rendering_is_handed_over_after_one_click(browser_page, axe,
                                                                     demo_2026):
    from takster.models import Takstbilag

    current = Takstbilag.objects.filter(status=Takstbilag.Status.PUBLISHED).order_by(
        "-version").first()
    Job.objects.filter(pk=current.pdf_job_id).update(status=Job.Status.QUEUED, progress=0)
    page = browser_page
    page.goto("/takster/takstbilag/2026/")
    page.locator(f'#versioner a[href$="/v{current.version}.pdf"]').click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Takstbilag 2026, version")
    assert page.get_by_role("status").first.inner_text() == "I kø (0 %)"
    axe(page)
    with page.expect_response(
        lambda r: r.headers.get("content-type") == "application/pdf", timeout=20_000
    ) as handed_over:
        job_run(current.pdf_job_id, heartbeat=False)
    assert handed_over.value.url.endswith(f"/takster/takstbilag/2026/v{current.version}.pdf")


def test_the_year_page_keeps_a_label_being_typed_when_a_file_is_done(
    browser_page, browser_login, axe, demo_2026
):
    """The secretariat types a label for a new draft while a version's PDF is being made: when
    the PDF is done, the page is not reloaded (the label would be lost) but says so and links
    the refreshed page; without anything typed, the page reloads by itself."""
    from takster.models import Takstbilag

    current = Takstbilag.objects.filter(status=Takstbilag.Status.PUBLISHED).order_by(
        "-version").first()
    Job.objects.filter(pk=current.pdf_job_id).update(status=Job.Status.QUEUED, progress=0)
    page = browser_page
    browser_login(page, "sekretariat")
    page.goto("/takster/takstbilag/2026/")
    label = f"Version {current.version}, PDF"
    assert page.get_by_label(label).get_attribute("value") == "0"
    axe(page)
    page.get_by_label("Betegnelse (valgfri").fill("Version 3 – Hjørring")
    job_run(current.pdf_job_id, heartbeat=False)
    status = page.locator("[data-job-text]")
    expect(status).to_contain_text("Siden opdateres ikke", timeout=20_000)
    assert page.get_by_label("Betegnelse (valgfri").input_value() == "Version 3 – Hjørring"
    status.get_by_role("link", name="opdater siden").click()
    page.wait_for_load_state()
    assert page.get_by_label(label).count() == 0  # done: no progress box any more
    axe(page)

    Job.objects.filter(pk=current.xlsx_job_id).update(status=Job.Status.QUEUED, progress=0)
    page.reload()
    assert page.get_by_label(f"Version {current.version}, regneark").count() == 1
    with page.expect_navigation(timeout=20_000):
        job_run(current.xlsx_job_id, heartbeat=False)
    page.wait_for_load_state()
    assert page.get_by_label(f"Version {current.version}, regneark").count() == 0
