"""The year-on-year explanation of a rate: P/L + regulering + the rest = the change, to the øre."""

from decimal import Decimal as D

import pytest

from takster.decomposition import YearFigures, decompose

PL = D("3.10")


def assert_exact(result):
    assert result.pl + result.regulering + result.rest == result.total
    if result.method == "budget":
        assert result.budget_effect + result.capacity_effect + result.rounding == result.rest


def test_a_rate_that_only_follows_pl_is_all_pl():
    # 10 places × 100 % × 365 days = 3.650 paid days; 3.650.000 kr. → 1.000 kr./day.
    year1 = YearFigures(budget=D(3_650_000), pladser=D(10), belaegning=D(100))
    year2 = YearFigures(budget=D(3_763_150), pladser=D(10), belaegning=D(100))
    result = decompose(year1, year2, pl_pct=PL)
    assert (result.old_rate, result.new_rate) == (D(1000), D(1031))
    assert (result.total, result.pl, result.regulering, result.rest) == (
        D(31), D("31.00"), D("0.00"), D("0.00"),
    )
    assert result.total_pct == D("3.1")
    assert_exact(result)


def test_regulering_that_flips_from_deficit_to_surplus_is_its_own_part():
    # Year 1: 1.000 kr./day base + 100 kr./day deficit (365.000) = 1.100 kr.
    # Year 2: 1.031 kr./day base (P/L) − 50 kr./day surplus (−182.500) = 981 kr.
    # Change −119 = P/L 31 + regulering (−50 − 100) = −150 + rest 0.
    year1 = YearFigures(
        budget=D(4_015_000), regulering=D(365_000), pladser=D(10), belaegning=D(100)
    )
    year2 = YearFigures(
        budget=D(3_580_650), regulering=D(-182_500), pladser=D(10), belaegning=D(100)
    )
    result = decompose(year1, year2, pl_pct=PL)
    assert result.total == D(-119)
    assert result.pl == D("31.00")
    assert result.regulering == D("-150.00")
    assert result.rest == D("0.00")
    assert result.regulering_pp == D("-150") / D(1100) * 100
    assert_exact(result)


def test_aktivitetshuset_hobro_surplus_explains_the_fall():
    # Seed (Mariagerfjord test rows): 50 places, 98 %, 365 days = 17.885 paid days.
    # 2026: 8.912.000, regulering 0, takst 2 = 498. 2027: 8.716.584 incl. −571.416, takst 487.
    # k = 498 / (8.912.000 / 17.885); P/L = 498 × 3,1 % = 15,438 → 15,44.
    # Regulering = 498 × −571.416 / 8.912.000 = −31,9306 → −31,93. Rest = −11 − 15,44 + 31,93.
    year1 = YearFigures(
        budget=D(8_912_000), regulering=D(0), pladser=D(50), belaegning=D(98), takst=D(498)
    )
    year2 = YearFigures(
        budget=D(8_716_584), regulering=D(-571_416), pladser=D(50), belaegning=D(98),
        takst=D(487),
    )
    result = decompose(year1, year2, pl_pct=PL)
    assert (result.total, result.pl, result.regulering, result.rest) == (
        D(-11), D("15.44"), D("-31.93"), D("5.49"),
    )
    # Base budget 9.288.000 vs 8.912.000 × 1,031 = 9.188.272: +99.728 × 498 / 8.912.000.
    assert result.budget_effect == D("5.57")
    assert result.capacity_effect == D("0.00")
    assert result.rounding == D("-0.08")
    assert_exact(result)


def test_a_lower_level_is_explained_in_proportion_to_its_weight():
    # Hobro's takst 1 counts as 2/3 of a place: 332 → 325.
    year1 = YearFigures(
        budget=D(8_912_000), pladser=D(50), belaegning=D(98), takst=D(332)
    )
    year2 = YearFigures(
        budget=D(8_716_584), regulering=D(-571_416), pladser=D(50), belaegning=D(98),
        takst=D(325),
    )
    result = decompose(year1, year2, pl_pct=PL)
    assert result.pl == D("10.29")  # 332 × 3,1 % = 10,292
    assert result.regulering == D("-21.29")  # 332 × −571.416 / 8.912.000 = −21,287
    assert result.rest == D("4.00")
    assert_exact(result)


def test_beskyttet_beskaeftigelse_deficit_growth_raises_the_rate():
    # 57 places × 98 % × 365 = 20.389,8; 460 → 519; regulering 725.248 → 1.492.712.
    year1 = YearFigures(
        budget=D(9_383_248), regulering=D(725_248), pladser=D(57), belaegning=D(98),
        takst=D(460),
    )
    year2 = YearFigures(
        budget=D(10_582_712), regulering=D(1_492_712), pladser=D(57), belaegning=D(98),
        takst=D(519),
    )
    result = decompose(year1, year2, pl_pct=PL)
    assert result.total == D(59)
    assert result.regulering > result.pl > 0
    # Regulering per paid day: (1.492.712 − 725.248) / 20.389,8 = 37,64; × k (460 / 460,19).
    assert result.regulering == D("37.62")
    assert_exact(result)


