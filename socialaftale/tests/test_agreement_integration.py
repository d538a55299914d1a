"""A real Celery worker renders the agreement PDF (runs with PostgreSQL and Redis)."""

import time

import pytest

from socialaftale.models import Job
from socialaftale.pdf import pdf_text
from socialaftale.services import agreement_pdf_request

from .agreement_fixtures import agreements_fixture  # noqa: F401


@pytest.mark.integration
def test_a_real_worker_renders_the_agreement_pdf(celery_worker_process, agreements):
    job = agreement_pdf_request(period=agreements["2025-2026"])
    seen = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.add(job.status)
        if job.is_finished:
            break
        time.sleep(0.05)
    assert job.status == Job.Status.DONE, job.error
    assert seen & {Job.Status.QUEUED, Job.Status.RUNNING}  # we saw it before it was done
    text = pdf_text(job.output.read())
    assert "Fokusområde 3: Fremtidssikring af indsatsen" in text
    assert "Mogens Christen Gade" in text
    assert agreement_pdf_request(period=agreements["2025-2026"]).pk == job.pk
