import copy
import subprocess

from socialaftale.pdf import pdf_text, render_pdf


def test_a_pdf_renders_danish_text_and_page_numbers(tmp_path, settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    (tmp_path / "probe.html").write_text(
        '{% extends "pdf/base.html" %}{% block body %}'
        '<div class="cover"><h1>Socialaftale</h1></div>'
        "<h1>Fokusområder</h1><p>Æblegrød på Læsø og i Hjørring.</p>{% endblock %}",
        encoding="utf-8",
    )
    pdf = render_pdf("probe.html", {})
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Æblegrød på Læsø og i Hjørring." in text
    assert "Side 2 af 2" in text


def test_lists_and_footnotes_keep_their_markers_with_the_lean_stylesheet(tmp_path, settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    (tmp_path / "probe.html").write_text(
        '{% extends "pdf/base.html" %}{% block body %}<h1 class="no-break">Liste</h1>'
        "<ol><li>Første punkt</li><li>Andet punkt</li></ol><ul><li>Prik</li></ul>"
        '<p>Private pladser 3.032<span class="pdf-footnote">Trykt overskrift: 3.232.</span>'
        "</p>{% endblock %}",
        encoding="utf-8",
    )
    pdf = render_pdf("probe.html", {})
    layout = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                            check=True).stdout.decode()
    assert "1. Første punkt" in layout and "2. Andet punkt" in layout and "• Prik" in layout
    text = " ".join(pdf_text(pdf).split())
    assert "Private pladser 3.0321" in text  # the footnote call
    assert "1. Trykt overskrift: 3.232." in text  # the footnote at the foot of the page


def test_page_content_is_flate_compressed_and_reads_back(tmp_path, settings):
    """socialaftale.pdf writes content streams at zlib's default level instead of pydyf's 9:
    still compressed, and still read by a PDF reader."""
    import io
    import zlib

    from pypdf import PdfReader

    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    (tmp_path / "probe.html").write_text(
        '{% extends "pdf/base.html" %}{% block body %}<h1 class="no-break">Takster</h1>'
        + "<p>Botilbud Kragholm 2.350 kr. pr. døgn.</p>" * 40 + "{% endblock %}",
        encoding="utf-8",
    )
    pdf = render_pdf("probe.html", {})
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    stream = page["/Contents"].get_object()
    assert stream["/Filter"] == "/FlateDecode"
    content = zlib.decompress(stream._data)
    assert len(stream._data) < len(content) / 3  # compressed, not just marked as such
    assert content == stream.get_data()
    import pydyf

    from socialaftale.pdf import PYDYF_TUNED

    if pydyf.__version__ == PYDYF_TUNED:  # tuned: zlib's level 6, not pydyf's 9
        assert stream._data == zlib.compress(content, 6) != zlib.compress(content, 9)
    assert "Botilbud Kragholm 2.350 kr. pr. døgn." in page.extract_text()
