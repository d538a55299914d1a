"""A hand-written iCalendar (RFC 5545) feed of meeting dates: CRLF lines, folded at 75 octets."""

from datetime import UTC, datetime

from .models import Meeting

TZID = "Europe/Copenhagen"
VTIMEZONE = [
    "BEGIN:VTIMEZONE", f"TZID:{TZID}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
    "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
    "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not chunks else 74  # continuation lines start with a space
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def meetings_ics(
    meetings: list[Meeting], *, base_url: str, now: datetime | None = None
) -> str:
    """`base_url` like "https://example.org" gives the UIDs' domain and the links."""
    host = base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nordjysk Socialaftale//Møder//DA",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:DAS Social – møder",
             f"X-WR-TIMEZONE:{TZID}", *VTIMEZONE]
    for meeting in meetings:
        start = datetime.combine(meeting.date, meeting.start_time)
        end = datetime.combine(meeting.date, meeting.end_time)
        lines += [
            "BEGIN:VEVENT",
            f"UID:moede-{meeting.pk}@{host}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;TZID={TZID}:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={TZID}:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{escape(f'{meeting.body.name}: møde')}",
            f"LOCATION:{escape(meeting.place)}",
            f"DESCRIPTION:{escape(f'{meeting.body.name}, {meeting.get_state_display().lower()}. ')}"
            f"{escape('Dagsorden og referat: ' + base_url + meeting.get_absolute_url())}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
