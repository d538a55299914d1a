"""Public pages on rates over time per driftsherre and the comparison across driftsherrer."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe

from socialaftale.models import Driftsherre
from tilbud.models import Tilbud

from .charts import ChartRow, overhead_change_chart
from .history import driftsherre_years
from .history_charts import Series, line_chart
from .takstbilag import fmt_pct


def _row_view(row) -> dict:
    return {
        "row": row, "year": row.year, "overhead": fmt_pct(row.overhead_pct) or "–",
        "avg_change": fmt_pct(row.avg_change_pct, signed=True) or "–",
        "pl": fmt_pct(row.pl_pct, 2),
        "avg_vs_pl": (fmt_pct(row.avg_vs_pl_pp, signed=True).replace(" %", " pp")
                      if row.avg_vs_pl_pp is not None else "–"),
    }


def driftsherre_compare(request):
    """All driftsherrer: overhead and average rate change against P/L, per published year."""
    rows = driftsherre_years()
    years = sorted({r.year for r in rows})
    latest = [r for r in rows if years and r.year == years[-1]]
    chart = ""
    if latest:
        chart = overhead_change_chart(
            [ChartRow(r.name, r.overhead_pct, r.avg_change_pct) for r in latest],
            pl_label="P/L kommuner", pl_pct=next(
                (r.pl_pct for r in latest if r.kind == Driftsherre.Kind.KOMMUNE), None),
            title=f"Overhead og gennemsnitlig takstændring pr. driftsherre, {years[-1]}",
        )
    by_name: dict[str, dict] = {}
    for r in rows:
        entry = by_name.setdefault(r.name, {"name": r.name, "slug": r.slug, "years": {}})
        entry["years"][r.year] = _row_view(r)
    table = [
        {**entry, "cells": [entry["years"].get(y) for y in years]}
        for entry in sorted(by_name.values(), key=lambda e: e["name"])
    ]
    return render(request, "takster/driftsherre_compare.html", {
        "years": years, "latest_year": years[-1] if years else None,
        "latest": [_row_view(r) for r in latest], "table": table,
        "chart_svg": mark_safe(chart),  # noqa: S308 - built by charts.py with escaped text
    })


def driftsherre_history(request, slug: str):
    """One driftsherre: its overhead and its offers' average change against P/L per year."""
    driftsherre = Driftsherre.objects.filter(slug=slug).first()
    if driftsherre is None:
        raise Http404("Driftsherren findes ikke.")
    rows = [r for r in driftsherre_years() if r.slug == slug]
    years = [r.year for r in rows]
    chart = ""
    if len(rows) > 1:
        chart = line_chart(
            chart_id="driftsherre-udvikling",
            title=f"{driftsherre.name}: overhead og gennemsnitlig takstændring pr. år (%)",
            years=years, include_zero=True, fmt=lambda v: fmt_pct(v, 1),
            series=[
                Series("Gns. takstændring", {r.year: r.avg_change_pct for r in rows}),
                Series("Overhead", {r.year: r.overhead_pct for r in rows}),
                Series("P/L", {r.year: r.pl_pct for r in rows}, reference=True),
            ],
        )
    return render(request, "takster/driftsherre_history.html", {
        "driftsherre": driftsherre, "rows": [_row_view(r) for r in rows],
        "chart_svg": mark_safe(chart),  # noqa: S308 - built by history_charts with escaping
        "offers": Tilbud.objects.filter(driftsherre=driftsherre).exclude(
            status=Tilbud.Status.ENDED).order_by("name").only("pk", "name"),
    })
