"""Domain writes for meetings: create with standard items, add, copy, renumber, advance state."""

import hashlib
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import AgendaItem, Attachment, Body, IndstillingPoint, Meeting

Standard = AgendaItem.Standard

OPENING_ITEMS = [
    (Standard.DAGSORDEN, "Godkendelse af dagsorden", "Godkender dagsordenen"),
    (Standard.REFERAT, "Godkendelse af referat fra seneste møde", "Godkender referatet"),
]
CLOSING_ITEMS = [
    (Standard.EVENTUELT, "Eventuelt", ""),
    (Standard.NAESTE_MOEDE, "Næste møde", ""),
]


def meeting_create(
    *, body: Body, date: date, start_time: time, end_time: time, place: str = "Virtuelt",
    state: str = Meeting.State.PLANLAGT,
) -> Meeting:
    """Create a meeting with the standard items (dagsorden, referat, eventuelt, næste møde)."""
    meeting = Meeting(body=body, date=date, start_time=start_time, end_time=end_time,
                      place=place, state=state)
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        meeting_add_standard_items(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_add_standard_items(*, meeting: Meeting) -> None:
    """Put the standard items first and last around any items the meeting already has."""
    existing = list(meeting.items.all())
    present = {item.standard for item in existing if item.standard}
    opening, middle, closing = [], [], []
    for standard, title, point in OPENING_ITEMS:
        if standard not in present:
            opening.append(_standard_item(meeting, standard, title, point))
    for item in existing:
        if item.standard in {s for s, _, _ in OPENING_ITEMS}:
            opening.append(item)
        elif item.standard in {s for s, _, _ in CLOSING_ITEMS}:
            closing.append(item)
        else:
            middle.append(item)
    for standard, title, point in CLOSING_ITEMS:
        if standard not in present:
            closing.append(_standard_item(meeting, standard, title, point))
    _renumber(opening + middle + closing)


# Numbers above this are parked while items are renumbered: a number is unique within a
# meeting (constraint), so two items never share one, not even for a moment.
PARKED_NUMBER = 20_000


def _free_number(meeting) -> int:
    """A number no item of the meeting has, for an item that is renumbered at once."""
    numbers = set(meeting.items.values_list("number", flat=True))
    return next(n for n in range(PARKED_NUMBER, 32_767) if n not in numbers)


def _standard_item(meeting, standard, title, point) -> AgendaItem:
    kind = AgendaItem.Kind.BESLUTNING if point else AgendaItem.Kind.ORIENTERING
    item = AgendaItem.objects.create(
        meeting=meeting, number=_free_number(meeting), title=title, standard=standard, kind=kind,
        indstilling_intro="Det indstilles, at Den Administrative Styregruppe" if point else "",
    )
    if point:
        IndstillingPoint.objects.create(item=item, number=1, text=point)
    return item


def _renumber(items: list[AgendaItem]) -> None:
    """Number the items 1, 2, 3 …; changed items are parked first so no two collide."""
    changed = [(n, item) for n, item in enumerate(items, start=1) if item.number != n]
    for offset, (_, item) in enumerate(changed):
        AgendaItem.objects.filter(pk=item.pk).update(number=PARKED_NUMBER + 5_000 + offset)
    for number, item in changed:
        item.number = number
        AgendaItem.objects.filter(pk=item.pk).update(number=number)


@transaction.atomic
def meeting_renumber_items(*, meeting: Meeting) -> None:
    """Close gaps: number the items 1, 2, 3 … in their current order."""
    _renumber(list(meeting.items.order_by("number", "pk")))


@transaction.atomic
def item_add(*, meeting: Meeting, title: str, **fields) -> AgendaItem:
    """Add an item before the closing standard items (eventuelt, næste møde)."""
    items = list(meeting.items.order_by("number", "pk"))
    closing = [i for i in items if i.standard in {s for s, _, _ in CLOSING_ITEMS}]
    before = [i for i in items if i not in closing]
    item = AgendaItem(meeting=meeting, number=_free_number(meeting), title=title, **fields)
    item.full_clean()
    item.save()
    _renumber(before + [item] + closing)
    return item


@transaction.atomic
def item_copy(*, item: AgendaItem, to_meeting: Meeting) -> AgendaItem:
    """Copy an item (text, indstilling, bilag, not the decision) to a later meeting."""
    if to_meeting.date <= item.meeting.date:
        raise ValidationError("Et punkt kan kun kopieres til et senere møde.")
    copy = item_add(
        meeting=to_meeting, title=item.title, case_number=item.case_number, kind=item.kind,
        is_closed=item.is_closed, resume=item.resume, sagsfremstilling=item.sagsfremstilling,
        indstilling_intro=item.indstilling_intro, copied_from=item,
    )
    IndstillingPoint.objects.bulk_create(
        IndstillingPoint(item=copy, number=p.number, text=p.text) for p in item.points.all()
    )
    Attachment.objects.bulk_create(
        Attachment(item=copy, order=a.order, title=a.title, file=a.file.name, sha256=a.sha256)
        for a in item.attachments.all()
    )
    return copy


def item_copy_to_next_meeting(*, item: AgendaItem) -> AgendaItem:
    """Copy to the body's next meeting that has not been held yet."""
    target = (Meeting.objects
              .filter(body_id=item.meeting.body_id, date__gt=item.meeting.date,
                      state__in=[Meeting.State.PLANLAGT, Meeting.State.DAGSORDEN_UDSENDT])
              .order_by("date", "start_time").first())
    if target is None:
        raise ValidationError("Der er intet senere planlagt møde at kopiere punktet til.")
    return item_copy(item=item, to_meeting=target)


def attachment_save(*, attachment: Attachment) -> Attachment:
    """Validate and store a bilag with the sha256 of its bytes (part of the package hash)."""
    if attachment.file:
        digest = hashlib.sha256()
        for chunk in attachment.file.chunks():
            digest.update(chunk)
        attachment.sha256 = digest.hexdigest()
    else:
        attachment.sha256 = ""
    attachment.full_clean()
    attachment.save()
    return attachment


STATE_ORDER = [Meeting.State.PLANLAGT, Meeting.State.DAGSORDEN_UDSENDT, Meeting.State.AFHOLDT,
               Meeting.State.REFERAT_GODKENDT]


def meeting_advance(*, meeting: Meeting, to: str) -> Meeting:
    """Move a meeting forward: planlagt → dagsorden udsendt → afholdt → referat godkendt."""
    if STATE_ORDER.index(to) <= STATE_ORDER.index(meeting.state):
        raise ValidationError(
            f"Mødet er allerede »{meeting.get_state_display().lower()}« og kan ikke sættes "
            f"tilbage til »{Meeting.State(to).label.lower()}«."
        )
    meeting.state = to
    meeting.save(update_fields=["state", "updated_at"])
    return meeting
