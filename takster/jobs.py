"""Background job: validate one stored upload (thin; the work is `upload_validate`)."""

from socialaftale import jobs
from socialaftale.jobs import JobError

from .models import Upload
from .services import upload_validate


@jobs.handler(Upload.JOB_KIND)
def validate_upload(job, progress):
    """Validate the upload the job is about; a retry replaces lines and findings."""
    upload = Upload.objects.select_related(
        "submission__rate_round__parameters", "submission__driftsherre"
    ).filter(pk=job.subject_id).first()
    if upload is None:
        raise JobError("Uploaden findes ikke længere.")
    upload_validate(upload=upload, progress=progress)
    return None
