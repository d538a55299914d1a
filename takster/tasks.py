"""Celery interface to the rate round: the periodic reminder (scheduled in celery.py)."""

from celery import shared_task

from .models import RateRound
from .services import rate_reminders_send


@shared_task
def send_rate_reminders_task() -> int:
    """Remind late driftsherrer in every open round; returns how many were reminded."""
    return sum(
        len(rate_reminders_send(rate_round=r))
        for r in RateRound.objects.filter(status=RateRound.Status.OPEN).select_related(
            "parameters")
    )
