"""Reads for the dashboard, the report and the lists; aggregates never carry a referral row."""

import json
from datetime import date

from django.db.models import QuerySet

from socialaftale.models import Driftsherre
from socialaftale.permissions import driftsherre_of, is_sekretariat

from . import services
from .models import (
    PLACES,
    PRIMARY_TARGET_SHARE,
    IntakePlan,
    Milestone,
    Referral,
    ScreeningRound,
    StatusReport,
)

CHART_START = date(2026, 8, 1)
CHART_END = date(2027, 12, 31)
# Dates the plans name as checkpoints: 5 by new year 2026, 10 by mid-2027, end of the chart.
CHECKPOINTS = {date(2026, 12, 31), date(2027, 6, 30), date(2027, 12, 31)}


def can_edit_all(user) -> bool:
    """The secretariat and Region Nordjylland (Specialsektoren runs Bifrost) edit everything."""
    if is_sekretariat(user):
        return True
    own = driftsherre_of(user)
    return own is not None and own.is_region


def own_municipality(user) -> Driftsherre | None:
    """The municipality a municipal driftsherre user reports for (None for everyone else)."""
    own = driftsherre_of(user)
    return own if own is not None and own.kind == Driftsherre.Kind.KOMMUNE else None


def referrals_for(user) -> QuerySet[Referral]:
    """Referral rows this user may see: all for editors, own municipality's, otherwise none."""
    rows = Referral.objects.select_related("municipality")
    if can_edit_all(user):
        return rows
    own = own_municipality(user)
    return rows.filter(municipality=own) if own else rows.none()


def plans_with_entries() -> list[IntakePlan]:
    return list(IntakePlan.objects.prefetch_related("entries"))


def _entries(plan: IntakePlan) -> tuple[tuple[date, int], ...]:
    return tuple((e.date, e.count) for e in plan.entries.all())


def status_numbers(*, on: date) -> dict:
    """Every number the dashboard and the report show, as of `on`."""
    # A plan version approved after the date did not exist yet on it.
    plans = [p for p in plans_with_entries() if p.approved_on is None or p.approved_on <= on]
    in_force = next((p for p in plans if p.in_force), None)
    stays = list(Referral.objects.filter(admitted_on__isnull=False, admitted_on__lte=on)
                 .values_list("admitted_on", "discharged_on", "target_group",
                              "municipality__name"))
    admissions = tuple((admitted, 1) for admitted, *_ in stays)
    actual = len(stays)
    occupancy = services.occupancy_on(stays=[(a, d) for a, d, *_ in stays], on=on)
    primary = sum(1 for *_, group, _m in stays if group == Referral.TargetGroup.PRIMARY)
    plan_rows = []
    for plan in plans:
        planned = services.plan_cumulative(entries=_entries(plan), on=on)
        plan_rows.append({
            "plan": plan, "entries": _entries(plan), "planned": planned,
            "behind": services.behind_plan(planned=planned, actual=actual),
            "ahead": max(actual - planned, 0),
            "total": services.plan_cumulative(entries=_entries(plan), on=date.max),
        })
    in_force_row = next((r for r in plan_rows if r["plan"].in_force), None)
    referrals = Referral.objects.filter(received_on__lte=on)
    by_outcome: dict[str, int] = {}
    for outcome, outcome_on in referrals.values_list("outcome", "outcome_on"):
        outcome = services.outcome_as_of(outcome=outcome, outcome_on=outcome_on, on=on)
        by_outcome[outcome] = by_outcome.get(outcome, 0) + 1
    per_municipality = {}
    for *_, name in stays:
        per_municipality[name] = per_municipality.get(name, 0) + 1
    return {
        "on": on, "places": PLACES, "plans": plan_rows, "in_force": in_force,
        "in_force_row": in_force_row, "actual": actual, "occupancy": occupancy,
        "occupancy_percent": services.share_percent(part=occupancy, whole=PLACES),
        "primary": primary, "secondary": actual - primary,
        "primary_percent": services.share_percent(part=primary, whole=actual),
        "primary_target": PRIMARY_TARGET_SHARE,
        "referral_count": referrals.count(),
        "by_outcome": [{"label": label, "value": value, "count": by_outcome.get(value, 0)}
                       for value, label in Referral.Outcome.choices],
        "per_municipality": sorted(per_municipality.items()),
        "admissions": admissions,
    }


