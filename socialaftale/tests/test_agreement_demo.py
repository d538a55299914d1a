"""Demo data: the forstærket samarbejde offers are linked to the register by name."""

import io

from django.urls import reverse

from socialaftale import demo
from socialaftale.models import Driftsherre, ForstaerketSamarbejde
from tilbud.models import Tilbud

from .agreement_fixtures import agreements_fixture  # noqa: F401


def test_offers_in_the_register_are_linked_by_name_once(client, agreements):
    region = Driftsherre.objects.get(slug="region-nordjylland")
    neurocenter = Tilbud.objects.create(name="Neurocenter Østerskoven", driftsherre=region)
    out = io.StringIO()
    demo.load(stdout=out)
    assert "3 tilbud" in out.getvalue()  # listed in all three periods
    linked = ForstaerketSamarbejde.objects.filter(tilbud=neurocenter)
    assert sorted(f.period.label for f in linked) == ["2018-2020", "2021-2022", "2025-2026"]
    assert not ForstaerketSamarbejde.objects.filter(
        name="Specialbørnehjemmet Kvisten", tilbud__isnull=False
    ).exists()  # not in the register: left as a name only
    demo.load(stdout=io.StringIO())
    assert linked.count() == 3  # idempotent
    html = client.get(reverse("socialaftale:period_detail", kwargs={
        "start_year": 2025, "end_year": 2026})).content.decode()
    assert "Neurocenter Østerskoven <span class=\"muted\">(i tilbudsregistret)</span>" in html
