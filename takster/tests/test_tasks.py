"""The validation job: wiring, retries after a lost worker, a down broker, a real worker."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from socialaftale.jobs import job_run, jobs_requeue_stale
from socialaftale.models import Job
from takster.models import Upload
from takster.validation.samples import build_seed_like_workbook

from .conftest import xlsx_file

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_killed_worker_leads_to_a_retry_not_duplicates(stored_upload,
                                                         django_capture_on_commit_callbacks):
    upload = stored_upload()
    counts = (upload.lines.count(), upload.findings.count())
    # The worker died mid-task: the row says running, its lease is still fresh.
    Job.objects.filter(pk=upload.job_id).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    assert job_run(upload.job_id) is None  # a re-delivered message does not run it twice
    assert jobs_requeue_stale() == []
    # Nobody renews the lease: the sweep runs it again, once.
    Job.objects.filter(pk=upload.job_id).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stale() == [upload.job_id]
    upload.job.refresh_from_db()
    assert upload.job.status == Job.Status.DONE and upload.job.attempts == 2
    assert (upload.lines.count(), upload.findings.count()) == counts


@pytest.mark.django_db
def test_the_same_file_and_ruleset_reuse_the_finished_job(stored_upload):
    from takster.services import upload_enqueue

    upload = stored_upload()
    job_id = upload.job_id
    upload_enqueue(upload=upload)
    upload.refresh_from_db()
    assert upload.job_id == job_id and Job.objects.count() == 1


def test_a_down_broker_keeps_the_file_and_the_upload_waits_until_requeued(tmp_path):
    """Real processes: the broker is a closed port, then `requeue_jobs` validates it."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEDIA_ROOT=str(tmp_path))
    sample = tmp_path / "seed.xlsx"
    sample.write_bytes(build_seed_like_workbook())

    def manage(*args, **extra):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**env, **extra},
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    started = time.monotonic()
    out = manage(
        "shell", "-c",
        "import datetime; from pathlib import Path; "
        "from django.core.management import call_command; "
        "call_command('loaddata', 'fixtures/socialaftale.json', verbosity=0); "
        "from socialaftale.models import Driftsherre, Styringsparametre; "
        "from takster.services import round_open, upload_store; "
        "r = round_open(parameters=Styringsparametre.objects.get(budget_year=2027), "
        "deadline=datetime.date(2026, 8, 15)); "
        "u = upload_store(rate_round=r, driftsherre=Driftsherre.objects.get(slug='mariagerfjord'), "
        f"content=Path('{sample}').read_bytes(), original_name='seed.xlsx'); "
        "u.refresh_from_db(); "
        "print('STATUS', u.get_status_display(), u.file.size, u.sha256[:8])",
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
    )
    assert time.monotonic() - started < 60  # the upload did not hang on the dead broker
    assert "STATUS Venter" in out and str(sample.stat().st_size) in out
    out = manage(
        "shell", "-c",
        "from django.core.management import call_command; "
        "call_command('requeue_jobs', '--older-than', '0'); "
        "from takster.models import Upload; u = Upload.objects.get(); "
        "print('STATUS', u.get_status_display(), u.errors_count)",
    )
    assert "1 job sendt igen." in out and "STATUS Valideret 8" in out


@pytest.mark.integration
def test_upload_through_the_form_is_validated_by_a_real_worker(
    celery_worker_process, client, rate_round, mariagerfjord, mf_user
):
    client.force_login(mf_user)
    response = client.post(
        reverse("takster:upload_create", args=[rate_round.pk, mariagerfjord.pk]),
        {"file": xlsx_file(build_seed_like_workbook())},
    )
    assert response.status_code == 302
    upload = Upload.objects.get()
    status_url = reverse("jobs:status", args=[upload.job_id])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        data = client.get(status_url).json()
        if data["finished"]:
            break
        time.sleep(0.2)
    assert data["status"] == "done" and data["done_url"] == response.url, data
    html = client.get(response.url).content.decode()
    assert "RISE_NEEDS_REMARK" in html and "Takstskema!M9" in html
