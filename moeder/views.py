from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from socialaftale.downloads import send_stored_file
from socialaftale.jobs import job_latest_done
from socialaftale.models import Job
from socialaftale.permissions import Role, is_sekretariat, role_required

from . import selectors
from .documents import JOB_KINDS, KINDS, document_filename, document_find
from .ics import meetings_ics
from .jobs import document_rerender
from .models import Attachment, Meeting

insiders_only = role_required(Role.SEKRETARIAT, Role.DAS)


@insiders_only
def index(request):
    upcoming, past = selectors.meetings_upcoming_and_past()
    return render(request, "moeder/index.html", {"upcoming": upcoming, "past": past})


def _meeting_page(request, pk: int, *, minutes: bool):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if minutes and not meeting.is_held:
        raise Http404("Mødet er ikke afholdt endnu.")
    context = selectors.meeting_document_context(
        meeting, minutes=minutes, include_closed=selectors.may_see_closed(request.user)
    )
    context["documents"] = [kind for kind in KINDS.values() if meeting.is_held or not kind.minutes]
    return render(request, "moeder/meeting.html", context)


@insiders_only
def meeting_agenda(request, pk: int):
    return _meeting_page(request, pk, minutes=False)


@insiders_only
def meeting_minutes(request, pk: int):
    return _meeting_page(request, pk, minutes=True)


@insiders_only
def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.select_related("item"), pk=pk, item__in=selectors.visible_items(
            request.user))
    if not attachment.file:
        raise Http404("Bilaget er ikke uploadet.")
    return send_stored_file(attachment.file, filename=attachment.file.name.rsplit("/", 1)[-1],
                            as_attachment=True)


@insiders_only
@require_http_methods(["GET", "POST"])
def document(request, pk: int, kind: str):
    """One click: the current document at once; while it renders, a page that hands it over.

    Documents are rendered when the meeting changes, so a GET only reads. The secretariat
    may force a new render (POST).
    """
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if kind not in KINDS or (KINDS[kind].minutes and not meeting.is_held):
        raise Http404("Ukendt dokument.")
    document_kind = KINDS[kind]
    if request.method == "POST":
        if not is_sekretariat(request.user):
            raise PermissionDenied("Kun sekretariatet kan danne dokumenter igen.")
        document_rerender(meeting=meeting, kind=document_kind, user=request.user)
        messages.success(request, f"{document_kind.label} dannes igen.")
        return redirect("moeder:document", pk=meeting.pk, kind=kind)
    job = document_find(meeting=meeting, kind=document_kind)
    if job is not None and job.status == Job.Status.DONE and job.output:
        return _pdf_response(job, meeting)
    return render(request, "moeder/document.html", {
        "meeting": meeting, "kind": document_kind, "job": job,
        "latest": job_latest_done(kind=document_kind.job_kind, subject=meeting),
        "can_rerender": is_sekretariat(request.user),
    })


def _pdf_response(job: Job, meeting: Meeting) -> HttpResponse:
    filename = document_filename(meeting=meeting, kind=JOB_KINDS[job.kind])
    return send_stored_file(job.output, content_type="application/pdf", filename=filename)


@insiders_only
def document_download(request, job_id: int):
    job = get_object_or_404(Job, pk=job_id, kind__in=list(JOB_KINDS), status=Job.Status.DONE)
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=job.subject_id)
    return _pdf_response(job, meeting)


@insiders_only
def decisions(request):
    query = request.GET.get("q", "").strip()[:200]
    items = selectors.decisions_search(user=request.user, query=query)
    return render(request, "moeder/decisions.html", {"query": query, "items": items})


@insiders_only
def calendar(request):
    meetings = Meeting.objects.select_related("body").order_by("date", "start_time")
    body = meetings_ics(list(meetings), base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="das-social-moeder.ics"'
    return response
