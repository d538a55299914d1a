"""The places table: rows as printed in the seeds, totals and shares computed."""

from decimal import Decimal

from socialaftale.models import Pladsfordeling
from socialaftale.selectors import places_table

from .agreement_fixtures import agreements_fixture  # noqa: F401

SEED_2025 = {  # socialaftale-2025-2026.txt, "Dag- og døgnpladser fordelt pr. beliggenhedskommune"
    "Brønderslev": (231, 279, 118), "Mariagerfjord": (147, 476, 478),
    "Vesthimmerland": (247, 294, 252), "Frederikshavn": (655, 144, 105),
    "Hjørring": (350, 384, 229), "Rebild": (112, 275, 69), "Jammerbugt": (139, 675, 54),
    "Thisted": (594, 388, 46), "Morsø": (330, 65, 91), "Aalborg": (1850, 52, 815),
    "Læsø": (26, 0, 0),
}


def test_every_municipality_row_of_2025_2026_is_as_printed_in_the_seed(agreements):
    table = places_table(agreements["2025-2026"])
    assert {r.kommune: (r.kommunale, r.private, r.socialaftale) for r in table.rows} == SEED_2025
    assert [r.kommune for r in table.rows] == list(SEED_2025)  # the seed's order


def test_2025_2026_totals_are_computed_from_the_rows(agreements):
    table = places_table(agreements["2025-2026"])
    # The seed's headings print 4.681 / 3.232 / 2.257. Its own rows add up to 4.681 / 3.032 /
    # 2.257: the private heading is 200 higher than its rows (Aalborg's 52 is the likely misprint
    # for 252). Totals are computed from the rows, so the private total is 3.032.
    assert (table.kommunale, table.private, table.socialaftale) == (4681, 3032, 2257)
    assert table.total == 9970
    assert table.socialaftale_share == Decimal("22.6")  # the seed says "ca. 22 %"


def test_2021_2022_totals_equal_the_seed_headings(agreements):
    table = places_table(agreements["2021-2022"])
    assert (table.kommunale, table.private, table.socialaftale) == (4392, 2888, 2080)


def test_a_changed_row_changes_the_total_no_stored_total_to_forget(agreements):
    period = agreements["2025-2026"]
    Pladsfordeling.objects.filter(period=period, kommune__slug="aalborg").update(private=252)
    period.refresh_from_db()
    assert places_table(period).private == 3232


def test_shares_of_socialaftale_places_add_up_to_one_hundred(agreements):
    table = places_table(agreements["2025-2026"])
    aalborg = next(r for r in table.rows if r.kommune == "Aalborg")
    assert aalborg.socialaftale_share == Decimal("36.1")
    assert abs(sum(r.socialaftale_share for r in table.rows) - 100) <= Decimal("0.5")


def test_a_period_without_rows_has_an_empty_table(agreements):
    table = places_table(agreements["2018-2020"])
    assert not table and table.total == 0 and table.socialaftale_share is None
