"""The one Celery app. Tasks live in `<app>/tasks.py`; periodic jobs are declared here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")

app = Celery("socialaftale")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "requeue-stale-jobs": {
        "task": "socialaftale.tasks.requeue_stale_jobs_task",
        "schedule": 300.0,
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
