"""An agenda item's number is unique within its meeting; the admin finds meetings by date."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from moeder import services
from moeder.models import AgendaItem, Meeting
from moeder.selectors import meeting_date_filter

from .test_admin import inline_management

pytestmark = pytest.mark.django_db


def test_two_items_of_one_meeting_cannot_share_a_number(seed_meetings):
    meeting = seed_meetings["feb"]
    taken = meeting.items.first().number
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, number=taken, title="Dublet")
    # The same number on another meeting is fine.
    AgendaItem.objects.create(meeting=seed_meetings["nov"], number=99, title="Andet møde")
    AgendaItem.objects.create(meeting=meeting, number=99, title="Dette møde")


def test_adding_and_renumbering_items_never_collides(seed_meetings):
    meeting = seed_meetings["feb"]
    before = meeting.items.count()
    item = services.item_add(meeting=meeting, title="Nyt punkt om takster")
    numbers = list(meeting.items.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, before + 2))
    assert meeting.items.order_by("-number")[2].pk == item.pk  # before eventuelt, næste møde
    AgendaItem.objects.filter(pk=item.pk).update(number=500)
    services.meeting_renumber_items(meeting=meeting)
    assert list(meeting.items.order_by("number").values_list("number", flat=True)) == (
        list(range(1, before + 2)))


def test_swapping_two_numbers_in_the_meeting_admin_saves(client, seed_meetings, make_user):
    client.force_login(make_user("sekretariat"))
    meeting = seed_meetings["nov"]
    items = list(meeting.items.order_by("number")[:2])
    data = {"body": meeting.body_id, "date": meeting.date.strftime("%d.%m.%Y"),
            "start_time": "12:00", "end_time": "16:00", "place": meeting.place,
            "state": meeting.state, "note": meeting.note,
            **inline_management("attendance"), **inline_management("items")}
    # Keep the attendance rows as they are; edit only the first two items' numbers.
    page = client.get(f"/admin/moeder/meeting/{meeting.pk}/change/")
    form = page.context["adminform"].form
    inlines = page.context["inline_admin_formsets"]
    for inline in inlines:
        formset = inline.formset
        data.update({f"{formset.prefix}-TOTAL_FORMS": formset.total_form_count(),
                     f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count()})
        for f in formset.forms:
            for name in f.fields:
                value = f[name].value()
                if value is None:
                    continue
                key = f"{f.prefix}-{name}"
                if isinstance(value, (list, tuple)):
                    data[key] = [str(v) for v in value]
                elif isinstance(value, bool):
                    if value:
                        data[key] = "on"
                else:
                    data[key] = getattr(value, "pk", value)
    items_prefix = next(i.formset.prefix for i in inlines if i.formset.model is AgendaItem)
    for i, f in enumerate(next(i.formset for i in inlines if i.formset.model is AgendaItem)
                          .forms):
        if f.instance.pk == items[0].pk:
            data[f"{items_prefix}-{i}-number"] = items[1].number
        if f.instance.pk == items[1].pk:
            data[f"{items_prefix}-{i}-number"] = items[0].number
    assert form is not None
    response = client.post(f"/admin/moeder/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AgendaItem.objects.get(pk=items[0].pk).number == items[1].number
    assert AgendaItem.objects.get(pk=items[1].pk).number == items[0].number


@pytest.mark.parametrize(("term", "expected"), [
    ("18.12.2026", {"date": datetime.date(2026, 12, 18)}),
    ("18-12-2026", {"date": datetime.date(2026, 12, 18)}),
    ("2026-12-18", {"date": datetime.date(2026, 12, 18)}),
    ("december 2026", {"date__year": 2026, "date__month": 12}),
    ("18. december 2026", {"date": datetime.date(2026, 12, 18)}),  # as the site prints it
    ("18 dec. 2026", {"date": datetime.date(2026, 12, 18)}),
    ("Dec. 2026", {"date__year": 2026, "date__month": 12}),
    ("12.2026", {"date__year": 2026, "date__month": 12}),
    ("2026", {"date__year": 2026}),
])
def test_staff_type_a_date_the_way_they_write_it(term, expected):
    assert dict(meeting_date_filter(term).children) == expected


@pytest.mark.parametrize("term", ["takster", "31.02.2026", "ma 2026", "13.2026", "",
                                  "30. februar 2026"])
def test_a_term_that_is_no_date_searches_as_text(term):
    assert meeting_date_filter(term) is None


def test_the_meeting_autocomplete_finds_a_meeting_by_its_date(client, seed_meetings, make_user):
    client.force_login(make_user("sekretariat"))
    assert Meeting.objects.filter(date=datetime.date(2026, 12, 18)).exists()  # planned
    url = ("/admin/autocomplete/?app_label=moeder&model_name=agendaitem&field_name=meeting"
           "&term=")
    for term, label in (("18.12.2026", "DAS Social 18.12.2026"),
                        ("december 2026", "DAS Social 18.12.2026"),
                        ("23.02.2026", "DAS Social 23.02.2026"),
                        ("23. februar 2026", "DAS Social 23.02.2026")):
        results = client.get(url + term).json()["results"]
        assert [r["text"] for r in results] == [label], term
    listing = client.get("/admin/moeder/meeting/?q=november+2025").content.decode()
    assert "DAS Social 17.11.2025" in listing and "DAS Social 23.02.2026" not in listing


def test_a_duplicate_number_in_the_item_admin_is_a_danish_form_error(
    client, seed_meetings, make_user
):
    client.force_login(make_user("sekretariat"))
    first, second = seed_meetings["feb"].items.order_by("number")[:2]
    page = client.get(f"/admin/moeder/agendaitem/{second.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"meeting": second.meeting_id, "number": first.number})
    for inline in page.context["inline_admin_formsets"]:
        fs = inline.formset
        data.update({f"{fs.prefix}-TOTAL_FORMS": 0, f"{fs.prefix}-INITIAL_FORMS": 0,
                     f"{fs.prefix}-MIN_NUM_FORMS": 0, f"{fs.prefix}-MAX_NUM_FORMS": 1000})
    response = client.post(f"/admin/moeder/agendaitem/{second.pk}/change/", data)
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
    assert "eksisterer allerede" in errors or "findes allerede" in errors, errors
    assert AgendaItem.objects.get(pk=second.pk).number == second.number


@pytest.mark.django_db(transaction=True)
def test_the_migration_renumbers_duplicate_numbers_before_adding_the_constraint():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("moeder", "0002_agendaitem_beslutning_summary")]
    after = [("moeder", "0003_agendaitem_number_unique")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    body = old.get_model("moeder", "Body").objects.create(name="DAS Social", slug="das-social")
    meeting = old.get_model("moeder", "Meeting").objects.create(
        body=body, date=datetime.date(2026, 2, 23), start_time=datetime.time(12),
        end_time=datetime.time(15))
    item = old.get_model("moeder", "AgendaItem")
    for number, title in ((1, "Dagsorden"), (1, "Referat"), (2, "Takster")):
        item.objects.create(meeting=meeting, number=number, title=title)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert list(AgendaItem.objects.filter(meeting_id=meeting.pk).order_by("number")
                    .values_list("number", "title")) == [
            (1, "Dagsorden"), (2, "Referat"), (3, "Takster")]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_agenda_item_autocomplete_names_each_item_s_meeting(
    client, seed_meetings, make_user, django_assert_max_num_queries
):
    """Every meeting has a "Punkt 1. Godkendelse af dagsorden": the choices (e.g. for a DAS
    approval of rates) say which meeting each item belongs to."""
    client.force_login(make_user("sekretariat"))
    url = ("/admin/autocomplete/?app_label=takster&model_name=dasapproval&field_name=item"
           "&term=Godkendelse+af+dagsorden")
    with django_assert_max_num_queries(8):
        results = client.get(url).json()["results"]
    texts = [r["text"] for r in results]
    assert "DAS Social 23.02.2026 · Punkt 1. Godkendelse af dagsorden" in texts
    assert "DAS Social 17.11.2025 · Punkt 1. Godkendelse af dagsorden" in texts
    assert len(set(texts)) == len(texts) > 2
