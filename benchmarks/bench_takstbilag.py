"""Benchmark of the takstbilag PDF (a script, not a test).

    python benchmarks/bench_takstbilag.py [--driftsherrer 12] [--offers 40] [--repeat 3]
                                          [--levers]

Renders a synthetic takstbilag of 12 driftsherrer × 40 offers in a fresh subprocess (as a
Celery worker would): ONE WeasyPrint render, tagged PDF/UA-1, exactly as
`render_takstbilag_pdf` does it. Reports wall time, CPU time, pages and peak memory (ru_maxrss
of the child). As a yardstick it renders the same rows (one per offer and year) as one bare
HTML <table>, both the way a plain WeasyPrint call does (untagged, standard stylesheet) and
through our own pipeline (`socialaftale.pdf`: lean stylesheet, tagged), and prints the ratios.
The takstbilag and the plain bare table are rendered in turns, three times each (`--repeat`).

Goals: < 10 s and < 400 MB in one process, and no slower than the bare table, judged on the
medians. The last line is the median single-process figure, "takstbilag 12x40 single process:
N s" (wall time). The load average is printed too: on a shared, busy machine wall times
stretch while CPU times hold.

`--levers` also renders the takstbilag with one measured choice undone at a time (the
standard user-agent stylesheet, a border on every cell, a rule under each header cell, a style
attribute per table, a one-dot contents leader, three auto-width running boxes, looser lines,
narrower rate columns, pydyf untuned) and untagged, to show what each choice is worth.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import io, json, logging, os, re, resource, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
import django
django.setup()
logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
from pypdf import PdfReader
from weasyprint import HTML
from socialaftale import pdf as documents
from takster.takstbilag import fmt_amount, fmt_pct, render_takstbilag_html, render_takstbilag_pdf
from takster.tests.factories import synthetic_takstbilag_data

data = synthetic_takstbilag_data(driftsherrer={driftsherrer}, offers={offers})
mode = {mode!r}


def bare_html():
    rows = []
    for s in data.driftsherrer:
        for o in s.offers:
            for y in (o.previous, o.current):
                cells = [s.name, o.tilbud, o.afdeling, o.paragraphs, o.unit, str(y.year),
                         fmt_amount(y.pladser), fmt_pct(y.belaegning, 0), fmt_amount(y.budget),
                         fmt_amount(y.regulering), fmt_pct(y.oh_pct)]
                cells += [fmt_amount(t) for t in y.takster]
                rows.append("<tr>" + "".join(f"<td>{{c}}</td>" for c in cells) + "</tr>")
    return ("<html lang='da'><head><title>Bar tabel</title><style>"
            "@page {{ size: A4 landscape; margin: 20mm }}"
            "html {{ font-family: 'DejaVu Sans'; font-size: 7.5pt }}</style></head><body>"
            "<table>" + "".join(rows) + "</table></body></html>")


# Levers that add a rule to the takstbilag's stylesheet (the last rule wins).
EXTRA_CSS = {{
    "lever-cell-borders": "table.rates th, table.rates td {{ border-bottom: 0.5pt solid #c9d0d6 }}",
    "lever-header-rule": "table.rates thead tr {{ background: none }} "
                         "table.rates thead th {{ border-bottom: 0.5pt solid #1b1f24 }}",
    "lever-three-running-boxes": "@page {{ @top-left {{ width: auto }} "
                                 "@top-right {{ content: string(chapter) }} "
                                 "@bottom-right {{ width: auto }} }}",
    "lever-line-height": "section.offer {{ line-height: 1.35 }}",
}}


def lever_html():
    html = render_takstbilag_html(data)
    if mode in EXTRA_CSS:
        html = html.replace("</style>", EXTRA_CSS[mode] + "</style>", 1)
    if mode == "lever-one-dot-leader":
        html = html.replace("leader('....')", "leader('.')", 1)
    if mode == "lever-narrow-rate-columns":
        def narrow(m):  # 26 mm per rate up to nine rates, as before
            columns, mm = int(m.group(1)), int(m.group(2))
            mm = 25 + 26 * columns if columns <= 9 else mm
            return f"table.cols-{{columns}} {{{{ width: {{mm}}mm; }}}}"

        html = re.sub(r"table\.cols-(\d+) \{{ width: (\d+)mm; \}}", narrow, html)
    if mode == "lever-style-attribute":
        widths = dict(re.findall(r"table\.cols-(\d+) \{{ width: (\d+)mm; \}}", html))
        html = re.sub(r'class="rates cols-(\d+)',
                      lambda m: f'style="width: {{widths[m.group(1)]}}mm" class="rates', html)
    return html


wall, cpu = time.perf_counter(), time.process_time()
if mode == "takstbilag":
    pdf = render_takstbilag_pdf(data)
elif mode == "bare":
    pdf = HTML(string=bare_html()).write_pdf()
elif mode == "bare-tagged":
    pdf = documents.write_pdf(documents.layout_html(bare_html()))
else:
    html = lever_html()
    if mode == "lever-standard-stylesheet":
        document = HTML(string=html, base_url={root!r}).render()
    else:
        document = documents.layout_html(html)
    if mode == "lever-untagged":
        pdf = document.write_pdf()
    elif mode == "lever-untuned-pydyf":
        pdf = document.write_pdf(pdf_variant=documents.PDF_VARIANT)
    else:
        pdf = documents.write_pdf(document)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
reader = PdfReader(io.BytesIO(pdf))
print(json.dumps({{"wall": wall, "cpu": cpu, "pages": len(reader.pages), "bytes": len(pdf),
                  "tagged": "/StructTreeRoot" in reader.trailer["/Root"],
                  "rows": sum(len(s.offers) for s in data.driftsherrer) * 2,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""

LEVERS = {
    "lever-standard-stylesheet": "WeasyPrint's standard user-agent stylesheet",
    "lever-cell-borders": "a border under every cell",
    "lever-style-attribute": "a style attribute per table instead of a width class",
    "lever-header-rule": "a rule under each header cell instead of a shaded header row",
    "lever-one-dot-leader": "a contents leader of '.' (a box per dot) instead of '....'",
    "lever-three-running-boxes": "three running header/footer boxes of auto width",
    "lever-line-height": "line height 1.35 in the offers instead of 1.2",
    "lever-narrow-rate-columns": "26 mm rate columns (change cells wrap) instead of 30 mm",
    "lever-untuned-pydyf": "pydyf untuned (no page reference cache, zlib level 9)",
    "lever-untagged": "untagged (not PDF/UA)",
}


def run_child(mode: str, driftsherrer: int, offers: int) -> dict:
    code = CHILD.format(root=str(ROOT), driftsherrer=driftsherrer, offers=offers, mode=mode)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False,
        env={**os.environ, "LOG_LEVEL": "ERROR"},
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall"] = elapsed
    return result


def line(label: str, r: dict) -> str:
    return (f"{label}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, {r['pages']} pages, "
            f"{r['bytes'] / 1024:.0f} KiB, peak memory {r['maxrss_kb'] / 1024:.0f} MB"
            f"{'' if r['tagged'] else ', untagged'}")


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (its own CPU time, pages and memory)."""
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--driftsherrer", type=int, default=12)
    parser.add_argument("--offers", type=int, default=40)
    parser.add_argument("--levers", action="store_true", help="measure each choice undone")
    parser.add_argument("--repeat", type=int, default=3,
                        help="renders of the takstbilag and the bare table, taken in turns")
    args = parser.parse_args()
    size = (args.driftsherrer, args.offers)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bare_tagged = run_child("bare-tagged", *size)
    if args.levers:
        for mode, label in LEVERS.items():
            print(line(f"lever – {label}", run_child(mode, *size)))
    # The two renders in turns, judged on the medians: this machine's speed drifts by ±10 %
    # over a minute, which one pair of runs cannot tell from a real difference.
    pairs = [(run_child("takstbilag", *size), run_child("bare", *size))
             for _ in range(max(1, args.repeat))]
    for n, (t, b) in enumerate(pairs, start=1):
        print(f"run {n}: takstbilag {t['wall']:.2f} s, bare table {b['wall']:.2f} s "
              f"(ratio {t['wall'] / b['wall']:.2f})")
    full = _median_run([t for t, _ in pairs])
    bare = _median_run([b for _, b in pairs])
    print(line(f"bare <table> with the same {bare['rows']} rows, plain WeasyPrint (median)",
               bare))
    print(line("same bare <table> through socialaftale.pdf (tagged)", bare_tagged))
    print(line(f"takstbilag {args.driftsherrer} × {args.offers} offers, one render, tagged "
               "(median)", full) + f" (process incl. start-up {full['process_wall']:.1f} s)")
    print(f"ratio takstbilag / bare table: {full['wall'] / bare['wall']:.2f} (wall), "
          f"{full['cpu'] / bare['cpu']:.2f} (CPU); / tagged bare table: "
          f"{full['wall'] / bare_tagged['wall']:.2f} (wall), "
          f"{full['cpu'] / bare_tagged['cpu']:.2f} (CPU)")
    peak_mb = full["maxrss_kb"] / 1024
    goals = {
        "< 10 s": full["wall"] < 10, "< 400 MB": peak_mb < 400, "tagged": full["tagged"],
        "≤ bare table (wall)": full["wall"] <= bare["wall"],
    }
    print("goals: " + " ; ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in goals.items()))
    stretch = full["wall"] / full["cpu"]
    if stretch > 1.3:
        print(f"note: wall time is {stretch:.1f} × the render's CPU time – the machine is busy "
              f"(an idle machine gives wall ≈ CPU = {full['cpu']:.1f} s)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"takstbilag {args.driftsherrer}x{args.offers} single process: {full['wall']:.1f} s"
          f" (CPU {full['cpu']:.1f} s; bare table {bare['wall']:.1f} s)")


if __name__ == "__main__":
    main()
