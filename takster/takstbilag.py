"""The published rate appendix (takstbilag) as plain data, and its PDF and xlsx renderings.

Model-free on purpose: the approval workflow builds a `TakstbilagData` from the approved
rate lines and calls `render_takstbilag_pdf` / `render_takstbilag_xlsx` (from a Celery job).

    data = TakstbilagData(budget_year=2026, pl_kommuner=..., pl_regioner=..., driftsherrer=(
        DriftsherreSection(name="Aalborg Kommune", kind="kommune", overhead_pct=..., offers=(
            Offer(tilbud="Syrenhuset", paragraphs="SEL § 104", unit="Dag",
                  previous=OfferYear(year=2025, takster=(Decimal(224),), ...),
                  current=OfferYear(year=2026, takster=(Decimal(248),), ...)),
        )),
    ))
    pdf = render_takstbilag_pdf(data)

Derived figures (changes, marks, summaries, the P/L split) are computed here, never stored.
"""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import random
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import mean

from django.utils.safestring import mark_safe
from django.utils.text import slugify

from socialaftale.spreadsheets import safe_text
from takster.charts import ChartRow, overhead_change_chart
from takster.decomposition import Decomposition, YearFigures, decompose
from takster.validation.numbers import format_da, rise_pct
from takster.validation.params import DEFAULT_OCCUPANCY_THRESHOLD, DEFAULT_RISE_THRESHOLD_PP
from takster.validation.rules import occupancy_below_threshold, rise_above_limit, rise_limit_pct

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
WIDE_TABLE_COLUMNS = 13  # more columns than this get a smaller type to stay on the page


# ----------------------------------------------------------------------------- data
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
                    change_pct=pct, above_limit=rise_above_limit(
                        rise=pct, pl_pct=pl_pct, threshold_pp=threshold_pp, unit=self.unit
                    ),
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
    rise_threshold_pp: Decimal = DEFAULT_RISE_THRESHOLD_PP
    occupancy_threshold: Decimal = DEFAULT_OCCUPANCY_THRESHOLD
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

    def pl_for(self, kind: str) -> Decimal:
        return self.pl_regioner if kind == "region" else self.pl_kommuner

    def limit_for(self, kind: str) -> Decimal:
        """A rate rising more than this (in %) is marked: P/L + the threshold."""
        return rise_limit_pct(pl_pct=self.pl_for(kind), threshold_pp=self.rise_threshold_pp)


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
    per_offer = [
        o.rate_changes(pl_pct=pl, threshold_pp=data.rise_threshold_pp) for o in section.offers
    ]
    changes = [c for c in (offer_change_pct(ch) for ch in per_offer) if c is not None]
    avg = D(mean(changes)) if changes else None
    return DriftsherreSummary(
        name=section.name, kind=section.kind, offer_count=len(section.offers),
        compared_count=len(changes), avg_change_pct=avg, pl_pct=pl,
        avg_vs_pl_pp=avg - pl if avg is not None else None,
        above_count=sum(any(c.above_limit for c in ch) for ch in per_offer),
        overhead_pct=section.overhead_pct, overhead_pct_previous=section.overhead_pct_previous,
    )


# ----------------------------------------------------------------------------- formats
def fmt_amount(value: Decimal | None) -> str:
    """Kroner: whole numbers without decimals, others with two (336,66)."""
    if value is None:
        return ""
    value = D(value)
    return format_da(value, 0 if value == value.to_integral_value() else 2)


def fmt_signed(value: Decimal | None, decimals: int | None = None) -> str:
    if value is None:
        return ""
    text = fmt_amount(value) if decimals is None else format_da(D(value), decimals)
    return f"+{text}" if value > 0 else text


def fmt_pct(value: Decimal | None, decimals: int = 1, *, signed: bool = False) -> str:
    if value is None:
        return ""
    text = format_da(D(value), decimals)
    return f"{'+' if signed and value > 0 else ''}{text} %"


def fmt_date(value: date | None) -> str:
    if value is None:
        return ""
    months = (
        "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
        "oktober", "november", "december",
    )
    return f"{value.day}. {months[value.month - 1]} {value.year}"


# ----------------------------------------------------------------------------- context
def _fixed_columns(offer: Offer) -> list[tuple[str, object, object]]:
    """(header, year → text, change text) for the table columns every offer has figures in:
    Pladser (Sager), Belægning and Budget i alt. The rarer figures go in `_folded_figures`."""
    prev, cur = offer.previous, offer.current
    years = [y for y in (prev, cur) if y is not None]
    both = prev is not None and cur is not None

    def has(attr: str) -> bool:
        return any(getattr(y, attr) is not None for y in years)

    def change(attr: str, text) -> str:
        return text(_diff(getattr(cur, attr), getattr(prev, attr))) if both else ""

    columns = []
    if has("pladser"):
        columns.append(("Sager" if offer.is_objective else "Pladser",
                        lambda y: fmt_amount(y.pladser), change("pladser", fmt_signed)))
    if has("belaegning"):
        columns.append(("Belægning", lambda y: fmt_pct(y.belaegning, 0),
                        change("belaegning", _pp)))
    if has("budget"):
        columns.append(("Budget i alt", lambda y: fmt_amount(y.budget),
                        change("budget", lambda v: fmt_signed(v, 0))))
    return columns


