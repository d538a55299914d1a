"""Free places for all of a driftsherre's offers in one form; stale reports; reminders."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from socialaftale.models import Driftsherre, Notification, Profile
from tilbud.models import LedigKapacitet, Tilbud
from tilbud.services import kapacitet_is_stale, kapacitet_reminders_send

pytestmark = pytest.mark.django_db
Role = Profile.Role
URL = reverse("tilbud:kapacitet_bulk")


def _today():
    return timezone.localdate()


@pytest.fixture
def aalborg_offers(register):
    """Syrenhuset (40 places) and Birken (32), Aalborg's; Kærvej is Mariagerfjord's."""
    LedigKapacitet.objects.create(tilbud=register["syrenhuset"], free_places=3,
                                  as_of=_today() - datetime.timedelta(days=40))
    return register


def _post(client, register, syrenhuset="2", birken="0", **extra):
    data = {
        "as_of": _today().isoformat(),
        f"t{register['syrenhuset'].pk}-free_places": syrenhuset,
        f"t{register['syrenhuset'].pk}-note": "Afdeling Øst",
        f"t{register['birken'].pk}-free_places": birken,
        f"t{register['birken'].pk}-note": "",
        **extra,
    }
    return client.post(URL, data)


def test_who_may_open_the_bulk_form(client, make_user, aalborg_offers, aalborg_user):
    assert client.get(URL).status_code == 302  # anonymous → login
    client.force_login(make_user(Role.DAS))
    assert client.get(URL).status_code == 403
    client.force_login(aalborg_user)
    mariagerfjord = Driftsherre.objects.get(slug="mariagerfjord")
    assert client.get(URL, {"driftsherre": mariagerfjord.pk}).status_code == 404
    page = client.get(URL).content.decode()
    assert "Syrenhuset" in page and "Specialbørnehaven Birken" in page
    assert "Kærvej" not in page  # another driftsherre's offer
    client.force_login(make_user(Role.SEKRETARIAT))
    assert "Vælg den driftsherre" in client.get(URL).content.decode()
    assert "Kærvej" in client.get(URL, {"driftsherre": mariagerfjord.pk}).content.decode()


def test_rows_are_prefilled_and_marked_stale(client, aalborg_offers, aalborg_user):
    client.force_login(aalborg_user)
    page = client.get(URL).content.decode()
    pk = aalborg_offers["syrenhuset"].pk
    assert f'name="t{pk}-free_places" id="id_t{pk}-free_places" value="3"' in page
    assert "Forældet" in page and "Aldrig" in page  # Birken has never reported


def test_all_rows_are_saved_together_and_the_form_comes_back(client, aalborg_offers,
                                                              aalborg_user):
    client.force_login(aalborg_user)
    response = _post(client, aalborg_offers)
    assert response.status_code == 302 and response["Location"] == URL
    reports = {r.tilbud.name: r for r in LedigKapacitet.objects.filter(as_of=_today())}
    assert {name: r.free_places for name, r in reports.items()} == {
        "Syrenhuset": 2, "Specialbørnehaven Birken": 0}
    assert reports["Syrenhuset"].note == "Afdeling Øst"
    assert reports["Syrenhuset"].reported_by == aalborg_user
    page = client.get(URL).content.decode()
    assert "Ledig kapacitet er gemt for 2 tilbud." in page and "Forældet" not in page


def test_an_empty_row_is_left_out(client, aalborg_offers, aalborg_user):
    client.force_login(aalborg_user)
    _post(client, aalborg_offers, birken="")
    assert list(LedigKapacitet.objects.filter(as_of=_today()).values_list(
        "tilbud__name", flat=True)) == ["Syrenhuset"]


@pytest.mark.parametrize("syrenhuset, birken, message", [
    ("41", "0", "Tilbuddet har kun 40 pladser i alt."),
    ("-1", "0", "Antallet kan ikke være negativt."),
    ("2", "mange", "Skriv et helt tal."),
])
def test_one_bad_row_saves_nothing_and_keeps_what_was_typed(
    client, aalborg_offers, aalborg_user, syrenhuset, birken, message
):
    client.force_login(aalborg_user)
    response = _post(client, aalborg_offers, syrenhuset=syrenhuset, birken=birken)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "Intet er gemt" in page and 'aria-invalid="true"' in page
    assert f'value="{syrenhuset}"' in page and "Afdeling Øst" in page
    assert not LedigKapacitet.objects.filter(as_of=_today()).exists()


@pytest.mark.parametrize("days, saved", [(31, True), (32, False)])
def test_the_date_may_be_31_days_old_but_not_32(client, aalborg_offers, aalborg_user, days,
                                                 saved):
    client.force_login(aalborg_user)
    as_of = _today() - datetime.timedelta(days=days)
    response = _post(client, aalborg_offers, as_of=as_of.isoformat())
    assert LedigKapacitet.objects.filter(as_of=as_of).exists() is saved
    if not saved:
        assert "Datoen er for gammel" in response.content.decode()


def test_a_secretariat_user_reports_for_the_chosen_driftsherre(client, make_user,
                                                               aalborg_offers):
    client.force_login(make_user(Role.SEKRETARIAT))
    aalborg = Driftsherre.objects.get(slug="aalborg")
    data = {"as_of": _today().isoformat(),
            f"t{aalborg_offers['syrenhuset'].pk}-free_places": "5"}
    response = client.post(f"{URL}?driftsherre={aalborg.pk}", data)
    assert response.status_code == 302 and response["Location"] == f"{URL}?driftsherre={aalborg.pk}"
    assert LedigKapacitet.objects.get(as_of=_today()).free_places == 5


def test_the_bulk_form_query_count_does_not_grow_with_the_offers(
    client, aalborg_offers, aalborg_user, django_assert_max_num_queries
):
    client.force_login(aalborg_user)
    with django_assert_max_num_queries(8) as few:
        client.get(URL)
    aalborg = Driftsherre.objects.get(slug="aalborg")
    Tilbud.objects.bulk_create(Tilbud(name=f"Ekstra {n}", driftsherre=aalborg) for n in range(40))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).content.decode().count("-free_places") >= 42


@pytest.mark.parametrize("days, stale", [(0, False), (31, False), (32, True)])
def test_a_report_is_stale_after_31_days(days, stale):
    today = datetime.date(2026, 3, 1)
    assert kapacitet_is_stale(as_of=today - datetime.timedelta(days=days), today=today) is stale
    assert kapacitet_is_stale(as_of=None, today=today) is False


def test_the_public_overview_marks_stale_reports(client, aalborg_offers):
    LedigKapacitet.objects.create(tilbud=aalborg_offers["kaervej"], free_places=1,
                                  as_of=_today() - datetime.timedelta(days=31))
    page = client.get(reverse("tilbud:kapacitet")).content.decode()
    rows = {n: page[page.index(n):page.index("</tr>", page.index(n))]
            for n in ("Syrenhuset", "Bo og Aktivitetstilbud Kærvej")}
    assert "Forældet" in rows["Syrenhuset"]  # 40 days
    assert "Forældet" not in rows["Bo og Aktivitetstilbud Kærvej"]  # exactly 31 days
    detail = client.get(reverse("tilbud:detail", args=[aalborg_offers["syrenhuset"].pk]))
    assert "Forældet" in detail.content.decode()


def test_reminders_go_to_the_users_of_driftsherrer_with_stale_reports(
    make_user, aalborg_offers, aalborg_user, django_capture_on_commit_callbacks
):
    aalborg_user.email = "anne@aalborg.example.dk"
    aalborg_user.save()
    mariagerfjord = Driftsherre.objects.get(slug="mariagerfjord")
    mf_user = make_user(Role.DRIFTSHERRE, mariagerfjord)
    mf_user.email = "mf@mariagerfjord.example.dk"
    mf_user.save()
    LedigKapacitet.objects.create(tilbud=aalborg_offers["kaervej"], free_places=1,
                                  as_of=_today())
    with django_capture_on_commit_callbacks(execute=True):
        names = kapacitet_reminders_send()
    assert names == ["Aalborg Kommune"]  # Mariagerfjord's only offer is up to date
    (message,) = mail.outbox
    assert message.to == ["anne@aalborg.example.dk"]
    assert "Syrenhuset: sidst bekræftet" in message.body
    assert "Specialbørnehaven Birken: aldrig indberettet" in message.body
    assert "/tilbud/ledig-kapacitet/indberet/" in message.body
    (row,) = Notification.objects.filter(kind="kapacitet_reminder")
    assert (row.to, row.status) == ("anne@aalborg.example.dk", Notification.Status.SENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the same week: no second mail
        call_command("send_kapacitet_reminders", stdout=io.StringIO())
    assert mail.outbox == []


def test_the_weekly_task_sends_the_same_reminders(
    aalborg_offers, aalborg_user, django_capture_on_commit_callbacks
):
    from socialaftale.celery import app
    from tilbud.tasks import send_kapacitet_reminders_task

    aalborg_user.email = "anne@aalborg.example.dk"
    aalborg_user.save()
    assert app.conf.beat_schedule["tilbud-kapacitet-reminders"]["task"] == (
        send_kapacitet_reminders_task.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_kapacitet_reminders_task.delay().get() == 1
    assert mail.outbox[0].subject == "Påmindelse: bekræft ledig kapacitet"


def test_another_driftsherres_offer_in_the_post_is_ignored(client, aalborg_offers, aalborg_user):
    client.force_login(aalborg_user)
    kaervej = aalborg_offers["kaervej"]
    _post(client, aalborg_offers, **{f"t{kaervej.pk}-free_places": "3"})
    assert not LedigKapacitet.objects.filter(tilbud=kaervej).exists()
    assert LedigKapacitet.objects.filter(as_of=_today()).count() == 2
