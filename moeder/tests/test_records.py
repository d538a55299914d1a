"""The seed meetings as complete records: every Sagsfremstilling, agenda vs. minutes, approval."""

import re
from datetime import date, time

import pytest
from django.urls import reverse

from moeder.documents import KINDS, document_render
from moeder.models import AgendaItem, Meeting
from moeder.templatetags.moeder_tags import case_text
from moeder.tests.factories import MoederMeetingFactory
from socialaftale.tests.pdftotext import flat, pdftotext, typography_slips


@pytest.fixture
def feb_minutes(seed_meetings):
    return flat(pdftotext(document_render(meeting=seed_meetings["feb"], kind=KINDS["referat"])))


@pytest.fixture
def nov_minutes(seed_meetings):
    return flat(pdftotext(document_render(meeting=seed_meetings["nov"], kind=KINDS["referat"])))


def test_every_seed_item_has_a_sagsfremstilling(seed_meetings):
    for key, count in (("nov", 19), ("feb", 17)):
        items = seed_meetings[key].items.all()
        assert items.count() == count
        assert [i.number for i in items if not i.sagsfremstilling.strip()] == []


@pytest.mark.parametrize("fact", [
    "10 nye sikrede pladser i Østdanmark",          # item 3
    "470 sager",                                     # item 6
    "672.000 kr.", "566.400 kr.", "7.734 kr. til 8.020 kr.", "286 kr.",
    "386.000 kr.", "475.000 kr.", "125 personer",   # item 15
    "55 deltagere",                                  # item 16
    "fredag den 22. maj kl. 9-13",                   # item 14, the dates as approved
    "mandag den 23. februar 2026 kl. 12.00-16.00",   # item 19
])
def test_november_minutes_carry_the_seed_figures(nov_minutes, fact):
    assert fact in nov_minutes


@pytest.mark.parametrize("fact", [
    "381 sundhedstjek", "463 sundhedstjek", "750 sundhedstjek", "335 sundhedstjek",  # item 5
    "19. juni",                                      # item 7, KKR decides the capacity
    "fra 48 til 24", "fra 98 % til 80 %", "11 procentpoint",  # item 10
    "over 2 mio. kr. årligt",                        # item 11
    "januar 2027",                                   # item 15
])
def test_february_minutes_carry_the_seed_figures(feb_minutes, fact):
    assert fact in feb_minutes


def test_aalborg_revised_rates_are_a_table_in_page_and_pdf(client, seed_meetings, make_user,
                                                           feb_minutes):
    client.force_login(make_user("das"))
    html = client.get(reverse("moeder:meeting", args=[seed_meetings["feb"].pk])).content.decode()
    section = html[html.index('id="punkt-10"'):html.index('id="punkt-11"')]
    assert "<caption>Tabel 1: Basistakster for Syrenhuset, Hviddalen og Væksthuset" in section
    assert '<th scope="col">Takst 2026 (365 dage)</th>' in section
    for name, rates in (("Syrenhuset", (224, 362, 248)), ("Hviddalen", (198, 256, 175)),
                        ("Væksthuset", (225, 328, 225))):
        row = f'<tr><th scope="row">{name}, SEL § 104</th>' + "".join(
            f'<td class="num">{rate}</td>' for rate in rates) + "</tr>"
        assert row in section
        assert f"{name}, SEL § 104 " + " ".join(map(str, rates)) in feb_minutes


def test_case_text_escapes_and_keeps_plain_paragraphs():
    html = case_text("Første <b>linje</b>\nanden\n\n• a\n• b")
    assert html == "<p>Første &lt;b&gt;linje&lt;/b&gt;<br>anden</p><ul><li>a</li><li>b</li></ul>"


def test_missing_points_and_bilag_are_there(seed_meetings):
    nov, feb = seed_meetings["nov"], seed_meetings["feb"]
    assert list(nov.items.get(number=8).points.values_list("text", flat=True)) == [
        "Drøfter anbefalingerne fra arbejdsgruppen",
        "Tager arbejdsgruppens afrapportering til efterretning",
        "Godkender at anbefalingerne sendes til videre udmøntning"]
    assert nov.items.get(number=15).points.count() == 3
    assert feb.items.get(number=12).attachments.get().title.startswith(
        "Fora med repræsentation fra direktører")
    assert feb.items.get(number=14).attachments.get().title.startswith(
        "Kommissorium for styregruppe")


