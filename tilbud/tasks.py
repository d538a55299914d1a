"""Celery interface to the register: the weekly free-places reminder (scheduled in celery.py)."""

from celery import shared_task

from .services import kapacitet_reminders_send


@shared_task(name="tilbud.tasks.send_kapacitet_reminders_task")
def send_kapacitet_reminders_task() -> int:
    """Remind driftsherrer with stale or missing free-places reports; returns how many."""
    return len(kapacitet_reminders_send())
