"""Benchmark of the rate sheet validator (a script, not a test).

    python benchmarks/bench_validation.py

Prints, best of 5 in one run, for a generated 300-block workbook:
- `check_rate_sheet PATH --year 2027 --json` (the command, including its database reads:
  parameters, round, the driftsherre found in the header, its offer register) against a bare
  python-calamine read of every cell of the same file (goal: at most 3x);
- the pure validator (`validate_workbook`, no database) against the same bare read;
and the peak memory used while refusing a zip bomb.

Uses DATABASE_URL if set (migrated; the fixtures are loaded if 2027 is missing), otherwise a
throw-away SQLite database in a temporary folder.
"""

from __future__ import annotations

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


def best_of(fn, runs: int = RUNS) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


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
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from socialaftale.models import Styringsparametre

    call_command("migrate", verbosity=0)
    if not Styringsparametre.objects.filter(budget_year=2027).exists():
        for name in ("socialaftale.json", "tilbud_paragraffer.json", "tilbud.json"):
            call_command("loaddata", str(ROOT / "fixtures" / name), verbosity=0)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        _setup_django(tmp)
        from django.core.management import call_command

        from takster.validation import RateSheetParams, validate_workbook
        from takster.validation.samples import build_large_workbook

        data = build_large_workbook(BLOCKS)
        path = tmp / "takster-300.xlsx"
        path.write_bytes(data)
        params = RateSheetParams(
            budget_year=2027, pl_kommuner=Decimal("3.10"), pl_regioner=Decimal("2.46")
        )
        result = validate_workbook(data, params)
        print(f"{BLOCKS}-block workbook: {len(data) / 1024:.0f} KB, {bare_calamine(path)} cells")
        print(
            f"  blocks={len(result.sheet.blocks)} errors={result.errors} "
            f"warnings={result.warnings}"
        )

        def command() -> None:
            out = io.StringIO()
            try:
                call_command("check_rate_sheet", str(path), "--year", "2027", "--json",
                             stdout=out)
            except SystemExit:
                pass  # exit code 1: the sheet has errors (low occupancy without remarks)
            assert out.getvalue().lstrip().startswith("{")

        t_calamine = best_of(lambda: bare_calamine(path))
        t_command = best_of(command)
        t_validate = best_of(lambda: validate_workbook(data, params))
        print(f"  python-calamine, every cell   {t_calamine * 1000:8.1f} ms (best of {RUNS})")
        print(f"  check_rate_sheet incl. DB     {t_command * 1000:8.1f} ms (best of {RUNS})")
        print(f"  validate_workbook (pure)      {t_validate * 1000:8.1f} ms (best of {RUNS})")
        for label, seconds in (("check_rate_sheet", t_command), ("validate_workbook", t_validate)):
            ratio = seconds / t_calamine
            verdict = "OK" if ratio <= GOAL else "SLOW"
            print(f"  ratio {label:<18} {ratio:6.2f}x calamine (goal <= {GOAL:.0f}x) {verdict}")

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
    main()
