"""Bifrost's rules as plain functions: the plan arithmetic is pure, the writes validate."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from .models import PLACES, IntakePlan, Referral, StatusReport

# ---------------------------------------------------------------- pure arithmetic


def discharge_notice_end(*, notice_given_on: date) -> date:
    """Last day of stay after notice: the running month plus one more month."""
    year, month = notice_given_on.year, notice_given_on.month + 1
    if month == 13:
        year, month = year + 1, 1
    return date(year, month, calendar.monthrange(year, month)[1])


def plan_cumulative(*, entries: Iterable[tuple[date, int]], on: date) -> int:
    """Planned admissions in total by `on` (inclusive)."""
    return sum(count for when, count in entries if when <= on)


def actual_cumulative(*, admissions: Iterable[date], on: date) -> int:
    return sum(1 for when in admissions if when <= on)


def occupancy_on(*, stays: Iterable[tuple[date, date | None]], on: date) -> int:
    """Young people living at Bifrost on `on`: admitted by then and not yet discharged."""
    return sum(1 for admitted, discharged in stays
               if admitted <= on and (discharged is None or discharged > on))


def behind_plan(*, planned: int, actual: int) -> int:
    """How many admissions short of the plan (0 when on or ahead of plan)."""
    return max(planned - actual, 0)


def share_percent(*, part: int, whole: int) -> int | None:
    if whole == 0:
        return None
    return round(100 * part / whole)


def plan_differences(
    *, first: Iterable[tuple[date, int]], second: Iterable[tuple[date, int]]
) -> list[dict]:
    """Dates where two plan versions differ: the planned intake and the running total of each."""
    first, second = list(first), list(second)
    by_date_a, by_date_b = dict(first), dict(second)
    rows = []
    for when in sorted(set(by_date_a) | set(by_date_b)):
        a, b = by_date_a.get(when, 0), by_date_b.get(when, 0)
        total_a = plan_cumulative(entries=first, on=when)
        total_b = plan_cumulative(entries=second, on=when)
        if a != b or total_a != total_b:
            rows.append({"date": when, "first": a, "second": b,
                         "first_total": total_a, "second_total": total_b,
                         "difference": total_b - total_a})
    return rows


def quarter_end(*, year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def month_starts(*, start: date, end: date) -> list[date]:
    days, year, month = [], start.year, start.month
    while date(year, month, 1) <= end:
        days.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


# ---------------------------------------------------------------- chart geometry


@dataclass(frozen=True)
class Series:
    label: str
    entries: tuple[tuple[date, int], ...]  # (date, how many) – plan entries or admissions
    css: str  # "gaeldende", "anden", "faktisk"
    until: date | None = None  # actual series stop at the report date


MONTHS = {1: "jan.", 4: "apr.", 7: "jul.", 10: "okt."}
CHART = {"width": 760, "height": 320, "left": 48, "right": 190, "top": 20, "bottom": 48}


def chart_geometry(*, series: list[Series], start: date, end: date, today: date) -> dict:
    """Coordinates for a step chart of cumulative intakes; rendered by `bifrost/_chart.svg`."""
    c = CHART
    plot_w = c["width"] - c["left"] - c["right"]
    plot_h = c["height"] - c["top"] - c["bottom"]
    span = (end - start).days or 1
    finals = [plan_cumulative(entries=s.entries, on=s.until or end) for s in series]
    y_max = max([PLACES, *finals])

    def x(day: date) -> float:
        day = min(max(day, start), end)
        return round(c["left"] + plot_w * (day - start).days / span, 1)

    def y(value: int) -> float:
        return round(c["top"] + plot_h * (1 - value / y_max), 1)

    lines = []
    for s, final in zip(series, finals, strict=True):
        stop = min(s.until or end, end)
        total = plan_cumulative(entries=s.entries, on=start)
        points = [f"M{x(start)},{y(total)}"]
        for when in sorted({d for d, _ in s.entries if start < d <= stop}):
            points.append(f"H{x(when)}")
            total = plan_cumulative(entries=s.entries, on=when)
            points.append(f"V{y(total)}")
        points.append(f"H{x(stop)}")
        lines.append({"label": s.label, "css": s.css, "d": " ".join(points), "final": final,
                      "end_x": x(stop), "end_y": y(final)})
    # Labels at the right edge must not overlap: nudge them apart.
    label_ys = []
    for line in sorted(lines, key=lambda item: item["end_y"]):
        ly = line["end_y"] + 4
        if label_ys and ly - label_ys[-1] < 14:
            ly = label_ys[-1] + 14
        label_ys.append(ly)
        line["label_y"] = ly
    ticks_y = [{"value": v, "y": y(v)} for v in range(0, y_max + 1, 2)]
    ticks_x = [{"label": f"{MONTHS[m.month]} {m:%y}", "x": x(m)}
               for m in month_starts(start=start, end=end) if m.month in (1, 4, 7, 10)]
    return {
        **c, "plot_right": c["width"] - c["right"], "plot_bottom": c["height"] - c["bottom"],
        "lines": lines, "ticks_y": ticks_y, "ticks_x": ticks_x,
        "today_x": x(today) if start <= today <= end else None, "today": today,
        "places_y": y(PLACES),
    }


# ---------------------------------------------------------------- writes


@transaction.atomic
def plan_set_in_force(*, plan: IntakePlan) -> IntakePlan:
    """Make `plan` the version in force; every other version stops being it."""
    IntakePlan.objects.exclude(pk=plan.pk).filter(in_force=True).update(in_force=False)
    plan.in_force = True
    plan.save(update_fields=["in_force"])
    return plan


def referral_next_code(*, year: int) -> str:
    """The next free code BF-<year>-NNN."""
    prefix = f"BF-{year}-"
    numbers = [int(code.rsplit("-", 1)[1]) for code in
               Referral.objects.filter(code__startswith=prefix).values_list("code", flat=True)]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def referral_save(*, referral: Referral) -> Referral:
    """Validate and store a referral (new or changed)."""
    referral.full_clean()
    referral.save()
    return referral


def status_report_for(*, year: int, quarter: int) -> StatusReport:
    report, _ = StatusReport.objects.get_or_create(year=year, quarter=quarter)
    return report


def status_report_request(*, report: StatusReport, today: date, requested_by=None,
                          force: bool = False):
    """Ask for the report's PDF; the same content reuses the finished job (unless `force`)."""
    from socialaftale.jobs import job_request
    from socialaftale.models import sha256_hex

    from .selectors import report_context_fingerprint

    as_of = report_as_of(report=report, today=today)
    if report.as_of != as_of:
        report.as_of = as_of
        report.save(update_fields=["as_of"])
    fingerprint = report_context_fingerprint(report=report, today=today)
    return job_request(kind="bifrost.statusrapport", subject=report,
                       input_hash=sha256_hex(fingerprint), requested_by=requested_by,
                       force=force)


