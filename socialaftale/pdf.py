"""Documents: a context dict → a template → one WeasyPrint call.

Every PDF in the system (agreement, takstbilag, agenda, minutes, Bifrost report) is an
HTML template extending `pdf/base.html`, whose print stylesheet gives A4 pages, running
headers, "side x af y" and PDF bookmarks from h1/h2/h3. The same HTML can be previewed in
a browser. Fonts are the locally installed DejaVu family: nothing is fetched.
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` to PDF bytes."""
    from weasyprint import HTML  # imported lazily: Pango is only needed where PDFs are made

    html = render_html(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_text(pdf: bytes) -> str:
    """Extract the text of a PDF (used by tests and to check a rendered document)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
