"""Benchmark of the agreement PDF (a script, not a test).

    python benchmarks/bench_agreement.py

Builds a throw-away SQLite database with the three agreement periods, then, in a separate
process like a Celery worker, renders the 2025-2026 agreement PDF a few times and runs it
once through the job runner. Prints the render time (best and median), the peak Python
memory during one render (tracemalloc) and the process's peak resident memory (getrusage).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RUNS = 5


def child() -> None:
    import io
    import resource
    import statistics
    import time
    import tracemalloc

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.contrib.contenttypes.models import ContentType
    from pypdf import PdfReader

    from socialaftale.jobs import job_run
    from socialaftale.models import AftalePeriode, Job
    from socialaftale.pdf import pdf_text
    from socialaftale.services import (
        AGREEMENT_PDF_JOB,
        agreement_content_hash,
        agreement_pdf_render,
    )

    period = AftalePeriode.objects.get(start_year=2025)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    agreement_pdf_render(period=period)  # warm-up: fonts, templates, imports
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = agreement_pdf_render(period=period)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    agreement_pdf_render(period=period)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    job = Job.objects.create(
        kind=AGREEMENT_PDF_JOB, subject_type=ContentType.objects.get_for_model(period),
        subject_id=period.pk, input_hash=agreement_content_hash(period=period),
    )
    start = time.perf_counter()
    job = job_run(job.pk)
    job_seconds = time.perf_counter() - start
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert "Mogens Christen Gade" in pdf_text(pdf)

    print(f"Agreement PDF 2025-2026: {len(pdf) / 1024:.0f} KiB, {pages} pages")
    print(f"  render time:  best {min(times):.2f} s, median {statistics.median(times):.2f} s "
          f"({RUNS} runs after a warm-up)")
    print(f"  job runner:   {job_seconds:.2f} s claim → render → store ({job.status})")
    print(f"  peak Python memory during one render (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"  peak resident memory of the worker process: {rss_peak / 1024:.0f} MiB "
          f"(after Django setup: {rss_before / 1024:.0f} MiB)")


def main() -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        skip = {"DATABASE_URL", "CELERY_BROKER_URL"}
        env = {k: v for k, v in os.environ.items() if k not in skip}
        env.update(DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", MEDIA_ROOT=f"{tmp}/media")
        for args in (["migrate", "--noinput", "-v0"],
                     ["loaddata", "fixtures/socialaftale.json",
                      "fixtures/socialaftale_aftaler.json", "-v0"]):
            subprocess.run([python, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)
        subprocess.run([python, __file__, "--child"], cwd=BASE_DIR, env=env, check=True)


if __name__ == "__main__":
    child() if "--child" in sys.argv else main()
