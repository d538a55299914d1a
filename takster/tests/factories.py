"""factory_boy factories for published rate data (rates over time, open data).

`published_history(tilbud, {2022: (1000,), 2023: (1040,), ...})` builds, per budget year, the
steering parameters, a closed round, the driftsherre's approved submission with one block
(last year's and this year's row), a DAS approval and a published takstbilag — the states the
services reach, written directly so a five-year history costs milliseconds.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from socialaftale.models import Driftsherre, Styringsparametre
from takster.models import DasApproval, RateLine, RateRound, Submission, Takstbilag, Upload


class HistoryParametersFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Styringsparametre
        django_get_or_create = ("budget_year",)

    budget_year = 2026
    pl_kommuner = Decimal("3.10")
    pl_regioner = Decimal("2.46")
    days_in_year = factory.LazyAttribute(
        lambda o: 366 if o.budget_year % 4 == 0 and (
            o.budget_year % 100 or o.budget_year % 400 == 0) else 365)


class HistoryRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateRound

    parameters = factory.SubFactory(HistoryParametersFactory)
    deadline = factory.LazyAttribute(lambda o: datetime.date(o.parameters.budget_year - 1, 8, 15))
    status = RateRound.Status.CLOSED


class HistorySubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    rate_round = factory.SubFactory(HistoryRoundFactory)
    driftsherre = factory.LazyFunction(lambda: Driftsherre.objects.get(slug="aalborg"))
    status = Submission.Status.PUBLISHED


class HistoryUploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Upload

    submission = factory.SubFactory(HistorySubmissionFactory)
    version = 1
    file = factory.Sequence(lambda n: f"takster/uploads/history-{n}.xlsx")
    sha256 = factory.Sequence(lambda n: f"{n:064d}")
    size = 1000
    original_name = "takster.xlsx"
    validated_at = factory.LazyFunction(timezone.now)


class HistoryRateLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateLine

    upload = factory.SubFactory(HistoryUploadFactory)
    block_index = 0
    sheet = "Takster"
    row = factory.Sequence(lambda n: 10 + n)
    tilbud_name = "Tilbud"
    unit = "Døgn"
    paragraph = "SEL § 108"
    approval_status = RateLine.Approval.APPROVED


def published_history(tilbud, rates_by_year: dict[int, tuple], *, afdeling: str = "",
                      unit: str = "Døgn") -> list[Takstbilag]:
    """A published takstbilag per year with the offer's rates (takst 1, 2, …) in force."""
    published = []
    years = sorted(rates_by_year)
    for year in years:
        parameters = HistoryParametersFactory(budget_year=year)
        rate_round = RateRound.objects.filter(parameters=parameters).first() or (
            HistoryRoundFactory(parameters=parameters))
        submission = Submission.objects.filter(
            rate_round=rate_round, driftsherre=tilbud.driftsherre).first()
        if submission is None:
            submission = HistorySubmissionFactory(rate_round=rate_round,
                                                  driftsherre=tilbud.driftsherre)
            submission.submitted_upload = HistoryUploadFactory(submission=submission)
            submission.save(update_fields=["submitted_upload"])
            meeting_date = datetime.date(year - 1, 11, 17)
            approval = DasApproval.objects.create(
                rate_round=rate_round, date=meeting_date,
                reference=f"DAS Social {meeting_date:%d.%m.%Y}, pkt. 5")
            approval.submissions.add(submission)
        upload = submission.submitted_upload
        previous = rates_by_year.get(year - 1)
        common = {"upload": upload, "tilbud": tilbud, "tilbud_name": tilbud.name,
                  "afdeling_name": afdeling or tilbud.name, "unit": unit, "pladser": 10,
                  "belaegning": 97, "oh_pct": Decimal("6.0"), "block_index": upload.lines.count()}
        if previous is not None:
            HistoryRateLineFactory(year=year - 1, **common, **_takster(previous))
        HistoryRateLineFactory(year=year, **common, **_takster(rates_by_year[year]))
        takstbilag = Takstbilag.objects.filter(rate_round=rate_round).first()
        if takstbilag is None:
            takstbilag = Takstbilag.objects.create(
                rate_round=rate_round, version=1, label=f"Takstbilag {year}",
                status=Takstbilag.Status.PUBLISHED,
                published_at=timezone.make_aware(datetime.datetime(year - 1, 11, 18, 12)),
            )
            takstbilag.submissions.add(submission)
        published.append(takstbilag)
    return published


def _takster(rates: tuple) -> dict:
    return {f"takst_{i}": Decimal(str(r)) for i, r in enumerate(rates, start=1) if r is not None}
