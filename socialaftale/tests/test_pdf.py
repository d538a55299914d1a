import copy

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
