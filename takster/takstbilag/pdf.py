"""The takstbilag as one tagged PDF: one template, one WeasyPrint render.

A4 landscape: cover, contents (page numbers from CSS `target-counter`, each line a link),
"Om takstbilaget", the overview with the chart, one chapter per driftsherre with a section per
offer, and the version history. Bookmarks come from the h1/h2 headings, "Side x af y" from
the page counter: nothing is stitched or stamped afterwards, so the PDF keeps its tags.

Speed: WeasyPrint's cost grows with the number of boxes (above all table cells), so each
offer's table has only the columns the offer has figures in; see `view.py`.
"""

from __future__ import annotations

from socialaftale.pdf import render_html, render_pdf

from .data import TakstbilagData
from .view import takstbilag_context

TEMPLATE = "takster/pdf/takstbilag.html"


def _toc(context: dict) -> list[dict]:
    entries = [
        ("om", "Om takstbilaget", False), ("overblik", "Overblik over driftsherrerne", False),
    ]
    entries += [(s["anchor"], s["section"].name, True) for s in context["sections"]]
    entries.append(("versioner", "Versionshistorik", False))
    return [{"anchor": anchor, "title": title, "sub": sub} for anchor, title, sub in entries]


def _document_context(data: TakstbilagData) -> dict:
    context = takstbilag_context(data)
    context["toc"] = _toc(context)
    return context


def render_takstbilag_html(data: TakstbilagData) -> str:
    """The whole takstbilag as one HTML document (the PDF's source; browser preview, tests)."""
    return render_html(TEMPLATE, _document_context(data))


def render_takstbilag_pdf(data: TakstbilagData) -> bytes:
    """The takstbilag as one tagged A4 landscape PDF (PDF/UA-1, /Lang da, title, bookmarks)."""
    return render_pdf(TEMPLATE, _document_context(data))
