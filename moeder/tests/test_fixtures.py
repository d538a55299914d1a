"""The seed minutes as data: both meetings, their items, attendance and the 2026 dates."""

from datetime import date

from moeder.models import AgendaItem, Attendance, Meeting
from moeder.selectors import attendance_summary

NOV_TITLES_START = [
    "Godkendelse af dagsorden",
    "Godkendelse af referat fra seneste møde",
    "Temadrøftelse vedr. sikrede institutioner",
    "Godkendelse af produkter fra den Tværgående Samarbejdsgruppe vedrørende Ungehjemmet Bifrost",
    "Behandling af takster for 2026",
    "Godkendelse af budget for Børnehus Nord 2026",
]
FEB_TITLES = [
    "Godkendelse af dagsorden",
    "Godkendelse af referat fra seneste møde",
    "Godkendelse af planer for kommunikation om samt afdækning af unge til Ungehjemmet Bifrost",
    "Udvikling af nyt takstskema",
    "Status på sundhedstjek på botilbud",
    "Pædagogdimensionering 2026",
    "Status ift. kapacitetsstyringsmodel på herbergområdet",
    "Udmøntning af fokusområde vedr. velfærdsteknologi",
    "Forslag om forlængelse af tidsrammen for rammeaftaler",
    "Reviderede takster fra Aalborg Kommune",
    "De tre nordjyske principper - status på arbejdsgrupper mv.",
    "Repræsentation i tværsektorielle og tværkommunale fora i Nordjylland",
    "Evaluering af det administrative setup i DAS set i relation til KKR",
    "Orientering vedr. KL-styregruppe for styrket tværkommunalt samarbejde på socialområdet",
    "Orientering vedr. central udmelding om borgere med udviklingshæmning og dom",
    "Eventuelt",
    "Næste møde",
]


def titles(meeting):
    return list(meeting.items.order_by("number").values_list("title", flat=True))


def test_november_meeting_has_nineteen_items_in_order(seed_meetings):
    nov = seed_meetings["nov"]
    assert list(nov.items.order_by("number").values_list("number", flat=True)) == list(
        range(1, 20))
    assert titles(nov)[:6] == NOV_TITLES_START
    assert titles(nov)[13] == "Datoer for DAS-møder 2026"
    assert titles(nov)[-2:] == ["Eventuelt", "Næste møde"]
    assert nov.state == Meeting.State.REFERAT_GODKENDT
    assert nov.place.startswith("Mødelokale B, Regionshuset")


def test_february_meeting_has_seventeen_items_in_order(seed_meetings):
    feb = seed_meetings["feb"]
    assert titles(feb) == FEB_TITLES
    assert feb.place == "Virtuelt" and feb.start_time.hour == 12 and feb.end_time.hour == 16
    item = feb.items.get(number=4)
    assert item.case_number == "2026-005746"
    assert [p.outcome for p in item.points.all()] == ["droeftet", "godkendt"]
    assert "nye skema" in item.beslutning


def test_rate_decisions_keep_their_case_numbers_and_points(seed_meetings):
    rates_2026 = seed_meetings["nov"].items.get(number=5)
    assert rates_2026.case_number == "2025-072748"
    assert rates_2026.points.first().text == "Godkender takstbilaget for 2026"
    aalborg = seed_meetings["feb"].items.get(number=10)
    assert "365 betalingsdage" in aalborg.beslutning
    assert aalborg.points.count() == 2


def test_attendance_on_23_february_counts_members_substitute_and_guests(seed_meetings):
    summary = attendance_summary(seed_meetings["feb"])
    assert summary.members_present == 11
    assert [a.person.name for a in summary.absent] == ["Hanne Madsen"]
    [substitute] = summary.substitutes
    assert substitute.person.name == "Mia Riise"
    assert substitute.substitute_for.name == "Hanne Madsen"
    assert substitute.substitute_for.driftsherre.name == "Jammerbugt Kommune"
    assert summary.represented == 12
    guest = next(a for a in summary.others if a.person.name == "Martin Kolling Jensen")
    assert [i.number for i in guest.items.all()] == [4]
    assert guest.person.driftsherre.slug == "mariagerfjord"


def test_attendance_on_17_november_has_three_substitutes(seed_meetings):
    summary = attendance_summary(seed_meetings["nov"])
    assert summary.members_present == 8 and len(summary.absent) == 4
    pairs = {(a.person.name, a.substitute_for.name) for a in summary.substitutes}
    assert ("Martin Bjørn Jensen", "Dorte Juul Hansen") in pairs and len(pairs) == 3
    kkr = Attendance.objects.get(meeting=seed_meetings["nov"], person__name__startswith="Haukur")
    assert kkr.person.organisation == "KKR Nordjylland" and kkr.person.driftsherre is None


def test_the_2026_dates_approved_in_november_are_planned_meetings_linked_to_the_item(
    seed_meetings,
):
    dates = list(Meeting.objects.filter(date__year=2026).order_by("date")
                 .values_list("date", flat=True))
    assert dates == [date(2026, 2, 23), date(2026, 5, 22), date(2026, 8, 17),
                     date(2026, 10, 23), date(2026, 12, 18)]
    planned = Meeting.objects.filter(state=Meeting.State.PLANLAGT)
    assert planned.count() == 4
    assert all(m.items.filter(standard=AgendaItem.Standard.DAGSORDEN).exists() for m in planned)
    item = seed_meetings["nov"].items.get(number=14)
    assert sorted(link.target.date for link in item.links.all()) == dates
    assert seed_meetings["nov"].next_meeting == seed_meetings["feb"]
