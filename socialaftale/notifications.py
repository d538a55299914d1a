"""E-mail notifications: one `Notification` row per message and recipient.

`notify()` records the messages and sends them from a Celery task once the transaction
commits, so an e-mail never announces something that was rolled back, and a slow or broken
mail server never blocks a page. A failed message stays visible in the admin with its error
and can be sent again from there (`notification_retry`). A `key` makes a message idempotent:
the same key and recipient are recorded (and sent) once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .models import Driftsherre, Notification, Profile

logger = logging.getLogger(__name__)
# After a failed send to the broker, skip it for this long (the rows stay pending and the
# periodic `notifications_send_pending` sends them), so a down broker costs one timeout.
BROKER_BACKOFF_SECONDS = 60
_broker_down_until = 0.0

SIGNATURE = "\n\nVenlig hilsen\nSekretariatet for Nordjysk Socialaftale\n"


def absolute_url(path: str) -> str:
    """An absolute link for an e-mail: SITE_URL + the path."""
    return settings.SITE_URL.rstrip("/") + path


def driftsherre_recipients(driftsherre: Driftsherre) -> list[str]:
    """The driftsherre's active users with an address, and its contact address."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        profile__driftsherre=driftsherre, is_active=True
    ).exclude(email="").values_list("email", flat=True)
    return _clean([*users, driftsherre.contact_email])


def sekretariat_recipients() -> list[str]:
    """The secretariat's active users with an address, and SEKRETARIAT_EMAIL if set."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        profile__role=Profile.Role.SEKRETARIAT, is_active=True
    ).exclude(email="").values_list("email", flat=True)
    return _clean([*users, settings.SEKRETARIAT_EMAIL])


def _clean(addresses: Iterable[str]) -> list[str]:
    return sorted({a.strip() for a in addresses if a and a.strip()})


def notify(
    *, kind: str, to: Iterable[str], subject: str, body: str, url: str = "", key: str = "",
    driftsherre: Driftsherre | None = None,
) -> list[Notification]:
    """Record one message per recipient and send them after commit; returns the new rows.

    With a `key`, a recipient who already has a message with that key gets no new one.
    `kind` is one of `Notification.Kind`, so every message has a Danish name in the admin.
    """
    if kind not in Notification.Kind.values:
        raise ValueError(f"Ukendt beskedtype {kind!r}: tilføj den til Notification.Kind.")
    text = body.rstrip() + (f"\n\n{url}" if url and url not in body else "") + SIGNATURE
    created = []
    for address in _clean(to):
        fields = {"kind": kind, "subject": subject[:300], "body": text, "url": url[:500],
                  "driftsherre": driftsherre}
        if key:
            if Notification.objects.filter(key=key, to=address).exists():
                continue
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(key=key[:200], to=address,
                                                               **fields)
            except IntegrityError:  # a concurrent run recorded it first
                continue
        else:
            notification = Notification.objects.create(to=address, **fields)
        created.append(notification)
        _enqueue_on_commit(notification.pk)
    return created


def _enqueue_on_commit(notification_id: int) -> None:
    """Send after commit; with the broker down the row stays pending (sent later)."""

    def send_notification():
        global _broker_down_until
        from .tasks import send_notification_task

        if time.monotonic() < _broker_down_until:
            return
        try:
            send_notification_task.delay(notification_id)
        except Exception:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.warning("Besked %s venter: køen svarer ikke.", notification_id)

    transaction.on_commit(send_notification, robust=True)


def notifications_send_pending(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue messages left pending (the broker was down when they were recorded)."""
    cutoff = timezone.now() - older_than
    ids = list(Notification.objects.filter(
        status=Notification.Status.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True))
    for notification_id in ids:
        _enqueue_on_commit(notification_id)
    return len(ids)


def notification_send(*, notification_id: int) -> Notification | None:
    """Send one pending message and record the outcome (sent, or failed with the error)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().filter(pk=notification_id).first()
        )
        if notification is None or notification.status != Notification.Status.PENDING:
            return notification  # gone, or sent already (a re-delivered task)
        notification.attempts += 1
        message = EmailMessage(
            subject=notification.subject, body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL, to=[notification.to],
        )
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # SMTP errors, refused recipients, timeouts …
            notification.status = Notification.Status.FAILED
            notification.error = f"{exc.__class__.__name__}: {exc}"[:2000]
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at, notification.error = timezone.now(), ""
        notification.save(update_fields=["status", "attempts", "error", "sent_at"])
    return notification


def notification_retry(*, notification: Notification) -> Notification:
    """Send a failed (or stuck pending) message again; a sent one is left alone."""
    if notification.status == Notification.Status.SENT:
        return notification
    notification.status, notification.error = Notification.Status.PENDING, ""
    notification.save(update_fields=["status", "error"])
    _enqueue_on_commit(notification.pk)
    return notification


def notify_job_failed(job) -> list[Notification]:
    """Tell the secretariat that a background job failed, with its error and a link."""
    path = reverse("admin:socialaftale_job_change", args=[job.pk])
    return notify(
        kind="job_failed", to=sekretariat_recipients(),
        subject=f"Et baggrundsjob fejlede: {job.kind} #{job.pk}",
        body=(
            f"Baggrundsjobbet {job.kind} #{job.pk} fejlede efter {job.attempts} forsøg.\n\n"
            f"Fejl: {job.error or 'ukendt'}\n\nSe jobbet og send det igen i administrationen:"
        ),
        url=absolute_url(path), key=f"job_failed:{job.pk}:{job.attempts}",
    )
