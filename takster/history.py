"""Rates over time: an offer's approved rates per published year, a driftsherre's overhead
and average change per year, and the comparison across driftsherrer.

Reads only published takstbilag: per budget year the version in force (the newest
published). An offer's rates are the approved budget-year lines of the submissions in that
version (the lines `publication.takstbilag_data` builds the takstbilag from), read straight
through `RateLine.tilbud` so an offer page costs a few queries, not a whole takstbilag. The
driftsherre figures come from `takstbilag_data` + `takstbilag.summarise`, exactly as the
takstbilag's own overview. The year before the first published one is shown too, from that
takstbilag's "last year" figures, so the first takstbilag already gives a comparison.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import F
from django.urls import reverse

from socialaftale.models import Driftsherre, Styringsparametre

from .models import RateLine, Takstbilag
from .opendata import Decision, LineDecisions, decision_for_line
from .publication import takstbilag_data
from .takstbilag import OBJECTIVE_UNIT, RATE_KEYS, RATE_LABELS, summarise
from .validation.rules import rise_above_limit

D = Decimal


def takstbilag_in_force() -> dict[int, Takstbilag]:
    """Per budget year the newest published version (one query)."""
    in_force: dict[int, Takstbilag] = {}
    for takstbilag in Takstbilag.objects.filter(
        status=Takstbilag.Status.PUBLISHED
    ).select_related("rate_round__parameters").order_by("version"):
        in_force[takstbilag.budget_year] = takstbilag
    return dict(sorted(in_force.items()))


def _parameters_by_year(years, kind: str) -> dict[int, tuple[Decimal, Decimal]]:
    """(P/L for the driftsherre's kind, rise threshold in pp) per budget year, one query."""
    return {
        p.budget_year: (p.pl_regioner if kind == Driftsherre.Kind.REGION else p.pl_kommuner,
                        p.rise_threshold_pp)
        for p in Styringsparametre.objects.filter(budget_year__in=list(years))
    }


# ----------------------------------------------------------------------------- one offer
@dataclass(frozen=True)
class YearRates:
    """An offer's (department's) approved rates in one year."""

    year: int
    rates: dict[str, Decimal]  # rate key (basis, time, takst_1 …) → kr.
    days: int | None
    decision: Decision | None = None
    takstbilag: Takstbilag | None = None  # None: last year's figures of the next takstbilag
    pl_pct: Decimal | None = None
    pl_projection: Decimal | None = None  # the first year's primary rate grown by P/L only
    change_pct: Decimal | None = None  # the primary rate's change from the year before
    above_limit: bool = False

    @property
    def from_next_year(self) -> bool:
        return self.takstbilag is None


@dataclass
class RateHistory:
    """One block (tilbud/afdeling with a unit) over the years: table rows and chart series."""

    afdeling: str
    unit: str
    years: list[YearRates] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [k for k in RATE_KEYS if any(k in y.rates for y in self.years)]

    @property
    def labels(self) -> list[str]:
        return [RATE_LABELS[k] for k in self.keys]

    @property
    def primary_key(self) -> str | None:
        first = self.years[0] if self.years else None
        for key in (*RATE_KEYS[2:], "basis", "time"):
            if first is not None and key in first.rates:
                return key
        return None

    @property
    def primary_label(self) -> str:
        return RATE_LABELS.get(self.primary_key or "", "")

    @property
    def is_objective(self) -> bool:
        return self.unit == OBJECTIVE_UNIT


def _rates(line: RateLine) -> dict[str, Decimal]:
    values = {"basis": line.basis, "time": line.time,
              **{f"takst_{i}": v for i, v in enumerate(line.takster, start=1)}}
    return {k: v for k, v in values.items() if v is not None}


def tilbud_rate_history(*, tilbud) -> list[RateHistory]:
    """The approved rates of an offer for every published year, one history per block."""
    in_force = takstbilag_in_force()
    if not in_force:
        return []
    by_id = {t.pk: t for t in in_force.values()}
    membership = set(
        Takstbilag.submissions.through.objects.filter(takstbilag_id__in=by_id).values_list(
            "takstbilag_id", "submission_id")
    )
    lines = list(
        RateLine.objects.filter(tilbud=tilbud, upload=F("upload__submission__submitted_upload"))
        .select_related("upload__submission__driftsherre",
                        "upload__submission__rate_round__parameters")
        .order_by("upload__submission__rate_round__parameters__budget_year", "block_index",
                  "year")
    )
    current: dict[tuple[str, str], dict[int, YearRates]] = defaultdict(dict)
    before: dict[tuple[str, str], dict[int, YearRates]] = defaultdict(dict)
    decisions = LineDecisions(list(in_force.values()))
    for line in lines:
        submission = line.upload.submission
        budget_year = submission.rate_round.parameters.budget_year
        takstbilag = in_force.get(budget_year)
        if takstbilag is None or (takstbilag.pk, submission.pk) not in membership:
            continue
        rates = _rates(line)
        if not rates:
            continue
        key = (line.afdeling_name if line.afdeling_name != line.tilbud_name else "", line.unit)
        days = 1 if line.unit == OBJECTIVE_UNIT else (
            line.betalingsdage or submission.rate_round.parameters.days_in_year)
        if line.year == budget_year and line.approval_status == RateLine.Approval.APPROVED:
            decision = decision_for_line(decisions, line, takstbilag_id=takstbilag.pk)
            current[key][budget_year] = YearRates(
                year=budget_year, rates=rates, days=days, decision=decision,
                takstbilag=takstbilag,
            )
        elif line.year == budget_year - 1:
            before[key].setdefault(line.year, YearRates(year=line.year, rates=rates, days=days))
    histories = []
    parameters = _parameters_by_year(
        {y for years in current.values() for y in years}, tilbud.driftsherre.kind)
    for key, years in current.items():
        first_year = min(years)
        if first_year - 1 in before.get(key, {}) and first_year - 1 not in in_force:
            years = {first_year - 1: before[key][first_year - 1], **years}
        history = RateHistory(afdeling=key[0], unit=key[1])
        history.years = [years[y] for y in sorted(years)]
        _add_projection(history, parameters)
        histories.append(history)
    return histories


def _add_projection(history: RateHistory,
                    parameters: dict[int, tuple[Decimal, Decimal]]) -> None:
    """The first year's primary rate grown by each later shown year's P/L (compounded), and
    each year's change of the primary rate from the year before, with the over-the-limit
    mark of the rule book."""
    primary = history.primary_key
    if primary is None:
        return
    projected = history.years[0].rates.get(primary)
    previous = projected
    rows = [history.years[0]]
    for year in history.years[1:]:
        pl_pct, threshold_pp = parameters.get(year.year, (None, None))
        if projected is not None and pl_pct is not None:
            projected = projected * (1 + pl_pct / 100)  # rounded only when shown
        value = year.rates.get(primary)
        change = ((value - previous) / previous * 100).quantize(D("0.01")) if (
            value is not None and previous) else None
        rows.append(replace(
            year, pl_pct=pl_pct, change_pct=change,
            pl_projection=projected.quantize(D("0.01")) if projected is not None else None,
            above_limit=pl_pct is not None and rise_above_limit(
                rise=change, pl_pct=pl_pct, threshold_pp=threshold_pp, unit=history.unit),
        ))
        previous = value if value is not None else previous
    rows[0] = replace(history.years[0], pl_projection=history.years[0].rates.get(primary))
    history.years = rows


# ----------------------------------------------------------------------------- driftsherrer
@dataclass(frozen=True)
class DriftsherreYear:
    year: int
    name: str
    slug: str
    kind: str
    offer_count: int
    compared_count: int
    avg_change_pct: Decimal | None
    pl_pct: Decimal
    avg_vs_pl_pp: Decimal | None
    above_count: int
    overhead_pct: Decimal | None
    takstbilag: Takstbilag


def driftsherre_years() -> list[DriftsherreYear]:
    """Every driftsherre's summary in every published year (the takstbilag's own overview)."""
    rows = []
    for year, takstbilag in takstbilag_in_force().items():
        data = takstbilag_data(takstbilag)
        for section in data.driftsherrer:
            summary = summarise(section, data)
            rows.append(DriftsherreYear(
                year=year, name=section.name, slug=section.slug, kind=section.kind,
                offer_count=summary.offer_count, compared_count=summary.compared_count,
                avg_change_pct=summary.avg_change_pct, pl_pct=summary.pl_pct,
                avg_vs_pl_pp=summary.avg_vs_pl_pp, above_count=summary.above_count,
                overhead_pct=summary.overhead_pct, takstbilag=takstbilag,
            ))
    return rows


def takstbilag_url(takstbilag: Takstbilag) -> str:
    return reverse("takster:takstbilag_year", args=[takstbilag.budget_year])
