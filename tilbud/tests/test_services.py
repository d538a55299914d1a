"""History entries and capacity reports, straight through the service functions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tilbud import services
from tilbud.models import LedigKapacitet, Tilbud, TilbudChange


def test_record_change_lists_only_the_fields_that_changed(register, sekretariat):
    syrenhuset = register["syrenhuset"]
    before = services.tilbud_snapshot(tilbud=syrenhuset)
    assert services.tilbud_record_change(tilbud=syrenhuset, by=sekretariat, before=before) is None
    syrenhuset.status, syrenhuset.status_year = Tilbud.Status.ENDED, 2027
    syrenhuset.save()
    entry = services.tilbud_record_change(tilbud=syrenhuset, by=sekretariat, before=before)
    assert entry.action == TilbudChange.Action.CHANGED
    assert entry.changes == [
        {"field": "status", "old": "Aktiv", "new": "Udgået"},
        {"field": "status fra år", "old": "", "new": "2027"},
    ]


def test_capacity_report_is_dated_today_or_earlier(register, sekretariat):
    today = timezone.localdate()
    report = services.kapacitet_report(
        tilbud=register["syrenhuset"], free_places=2, as_of=today, by=sekretariat
    )
    assert report.reported_by == sekretariat
    with pytest.raises(ValidationError, match="fremtiden"):
        services.kapacitet_report(
            tilbud=register["syrenhuset"], free_places=2,
            as_of=today + datetime.timedelta(days=1), by=sekretariat,
        )
    with pytest.raises(ValidationError, match="for gammel"):
        services.kapacitet_report(
            tilbud=register["syrenhuset"], free_places=2,
            as_of=datetime.date(1999, 1, 1), by=sekretariat,
        )
    assert LedigKapacitet.objects.count() == 1


def test_capacity_overview_query_count_does_not_grow_with_the_rows(
    client, register, django_assert_num_queries
):
    url = reverse("tilbud:kapacitet")
    with django_assert_num_queries(4):  # 3 + the page cache's generation
        client.get(url)
    driftsherre = register["syrenhuset"].driftsherre
    for n in range(30):
        tilbud = Tilbud.objects.create(name=f"Ekstra {n}", driftsherre=driftsherre, places=4)
        LedigKapacitet.objects.create(tilbud=tilbud, free_places=1, as_of=timezone.localdate())
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.context["page"].paginator.count == 33
