"""The takstbilag PDF and xlsx are rendered by a real Celery worker (integration)."""

import io

import pytest

from socialaftale.models import Driftsherre, Job
from socialaftale.pdf import pdf_text
from takster import demo
from takster.models import Takstbilag


@pytest.mark.integration
def test_a_real_worker_renders_the_published_takstbilag_pdf(
    celery_worker_process, seed_meetings, make_user, wait_for_job
):
    make_user("sekretariat", username="sekretariat")
    make_user("driftsherre", Driftsherre.objects.get(slug="aalborg"), username="aalborg")
    demo.load_2026(stdout=io.StringIO(), render=False)  # the worker renders
    takstbilag = Takstbilag.objects.get(version=2)
    job = takstbilag.pdf_job
    job = wait_for_job(job, timeout=60)
    assert job.status == Job.Status.DONE, job.error
    text = pdf_text(job.output.read())
    assert "Syrenhuset" in text and "Version 2 – revideret Aalborg SEL § 104" in text
    assert job.input_hash == takstbilag.input_hash and len(job.input_hash) == 64
