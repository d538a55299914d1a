"""The background-job machinery every app reuses: status rows, claiming, retry, re-queue."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from socialaftale.jobs import JobError, handler, job_request, job_run, jobs_requeue_stale
from socialaftale.models import Job

BASE_DIR = Path(__file__).resolve().parents[2]


@handler("test.fails_once")
def _fails_once(job, progress):
    if job.attempts == 1:
        raise JobError("Filen kunne ikke læses. Upload den igen.")
    return None


@handler("test.crashes")
def _crashes(job, progress):
    raise KeyError("boom")


def test_a_requested_job_runs_and_stores_its_output(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="socialaftale.selvtest", input_hash="abc")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.progress == 100 and job.attempts == 1
    assert job.output.read() == b"ok abc\n"
    assert job.started_at <= job.finished_at


def test_the_same_input_reuses_the_finished_job(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = job_request(kind="socialaftale.selvtest", input_hash="same")
        second = job_request(kind="socialaftale.selvtest", input_hash="same")
    assert first.pk == second.pk
    second.refresh_from_db()
    assert second.attempts == 1
    assert Job.objects.count() == 1


def test_a_failed_job_keeps_its_danish_error_and_can_be_retried(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="test.fails_once", input_hash="x")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Filen kunne ikke læses. Upload den igen."
    with django_capture_on_commit_callbacks(execute=True):
        job_request(kind="test.fails_once", input_hash="x")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2 and job.error == ""


def test_an_unexpected_crash_is_recorded_not_raised(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="test.crashes", input_hash="x")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Uventet fejl" in job.error and "KeyError" in job.error


def test_a_job_is_claimed_once(db):
    job = Job.objects.create(kind="socialaftale.selvtest", input_hash="once")
    assert job_run(job.pk) is not None
    assert job_run(job.pk) is None  # a re-delivered message finds it done
    job.refresh_from_db()
    assert job.attempts == 1


def test_stale_jobs_are_sent_again(db, django_capture_on_commit_callbacks):
    old = timezone.now() - timedelta(hours=1)
    stuck_queued = Job.objects.create(kind="socialaftale.selvtest", input_hash="q", queued_at=old)
    stuck_running = Job.objects.create(
        kind="socialaftale.selvtest", input_hash="r", status=Job.Status.RUNNING, started_at=old,
        attempts=1,
    )
    fresh = Job.objects.create(
        kind="socialaftale.selvtest", input_hash="f", queued_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        ids = jobs_requeue_stale()
    assert sorted(ids) == sorted([stuck_queued.pk, stuck_running.pk])
    stuck_running.refresh_from_db()
    assert stuck_running.status == Job.Status.DONE and stuck_running.attempts == 2
    fresh.refresh_from_db()
    assert fresh.status == Job.Status.QUEUED


def test_job_status_is_visible_only_to_its_requester_and_the_secretariat(
    client, reference_data, make_user
):
    owner, other, staff = make_user("das"), make_user("das"), make_user("sekretariat")
    job = Job.objects.create(kind="socialaftale.selvtest", input_hash="s", requested_by=owner)
    url = f"/jobs/{job.pk}/status/"
    assert client.get(url).status_code == 404
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    data = client.get(url).json()
    assert data["status"] == "queued" and data["status_label"] == "I kø"
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_a_down_broker_leaves_the_job_queued_until_requeued(tmp_path):
    """Real processes: the broker is a closed port, then `requeue_jobs` runs it eagerly."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEDIA_ROOT=str(tmp_path))

    def manage(*args, **extra):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**env, **extra},
            capture_output=True, text=True, timeout=120,
        )

    assert manage("migrate", "--noinput").returncode == 0
    started = time.monotonic()
    result = manage(
        "shell", "-c",
        "from socialaftale.jobs import job_request; "
        "job = job_request(kind='socialaftale.selvtest', input_hash='down'); "
        "job.refresh_from_db(); print('STATUS', job.status)",
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
    )
    assert result.returncode == 0, result.stderr
    assert "STATUS queued" in result.stdout
    assert time.monotonic() - started < 60  # the request did not hang on the dead broker
    result = manage("requeue_jobs", "--older-than", "0")
    assert "1 job sendt igen." in result.stdout, result.stderr
    result = manage(
        "shell", "-c",
        "from socialaftale.models import Job; print('STATUS', Job.objects.get().status)",
    )
    assert "STATUS done" in result.stdout


@pytest.mark.integration
def test_a_real_worker_runs_the_job_and_writes_its_status_row(
    celery_worker_process, wait_for_job
):
    job = job_request(kind="socialaftale.selvtest", input_hash="worker")
    job = wait_for_job(job, timeout=30)
    assert job.status == Job.Status.DONE, job.error
    assert job.attempts == 1
    assert job.output.read() == b"ok worker\n"


def test_a_public_job_can_be_followed_by_anyone(client, db):
    job = Job.objects.create(kind="socialaftale.selvtest", input_hash="p", is_public=True)
    assert client.get(f"/jobs/{job.pk}/status/").json()["progress"] == 0
