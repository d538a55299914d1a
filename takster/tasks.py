"""Celery interface to the rate round: the daily deadline reminders (scheduled in celery.py)."""

from celery import shared_task

from .services import deadline_reminders_send


@shared_task(name="takster.tasks.send_deadline_reminders_task")
def send_deadline_reminders_task() -> int:
    """14 and 3 days before the deadline and after it, each once per driftsherre and kind;
    returns how many driftsherrer were reminded now."""
    return deadline_reminders_send()
