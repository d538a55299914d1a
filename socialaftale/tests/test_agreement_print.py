"""The agreement PDF against the printed seed: a footnote where its totals differ, no lone lines."""

import pytest

from socialaftale.selectors import places_table
from socialaftale.services import agreement_pdf_render

from .agreement_fixtures import agreements_fixture  # noqa: F401
from .pdftotext import flat, pdftotext, typography_slips


def test_the_2025_table_footnotes_the_printed_private_total(agreements):
    pdf = agreement_pdf_render(period=agreements["2025-2026"])
    text = flat(pdftotext(pdf))
    # The totals row as laid out on the page: 3.032 with footnote mark 1.
    assert "I alt 4.681 3.0321 2.257" in flat(pdftotext(pdf, layout=True))
    assert ("1 Den trykte aftale angiver 3.232 private pladser i alt i overskriften, men "
            "kommunernes rækker summer til 3.032.") in text


def test_a_period_whose_printed_totals_match_has_no_footnote(agreements):
    period = agreements["2021-2022"]
    assert (period.printed_private, places_table(period).private) == (2888, 2888)
    assert "Den trykte aftale angiver" not in pdftotext(agreement_pdf_render(period=period))


def test_the_footnote_is_on_the_period_page_too(client, agreements):
    period = agreements["2025-2026"]
    html = client.get(period.get_absolute_url()).content.decode()
    assert '<sup class="note-ref"><a href="#note-1">1</a></sup>' in html
    assert "angiver 3.232 private pladser i alt i overskriften" in html


def test_a_differing_total_only_at_one_place_off_gets_a_note(agreements):
    period = agreements["2025-2026"]
    period.printed_private = 3033
    assert [n.computed for n in places_table(period).printed_notes] == [3032]
    period.printed_private = 3032
    assert places_table(period).printed_notes == []


@pytest.mark.parametrize("label", ["2018-2020", "2021-2022", "2025-2026"])
def test_no_page_continues_a_chapter_with_a_lone_line_or_two(agreements, label):
    text = pdftotext(agreement_pdf_render(period=agreements[label]), layout=True)
    for number, page in enumerate(text.split("\f")[1:], start=2):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if not lines:
            continue
        header, content = lines[0], lines[1:-1]  # running title … chapter; "Side x af y"
        chapter = header.split("  ")[-1].strip()
        continues = not content or content[0] != chapter
        if continues:
            assert len(content) >= 3, (number, content)


@pytest.mark.parametrize("label", ["2018-2020", "2021-2022", "2025-2026"])
def test_agreement_reads_cleanly(agreements, label):
    assert typography_slips(pdftotext(agreement_pdf_render(period=agreements[label]))) == []
