"""Every generated PDF is tagged: structure tree, /MarkInfo, /Lang da, title, author, bookmarks.

One test per document the system publishes (agreement, takstbilag, agenda, minutes, meeting
package, Bifrost status report), each rendered through its real render function and read back
with pypdf.
"""

import logging
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from socialaftale.pdf import AUTHOR_DEFAULT, pdf_accessibility

from .agreement_fixtures import agreements_fixture  # noqa: F401

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(autouse=True)
def no_weasyprint_errors(caplog):
    """WeasyPrint logs PDF/UA problems it finds (no lang, an image without alt) as errors."""
    caplog.set_level(logging.ERROR, logger="weasyprint")
    yield
    errors = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert errors == []


def assert_accessible(pdf: bytes, *, title: str, tags: set[str]) -> None:
    check = pdf_accessibility(pdf)
    assert check.tagged, "no /MarkInfo /Marked true or no /StructTreeRoot"
    assert check.lang == "da"
    assert check.title == title
    assert check.author == AUTHOR_DEFAULT
    assert check.display_title  # viewers show the title, not the file name
    assert check.bookmarks >= 1
    assert {"/Document", "/H1", "/P"} | tags <= check.structure_tags
    assert check.figures_without_alt == 0
    if "/TD" in tags:  # data cells name their header cells
        assert check.table_headers > 0 and check.cells_with_headers > 0


def test_the_agreement_pdf_is_tagged(agreements):
    from socialaftale.services import agreement_pdf_render

    period = agreements["2025-2026"]
    pdf = agreement_pdf_render(period=period)
    assert_accessible(pdf, title=period.title, tags={"/Table", "/TH", "/TD", "/L", "/Link"})
    assert pdf_accessibility(pdf).table_headers > 10


def test_the_takstbilag_pdf_is_tagged_with_its_chart_described():
    from takster.demo_takstbilag import demo_takstbilag_data
    from takster.takstbilag import render_takstbilag_pdf

    pdf = render_takstbilag_pdf(demo_takstbilag_data())
    assert_accessible(pdf, title="Takstbilag 2026",
                      tags={"/Table", "/TH", "/TD", "/H2", "/Figure", "/Caption"})


@pytest.fixture
def seed_meetings(reference_data):
    call_command("loaddata", str(FIXTURES / "moeder.json"), verbosity=0)
    from moeder.models import Meeting

    return Meeting.objects.get(date="2026-02-23")


@pytest.mark.parametrize(("kind", "title"), [
    ("dagsorden", "Dagsorden – DAS Social 23. februar 2026"),
    ("referat", "Referat – DAS Social 23. februar 2026"),
    ("pakke", "Mødepakke – DAS Social 23. februar 2026"),
])
def test_the_meeting_documents_are_tagged(seed_meetings, kind, title):
    from moeder.documents import KINDS, document_render

    pdf = document_render(meeting=seed_meetings, kind=KINDS[kind])
    assert_accessible(pdf, title=title, tags={"/H2", "/L", "/LI"})


def test_the_bifrost_status_report_is_tagged_with_its_chart_described(reference_data):
    from bifrost import services
    from socialaftale.jobs import job_run
    from socialaftale.models import Job

    call_command("loaddata", str(FIXTURES / "bifrost.json"), verbosity=0)
    report = services.status_report_for(year=2026, quarter=4)
    job = services.status_report_request(report=report, today=date(2026, 11, 27))
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert_accessible(job.output.read(), title=str(report),
                      tags={"/Table", "/TH", "/TD", "/Figure", "/Caption"})
