"""Agenda, minutes and meeting package: context → template → one render call.

The input hash of a document is the sha256 of its HTML (plus the bilag hashes for the
package), so a document is rendered again only when its content has changed.
"""

import dataclasses
import io
from dataclasses import dataclass

from socialaftale.jobs import JobError, job_request
from socialaftale.models import Job, sha256_hex
from socialaftale.pdf import render_document, render_html, render_pdf, write_pdf

from .models import Attachment, Meeting
from .selectors import meeting_document_context

TEMPLATE = "moeder/pdf/meeting.html"


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    job_kind: str
    label: str
    minutes: bool
    package: bool = False


KINDS = {
    "dagsorden": DocumentKind("dagsorden", "moeder.dagsorden", "Dagsorden (PDF)", minutes=False),
    "referat": DocumentKind("referat", "moeder.referat", "Referat (PDF)", minutes=True),
    "pakke": DocumentKind("pakke", "moeder.pakke", "Mødepakke: dagsorden med alle bilag (PDF)",
                          minutes=False, package=True),
}
JOB_KINDS = {kind.job_kind: kind for kind in KINDS.values()}


def _context(meeting: Meeting, kind: DocumentKind) -> dict:
    # Documents go to the secretariat and DAS members only, so closed items are included.
    return meeting_document_context(meeting, minutes=kind.minutes, include_closed=True)


def document_input_hash(*, meeting: Meeting, kind: DocumentKind) -> str:
    context = _context(meeting, kind)
    parts = [render_html(TEMPLATE, context)]
    if kind.package:
        parts += [f"{a.pk}:{a.sha256}" for item in context["items"] for a in item.attachments.all()]
    return sha256_hex("\n".join(parts))


def document_filename(*, meeting: Meeting, kind: DocumentKind) -> str:
    return f"{kind.slug}-{meeting.body.slug}-{meeting.date:%Y-%m-%d}.pdf"


def document_find(*, meeting: Meeting, kind: DocumentKind) -> Job | None:
    """The job for the meeting's current content, if anyone has asked for it."""
    from django.contrib.contenttypes.models import ContentType

    return Job.objects.filter(
        kind=kind.job_kind, subject_type=ContentType.objects.get_for_model(Meeting),
        subject_id=meeting.pk, input_hash=document_input_hash(meeting=meeting, kind=kind),
    ).first()


def document_request(*, meeting: Meeting, kind: DocumentKind, user) -> Job:
    """Ask for the document; a finished one for the same content is reused."""
    return job_request(kind=kind.job_kind, subject=meeting, requested_by=user,
                       input_hash=document_input_hash(meeting=meeting, kind=kind))


def document_render(*, meeting: Meeting, kind: DocumentKind, progress=lambda p: None) -> bytes:
    context = _context(meeting, kind)
    if kind.package:
        return _package_render(context, progress)
    pdf = render_pdf(TEMPLATE, context)
    progress(100)
    return pdf


@dataclass(frozen=True)
class PackageBilag:
    """A PDF bilag in the meeting package and where it sits in it (pages count from 1)."""

    item: object
    attachment: Attachment
    reader: object  # pypdf PdfReader
    first_page: int = 0

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    @property
    def title(self) -> str:
        return f"Punkt {self.item.number}: {self.attachment.title}"


# The agenda is laid out again while its page count moves the bilag's page numbers.
PACKAGE_LAYOUT_ROUNDS = 3


def _package_render(context: dict, progress) -> bytes:
    """The meeting package as ONE document: the agenda, then every PDF bilag.

    The agenda is laid out knowing the bilag's page counts, so its contents list gives each
    bilag's page and its footer says "Side x af y" with y the package's page count; the bilag
    pages are stamped with the same running numbers. The agenda keeps its tags, bookmarks and
    metadata; each bilag gets a bookmark under "Bilag".
    """
    bilag = _package_bilag(context["items"])
    listed = [a for item in context["items"] for a in item.attachments.all()]
    agenda_pages = 1
    for _ in range(PACKAGE_LAYOUT_ROUNDS):
        placed, start = [], agenda_pages + 1
        for b in bilag:
            placed.append(dataclasses.replace(b, first_page=start))
            start += b.pages
        package = {
            "bilag": placed, "total_pages": start - 1, "agenda_pages": agenda_pages,
            "unattached": [a for a in listed if not a.is_pdf],
        }
        document = render_document(TEMPLATE, {**context, "package": package})
        if len(document.pages) == agenda_pages:
            break
        agenda_pages = len(document.pages)
    progress(50)
    agenda = write_pdf(document)
    if not placed:
        return agenda
    return _append_bilag(agenda, placed, package["total_pages"], progress)


def _package_bilag(items) -> list[PackageBilag]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    bilag = []
    for item in items:
        for attachment in item.attachments.all():
            if not attachment.is_pdf:
                continue
            try:
                with attachment.file.open("rb") as handle:
                    reader = PdfReader(io.BytesIO(handle.read()))
                    len(reader.pages)  # reads the page tree: a broken file fails here
            except (OSError, PdfReadError) as exc:
                raise JobError(
                    f"Bilaget »{attachment.title}« til punkt {item.number} kan ikke læses som "
                    "PDF. Upload det igen."
                ) from exc
            bilag.append(PackageBilag(item=item, attachment=attachment, reader=reader))
    return bilag


def _append_bilag(agenda_pdf: bytes, bilag: list[PackageBilag], total: int, progress) -> bytes:
    """The tagged agenda with the bilag pages appended, stamped and bookmarked."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(agenda_pdf)))
    stamps = PdfReader(io.BytesIO(_stamps_pdf(bilag, total)))
    parent = writer.add_outline_item(title="Bilag", page_number=bilag[0].first_page - 1)
    stamp_pages = iter(stamps.pages)
    for done, b in enumerate(bilag, start=1):
        writer.append(b.reader, import_outline=False)
        for index in range(b.first_page - 1, b.first_page - 1 + b.pages):
            page = writer.pages[index]
            # A bilag's own structure tree is not copied: its pages must not point into the
            # agenda's (their /StructParents numbers would pick the agenda's elements).
            page.pop("/StructParents", None)
            page.merge_page(next(stamp_pages))
            page.compress_content_streams()
        writer.add_outline_item(title=b.title, page_number=b.first_page - 1, parent=parent)
        progress(50 + 50 * done // len(bilag))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamps_pdf(bilag: list[PackageBilag], total: int) -> bytes:
    """One page per bilag page, the same size, with only "Bilag til punkt 4 · Side 23 af 40"."""
    pages, sizes = [], {}
    for b in bilag:
        for offset, page in enumerate(b.reader.pages):
            box = page.mediabox
            size = (round(float(box.width), 2), round(float(box.height), 2))
            name = sizes.setdefault(size, f"bilag{len(sizes)}")
            pages.append({"page": name, "number": b.first_page + offset, "item": b.item.number})
    # Untagged on purpose: the stamps join the bilag's pages, which are outside the agenda's
    # structure tree, and marked content pointing nowhere would only confuse a reader.
    return render_document("moeder/pdf/package_stamps.html", {
        "pages": pages, "total": total,
        "sizes": [{"name": name, "width": w, "height": h} for (w, h), name in sizes.items()],
    }).write_pdf()
