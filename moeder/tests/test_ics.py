"""The calendar export is valid iCalendar written by hand."""

import re
from datetime import date, time

from moeder.ics import fold, meetings_ics
from moeder.models import Body, Meeting


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "æøå " * 60
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_calendar_parses_with_timezone_crlf_and_escaped_text(db):
    body = Body.objects.create(name="DAS Social", slug="das-social")
    Meeting.objects.create(body=body, date=date(2026, 5, 22), start_time=time(9),
                           end_time=time(13), place="Regionshuset, Niels Bohrs Vej 30; lokale B")
    text = meetings_ics(list(Meeting.objects.select_related("body")), base_url="https://example.org")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line endings
    assert all(len(raw.encode()) <= 75 for raw in text.split("\r\n"))
    lines = unfold(text)
    stack = []
    for line in lines:
        assert re.match(r"^[A-Z-]+[;:]", line), line
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert "DTSTART;TZID=Europe/Copenhagen:20260522T090000" in lines
    assert "DTEND;TZID=Europe/Copenhagen:20260522T130000" in lines
    assert "TZID:Europe/Copenhagen" in lines
    assert "LOCATION:Regionshuset\\, Niels Bohrs Vej 30\\; lokale B" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    meeting = Meeting.objects.get()
    assert f"UID:moede-{meeting.pk}@example.org" in lines
    assert any(f"https://example.org/moeder/{meeting.pk}/" in line for line in lines)
