"""Background jobs: one generic runner, one handler per job kind.

An app registers a handler in its own `jobs.py`:

    @jobs.handler("socialaftale.agreement_pdf")
    def render_agreement_pdf(job: Job, progress: Progress) -> JobOutput | None:
        ...
        return JobOutput(content=pdf_bytes, filename="socialaftale-2025-2026.pdf")

and requests work with `job_request(kind=..., subject=obj, input_hash=...)`, which
creates (or reuses) the `Job` row and enqueues it after the transaction commits.
The runner claims the row atomically, so a re-delivered message never runs twice.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class JobOutput:
    content: bytes
    filename: str


class JobError(Exception):
    """A failure whose message is meant for the user (Danish)."""


_HANDLERS: dict[str, Callable[[Job, Progress], JobOutput | None]] = {}
_discovered = False


def handler(kind: str):
    def register(func):
        _HANDLERS[kind] = func
        return func

    return register


def handler_for(kind: str):
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return _HANDLERS[kind]


def job_request(
    *, kind: str, input_hash: str, subject: models.Model | None = None, requested_by=None,
    public: bool = False, force: bool = False,
) -> Job:
    """Return the job for this input, creating and enqueueing it when needed.

    A finished job with the same input is reused (no new work); a failed one, or any
    one when `force` is set, is queued again.
    """
    lookup = {"kind": kind, "input_hash": input_hash, "subject_type": None, "subject_id": None}
    if subject is not None:
        lookup["subject_type"] = ContentType.objects.get_for_model(subject)
        lookup["subject_id"] = subject.pk
    with transaction.atomic():
        job, created = Job.objects.select_for_update().get_or_create(
            **lookup, defaults={"requested_by": requested_by, "is_public": public}
        )
        if created or force or job.status == Job.Status.FAILED:
            job_enqueue(job=job)
    return job


def job_enqueue(*, job: Job) -> Job:
    """Mark the job queued and send it to the worker once the transaction commits.

    If the broker is down the row simply stays queued; `requeue_jobs` sends it later.
    """
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.QUEUED, progress=0, error="", queued_at=timezone.now(),
        started_at=None, finished_at=None,
    )
    job.refresh_from_db()

    def send():
        from .tasks import run_job_task

        run_job_task.delay(job.pk)

    transaction.on_commit(send, robust=True)
    return job


def job_run(job_id: int) -> Job | None:
    """Claim and run one job. Returns None when another worker has it or it is done."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1,
        progress=0, error="",
    )
    if claimed != 1:
        return None
    job = Job.objects.get(pk=job_id)

    def progress(percent: int) -> None:
        Job.objects.filter(pk=job_id).update(progress=max(0, min(100, int(percent))))

    try:
        output = handler_for(job.kind)(job, progress)
    except JobError as exc:
        return _job_fail(job, str(exc))
    except Exception as exc:  # the worker must survive any bad input
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        return _job_fail(job, f"Uventet fejl under behandlingen: {exc.__class__.__name__}. "
                              "Prøv igen, eller kontakt sekretariatet.")
    if output is not None:
        job.output.save(output.filename, ContentFile(output.content), save=False)
    job.status, job.progress, job.finished_at = Job.Status.DONE, 100, timezone.now()
    job.save(update_fields=["status", "progress", "finished_at", "output"])
    return job


def _job_fail(job: Job, message: str) -> Job:
    job.status, job.error, job.finished_at = Job.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    from .notifications import notify_job_failed

    notify_job_failed(job)
    return job


def jobs_requeue_stale(*, older_than: timedelta | None = None) -> list[int]:
    """Re-send jobs stuck in the queue (broker was down) or running (worker died)."""
    if older_than is None:
        older_than = timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    stale = Job.objects.filter(
        models.Q(status=Job.Status.QUEUED, queued_at__lt=cutoff)
        | models.Q(status=Job.Status.QUEUED, queued_at__isnull=True)
        | models.Q(status=Job.Status.RUNNING, started_at__lt=cutoff)
    )
    ids = list(stale.values_list("pk", flat=True))
    for job in Job.objects.filter(pk__in=ids):
        job_enqueue(job=job)
    return ids


@handler("socialaftale.selvtest")
def selftest(job: Job, progress: Progress) -> JobOutput:
    """A no-op job proving the queue and a worker work end to end (`manage.py job_selftest`)."""
    progress(50)
    return JobOutput(content=f"ok {job.input_hash}\n".encode(), filename="selvtest.txt")
