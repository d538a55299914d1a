"""Every section of the status report respects its date (the report is a snapshot)."""

import re
from datetime import date

from bifrost import selectors, services
from bifrost.models import Referral, ScreeningAnswer, ScreeningRound
from socialaftale.jobs import job_run
from socialaftale.models import Job
from socialaftale.tests.pdftotext import flat, pdftotext, typography_slips


def report_text(year: int, quarter: int, today: date, *, layout: bool = False) -> str:
    report = services.status_report_for(year=year, quarter=quarter)
    job = services.status_report_request(report=report, today=today)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return pdftotext(job.output.read(), layout=layout)


def test_screening_answers_given_after_the_report_date_do_not_count(bifrost_data):
    # As of 25 April 2026 only the answers of 15, 20 and 22 April had been given.
    text = flat(report_text(2026, 2, date(2026, 4, 25)))
    assert "Pr. 25. april 2026 har 3 af 11 kommuner svaret, og 8 har ikke svaret" in text
    assert text.count("ikke svaret") >= 8


def test_answers_after_the_deadline_are_marked_late_and_counted_once_given(bifrost_data):
    text = flat(report_text(2026, 2, date(2026, 11, 27)))  # as of 30 June 2026
    assert "har 7 af 11 kommuner svaret (1 efter fristen), og 4 har ikke svaret" in text
    assert "besvaret 6.5.2026 – efter fristen" in text
    assert "besvaret 30.4.2026 – efter fristen" not in text  # on the deadline day is in time


def test_a_report_before_the_round_was_sent_shows_no_round(bifrost_data):
    text = flat(report_text(2026, 1, date(2026, 2, 27)))
    assert "Ingen afdækningsrunde." in text


def test_outcomes_decided_after_the_report_date_count_as_pending(bifrost_data):
    numbers = selectors.status_numbers(on=date(2026, 7, 12))
    counts = {row["value"]: row["count"] for row in numbers["by_outcome"]}
    # received by 12 July: 001 (accepted 10.7), 002 (accepted 20.7), 003 (5.8), 004 (afvist 15.7)
    assert counts[Referral.Outcome.ACCEPTED] == 1
    assert counts[Referral.Outcome.PENDING] == 3
    assert counts[Referral.Outcome.REJECTED] == 0


def test_outcome_as_of_at_the_limit():
    day = date(2026, 7, 10)
    accepted = Referral.Outcome.ACCEPTED
    assert services.outcome_as_of(outcome=accepted, outcome_on=day, on=day) == accepted
    assert services.outcome_as_of(outcome=accepted, outcome_on=date(2026, 7, 11),
                                  on=day) == Referral.Outcome.PENDING


def test_an_answer_on_the_deadline_is_in_time_and_the_day_after_is_late(bifrost_data):
    round_ = ScreeningRound.objects.get()
    on_time = ScreeningAnswer(round=round_, answered_on=round_.deadline)
    late = ScreeningAnswer(round=round_, answered_on=date(2026, 5, 1))
    assert not on_time.is_late and late.is_late


def test_no_table_row_is_split_across_pages(bifrost_data):
    pages = report_text(2026, 4, date(2026, 11, 27), layout=True).split("\f")
    municipalities = [r["municipality"].name for r in selectors.latest_screening()["rows"]]
    for name in municipalities:
        lines = [line for page in pages for line in page.splitlines() if name in line
                 and ("svaret" in line or "besvaret" in line)]
        assert len(lines) == 1, name
        assert re.search(r"(ikke svaret\s+–\s+–|besvaret \S+.*\d+\s+\d+)\s*$", lines[0]), lines[0]


def test_the_report_reads_cleanly(bifrost_data):
    assert typography_slips(report_text(2026, 4, date(2026, 11, 27))) == []