def _folded_figures(offer: Offer) -> str:
    """Regulering, OH %, Tomgang and Betalingsdage as one line of text ("Regulering
    -250.000 → 0 (+250.000) · OH % 5,3 % → 5,4 % (+0,1 pp)"): one text line renders far
    faster than four more table columns, and most offers have only some of them."""
    prev, cur = offer.previous, offer.current
    years = [y for y in (prev, cur) if y is not None]
    parts = []

    def part(label: str, get, text, change_text) -> None:
        if all(get(y) is None for y in years):
            return
        if prev is not None and cur is not None:
            old, new = get(prev), get(cur)
            shown = f"{text(old) or '–'} → {text(new) or '–'}"
            delta = _diff(new, old)
            if delta:
                shown += f" ({change_text(delta)})"
        else:
            only = prev or cur
            shown = f"{only.year}: {text(get(only)) or '–'}"
        parts.append(f"{label} {shown}")

    # Budget i alt includes the regulering; no regulering in either year is not shown.
    if any(y.budget is not None for y in years) and any(y.regulering for y in years):
        # A year without a budget (an empty year row) has no regulering: "–", no change.
        part("Regulering",
             lambda y: (y.regulering or D(0)) if y.budget is not None else (
                 y.regulering or None),
             lambda v: fmt_signed(v, 0),
             lambda v: fmt_signed(v, 0))
    part("OH %", lambda y: y.oh_pct, fmt_pct, _pp)
    part("Tomgang", lambda y: y.tomgang, fmt_amount, fmt_signed)
    if any(y.days not in (365, 366) for y in years) and not offer.is_objective:
        part("Betalingsdage", lambda y: y.days, str, fmt_signed)
    return " · ".join(parts)


def _has_figures(year: OfferYear) -> bool:
    """The year has a budget or a rate (not just the prefilled Pladser)."""
    return year.budget is not None or any(
        year.rate(key) is not None for key in ("basis", "time")
    ) or any(t is not None for t in year.takster)


def _offer_view(offer: Offer, data: TakstbilagData, kind: str) -> dict:
    pl = data.pl_for(kind)
    changes = offer.rate_changes(pl_pct=pl, threshold_pp=data.rise_threshold_pp)
    try:
        explanation = offer.explain(pl_pct=pl)
    except (ValueError, ArithmeticError):
        explanation = None
    primary = offer.primary_key()
    prev, cur = offer.previous, offer.current
    columns = _fixed_columns(offer)
    width = len(columns) + len(changes)
    rows = []
    for year, fallback, missing in ((prev, data.budget_year - 1, "Nyt tilbud – ingen tal"),
                                    (cur, data.budget_year, "Udgået")):
        if year is None:
            rows.append({"label": str(fallback), "missing": missing, "width": width})
            continue
        cells = [fn(year) for _, fn, _ in columns]
        cells += [fmt_amount(year.rate(c.key)) for c in changes]
        if not _has_figures(year):
            cells = [c or "–" for c in cells]  # an empty year row (e.g. only Pladser)
        rows.append({"label": str(year.year), "cells": cells})
    change_kr = [text for _, _, text in columns] + [fmt_signed(c.change_kr) for c in changes]
    change_pct = [
        (fmt_pct(c.change_pct, signed=True) + (f" {ABOVE_MARK}" if c.above_limit else ""))
        if c.change_pct is not None else "" for c in changes
    ]
    if prev is not None and cur is not None and not (_has_figures(prev) and _has_figures(cur)):
        # Nothing to compare against: no "0" change from a year without figures.
        change_kr = ["–"] * len(change_kr)
        change_pct = ["–"] * len(change_pct)
    above = any(c.above_limit for c in changes)
    return {
        "folded": _folded_figures(offer),
        "offer": offer,
        "name": offer.name,
        "headers": [label for label, _, _ in columns] + [c.label for c in changes],
        "rows": rows,
        "compare": prev is not None and cur is not None,
        "change_kr": change_kr,
        "change_pct": change_pct,
        "fixed_count": len(columns),
        "wide": len(columns) + len(changes) > WIDE_TABLE_COLUMNS,
        "table_mm": _table_mm(len(columns) + len(changes)),
        "above": above,
        "above_labels": [c.label for c in changes if c.above_limit],
        "offer_change": fmt_pct(offer_change_pct(changes), signed=True),
        "primary_label": RATE_LABELS.get(primary, "") if primary else "",
        "primary_old": fmt_amount(prev.rate(primary)) if primary else "",
        "primary_new": fmt_amount(cur.rate(primary)) if primary else "",
        "explanation": _explanation_view(explanation),
        "low_occupancy": bool(cur) and occupancy_below_threshold(
            belaegning=cur.belaegning, threshold=data.occupancy_threshold
        ),
    }


def _table_mm(columns: int) -> int:
    """The rate table's width: a fixed layout (no measuring of every cell's text) with
    room for "+1.092.037" in a column, narrower columns in the smaller type of wide tables."""
    per = 16 if columns > WIDE_TABLE_COLUMNS else 20
    return 14 + per * columns


def _diff(new, old):
    if new is None or old is None:
        return None
    return D(new) - D(old)


def _pp(value: Decimal | None) -> str:
    if value is None or value == 0:
        return "" if value is None else "0"
    return f"{fmt_signed(value, 1)} pp"


def _explanation_view(d: Decomposition | None) -> dict | None:
    if d is None:
        return None
    return {
        "total": fmt_signed(d.total, 2), "pl": fmt_signed(d.pl, 2),
        "regulering": fmt_signed(d.regulering, 2), "rest": fmt_signed(d.rest, 2),
        "total_pct": fmt_pct(d.total_pct, signed=True), "pl_pp": fmt_pct(d.pl_pp, signed=True),
        "regulering_pp": fmt_pct(d.regulering_pp, signed=True),
        "rest_pp": fmt_pct(d.rest_pp, signed=True),
        "pl_pct": fmt_pct(d.pl_pct, 2), "method": d.method,
        "capacity": fmt_signed(d.capacity_effect, 2) if d.capacity_effect else "",
        "decomposition": d,
    }


