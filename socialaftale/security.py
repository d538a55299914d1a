"""Small security hooks the settings point at (django-axes)."""

from django.conf import settings


def client_ip(request) -> str:
    """The address login throttling counts against.

    Behind nginx every request comes from 127.0.0.1, so there the proxy's X-Real-IP is used
    — but only with TRUST_X_REAL_IP on, or any client could pick its own address.
    """
    if settings.TRUST_X_REAL_IP and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"].strip()
    return request.META.get("REMOTE_ADDR", "")
