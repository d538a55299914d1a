"""Benchmark of the public offer list with 2,000 offers (a script, not a test).

    python benchmarks/bench_tilbud.py [--offers 2000] [--runs 30]

Builds a throwaway SQLite database (or uses DATABASE_URL if you set BENCH_USE_DATABASE_URL=1),
fills it with offers that each have §§, departments and capacity reports, and requests the
public pages through Django's test client. Prints queries per request and the median and
95th-percentile response time per page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: Path) -> None:
    if os.environ.get("BENCH_USE_DATABASE_URL") != "1":
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command(
        "loaddata", str(ROOT / "fixtures" / "socialaftale.json"),
        str(ROOT / "fixtures" / "tilbud_paragraffer.json"), verbosity=0,
    )


def fill(n_offers: int) -> None:
    import datetime
    import random

    from socialaftale.models import Driftsherre
    from tilbud.models import Afdeling, LedigKapacitet, Paragraf, Tilbud

    rng = random.Random(1)
    driftsherrer = list(Driftsherre.objects.all())
    paragraphs = list(Paragraf.objects.all())
    offers = Tilbud.objects.bulk_create(
        Tilbud(
            name=f"Bench-tilbud {n:05d}", driftsherre=rng.choice(driftsherrer),
            target_group=rng.choice(["Voksne med udviklingshæmning", "Unge med autisme",
                                     "Voksne med hjerneskade", "Børn med handicap"]),
            places=rng.randint(5, 60), is_demo=True,
        )
        for n in range(n_offers)
    )
    through = Tilbud.paragraphs.through
    through.objects.bulk_create(
        through(tilbud_id=t.pk, paragraf_id=p.pk)
        for t in offers for p in rng.sample(paragraphs, rng.randint(1, 2))
    )
    Afdeling.objects.bulk_create(
        Afdeling(tilbud=t, name=f"Afdeling {k}", places=5)
        for t in offers for k in range(rng.randint(1, 3))
    )
    today = datetime.date(2026, 11, 1)
    LedigKapacitet.objects.bulk_create(
        LedigKapacitet(tilbud=t, free_places=rng.randint(0, 4),
                       as_of=today - datetime.timedelta(days=d))
        for t in offers for d in range(rng.randint(0, 3))
    )


def measure(client, url: str, runs: int) -> tuple[int, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return queries, statistics.median(timings) * 1000, p95 * 1000, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.db import connection
        from django.test import Client

        from tilbud.models import Paragraf

        start = time.perf_counter()
        fill(args.offers)
        print(f"Database: {connection.vendor}; {args.offers} tilbud oprettet på "
              f"{time.perf_counter() - start:.1f} s")
        sel104 = Paragraf.objects.get(code="SEL § 104").pk
        pages = {
            "liste, side 1": "/tilbud/",
            "liste, sidste side": "/tilbud/?side=last",
            "søgning (målgruppe)": "/tilbud/?q=autisme",
            "søgning (foldet: boern)": "/tilbud/?q=boern",
            "filter §§ + søgning": f"/tilbud/?paragraf={sel104}&q=hjerneskade",
            "ledig kapacitet": "/tilbud/ledig-kapacitet/",
            "detalje": "/tilbud/1/",
        }
        client = Client(HTTP_HOST="localhost")
        print(f"{'side':<24}{'queries':>8}{'median ms':>11}{'p95 ms':>9}{'kB':>7}")
        for label, url in pages.items():
            client.get(url)  # warm-up
            queries, median, p95, size = measure(client, url, args.runs)
            print(f"{label:<24}{queries:>8}{median:>11.1f}{p95:>9.1f}{size / 1024:>7.0f}")
        measure_import_export()


def measure_import_export() -> None:
    """Export the whole register as xlsx, then import the file again as a dry run."""
    from tilbud import services

    start = time.perf_counter()
    data = services.tilbud_export(file_format="xlsx")
    exported = time.perf_counter() - start
    start = time.perf_counter()
    result = services.tilbud_import(data=data, file_format="xlsx", dry_run=True)
    imported = time.perf_counter() - start
    print(f"eksport xlsx: {exported:.2f} s ({len(data) / 1024:.0f} kB); "
          f"import af samme fil (prøvekørsel, {result.total_rows} rækker): {imported:.2f} s; "
          f"fejl: {len(result.invalid_rows) + len(result.row_errors())}")


if __name__ == "__main__":
    main()
