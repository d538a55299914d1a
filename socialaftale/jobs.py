"""Background jobs: one generic runner, one handler per job kind, and self-healing.

An app registers a handler in its own `jobs.py`, declaring who may follow the job's status
and where the page goes when it is done:

    @jobs.handler("socialaftale.agreement_pdf", may_view=period_pdf_visible, done_url=...)
    def render_agreement_pdf(job: Job, progress: Progress) -> JobOutput | None:
        ...
        return JobOutput(content=pdf_bytes, filename="socialaftale-2025-2026.pdf")

and requests work with `job_request(kind=..., subject=obj, input_hash=...)`, which
creates (or reuses) the `Job` row and enqueues it after the transaction commits.

Healing (README "Background jobs"):
- The runner claims the row atomically, so two workers never run the same job.
- While a job runs, a heartbeat thread renews its lease (`heartbeat_at`). A RUNNING row
  whose lease has expired belongs to a dead worker: a re-delivered message or the sweep
  (`jobs_heal`, every JOB_SWEEP_SECONDS from beat, and once when a worker starts) runs it
  again — up to JOB_MAX_INTERRUPTIONS times, then it fails with a Danish message.
- A row that could not be sent because the broker was down keeps `sent_at` empty; the sweep
  sends it once the broker is back.
"""

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]

QUEUE_NOTE = "Køen er ikke tilgængelig lige nu; opgaven er gemt og køres automatisk."


@dataclass(frozen=True)
class JobOutput:
    content: bytes
    filename: str


class JobError(Exception):
    """A failure whose message is meant for the user (Danish)."""


def requester_or_secretariat(user, job: Job) -> bool:
    """The default rule: the one who asked, the secretariat, or anyone for a public job."""
    from .permissions import is_sekretariat

    return job.is_public or is_sekretariat(user) or (
        user.is_authenticated and job.requested_by_id == user.pk
    )


@dataclass(frozen=True)
class JobKind:
    """What a kind of job does and how its status is shown.

    - `may_view(user, job)`: who may follow the status (and so learn that it exists).
    - `done_url(job)`: where a waiting page goes when the job is done (a report, a file);
      None reloads the page.
    - `queue_note`: what a waiting page says while the broker cannot be reached.
    """

    run: Callable[[Job, Progress], JobOutput | None]
    may_view: Callable[[object, Job], bool] = requester_or_secretariat
    done_url: Callable[[Job], str | None] | None = None
    queue_note: str = QUEUE_NOTE


_KINDS: dict[str, JobKind] = {}
_discovered = False


def handler(kind: str, *, may_view=None, done_url=None, queue_note: str = QUEUE_NOTE):
    def register(func):
        _KINDS[kind] = JobKind(
            run=func, may_view=may_view or requester_or_secretariat, done_url=done_url,
            queue_note=queue_note,
        )
        return func

    return register


def kind_of(kind: str) -> JobKind:
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return _KINDS[kind]


def handler_for(kind: str):
    return kind_of(kind).run


# --------------------------------------------------------------------------- requesting


def job_request(
    *, kind: str, input_hash: str, subject: models.Model | None = None, requested_by=None,
    public: bool = False, force: bool = False,
) -> Job:
    """Return the job for this input, creating and enqueueing it when needed.

    A finished job with the same input is reused (no new work); a failed one, or any
    one when `force` is set, is queued again.
    """
    lookup = _lookup(kind=kind, subject=subject, input_hash=input_hash)
    with transaction.atomic():
        job, created = Job.objects.select_for_update().get_or_create(
            **lookup, defaults={"requested_by": requested_by, "is_public": public}
        )
        if not created and job.is_public != public:
            Job.objects.filter(pk=job.pk).update(is_public=public)
            job.is_public = public
        if created or force or job.status == Job.Status.FAILED:
            job_enqueue(job=job)
    return job


def job_current(*, kind: str, input_hash: str, subject: models.Model | None = None) -> Job | None:
    """The job for this input if one was requested — a read, never new work (for GETs)."""
    return Job.objects.filter(**_lookup(kind=kind, subject=subject, input_hash=input_hash)).first()


def job_latest_done(*, kind: str, subject: models.Model) -> Job | None:
    """The newest finished output of a kind for a subject, whatever its input."""
    return Job.objects.filter(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk, status=Job.Status.DONE,
    ).order_by("-finished_at").first()


def _lookup(*, kind: str, subject, input_hash: str) -> dict:
    lookup = {"kind": kind, "input_hash": input_hash, "subject_type": None, "subject_id": None}
    if subject is not None:
        lookup["subject_type"] = ContentType.objects.get_for_model(subject)
        lookup["subject_id"] = subject.pk
    return lookup


