"""Background jobs (thin; the work is in services, publication and takstbilag)."""

from django.core.exceptions import ValidationError

from socialaftale import jobs
from socialaftale.jobs import JobError, JobOutput

from .models import Takstbilag, Upload
from .services import upload_validate


@jobs.handler(Upload.JOB_KIND)
def validate_upload(job, progress):
    """Validate the upload the job is about; a retry replaces lines and findings."""
    upload = Upload.objects.select_related(
        "submission__rate_round__parameters", "submission__driftsherre"
    ).filter(pk=job.subject_id).first()
    if upload is None:
        raise JobError("Uploaden findes ikke længere.")
    try:
        upload_validate(upload=upload, progress=progress)
    except ValidationError as exc:  # refused: the version carries review work
        raise JobError(" ".join(exc.messages)) from None
    return None


def _takstbilag(job) -> Takstbilag:
    takstbilag = Takstbilag.objects.select_related("rate_round__parameters").filter(
        pk=job.subject_id
    ).first()
    if takstbilag is None:
        raise JobError("Takstbilaget findes ikke længere.")
    return takstbilag


def _filename(takstbilag: Takstbilag, suffix: str) -> str:
    draft = "" if takstbilag.is_published else "-udkast"
    return f"takstbilag-{takstbilag.budget_year}-v{takstbilag.version}{draft}.{suffix}"


@jobs.handler(Takstbilag.PDF_JOB)
def render_takstbilag_pdf(job, progress):
    from .publication import takstbilag_data
    from .takstbilag import render_takstbilag_pdf as render

    takstbilag = _takstbilag(job)
    data = takstbilag_data(takstbilag)
    progress(10)
    return JobOutput(content=render(data), filename=_filename(takstbilag, "pdf"))


@jobs.handler(Takstbilag.XLSX_JOB)
def render_takstbilag_xlsx(job, progress):
    from .publication import takstbilag_data
    from .takstbilag import render_takstbilag_xlsx as render

    takstbilag = _takstbilag(job)
    return JobOutput(
        content=render(takstbilag_data(takstbilag)), filename=_filename(takstbilag, "xlsx")
    )
