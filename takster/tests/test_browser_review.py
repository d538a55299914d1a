"""The whole review in Chromium: the secretariat opens the round, sees the over-the-limit offer
and the remarks of the demo submission, comments and returns it; the driftsherre gets the
e-mail, answers and resubmits; the secretariat approves, records DAS Social's approval on a
new agenda item and confirms the publication. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from takster.models import Submission, Takstbilag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def patient_expect():
    """Each step re-renders the review page after a POST; under CI's load (PostgreSQL, two
    test runs on two cores) that can take longer than Playwright's default 5 s."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _path(body: str, pattern: str) -> str:
    return re.search(r"https?://[^/\s]+(" + pattern + r")", body).group(1)


def _corrected_workbook(submission) -> bytes:
    from takster import demo

    blocks = demo._aalborg_2027_blocks()
    blocks[0][1]["bemaerkning"] += " Normeringen er vedtaget i byrådet 3.5.2026."
    return demo._demo_workbook(submission, blocks)


def test_the_secretariat_reviews_returns_approves_and_publishes(
    browser_page, browser_login, axe, aalborg_2027, mailoutbox
):
    page = browser_page
    browser_login(page, "sekretariat")
    page.goto("/takster/")
    assert "1 af 12 indsendt" in page.locator("#fremdrift-2027").inner_text()
    axe(page)
    page.get_by_role("link", name="Gennemgå Aalborg Kommune").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Gennemgang af takster 2027: Aalborg Kommune"
    syrenhuset = page.locator("#tilbud-0")
    assert "▲ Over grænsen" in syrenhuset.inner_text()
    assert "5,6 % ▲ over grænsen" in syrenhuset.inner_text()
    assert "ekstra pædagog" in syrenhuset.inner_text()
    assert "Belægning under 95 %" in page.locator("#tilbud-2").inner_text()
    axe(page)
    page.get_by_role("link", name="Kun tilbud, der kræver opmærksomhed (2)").click()
    expect(page.locator("section.review-offer")).to_have_count(2)
    assert page.get_by_role("heading", name="Hviddalen").count() == 0
    axe(page)

    page.get_by_label("Bemærkning til Syrenhuset").fill("Dokumentér den nye normering.")
    page.get_by_role("button", name="Tilføj bemærkning til Syrenhuset").click()
    expect(page.locator("#tilbud-0")).to_contain_text("Dokumentér den nye normering.")
    page.get_by_role("button", name="Returnér til rettelse").click()
    expect(page.locator("#status")).to_have_text("Returneret med bemærkninger")
    axe(page)

    [returned] = [m for m in mailoutbox if m.subject.startswith("Returneret")
                  and m.to == ["takster-aalborg@example.dk"]]
    assert "- Syrenhuset (2027) (Sekretariatet): Dokumentér den nye normering." in returned.body
    link = _path(returned.body, r"/takster/indberetninger/\d+/")

    # The driftsherre follows the e-mail's link, answers and submits a corrected version.
    page.context.clear_cookies()
    browser_login(page, "aalborg")
    page.goto(link)
    assert "Dokumentér den nye normering." in page.locator("#bemaerkninger").inner_text()
    axe(page)
    page.get_by_label("Jeres svar på bemærkningen om Syrenhuset").fill(
        "Normeringen er vedtaget i byrådet 3.5.2026.")
    page.get_by_role("button", name="Send svar på bemærkningen om Syrenhuset").click()
    expect(page.locator("#bemaerkninger")).to_contain_text("Svar fra Aalborg Kommune")
    page.get_by_role("link", name="Upload ny version").click()
    expect(page.get_by_label("Udfyldt takstskema (.xlsx)")).to_be_visible()
    page.get_by_label("Udfyldt takstskema (.xlsx)").set_input_files({
        "name": "aalborg-2027-rettet.xlsx", "mimeType": XLSX,
        "buffer": _corrected_workbook(aalborg_2027)})
    page.get_by_role("button", name="Upload og kontrollér").click()
    page.wait_for_selector("#verdict")
    assert "Svar fra Aalborg Kommune" in page.locator("#bemaerkninger").inner_text()
    axe(page)
    page.get_by_role("button", name="Indsend version 2 til sekretariatet").click()
    expect(page.locator(".messages")).to_contain_text("Version 2 er indsendt")
    assert Submission.objects.get(pk=aalborg_2027.pk).status == "submitted"
    page.goto("/takster/")
    axe(page)

    # The secretariat sees the answer, recommends, approves and records DAS's approval.
    page.context.clear_cookies()
    browser_login(page, "sekretariat")
    page.goto(f"/takster/indberetninger/{aalborg_2027.pk}/gennemgang/")
    assert "byrådet 3.5.2026" in page.locator("#tilbud-0").inner_text()
    page.get_by_role("button", name="Indstil til godkendelse").click()
    expect(page.locator("#status")).to_have_text("Indstillet til godkendelse")
    page.get_by_role("button", name="Godkend indberetningen").click()
    expect(page.locator("#status")).to_have_text("Godkendt")
    page.get_by_label("Møde", exact=True).select_option(label="DAS Social 23.02.2026")
    page.get_by_label("Titel på punktet").fill("Godkendelse af takster 2027")
    page.get_by_role("button", name="Opret dagsordenspunkt").click()
    expect(page.locator(".messages")).to_contain_text("Dagsordenspunktet er oprettet")
    options = page.get_by_label("Dagsordenspunkt").locator("option").all_inner_texts()
    assert "Godkendelse af takster 2027" in options[1]  # the round's item first
    page.get_by_label("Dagsordenspunkt").select_option(index=1)
    page.get_by_role("button", name="Registrér DAS Socials godkendelse").click()
    expect(page.locator(".message-success").last).to_contain_text(
        "Taksterne er officielle · DAS Social 23.02.2026, pkt.")
    axe(page)
    assert any(m.subject == "Godkendt af DAS Social: takster 2027 for Aalborg Kommune"
               for m in mailoutbox)

    # The takstbilag: a draft (rendered), then the confirmation with who is missing.
    page.goto("/takster/takstbilag/2027/")
    page.get_by_label("Betegnelse").fill("Takstbilag 2027 – første version")
    page.get_by_role("button", name="Lav udkast til ny version").click()
    page.get_by_role("link", name="Offentliggør version 1 …").click()
    expect(page.locator("#med")).to_have_text("Med i takstbilaget (1)")
    assert page.locator("#mangler").inner_text() == "Mangler (11)"
    axe(page)
    page.get_by_role("button", name="Offentliggør Takstbilag 2027, version 1").click()
    expect(page.locator(".messages")).to_contain_text("Skriv en begrundelse")
    page.get_by_label("Begrundelse (påkrævet, når driftsherrer mangler)").fill(
        "De øvrige driftsherrers takster behandles på mødet 18.12.2026.")
    page.get_by_role("button", name="Offentliggør Takstbilag 2027, version 1").click()
    expect(page.locator("#versioner")).to_contain_text("(gældende)")
    axe(page)
    takstbilag = Takstbilag.objects.get(rate_round=aalborg_2027.rate_round)
    assert takstbilag.is_published and "18.12.2026" in takstbilag.publication_note
    assert takstbilag.label == "Takstbilag 2027 – første version"
    assert any(m.subject == "Takstbilag 2027 er offentliggjort – Aalborg Kommune"
               for m in mailoutbox)
