"""The takstbilag's view model: its data as Danish-formatted text for the PDF template."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.safestring import mark_safe

from takster.charts import ChartRow, overhead_change_chart
from takster.decomposition import Decomposition
from takster.validation.numbers import format_da

from .data import (
    ABOVE_MARK,
    ABOVE_TEXT,
    RATE_LABELS,
    D,
    DriftsherreSummary,
    Offer,
    OfferYear,
    TakstbilagData,
    offer_change_pct,
    summarise,
)

# A rate column's width: room for "+640 (+27,2 % ▲)" on one line (a wrapped cell is two text
# boxes to lay out and draw). Up to 7 rates get it; 8 and 9 share the page's width.
RATE_COLUMN_MM = 30
YEAR_COLUMN_MM = 25  # room for the row header "2025 → 2026" in bold
PAGE_WIDTH_MM = 261  # A4 landscape inside pdf/base.html's 18 mm side margins
# Tables with more rates than this get a smaller type and narrower columns to fit the page
# (all 12 rates: 25 + 12 × 19 = 253 mm).
MANY_RATES = 9
MANY_RATE_COLUMN_MM = 19


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


def _folded_figures(offer: Offer) -> str:
    """Every figure but the rates as one line of text under the rate table ("Pladser 50 ·
    Belægning 98 % · Budget i alt 9.101.650 → 8.912.000 (-189.650) · Regulering -250.000 → 0
    (+250.000) · OH % 5,3 % → 5,4 % (+0,1 pp)"). A figure that is the same in both years is
    shown once. One line of text renders far faster than a table column per figure (WeasyPrint
    pays per table cell), and it leaves the table to the rates, which is what the reader
    compares."""
    prev, cur = offer.previous, offer.current
    years = [y for y in (prev, cur) if y is not None]
    parts = []

    def part(label: str, get, text, change_text) -> None:
        if all(get(y) is None for y in years):
            return
        if prev is not None and cur is not None:
            old, new = get(prev), get(cur)
            if old == new:
                shown = text(new)
            else:
                shown = f"{text(old) or '–'} → {text(new) or '–'}"
                delta = _diff(new, old)
                if delta:
                    shown += f" ({change_text(delta)})"
        else:
            only = prev or cur
            shown = f"{only.year}: {text(get(only)) or '–'}"
        parts.append(f"{label} {shown}")

    part("Sager" if offer.is_objective else "Pladser", lambda y: y.pladser, fmt_amount,
         fmt_signed)
    if not offer.is_objective:
        part("Belægning", lambda y: y.belaegning, lambda v: fmt_pct(v, 0), _pp)
    part("Budget i alt", lambda y: y.budget, fmt_amount, lambda v: fmt_signed(v, 0))
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
    changes = data.rate_changes(offer, kind)
    try:
        explanation = offer.explain(pl_pct=pl)
    except (ValueError, ArithmeticError):
        explanation = None
    primary = offer.primary_key()
    prev, cur = offer.previous, offer.current

    def year_cells(year: OfferYear) -> list[str]:
        cells = [fmt_amount(year.rate(c.key)) for c in changes]
        if not _has_figures(year):
            cells = [c or "–" for c in cells]  # an empty year row (e.g. only Pladser)
        return cells

    # One row of rates ("224 → 248") and one of changes: a table row is the costly part of
    # the document, and the arrow reads as the year-to-year comparison it is.
    if prev is not None and cur is not None:
        rows = [{"label": f"{prev.year} → {cur.year}", "cells": [
            f"{old or '–'} → {new or '–'}"
            for old, new in zip(year_cells(prev), year_cells(cur), strict=True)
        ]}]
    elif prev is not None or cur is not None:
        rows = [{"label": str((prev or cur).year), "cells": year_cells(prev or cur)}]
    else:
        rows = []
    if not changes:
        year = (cur or prev).year if (cur or prev) else data.budget_year
        rows = [{"label": str(year), "missing": "Ingen takster", "width": 1}]
    change_kr = [fmt_signed(c.change_kr) for c in changes]
    change_pct = [
        (fmt_pct(c.change_pct, signed=True) + (f" {ABOVE_MARK}" if c.above_limit else ""))
        if c.change_pct is not None else "" for c in changes
    ]
    if prev is not None and cur is not None and not (_has_figures(prev) and _has_figures(cur)):
        # Nothing to compare against: no "0" change from a year without figures.
        change_kr = ["–"] * len(change_kr)
        change_pct = ["–"] * len(change_pct)
    # One row for both: "+175 (+7,1 % ▲)" – a table row fewer per offer.
    change = [f"{kr} ({pct})" if kr and pct and kr != "–" else kr or pct
              for kr, pct in zip(change_kr, change_pct, strict=True)]
    # A narrow column wraps before the parenthesis, never inside "4,3 %" or before the mark.
    change = [c.replace(" %", "\N{NO-BREAK SPACE}%").replace(f" {ABOVE_MARK}",
                                                             f"\N{NO-BREAK SPACE}{ABOVE_MARK}")
              for c in change]
    above = any(c.above_limit for c in changes)
    low_occupancy = data.low_occupancy(offer)
    return {
        "folded": _folded_figures(offer),
        "offer": offer,
        "name": offer.name,
        "headers": [c.label for c in changes],
        "rows": rows,
        "compare": prev is not None and cur is not None,
        "change_kr": change_kr,
        "change_pct": change_pct,
        "change": change,
        "many": len(changes) > MANY_RATES,
        "columns": len(changes),
        "above": above,
        "above_labels": [c.label for c in changes if c.above_limit],
        # The average of the rate changes; with one comparable rate it is the change row.
        "offer_change": fmt_pct(offer_change_pct(changes), signed=True)
        if sum(c.change_pct is not None for c in changes) > 1 else "",
        "primary_label": RATE_LABELS.get(primary, "") if primary else "",
        "primary_old": fmt_amount(prev.rate(primary)) if primary else "",
        "primary_new": fmt_amount(cur.rate(primary)) if primary else "",
        "explanation": _explanation_view(explanation),
        "low_occupancy": low_occupancy,
        "marks": _marks(offer, above=above, low_occupancy=low_occupancy),
    }


def _marks(offer: Offer, *, above: bool, low_occupancy: bool) -> str:
    """The offer's marks after its heading, as one text ("▲ Over grænsen · Lav belægning"):
    one framed box in the PDF, not one per mark."""
    marks = [f"{ABOVE_MARK} {ABOVE_TEXT}" if above else "", offer.status,
             "Revideret" if offer.revision_note else "",
             "Lav belægning" if low_occupancy else ""]
    return " · ".join(m for m in marks if m)


def _table_mm(columns: int) -> int:
    """The rate table's width: a fixed layout, so WeasyPrint need not measure every cell."""
    if columns > MANY_RATES:
        per = MANY_RATE_COLUMN_MM
    else:
        per = min(RATE_COLUMN_MM, (PAGE_WIDTH_MM - YEAR_COLUMN_MM) // max(columns, 1))
    return YEAR_COLUMN_MM + per * columns


def table_widths(offer_views) -> list[tuple[int, int]]:
    """(columns, mm) for the stylesheet: a class per width, not a style attribute per table,
    so WeasyPrint computes the styles of equal tables' cells once and shares them."""
    return [(n, _table_mm(n)) for n in sorted({o["columns"] for o in offer_views})]


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
    offer_views = [o for s in sections for o in s["offers"]]
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
                "status": data.version_status(v),
            }
            for v in data.versions
        ],
        "in_force": in_force,
        "offer_count": sum(len(s.offers) for s in data.driftsherrer),
        "above_count": sum(s.above_count for s in summaries),
        "table_widths": table_widths(offer_views),
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
