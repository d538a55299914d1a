"""Benchmark of the takstbilag PDF (a script, not a test).

    python benchmarks/bench_takstbilag.py [--driftsherrer 12] [--offers 40] [--workers 2]

Renders a synthetic takstbilag of 12 driftsherrer × 40 offers in a fresh subprocess (as a
Celery worker would) and reports wall time, CPU time, pages and peak memory (ru_maxrss of
the child), once sequentially and once with the driftsherre parts rendered by a pool of
processes. Goal: < 15 s and < 500 MB. As a yardstick it renders the same rows as one bare
HTML <table> with WeasyPrint and prints the ratio. The machine's load average is printed
too: on a shared, busy machine wall times stretch while CPU times hold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, logging, os, resource, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
import django
django.setup()
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
from takster.takstbilag import takstbilag_context, render_takstbilag_pdf
from takster.tests.factories import synthetic_takstbilag_data
from takster.takstbilag import fmt_amount, fmt_pct
from weasyprint import HTML
from pypdf import PdfReader
import io
data = synthetic_takstbilag_data(driftsherrer={driftsherrer}, offers={offers})
mode = {mode!r}
wall, cpu = time.perf_counter(), time.process_time()
if mode.startswith("takstbilag"):
    pdf = render_takstbilag_pdf(data, workers={workers})
else:
    rows = []
    for s in data.driftsherrer:
        for o in s.offers:
            for y in (o.previous, o.current):
                cells = [s.name, o.tilbud, o.afdeling, o.paragraphs, o.unit, str(y.year),
                         fmt_amount(y.pladser), fmt_pct(y.belaegning, 0), fmt_amount(y.budget),
                         fmt_amount(y.regulering), fmt_pct(y.oh_pct)]
                cells += [fmt_amount(t) for t in y.takster]
                rows.append("<tr>" + "".join(f"<td>{{c}}</td>" for c in cells) + "</tr>")
    html = ("<html><head><style>@page {{ size: A4 landscape; margin: 20mm }}"
            "html {{ font-family: 'DejaVu Sans'; font-size: 7.5pt }}</style></head><body>"
            "<table>" + "".join(rows) + "</table></body></html>")
    pdf = HTML(string=html).write_pdf()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu += children.ru_utime + children.ru_stime
pages = len(PdfReader(io.BytesIO(pdf)).pages)
print(json.dumps({{"wall": wall, "cpu": cpu, "pages": pages, "bytes": len(pdf),
                  "rows": sum(len(s.offers) for s in data.driftsherrer) * 2,
                  "maxrss_kb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                   children.ru_maxrss)}}))
"""


def run_child(mode: str, driftsherrer: int, offers: int, workers: int = 1) -> dict:
    code = CHILD.format(
        root=str(ROOT), driftsherrer=driftsherrer, offers=offers, mode=mode, workers=workers
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False,
        env={**os.environ, "LOG_LEVEL": "ERROR"},
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["process_wall"] = elapsed
    result["children_maxrss_kb"] = max(after, before)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--driftsherrer", type=int, default=12)
    parser.add_argument("--offers", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel run")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    full = run_child("takstbilag", args.driftsherrer, args.offers)
    parallel = run_child("takstbilag-parallel", args.driftsherrer, args.offers, args.workers)
    bare = run_child("bare", args.driftsherrer, args.offers)
    peak_mb = full["maxrss_kb"] / 1024
    print(f"takstbilag {args.driftsherrer} × {args.offers} offers: "
          f"{full['wall']:.1f} s wall, {full['cpu']:.1f} s CPU, {full['pages']} pages, "
          f"{full['bytes'] / 1024:.0f} KiB, peak memory {peak_mb:.0f} MB "
          f"(process incl. start-up {full['process_wall']:.1f} s)")
    print(f"same, parts rendered by {args.workers} processes: {parallel['wall']:.1f} s wall, "
          f"{parallel['cpu']:.1f} s CPU (all processes), "
          f"peak memory of one process {parallel['maxrss_kb'] / 1024:.0f} MB")
    print(f"bare <table> with the same {bare['rows']} rows: {bare['wall']:.1f} s wall, "
          f"{bare['cpu']:.1f} s CPU, {bare['pages']} pages, "
          f"peak memory {bare['maxrss_kb'] / 1024:.0f} MB")
    print(f"ratio takstbilag / bare table: {full['wall'] / bare['wall']:.2f} (wall), "
          f"{full['cpu'] / bare['cpu']:.2f} (CPU)")
    goal_time, goal_mem = min(full["wall"], parallel["wall"]) < 15, peak_mb < 500
    print(f"goal < 15 s: {'met' if goal_time else 'NOT met'} ; "
          f"goal < 500 MB: {'met' if goal_mem else 'NOT met'}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
