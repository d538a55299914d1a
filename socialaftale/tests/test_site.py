"""Site-wide pieces: the accessibility statement, its footer link, the favicon."""

import pytest
from django.urls import reverse


def test_accessibility_statement_is_public_with_contact_limitations_date_and_link(client, db,
                                                                                  settings):
    settings.ACCESSIBILITY_STATEMENT_URL = "https://www.was.digst.dk/socialaftale-test"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tilgaengelighed@example.dk"
    settings.ACCESSIBILITY_STATEMENT_DATE = "2026-12-01"
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tilgængelighedserklæring</h1>" in html
    assert 'href="https://www.was.digst.dk/socialaftale-test"' in html
    assert 'href="mailto:tilgaengelighed@example.dk"' in html
    assert "Kendte begrænsninger" in html
    assert '<time datetime="2026-12-01">1. december 2026</time>' in html


@pytest.mark.parametrize("role", [None, "das", "driftsherre", "sekretariat"])
def test_every_page_footer_links_to_the_statement(client, make_user, reference_data, role):
    if role:
        from socialaftale.models import Driftsherre

        driftsherre = Driftsherre.objects.first() if role == "driftsherre" else None
        client.force_login(make_user(role, driftsherre))
    for url in ["/", reverse("tilbud:list"), reverse("login")]:
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer">'):]
        assert f'href="{reverse("accessibility")}">Tilgængelighedserklæring</a>' in footer


def test_pages_name_a_favicon_and_favicon_ico_redirects_to_it(client, db):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
