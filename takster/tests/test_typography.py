"""The published takstbilag reads cleanly: no "kr.." and no year written as "2.026"."""

import pytest

from socialaftale.tests.pdftotext import pdftotext, typography_slips


@pytest.mark.parametrize("version", [0, 1])
def test_takstbilag_pdf_has_no_double_stops_or_dotted_years(demo_2026_rendered, version):
    takstbilag = demo_2026_rendered[version]
    takstbilag.pdf_job.refresh_from_db()
    assert takstbilag.pdf_job.status == "done"
    text = pdftotext(takstbilag.pdf_job.output.read())
    assert "heraf pladser, belægning og dage" in text or version == 1
    assert typography_slips(text) == []
