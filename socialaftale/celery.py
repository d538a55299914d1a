"""The one Celery app. Tasks live in `<app>/tasks.py`; periodic jobs are declared here.

Production runs `celery worker` (one or more) and exactly one `celery beat` process
(README "Background jobs"). The job sweep also runs once whenever a worker starts, so jobs
left behind by a crash or a down broker are sent again even before beat's first tick.
"""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")

logger = logging.getLogger(__name__)

app = Celery("socialaftale")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _sweep_seconds() -> float:
    from django.conf import settings

    return float(settings.JOB_SWEEP_SECONDS)


app.conf.beat_schedule = {
    "requeue-stale-jobs": {
        "task": "socialaftale.tasks.requeue_stale_jobs_task",
        "schedule": _sweep_seconds(),
        # A sweep that waited in a queue is pointless once the next one is due.
        "options": {"expires": _sweep_seconds()},
    },
    "refresh-documents": {
        "task": "socialaftale.tasks.documents_refresh_task",
        "schedule": 3600.0,  # hourly: content that changes with the date (Bifrost's report)
    },
    "send-pending-notifications": {
        "task": "socialaftale.tasks.send_pending_notifications_task",
        "schedule": 300.0,
    },
    "takster-deadline-reminders": {
        "task": "takster.tasks.send_deadline_reminders_task",
        # Hourly is cheap and safe: each reminder kind goes once per driftsherre (its key).
        "schedule": 3600.0,
    },
    "tilbud-kapacitet-reminders": {
        "task": "tilbud.tasks.send_kapacitet_reminders_task",
        "schedule": 7 * 24 * 3600.0,  # weekly; only driftsherrer with reports over 31 days old
    },
}


@worker_ready.connect
def _heal_on_worker_start(sender=None, **kwargs):
    from .jobs import jobs_heal

    try:
        sent = jobs_heal()
    except Exception:  # a worker must start even when the database is briefly away
        logger.warning("Job sweep at worker start failed", exc_info=True)
    else:
        if sent:
            logger.info("Sent %d job(s) again at worker start", len(sent))
