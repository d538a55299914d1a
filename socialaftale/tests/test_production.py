"""Production hardening: /healthz, login throttling, CSP and security headers on every page."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


# ------------------------------------------------------------------ /healthz


@pytest.mark.django_db
def test_healthz_is_ok_without_a_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/7"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fejl" and body["broker"].startswith("fejl")
    assert body["worker"] == "broker nede"


@pytest.mark.django_db
def test_a_worker_counts_as_alive_exactly_one_minute_after_its_last_answer(settings):
    from django.core.cache import cache

    from socialaftale import health

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/7"  # never reached: no ping is due
    now = 1_000_000.0
    cache.set(health._CACHE_PINGED, now)  # pinged just now: the next ping is 15 s away
    cache.set(health._CACHE_SEEN, now - health.WORKER_SEEN_WITHIN)
    assert health.worker_ok(now=now) == (True, "ok (svarede for 60 s siden)")
    ok, text = health.worker_ok(now=now + 1)
    assert not ok and text == "ingen worker har svaret inden for 60 s"


@pytest.mark.integration
def test_healthz_is_503_with_redis_but_no_worker(client, settings, transactional_db):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL er ikke sat")
    response = client.get("/healthz")  # no worker listens on this run's broker database
    assert response.status_code == 503
    assert response.json()["broker"] == "ok"
    assert response.json()["worker"].startswith("ingen worker")


@pytest.mark.integration
def test_healthz_is_ok_with_a_real_worker(client, celery_worker_process):
    from django.core.cache import cache

    cache.clear()
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["worker"].startswith("ok")


# ------------------------------------------------------------------ login throttling


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def sekretariat_user(make_user):
    return make_user("sekretariat", username="sara")


@pytest.mark.django_db
def test_wrong_passwords_up_to_the_limit_still_allow_the_right_one(
    client, make_user, settings
):
    make_user("das", username="dorte")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "dorte", "forkert")
        assert response.status_code == 200
        assert "Brugernavn eller adgangskode er forkert" in response.content.decode()
    response = _login(client, "dorte", "kode-1234")
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].username == "dorte"


@pytest.mark.django_db
def test_the_limit_of_wrong_passwords_locks_the_login_with_a_danish_message(
    client, make_user, settings
):
    make_user("das", username="dorte")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "dorte", "forkert")
    response = _login(client, "dorte", "forkert")  # the limit reached
    assert response.status_code == 429
    html = response.content.decode()
    assert "Log ind er midlertidigt spærret" in html and "kontakt sekretariatet" in html
    assert "60 minutter" in html
    response = _login(client, "dorte", "kode-1234")  # even the right password now
    assert response.status_code == 429
    assert not client.get(reverse("home")).context["user"].is_authenticated


@pytest.mark.django_db
def test_the_secretariat_unlocks_a_user_in_the_admin(client, make_user, settings,
                                                     sekretariat_user):
    from axes.models import AccessAttempt
    from django.test import Client

    make_user("das", username="dorte")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "dorte", "forkert")
    assert _login(client, "dorte", "kode-1234").status_code == 429
    attempt = AccessAttempt.objects.get(username="dorte")

    admin = Client()
    admin.force_login(sekretariat_user)
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "dorte" in changelist.content.decode()
    assert "Adgangsforsøg" in changelist.content.decode()  # Danish labels in locale/da/
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
                          {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()

    assert _login(client, "dorte", "kode-1234").status_code == 302


@pytest.mark.django_db
def test_another_address_is_not_locked_by_someone_elses_failures(client, make_user, settings):
    from django.test import Client

    make_user("das", username="dorte")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "dorte", "forkert")
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _login(other, "dorte", "kode-1234").status_code == 302


@pytest.mark.django_db
def test_x_real_ip_counts_only_when_trusted(client, make_user, settings):
    from axes.models import AccessAttempt

    make_user("das", username="dorte")
    client.post(reverse("login"), {"username": "dorte", "password": "x"},
                HTTP_X_REAL_IP="192.0.2.7")
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
    AccessAttempt.objects.all().delete()
    settings.TRUST_X_REAL_IP = True
    client.post(reverse("login"), {"username": "dorte", "password": "x"},
                HTTP_X_REAL_IP="192.0.2.7")
    assert AccessAttempt.objects.get().ip_address == "192.0.2.7"


# ------------------------------------------------------------------ CSP on every page


class _LinksAndInline(HTMLParser):
    """Collects same-site links and every inline script, style block or style/on* attribute."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "style":
            self.inline.append("<style>")
        if tag == "script" and not attributes.get("src") and attributes.get(
                "type") != "application/json":
            self.inline.append("<script> without src")
        for name, value in attrs:
            if name == "style" or name.startswith("on") or (value or "").strip().lower(
            ).startswith("javascript:"):
                self.inline.append(f"<{tag} {name}={value!r}>")


