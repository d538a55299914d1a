"""Server-side SVG charts for the takstbilag (no JavaScript; embedded inline in the PDF).

The chart compares each driftsherre's overhead % with its average rate change, as two
side-by-side bar panels that share the row labels. Every bar carries its value as text,
so nothing is told by colour alone, and the SVG has a <title> and <desc> for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

from takster.validation.numbers import format_da

ROW_HEIGHT = 20
LABEL_WIDTH = 170
PANEL_WIDTH = 300
PANEL_GAP = 60
TOP = 58
BOTTOM = 30
OVERHEAD_COLOUR = "#0b4f6c"
CHANGE_COLOUR = "#b35900"


@dataclass(frozen=True)
class ChartRow:
    name: str
    overhead_pct: Decimal | None
    avg_change_pct: Decimal | None


def _pct(value: Decimal | None, *, signed: bool = False) -> str:
    if value is None:
        return "ingen data"
    text = format_da(Decimal(value), 1)
    return f"+{text} %" if signed and value > 0 else f"{text} %"


def _scale(values: list[Decimal], extra: list[Decimal]) -> tuple[Decimal, Decimal]:
    lo = min([Decimal(0), *values, *extra])
    hi = max([Decimal(1), *values, *extra])
    pad = (hi - lo) * Decimal("0.08")
    return (lo - pad if lo < 0 else lo), hi + pad


def _panel(rows, attr, *, x0, title, colour, css, signed, reference=None) -> list[str]:
    values = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
    extra = [reference[1]] if reference else []
    lo, hi = _scale(values, extra)
    span = hi - lo

    def x(value: Decimal) -> float:
        return x0 + float((Decimal(value) - lo) / span) * PANEL_WIDTH

    zero = x(Decimal(0))
    bottom = TOP + len(rows) * ROW_HEIGHT
    out = [
        f'<text x="{x0}" y="{TOP - 22}" class="panel-title" font-weight="bold">'
        f"{escape(title)}</text>",
        f'<line x1="{zero:.1f}" y1="{TOP - 4}" x2="{zero:.1f}" y2="{bottom}" stroke="#1b1f24" '
        'stroke-width="0.8"/>',
        f'<text x="{zero:.1f}" y="{bottom + 14}" text-anchor="middle" class="axis">0 %</text>',
    ]
    if reference:
        label, value = reference
        rx = x(value)
        out.append(
            f'<line x1="{rx:.1f}" y1="{TOP - 8}" x2="{rx:.1f}" y2="{bottom}" stroke="#4a525c" '
            'stroke-dasharray="4 3" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{rx:.1f}" y="{bottom + 26}" text-anchor="middle" class="axis">'
            f"{escape(label)} {_pct(value)}</text>"
        )
    for i, row in enumerate(rows):
        value = getattr(row, attr)
        y = TOP + i * ROW_HEIGHT + 3
        if value is None:
            out.append(
                f'<text x="{zero + 4:.1f}" y="{y + 11}" class="value">ingen data</text>'
            )
            continue
        end = x(value)
        left, width = min(zero, end), abs(end - zero)
        label_x, anchor = (end + 4, "start") if value >= 0 else (end - 4, "end")
        out.append(
            f'<rect class="bar {css}" data-name="{escape(row.name)}" data-value="{value}" '
            f'x="{left:.1f}" y="{y}" width="{max(width, 0.5):.1f}" height="{ROW_HEIGHT - 7}" '
            f'fill="{colour}"><title>{escape(row.name)}: {escape(title.lower())} '
            f"{_pct(value, signed=signed)}</title></rect>"
        )
        out.append(
            f'<text x="{label_x:.1f}" y="{y + 11}" text-anchor="{anchor}" class="value">'
            f"{_pct(value, signed=signed)}</text>"
        )
    return out


def overhead_change_chart(
    rows: list[ChartRow], *, pl_label: str = "P/L", pl_pct: Decimal | None = None,
    title: str = "Overhead og gennemsnitlig takstændring pr. driftsherre",
) -> str:
    """An accessible inline SVG: overhead % and average rate change %, one row per driftsherre."""
    width = LABEL_WIDTH + 2 * PANEL_WIDTH + PANEL_GAP + 60
    height = TOP + len(rows) * ROW_HEIGHT + BOTTOM + 12
    desc = "; ".join(
        f"{r.name}: overhead {_pct(r.overhead_pct)}, "
        f"gennemsnitlig takstændring {_pct(r.avg_change_pct, signed=True)}"
        for r in rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif" font-size="10">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
    ]
    for i, row in enumerate(rows):
        y = TOP + i * ROW_HEIGHT + 14
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y}" text-anchor="end" class="row-label">'
            f"{escape(row.name)}</text>"
        )
    parts += _panel(
        rows, "overhead_pct", x0=LABEL_WIDTH, title="Overhead (%)", colour=OVERHEAD_COLOUR,
        css="bar-overhead", signed=False,
    )
    parts += _panel(
        rows, "avg_change_pct", x0=LABEL_WIDTH + PANEL_WIDTH + PANEL_GAP,
        title="Gennemsnitlig takstændring (%)", colour=CHANGE_COLOUR, css="bar-change",
        signed=True, reference=(pl_label, pl_pct) if pl_pct is not None else None,
    )
    parts.append("</svg>")
    return "\n".join(parts)