def takstbilag_context(data: TakstbilagData) -> dict:
    """Everything the PDF template needs, with numbers already in Danish format."""
    sections, summaries = [], []
    for section in data.driftsherrer:
        summary = summarise(section, data)
        summaries.append(summary)
        sections.append({
            "section": section,
            "anchor": section.anchor,
            "summary": summary,
            "summary_view": _summary_view(summary, data),
            "offers": [_offer_view(o, data, section.kind) for o in section.offers],
        })
    chart = overhead_change_chart(
        [ChartRow(s.name, s.overhead_pct, s.avg_change_pct) for s in summaries],
        pl_label="P/L kommuner", pl_pct=data.pl_kommuner,
    )
    in_force = next((v for v in data.versions if v.number == data.version_number), None)
    return {
        "data": data,
        "title": data.heading,
        "year": str(data.budget_year),
        "prev_year": str(data.budget_year - 1),
        "sections": sections,
        "summaries": [_summary_view(s, data) for s in summaries],
        "chart_svg": mark_safe(chart),  # noqa: S308 - built by charts.py with escaped text
        "pl_kommuner": fmt_pct(data.pl_kommuner, 2),
        "pl_regioner": fmt_pct(data.pl_regioner, 2),
        "limit_kommuner": fmt_pct(data.limit_for("kommune"), 2),
        "limit_regioner": fmt_pct(data.limit_for("region"), 2),
        "threshold": format_da(data.rise_threshold_pp, 1),
        "occupancy_threshold": fmt_pct(data.occupancy_threshold, 0),
        "published_on": fmt_date(data.published_on),
        "versions": [
            {
                "version": v, "approved_on": fmt_date(v.approved_on),
                "published_on": fmt_date(v.published_on),
                "in_force": v.number == data.version_number,
            }
            for v in data.versions
        ],
        "in_force": in_force,
        "offer_count": sum(len(s.offers) for s in data.driftsherrer),
        "above_count": sum(s.above_count for s in summaries),
        "above_mark": ABOVE_MARK,
        "above_text": ABOVE_TEXT,
    }


def _summary_view(s: DriftsherreSummary, data: TakstbilagData) -> dict:
    return {
        "summary": s,
        "name": s.name,
        "kind": "Region" if s.kind == "region" else "Kommune",
        "offer_count": s.offer_count,
        "avg_change": fmt_pct(s.avg_change_pct, signed=True) or "–",
        "pl": fmt_pct(s.pl_pct, 2),
        "avg_vs_pl": (fmt_signed(s.avg_vs_pl_pp, 1) + " pp") if s.avg_vs_pl_pp is not None
        else "–",
        "above_count": s.above_count,
        "overhead": fmt_pct(s.overhead_pct) or "–",
        "overhead_previous": fmt_pct(s.overhead_pct_previous) or "–",
        "limit": fmt_pct(data.limit_for(s.kind), 2),
    }


TEMPLATE = "takster/pdf/takstbilag.html"
# Front matter layout (bookmark pages, length) by document shape, for `render_takstbilag_pdf`.
_FRONT_LAYOUT: dict[tuple, tuple[dict[str, int], int]] = {}
# Cover, contents, "Om" and the overview with the chart: the usual first pages (0-based).
FRONT_LAYOUT_USUAL = {"Indhold": 1, "Om takstbilaget": 2, "Overblik over driftsherrerne": 3}


def _toc(context: dict, pages: dict[str, int] | None) -> list[dict]:
    """Contents entries; with `pages` they carry printed numbers instead of in-document links."""
    entries = [
        ("om", "Om takstbilaget", False), ("overblik", "Overblik over driftsherrerne", False),
    ]
    entries += [(s["anchor"], s["section"].name, True) for s in context["sections"]]
    entries.append(("versioner", "Versionshistorik", False))
    return [
        {"anchor": anchor, "title": title, "sub": sub,
         "page": pages.get(anchor, "000") if pages is not None else None}
        for anchor, title, sub in entries
    ]


def render_takstbilag_html(data: TakstbilagData) -> str:
    """The whole takstbilag as one HTML document (browser preview, tests)."""
    from socialaftale.pdf import render_html

    context = takstbilag_context(data)
    context.update(show_front=True, show_back=True, toc=_toc(context, None))
    return render_html(TEMPLATE, context)


# Driftsherrer are rendered in parts of at least this many offers: every part pays a fixed
# cost (fonts, PDF writing), and a part this size keeps WeasyPrint's memory low.
PART_OFFERS = 60


def _section_groups(data: TakstbilagData) -> list[tuple[int, ...]]:
    """Consecutive driftsherrer (indexes) per part."""
    groups, current, count = [], [], 0
    for index, section in enumerate(data.driftsherrer):
        current.append(index)
        count += len(section.offers)
        if count >= PART_OFFERS:
            groups.append(tuple(current))
            current, count = [], 0
    if current:
        groups.append(tuple(current))
    return groups


def _section_pdf(data: TakstbilagData, indexes: tuple[int, ...]) -> bytes:
    """Some driftsherrer's part of the PDF (module level, so a process pool can run it)."""
    from socialaftale.pdf import render_pdf

    context = takstbilag_context(
        dataclasses.replace(data, driftsherrer=tuple(data.driftsherrer[i] for i in indexes))
    )
    return render_pdf(
        TEMPLATE, dict(context, show_front=False, show_back=False, stamped=True, toc=[])
    )


def _section_pdfs(data: TakstbilagData, workers: int) -> list[tuple[tuple[int, ...], bytes]]:
    groups = _section_groups(data)
    count = len(groups)
    # A daemonic process (a Celery prefork child) may not start processes: render in turn.
    if (workers <= 1 or count <= 1 or multiprocessing.current_process().daemon
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [(g, _section_pdf(data, g)) for g in groups]
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, count), mp_context=context) as pool:
        return list(zip(groups, pool.map(_section_pdf, [data] * count, groups), strict=True))