def status_report_current_job(*, year: int, quarter: int, today: date):
    """The PDF job for the report's content as of today, if rendered or rendering (a read)."""
    from socialaftale.jobs import job_current
    from socialaftale.models import sha256_hex

    from .selectors import report_context_fingerprint

    report = StatusReport.objects.filter(year=year, quarter=quarter).first()
    if report is None:
        return None, None
    fingerprint = report_context_fingerprint(report=report, today=today)
    return report, job_current(kind="bifrost.statusrapport", subject=report,
                               input_hash=sha256_hex(fingerprint))


FIRST_REPORT = (2026, 3)  # Bifrost opens in the third quarter of 2026


def status_reports_refresh(*, today: date) -> list:
    """Request every quarter's report up to today's; unchanged ones reuse their PDF."""
    year, quarter = FIRST_REPORT
    last = max(quarter_of(today), FIRST_REPORT)
    requested = []
    while (year, quarter) <= last:
        report = status_report_for(year=year, quarter=quarter)
        requested.append(status_report_request(report=report, today=today))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return requested


def outcome_as_of(*, outcome: str, outcome_on: date | None, on: date) -> str:
    """A matching outcome decided after `on` was still pending on that day."""
    from .models import Referral

    if outcome_on is not None and outcome_on > on:
        return Referral.Outcome.PENDING
    return outcome


def report_as_of(*, report: StatusReport, today: date) -> date:
    """A quarter still running is reported as of today; a past quarter as of its last day."""
    return min(report.period_end, today)
