"""The plan arithmetic and the discharge rule, as pure functions; the writes that validate."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bifrost import services
from bifrost.models import IntakePlan, Referral
from bifrost.selectors import plan_comparison, status_numbers

AFDAEKNING = [(date(2026, 9, 1), 3), (date(2026, 10, 1), 1), (date(2026, 11, 1), 1)] + [
    (date(2027, m, 1), 1) for m in range(2, 7)]
INDIKATOR = [(date(2026, 9, 1), 3), (date(2026, 11, 1), 1), (date(2026, 12, 1), 1)] + [
    (date(2027, m, 1), 1) for m in (2, 4, 6, 9, 11)]


@pytest.mark.parametrize(("on", "expected"), [
    (date(2026, 8, 31), 0), (date(2026, 9, 1), 3), (date(2026, 10, 31), 4),
    (date(2026, 12, 31), 5), (date(2027, 3, 15), 7), (date(2027, 6, 30), 10),
])
def test_afdaekning_plan_reaches_five_by_new_year_and_ten_by_midsummer_2027(on, expected):
    assert services.plan_cumulative(entries=AFDAEKNING, on=on) == expected


@pytest.mark.parametrize(("on", "expected"), [
    (date(2026, 10, 31), 3), (date(2026, 12, 31), 5), (date(2027, 6, 30), 8),
    (date(2027, 10, 31), 9), (date(2027, 11, 1), 10),
])
def test_indicator_plan_reaches_ten_only_on_1_november_2027(on, expected):
    assert services.plan_cumulative(entries=INDIKATOR, on=on) == expected


def test_plan_differences_list_only_the_dates_where_the_versions_disagree():
    rows = services.plan_differences(first=AFDAEKNING, second=INDIKATOR)
    by_date = {r["date"]: r for r in rows}
    assert date(2026, 9, 1) not in by_date
    assert by_date[date(2026, 10, 1)] | {} == {
        "date": date(2026, 10, 1), "first": 1, "second": 0, "first_total": 4,
        "second_total": 3, "difference": -1}
    assert date(2026, 12, 1) in by_date and by_date[date(2027, 6, 1)]["difference"] == -2
    assert by_date[date(2027, 11, 1)]["second_total"] == 10


@pytest.mark.parametrize(("notice", "move_out"), [
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2028, 1, 15), date(2028, 2, 29)),  # leap year
    (date(2026, 10, 1), date(2026, 11, 30)),
    (date(2026, 10, 31), date(2026, 11, 30)),
    (date(2026, 11, 30), date(2026, 12, 31)),
    (date(2026, 12, 1), date(2027, 1, 31)),
    (date(2026, 12, 31), date(2027, 1, 31)),
])
def test_discharge_notice_runs_the_current_month_plus_one_month(notice, move_out):
    assert services.discharge_notice_end(notice_given_on=notice) == move_out


def test_occupancy_counts_those_admitted_and_not_yet_discharged():
    stays = [(date(2026, 9, 1), None), (date(2026, 9, 1), date(2026, 11, 1)),
             (date(2026, 12, 1), None)]
    assert services.occupancy_on(stays=stays, on=date(2026, 10, 15)) == 2
    assert services.occupancy_on(stays=stays, on=date(2026, 11, 1)) == 1
    assert services.occupancy_on(stays=stays, on=date(2026, 12, 1)) == 2


def test_behind_plan_is_never_negative():
    assert services.behind_plan(planned=5, actual=3) == 2
    assert services.behind_plan(planned=3, actual=4) == 0


def test_demo_data_is_one_behind_the_plan_in_force_on_27_november_2026(bifrost_data):
    numbers = status_numbers(on=date(2026, 11, 27))
    assert numbers["in_force"].name.startswith("Indskrivningskadence")
    assert numbers["actual"] == 4 and numbers["occupancy"] == 4
    assert numbers["in_force_row"]["planned"] == 5 and numbers["in_force_row"]["behind"] == 1
    other = next(r for r in numbers["plans"] if not r["plan"].in_force)
    assert other["planned"] == 4 and other["behind"] == 0
    assert numbers["primary_percent"] == 75
    counts = {o["value"]: o["count"] for o in numbers["by_outcome"]}
    assert counts == {"afventer": 2, "accepteret": 4, "kommunen_nej": 1, "afvist": 1}
    assert dict(numbers["per_municipality"])["Aalborg Kommune"] == 1
    assert plan_comparison(numbers)["rows"][0]["date"] == date(2026, 10, 1)


def test_demo_referral_with_notice_in_november_moves_out_by_new_year(bifrost_data):
    assert Referral.objects.get(code="BF-2026-003").move_out_by == date(2026, 12, 31)


def test_only_one_plan_is_in_force_at_a_time(bifrost_data):
    services.plan_set_in_force(plan=IntakePlan.objects.get(pk=2))
    assert list(IntakePlan.objects.filter(in_force=True).values_list("pk", flat=True)) == [2]


def test_next_referral_code_follows_the_highest(bifrost_data):
    assert services.referral_next_code(year=2026) == "BF-2026-009"
    assert services.referral_next_code(year=2027) == "BF-2027-001"


def test_a_referral_cannot_be_admitted_without_an_accepted_match(bifrost_data, kommune):
    referral = Referral(code="BF-2026-050", municipality=kommune("aalborg"),
                        received_on=date(2026, 11, 1), age_band="16-17", target_group="primaer",
                        admitted_on=date(2026, 11, 20))
    with pytest.raises(ValidationError) as exc:
        services.referral_save(referral=referral)
    assert "admitted_on" in exc.value.message_dict


def test_a_discharge_before_admission_is_refused(bifrost_data):
    referral = Referral.objects.get(code="BF-2026-001")
    referral.discharged_on = date(2026, 8, 1)
    with pytest.raises(ValidationError) as exc:
        services.referral_save(referral=referral)
    assert "discharged_on" in exc.value.message_dict
