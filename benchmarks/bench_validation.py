"""Benchmark of the rate sheet validator (a script, not a test).

    python benchmarks/bench_validation.py

Prints the peak memory used while refusing a zip bomb, then, best of 5 in one run (the jobs
interleaved), for a generated 300-block workbook:
- the pure validator (`validate_workbook`, no database) against a bare python-calamine read
  of every cell of the same file (for reference);
- last, the figure the goal is judged on: `check_rate_sheet PATH --year 2027 --json` (the
  command, including its database reads: parameters, round, the driftsherre found in the
  header, its offer register) against the same bare read. Goal: at most 3x CPU time; the
  script exits with status 1 when it is missed.

Always uses a throw-away SQLite database in a temporary folder (DATABASE_URL is ignored, so a
shared database is never touched): migrated, the fixtures loaded, and the sheet's 300 offers
added to Aalborg Kommune's register, as for a driftsherre whose names match Tilbudsportalen.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script from the repository root: make the project importable without installing.
sys.path.insert(0, str(ROOT))
RUNS = 5
BLOCKS = 300
GOAL = 3.0


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call. On a shared machine the CPU
    time is the steadier of the two; SQLite runs in-process, so it includes the DB reads."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def bare_calamine(path: Path) -> int:
    """Read every cell of every sheet with python-calamine and touch it: the floor."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    cells = 0
    try:
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False):
                for _value in row:
                    cells += 1
    finally:
        workbook.close()
    return cells


def zip_bomb(uncompressed_mb: int = 1024) -> bytes:
    """A zip whose one member inflates to ``uncompressed_mb`` MB of zeros (built in chunks)."""
    chunk = b"\0" * (1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = b"".join(compressor.compress(chunk) for _ in range(uncompressed_mb))
    deflated += compressor.flush()
    crc = 0
    for _ in range(uncompressed_mb):
        crc = zlib.crc32(chunk, crc)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in (
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ):
            archive.writestr(name, body)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.compress_size, info.file_size = crc, len(deflated), uncompressed_mb << 20
        # Write the pre-deflated member raw: header, then the data.
        archive.fp.write(info.FileHeader())
        info.header_offset = archive.fp.tell() - len(info.FileHeader())
        archive.fp.write(deflated)
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive.start_dir = archive.fp.tell()
    return out.getvalue()


def _setup_django(tmp: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from socialaftale.models import Styringsparametre

    call_command("migrate", verbosity=0)
    if not Styringsparametre.objects.filter(budget_year=2027).exists():
        for name in ("socialaftale.json", "tilbud_paragraffer.json", "tilbud.json"):
            call_command("loaddata", str(ROOT / "fixtures" / name), verbosity=0)
    _register_offers()


def _register_offers() -> None:
    """The generated sheet's offers in the register of its driftsherre (Aalborg Kommune)."""
    from socialaftale.models import Driftsherre
    from tilbud.models import Afdeling, Tilbud

    aalborg = Driftsherre.objects.get(slug="aalborg")
    offers = Tilbud.objects.bulk_create(
        Tilbud(name=f"Tilbud {n + 1:04d}", driftsherre=aalborg, places=20) for n in range(BLOCKS)
    )
    Afdeling.objects.bulk_create(
        Afdeling(tilbud=offer, name=f"Afdeling {n % 4 + 1}") for n, offer in enumerate(offers)
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        _setup_django(tmp)
        from django.core.management import call_command

        from takster.validation import RateSheetParams, validate_workbook
        from takster.validation.samples import build_large_workbook

        params_pure = RateSheetParams(
            budget_year=2027, pl_kommuner=Decimal("3.10"), pl_regioner=Decimal("2.46")
        )
        _zip_bomb_report(validate_workbook, params_pure)

        data = build_large_workbook(BLOCKS)
        path = tmp / "takster-300.xlsx"
        path.write_bytes(data)
        result = validate_workbook(data, params_pure)
        print(f"{BLOCKS}-block workbook: {len(data) / 1024:.0f} KB, {bare_calamine(path)} cells")
        print(
            f"  blocks={len(result.sheet.blocks)} errors={result.errors} "
            f"warnings={result.warnings}"
        )

        def command() -> None:
            out = io.StringIO()
            # exit code 1: the sheet has errors (low occupancy without remarks)
            with contextlib.suppress(SystemExit):
                call_command("check_rate_sheet", str(path), "--year", "2027", "--json",
                             stdout=out)
            assert out.getvalue().lstrip().startswith("{")

        jobs = {
            "python-calamine, every cell": lambda: bare_calamine(path),
            "validate_workbook (pure)": lambda: validate_workbook(data, params_pure),
            "check_rate_sheet incl. DB": command,
        }
        best = {name: [float("inf"), float("inf")] for name in jobs}
        for _ in range(RUNS):  # interleaved, so that load from other processes hits all alike
            for name, job in jobs.items():
                wall, cpu = timed(job)
                best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
        print(f"  best of {RUNS}:                     wall        CPU")
        for name, (wall, cpu) in best.items():
            print(f"  {name:<30} {wall * 1000:7.1f} ms {cpu * 1000:7.1f} ms")
        floor = best["python-calamine, every cell"]
        ratios = {
            name: [best[name][i] / floor[i] for i in (0, 1)]
            for name in ("validate_workbook (pure)", "check_rate_sheet incl. DB")
        }
        wall, cpu = ratios["validate_workbook (pure)"]
        print(f"  ratio validate_workbook (pure)   {wall:5.2f}x wall, {cpu:5.2f}x CPU")
        wall, cpu = ratios["check_rate_sheet incl. DB"]
        verdict = "OK" if cpu <= GOAL else "SLOW"
        print(
            f"  ratio check_rate_sheet incl. DB  {wall:5.2f}x wall, {cpu:5.2f}x CPU "
            f"(goal <= {GOAL:.0f}x CPU) {verdict}"
        )
    return 0 if verdict == "OK" else 1


def _zip_bomb_report(validate_workbook, params) -> None:
    bomb = zip_bomb()
    print(f"zip bomb: {len(bomb) / 1024:.0f} KB on disk, declares 1024 MB uncompressed")
    tracemalloc.start()
    start = time.perf_counter()
    result = validate_workbook(bomb, params)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  refused as {result.findings[0].code} in {elapsed * 1000:.1f} ms, "
        f"peak traced memory {peak / 1024:.0f} KB"
    )


if __name__ == "__main__":
    sys.exit(main())
