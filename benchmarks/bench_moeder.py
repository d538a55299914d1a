"""Benchmark of the meeting documents (a script, not a test).

    python benchmarks/bench_moeder.py [ITEMS]

Builds a held meeting with ITEMS items (default 60; each with two indstilling points, a
decision and a 2-page PDF bilag) in a throwaway SQLite database, then prints the time to
render the minutes PDF and the meeting package, and the number of pages of each.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(items: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-moeder-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialaftale.settings")
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from pypdf import PdfReader
    from weasyprint import HTML

    call_command("migrate", verbosity=0)
    from datetime import date
    from datetime import time as dtime

    from moeder import services
    from moeder.documents import KINDS, document_render
    from moeder.models import Body, Meeting

    bilag = HTML(string="<p style='page-break-after: always'>Bilag 1</p><p>Bilag 2</p>").write_pdf()
    body = Body.objects.create(name="DAS Social", slug="das-social")
    meeting = services.meeting_create(body=body, date=date(2026, 2, 23), start_time=dtime(12),
                                      end_time=dtime(16), state=Meeting.State.AFHOLDT)
    for n in range(items):
        item = services.item_add(meeting=meeting, title=f"Sag nummer {n}",
                                 case_number="2026-005746", resume="Kort resumé. " * 10,
                                 sagsfremstilling="En længere sagsfremstilling. " * 40,
                                 beslutning="Den Administrative Styregruppe godkendte. " * 8)
        item.points.create(number=1, text="Godkender forslaget", outcome="godkendt")
        item.points.create(number=2, text="Tager status til efterretning",
                           outcome="taget_til_efterretning")
        attachment = item.attachments.create(title=f"Bilag til sag {n}", order=1)
        attachment.file.save(f"bilag-{n}.pdf", ContentFile(bilag))
    for slug in ("referat", "pakke"):
        started = time.perf_counter()
        pdf = document_render(meeting=meeting, kind=KINDS[slug])
        seconds = time.perf_counter() - started
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{slug:8s} {items} punkter: {seconds:5.1f} s, {pages} sider, {len(pdf) // 1024} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
