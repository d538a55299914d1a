"""The secretariat's admin: a new meeting gets standard items, bilag types, copying items."""

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from moeder.models import AgendaItem, Attachment, Meeting

from .helpers import small_pdf


def inline_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}


def test_a_meeting_added_in_the_admin_gets_the_standard_items(client, seed_meetings, make_user):
    client.force_login(make_user("sekretariat"))
    response = client.post("/admin/moeder/meeting/add/", {
        "body": 1, "date": "01.02.2027", "start_time": "12:00", "end_time": "16:00",
        "place": "Virtuelt", "state": "planlagt", "note": "",
        **inline_management("attendance"), **inline_management("items"),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(date="2027-02-01")
    assert list(meeting.items.values_list("title", flat=True)) == [
        "Godkendelse af dagsorden", "Godkendelse af referat fra seneste møde", "Eventuelt",
        "Næste møde"]


def test_the_admin_lists_and_shows_meetings_and_items(client, seed_meetings, make_user):
    client.force_login(make_user("sekretariat"))
    assert "DAS Social 23.02.2026" in client.get("/admin/moeder/meeting/").content.decode()
    page = client.get(f"/admin/moeder/meeting/{seed_meetings['feb'].pk}/change/")
    assert page.status_code == 200 and "Mia Riise" in page.content.decode()
    assert client.get("/admin/moeder/agendaitem/?q=takst").status_code == 200
    assert client.get("/admin/moeder/person/?q=Riise").status_code == 200


def item_form(item, attachment_file=None) -> dict:
    data = {
        "meeting": item.meeting_id, "number": item.number, "title": item.title,
        "case_number": item.case_number, "kind": item.kind, "standard": item.standard,
        "resume": "", "sagsfremstilling": "", "indstilling_intro": item.indstilling_intro,
        "beslutning": item.beslutning,
        **inline_management("points"), **inline_management("links"),
        **inline_management("attachments", total=1),
        "attachments-0-order": 1, "attachments-0-title": "Bilag", "attachments-0-file":
            attachment_file,
    }
    return data


def test_the_admin_refuses_attachments_of_other_types(client, seed_meetings, make_user):
    client.force_login(make_user("sekretariat"))
    item = seed_meetings["feb"].items.get(number=9)
    url = f"/admin/moeder/agendaitem/{item.pk}/change/"
    response = client.post(url, item_form(item, SimpleUploadedFile("noter.txt", b"hej")))
    assert response.status_code == 200
    assert "Filtypen" in response.content.decode() or "filendelse" in response.content.decode()
    assert not Attachment.objects.filter(item=item).exists()
    response = client.post(url, item_form(item, SimpleUploadedFile("bilag.pdf", small_pdf("x"))))
    assert response.status_code == 302
    stored = Attachment.objects.get(item=item)
    assert stored.is_pdf and len(stored.sha256) == 64


def test_the_copy_action_asks_for_a_later_meeting_and_copies_the_item(
    client, seed_meetings, make_user
):
    client.force_login(make_user("sekretariat"))
    item = seed_meetings["feb"].items.get(number=4)
    action = {"action": "copy_to_later_meeting", "_selected_action": [item.pk]}
    page = client.post("/admin/moeder/agendaitem/", action)
    assert page.status_code == 200
    choices = list(page.context["form"].fields["target"].queryset)
    assert [m.date.isoformat() for m in choices] == [
        "2026-05-22", "2026-08-17", "2026-10-23", "2026-12-18"]
    assert page.context["form"].fields["target"].initial == choices[0].pk
    assert "Udvikling af nyt takstskema" in page.content.decode()
    response = client.post("/admin/moeder/agendaitem/", {**action, "target": choices[1].pk})
    assert response.status_code == 302
    copy = AgendaItem.objects.get(copied_from=item)
    assert copy.meeting.date.isoformat() == "2026-08-17" and copy.number == 3
    assert [p.text for p in copy.points.all()] == [p.text for p in item.points.all()]
    assert copy.beslutning == ""
    message = [str(m) for m in get_messages(response.wsgi_request)][0]
    assert "kopieret til DAS Social 17.08.2026 som punkt 3" in message


def test_the_secretariat_marks_a_meeting_as_held_in_the_admin(client, seed_meetings, make_user):
    client.force_login(make_user("sekretariat"))
    may = Meeting.objects.get(date="2026-05-22")
    response = client.post("/admin/moeder/meeting/", {
        "action": "mark_held", "_selected_action": [may.pk, seed_meetings["nov"].pk]})
    assert response.status_code == 302
    may.refresh_from_db()
    assert may.state == Meeting.State.AFHOLDT
    seed_meetings["nov"].refresh_from_db()
    assert seed_meetings["nov"].state == Meeting.State.REFERAT_GODKENDT
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("kan ikke sættes tilbage" in t for t in texts)
