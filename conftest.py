"""Fixtures shared by every app's tests.

- Media files go to a temporary folder.
- Celery runs eagerly in ordinary tests, also when CELERY_BROKER_URL is set; tests marked
  `integration` use the real broker and a real worker process (`celery_worker_process`).
- `make_user(role, driftsherre=None)` creates a user with a role.
- `browser_page` is a headless Chromium page; `assert_accessible(page)` runs axe-core.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (cached pages are keyed by database state)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def celery_mode(request):
    """Eager Celery for ordinary tests; the real broker only for integration tests."""
    from socialaftale.celery import app

    eager = request.node.get_closest_marker("integration") is None or not settings.CELERY_BROKER_URL
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def reference_data(db):
    """The 12 driftsherrer and the 2026/2027 steering parameters."""
    call_command("loaddata", str(BASE_DIR / "fixtures" / "socialaftale.json"), verbosity=0)


@pytest.fixture
def make_user(db):
    from django.contrib.auth.models import User

    from socialaftale.services import profile_assign

    counter = iter(range(1, 10_000))

    def make(role: str, driftsherre=None, *, username: str | None = None, password="kode-1234"):
        user = User.objects.create_user(
            username=username or f"{role}-{next(counter)}", password=password
        )
        profile_assign(user=user, role=role, driftsherre=driftsherre)
        return user

    return make


@pytest.fixture
def celery_worker_process(transactional_db, media_root):
    """A real `celery worker` process against the test database and the real broker."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL er ikke sat: integrationstesten kræver Redis og en worker.")
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        pytest.skip("En worker-proces kan ikke se en SQLite-testdatabase i hukommelsen.")
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    env["MEDIA_ROOT"] = str(media_root)
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "socialaftale", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "-n", f"test-{os.getpid()}@%h"],
        cwd=BASE_DIR, env=env,
    )
    from socialaftale.celery import app

    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail("Celery-workeren stoppede under opstart.")
            if app.control.ping(timeout=0.5):
                break
        else:
            pytest.fail("Celery-workeren svarede ikke inden for 30 sekunder.")
    except BaseException:
        proc.kill()  # never leave a worker behind when the start fails
        raise
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def celery_processes(transactional_db, media_root, tmp_path):
    """Start real `celery worker`/`celery beat` processes against the test database.

    `start("worker", "--pool=prefork", broker_url=...)` returns the Popen; every process is
    stopped after the test. Unlike `celery_worker_process` it does not wait for a ping, so it
    also works while the broker is down.
    """
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") or not settings.CELERY_BROKER_URL:
        pytest.skip("Kræver PostgreSQL og CELERY_BROKER_URL (integrationstest).")
    started = []

    def start(command: str, *args: str, broker_url: str | None = None):
        env = dict(os.environ)
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/"
            f"{db['NAME']}"
        )
        env["MEDIA_ROOT"] = str(media_root)
        env["CELERY_BROKER_URL"] = broker_url or settings.CELERY_BROKER_URL
        extra = ["--schedule", str(tmp_path / f"beat-{len(started)}")] if command == "beat" else [
            "--without-heartbeat", "--without-mingle", "--without-gossip",
            "-n", f"test-{os.getpid()}-{len(started)}@%h"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "socialaftale", command,
             "--loglevel=WARNING", *extra, *args],
            cwd=BASE_DIR, env=env,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.terminate()
    for proc in started:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def wait_for_job():
    """Wait until a job row is finished (done or failed) by a real worker; returns it."""

    def wait(job, *, timeout: float = 60, interval: float = 0.2):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(interval)
        return job

    return wait


@pytest.fixture(scope="session")
def _playwright_browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium mangler: kør `make test` (installerer chromium).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_playwright_browser, live_server):
    context = _playwright_browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Every browser test also proves the pages run under the strict Content-Security-Policy.
    violations = []
    page.on("console", lambda msg: violations.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text else None)
    page.csp_violations = violations
    yield page
    context.close()
    assert not violations, "CSP-overtrædelser:\n" + "\n".join(violations)


@pytest.fixture
def browser_login():
    def login(page, username: str, password: str = "kode-1234"):
        page.goto("/log-ind/")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state()

    return login


NARROW_VIEWPORT = {"width": 375, "height": 812}  # a small phone (WCAG 1.4.10 reflow: 320 CSS px)


def _axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol, not as a <script> tag: the pages' strict
    # Content-Security-Policy (rightly) refuses inline scripts.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text() + "\n;undefined")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_no_sideways_scroll(page) -> None:
    """The page is no wider than the window (a wide table may scroll inside itself)."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], (
        f"{page.url} ruller sidelæns ved {page.viewport_size['width']} px: "
        f"{widths[0]} px bred indhold i {widths[1]} px")


def assert_accessible(page, *, narrow: bool = True) -> None:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and fail on any violation.

    With `narrow` (the default) the page is checked again at 375 px: axe-core once more, and
    the page must not scroll sideways. The window size is restored afterwards.
    """
    violations = _axe_violations(page)
    assert not violations, f"axe-core fandt fejl på {page.url}:\n" + json.dumps(
        violations, ensure_ascii=False, indent=1
    )
    if not narrow:
        return
    size = page.viewport_size
    page.set_viewport_size(NARROW_VIEWPORT)
    try:
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        assert_no_sideways_scroll(page)
        violations = _axe_violations(page)
        assert not violations, f"axe-core fandt fejl på {page.url} ved 375 px:\n" + json.dumps(
            violations, ensure_ascii=False, indent=1)
    finally:
        if size:
            page.set_viewport_size(size)


@pytest.fixture
def axe():
    return assert_accessible
