import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    with translation.override("da"):
        return Template("{% load l10n %}" + source).render(Context(context))


def test_amounts_render_the_danish_way():
    assert render("{{ v|floatformat:'2g' }} kr.", v=Decimal("1234.56")) == "1.234,56 kr."
    assert render("{{ v }}", v=Decimal("15999963")) == "15.999.963"


def test_dates_render_the_danish_way():
    assert render("{{ d|date }}", d=datetime.date(2026, 2, 23)) == "23. februar 2026"
    assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=datetime.date(2026, 2, 23)) == "23.02.2026"


def test_ids_in_the_markup_are_never_written_with_thousands_separators():
    """`{{ line.pk }}` renders id 1234 as "1.234" (USE_THOUSAND_SEPARATOR), which a form then
    sends back as a value no view can read. Ids pass 999 soon in production and in a
    PostgreSQL test run (sequences are not rolled back), so every id is written unlocalized."""
    import re
    from pathlib import Path

    from django.conf import settings

    assert render("{{ pk }} {{ pk|unlocalize }}", pk=1234) == "1.234 1234"
    bare_id = re.compile(r"\{\{\s*[\w.]*(\.pk|\.id|(?<!\.auto)_id)\s*\}\}")  # not auto_id
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if bare_id.search(line)
    ]
    assert not offenders, "\n".join(offenders)
