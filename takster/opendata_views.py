"""Open data at /data/: the documentation page, the takstbilag as JSON/CSV, the catalog.

Public and read-only. Every data response carries an ETag (a hash of its bytes) and a
Last-Modified (the publication time), through Django's `condition` decorator, so a
harvester asking again with If-None-Match / If-Modified-Since gets 304 Not Modified.
The body is built once per request and shared by the two header functions and the view.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import condition

from . import opendata

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
}


@dataclass(frozen=True)
class Payload:
    content: bytes
    content_type: str
    filename: str
    last_modified: datetime | None

    @property
    def etag(self) -> str:
        return opendata.etag_for(self.content)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _once(request, key: tuple, build) -> Payload:
    cache = request.__dict__.setdefault("_opendata_payloads", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


def _takster_payload(request, year: int, fmt: str, version: int | None = None) -> Payload:
    def build() -> Payload:
        takstbilag = opendata.takstbilag_published(year=year, version=version)
        dataset = opendata.dataset_build(takstbilag, base_url=_base_url(request))
        content = (
            opendata.dataset_json(
                dataset, documentation_url=request.build_absolute_uri(reverse("data:index")))
            if fmt == "json" else opendata.dataset_csv(dataset)
        )
        name = f"takster-{year}" + (f"-v{version}" if version else "") + f".{fmt}"
        return Payload(content, CONTENT_TYPES[fmt], name, dataset.modified)

    return _once(request, ("takster", year, fmt, version), build)


def _catalog_payload(request) -> Payload:
    def build() -> Payload:
        catalog, modified = opendata.catalog_build(base_url=_base_url(request))
        content = json.dumps(catalog, ensure_ascii=False, indent=1).encode("utf-8")
        return Payload(content, CONTENT_TYPES["jsonld"], "katalog.jsonld", modified)

    return _once(request, ("catalog",), build)


def _respond(payload: Payload) -> HttpResponse:
    response = HttpResponse(payload.content, content_type=payload.content_type)
    response["Content-Disposition"] = f'inline; filename="{payload.filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # public data, readable from any site
    return response


@condition(
    etag_func=lambda request, year, fmt, version=None: _takster_payload(
        request, year, fmt, version).etag,
    last_modified_func=lambda request, year, fmt, version=None: _takster_payload(
        request, year, fmt, version).last_modified,
)
def takster_data(request, year: int, fmt: str, version: int | None = None):
    """/data/takster/<år>.json|csv (version in force) and /data/takster/<år>/v<n>.json|csv."""
    return _respond(_takster_payload(request, year, fmt, version))


@condition(
    etag_func=lambda request: _catalog_payload(request).etag,
    last_modified_func=lambda request: _catalog_payload(request).last_modified,
)
def catalog(request):
    return _respond(_catalog_payload(request))


def index(request):
    """The documentation: datasets, every field, numbers, versions and the licence."""
    years = opendata.published_years()
    return render(request, "takster/data_index.html", {
        "fields": opendata.FIELDS,
        "years": [(year, opendata.published_versions(year)) for year in reversed(years)],
        "license": opendata.license_info(),
        "publisher": settings.OPEN_DATA_PUBLISHER,
    })
