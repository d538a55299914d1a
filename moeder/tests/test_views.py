"""Who may see the meeting pages, what they show, and a fixed number of queries."""

from datetime import date, time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from moeder import services
from moeder.models import AgendaItem, Attachment, Body, Meeting
from moeder.selectors import decisions_search, visible_items
from socialaftale.models import Driftsherre, Job


def urls(seed):
    feb = seed["feb"]
    return [
        reverse("moeder:index"),
        reverse("moeder:meeting", args=[feb.pk]),
        reverse("moeder:minutes", args=[feb.pk]),
        reverse("moeder:decisions") + "?q=takster",
        reverse("moeder:calendar"),
        reverse("moeder:document", args=[feb.pk, "referat"]),
    ]


def test_anonymous_users_are_sent_to_login(client, seed_meetings):
    for url in urls(seed_meetings):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/log-ind/?next="), url


def test_driftsherre_users_get_403(client, seed_meetings, make_user):
    client.force_login(make_user("driftsherre", Driftsherre.objects.get(slug="aalborg")))
    for url in urls(seed_meetings):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["das", "sekretariat"])
def test_das_members_and_the_secretariat_see_every_page(client, seed_meetings, make_user, role):
    client.force_login(make_user(role))
    for url in urls(seed_meetings):
        assert client.get(url).status_code == 200, url


def test_meeting_list_splits_upcoming_and_past(client, seed_meetings, make_user):
    client.force_login(make_user("das"))
    response = client.get(reverse("moeder:index"))
    upcoming = [m.date for m in response.context["upcoming"]]
    past = [m.date for m in response.context["past"]]
    assert upcoming == sorted(upcoming) and past == sorted(past, reverse=True)
    assert set(upcoming + past) == set(Meeting.objects.values_list("date", flat=True))


def test_minutes_page_shows_header_items_and_decisions(client, seed_meetings, make_user):
    client.force_login(make_user("das"))
    html = client.get(reverse("moeder:minutes", args=[seed_meetings["feb"].pk])).content.decode()
    assert "Mia Riise, Jammerbugt Kommune – i stedet for Hanne Madsen" in html
    assert "Martin Kolling Jensen, Økonomikonsulent, Mariagerfjord Kommune (deltager i punkt 4)" \
        in html
    assert html.index("Punkt 4. Udvikling af nyt takstskema") < html.index("Punkt 17. Næste møde")
    assert "365 betalingsdage" in html
    section = html[html.index('id="punkt-4"'):html.index('id="punkt-5"')]
    assert "Deltager under punktet: Martin Kolling Jensen, Økonomikonsulent" in section
    assert "12 i alt: 11 til stede og 1 fraværende, heraf 1 repræsenteret ved stedfortræder" \
        in html


def test_the_agenda_of_a_planned_meeting_has_no_minutes(client, seed_meetings, make_user):
    client.force_login(make_user("das"))
    may = Meeting.objects.get(date="2026-05-22")
    assert client.get(reverse("moeder:minutes", args=[may.pk])).status_code == 404
    html = client.get(reverse("moeder:meeting", args=[may.pk])).content.decode()
    assert "Punkt 3. Eventuelt" in html and "Referat (PDF)" not in html


def test_decisions_search_finds_rate_decisions_across_meetings(client, seed_meetings, make_user):
    client.force_login(make_user("das"))
    response = client.get(reverse("moeder:decisions"), {"q": "takster"})
    found = {(i.meeting.date, i.number) for i in response.context["items"]}
    assert (date(2025, 11, 17), 5) in found and (date(2026, 2, 23), 10) in found
    assert (date(2026, 2, 23), 5) not in found  # sundhedstjek
    dates = [i.meeting.date for i in response.context["items"]]
    assert dates == sorted(dates, reverse=True)
    assert len(client.get(reverse("moeder:decisions")).context["items"]) == 36
    both = client.get(reverse("moeder:decisions"), {"q": "takster Aalborg"}).context["items"]
    assert [(i.meeting.date, i.number) for i in both] == [(date(2026, 2, 23), 10)]


