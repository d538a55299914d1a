"""/healthz for the proxy and monitoring: database, broker and a live Celery worker.

The worker check uses Celery's control ping (a broadcast over the broker that every worker
answers) rather than a heartbeat row: it needs no table, no beat and no writes, and it
proves the whole path web → broker → worker works. A ping waits up to a second, so one is
sent at most every WORKER_PING_INTERVAL seconds per web process; the time of the last
answer is kept in the cache and a worker counts as alive when it answered in the last
minute.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

WORKER_SEEN_WITHIN = 60  # seconds
WORKER_PING_INTERVAL = 15  # seconds between pings from one process
_CACHE_SEEN = "healthz:worker-seen-at"
_CACHE_PINGED = "healthz:worker-pinged-at"


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"
        return False, f"fejl: {type(exc).__name__}"
    return True, "ok"


def broker_ok() -> tuple[bool, str]:
    if not settings.CELERY_BROKER_URL:
        return True, "ingen (opgaver køres i webprocessen)"
    from .celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return False, f"fejl: {type(exc).__name__}"
    return True, "ok"


def worker_ok(*, now: float | None = None) -> tuple[bool, str]:
    if not settings.CELERY_BROKER_URL:
        return True, "ingen (opgaver køres i webprocessen)"
    from .celery import app

    now = time.time() if now is None else now
    seen = cache.get(_CACHE_SEEN)
    if seen is None or now - cache.get(_CACHE_PINGED, 0) >= WORKER_PING_INTERVAL:
        cache.set(_CACHE_PINGED, now, WORKER_SEEN_WITHIN * 2)
        try:
            with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
                replies = app.control.ping(timeout=1.0, connection=conn)
        except Exception:  # broker down: no worker can be seen either
            replies = []
        if replies:
            seen = now
            cache.set(_CACHE_SEEN, seen, WORKER_SEEN_WITHIN * 2)
    if seen is not None and now - seen <= WORKER_SEEN_WITHIN:
        return True, f"ok (svarede for {now - seen:.0f} s siden)"
    return False, f"ingen worker har svaret inden for {WORKER_SEEN_WITHIN} s"


@never_cache
def healthz(request):
    """200 when database, broker and a worker are fine, 503 otherwise; details as JSON."""
    checks = {"database": database_ok(), "broker": broker_ok()}
    checks["worker"] = worker_ok() if checks["broker"][0] else (False, "broker nede")
    healthy = all(ok for ok, _ in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fejl", **{k: text for k, (_, text) in checks.items()}},
        status=200 if healthy else 503,
    )
