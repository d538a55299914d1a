"""The takstbilag as plain data: offers, their two years, and the figures derived from them.

Model-free on purpose: `takster/publication.py` builds a `TakstbilagData` from the approved
rate lines; `view.py` turns it into the templates' context, `pdf.py` and `xlsx.py` render it.

    data = TakstbilagData(budget_year=2026, pl_kommuner=..., pl_regioner=..., driftsherrer=(
        DriftsherreSection(name="Aalborg Kommune", kind="kommune", overhead_pct=..., offers=(
            Offer(tilbud="Syrenhuset", paragraphs="SEL § 104", unit="Dag",
                  previous=OfferYear(year=2025, takster=(Decimal(224),), ...),
                  current=OfferYear(year=2026, takster=(Decimal(248),), ...)),
        )),
    ))

Derived figures (changes, marks, summaries, the P/L split) are computed here, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import mean

from django.utils.text import slugify

from takster.decomposition import Decomposition, YearFigures, decompose
from takster.validation.numbers import rise_pct
from takster.validation.params import RateSheetParams
from takster.validation.rules import (
    occupancy_below_threshold,
    rise_above_limit,
    rise_limit_pct,
)

D = Decimal
TAKST_COUNT = 10
# Column order of the rate sheet: Basis, Time, Takst 1 … Takst 10.
RATE_KEYS: tuple[str, ...] = ("basis", "time", *(f"takst_{i}" for i in range(1, TAKST_COUNT + 1)))
RATE_LABELS: dict[str, str] = {
    "basis": "Basis", "time": "Time", **{f"takst_{i}": f"Takst {i}" for i in range(1, 11)}
}
# The rate explained per offer: the first level present in both years, in this order.
PRIMARY_ORDER: tuple[str, ...] = (*RATE_KEYS[2:], "basis", "time")
ABOVE_MARK = "▲"
ABOVE_TEXT = "Over grænsen"
OBJECTIVE_UNIT = "Objektiv"


@dataclass(frozen=True)
class OfferYear:
    """One year row of an offer (the template's year-1 or year-2 row). Percentages as 98, 6.5."""

    year: int
    pladser: Decimal | None = None  # objective financing: number of cases (sager)
    belaegning: Decimal | None = None
    budget: Decimal | None = None  # "Budget i alt", including regulering
    regulering: Decimal | None = None  # surplus as minus, deficit as plus
    oh_pct: Decimal | None = None
    basis: Decimal | None = None
    time: Decimal | None = None
    takster: tuple[Decimal | None, ...] = ()  # Takst 1 … Takst 10
    tomgang: Decimal | None = None
    days: int = 365  # paid days the rates are computed on (Aalborg's day offers: 250 → 365)

    def rate(self, key: str) -> Decimal | None:
        if key in ("basis", "time"):
            return getattr(self, key)
        index = int(key.removeprefix("takst_")) - 1
        return self.takster[index] if index < len(self.takster) else None


@dataclass(frozen=True)
class Offer:
    """A tilbud/afdeling in the takstbilag: last year's and this year's row and the notes."""

    tilbud: str
    afdeling: str = ""
    paragraphs: str = ""  # "SEL § 104", "SEL § 107/108"
    unit: str = ""  # Dag, Døgn, …, Objektiv
    previous: OfferYear | None = None  # None: a new offer
    current: OfferYear | None = None  # None: the offer has ended (udgået)
    bemaerkning: str = ""  # the operator's explanation of a deviation
    saerlige_forhold: str = ""  # special conditions of the offer
    approval_note: str = ""  # what DAS / Styringsaftalegruppen said about it
    revision_note: str = ""  # set on lines changed by a later version
    source: str = ""  # where the figures come from ("Demotal" for invented ones)
    decomposition: Decomposition | None = None  # computed from the figures when None
    is_demo: bool = False

    @property
    def name(self) -> str:
        if self.afdeling and self.afdeling != self.tilbud:
            return f"{self.tilbud} – {self.afdeling}"
        return self.tilbud

    @property
    def status(self) -> str:
        if self.previous is None:
            return "Nyt tilbud"
        if self.current is None:
            return "Udgået"
        return ""

    @property
    def is_objective(self) -> bool:
        return self.unit == OBJECTIVE_UNIT

    def rate_keys(self) -> tuple[str, ...]:
        years = [y for y in (self.previous, self.current) if y is not None]
        return tuple(k for k in RATE_KEYS if any(y.rate(k) is not None for y in years))

    def rate_changes(self, *, pl_pct: Decimal, threshold_pp: Decimal) -> tuple[RateChange, ...]:
        changes = []
        for key in self.rate_keys():
            old = self.previous.rate(key) if self.previous else None
            new = self.current.rate(key) if self.current else None
            pct = rise_pct(old, new) if old is not None and new is not None else None
            changes.append(
                RateChange(
                    key=key, label=RATE_LABELS[key], old=old, new=new,
                    change_kr=new - old if old is not None and new is not None else None,
                    change_pct=pct,
                    above_limit=rise_above_limit(rise=pct, pl_pct=pl_pct,
                                                 threshold_pp=threshold_pp, unit=self.unit),
                )
            )
        return tuple(changes)

    def primary_key(self) -> str | None:
        if self.previous is None or self.current is None:
            return None
        for key in PRIMARY_ORDER:
            old, new = self.previous.rate(key), self.current.rate(key)
            if old is not None and new is not None and old > 0:
                return key
        return None

    def explain(self, *, pl_pct: Decimal) -> Decomposition | None:
        """The P/L / regulering / rest split of the primary rate (None for new/ended offers)."""
        if self.decomposition is not None:
            return self.decomposition
        key = self.primary_key()
        if key is None:
            return None
        return decompose(_figures(self.previous, key), _figures(self.current, key), pl_pct=pl_pct)


def _figures(year: OfferYear, key: str) -> YearFigures:
    return YearFigures(
        budget=year.budget, regulering=year.regulering or D(0), pladser=year.pladser,
        belaegning=year.belaegning if year.belaegning is not None else None,
        days=year.days, takst=year.rate(key),
    )


@dataclass(frozen=True)
class RateChange:
    key: str
    label: str
    old: Decimal | None
    new: Decimal | None
    change_kr: Decimal | None
    change_pct: Decimal | None
    above_limit: bool


@dataclass(frozen=True)
class DriftsherreSection:
    """One driftsherre's part of the takstbilag."""

    name: str
    offers: tuple[Offer, ...]
    kind: str = "kommune"  # "kommune" or "region": chooses the P/L
    overhead_pct: Decimal | None = None  # the driftsherre's average overhead, budget year
    overhead_pct_previous: Decimal | None = None
    remark: str = ""  # a remark on the whole submission (e.g. from the DAS minutes)
    slug: str = ""

    @property
    def anchor(self) -> str:
        return "dh-" + (self.slug or slugify(self.name))


@dataclass(frozen=True)
class TakstbilagVersion:
    """A version of the takstbilag for the history list (the first approval, revisions)."""

    number: int
    label: str
    approved_on: date | None = None
    approved_by: str = ""  # "DAS Social 17.11.2025, pkt. 5"
    published_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class TakstbilagData:
    """Everything one takstbilag document shows."""

    budget_year: int
    pl_kommuner: Decimal
    pl_regioner: Decimal
    driftsherrer: tuple[DriftsherreSection, ...]
    rise_threshold_pp: Decimal = RateSheetParams.rise_threshold_pp
    occupancy_threshold: Decimal = RateSheetParams.occupancy_threshold
    version_number: int = 1
    version_label: str = "Version 1"
    published_on: date | None = None  # None: a draft, marked as such on every page
    versions: tuple[TakstbilagVersion, ...] = ()
    title: str = ""
    is_demo: bool = False

    @property
    def heading(self) -> str:
        return self.title or f"Takstbilag {self.budget_year}"

    @property
    def is_draft(self) -> bool:
        return self.published_on is None

    def version_status(self, version: TakstbilagVersion) -> str:
        """The history's status of a version: "Gældende" for the newest published one, a
        draft is "Udkast" (it is not in force before it is published), the rest "Erstattet"."""
        if version.published_on is None:
            return "Udkast"
        newest = max((v.number for v in self.versions if v.published_on is not None),
                     default=None)
        return "Gældende" if version.number == newest else "Erstattet"

    def pl_for(self, kind: str) -> Decimal:
        return self.pl_regioner if kind == "region" else self.pl_kommuner

    def limit_for(self, kind: str) -> Decimal:
        """A rate rising more than this (in %) is marked: P/L + the threshold."""
        return rise_limit_pct(pl_pct=self.pl_for(kind), threshold_pp=self.rise_threshold_pp)

    def rate_changes(self, offer: Offer, kind: str) -> tuple[RateChange, ...]:
        """The offer's rate changes, marked against the limit for the driftsherre's kind."""
        return offer.rate_changes(pl_pct=self.pl_for(kind), threshold_pp=self.rise_threshold_pp)

    def low_occupancy(self, offer: Offer) -> bool:
        """The budget year's belægning is under the threshold (objective financing included)."""
        current = offer.current
        return current is not None and occupancy_below_threshold(
            belaegning=current.belaegning, threshold=self.occupancy_threshold
        )


@dataclass(frozen=True)
class DriftsherreSummary:
    name: str
    kind: str
    offer_count: int
    compared_count: int  # offers with rates in both years
    avg_change_pct: Decimal | None  # mean over offers of each offer's mean rate change
    pl_pct: Decimal
    avg_vs_pl_pp: Decimal | None
    above_count: int  # offers with at least one rate above P/L + threshold
    overhead_pct: Decimal | None
    overhead_pct_previous: Decimal | None


def offer_change_pct(changes: tuple[RateChange, ...]) -> Decimal | None:
    """An offer's change: the mean of its comparable rate changes in %."""
    values = [c.change_pct for c in changes if c.change_pct is not None]
    return D(mean(values)) if values else None


def summarise(section: DriftsherreSection, data: TakstbilagData) -> DriftsherreSummary:
    pl = data.pl_for(section.kind)
    per_offer = [data.rate_changes(o, section.kind) for o in section.offers]
    changes = [c for c in (offer_change_pct(ch) for ch in per_offer) if c is not None]
    avg = D(mean(changes)) if changes else None
    return DriftsherreSummary(
        name=section.name, kind=section.kind, offer_count=len(section.offers),
        compared_count=len(changes), avg_change_pct=avg, pl_pct=pl,
        avg_vs_pl_pp=avg - pl if avg is not None else None,
        above_count=sum(any(c.above_limit for c in ch) for ch in per_offer),
        overhead_pct=section.overhead_pct, overhead_pct_previous=section.overhead_pct_previous,
    )
