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
