"""Agenda, minutes and meeting package: context → template → one render call.

The input hash of a document is the sha256 of its HTML (plus the bilag hashes for the
package), so a document is rendered again only when its content has changed.
"""

import io
from dataclasses import dataclass

from socialaftale.jobs import JobError, job_request
from socialaftale.models import Job, sha256_hex
from socialaftale.pdf import render_html, render_pdf

from .models import Meeting
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
    pdf = render_pdf(TEMPLATE, context)
    progress(50)
    if not kind.package:
        return pdf
    return _append_attachments(pdf, context["items"], progress)


def _append_attachments(agenda_pdf: bytes, items, progress) -> bytes:
    """The agenda, then every PDF bilag, each bookmarked under "Bilag"."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    writer = PdfWriter()
    writer.append(io.BytesIO(agenda_pdf))
    attachments = [(item, a) for item in items for a in item.attachments.all() if a.is_pdf]
    parent = None
    for done, (item, attachment) in enumerate(attachments, start=1):
        try:
            with attachment.file.open("rb") as handle:
                reader = PdfReader(io.BytesIO(handle.read()))
                first_page = len(writer.pages)
                writer.append(reader, import_outline=False)
        except (OSError, PdfReadError) as exc:
            raise JobError(
                f"Bilaget »{attachment.title}« til punkt {item.number} kan ikke læses som PDF. "
                "Upload det igen."
            ) from exc
        if parent is None:
            parent = writer.add_outline_item(title="Bilag", page_number=first_page)
        writer.add_outline_item(title=f"Punkt {item.number}: {attachment.title}",
                                page_number=first_page, parent=parent)
        progress(50 + 50 * done // len(attachments))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
