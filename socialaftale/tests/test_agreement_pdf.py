"""The agreement PDF: its text, and the job that renders it only when the content changed."""

import pytest

from socialaftale.models import Fokusomraade, Job
from socialaftale.pdf import pdf_text
from socialaftale.services import (
    agreement_content_hash,
    agreement_pdf_render,
    agreement_pdf_request,
)

from .agreement_fixtures import agreements_fixture  # noqa: F401


@pytest.fixture
def pdf_2025(agreements):
    return agreement_pdf_render(period=agreements["2025-2026"])


def test_the_pdf_has_contents_then_focus_areas_places_totals_and_signatories_in_order(
    pdf_2025,
):
    text = pdf_text(pdf_2025)
    assert text.startswith("Nordjysk Socialaftale\n2025-2026")  # the cover
    contents = text[: text.index("Side 2 af")]
    assert "Indhold" in contents and "Dag- og døgnpladser pr. beliggenhedskommune ....." in contents
    assert "Side 13 af 13" in text
    body = text.index("Resumé\n")  # after the table of contents
    positions = [text.index(needle, body) for needle in [
        "Fokusområde 1: Samskabelse af fællesskaber for borgerne",
        "Fokusområde 2: Kvalitetsudvikling og effekt",
        "Fokusområde 3: Fremtidssikring af indsatsen",
        "Centrale udmeldinger",
        "Neurocenter Østerskoven",
        "Grundtakster hedder nu Basistakster",
        "Afregning i skudår med 366 dage",
        "I alt 4.681 3.0321 2.257",  # 1: the footnote on the printed 3.232
        "Lasse Frimand Jensen",
        "Mogens Christen Gade",
    ]]
    assert positions == sorted(positions)
    assert "KKR Næstformand" in text
    for word in ("Brønderslev", "Læsø", "Morsø", "Institut for Syn og Hørelse", "Barnets Lov"):
        assert word in text  # Danish characters survive


def test_the_pdf_has_a_bookmark_per_chapter(pdf_2025):
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_2025))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:3] == ["Indhold", "Resumé", "Vision for det specialiserede socialområde"]
    assert "Underskrifter" in titles
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_the_job_goes_from_queued_to_done_and_stores_the_pdf(
    agreements, django_capture_on_commit_callbacks
):
    period = agreements["2025-2026"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = agreement_pdf_request(period=period)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.progress == 0
    assert job.is_public and job.input_hash == agreement_content_hash(period=period)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100
    assert "Lasse Frimand Jensen" in pdf_text(job.output.read())


def test_the_same_content_reuses_the_job_and_changed_content_makes_a_new_one(
    agreements, django_capture_on_commit_callbacks
):
    period = agreements["2025-2026"]
    with django_capture_on_commit_callbacks(execute=True):
        first = agreement_pdf_request(period=period)
        again = agreement_pdf_request(period=period)
    assert again.pk == first.pk
    first.refresh_from_db()
    assert first.attempts == 1

    Fokusomraade.objects.filter(period=period, order=2).update(title="Kvalitet og effekt")
    with django_capture_on_commit_callbacks(execute=True):
        changed = agreement_pdf_request(period=period)
    assert changed.pk != first.pk
    changed.refresh_from_db()
    assert changed.status == Job.Status.DONE
    assert "Fokusområde 2: Kvalitet og effekt" in pdf_text(changed.output.read())
    assert Job.objects.filter(kind="socialaftale.agreement_pdf").count() == 2


def test_an_unpublished_period_gets_a_private_job(agreements, django_capture_on_commit_callbacks):
    period = agreements["2018-2020"]
    period.is_published = False
    period.save()
    with django_capture_on_commit_callbacks(execute=False):
        job = agreement_pdf_request(period=period)
    assert not job.is_public
