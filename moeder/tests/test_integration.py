"""A real Celery worker renders the minutes PDF (PostgreSQL + Redis only)."""


import pytest

from moeder.documents import KINDS, document_request
from socialaftale.models import Job
from socialaftale.pdf import pdf_text

pytestmark = pytest.mark.integration


def test_a_real_worker_renders_the_minutes_pdf(
    celery_worker_process, seed_meetings, make_user, wait_for_job
):
    job = document_request(meeting=seed_meetings["feb"], kind=KINDS["referat"],
                           user=make_user("das"))
    job = wait_for_job(job, timeout=90)
    assert job.status == Job.Status.DONE, job.error
    assert job.output.name.endswith("referat-das-social-2026-02-23.pdf")
    text = " ".join(pdf_text(job.output.read()).split())
    assert "Referat: DAS Social 23. februar 2026" in text
    assert "Punkt 17. Næste møde" in text
