"""Meeting documents as jobs: rendered when a meeting's content changes, read by GETs."""

from django.urls import reverse

from socialaftale import jobs
from socialaftale.jobs import JobError, JobOutput, job_request

from .documents import (
    JOB_KINDS,
    KINDS,
    document_filename,
    document_input_hash,
    document_render,
    document_request,
)
from .models import AgendaItem, Attachment, Attendance, IndstillingPoint, ItemLink, Meeting
from .selectors import may_see_closed


def render_meeting_document(job, progress) -> JobOutput:
    meeting = job.subject
    if not isinstance(meeting, Meeting):
        raise JobError("Mødet findes ikke længere.")
    kind = JOB_KINDS[job.kind]
    content = document_render(meeting=meeting, kind=kind, progress=progress)
    return JobOutput(content=content, filename=document_filename(meeting=meeting, kind=kind))


def _insiders(user, job) -> bool:
    """Meeting documents hold closed items: the secretariat and DAS members only."""
    return may_see_closed(user)


for _kind in JOB_KINDS:
    jobs.handler(
        _kind, may_view=_insiders,
        done_url=lambda job: reverse("moeder:document_download", args=[job.pk]),
        queue_note="Køen er ikke tilgængelig lige nu; dokumentet dannes automatisk.",
    )(render_meeting_document)


def meeting_documents_refresh(*, meeting_id: int) -> list:
    """Request the agenda, package and (once held) minutes for the meeting's current content.

    The meeting before it is refreshed too: its minutes name the next meeting.
    """
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None:
        return []
    meetings = [meeting]
    previous = (Meeting.objects.select_related("body").filter(
        body_id=meeting.body_id, date__lt=meeting.date).order_by("-date", "-start_time").first())
    if previous is not None:
        meetings.append(previous)
    return [
        document_request(meeting=m, kind=kind, user=None)
        for m in meetings for kind in KINDS.values() if m.is_held or not kind.minutes
    ]


def document_rerender(*, meeting: Meeting, kind, user):
    """The secretariat forces a new render of the current content (e.g. after a font fix)."""
    return job_request(kind=kind.job_kind, subject=meeting, requested_by=user, force=True,
                       input_hash=document_input_hash(meeting=meeting, kind=kind))


@jobs.document_refresher("moeder")
def meetings_documents_refresh() -> None:
    for meeting in Meeting.objects.select_related("body"):
        for kind in KINDS.values():
            if meeting.is_held or not kind.minutes:
                document_request(meeting=meeting, kind=kind, user=None)


def _meeting_of(instance):
    if isinstance(instance, Meeting):
        return instance.pk
    if isinstance(instance, (AgendaItem, Attendance)):
        return instance.meeting_id
    if isinstance(instance, (IndstillingPoint, Attachment, ItemLink)):
        return AgendaItem.objects.filter(pk=instance.item_id).values_list(
            "meeting_id", flat=True).first()
    return None


jobs.render_on_change(
    Meeting, AgendaItem, IndstillingPoint, Attachment, ItemLink, Attendance,
    subject_of=_meeting_of, name="moeder.meeting", through=(Attendance.items.through,),
    refresh=lambda pk: meeting_documents_refresh(meeting_id=pk),
)
