"""Benchmark of the rate sheet validator (a script, not a test).

    python benchmarks/bench_validation.py

Prints validation time for a generated 300-block workbook against a bare openpyxl
read-only pass over the same file (goal: at most 3x), and the peak memory used while
refusing a zip bomb.
"""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl

# Run as a script from the repository root: make `takster` importable without installing.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
RUNS = 5


def best_of(fn, runs: int = RUNS) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bare_openpyxl(data: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            pass
    wb.close()


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


def main() -> None:
    from takster.validation import RateSheetParams, validate_workbook
    from takster.validation.samples import build_large_workbook

    params = RateSheetParams(
        budget_year=2027, pl_kommuner=Decimal("3.10"), pl_regioner=Decimal("2.46")
    )
    data = build_large_workbook(300)
    print(f"300-block workbook: {len(data) / 1024:.0f} KB")
    result = validate_workbook(data, params)
    print(f"  blocks={len(result.sheet.blocks)} errors={result.errors} warnings={result.warnings}")
    t_validate = best_of(lambda: validate_workbook(data, params))
    t_openpyxl = best_of(lambda: bare_openpyxl(data))
    print(f"  validate_workbook           {t_validate * 1000:8.1f} ms (best of {RUNS})")
    print(f"  openpyxl read_only pass     {t_openpyxl * 1000:8.1f} ms (best of {RUNS})")
    ratio = t_validate / t_openpyxl
    print(
        f"  ratio validate/openpyxl     {ratio:8.2f}x (goal <= 3x) {'OK' if ratio <= 3 else 'SLOW'}"
    )

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
    print(f"  message: {result.findings[0].message}")


if __name__ == "__main__":
    main()
