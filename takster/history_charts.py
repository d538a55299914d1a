"""Server-side SVG line charts over the years (no JavaScript; inline in the page).

Years on the x axis, one line per series. Lines differ by colour *and* marker shape and are
named at their right end, so nothing is told by colour alone; every point has a <title>
with its value, and the SVG a <title> and <desc> that spell all values out for screen
readers. The page shows the same figures as a table next to it (the text alternative).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 78, 190, 24, 44
# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics).
COLOURS = ("#0b4f6c", "#b35900", "#2e7d32", "#6a1b9a", "#ad1457", "#00695c", "#4e342e",
           "#283593", "#7a6c00", "#37474f", "#bf360c", "#1565c0")
REFERENCE_COLOUR = "#4a525c"
MARKERS = ("circle", "square", "triangle", "diamond")
LABEL_GAP = 13  # minimum vertical distance between two end labels


@dataclass(frozen=True)
class Series:
    label: str
    points: dict[int, Decimal]  # year → value
    reference: bool = False  # the P/L comparison line: dashed, grey


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _scale(values: list[float], *, include_zero: bool) -> tuple[float, float, float]:
    lo, hi = min(values), max(values)
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        hi, lo = hi + (abs(hi) * 0.1 or 1), lo - (abs(lo) * 0.1 or 1)
    step = _nice_step(hi - lo)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _marker(shape: str, x: float, y: float, colour: str, title: str) -> str:
    tip = f"<title>{escape(title)}</title>"
    if shape == "square":
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
                f"{tip}</rect>")
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} '
                f'{x - 5:.1f},{y + 4:.1f}" fill="{colour}">{tip}</polygon>')
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
                f'{x - 5:.1f},{y:.1f}" fill="{colour}">{tip}</polygon>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{tip}</circle>'


def line_chart(*, chart_id: str, title: str, years: list[int], series: list[Series],
               fmt, include_zero: bool = False) -> str:
    """An accessible inline SVG line chart; `fmt(value) -> str` writes a value in Danish."""
    values = [float(v) for s in series for v in s.points.values() if v is not None]
    if not years or not values:
        return ""
    lo, hi, step = _scale(values, include_zero=include_zero)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        if len(years) == 1:
            return LEFT + plot_w / 2
        return LEFT + years.index(year) / (len(years) - 1) * plot_w

    def y(value) -> float:
        return TOP + (hi - float(value)) / (hi - lo) * plot_h

    desc = "; ".join(
        f"{s.label}: " + ", ".join(f"{year} {fmt(s.points[year])}" for year in years
                                   if s.points.get(year) is not None)
        for s in series
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="history-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    tick = lo
    while tick <= hi + step / 1000:
        ty = y(tick)
        out.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + plot_w}" y2="{ty:.1f}" '
                   f'stroke="#d0d5db" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#1b1f24">'
                   f"{escape(fmt(Decimal(str(round(tick, 6)))))}</text>")
        tick += step
    for year in years:
        out.append(f'<text x="{x(year):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
                   f'fill="#1b1f24">{year}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" '
               f'y2="{TOP + plot_h}" stroke="#1b1f24" stroke-width="1"/>')
    labels = []
    for index, s in enumerate(series):
        colour = REFERENCE_COLOUR if s.reference else COLOURS[index % len(COLOURS)]
        shape = MARKERS[index % len(MARKERS)]
        points = [(year, s.points[year]) for year in years if s.points.get(year) is not None]
        if not points:
            continue
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in points)
        dash = ' stroke-dasharray="6 4"' if s.reference else ""
        css = "series series-reference" if s.reference else "series"
        out.append(f'<polyline class="{css}" data-label="{escape(s.label)}" points="{path}" '
                   f'fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for yr, v in points:
            out.append(_marker("circle" if s.reference else shape, x(yr), y(v), colour,
                               f"{s.label} {yr}: {fmt(v)}"))
        last_year, last = points[-1]
        labels.append([y(last), s.label, colour, x(last_year)])
    labels.sort(key=lambda item: item[0])
    for i in range(1, len(labels)):  # keep end labels apart
        labels[i][0] = max(labels[i][0], labels[i - 1][0] + LABEL_GAP)
    for label_y, label, colour, label_x in labels:
        out.append(f'<text x="{label_x + 9:.1f}" y="{label_y + 4:.1f}" fill="{colour}" '
                   f'class="series-label">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def rate_history_chart(history, *, chart_id: str, title: str) -> str:
    """An offer's rates over the years: one line per takst level in use and the first
    year's primary rate grown by P/L only (dashed), for comparison."""
    from .takstbilag import RATE_LABELS, fmt_amount

    years = [y.year for y in history.years]
    series = [
        Series(RATE_LABELS[key], {y.year: y.rates.get(key) for y in history.years})
        for key in history.keys
    ]
    projection = {y.year: y.pl_projection for y in history.years if y.pl_projection is not None}
    if len(projection) > 1:
        series.append(Series(f"{history.primary_label} kun P/L", projection, reference=True))
    return line_chart(chart_id=chart_id, title=title, years=years, series=series,
                      fmt=lambda v: f"{fmt_amount(v)} kr.")


def rate_history_context(histories, *, name: str) -> dict:
    """What the offer page shows: per block the table rows (Danish numbers), the chart and
    the current approved rate with its year."""
    from django.utils.safestring import mark_safe

    from .history import takstbilag_url
    from .takstbilag import fmt_amount, fmt_pct

    blocks = []
    for index, history in enumerate(histories):
        heading = f"{name} – {history.afdeling}" if history.afdeling else name
        varied_days = len({y.days for y in history.years}) > 1 and not history.is_objective
        rows = [{
            "year": y.year,
            "cells": [fmt_amount(y.rates.get(k)) or "–" for k in history.keys],
            "days": y.days,
            "change": fmt_pct(y.change_pct, 1, signed=True),
            "above_limit": y.above_limit,
            "pl_pct": fmt_pct(y.pl_pct, 2),
            "projection": fmt_amount(y.pl_projection),
            "decision": y.decision,
            "takstbilag_url": takstbilag_url(y.takstbilag) if y.takstbilag else "",
            "next_year": y.year + 1,
            "from_next_year": y.from_next_year,
        } for y in history.years]
        chart = ""
        if len(history.years) > 1:
            chart = rate_history_chart(
                history, chart_id=f"takstudvikling-{index + 1}",
                title=f"Godkendte takster for {heading} pr. år (kr.)",
            )
        latest = history.years[-1]
        blocks.append({
            "heading": heading, "unit": history.unit, "labels": history.labels,
            "primary_label": history.primary_label, "rows": rows,
            "varied_days": varied_days,
            "chart_svg": mark_safe(chart),  # noqa: S308 - built here with escaped text
            "latest_year": latest.year,
            "latest": [(label, fmt_amount(latest.rates.get(key)))
                       for key, label in zip(history.keys, history.labels, strict=True)
                       if latest.rates.get(key) is not None],
        })
    return {"rate_blocks": blocks}