def chart_for(numbers: dict) -> dict:
    series = [
        services.Series(label=("Gældende plan" if row["plan"].in_force else row["plan"].name),
                        entries=row["entries"],
                        css="gaeldende" if row["plan"].in_force else "anden")
        for row in numbers["plans"]
    ]
    series.append(services.Series(label="Faktisk indskrevet", entries=numbers["admissions"],
                                  css="faktisk", until=numbers["on"]))
    geometry = services.chart_geometry(series=series, start=CHART_START, end=CHART_END,
                                       today=numbers["on"])
    geometry["table"] = chart_table(numbers)
    return geometry


def chart_table(numbers: dict) -> list[dict]:
    """The chart as rows (text alternative): each plan date and the report date."""
    dates = sorted({d for row in numbers["plans"] for d, _ in row["entries"]}
                   | {numbers["on"]} | CHECKPOINTS)
    rows = []
    for day in dates:
        rows.append({
            "date": day,
            "planned": [services.plan_cumulative(entries=row["entries"], on=day)
                        for row in numbers["plans"]],
            "actual": (services.actual_cumulative(admissions=[d for d, _ in numbers["admissions"]],
                                                  on=day) if day <= numbers["on"] else None),
        })
    return rows


def plan_comparison(numbers: dict) -> dict | None:
    """Where the plan in force and the first other version differ."""
    rows = numbers["plans"]
    first = next((r for r in rows if r["plan"].in_force), None)
    second = next((r for r in rows if not r["plan"].in_force), None)
    if first is None or second is None:
        return None
    return {"first": first["plan"], "second": second["plan"],
            "rows": services.plan_differences(first=first["entries"], second=second["entries"])}


def screening_overview(round_: ScreeningRound, *, on: date | None = None) -> dict:
    """Every municipality with its answer (or none) in the round as of `on`.

    An answer given after `on` does not count yet; one given after the deadline is late.
    """
    answers = {a.municipality_id: a for a in round_.answers.all()
               if on is None or a.answered_on <= on}
    rows = []
    for municipality in Driftsherre.objects.filter(
            kind=Driftsherre.Kind.KOMMUNE).order_by("name"):
        answer = answers.get(municipality.pk)
        rows.append({"municipality": municipality, "answer": answer,
                     "late": answer is not None and answer.is_late})
    answered = [r for r in rows if r["answer"]]
    return {
        "round": round_, "rows": rows, "answered": len(answered), "on": on,
        "late": sum(1 for r in rows if r["late"]),
        "not_answered": len(rows) - len(answered),
        "primary_total": sum(r["answer"].primary_count for r in answered),
        "secondary_total": sum(r["answer"].secondary_count for r in answered),
    }


def latest_screening(*, on: date | None = None) -> dict | None:
    """The newest round sent out by `on` (or at all), with the answers given by then."""
    rounds = ScreeningRound.objects.prefetch_related("answers")
    if on is not None:
        rounds = rounds.filter(opened_on__lte=on)
    round_ = rounds.first()
    return screening_overview(round_, on=on) if round_ else None


def milestones() -> list[Milestone]:
    return list(Milestone.objects.all())


def report_context(*, report: StatusReport, today: date) -> dict:
    on = services.report_as_of(report=report, today=today)
    numbers = status_numbers(on=on)
    return {"report": report, "numbers": numbers, "chart": chart_for(numbers),
            "comparison": plan_comparison(numbers), "screening": latest_screening(on=on),
            "today": today}


def report_context_fingerprint(*, report: StatusReport, today: date) -> str:
    """A stable text of everything the report shows, so unchanged content reuses the PDF."""
    on = services.report_as_of(report=report, today=today)
    numbers = status_numbers(on=on)
    screening = latest_screening(on=on)
    data = {
        "report": report.slug, "on": on.isoformat(), "version": 2,
        "plans": [[r["plan"].pk, r["plan"].name, r["plan"].in_force,
                   [[d.isoformat(), n] for d, n in r["entries"]]] for r in numbers["plans"]],
        "stays": list(Referral.objects.filter(admitted_on__lte=on).order_by("pk").values_list(
            "pk", "admitted_on", "discharged_on", "target_group", "municipality_id")),
        "outcomes": [[o["value"], o["count"]] for o in numbers["by_outcome"]],
        "late": None if screening is None else [r["late"] for r in screening["rows"]],
        "screening": None if screening is None else [
            screening["round"].pk, screening["round"].deadline,
            [[r["municipality"].pk, r["answer"] and r["answer"].primary_count,
              r["answer"] and r["answer"].secondary_count] for r in screening["rows"]]],
    }
    return json.dumps(data, default=str, sort_keys=True)