def render_takstbilag_pdf(data: TakstbilagData, *, workers: int = 1) -> bytes:
    """The takstbilag as an A4 landscape PDF: cover, contents, one section per driftsherre.

    Rendered in parts (front matter, the driftsherrer in parts of at least `PART_OFFERS`
    offers, version history) that are joined with pypdf, so WeasyPrint never holds the whole
    layout in memory; the contents get printed page numbers and links, each part keeps its
    bookmarks, and "Side x af y" is stamped on the joined document. `workers > 1` renders the
    driftsherre parts in that many forked processes (same output, less wall time).

    Speed: WeasyPrint costs about 1 ms per table cell, so each offer's table has only
    Pladser, Belægning, Budget i alt and the rate columns in use; Regulering, OH %, Tomgang
    and Betalingsdage are one line of text under it, and there is no overview table
    repeating the offers.
    """
    from pypdf import PdfReader, PdfWriter

    from socialaftale.pdf import render_pdf

    context = takstbilag_context(data)

    def part(*, sections, front=False, back=False, toc=None) -> PdfReader:
        ctx = dict(context, sections=sections, show_front=front, show_back=back, stamped=True,
                   toc=toc or [])
        return PdfReader(io.BytesIO(render_pdf(TEMPLATE, ctx)))

    def outline_pages(reader: PdfReader) -> dict[str, int]:
        return {
            item.title: reader.get_destination_page_number(item)
            for item in reader.outline if not isinstance(item, list)
        }

    parts = [(group, PdfReader(io.BytesIO(pdf))) for group, pdf in _section_pdfs(data, workers)]
    bodies = [reader for _, reader in parts]
    back = part(sections=[], back=True)

    def contents(front_pages: dict[str, int], front_length: int) -> list[dict]:
        pages = {"om": front_pages.get("Om takstbilaget", 0) + 1,
                 "overblik": front_pages.get("Overblik over driftsherrerne", 0) + 1}
        start = front_length + 1
        for group, body in parts:
            # Each driftsherre starts at its own bookmark (its h1) inside the part.
            starts = outline_pages(body)
            for index in group:
                section = context["sections"][index]
                pages[section["anchor"]] = start + starts.get(section["section"].name, 0)
            start += len(body.pages)
        pages["versioner"] = start
        return _toc(context, pages)

    # The contents only change digits, so the front matter's layout (its pages) does not
    # depend on them: render it with the layout of the last document of this shape, and
    # only when that guess was wrong render it again with the right numbers.
    shape = (len(context["sections"]), data.is_draft, len(data.versions))
    guess = _FRONT_LAYOUT.get(shape) or (dict(FRONT_LAYOUT_USUAL),
                                         5 if len(context["sections"]) > 6 else 4)
    front_toc = contents(*guess)
    front = part(sections=[], front=True, toc=front_toc)
    front_pages = outline_pages(front)
    if (front_pages, len(front.pages)) != guess:
        front_toc = contents(front_pages, len(front.pages))
        front = part(sections=[], front=True, toc=front_toc)
        _FRONT_LAYOUT[shape] = (outline_pages(front), len(front.pages))
    writer = PdfWriter()
    for reader in (front, *bodies, back):
        writer.append(reader)
    total = len(writer.pages)
    numbers = PdfReader(io.BytesIO(render_pdf(
        "takster/pdf/page_numbers.html", {"pages": range(total - 1)}
    )))
    for page, stamp in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves the content stream uncompressed
    toc_pages = range(front_pages.get("Indhold", 1), front_pages.get("Om takstbilaget", 0))
    _link_contents(writer, toc_pages, {e["title"]: int(e["page"]) - 1 for e in front_toc})
    writer.add_metadata({"/Title": data.heading, "/Subject": data.version_label})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_TOC_LINE = re.compile(r"^(.+?)\s*\.{3,}")


def _link_contents(writer, page_indexes, targets: dict[str, int]) -> None:
    """Make each contents line a link to its page (the parts were rendered apart)."""
    from pypdf.annotations import Link

    for index in page_indexes:
        page = writer.pages[index]
        right = float(page.mediabox.width) - 50
        found: list[tuple[str, float, float, float]] = []

        def visit(text, cm, tm, _font, size, found=found):
            match = _TOC_LINE.match(text.strip())
            if match and match.group(1) in targets:
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((match.group(1), x, y, size * abs(cm[3] or 1)))

        page.extract_text(visitor_text=visit)
        for title, x, y, height in found:
            writer.add_annotation(index, Link(
                rect=(x, y - 0.3 * height, right, y + height), target_page_index=targets[title],
            ))


# ----------------------------------------------------------------------------- xlsx
FMT_KR = "#,##0"
FMT_KR2 = "#,##0.00"
FMT_PCT = "0.0%"
FMT_PCT2 = "0.00%"


def _num(value: Decimal | None, *, pct: bool = False):
    if value is None:
        return None
    number = float(D(value) / 100 if pct else D(value))
    return int(number) if not pct and number.is_integer() else number


