"""Reads for the meeting pages and documents, each a fixed number of queries."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from socialaftale.permissions import Role, role_of

from .models import AgendaItem, Attachment, Attendance, Meeting, Membership

INSIDERS = {Role.SEKRETARIAT, Role.DAS}


def may_see_closed(user) -> bool:
    return role_of(user) in INSIDERS


def visible_items(user, items: QuerySet[AgendaItem] | None = None) -> QuerySet[AgendaItem]:
    """Closed items exist only for the secretariat and DAS members."""
    items = AgendaItem.objects.all() if items is None else items
    return items if may_see_closed(user) else items.filter(is_closed=False)


def meetings_upcoming_and_past(*, today=None) -> tuple[list[Meeting], list[Meeting]]:
    today = today or timezone.localdate()
    meetings = list(Meeting.objects.select_related("body").order_by("date", "start_time"))
    upcoming = [m for m in meetings if m.date >= today]
    past = [m for m in reversed(meetings) if m.date < today]
    return upcoming, past


@dataclass
class AttendanceSummary:
    present: list[Attendance] = field(default_factory=list)
    absent: list[Attendance] = field(default_factory=list)
    substitutes: list[Attendance] = field(default_factory=list)
    others: list[Attendance] = field(default_factory=list)

    @property
    def members_present(self) -> int:
        return len(self.present)

    @property
    def members_total(self) -> int:
        """Every member is either present or absent; a substitute stands in for an absent one."""
        return len(self.present) + len(self.absent)

    @property
    def represented(self) -> int:
        """Members present in person or through a substitute."""
        return len(self.present) + len(self.substitutes)


def attendance_summary(meeting: Meeting) -> AttendanceSummary:
    rows = (meeting.attendance
            .select_related("person__driftsherre", "substitute_for__driftsherre")
            .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.only("id", "number")))
            .order_by("order", "pk"))
    summary = AttendanceSummary()
    buckets = {
        Attendance.Status.TIL_STEDE: summary.present,
        Attendance.Status.FRAVAERENDE: summary.absent,
        Attendance.Status.STEDFORTRAEDER: summary.substitutes,
        Attendance.Status.OEVRIG: summary.others,
    }
    for row in rows:
        buckets[row.status].append(row)
    return summary


def meeting_items(meeting: Meeting, *, include_closed: bool) -> list[AgendaItem]:
    """Items with points, bilag and links, in order; closed ones only for insiders."""
    items = meeting.items.all() if include_closed else meeting.items.filter(is_closed=False)
    return list(items.order_by("number", "pk").prefetch_related(
        "points",
        Prefetch("attachments", queryset=Attachment.objects.order_by("order", "pk")),
        "links__target",
        Prefetch("guests", queryset=Attendance.objects.select_related(
            "person__driftsherre").order_by("order", "pk")),
    ))


def meeting_document_context(meeting: Meeting, *, minutes: bool, include_closed: bool) -> dict:
    """Everything the agenda/minutes page and PDF show."""
    return {
        "meeting": meeting,
        "attendance": attendance_summary(meeting),
        "items": meeting_items(meeting, include_closed=include_closed),
        "minutes": minutes,
        "next_meeting": meeting.next_meeting,
    }


def decisions_search(*, user, query: str = "", limit: int = 200) -> QuerySet[AgendaItem]:
    """Items with a decision, newest meeting first, matching every word of the query."""
    items = visible_items(user).exclude(beslutning="").select_related("meeting__body")
    for word in query.split():
        items = items.filter(
            Q(title__icontains=word) | Q(beslutning__icontains=word)
            | Q(resume__icontains=word) | Q(case_number__icontains=word)
            | Q(points__text__icontains=word)
        )
    items = items.distinct().order_by("-meeting__date", "number")
    return items.prefetch_related("points")[:limit]


def members_of(meeting: Meeting) -> QuerySet[Membership]:
    return (Membership.objects.filter(body_id=meeting.body_id, start_date__lte=meeting.date)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=meeting.date))
            .select_related("person__driftsherre"))


MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december",
)
_FULL_DATE = re.compile(r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^([a-zæøå]+)\.?\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})$")  # "23. februar 2026"
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[.\-/](\d{4})$")


def _month_number(name: str) -> int | None:
    """The month a Danish name or abbreviation of at least three letters names ("feb")."""
    months = [i for i, m in enumerate(MONTHS_DA, start=1) if len(name) >= 3
              and m.startswith(name)]
    return months[0] if len(months) == 1 else None


def meeting_date_filter(term: str, *, prefix: str = "") -> Q | None:
    """A filter on a meeting's date from what staff type: "18.12.2026", "2026-12-18",
    "18. december 2026" (as the site prints it), "december 2026", "dec. 2026", "12.2026" or
    "2026"; None when the term is no date."""
    text = " ".join((term or "").casefold().split())
    field = f"{prefix}date"
    try:
        if match := _FULL_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            year += 2000 if year < 100 else 0
            return Q(**{field: datetime.date(year, month, day)})
        if match := _ISO_DATE.match(text):
            return Q(**{field: datetime.date(*(int(g) for g in match.groups()))})
        if match := _DAY_MONTH_YEAR.match(text):
            day, name, year = match.groups()
            month = _month_number(name)
            return Q(**{field: datetime.date(int(year), month, int(day))}) if month else None
    except ValueError:
        return None
    if match := _MONTH_YEAR.match(text):
        name, year = match.groups()
        if month := _month_number(name):
            return Q(**{f"{field}__year": int(year), f"{field}__month": month})
        return None
    if match := _NUMERIC_MONTH.match(text):
        month, year = (int(g) for g in match.groups())
        if 1 <= month <= 12:
            return Q(**{f"{field}__year": year, f"{field}__month": month})
        return None
    if re.fullmatch(r"\d{4}", text):
        return Q(**{f"{field}__year": int(text)})
    return None