def job_enqueue(*, job: Job) -> Job:
    """Mark the job queued (a fresh request) and send it once the transaction commits."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.QUEUED, progress=0, error="", queued_at=timezone.now(),
        sent_at=None, started_at=None, heartbeat_at=None, finished_at=None, interruptions=0,
    )
    job.refresh_from_db()
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> bool:
    """Publish the job's message; when the broker is down the row stays unsent for the sweep."""
    from .tasks import run_job_task

    try:
        run_job_task.delay(job_id)
    except Exception:  # kombu raises several error types for an unreachable broker
        logger.warning("Job %s could not be sent; the sweep sends it later", job_id, exc_info=True)
        return False
    Job.objects.filter(pk=job_id, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


# --------------------------------------------------------------------------- running


def _lease_expired(cutoff=None) -> Q:
    """A RUNNING row nobody renewed since `cutoff` (default: JOB_LEASE_SECONDS ago): its
    worker is gone."""
    if cutoff is None:
        cutoff = timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    return Q(status=Job.Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True)
    )


def job_run(job_id: int, *, heartbeat: bool = True) -> Job | None:
    """Claim and run one job. Returns None when another worker has it or it is done.

    A RUNNING row with an expired lease may be claimed too (its worker died); that counts
    as an interruption. `heartbeat=False` is for eager runs inside a web request.
    """
    now = timezone.now()
    claimed = Job.objects.filter(Q(status=Job.Status.QUEUED) | _lease_expired(), pk=job_id).update(
        interruptions=Case(
            When(status=Job.Status.RUNNING, then=F("interruptions") + 1),
            default=F("interruptions"), output_field=models.PositiveSmallIntegerField(),
        ),
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now,
        attempts=F("attempts") + 1, progress=0, error="",
    )
    if claimed != 1:
        return None
    job = Job.objects.get(pk=job_id)
    if job.interruptions > settings.JOB_MAX_INTERRUPTIONS:
        return _job_fail(job, _interrupted_message(job))
    lease = Q(pk=job_id, status=Job.Status.RUNNING, attempts=job.attempts)

    def progress(percent: int) -> None:
        Job.objects.filter(lease).update(
            progress=max(0, min(100, int(percent))), heartbeat_at=timezone.now()
        )

    try:
        with _heartbeat(lease) if heartbeat else _nothing():
            output = kind_of(job.kind).run(job, progress)
    except JobError as exc:
        return _job_fail(job, str(exc), lease=lease)
    except Exception as exc:  # the worker must survive any bad input
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        return _job_fail(job, f"Uventet fejl under behandlingen: {exc.__class__.__name__}. "
                              "Prøv igen, eller kontakt sekretariatet.", lease=lease)
    if output is not None:
        job.output.save(output.filename, ContentFile(output.content), save=False)
    finished = Job.objects.filter(lease).update(
        status=Job.Status.DONE, progress=100, finished_at=timezone.now(), output=job.output.name
    )
    if not finished:  # the lease was lost (a frozen worker came back): the newer run decides
        logger.warning("Job %s finished after its lease was taken over", job.pk)
    job.refresh_from_db()
    return job