SKIP = re.compile(r"(log-ud|\.pdf$|/pdf/|\.xlsx$|\.csv$|\.ics$|/rapport/|/dokument/|/hent/"
                  r"|/bilag/|/fil\.xlsx|/delete/)")


def _crawl(client, start: list[str], limit: int):
    """Visit up to `limit` pages reachable from `start`; yield (url, response)."""
    seen, queue = set(), list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        yield url, response
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _LinksAndInline()
        parser.feed(response.content.decode())
        for href in parser.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(path) and path not in seen:
                queue.append(path)


def _assert_strict(url, response):
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["Referrer-Policy"] == "same-origin", url
    if "text/html" in response.get("Content-Type", ""):
        parser = _LinksAndInline()
        parser.feed(response.content.decode())
        assert not parser.inline, f"{url}: {parser.inline[:5]}"
        assert not [h for h in parser.links if h.startswith("/media/")], url  # no route


@pytest.fixture
def all_fixtures(reference_data):
    call_command("loaddata", *sorted(str(p) for p in FIXTURES.glob("*.json")), verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("role, start, limit", [
    (None, ["/", "/tilbud/", "/socialaftale/", "/takster/", "/log-ind/", "/ingen-side/"], 40),
    ("driftsherre", ["/", "/takster/", "/tilbud/ledig-kapacitet/", "/bifrost/"], 30),
    ("das", ["/", "/moeder/", "/moeder/beslutninger/", "/bifrost/"], 30),
    ("sekretariat", ["/", "/takster/", "/bifrost/", "/bifrost/henvendelser/ny/", "/admin/",
                     "/admin/tilbud/tilbud/", "/admin/tilbud/tilbud/add/",
                     "/admin/tilbud/tilbud/1/change/", "/admin/tilbud/tilbud/1/history/",
                     "/admin/tilbud/tilbud/export/", "/admin/tilbud/tilbud/import/",
                     "/admin/moeder/meeting/", "/admin/axes/accessattempt/",
                     "/admin/auth/user/add/", "/admin/password_change/"], 60),
])
def test_every_page_has_a_strict_csp_and_no_inline_script_or_style(
    client, all_fixtures, make_user, role, start, limit
):
    from socialaftale.models import Driftsherre

    if role == "driftsherre":
        client.force_login(make_user(role, Driftsherre.objects.get(slug="mariagerfjord")))
    elif role:
        client.force_login(make_user(role))
    statuses = set()
    visited = 0
    for url, response in _crawl(client, start, limit):
        visited += 1
        statuses.add(response.status_code)
        _assert_strict(url, response)
    assert visited >= min(limit, len(start) + 3)
    assert 200 in statuses and (role is not None or 404 in statuses)


@pytest.mark.django_db
def test_json_and_error_responses_carry_the_headers_too(client):
    for url in ("/healthz", "/jobs/999999/status/", "/takster/uploads/1/fil.xlsx"):
        _assert_strict(url, client.get(url))


@pytest.mark.django_db
def test_the_job_admin_names_the_output_without_a_media_link(client, make_user, settings):
    from django.core.files.base import ContentFile

    from socialaftale.models import Job

    job = Job.objects.create(kind="agreement_pdf", input_hash="x" * 64)
    job.output.save("resultat.pdf", ContentFile(b"%PDF-1.4"), save=True)
    client.force_login(make_user("sekretariat"))
    html = client.get(reverse("admin:socialaftale_job_change", args=[job.pk])).content.decode()
    assert job.output.name in html
    assert f'href="{settings.MEDIA_URL}' not in html
