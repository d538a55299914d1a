from socialaftale import jobs
from socialaftale.jobs import JobError, JobOutput

from .documents import JOB_KINDS, document_filename, document_render
from .models import Meeting


def render_meeting_document(job, progress) -> JobOutput:
    meeting = job.subject
    if not isinstance(meeting, Meeting):
        raise JobError("Mødet findes ikke længere.")
    kind = JOB_KINDS[job.kind]
    content = document_render(meeting=meeting, kind=kind, progress=progress)
    return JobOutput(content=content, filename=document_filename(meeting=meeting, kind=kind))


for _kind in JOB_KINDS:
    jobs.handler(_kind)(render_meeting_document)