def render_takstbilag_xlsx(data: TakstbilagData) -> bytes:
    """The same content as the PDF as a workbook: numbers as numbers, text injection-safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ctx_summaries = [summarise(s, data) for s in data.driftsherrer]
    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, headers: list[tuple[str, int]], ws=None):
        ws = ws or wb.create_sheet(title)
        ws.title = title
        for col, (header, width) in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=col, value=header)
            cell.font = bold
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "A2"
        return ws

    def put(ws, row: int, values: list[tuple[object, str | None]]):
        for col, (value, number_format) in enumerate(values, start=1):
            if isinstance(value, str):
                value = safe_text(value)
            cell = ws.cell(row=row, column=col, value=value)
            if number_format and value is not None and not isinstance(value, str):
                cell.number_format = number_format

    about = sheet("Om", [("Felt", 34), ("Værdi", 60)], ws=wb.active)
    rows = [
        ("Titel", data.heading), ("Budgetår", data.budget_year),
        ("Version", data.version_label),
        ("Status", "Udkast" if data.is_draft else "Publiceret"),
        ("Publiceret", fmt_date(data.published_on)),
        ("P/L kommuner", _num(data.pl_kommuner, pct=True)),
        ("P/L regioner", _num(data.pl_regioner, pct=True)),
        ("Stigningsgrænse (pp over P/L)", _num(data.rise_threshold_pp)),
        ("Belægningsgrænse", _num(data.occupancy_threshold, pct=True)),
    ]
    if data.is_demo:
        rows.append(("Bemærk", "Indeholder demotal; se kolonnen Kilde."))
    for i, (label, value) in enumerate(rows, start=2):
        fmt = FMT_PCT2 if label.startswith(("P/L", "Belægnings")) else None
        put(about, i, [(label, None), (value, fmt)])

    ws = sheet("Driftsherrer", [
        ("Driftsherre", 28), ("Type", 10), ("Antal tilbud", 12), ("Gns. takstændring", 16),
        ("P/L", 10), ("Forskel til P/L (pp)", 18), ("Tilbud over grænsen", 18),
        ("Overhead", 11), ("Overhead sidste år", 18),
    ])
    for r, s in enumerate(ctx_summaries, start=2):
        put(ws, r, [
            (s.name, None), ("Region" if s.kind == "region" else "Kommune", None),
            (s.offer_count, None), (_num(s.avg_change_pct, pct=True), FMT_PCT),
            (_num(s.pl_pct, pct=True), FMT_PCT2),
            (_num(s.avg_vs_pl_pp.quantize(D("0.01"))) if s.avg_vs_pl_pp is not None else None,
             "0.0"),
            (s.above_count, None), (_num(s.overhead_pct, pct=True), FMT_PCT),
            (_num(s.overhead_pct_previous, pct=True), FMT_PCT),
        ])

    y1, y2 = data.budget_year - 1, data.budget_year
    offer_headers = [("Driftsherre", 24), ("Tilbud", 30), ("Afdeling", 24), ("§§", 16),
                     ("Enhed", 10), ("Status", 11)]
    for year in (y1, y2):
        offer_headers += [(f"Pladser/sager {year}", 13), (f"Belægning {year}", 13),
                          (f"Budget i alt {year}", 15), (f"Regulering {year}", 14),
                          (f"OH % {year}", 10), (f"Tomgang {year}", 11),
                          (f"Betalingsdage {year}", 14)]
    offer_headers += [("Forklaret takst", 14), ("Ændring i alt (kr.)", 16),
                      ("Heraf P/L (kr.)", 14), ("Heraf regulering (kr.)", 18),
                      ("Heraf øvrigt (kr.)", 16), ("Gns. ændring", 12), (ABOVE_TEXT, 13),
                      ("Bemærkning", 50), ("Særlige forhold", 40), ("Godkendelse", 40),
                      ("Revision", 40), ("Kilde", 30)]
    ws_offers = sheet("Tilbud", offer_headers)
    ws_rates = sheet("Takster", [
        ("Driftsherre", 24), ("Tilbud", 30), ("Afdeling", 24), ("§§", 16), ("Enhed", 10),
        ("Takst", 10), (f"Takst {y1}", 12), (f"Takst {y2}", 12), ("Ændring (kr.)", 13),
        ("Ændring (%)", 12), (ABOVE_TEXT, 13),
    ])
    offer_row = rate_row = 2
    for section in data.driftsherrer:
        pl = data.pl_for(section.kind)
        for offer in section.offers:
            changes = offer.rate_changes(pl_pct=pl, threshold_pp=data.rise_threshold_pp)
            try:
                d = offer.explain(pl_pct=pl)
            except (ValueError, ArithmeticError):
                d = None
            values = [(section.name, None), (offer.tilbud, None), (offer.afdeling, None),
                      (offer.paragraphs, None), (offer.unit, None), (offer.status, None)]
            for year in (offer.previous, offer.current):
                if year is None:
                    values += [(None, None)] * 7
                    continue
                values += [
                    (_num(year.pladser), FMT_KR), (_num(year.belaegning, pct=True), FMT_PCT),
                    (_num(year.budget), FMT_KR), (_num(year.regulering), FMT_KR),
                    (_num(year.oh_pct, pct=True), FMT_PCT), (_num(year.tomgang), FMT_KR),
                    (year.days, None),
                ]
            primary = offer.primary_key()
            values += [
                (RATE_LABELS[primary] if primary else None, None),
                (_num(d.total) if d else None, FMT_KR2), (_num(d.pl) if d else None, FMT_KR2),
                (_num(d.regulering) if d else None, FMT_KR2),
                (_num(d.rest) if d else None, FMT_KR2),
                (_num(offer_change_pct(changes), pct=True), FMT_PCT),
                ("Ja" if any(c.above_limit for c in changes) else "Nej", None),
                (offer.bemaerkning, None), (offer.saerlige_forhold, None),
                (offer.approval_note, None), (offer.revision_note, None),
                (offer.source, None),
            ]
            put(ws_offers, offer_row, values)
            offer_row += 1
            for c in changes:
                put(ws_rates, rate_row, [
                    (section.name, None), (offer.tilbud, None), (offer.afdeling, None),
                    (offer.paragraphs, None), (offer.unit, None), (c.label, None),
                    (_num(c.old), FMT_KR2), (_num(c.new), FMT_KR2),
                    (_num(c.change_kr), FMT_KR2), (_num(c.change_pct, pct=True), FMT_PCT),
                    ("Ja" if c.above_limit else "Nej", None),
                ])
                rate_row += 1
    for ws in (ws_offers, ws_rates):
        ws.auto_filter.ref = ws.dimensions

    ws = sheet("Versioner", [("Version", 9), ("Betegnelse", 30), ("Godkendt", 14),
                             ("Godkendt af", 34), ("Publiceret", 14), ("Note", 60),
                             ("Gældende", 10)])
    for r, v in enumerate(data.versions, start=2):
        put(ws, r, [(v.number, None), (v.label, None), (v.approved_on, "dd-mm-yyyy"),
                    (v.approved_by, None), (v.published_on, "dd-mm-yyyy"), (v.note, None),
                    ("Ja" if v.number == data.version_number else "Nej", None)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- demo
SEED = "DAS Social 17.11.2025, pkt. 5"
SEED_REVISION = "DAS Social 23.02.2026, pkt. 10"
DEMO = "Demotal"


def _takster(*values) -> tuple[Decimal | None, ...]:
    return tuple(None if v is None else D(str(v)) for v in values)


def _simple_offer(tilbud, paragraphs, unit, places, old, new, *, afdeling="", belaegning=97,
                  oh=("6.0", "6.2"), regulering=(0, 0), tomgang=None, **extra) -> Offer:
    """A demo offer whose budgets are consistent with its first rate (365 days)."""
    days = 365
    olds, news = _takster(*old), _takster(*new)
    cap = D(places) * D(belaegning) / 100 * days

    def budget(rate):
        return (D(rate) * cap).quantize(D(1)) if rate is not None else None

    return Offer(
        tilbud=tilbud, afdeling=afdeling, paragraphs=paragraphs, unit=unit,
        previous=OfferYear(year=2025, pladser=D(places), belaegning=D(belaegning),
                           budget=budget(olds[0]),
                           regulering=D(regulering[0]), oh_pct=D(oh[0]), takster=olds),
        current=OfferYear(year=2026, pladser=D(places), belaegning=D(belaegning),
                          budget=budget(news[0]),
                          regulering=D(regulering[1]), oh_pct=D(oh[1]), takster=news,
                          tomgang=D(tomgang) if tomgang is not None else None),
        source=extra.pop("source", DEMO), is_demo=extra.pop("is_demo", True), **extra,
    )


def demo_takstbilag_data() -> TakstbilagData:
    """Takstbilag 2026, version 2 (Aalborg's § 104 revision), with the seed's real figures.

    Real: the P/L, the approval remarks of 17.11.2025 (Nordstjernen, Frederikshavn
    Krisecenter, Vesthimmerland, Adelgade, Aalborg), Børnehus Nord (470 cases, 7.734 →
    8.020 kr.), Aalborg's revised § 104 day rates, Mariagerfjord's overhead. Every offer
    with invented figures says "Demotal" in its source and is flagged `is_demo`.
    """
    pl_k, pl_r = D("3.10"), D("2.46")
    aalborg_day = []
    for name, r25, r26_250, r26 in (
        ("Syrenhuset", 224, 362, 248), ("Hviddalen", 198, 256, 175),
        ("Væksthuset", 225, 328, 225),
    ):
        # Illustrative budgets: 20 places at 100 % give the published rates.
        aalborg_day.append(Offer(
            tilbud=name, afdeling="Dagtilbud", paragraphs="SEL § 104", unit="Dag",
            previous=OfferYear(year=2025, pladser=D(20), belaegning=D(100),
                               budget=D(r25 * 7300), regulering=D(0), takster=_takster(r25)),
            current=OfferYear(year=2026, pladser=D(20), belaegning=D(100),
                              budget=D(r26 * 7300), regulering=D(0), takster=_takster(r26)),
            revision_note=(
                f"Revideret: takst 2026 var {r26_250} kr./dag beregnet på 250 betalingsdage "
                f"(godkendt 17.11.2025); nu {r26} kr./dag på 365 betalingsdage. Teknisk "
                f"ændring, samme samlede årlige betaling ({SEED_REVISION})."
            ),
            bemaerkning=(
                "Stigningen skyldes ombygning fra SEL § 107 til § 108 med midlertidigt færre "
                "pladser og lavere belægning i botilbuddet." if name == "Syrenhuset" else ""
            ),
            source=f"Takster: {SEED_REVISION}; budget og pladser er demotal",
            is_demo=True,
        ))
    boernehus = Offer(
        tilbud="Børnehus Nord", paragraphs="SEL § 10-12", unit=OBJECTIVE_UNIT,
        previous=OfferYear(year=2025, pladser=D(470), takster=_takster(7734), days=1),
        current=OfferYear(year=2026, pladser=D(470), takster=_takster(8020), days=1),
        saerlige_forhold=(
            "Dels objektivt finansieret, dels takstfinansieret. Samlet budget falder 672.000 kr.; "
            "den objektive finansiering falder 566.400 kr. Uændret sagsantal (470)."
        ),
        bemaerkning=(
            "Takststigningen skyldes P/L, delvis finansiering af Tværgående Understøttende "
            "Enhed (TUE) og en pulje til arbejdsskadeerstatninger."
        ),
        approval_note="Budget 2026 godkendt af DAS Social 17.11.2025, pkt. 6.",
        source="DAS Social 17.11.2025, pkt. 6",
    )
    syrenhuset_bo = _simple_offer(
        "Syrenhuset", "SEL § 107/108", "Døgn", 24, (2350,), (2990,), afdeling="Botilbud",
        belaegning=80, oh=("5.8", "6.1"),
        bemaerkning=(
            "Ombygning af boliger fra SEL § 107 til § 108: midlertidigt 24 i stedet for 48 "
            "pladser og belægning sænket fra 98 % til 80 % i ombygningsperioden."
        ),
        source="Forhold: DAS Social 23.02.2026, pkt. 10; takster er demotal",
    )
    sections = (
        DriftsherreSection(
            name="Brønderslev Kommune", overhead_pct=D("6.1"), overhead_pct_previous=D("6.0"),
            offers=(
                Offer(
                    tilbud="Nordstjernen", afdeling="Botilbud", paragraphs="SEL § 108",
                    unit="Døgn",
                    previous=OfferYear(year=2025, pladser=D(16), belaegning=D(96),
                                       basis=D(1890), time=D("306.50"),
                                       takster=_takster(1890, 2420, 2980)),
                    current=OfferYear(year=2026, pladser=D(16), belaegning=D(96),
                                      basis=D(1950), time=D(316),
                                      takster=_takster(1950, 2495, 3070)),
                    approval_note=(
                        "Basistaksten er den laveste takst og dækker basisydelserne og to "
                        "ATA-timer; flere ATA-timer afregnes med 316 kr. pr. time. Betegnelsen "
                        "\"merpris\" i det integrerede dagtilbud var en fejl og er slettet. "
                        "Godkendt."
                    ),
                    source="Timepris 316 kr.: DAS Social 17.11.2025, pkt. 5; øvrige tal er demotal",
                    is_demo=True,
                ),
                _simple_offer("Kastanjebo", "SEL § 107", "Døgn", 12, (2105,), (2170,)),
            ),
        ),
        DriftsherreSection(
            name="Frederikshavn Kommune", overhead_pct=D("5.9"), overhead_pct_previous=D("5.7"),
            offers=(
                _simple_offer(
                    "Frederikshavn Krisecenter", "SEL § 109", "Døgn", 10, (1480,), (1560,),
                    belaegning=85, tomgang=2,
                    bemaerkning="Belægningen er budgetteret lavere end 95 % pga. svingende "
                    "efterspørgsel; tomgang ved indmelding 2 pladser.",
                    approval_note=(
                        "Oprindeligt indmeldt med 75 % belægning uden forklaring og en stigning "
                        "på 15 %; nye oplysninger eftersendt uden bemærkninger fra "
                        "Styringsaftalegruppen. Godkendt."
                    ),
                    source="Forhold: DAS Social 17.11.2025, pkt. 5; takster er demotal",
                ),
                _simple_offer("Bostedet Skovbakken", "SEL § 108", "Døgn", 18, (2210,), (2281,)),
            ),
        ),
        DriftsherreSection(
            name="Hjørring Kommune", overhead_pct=D("6.8"), overhead_pct_previous=D("6.6"),
            offers=(
                _simple_offer("Bo- og aktivitetstilbud Nord", "SEL § 107", "Døgn", 20,
                              (1980, 2460), (2041, 2536)),
                _simple_offer("Værkstedet Vest", "SEL § 103", "Dag", 40, (540,), (556,)),
            ),
        ),
        DriftsherreSection(
            name="Jammerbugt Kommune", overhead_pct=D("5.2"), overhead_pct_previous=D("5.3"),
            offers=(_simple_offer("Bostedet ved Fjorden", "SEL § 108", "Døgn", 14,
                                  (2050,), (2115,)),),
        ),
        DriftsherreSection(
            name="Mariagerfjord Kommune", overhead_pct=D("6.5"), overhead_pct_previous=D("6.3"),
            offers=(
                Offer(
                    tilbud="Aktivitetshuset Hobro", afdeling="Aktivitetshuset Hobro",
                    paragraphs="SEL § 104", unit="Dag",
                    previous=OfferYear(year=2025, pladser=D(50), belaegning=D(98),
                                       budget=D(9_101_650), regulering=D(-250_000),
                                       oh_pct=D("5.3"), takster=_takster(339, 509)),
                    current=OfferYear(year=2026, pladser=D(50), belaegning=D(98),
                                      budget=D(8_912_000), regulering=D(0), oh_pct=D("5.4"),
                                      takster=_takster(332, 498)),
                    saerlige_forhold=(
                        "Takst 1 tæller kun som 2/3 af en plads i forhold til belægning."
                    ),
                    source="2026: testrækker i DAS Social 23.02.2026, pkt. 4; 2025 er demotal",
                    is_demo=True,
                ),
                Offer(
                    tilbud="Beskyttet Beskæftigelse Mariagerfjord", paragraphs="SEL § 103",
                    unit="Dag",
                    previous=OfferYear(year=2025, pladser=D(57), belaegning=D(98),
                                       budget=D(8_432_000), regulering=D(0), oh_pct=D("6.3"),
                                       takster=_takster(276, 414)),
                    current=OfferYear(year=2026, pladser=D(57), belaegning=D(98),
                                      budget=D(9_383_248), regulering=D(725_248),
                                      oh_pct=D("6.4"), takster=_takster(307, 460)),
                    bemaerkning=(
                        "Taksten er steget markant pga. indregning af underskud (regulering), "
                        "opstået som følge af lav belægning."
                    ),
                    saerlige_forhold="Tilbuddet består af 2 afdelinger i Hobro og Hadsund.",
                    source="2026: testrækker i DAS Social 23.02.2026, pkt. 4; 2025 er demotal",
                    is_demo=True,
                ),
            ),
        ),
        DriftsherreSection(
            name="Morsø Kommune", overhead_pct=D("5.5"), overhead_pct_previous=D("5.5"),
            offers=(_simple_offer("Botilbuddet Limfjorden", "SEL § 108", "Døgn", 10,
                                  (1890,), (1948,)),),
        ),
        DriftsherreSection(
            name="Rebild Kommune", overhead_pct=D("6.0"), overhead_pct_previous=D("5.8"),
            offers=(_simple_offer("Dagtilbuddet Rold", "SEL § 104", "Dag", 30, (610,), (629,)),),
        ),
        DriftsherreSection(
            name="Thisted Kommune", overhead_pct=D("5.6"), overhead_pct_previous=D("5.6"),
            offers=(
                _simple_offer(
                    "Adelgade", "SEL § 107", "Døgn", 12, (1720, 2240, 2880),
                    (1775, 2310, 2970),
                    approval_note=(
                        "Takstniveauerne var ved en fejl indberettet forkert; rettet, så "
                        "ydelsespakker og takster svarer til de nuværende indplaceringer. "
                        "Godkendt."
                    ),
                    source="Forhold: DAS Social 17.11.2025, pkt. 5; takster er demotal",
                ),
            ),
        ),
        DriftsherreSection(
            name="Vesthimmerland Kommune", overhead_pct=D("6.4"), overhead_pct_previous=D("6.2"),
            remark=(
                "Takststruktur med basistakst og timepris siden 1.1.2025. De første indmeldte "
                "takster var fiktive gennemsnitstakster og blev ikke anbefalet; de nye takster "
                "viser udviklingen 2025-2026. Basistaksterne er forskellige inden for samme "
                "tilbud, fordi husene er delt efter borgerkategorier. Godkendt af DAS "
                "17.11.2025."
            ),
            offers=tuple(
                Offer(
                    tilbud=tilbud, afdeling=afdeling, paragraphs="SEL § 108", unit="Døgn",
                    previous=OfferYear(year=2025, pladser=D(p), belaegning=D(97),
                                       basis=D(b0), time=D("412")),
                    current=OfferYear(year=2026, pladser=D(p), belaegning=D(97),
                                      basis=D(b1), time=D("425")),
                    source="Tilbudsnavne: DAS Social 17.11.2025, pkt. 5; takster er demotal",
                    is_demo=True,
                )
                for tilbud, afdeling, p, b0, b1 in (
                    ("Tilbuddene i Løgstør", "Bøgevej A-B-C", 18, 1210, 1248),
                    ("Tilbuddene i Løgstør", "Møllersgaard", 12, 1460, 1505),
                    ("Østerboulevard", "Østerboulevard", 10, 1320, 1362),
                    ("Borgergade 23", "Borgergade 23", 8, 1395, 1438),
                    ("Tilbuddene i Aalestrup", "Vinkelvej", 9, 1180, 1217),
                    ("Tilbuddene i Aalestrup", "Rosengaarden", 11, 1510, 1557),
                )
            ),
        ),
        DriftsherreSection(
            name="Aalborg Kommune", slug="aalborg", overhead_pct=D("7.4"),
            overhead_pct_previous=D("8.2"),
            remark=(
                "Store udsving mellem tilbuddene (fra fald på 57 % til markante stigninger) "
                "skyldes bl.a. harmonisering af overhead efter sammenlægning af to forvaltninger "
                "med forskellige overheadniveauer."
            ),
            offers=(
                *aalborg_day, syrenhuset_bo, boernehus,
                _simple_offer(
                    "Bostedet Østerå", "SEL § 107", "Døgn", 16, (3120,), (1342,),
                    oh=("11.8", "6.9"),
                    bemaerkning="Faldet skyldes harmonisering af overhead og ændret målgruppe "
                    "(demoeksempel på et fald på 57 %).",
                ),
            ),
        ),
        DriftsherreSection(
            name="Region Nordjylland", kind="region", slug="region-nordjylland",
            overhead_pct=D("5.0"), overhead_pct_previous=D("4.9"),
            offers=(
                _simple_offer("Specialområde Hjerneskade", "SEL § 108", "Døgn", 22,
                              (3410,), (3494,)),
                _simple_offer("Specialområde Socialpsykiatri", "SEL § 107", "Døgn", 30,
                              (2890, 3650), (2961, 3740)),
            ),
        ),
    )
    return TakstbilagData(
        budget_year=2026, pl_kommuner=pl_k, pl_regioner=pl_r, driftsherrer=sections,
        version_number=2, version_label="Version 2 – revideret 23. februar 2026",
        published_on=date(2026, 2, 23),
        versions=(
            TakstbilagVersion(
                number=1, label="Takstbilag 2026", approved_on=date(2025, 11, 17),
                approved_by=SEED, published_on=date(2025, 11, 17),
                note="Godkendt med bemærkninger til Nordstjernen, Frederikshavn Krisecenter, "
                "Vesthimmerland Kommune, Adelgade og Aalborg Kommune.",
            ),
            TakstbilagVersion(
                number=2, label="Revision: Aalborg SEL § 104 dagtilbud",
                approved_on=date(2026, 2, 23), approved_by=SEED_REVISION,
                published_on=date(2026, 2, 23),
                note="Syrenhuset, Hviddalen og Væksthuset afregnes på 365 i stedet for 250 "
                "betalingsdage.",
            ),
        ),
        is_demo=True,
    )


# ----------------------------------------------------------------------------- synthetic
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


__all__ = [
    "DriftsherreSection", "DriftsherreSummary", "Offer", "OfferYear", "RateChange",
    "TakstbilagData", "TakstbilagVersion", "demo_takstbilag_data", "render_takstbilag_html",
    "render_takstbilag_pdf", "render_takstbilag_xlsx", "safe_text", "summarise",
    "synthetic_takstbilag_data", "takstbilag_context",
]