def _job_fail(job: Job, message: str, *, lease: Q | None = None) -> Job:
    """The one place a job becomes FAILED, and so the one place its failure is e-mailed."""
    failed = Job.objects.filter(lease if lease is not None else Q(pk=job.pk)).update(
        status=Job.Status.FAILED, error=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    if failed:
        from .notifications import notify_job_failed

        notify_job_failed(job)
    return job


def _interrupted_message(job: Job) -> str:
    return (f"Behandlingen blev afbrudt {job.interruptions} gange, fordi workeren stoppede "
            "undervejs. Prøv igen, eller kontakt sekretariatet.")


@contextmanager
def _nothing():
    yield


@contextmanager
def _heartbeat(lease: Q):
    """Renew the job's lease every JOB_HEARTBEAT_SECONDS from a thread while it runs."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                Job.objects.filter(lease).update(heartbeat_at=timezone.now())
        except Exception:  # a lost database must not kill the job; the lease then expires
            logger.warning("Job heartbeat stopped", exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name="job-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=settings.JOB_HEARTBEAT_SECONDS + 5)


# --------------------------------------------------------------------------- healing


def jobs_heal(*, older_than: timedelta | None = None, now=None) -> list[int]:
    """Send again what was lost; returns the ids sent. Safe to run from several places.

    - RUNNING with an expired lease (worker died): queued again, or failed after
      JOB_MAX_INTERRUPTIONS interruptions.
    - QUEUED but never sent (broker was down) for JOB_QUEUE_RETRY_SECONDS.
    - QUEUED and sent JOB_STALE_AFTER_SECONDS ago without a worker taking it (a lost message).

    `older_than` replaces every age limit (`manage.py requeue_jobs --older-than 0`).
    """
    now = now or timezone.now()
    if older_than is not None:
        lease = retry = stale = now - older_than
    else:
        lease = now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
        retry = now - timedelta(seconds=settings.JOB_QUEUE_RETRY_SECONDS)
        stale = now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    dead = _lease_expired(lease)
    sent = []
    for job in Job.objects.filter(dead):
        # Conditional update: when two sweeps race, only one re-queues the row.
        if not Job.objects.filter(dead, pk=job.pk, attempts=job.attempts).update(
            status=Job.Status.QUEUED, queued_at=now, sent_at=None, progress=0,
            interruptions=F("interruptions") + 1,
        ):
            continue
        job.refresh_from_db()
        if job.interruptions > settings.JOB_MAX_INTERRUPTIONS:
            _job_fail(job, _interrupted_message(job))
        elif _send(job.pk):
            sent.append(job.pk)
    waiting = Job.objects.filter(status=Job.Status.QUEUED).filter(
        Q(sent_at__isnull=True, queued_at__lt=retry) | Q(sent_at__isnull=True, queued_at=None)
        | Q(sent_at__lt=stale)
    ).exclude(pk__in=sent)
    for job_id in waiting.values_list("pk", flat=True):
        Job.objects.filter(pk=job_id, sent_at__isnull=False).update(sent_at=None)
        if _send(job_id):
            sent.append(job_id)
    return sent


jobs_requeue_stale = jobs_heal  # the name `manage.py requeue_jobs` and older code use


# --------------------------------------------------------------------------- documents
#
# Documents (agreement, meeting documents, Bifrost's report) are rendered when their content
# changes, so a reader's GET only reads. An app connects its content models with
# `render_on_change`, and registers a `document_refresher` that requests every current
# document; beat runs all refreshers hourly (content that changes with the date) and
# `load_demo` once.

_REFRESHERS: dict[str, Callable[[], object]] = {}


def document_refresher(name: str):
    """Register a function that requests the current version of every document of a kind."""

    def register(func):
        _REFRESHERS[name] = func
        return func

    return register


def documents_refresh() -> list[str]:
    """Request every document whose content changed (a finished one is reused otherwise)."""
    kind_of("socialaftale.selvtest")  # make sure every app's jobs module is imported
    for name, refresh in _REFRESHERS.items():
        try:
            refresh()
        except Exception:  # one broken app must not stop the others' documents
            logger.exception("Refreshing the %s documents failed", name)
    return list(_REFRESHERS)


def refresh_on_commit(key: str, refresh: Callable[[], object]) -> None:
    """Run `refresh` once after the current transaction commits.

    Many saves in one transaction (an admin form with inlines) refresh a document once.
    """
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(
        getattr(func, "refresh_key", None) == key for _sids, func, _robust in conn.run_on_commit
    ):
        return

    def run():
        try:
            refresh()
        except Exception:  # the edit is saved; the hourly refresh tries again
            logger.exception("Refreshing %s after a change failed", key)

    run.refresh_key = key
    transaction.on_commit(run)


def render_on_change(
    *senders, subject_of: Callable, refresh: Callable, name: str, through: tuple = ()
) -> None:
    """Refresh a subject's documents after any save or delete of these models commits.

    `subject_of(instance)` gives the subject's pk (or None: nothing to do); `refresh(pk)`
    requests its documents. `through` lists many-to-many tables whose changes count too.
    Fixture loading (raw saves) is ignored; `load_demo` refreshes once.
    """
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(sender, instance, raw=False, **kwargs):
        if raw:
            return
        pk = subject_of(instance)
        if pk is not None:
            refresh_on_commit(f"{name}:{pk}", lambda: refresh(pk))

    def m2m(sender, instance, action, **kwargs):
        if action in {"post_add", "post_remove", "post_clear"}:
            changed(sender, instance)

    for sender in senders:
        post_save.connect(changed, sender=sender, weak=False, dispatch_uid=f"{name}-save-{sender}")
        post_delete.connect(changed, sender=sender, weak=False,
                            dispatch_uid=f"{name}-delete-{sender}")
    for sender in through:
        m2m_changed.connect(m2m, sender=sender, weak=False, dispatch_uid=f"{name}-m2m-{sender}")


# --------------------------------------------------------------------------- status


def job_visible_to(*, job: Job, user) -> bool:
    try:
        kind = kind_of(job.kind)
    except KeyError:
        return requester_or_secretariat(user, job)
    return kind.may_view(user, job)


def job_status_data(job: Job) -> dict:
    """What the one status endpoint answers and the one poller (job-progress.js) reads."""
    try:
        kind = kind_of(job.kind)
    except KeyError:
        kind = None
    done_url = None
    if kind is not None and kind.done_url is not None and job.status == Job.Status.DONE:
        done_url = kind.done_url(job)
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "finished": job.is_finished,
        "error": job.error,
        "waits_for_queue": job.waits_for_queue,
        "queue_note": kind.queue_note if kind else QUEUE_NOTE,
        "done_url": done_url,
    }


@handler("socialaftale.selvtest")
def selftest(job: Job, progress: Progress) -> JobOutput:
    """A no-op job proving the queue and a worker work end to end (`manage.py job_selftest`)."""
    progress(50)
    return JobOutput(content=f"ok {job.input_hash}\n".encode(), filename="selvtest.txt")
