"""The background-job machinery every app reuses: status rows, claiming, retry, re-queue."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from socialaftale.jobs import (
    JobError,
    handler,
    job_request,
    job_run,
    jobs_heal,
    jobs_requeue_stale,
)
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
    assert stuck_running.interruptions == 1
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


# ------------------------------------------------------------------ self-healing


def _running(*, heartbeat_age: int, hash_="run", **fields) -> Job:
    now = timezone.now()
    return Job.objects.create(
        kind="socialaftale.selvtest", input_hash=hash_, status=Job.Status.RUNNING, attempts=1,
        started_at=now - timedelta(seconds=heartbeat_age + 5),
        heartbeat_at=now - timedelta(seconds=heartbeat_age), sent_at=now, **fields,
    )


def test_a_redelivered_message_leaves_a_job_with_a_live_lease_alone(db, settings):
    job = _running(heartbeat_age=settings.JOB_LEASE_SECONDS - 5)
    assert job_run(job.pk) is None  # its worker is alive: two workers never run it
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.attempts == 1


def test_a_redelivered_message_takes_over_a_job_whose_lease_expired(db, settings):
    job = _running(heartbeat_age=settings.JOB_LEASE_SECONDS + 1)
    job = job_run(job.pk, heartbeat=False)
    assert job.status == Job.Status.DONE and job.attempts == 2 and job.interruptions == 1
    assert job_run(job.pk) is None  # and only once


def test_the_sweep_reruns_a_dead_worker_s_job_exactly_at_the_lease_limit(
    db, settings, django_capture_on_commit_callbacks
):
    now = timezone.now()
    lease = timedelta(seconds=settings.JOB_LEASE_SECONDS)
    at_limit = _running(heartbeat_age=0, hash_="at")
    past_limit = _running(heartbeat_age=0, hash_="past")
    Job.objects.filter(pk=at_limit.pk).update(heartbeat_at=now - lease)
    Job.objects.filter(pk=past_limit.pk).update(heartbeat_at=now - lease - timedelta(seconds=1))
    assert jobs_heal(now=now) == [past_limit.pk]
    past_limit.refresh_from_db()
    assert past_limit.status == Job.Status.DONE and past_limit.attempts == 2
    at_limit.refresh_from_db()
    assert at_limit.status == Job.Status.RUNNING and at_limit.attempts == 1


def test_a_job_that_keeps_killing_its_worker_fails_with_a_danish_message(db, settings):
    job = _running(heartbeat_age=settings.JOB_LEASE_SECONDS + 1,
                   interruptions=settings.JOB_MAX_INTERRUPTIONS)
    assert jobs_heal() == []
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith(f"Behandlingen blev afbrudt {settings.JOB_MAX_INTERRUPTIONS + 1} "
                                "gange")
    # One interruption fewer is run again.
    again = _running(heartbeat_age=settings.JOB_LEASE_SECONDS + 1, hash_="again",
                     interruptions=settings.JOB_MAX_INTERRUPTIONS - 1)
    assert jobs_heal() == [again.pk]
    again.refresh_from_db()
    assert again.status == Job.Status.DONE


def test_a_new_request_resets_the_interruptions(db, settings, django_capture_on_commit_callbacks):
    job = _running(heartbeat_age=settings.JOB_LEASE_SECONDS + 1,
                   interruptions=settings.JOB_MAX_INTERRUPTIONS)
    jobs_heal()
    with django_capture_on_commit_callbacks(execute=True):
        job_request(kind=job.kind, input_hash=job.input_hash)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.interruptions == 0


def test_the_sweep_sends_a_never_sent_job_after_30_seconds_not_before(db, settings):
    now = timezone.now()
    retry = timedelta(seconds=settings.JOB_QUEUE_RETRY_SECONDS)
    assert settings.JOB_QUEUE_RETRY_SECONDS <= 30 and settings.JOB_SWEEP_SECONDS <= 30
    at_limit = Job.objects.create(kind="socialaftale.selvtest", input_hash="a",
                                  queued_at=now - retry)
    past = Job.objects.create(kind="socialaftale.selvtest", input_hash="b",
                              queued_at=now - retry - timedelta(seconds=1))
    sent = Job.objects.create(kind="socialaftale.selvtest", input_hash="c",
                              queued_at=now - retry - timedelta(seconds=1), sent_at=now - retry)
    assert at_limit.waits_for_queue and past.waits_for_queue and not sent.waits_for_queue
    assert jobs_heal(now=now) == [past.pk]
    past.refresh_from_db()
    assert past.status == Job.Status.DONE and past.sent_at is not None
    for job in (at_limit, sent):
        job.refresh_from_db()
        assert job.status == Job.Status.QUEUED


def test_a_sent_job_no_worker_took_is_sent_again_after_the_stale_limit(db, settings):
    now = timezone.now()
    stale = timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    at_limit = Job.objects.create(kind="socialaftale.selvtest", input_hash="a",
                                  queued_at=now - stale, sent_at=now - stale)
    past = Job.objects.create(kind="socialaftale.selvtest", input_hash="b",
                              queued_at=now - stale, sent_at=now - stale - timedelta(seconds=1))
    assert jobs_heal(now=now) == [past.pk]
    at_limit.refresh_from_db()
    assert at_limit.status == Job.Status.QUEUED


def test_the_sweep_is_scheduled_every_30_seconds_or_less():
    from socialaftale.celery import app

    entry = app.conf.beat_schedule["requeue-stale-jobs"]
    assert entry["task"] == "socialaftale.tasks.requeue_stale_jobs_task"
    assert entry["schedule"] <= 30


def test_a_requested_job_records_that_it_was_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="socialaftale.selvtest", input_hash="sent")
    job.refresh_from_db()
    assert job.sent_at is not None and not job.waits_for_queue


def test_the_status_says_when_the_queue_is_unavailable(client, db):
    job = Job.objects.create(kind="socialaftale.selvtest", input_hash="w", is_public=True,
                             queued_at=timezone.now())
    data = client.get(f"/jobs/{job.pk}/status/").json()
    assert data["waits_for_queue"] is True
    assert data["queue_note"].startswith("Køen er ikke tilgængelig lige nu")
    Job.objects.filter(pk=job.pk).update(sent_at=timezone.now())
    assert client.get(f"/jobs/{job.pk}/status/").json()["waits_for_queue"] is False
