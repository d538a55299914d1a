"""The quarterly status report: one job per content, a PDF with the right numbers."""

import re
from datetime import date

import pytest

from bifrost import services
from bifrost.models import Referral, StatusReport
from socialaftale.jobs import job_run
from socialaftale.models import Job
from socialaftale.pdf import pdf_text


def render_report(year: int, quarter: int, today: date) -> tuple[Job, str]:
    report = services.status_report_for(year=year, quarter=quarter)
    job = services.status_report_request(report=report, today=today)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return job, pdf_text(job.output.read())


def test_report_pdf_contains_the_plan_the_indicators_and_the_numbers(bifrost_data):
    _, text = render_report(2026, 4, date(2026, 11, 27))
    flat = re.sub(r"\s+", " ", text)
    assert "Statusrapport 4. kvartal 2026" in flat
    assert "Bagud i forhold til planen med 1" in flat
    assert "4 indskrevet mod 5 planlagt" in flat
    assert "4 af 10 pladser (40 %)" in flat
    assert "75 % i primær målgruppe" in flat and "70 % i primær målgruppe" in flat
    assert "Indikatortabel (bilag 3)" in flat and "1. november 2027" in flat
    assert "Kommunen takker nej" in flat and "Specialsektoren afviser" in flat
    assert "har 7 af 11 kommuner svaret (1 efter fristen)" in flat
    assert "BF-2026" not in flat  # aggregates only
    assert "Side 1 af" in flat


def test_a_past_quarter_is_reported_as_of_its_last_day(bifrost_data):
    _, text = render_report(2026, 3, date(2026, 11, 27))
    flat = re.sub(r"\s+", " ", text)
    assert "pr. 30. september 2026" in flat
    assert "3 indskrevet mod 3 planlagt" in flat and "Følger planen" in flat


def test_unchanged_content_reuses_the_report_and_a_change_makes_a_new_one(bifrost_data):
    report = services.status_report_for(year=2026, quarter=4)
    today = date(2026, 11, 27)
    first = services.status_report_request(report=report, today=today)
    assert services.status_report_request(report=report, today=today).pk == first.pk
    Referral.objects.filter(code="BF-2026-007").update(
        outcome="accepteret", outcome_on=date(2026, 11, 10), exclusion_checked=True,
        admitted_on=date(2026, 11, 20))
    second = services.status_report_request(report=report, today=today)
    assert second.pk != first.pk and second.status == Job.Status.QUEUED
    assert StatusReport.objects.get().as_of == today


@pytest.mark.integration
def test_a_real_worker_renders_the_status_report(
    bifrost_data, celery_worker_process, wait_for_job
):
    report = services.status_report_for(year=2026, quarter=4)
    job = services.status_report_request(report=report, today=date(2026, 11, 27))
    job = wait_for_job(job, timeout=60)
    assert job.status == Job.Status.DONE, job.error
    assert "Ungehjemmet Bifrost" in pdf_text(job.output.read())