def test_closed_items_are_hidden_from_everyone_but_insiders(seed_meetings, make_user):
    item = seed_meetings["feb"].items.get(number=12)
    item.is_closed = True
    item.save()
    driftsherre = make_user("driftsherre", Driftsherre.objects.get(slug="rebild"))
    for user, sees in [(make_user("das"), True), (make_user("sekretariat"), True),
                       (driftsherre, False)]:
        assert visible_items(user).filter(pk=item.pk).exists() is sees
        assert any(i.pk == item.pk for i in decisions_search(user=user, query="")) is sees


def test_an_attachment_downloads_for_members_only(client, seed_meetings, make_user):
    item = seed_meetings["feb"].items.get(number=4)
    attachment = Attachment.objects.create(item=item, title="Skema", order=1)
    attachment.file.save("skema.pdf", ContentFile(b"%PDF-1.7 test"))
    url = reverse("moeder:attachment", args=[attachment.pk])
    client.force_login(make_user("driftsherre", Driftsherre.objects.get(slug="rebild")))
    assert client.get(url).status_code == 403
    client.force_login(make_user("das"))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    unfiled = item.attachments.exclude(pk=attachment.pk).first()
    assert client.get(reverse("moeder:attachment", args=[unfiled.pk])).status_code == 404


def test_a_meeting_change_renders_its_documents_and_a_member_gets_them_in_one_click(
    client, seed_meetings, make_user, django_capture_on_commit_callbacks
):
    client.force_login(make_user("das"))
    may = Meeting.objects.get(date="2026-05-22")
    url = reverse("moeder:document", args=[may.pk, "dagsorden"])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url).content.decode()
    assert not Job.objects.exists()  # no GET creates work
    assert "Lav PDF" not in page and "Dan dokumentet igen" not in page  # nothing for readers
    assert client.post(url).status_code == 403
    item = may.items.first()
    item.title = item.title + " (revideret)"
    with django_capture_on_commit_callbacks(execute=True):  # the secretariat saves an item
        item.save()
    kinds = set(Job.objects.filter(subject_id=may.pk).values_list("kind", flat=True))
    assert {"moeder.dagsorden", "moeder.pakke"} <= kinds and "moeder.referat" not in kinds
    response = client.get(url)  # one click: the file at once
    assert response["Content-Type"] == "application/pdf"
    assert "dagsorden-das-social-2026-05-22.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("moeder:document", args=[may.pk, "referat"])).status_code == 404


def test_a_rendering_document_page_waits_and_hands_the_file_over(
    client, seed_meetings, make_user, django_capture_on_commit_callbacks
):
    from moeder.documents import KINDS, document_input_hash

    client.force_login(make_user("das"))
    feb = seed_meetings["feb"]
    job = Job.objects.create(kind="moeder.referat", subject=feb,
                             input_hash=document_input_hash(meeting=feb, kind=KINDS["referat"]))
    page = client.get(reverse("moeder:document", args=[feb.pk, "referat"])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "I kø (0 %)" in page and ">Opdater</a>" in page
    assert f'data-job-status-url="/jobs/{job.pk}/status/"' in page
    assert "socialaftale/job-progress.js" in page
    job.status = Job.Status.DONE
    job.save()
    status = client.get(f"/jobs/{job.pk}/status/").json()
    assert status["done_url"] == reverse("moeder:document_download", args=[job.pk])
    from socialaftale.models import Driftsherre

    client.force_login(make_user("driftsherre", Driftsherre.objects.get(slug="aalborg")))
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 404  # insiders only


def test_the_secretariat_renders_a_document_again(
    client, seed_meetings, make_user, django_capture_on_commit_callbacks
):
    client.force_login(make_user("sekretariat"))
    feb = seed_meetings["feb"]
    url = reverse("moeder:document", args=[feb.pk, "referat"])
    assert "Dan dokumentet igen" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url)["Location"] == url
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = Job.objects.get(kind="moeder.referat")
    assert job.status == Job.Status.DONE and job.attempts == 2


