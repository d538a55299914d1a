"""Minutes and agenda PDFs, the meeting package, and reuse of unchanged documents."""

import io
import subprocess

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
from socialaftale.pdf import pdf_accessibility, pdf_text, render_html

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


def pdftotext_pages(pdf: bytes) -> list[str]:
    """The text of each page as poppler's pdftotext reads it (pages end with a form feed)."""
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True)
    return [" ".join(page.split()) for page in done.stdout.decode().split("\f")[:-1]]


@pytest.fixture
def package_with_bilag(seed_meetings):
    feb = seed_meetings["feb"]
    first = Attachment.objects.create(item=feb.items.get(number=4), title="Testbilag takstskema",
                                      order=9)
    first.file.save("test.pdf", ContentFile(small_pdf("TESTBILAG", pages=3)))
    second = Attachment.objects.create(item=feb.items.get(number=10), title="Aalborgs takster",
                                       order=8)
    second.file.save("aalborg.pdf", ContentFile(small_pdf("AALBORG", pages=2)))
    Attachment.objects.create(item=feb.items.get(number=10), title="Regneark", order=9,
                              file=ContentFile(b"PK\x03\x04", name="ark.xlsx"))
    return document_render(meeting=feb, kind=KINDS["pakke"])


def test_the_meeting_package_numbers_its_pages_continuously_over_agenda_and_bilag(
    package_with_bilag,
):
    pages = pdftotext_pages(package_with_bilag)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} af {total}" in text, (number, text[-80:])
    first_bilag = next(i for i, text in enumerate(pages, start=1) if "TESTBILAG side 1" in text)
    assert "TESTBILAG side 3" in pages[first_bilag + 1]
    assert "AALBORG side 1" in pages[first_bilag + 2] and "AALBORG side 2" in pages[-1]
    assert f"Bilag til punkt 4 · Side {first_bilag} af {total}" in pages[first_bilag - 1]
    # The contents on the agenda's first page give each bilag's first page and length.
    cover = pages[0]
    assert f"dagsordenen (side 1–{first_bilag - 1})" in cover
    assert f"Punkt 4: Testbilag takstskema {first_bilag} 3" in cover
    assert f"Punkt 10: Aalborgs takster {first_bilag + 3} 2" in cover
    assert "Punkt 10: Regneark" in cover  # an xlsx bilag is named, not appended


def test_the_meeting_package_has_bookmarks_per_item_and_bilag_and_keeps_its_tags(
    package_with_bilag,
):
    package = PdfReader(io.BytesIO(package_with_bilag))
    outline = package.outline
    titles = [entry.title for entry in outline if not isinstance(entry, list)]
    assert "Bilag" in titles
    assert any(t.startswith("Punkt 4.") for t in sum(
        ([c.title for c in e if not isinstance(c, list)] for e in outline if isinstance(e, list)),
        []))  # every agenda item has its bookmark (h2 under the h1)
    bilag_children = outline[-1]  # pypdf lists a parent's children right after it
    assert [c.title for c in bilag_children] == [
        "Punkt 4: Testbilag takstskema", "Punkt 10: Aalborgs takster"]
    first = package.get_destination_page_number(bilag_children[0])
    assert "TESTBILAG side 1" in package.pages[first].extract_text()
    assert len(package.pages) == first + 5
    check = pdf_accessibility(package_with_bilag)
    assert check.tagged and check.lang == "da"
    assert check.title == "Mødepakke – DAS Social 23. februar 2026"


def test_a_package_without_attached_files_says_so_on_its_cover(seed_meetings):
    pdf = document_render(meeting=seed_meetings["nov"], kind=KINDS["pakke"])
    pages = pdftotext_pages(pdf)
    assert "Mødepakken indeholder ingen vedhæftede bilag" in pages[0]
    assert f"Side {len(pages)} af {len(pages)}" in pages[-1]


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


def test_a_tagged_bilag_does_not_point_into_the_agendas_structure_tree(seed_meetings):
    feb = seed_meetings["feb"]
    tagged = Attachment.objects.create(item=feb.items.get(number=4), title="Mærket bilag",
                                       order=9)
    from weasyprint import HTML

    tagged.file.save("tagged.pdf", ContentFile(HTML(
        string="<html lang='da'><title>Bilag</title><p>MÆRKET</p></html>"
    ).write_pdf(pdf_variant="pdf/ua-1")))
    package = PdfReader(io.BytesIO(document_render(meeting=feb, kind=KINDS["pakke"])))
    assert "MÆRKET" in package.pages[-1].extract_text()
    assert "/StructParents" not in package.pages[-1]
    assert "/StructParents" in package.pages[0]  # the agenda keeps its tags


def test_a_table_title_and_an_item_heading_stay_with_what_follows(seed_meetings):
    """No lone table title or item heading at the foot of a page: item 10's 'Tabel 1' stands
    on the page of its rows, and every item's heading on the page of its first section."""
    reader = PdfReader(io.BytesIO(
        document_render(meeting=seed_meetings["feb"], kind=KINDS["referat"])))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    [title_page] = [n for n, text in enumerate(pages) if "Tabel 1: Basistakster" in text]
    assert "224" in pages[title_page].split("Tabel 1: Basistakster", 1)[1]
    for n, text in enumerate(pages):
        for item in range(1, 18):
            heading = f"Punkt {item}. "
            if heading in text:
                after = text.split(heading, 1)[1]
                assert any(word in after for word in (
                    "Sagsfremstilling", "Resumé", "Indstilling", "Beslutning")), (
                    f"side {n + 1}: punkt {item} står alene nederst på siden")