def test_the_22_may_meeting_follows_the_newer_seed_text(seed_meetings):
    may = Meeting.objects.get(date="2026-05-22")
    assert (may.start_time, may.end_time) == (time(12), time(16))
    assert "fysisk fremmøde" in may.note
    assert seed_meetings["feb"].next_meeting == may


def test_minutes_list_present_absent_substitutes_with_counts_that_add_up(nov_minutes):
    assert "Til stede (8)" in nov_minutes and "Fraværende (4)" in nov_minutes
    assert "Stedfortrædere (3)" in nov_minutes
    assert re.search(r"Martin Bjørn Jensen, [^–]+ – i stedet for Dorte Juul Hansen", nov_minutes)
    assert "12 i alt: 8 til stede og 4 fraværende, heraf 3 repræsenteret ved stedfortræder" \
        in nov_minutes
    assert "Deltagere" not in nov_minutes.split("Punkter")[0]
    assert "Afbud" not in nov_minutes


def test_the_agenda_lists_deltagere_and_afbud_not_minutes_words(seed_meetings):
    text = flat(pdftotext(document_render(meeting=seed_meetings["nov"],
                                          kind=KINDS["dagsorden"])))
    header = text.split("Punkter")[0]
    assert "Deltagere Arne Lund Kristensen" in header
    assert "Afbud Dorte Juul Hansen, Hanne Madsen, Rikke Albrektsen" in header
    assert "Til stede" not in header and "Fraværende" not in header
    assert "Godkendelse:" not in text


def test_minutes_carry_approval_line_and_next_meeting(nov_minutes, feb_minutes):
    assert "Godkendelse: Referatet er godkendt på mødet den 23. februar 2026." in nov_minutes
    assert "Næste møde Mandag 23. februar 2026, kl. 12.00–16.00. Sted: Virtuelt." in nov_minutes
    assert ("Godkendelse: Referatet forelægges til godkendelse på mødet den 22. maj 2026."
            in feb_minutes)
    assert "Fredag 22. maj 2026, kl. 12.00–16.00" in feb_minutes
    assert "Mødet er med fysisk fremmøde" in feb_minutes


def test_items_flow_continuously_rather_than_one_per_page(seed_meetings):
    import io

    from pypdf import PdfReader

    pdf = document_render(meeting=seed_meetings["nov"], kind=KINDS["referat"])
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages < 19  # one page per item would be at least 19 pages plus the header


def test_summarised_decisions_are_labelled_and_verbatim_ones_are_not(seed_meetings, nov_minutes):
    nov = seed_meetings["nov"]
    assert nov.items.get(number=4).beslutning_summary
    assert not nov.items.get(number=2).beslutning_summary  # "Godkendt." as in the seed
    assert "Beslutning (sammenfatning)" in nov_minutes
    assert nov_minutes.count("Beslutning (sammenfatning)") == AgendaItem.objects.filter(
        meeting=nov, beslutning_summary=True).count()


def test_past_meetings_without_minutes_are_not_shown_as_planned(client, seed_meetings,
                                                                make_user):
    body = seed_meetings["nov"].body
    future = MoederMeetingFactory(body=body, date=date(2099, 1, 5))
    past = MoederMeetingFactory(body=body, date=date(2020, 1, 6))
    assert past.state == Meeting.State.PLANLAGT
    assert future.state_label == "Planlagt"
    assert past.state_label == "Afholdt – referat ikke registreret"
    client.force_login(make_user("das"))
    html = client.get(reverse("moeder:index")).content.decode()
    row = html[html.index("6. januar 2020"):]
    row = row[:row.index("</tr>")]
    assert "Afholdt – referat ikke registreret" in row and "Planlagt" not in row
    past.state = Meeting.State.REFERAT_GODKENDT
    assert past.state_label == "Referat godkendt"


def test_minutes_read_cleanly(nov_minutes, feb_minutes):
    assert typography_slips(nov_minutes) == [] and typography_slips(feb_minutes) == []
