"""Creating meetings, adding and copying items, and what an attachment may be."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from moeder import services
from moeder.models import AgendaItem, Attachment, Body, Meeting

from .helpers import small_pdf


@pytest.fixture
def body(db):
    return Body.objects.create(name="DAS Social", slug="das-social")


def make_meeting(body, day=date(2026, 5, 22), **kwargs):
    return services.meeting_create(body=body, date=day, start_time=time(9), end_time=time(13),
                                   **kwargs)


def test_a_new_meeting_gets_the_four_standard_items(body):
    meeting = make_meeting(body)
    items = list(meeting.items.order_by("number"))
    assert [(i.number, i.title) for i in items] == [
        (1, "Godkendelse af dagsorden"), (2, "Godkendelse af referat fra seneste møde"),
        (3, "Eventuelt"), (4, "Næste møde"),
    ]
    assert items[0].points.get().text == "Godkender dagsordenen"
    assert meeting.state == Meeting.State.PLANLAGT


def test_a_meeting_must_end_after_it_starts(body):
    with pytest.raises(ValidationError):
        services.meeting_create(body=body, date=date(2026, 5, 22), start_time=time(13),
                                end_time=time(9))


def test_new_items_go_before_eventuelt_and_naeste_moede(body):
    meeting = make_meeting(body)
    services.item_add(meeting=meeting, title="Takster 2027", case_number="2026-000001")
    services.item_add(meeting=meeting, title="Bifrost status", kind=AgendaItem.Kind.ORIENTERING)
    assert list(meeting.items.order_by("number").values_list("title", flat=True)) == [
        "Godkendelse af dagsorden", "Godkendelse af referat fra seneste møde", "Takster 2027",
        "Bifrost status", "Eventuelt", "Næste møde",
    ]


def test_an_item_is_copied_to_the_next_planned_meeting_without_its_decision(body):
    held = make_meeting(body, date(2026, 2, 23), state=Meeting.State.AFHOLDT)
    make_meeting(body, date(2026, 8, 17))
    next_one = make_meeting(body, date(2026, 5, 22))
    item = services.item_add(meeting=held, title="Nyt takstskema", beslutning="Udsat.")
    item.points.create(number=1, text="Drøfter skemaet", outcome="udsat")
    Attachment.objects.create(item=item, title="Udkast", order=1)
    copy = services.item_copy_to_next_meeting(item=item)
    assert copy.meeting == next_one and copy.number == 3 and copy.copied_from == item
    assert copy.beslutning == "" and copy.points.get().outcome == ""
    assert copy.attachments.get().title == "Udkast"
    with pytest.raises(ValidationError):
        services.item_copy(item=copy, to_meeting=held)


def test_copying_without_a_later_meeting_is_refused(body):
    meeting = make_meeting(body)
    with pytest.raises(ValidationError, match="intet senere planlagt møde"):
        services.item_copy_to_next_meeting(item=meeting.items.first())


@pytest.mark.parametrize("name, content", [
    ("referat.txt", b"tekst"),
    ("virus.exe", b"MZ\x90\x00"),
    ("makro.xlsm", b"PK\x03\x04"),
    ("falsk.pdf", b"PK\x03\x04 not a pdf"),
    ("falsk.docx", b"%PDF-1.7"),
])
def test_attachments_of_other_types_are_refused(body, name, content):
    item = make_meeting(body).items.first()
    attachment = Attachment(item=item, title="Bilag", file=SimpleUploadedFile(name, content))
    with pytest.raises(ValidationError):
        services.attachment_save(attachment=attachment)
    assert not Attachment.objects.exists()


def test_attachments_over_the_size_limit_are_refused(body, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    item = make_meeting(body).items.first()
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.7" + b"0" * 2000)
    with pytest.raises(ValidationError, match="for stort"):
        services.attachment_save(attachment=Attachment(item=item, title="Stor", file=big))


def test_a_pdf_attachment_is_stored_with_its_hash(body):
    item = make_meeting(body).items.first()
    content = small_pdf("Bilag")
    attachment = services.attachment_save(attachment=Attachment(
        item=item, title="Bilag", file=SimpleUploadedFile("bilag.pdf", content)))
    import hashlib

    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.is_pdf


def test_a_substitute_must_name_whom_they_replace(body):
    from moeder.models import Attendance, Person

    meeting = make_meeting(body)
    hanne, mia = Person.objects.create(name="Hanne"), Person.objects.create(name="Mia")
    row = Attendance(meeting=meeting, person=mia, status=Attendance.Status.STEDFORTRAEDER)
    with pytest.raises(ValidationError, match="afløser"):
        row.full_clean()
    row.substitute_for = mia
    with pytest.raises(ValidationError, match="sig selv"):
        row.full_clean()
    row.substitute_for = hanne
    row.full_clean()
    present = Attendance(meeting=meeting, person=hanne, status=Attendance.Status.TIL_STEDE,
                         substitute_for=mia)
    with pytest.raises(ValidationError, match="Kun stedfortrædere"):
        present.full_clean()


def test_a_meeting_moves_forward_through_its_states_only(body):
    meeting = make_meeting(body)
    services.meeting_advance(meeting=meeting, to=Meeting.State.AFHOLDT)
    assert Meeting.objects.get().state == Meeting.State.AFHOLDT and meeting.is_held
    with pytest.raises(ValidationError, match="kan ikke sættes tilbage"):
        services.meeting_advance(meeting=meeting, to=Meeting.State.DAGSORDEN_UDSENDT)
    services.meeting_advance(meeting=meeting, to=Meeting.State.REFERAT_GODKENDT)
    assert Meeting.objects.get().state == Meeting.State.REFERAT_GODKENDT
