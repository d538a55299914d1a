"""Whole rendered public pages cached per process, invalidated by a generation counter.

A view decorated with `@cached_public_page("tilbud")` is rendered once per distinct URL, data
generation and day; anonymous visitors without a session then get the stored HTML (one small
query for the generation, no rendering). Logged-in users, POSTs, non-200 answers and
answers that set cookies always go to the view. The per-request security headers (CSP,
X-Frame-Options, ...) are added by the middleware to every answer, cached or not.

`bump_generation(name)` is called by signal handlers (e.g. tilbud/cache.py) whenever the data
behind a group changes. Code that writes with `QuerySet.update()` or `bulk_create()` sends no
signals and must call it itself.
"""

import functools
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from .models import CacheGeneration

PAGE_TIMEOUT = 600  # seconds; a safety net, changes invalidate at once


def current_generation(name: str) -> int:
    """One small query; 0 until the first change creates the row."""
    value = CacheGeneration.objects.filter(name=name).values_list("value", flat=True).first()
    return 0 if value is None else value


def bump_generation(name: str) -> None:
    """Invalidate every cached page of group `name` (inside the caller's transaction)."""
    if not CacheGeneration.objects.filter(name=name).update(value=F("value") + 1):
        _create(name)


def _create(name: str) -> None:
    # A random start, so a new or restored database does not meet its old cache keys.
    try:
        with transaction.atomic():
            CacheGeneration.objects.create(name=name, value=secrets.randbits(52))
    except IntegrityError:  # created meanwhile by another request: bump that one
        CacheGeneration.objects.filter(name=name).update(value=F("value") + 1)


def _cacheable_request(request) -> bool:
    return request.method == "GET" and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    )


def cached_public_page(group: str, *, timeout: int = PAGE_TIMEOUT):
    """Serve the view's HTML from the cache for anonymous GETs; see the module docstring."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            # The date too: pages mark reports older than N days, and "N days" moves at midnight.
            today = timezone.localdate().isoformat()
            key = f"page:{group}:{current_generation(group)}:{today}:{path}"
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                patch_vary_headers(response, ["Cookie"])  # as the rendered page would say
                return response
            response = view(request, *args, **kwargs)
            if (response.status_code == 200 and not response.streaming and not response.cookies
                    # a page with a CSRF token belongs to one visitor's cookie
                    and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
                cache.set(key, (response.content, response["Content-Type"]), timeout)
            return response

        return wrapper

    return decorator