def test_the_calendar_downloads_as_ics(client, seed_meetings, make_user):
    client.force_login(make_user("das"))
    response = client.get(reverse("moeder:calendar"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 6
    assert "DTSTART;TZID=Europe/Copenhagen:20261218T090000" in body


@pytest.fixture
def big_meeting(db):
    body = Body.objects.create(name="Forretningsudvalget", slug="fu")
    meeting = services.meeting_create(body=body, date=date(2026, 3, 2), start_time=time(9),
                                      end_time=time(11), state=Meeting.State.AFHOLDT)
    for n in range(40):
        item = services.item_add(meeting=meeting, title=f"Sag {n}", beslutning=f"Besluttet {n}",
                                 kind=AgendaItem.Kind.BESLUTNING)
        item.points.create(number=1, text="Godkender", outcome="godkendt")
        item.attachments.create(title=f"Bilag {n}", order=1)
        item.links.create(content_type_id=_meeting_ct(), object_id=meeting.pk, label="Mødet")
    return meeting


def _meeting_ct():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Meeting).pk


def test_meeting_and_decision_pages_use_a_fixed_number_of_queries(
    client, big_meeting, make_user, django_assert_max_num_queries
):
    client.force_login(make_user("das"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("moeder:minutes", args=[big_meeting.pk]))
    assert response.content.decode().count("Besluttet ") == 40
    with django_assert_max_num_queries(8):
        response = client.get(reverse("moeder:decisions"), {"q": "Besluttet"})
    assert len(response.context["items"]) == 40
    with django_assert_max_num_queries(6):
        client.get(reverse("moeder:index"))


def _pending_refreshes() -> list:
    """The refresh keys waiting for the (test's never-committed) transaction to commit."""
    from django.db import transaction

    return [getattr(func, "refresh_key", None)
            for _sids, func, _robust in transaction.get_connection().run_on_commit]


def test_an_admin_save_of_many_rows_refreshes_the_documents_once(seed_meetings):
    from django.db import transaction

    may = Meeting.objects.get(date="2026-05-22")
    assert f"moeder.meeting:{may.pk}" not in _pending_refreshes()
    with transaction.atomic():  # as the admin's change form: the meeting and its inlines
        may.save()
        for item in may.items.all()[:5]:
            item.save()
    assert _pending_refreshes().count(f"moeder.meeting:{may.pk}") == 1


def test_the_secretariat_forces_new_documents_in_the_admin(
    admin_client, seed_meetings, django_capture_on_commit_callbacks
):
    from moeder.jobs import meeting_documents_refresh

    feb = seed_meetings["feb"]
    with django_capture_on_commit_callbacks(execute=True):
        meeting_documents_refresh(meeting_id=feb.pk)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:moeder_meeting_changelist"), {
            "action": "rerender_documents", "_selected_action": [feb.pk],
        })
    jobs = Job.objects.filter(subject_id=feb.pk, kind__startswith="moeder.")
    assert {(j.kind, j.status, j.attempts) for j in jobs} == {
        ("moeder.dagsorden", "done", 2), ("moeder.referat", "done", 2),
        ("moeder.pakke", "done", 2)}


def test_a_guest_added_to_an_item_refreshes_the_meeting_s_documents(seed_meetings):
    from django.db import transaction

    from moeder.models import Attendance, Person

    may = Meeting.objects.get(date="2026-05-22")
    attendance = Attendance.objects.create(meeting=may, person=Person.objects.first(),
                                           status=Attendance.Status.choices[0][0])
    transaction.get_connection().run_on_commit.clear()  # forget the create's own refresh
    attendance.items.add(may.items.first())  # a many-to-many change, no save
    assert _pending_refreshes() == [f"moeder.meeting:{may.pk}"]
