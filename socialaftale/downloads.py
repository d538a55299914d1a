"""Sending a stored file (an upload, an attachment, a rendered document) to the user.

Every download view checks permissions first and then calls `send_stored_file`. Django never
serves MEDIA_ROOT by URL; in production (`MEDIA_ACCEL_REDIRECT_PREFIX` set) the response is
empty with an `X-Accel-Redirect` header, and nginx streams the file from an `internal`
location (see deploy/nginx.conf), so a large file does not hold a gunicorn worker.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.forms import ClearableFileInput
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


def send_stored_file(
    file: FieldFile, *, filename: str, content_type: str | None = None,
    as_attachment: bool = False,
) -> HttpResponse:
    """The response for a file in default storage, already permission-checked by the caller.

    The arguments mean what they mean for Django's FileResponse (inline unless
    `as_attachment`); the content type is guessed from `filename` when not given.
    """
    if not file:
        raise Http404("Filen findes ikke.")
    content_type = content_type or (
        mimetypes.guess_type(filename)[0] or "application/octet-stream")
    prefix = settings.MEDIA_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        # The bytes come from nginx; never cache a permission-checked file in a shared cache.
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("Filen findes ikke.") from None
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


class _LinkedFile:
    """A stored file as ClearableFileInput shows it, linked to a checked view."""

    def __init__(self, file: FieldFile, url: str):
        self.file, self.url = file, url

    def __str__(self) -> str:
        return str(self.file)


class CheckedFileInput(ClearableFileInput):
    """A file input whose "current file" link goes to a permission-checked download view
    (set `download_url`), not to MEDIA_URL, which has no route."""

    download_url: str | None = None

    def format_value(self, value):
        value = super().format_value(value)
        if value is None or not self.is_initial(value):
            return value
        return _LinkedFile(value, self.download_url) if self.download_url else str(value)

    def is_initial(self, value):
        return isinstance(value, _LinkedFile) or super().is_initial(value)
