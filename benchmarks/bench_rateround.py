"""Upload-to-report latency with a real Celery worker (a script, not a test).

    DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... python benchmarks/bench_rateround.py

Stores a generated 30-block rate sheet as a new upload (as the upload form does), lets a
real worker validate it, and measures the time until the report is stored. Goal: < 2 s
median. Also prints the bare in-process validation time of the same file, so the queue's
share is visible. Uses the database in DATABASE_URL (migrated; adds the 2027 round and
reference data if missing). Skips with a message without DATABASE_URL/CELERY_BROKER_URL.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 7
BLOCKS = 30


def main() -> int:
    if not os.environ.get("DATABASE_URL") or not os.environ.get("CELERY_BROKER_URL"):
        print("Springer over: sæt DATABASE_URL og CELERY_BROKER_URL (PostgreSQL + Redis).")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
    import django

    django.setup()
    import datetime

    import openpyxl
    from django.core.management import call_command

    from socialaftale.celery import app
    from socialaftale.models import Driftsherre, Styringsparametre
    from takster.models import RateRound
    from takster.services import params_for, upload_store
    from takster.validation import validate_workbook
    from takster.validation.samples import build_large_workbook

    call_command("migrate", verbosity=0)
    if not Styringsparametre.objects.filter(budget_year=2027).exists():
        call_command("loaddata", str(ROOT / "fixtures" / "socialaftale.json"), verbosity=0)
    parameters = Styringsparametre.objects.get(budget_year=2027)
    rate_round, _ = RateRound.objects.get_or_create(
        parameters=parameters, defaults={"deadline": datetime.date(2026, 8, 15)}
    )
    rate_round.status = RateRound.Status.OPEN
    rate_round.save()
    driftsherre = Driftsherre.objects.get(slug="mariagerfjord")
    base = build_large_workbook(BLOCKS)

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "socialaftale", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                print("Workeren startede ikke.")
                return 1
        latencies = []
        for run in range(RUNS):
            wb = openpyxl.load_workbook(io.BytesIO(base))
            wb.worksheets[0]["A1"] = f"bench {run} {time.time()}"  # a new file each time
            out = io.BytesIO()
            wb.save(out)
            content = out.getvalue()
            start = time.perf_counter()
            upload = upload_store(
                rate_round=rate_round, driftsherre=driftsherre, content=content,
                original_name="bench.xlsx",
            )
            while True:
                upload.refresh_from_db()
                upload.job.refresh_from_db()
                if upload.is_finished:
                    break
                if time.perf_counter() - start > 60:
                    print("Valideringen blev ikke færdig inden for 60 s.")
                    return 1
                time.sleep(0.01)
            latencies.append(time.perf_counter() - start)
        params = params_for(rate_round=rate_round, driftsherre=driftsherre)
        start = time.perf_counter()
        validate_workbook(content, params)
        bare = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    median = statistics.median(latencies)
    print(f"{BLOCKS}-blok takstskema, {len(content) / 1024:.0f} KB, {RUNS} uploads")
    print(f"upload til rapport (rigtig worker): median {median:.2f} s, "
          f"min {min(latencies):.2f} s, max {max(latencies):.2f} s (mål: < 2 s)")
    print(f"validering alene i processen: {bare:.2f} s; kø, lagring og fund: "
          f"{median - bare:.2f} s ({median / bare:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
