"""factory_boy factories for published rate data (rates over time, open data).

`published_history(tilbud, {2022: (1000,), 2023: (1040,), ...})` builds, per budget year, the
steering parameters, a closed round, the driftsherre's approved submission with one block
(last year's and this year's row), a DAS approval and a published takstbilag — the states the
services reach, written directly so a five-year history costs milliseconds.

`synthetic_takstbilag_data` builds a deterministic, clearly invented takstbilag of any size
(plain data, no database) for page tests and `benchmarks/bench_takstbilag.py`.
"""


from __future__ import annotations

import datetime
import random
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from socialaftale.models import Driftsherre, Styringsparametre
from takster.models import (
    DasApproval,
    Finding,
    RateLine,
    RateRound,
    Submission,
    Takstbilag,
    Upload,
)
from takster.takstbilag import DriftsherreSection, Offer, OfferYear, TakstbilagData


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


class FindingFactory(factory.django.DjangoModelFactory):
    """A validator finding on an upload (a warning unless told otherwise)."""

    class Meta:
        model = Finding

    upload = factory.SubFactory(HistoryUploadFactory)
    position = factory.Sequence(lambda n: n)
    code = "RISE_NEEDS_REMARK"
    severity = Finding.Severity.WARNING
    sheet = "Takster"
    message = "Taksten stiger mere end P/L + 2,0 pp; skriv en bemærkning."


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


D = Decimal
DEMO = "Demotal"
PARAGRAPH_POOL = ("SEL § 103", "SEL § 104", "SEL § 107", "SEL § 108", "ABL § 105", "SEL § 110")
DRIFTSHERRE_NAMES = (
    "Brønderslev Kommune", "Frederikshavn Kommune", "Hjørring Kommune", "Jammerbugt Kommune",
    "Læsø Kommune", "Mariagerfjord Kommune", "Morsø Kommune", "Rebild Kommune",
    "Thisted Kommune", "Vesthimmerland Kommune", "Aalborg Kommune", "Region Nordjylland",
)


def synthetic_takstbilag_data(
    *, driftsherrer: int = 12, offers: int = 40, seed: int = 2026
) -> TakstbilagData:
    """A deterministic, clearly invented takstbilag of any size (benchmarks, page tests)."""
    rng = random.Random(seed)
    sections = []
    for d in range(driftsherrer):
        name = DRIFTSHERRE_NAMES[d % len(DRIFTSHERRE_NAMES)]
        if d >= len(DRIFTSHERRE_NAMES):
            name = f"{name} {d // len(DRIFTSHERRE_NAMES) + 1}"
        kind = "region" if name.startswith("Region") else "kommune"
        items = []
        for o in range(offers):
            # Like the seed: most offers have 1-3 takst levels, a few many (Kærvej has 10).
            levels = rng.choices((1, 2, 3, 4, 10), weights=(40, 30, 18, 8, 4))[0]
            base = D(rng.randint(400, 3500))
            growth = D(rng.randint(-60, 120)) / 1000
            places = D(rng.randint(6, 60))
            belaegning = D(rng.choice((85, 92, 95, 97, 98, 100)))
            cap = places * belaegning / 100 * 365
            reg0, reg1 = D(rng.randint(-300, 300) * 1000), D(rng.randint(-300, 300) * 1000)
            old = tuple((base * (1 + D(i) / 3)).quantize(D(1)) for i in range(levels))
            new = tuple((r * (1 + growth)).quantize(D(1)) for r in old)
            items.append(Offer(
                tilbud=f"Demotilbud {d + 1}.{o + 1}", afdeling=f"Afdeling {o % 3 + 1}",
                paragraphs=rng.choice(PARAGRAPH_POOL), unit=rng.choice(("Døgn", "Dag")),
                previous=OfferYear(year=2025, pladser=places, belaegning=belaegning,
                                   budget=(old[0] * cap).quantize(D(1)), regulering=reg0,
                                   oh_pct=D(rng.randint(40, 90)) / 10, takster=old),
                current=OfferYear(year=2026, pladser=places, belaegning=belaegning,
                                  budget=(new[0] * cap).quantize(D(1)), regulering=reg1,
                                  oh_pct=D(rng.randint(40, 90)) / 10, takster=new),
                bemaerkning="Stigningen skyldes flere medarbejdere pr. borger (demotekst)."
                if growth > D("0.051") else "",
                source=DEMO, is_demo=True,
            ))
        sections.append(DriftsherreSection(
            name=name, kind=kind, offers=tuple(items),
            overhead_pct=D(rng.randint(45, 85)) / 10,
            overhead_pct_previous=D(rng.randint(45, 85)) / 10,
            slug=f"{slugify(name)}-{d}",
        ))
    return TakstbilagData(
        budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=tuple(sections), version_label="Syntetisk version", is_demo=True,
        title="Takstbilag 2026 (syntetiske demotal)",
    )
