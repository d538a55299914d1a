"""50 concurrent uploads through the form, validated by real workers (a script, not a test).

    DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... python benchmarks/bench_jobs.py

Fifty users' browsers post a rate sheet at the same moment (50 threads, Django's test
client, the real upload form and view); a `celery worker` (prefork, 2 processes) and
`celery beat` (the sweep every JOB_SWEEP_SECONDS) run as in production. Checks and prints:
every upload validated exactly once (one attempt, one set of findings), no job left queued
or running, and the broker's queue empty — plus the wall time and uploads per second.
Uses a fresh database made next to DATABASE_URL's (Django's test database, dropped
afterwards). Skips with a message without DATABASE_URL/CELERY_BROKER_URL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
UPLOADS = 50
BLOCKS = 20
DRAIN_TIMEOUT = 300


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
        "CELERY_BROKER_URL"
    ):
        print("Springer over: sæt DATABASE_URL (PostgreSQL) og CELERY_BROKER_URL (Redis).")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-jobs-media-")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()  # the test client's host, an in-memory mail outbox
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        return _run(connection.settings_dict)
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


def _run(db: dict) -> int:
    import datetime

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from socialaftale.celery import app
    from socialaftale.models import Driftsherre, Job, Styringsparametre
    from socialaftale.services import profile_assign
    from takster.models import Upload
    from takster.services import round_open
    from takster.validation.samples import build_large_workbook

    call_command("loaddata", str(ROOT / "fixtures" / "socialaftale.json"), verbosity=0)
    rate_round = round_open(parameters=Styringsparametre.objects.get(budget_year=2027),
                            deadline=datetime.date(2026, 8, 15))
    driftsherrer = list(Driftsherre.objects.order_by("pk"))
    users = []
    for n, driftsherre in enumerate(driftsherrer):
        user = User.objects.create_user(username=f"bench-{n}", password="x")
        profile_assign(user=user, role="driftsherre", driftsherre=driftsherre)
        users.append(user)
    # A different file for every upload (so none is deduplicated), built before the clock runs.
    files = [build_large_workbook(BLOCKS + n) for n in range(UPLOADS)]

    app.control.purge()
    env = dict(os.environ)
    env["DATABASE_URL"] = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:"
                           f"{db['PORT']}/{db['NAME']}")
    schedule = Path(tempfile.mkdtemp(prefix="bench-jobs-beat-")) / "schedule"
    common = [sys.executable, "-m", "celery", "-A", "socialaftale"]
    processes = [
        subprocess.Popen([*common, "worker", "--pool=prefork", "--concurrency=2",
                          "--loglevel=WARNING", "--without-heartbeat", "--without-mingle",
                          "--without-gossip", "-n", f"bench-jobs-{os.getpid()}@%h"],
                         cwd=ROOT, env=env, stdout=subprocess.DEVNULL),
        subprocess.Popen([*common, "beat", "--loglevel=WARNING", "--schedule", str(schedule)],
                         cwd=ROOT, env=env, stdout=subprocess.DEVNULL),
    ]
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline:
                print("Workeren startede ikke.")
                return 1

        def post(n: int) -> int:
            client = Client()
            user = users[n % len(users)]
            client.force_login(user)
            response = client.post(
                reverse("takster:upload_create", args=[rate_round.pk, user.profile.driftsherre_id]),
                {"file": SimpleUploadedFile(f"skema-{n}.xlsx", files[n])},
            )
            connection.close()  # this thread's connection
            return response.status_code

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
            statuses = list(pool.map(post, range(UPLOADS)))
        stored = time.perf_counter() - start
        if statuses != [302] * UPLOADS:
            print(f"Ikke alle uploads blev gemt: {statuses}")
            return 1
        unfinished = Job.objects.exclude(status__in=[Job.Status.DONE, Job.Status.FAILED])
        while unfinished.exists():
            if time.perf_counter() - start > DRAIN_TIMEOUT:
                print(f"{unfinished.count()} job blev ikke færdige inden for {DRAIN_TIMEOUT} s.")
                return 1
            time.sleep(0.1)
        drained = time.perf_counter() - start
        time.sleep(settings.JOB_SWEEP_SECONDS + 2)  # a sweep after the drain must find nothing
        with app.connection_for_write() as conn:
            queued_messages = conn.default_channel.client.llen("celery")
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            proc.wait(timeout=20)

    uploads = list(Upload.objects.select_related("job"))
    once = [u for u in uploads if u.job.status == Job.Status.DONE and u.job.attempts == 1
            and u.validated_at is not None]
    one_set = [u for u in uploads
               if u.findings.count() == u.errors_count + u.warnings_count + u.infos_count]
    print(f"{UPLOADS} samtidige uploads ({BLOCKS}-{BLOCKS + UPLOADS - 1} blokke) gennem "
          f"formularen, 1 worker med 2 processer + beat")
    print(f"gemt på {stored:.1f} s; alle valideret efter {drained:.1f} s "
          f"({UPLOADS / drained:.1f} uploads/s)")
    print(f"valideret præcis én gang: {len(once)}/{UPLOADS}; ét sæt fund: {len(one_set)}/"
          f"{UPLOADS}; job i kø eller kørende: {Job.objects.exclude(status='done').count()}; "
          f"beskeder tilbage i køen: {queued_messages}")
    ok = len(once) == len(one_set) == len(uploads) == UPLOADS and queued_messages == 0
    print("mål nået: alle valideret præcis én gang, køen tømt" if ok else "MÅL IKKE NÅET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
