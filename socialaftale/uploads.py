"""Uploaded file names: keep the browser's full name, refuse a too long one, shorten safely.

Django truncates an uploaded file's name to 255 characters and refuses a multipart part whose
headers exceed 1 KiB with a bare "400 Bad Request" — so a long file name either lost its
suffix or broke the upload. Here the part header limit is raised (still bounded), the
handlers remember the full name as `file.client_name`, and forms call `filename_error()`.
"""

from pathlib import PurePath

from django.core.files.uploadhandler import (
    MemoryFileUploadHandler as DjangoMemoryFileUploadHandler,
)
from django.core.files.uploadhandler import (
    TemporaryFileUploadHandler as DjangoTemporaryFileUploadHandler,
)
from django.http import multipartparser

MAX_FILENAME_CHARS = 255
# Room for a 255-character name in 4-byte UTF-8 plus the rest of the part header; a longer
# header gets the Danish form error, as long as it fits here (a hostile 1 MB header does not).
multipartparser.MAX_TOTAL_HEADER_SIZE = max(multipartparser.MAX_TOTAL_HEADER_SIZE, 64 * 1024)


class _KeepsClientName:
    def new_file(self, field_name, file_name, *args, **kwargs):
        self.client_name = file_name
        return super().new_file(field_name, file_name, *args, **kwargs)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        if uploaded is not None:
            uploaded.client_name = self.client_name
        return uploaded


class MemoryFileUploadHandler(_KeepsClientName, DjangoMemoryFileUploadHandler):
    pass


class TemporaryFileUploadHandler(_KeepsClientName, DjangoTemporaryFileUploadHandler):
    pass


def client_name(uploaded) -> str:
    """The file name as the browser sent it (Django's `name` is cut at 255 characters)."""
    return getattr(uploaded, "client_name", None) or uploaded.name or ""


def filename_error(uploaded) -> str | None:
    """A Danish message when the uploaded file's name is too long to keep, else None."""
    length = len(PurePath(client_name(uploaded)).name)
    if length <= MAX_FILENAME_CHARS:
        return None
    return (
        f"Filnavnet er for langt ({length:,} tegn; højst {MAX_FILENAME_CHARS}). "
        "Giv filen et kortere navn, og upload den igen.".replace(",", ".")
    )


def shorten_filename(name: str, *, max_chars: int) -> str:
    """`name` without folders, cut to `max_chars` characters; the suffix (.xlsx) is kept."""
    pure = PurePath(name).name
    if len(pure) <= max_chars:
        return pure
    suffix = PurePath(pure).suffix
    if len(suffix) >= max_chars // 2:  # no real suffix, just a long tail after a dot
        return pure[:max_chars]
    return pure[: max_chars - len(suffix)] + suffix
