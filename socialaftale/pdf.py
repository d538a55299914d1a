"""Documents: a context dict → a template → one WeasyPrint call.

Every PDF in the system (agreement, takstbilag, agenda, minutes, meeting package, Bifrost
report) is an HTML template extending `pdf/base.html`, whose print stylesheet gives A4 pages,
running headers, "side x af y" and PDF bookmarks from h1/h2/h3. The same HTML can be previewed
in a browser. Fonts are the locally installed DejaVu family: nothing is fetched.

Every PDF is tagged PDF/UA-1 (WeasyPrint's `pdf_variant`): a structure tree from the HTML
(headings, lists, tables with `th` linked to their cells, figures with the SVG <title> as
alternative text), /MarkInfo, /Lang from `<html lang="da">`, and the title and author from
`<title>` and `<meta name="author">` in the document's metadata.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"
PYDYF_TUNED = "0.13.0"  # the pydyf version _tune_pydyf knows
AUTHOR_DEFAULT = "Nordjysk Socialaftale – sekretariatet"  # pdf/base.html's {% block author %}


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, context)


# WeasyPrint's user-agent stylesheet styles six pseudo-elements of EVERY element
# (`::marker`, `::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`,
# `::note-callback`), and computing those styles is a fifth of the time of a table-heavy
# document. Our documents have list markers only on <li> and footnotes or notes only where
# marked with the classes below, so the lean stylesheet scopes the rules to those.
_UA_SCOPES = {
    "::marker {": "li::marker {",
    "::footnote-call {": ".pdf-footnote::footnote-call {",
    "::footnote-marker {": ".pdf-footnote::footnote-marker {",
    "::note-call {": ".pdf-note::note-call {",
    "::note-marker {": ".pdf-note::note-marker {",
    "::note-callback {": ".pdf-note::note-callback {",
}


@functools.cache
def _lean_html_class():
    from weasyprint import CSS, HTML
    from weasyprint import html as weasy_html
    from weasyprint.css.counters import CounterStyle

    source = weasy_html.UA
    for rule, scoped in _UA_SCOPES.items():
        assert f"\n{rule}" in source, f"WeasyPrint's UA stylesheet changed: {rule}"
        source = source.replace(f"\n{rule}", f"\n{scoped}")
    # Its @counter-style rules are already in UA_COUNTER_STYLE: parse them into a spare one.
    stylesheet = CSS(string=source, counter_style=CounterStyle())

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet, weasy_html.UA_FORM_STYLESHEET] if forms else [stylesheet]

    return LeanHTML


def render_document(template_name: str, context: dict):
    """The laid-out WeasyPrint document (its `pages` tell the page count before writing)."""
    return layout_html(render_html(template_name, context))


def layout_html(html: str):
    # weasyprint is imported lazily: Pango is only needed where PDFs are made.
    return _lean_html_class()(string=html, base_url=str(settings.BASE_DIR)).render()


def write_pdf(document) -> bytes:
    """A laid-out document as tagged PDF/UA bytes."""
    _tune_pydyf()
    return document.write_pdf(pdf_variant=PDF_VARIANT)


@functools.cache
def _tune_pydyf() -> None:
    """Two measured speed-ups of pydyf 0.13.0, which writes WeasyPrint's PDF objects
    (benchmarks/bench_takstbilag.py). Only for that version (pinned in requirements.txt):
    another pydyf is left alone."""
    import pydyf

    if pydyf.__version__ != PYDYF_TUNED:
        return
    _cache_page_references(pydyf)
    _compress_streams_at_default_level(pydyf)


def _compress_streams_at_default_level(pydyf) -> None:
    """pydyf compresses every stream it writes (page content, fonts, metadata, object
    streams) at zlib level 9. Level 6, zlib's default, makes a PDF about 5 % larger and takes
    a fraction of the time: in a tagged 140-page takstbilag that is 0.5 s, a fifth of writing
    the PDF. The same code as pydyf 0.13.0's `Stream.data` but for the level."""
    import zlib

    def data(stream):
        content = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
        extra = pydyf.Dictionary(stream.extra.copy())
        if stream.compress:
            extra["Filter"] = "/FlateDecode"
            content = zlib.compress(content, 6)
        extra["Length"] = len(content)
        return b"\n".join((extra.data, b"stream", content, b"endstream"))

    pydyf.Stream.data = property(data)


def _cache_page_references(pydyf) -> None:
    """pydyf 0.13 rebuilds the tuple of all page references on every read of
    `PDF.page_references`, and WeasyPrint's tagging reads it once per structure element: in a
    140-page takstbilag that is a tenth of the time writing it. Cache it until a page is
    added."""

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), tuple(f"{n} 0 R".encode("ascii") for n in kids[::3]))
            pdf.__dict__["_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` to tagged PDF bytes."""
    return write_pdf(render_document(template_name, context))


def pdf_text(pdf: bytes) -> str:
    """Extract the text of a PDF as a reader searches it (no-break spaces as spaces)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return text.replace("\N{NO-BREAK SPACE}", " ")


@dataclass(frozen=True)
class PdfAccessibility:
    """What a reader of a PDF with assistive technology depends on, read back with pypdf."""

    tagged: bool  # /MarkInfo /Marked true and a /StructTreeRoot
    lang: str
    title: str
    author: str
    display_title: bool  # the viewer shows the title, not the file name
    bookmarks: int
    structure_tags: frozenset[str]  # /S of every structure element: /H1, /Table, /TH, …
    figures_without_alt: int
    table_headers: int
    cells_with_headers: int  # /TD elements whose /Headers name their /TH cells


def pdf_accessibility(pdf: bytes) -> PdfAccessibility:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    mark_info = catalog.get("/MarkInfo")
    root = catalog.get("/StructTreeRoot")
    tags: set[str] = set()
    counts = {"figures_without_alt": 0, "table_headers": 0, "cells_with_headers": 0}

    def walk(node, depth=0) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid, depth)
            return
        if not hasattr(node, "get") or node.get("/Type") == "/OBJR":
            return
        tag = node.get("/S")
        if tag:
            tags.add(str(tag))
            counts["figures_without_alt"] += tag == "/Figure" and not node.get("/Alt")
            counts["table_headers"] += tag == "/TH"
            if tag == "/TD":
                attributes = node.get("/A")
                attributes = attributes.get_object() if attributes is not None else {}
                counts["cells_with_headers"] += bool(attributes.get("/Headers"))
        kids = node.get("/K")
        if kids is not None and not isinstance(kids, int):
            walk(kids, depth + 1)

    if root is not None:
        walk(root.get_object()["/K"])
    info = reader.metadata or {}
    preferences = catalog.get("/ViewerPreferences") or {}

    def count(outline) -> int:
        return sum(count(o) if isinstance(o, list) else 1 for o in outline)

    return PdfAccessibility(
        tagged=bool(mark_info and mark_info.get_object().get("/Marked")) and root is not None,
        lang=str(catalog.get("/Lang", "")),
        title=str(info.get("/Title", "")),
        author=str(info.get("/Author", "")),
        display_title=bool(preferences.get("/DisplayDocTitle")),
        bookmarks=count(reader.outline),
        structure_tags=frozenset(tags),
        figures_without_alt=counts["figures_without_alt"],
        table_headers=counts["table_headers"],
        cells_with_headers=counts["cells_with_headers"],
    )
