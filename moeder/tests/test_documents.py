"""Minutes and agenda PDFs, the meeting package, and reuse of unchanged documents."""

import io

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from moeder.documents import (
    KINDS,
    TEMPLATE,
    document_input_hash,
    document_render,
    document_request,
)
from moeder.models import Attachment, Meeting
from moeder.selectors import meeting_document_context
from moeder.tests.test_fixtures import FEB_TITLES
from socialaftale.models import Job
from socialaftale.pdf import pdf_text, render_html

from .helpers import small_pdf


def test_minutes_pdf_has_header_every_title_in_order_and_the_decisions(seed_meetings):
    text = pdf_text(document_render(meeting=seed_meetings["feb"], kind=KINDS["referat"]))
    flat = " ".join(text.split())
    assert "Referat: DAS Social 23. februar 2026" in flat
    for label in ["Tid", "Sted Virtuelt", "Fraværende (1) Hanne Madsen", "Til stede (11)",
                  "Øvrige deltagere", "Mia Riise", "i stedet for Hanne Madsen",
                  "Martin Kolling Jensen", "(deltager i punkt 4)"]:
        assert label in flat, label
    positions = [flat.index(f"Punkt {n}. {title}") for n, title in enumerate(FEB_TITLES, 1)]
    assert positions == sorted(positions)
    assert "besluttede at bruge det nye skema til takstindberetningen for 2027" in flat
    assert "365 betalingsdage" in flat
    assert "Udfald: Godkendt" in flat and "Udfald: Udsat" in flat  # item 12, point 2
    assert "Side 1 af" in flat


def test_the_agenda_has_no_decisions(seed_meetings):
    context = meeting_document_context(seed_meetings["nov"], minutes=False, include_closed=True)
    text = " ".join(render_html(TEMPLATE, context).split())
    assert "Dagsorden: DAS Social 17. november 2025" in text
    assert "Punkt 19. Næste møde" in text
    assert "flyttet til kl. 14" not in text  # the decision of item 1 belongs to the minutes


def test_the_meeting_package_appends_every_pdf_attachment_with_bookmarks(seed_meetings):
    feb = seed_meetings["feb"]
    item = feb.items.get(number=4)
    pdf_bilag = Attachment.objects.create(item=item, title="Testbilag takstskema", order=9)
    pdf_bilag.file.save("test.pdf", ContentFile(small_pdf("TESTBILAG", pages=3)))
    Attachment.objects.create(item=feb.items.get(number=10), title="Regneark", order=1,
                              file=ContentFile(b"PK\x03\x04", name="ark.xlsx"))
    package = PdfReader(io.BytesIO(document_render(meeting=feb, kind=KINDS["pakke"])))
    appended = [package.pages[-n].extract_text() for n in (3, 2, 1)]
    assert appended == ["TESTBILAG side 1", "TESTBILAG side 2", "TESTBILAG side 3"]
    outline = package.outline
    titles = [entry.title for entry in outline if not isinstance(entry, list)]
    assert "Bilag" in titles
    bilag_children = outline[-1]  # pypdf lists a parent's children right after it
    assert [c.title for c in bilag_children] == ["Punkt 4: Testbilag takstskema"]
    first_bilag_page = package.get_destination_page_number(bilag_children[0])
    assert len(package.pages) == first_bilag_page + 3
    assert "Dagsorden: DAS Social 23. februar 2026" in package.pages[0].extract_text()


def test_a_broken_pdf_attachment_fails_the_package_with_a_danish_message(
    seed_meetings, django_capture_on_commit_callbacks, make_user
):
    may = Meeting.objects.get(date="2026-05-22")
    bad = Attachment.objects.create(item=may.items.get(number=2), title="Ødelagt", order=9)
    bad.file.save("bad.pdf", ContentFile(b"%PDF-1.7 garbage"))
    with django_capture_on_commit_callbacks(execute=True):
        job = document_request(meeting=may, kind=KINDS["pakke"], user=make_user("das"))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "»Ødelagt« til punkt 2 kan ikke læses som PDF" in job.error


def test_an_unchanged_meeting_reuses_its_document_and_a_change_makes_a_new_one(
    seed_meetings, django_capture_on_commit_callbacks, make_user
):
    may, user = Meeting.objects.get(date="2026-05-22"), make_user("das")
    before = document_input_hash(meeting=may, kind=KINDS["dagsorden"])
    with django_capture_on_commit_callbacks(execute=True):
        first = document_request(meeting=may, kind=KINDS["dagsorden"], user=user)
        again = document_request(meeting=may, kind=KINDS["dagsorden"], user=user)
    assert first.pk == again.pk and Job.objects.count() == 1
    first.refresh_from_db()
    assert first.status == Job.Status.DONE, first.error
    assert first.output.read().startswith(b"%PDF")
    item = may.items.get(number=4)
    item.resume = "Næste møde er 17. august 2026."
    item.save()
    assert document_input_hash(meeting=may, kind=KINDS["dagsorden"]) != before


@pytest.mark.parametrize("kind", ["dagsorden", "referat"])
def test_closed_items_are_in_the_documents_for_insiders(seed_meetings, kind):
    item = seed_meetings["feb"].items.get(number=13)
    item.is_closed = True
    item.save()
    context = meeting_document_context(seed_meetings["feb"], minutes=KINDS[kind].minutes,
                                       include_closed=True)
    html = render_html(TEMPLATE, context)
    assert "Punkt 13. Evaluering af det administrative setup" in html
    assert "<strong>Lukket punkt</strong>" in html
