"""Rates over time on the offer page: table, server-side SVG chart, P/L line, decisions."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from socialaftale.models import Driftsherre
from takster.history import tilbud_rate_history
from takster.models import Takstbilag
from tilbud.models import Tilbud

from .factories import published_history

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def offer(reference_data):
    return Tilbud.objects.create(
        driftsherre=Driftsherre.objects.get(slug="aalborg"), name="Bostedet Fjordglimt",
        unit="Døgn", places=10, tilbudsportalen_id=4711,
    )


def _page(client, offer):
    response = client.get(reverse("tilbud:detail", args=[offer.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _svgs(page):
    return re.findall(r"<svg[^>]*class=\"history-chart\".*?</svg>", page, flags=re.S)


def test_an_offer_with_two_years_gets_a_chart_with_the_pl_line(client, offer):
    published_history(offer, {2025: (1000,), 2026: (1060,)})
    page = _page(client, offer)
    (svg,) = _svgs(page)
    assert 'role="img"' in svg and "<title id=\"takstudvikling-1-title\">" in svg
    assert "Takst 1: 2025 1.000 kr., 2026 1.060 kr." in svg  # the <desc>
    lines = re.findall(r'<polyline class="([^"]+)" data-label="([^"]+)" points="([^"]+)"', svg)
    assert [(css, label, len(points.split())) for css, label, points in lines] == [
        ("series", "Takst 1", 2), ("series series-reference", "Takst 1 kun P/L", 2)]
    assert "Takst 1 kun P/L 2026: 1.031 kr." in svg  # 1.000 kr. grown by P/L 3,10 %
    # The chart is plain SVG: no script inside it, no inline styles on the page.
    assert "<script" not in svg and 'style="' not in page
    # The table is the text alternative, with the approving decision linked.
    table = page[page.index("Godkendte takster for Bostedet Fjordglimt (kr.)"):]
    assert "+6,0 %" in table and "over grænsen" in table  # 6 % > 3,10 % + 2,0 pp
    assert "DAS Social 17.11.2025, pkt. 5" in table
    assert reverse("takster:takstbilag_year", args=[2026]) in table


def test_an_offer_with_five_years_and_two_levels(client, offer):
    published_history(offer, {
        2022: (1000, 1500), 2023: (1030, 1545), 2024: (1070, 1600), 2025: (1100, 1650),
        2026: (1134, 1700),
    })
    page = _page(client, offer)
    (svg,) = _svgs(page)
    lines = re.findall(r'data-label="([^"]+)" points="([^"]+)"', svg)
    assert [(label, len(points.split())) for label, points in lines] == [
        ("Takst 1", 5), ("Takst 2", 5), ("Takst 1 kun P/L", 5)]
    for year in range(2022, 2027):
        assert f">{year}</text>" in svg
    rows = re.findall(r'<tr>\s*<th scope="row">(\d{4})</th>', page)
    assert rows == ["2022", "2023", "2024", "2025", "2026"]
    assert "1.134" in page and "1.700" in page
    history = tilbud_rate_history(tilbud=offer)[0]
    # P/L only: 1.000 × 1,031⁴ (the fixture's P/L is 3,10 % every year).
    assert history.years[-1].pl_projection == D("1129.89")
    assert [y.change_pct for y in history.years] == [
        None, D("3.00"), D("3.88"), D("2.80"), D("3.09")]
    assert not any(y.above_limit for y in history.years)


def test_one_year_shows_the_table_but_no_chart(client, offer):
    published_history(offer, {2026: (990,)})
    page = _page(client, offer)
    assert not _svgs(page)
    assert "kun godkendte takster for ét år" in page
    assert "Takst 1: 990 kr. (2026)" in page


def test_drafts_and_other_offers_do_not_count(client, offer):
    other = Tilbud.objects.create(driftsherre=offer.driftsherre, name="Et andet tilbud")
    tb = published_history(offer, {2025: (1000,), 2026: (1060,), 2027: (1200,)})
    Takstbilag.objects.filter(pk=tb[-1].pk).update(status=Takstbilag.Status.DRAFT)
    published_history(other, {2025: (5000,), 2026: (5100,)})
    years = [y.year for y in tilbud_rate_history(tilbud=offer)[0].years]
    assert years == [2025, 2026]
    assert "1.200" not in _page(client, offer) and "5.100" not in _page(client, offer)


def test_the_offer_page_links_to_tilbudsportalen_and_shows_the_current_rate(client, offer):
    published_history(offer, {2025: (1000,), 2026: (1060,)})
    page = _page(client, offer)
    assert 'href="https://tilbudsportalen.dk/tilbud/4711"' in page
    assert "Takst 1: 1.060 kr. (2026)" in page


def test_the_offer_page_query_count_does_not_grow_with_the_years(
    client, offer, django_assert_max_num_queries
):
    published_history(offer, {2025: (1000,), 2026: (1060,)})
    url = reverse("tilbud:detail", args=[offer.pk])
    with django_assert_max_num_queries(16) as two:
        client.get(url)
    published_history(offer, {2022: (900,), 2023: (930,), 2024: (960,)})
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_demo_offer_shows_2025_and_the_revised_2026_rate_with_item_10(
    client, demo_2026
):
    from takster.models import RateLine
    from tilbud.tests.factories import TilbudFactory

    syrenhuset = TilbudFactory(name="Syrenhuset", paragraphs=["SEL § 104"])  # Aalborg's

    RateLine.objects.filter(tilbud_name="Syrenhuset").update(tilbud=syrenhuset)
    (history,) = tilbud_rate_history(tilbud=syrenhuset)
    assert [(y.year, y.rates["takst_1"]) for y in history.years] == [(2025, 224), (2026, 248)]
    assert history.years[0].from_next_year
    assert history.years[1].decision.reference == "DAS Social 23.02.2026, pkt. 10"
    page = _page(client, syrenhuset)
    assert "Sidste års takst i" in page and "DAS Social 23.02.2026, pkt. 10" in page


def test_the_driftsherre_pages_compare_overhead_and_change_against_pl(client, demo_2026):
    response = client.get(reverse("takster:driftsherre_compare"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="chart"' in page and "Driftsherrerne i takstbilag 2026" in page
    assert "Aalborg Kommune" in page and "Mariagerfjord Kommune" in page
    aalborg = client.get(reverse("takster:driftsherre_history", args=["aalborg"]))
    assert aalborg.status_code == 200
    body = aalborg.content.decode()
    assert "Aalborg Kommune pr. år" in body and "kun ét offentliggjort år" in body
    assert client.get(reverse("takster:driftsherre_history", args=["findes-ikke"])
                      ).status_code == 404


def test_a_driftsherre_with_several_years_gets_a_chart(client, offer):
    published_history(offer, {2024: (1000,), 2025: (1040,), 2026: (1100,)})
    page = client.get(reverse("takster:driftsherre_history", args=["aalborg"])).content.decode()
    (svg,) = _svgs(page)
    labels = re.findall(r'data-label="([^"]+)"', svg)
    assert labels == ["Gns. takstændring", "Overhead", "P/L"]
    assert "Gns. takstændring: 2025 4,0 %, 2026 5,8 %" in svg
    compare = client.get(reverse("takster:driftsherre_compare")).content.decode()
    assert "Over årene" in compare and "+5,8 %" in compare


@pytest.mark.parametrize("rate, above", [(1051, False), (1052, True)])
def test_the_over_the_limit_mark_is_exactly_pl_plus_the_threshold(offer, rate, above):
    published_history(offer, {2025: (1000,), 2026: (rate,)})  # limit: 3,10 % + 2,0 pp
    (history,) = tilbud_rate_history(tilbud=offer)
    assert history.years[1].change_pct == D(rate - 1000) / 10
    assert history.years[1].above_limit is above