# Aalborg's § 104 day offers (DAS 23.02.2026, pkt. 10). Budgets are illustrative, chosen for
# 20 places at 100 % so that the published rates come out: 224 × 7.300 = 1.635.200 (2025);
# 2026 budget = 248 × 7.300 = 1.810.400, which on 250 days (5.000 paid days) gives 362,08.
SYRENHUSET_2025 = YearFigures(
    budget=D(1_635_200), pladser=D(20), belaegning=D(100), days=365, takst=D(224)
)


def test_syrenhuset_revised_to_365_days_is_pl_and_budget_only():
    revised = YearFigures(
        budget=D(1_810_400), pladser=D(20), belaegning=D(100), days=365, takst=D(248)
    )
    result = decompose(SYRENHUSET_2025, revised, pl_pct=PL)
    assert (result.total, result.pl, result.regulering, result.rest) == (
        D(24), D("6.94"), D("0.00"), D("17.06"),
    )
    assert result.capacity_effect == D("0.00")
    assert result.budget_effect == D("17.06")  # (1.810.400 − 1.685.891,2) / 7.300
    assert round(result.total_pct, 1) == D("10.7")


def test_syrenhuset_on_250_days_shows_the_jump_is_the_change_of_days():
    first = YearFigures(
        budget=D(1_810_400), pladser=D(20), belaegning=D(100), days=250, takst=D(362)
    )
    result = decompose(SYRENHUSET_2025, first, pl_pct=PL)
    assert result.total == D(138)
    assert result.pl == D("6.94")
    assert result.rest == D("131.06")
    assert result.capacity_effect == D("114.08")  # 362,08 − 248
    assert result.budget_effect == D("17.06")
    assert result.rounding == D("-0.08")  # 362 published vs 362,08 computed
    assert_exact(result)


@pytest.mark.parametrize(
    ("name", "rate_2025", "budget_2026", "rate_250", "rate_365", "pl", "rest_365"),
    [
        ("Hviddalen", D(198), D(1_277_500), D(256), D(175), D("6.14"), D("-29.14")),
        ("Væksthuset", D(225), D(1_642_500), D(328), D(225), D("6.98"), D("-6.98")),
    ],
)
def test_hviddalen_and_vaeksthuset_revisions(
    name, rate_2025, budget_2026, rate_250, rate_365, pl, rest_365
):
    year1 = YearFigures(
        budget=rate_2025 * 7300, pladser=D(20), belaegning=D(100), takst=rate_2025
    )
    on_365 = YearFigures(budget=budget_2026, pladser=D(20), belaegning=D(100), takst=rate_365)
    on_250 = YearFigures(
        budget=budget_2026, pladser=D(20), belaegning=D(100), days=250, takst=rate_250
    )
    revised = decompose(year1, on_365, pl_pct=PL)
    assert (revised.total, revised.pl, revised.rest) == (rate_365 - rate_2025, pl, rest_365)
    first = decompose(year1, on_250, pl_pct=PL)
    assert first.pl == pl
    # The same yearly amount on fewer days: the capacity effect is budget/5.000 − budget/7.300.
    assert first.capacity_effect == (budget_2026 / 5000 - budget_2026 / 7300).quantize(D("0.01"))
    assert_exact(first)
    assert_exact(revised)


def test_objective_financing_without_budget_falls_back_to_the_rate():
    # Børnehus Nord: 7.734 → 8.020 kr. per case; the budget is not split per case.
    year1 = YearFigures(pladser=D(470), belaegning=D(100), days=1, takst=D(7734))
    year2 = YearFigures(pladser=D(470), belaegning=D(100), days=1, takst=D(8020))
    result = decompose(year1, year2, pl_pct=PL)
    assert result.method == "takst"
    assert (result.total, result.pl, result.regulering, result.rest) == (
        D(286), D("239.75"), D("0.00"), D("46.25"),
    )
    assert result.budget_effect is None


def test_objective_financing_with_a_budget_uses_cases_as_capacity():
    year1 = YearFigures(budget=D(3_634_980), pladser=D(470), belaegning=D(100), days=1)
    year2 = YearFigures(budget=D(3_769_400), pladser=D(470), belaegning=D(100), days=1)
    result = decompose(year1, year2, pl_pct=PL)
    assert (result.old_rate, result.new_rate) == (D(7734), D(8020))
    assert result.pl == D("239.75")
    assert result.rest == D("46.25")


def test_a_new_offer_cannot_be_explained():
    with pytest.raises(ValueError, match="Begge år"):
        decompose(YearFigures(), YearFigures(takst=D(100)), pl_pct=PL)
