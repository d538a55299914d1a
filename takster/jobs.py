"""Background jobs (thin; the work is in services, publication and takstbilag)."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from socialaftale import jobs
from socialaftale.jobs import JobError, JobOutput
from socialaftale.permissions import driftsherre_of, is_sekretariat

from .models import Takstbilag, Upload
from .services import upload_validate


def _upload_visible(user, job) -> bool:
    """The uploading driftsherre's users and the secretariat (others: 404)."""
    if is_sekretariat(user):
        return True
    own = driftsherre_of(user)
    return own is not None and Upload.objects.filter(
        pk=job.subject_id, submission__driftsherre=own
    ).exists()


def _takstbilag_visible(user, job) -> bool:
    """A published takstbilag's files are public; a draft's only the secretariat's."""
    return is_sekretariat(user) or Takstbilag.objects.filter(
        pk=job.subject_id, status=Takstbilag.Status.PUBLISHED
    ).exists()


def _takstbilag_url(suffix: str):
    def done_url(job) -> str | None:
        takstbilag = Takstbilag.objects.select_related("rate_round__parameters").filter(
            pk=job.subject_id).first()
        if takstbilag is None:
            return None
        return reverse("takster:takstbilag_download",
                       args=[takstbilag.budget_year, takstbilag.version, suffix])

    return done_url


@jobs.handler(
    Upload.JOB_KIND, may_view=_upload_visible,
    done_url=lambda job: reverse("takster:upload_detail", args=[job.subject_id]),
    queue_note="Køen er ikke tilgængelig lige nu; filen er gemt og kontrolleres automatisk.",
)
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


@jobs.handler(Takstbilag.PDF_JOB, may_view=_takstbilag_visible, done_url=_takstbilag_url("pdf"),
              queue_note="Køen er ikke tilgængelig lige nu; PDF'en dannes automatisk.")
def render_takstbilag_pdf(job, progress):
    from .publication import takstbilag_data
    from .takstbilag import render_takstbilag_pdf as render

    takstbilag = _takstbilag(job)
    data = takstbilag_data(takstbilag)
    progress(10)
    return JobOutput(content=render(data), filename=_filename(takstbilag, "pdf"))


@jobs.handler(Takstbilag.XLSX_JOB, may_view=_takstbilag_visible,
              done_url=_takstbilag_url("xlsx"),
              queue_note="Køen er ikke tilgængelig lige nu; regnearket dannes automatisk.")
def render_takstbilag_xlsx(job, progress):
    from .publication import takstbilag_data
    from .takstbilag import render_takstbilag_xlsx as render

    takstbilag = _takstbilag(job)
    return JobOutput(
        content=render(takstbilag_data(takstbilag)), filename=_filename(takstbilag, "xlsx")
    )
