"""Start the app the production way and check it from outside, as CI's PostgreSQL run does.

    DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... python scripts/smoke_production.py

Makes a fresh database `<name>_smoke`, migrates, runs collectstatic, starts gunicorn (the
settings in deploy/gunicorn.conf.py, DEBUG=0, a random SECRET_KEY,
MEDIA_ACCEL_REDIRECT_PREFIX=/_beskyttet/), a real Celery worker and nginx with
deploy/nginx.conf (only ports, folders and a self-signed certificate swapped in), then, over
HTTPS on 127.0.0.1: public pages answer 200 and their CSS/JS files come from nginx; the
security headers are there; plain HTTP is redirected to HTTPS; a driftsherre logs in through
the form; a rate sheet uploaded through the form is validated by the worker and its report
shown; the file is downloaded unchanged (gunicorn answers with X-Accel-Redirect, nginx sends
the bytes); /media/ and the internal location answer 404; /healthz sees database, broker
and worker. Needs nginx and openssl (`scripts/system-deps.sh smoke`).
Exit 0 when all is well, 1 with the failed check otherwise. Every request has a timeout and
the whole run is bounded (about two minutes at most).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("SMOKE_PORT", "18150"))  # gunicorn; nginx HTTPS +1, HTTP +2
HTTPS_PORT, HTTP_PORT = PORT + 1, PORT + 2
HOST = "127.0.0.1"
ORIGIN = f"https://{HOST}:{HTTPS_PORT}"
ACCEL_PREFIX = "/_beskyttet/"
PASSWORD = secrets.token_urlsafe(16)

SETUP = """
import datetime, json
from django.contrib.auth.models import User
from socialaftale.models import Driftsherre, Styringsparametre
from socialaftale.services import profile_assign
from takster.services import round_open
mf = Driftsherre.objects.get(slug="mariagerfjord")
user = User.objects.create_user("smoke-mf", password=%(password)r)
profile_assign(user=user, role="driftsherre", driftsherre=mf)
rate_round = round_open(parameters=Styringsparametre.objects.get(budget_year=2027),
                        deadline=datetime.date.today() + datetime.timedelta(days=30))
from django.urls import reverse
print(json.dumps({"upload_url": reverse("takster:upload_create", args=[rate_round.pk, mf.pk])}))
"""


class Failed(Exception):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise Failed(message)
    print(f"  ok  {message}")


class Browser:
    """Just enough of a browser: cookies and forms. Talks HTTPS to nginx by default;
    `direct=True` talks to gunicorn as nginx does (X-Forwarded-Proto: https)."""

    def __init__(self, *, direct: bool = False):
        self.cookies: dict[str, str] = {}
        self.direct = direct

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, https: bool = True):
        if self.direct:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=15)
            all_headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        elif https:
            conn = http.client.HTTPSConnection(HOST, HTTPS_PORT, timeout=15,
                                               context=ssl._create_unverified_context())
            all_headers = {"Host": HOST}
        else:
            conn = http.client.HTTPConnection(HOST, HTTP_PORT, timeout=15)
            all_headers = {"Host": HOST}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, data

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict[str, str]):
        from urllib.parse import urlencode

        return self.request("POST", path, urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": ORIGIN, "Referer": ORIGIN + path,
        })

    def post_file(self, path: str, fields: dict[str, str], name: str, filename: str,
                  content: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Origin": ORIGIN, "Referer": ORIGIN + path,
        })


def csrf_token(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise Failed("intet CSRF-felt i formularen")
    return match.group(1).decode()


def assets(html: bytes) -> list[str]:
    return [m.decode() for m in re.findall(
        rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(/static/[^"]+)"', html)]


def run_checks(ids: dict, tmp: Path) -> None:
    browser = Browser()
    print("Offentlige sider og statiske filer")
    seen_assets = set()
    for path in ("/", "/tilbud/", "/socialaftale/", "/takster/", "/log-ind/"):
        response, html = browser.get(path)
        check(response.status == 200, f"GET {path} -> 200")
        seen_assets.update(assets(html))
    check(any(a.startswith("/static/css/") for a in seen_assets), "siderne henviser til CSS")
    for asset in sorted(seen_assets):
        response, body = browser.get(asset)
        check(response.status == 200 and body, f"GET {asset} -> 200")
        check(re.search(r"\.[0-9a-f]{12}\.", asset), f"{asset} har et indholdshash i navnet")
        check(asset not in (tmp / "access.log").read_text(),
              f"{asset} kom fra nginx, ikke gunicorn")

    print("Sikkerhedsheadere")
    response, _ = browser.get("/tilbud/")
    headers = {k.lower(): v for k, v in response.getheaders()}
    csp = headers.get("content-security-policy", "")
    check("script-src 'self'" in csp and "unsafe-inline" not in csp, "streng CSP")
    check(headers.get("strict-transport-security", "").startswith("max-age="), "HSTS")
    check(headers.get("x-frame-options") == "DENY", "X-Frame-Options: DENY")
    check(headers.get("x-content-type-options") == "nosniff", "nosniff")
    check(headers.get("referrer-policy") == "same-origin", "Referrer-Policy")
    response, _ = browser.get("/tilbud/", https=False)
    check(response.status == 301 and response.getheader("Location", "").startswith("https://"),
          "HTTP omdirigeres til HTTPS (nginx)")
    response, _ = Browser(direct=True).request("GET", "/tilbud/", headers={
        "X-Forwarded-Proto": "http"})
    check(response.status == 301 and response.getheader("Location", "").startswith("https://"),
          "HTTP omdirigeres til HTTPS (Django)")
    response, body = browser.get("/findes-ikke/")
    check(response.status == 404 and b"DEBUG" not in body and b"Traceback" not in body,
          "404 uden fejlsøgningsside (DEBUG er slået fra)")

    print("Log ind")
    response, html = browser.get("/log-ind/")
    response, _ = browser.post_form("/log-ind/", {
        "csrfmiddlewaretoken": csrf_token(html), "username": "smoke-mf", "password": PASSWORD,
        "next": "/takster/",
    })
    check(response.status == 302 and response.getheader("Location") == "/takster/",
          "log ind med formularen")
    cookie_headers = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
    session = next((c for c in cookie_headers if c.startswith("sessionid=")), "")
    check("Secure" in session and "HttpOnly" in session, "sessionscookie er Secure og HttpOnly")
    response, html = browser.get("/takster/")
    check(response.status == 200 and b"Log ud" in html, "logget ind som driftsherre")

    print("Upload gennem formularen, kontrol i den rigtige worker")
    from takster.validation.samples import build_seed_like_workbook

    content = build_seed_like_workbook()
    form_path = ids["upload_url"]
    response, html = browser.get(form_path)
    check(response.status == 200, f"GET {form_path} -> 200")
    response, _ = browser.post_file(form_path, {"csrfmiddlewaretoken": csrf_token(html)},
                                    "file", "takster 2027.xlsx", content)
    location = response.getheader("Location", "")
    check(response.status == 302 and "/uploads/" in location, "uploadet og videresendt")
    detail = urlsplit(location).path
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        response, html = browser.get(detail)
        if b'id="verdict"' in html:
            break
        time.sleep(1)
    check(b'id="verdict"' in html and b"Rapport for takstskema" in html,
          "workeren har kontrolleret skemaet; rapporten vises")
    upload_id = re.search(r"/uploads/(\d+)/", detail).group(1)
    download = f"/takster/uploads/{upload_id}/fil.xlsx"
    response, body = browser.get(download)
    check(response.status == 200 and hashlib.sha256(body).digest() == hashlib.sha256(
        content).digest(), "den gemte fil hentes uændret gennem den kontrollerede visning")
    check("takster 2027.xlsx" in response.getheader("Content-Disposition", ""),
          "filnavnet følger med (Content-Disposition)")
    check("spreadsheetml" in response.getheader("Content-Type", ""),
          f"Content-Type: {response.getheader('Content-Type')}")
    direct = Browser(direct=True)
    direct.cookies = dict(browser.cookies)
    response, body = direct.get(download)
    accel = response.getheader("X-Accel-Redirect", "")
    check(response.status == 200 and body == b"" and accel.startswith(ACCEL_PREFIX),
          f"gunicorn svarer kun med X-Accel-Redirect: {accel}")
    response, _ = Browser().get(accel)
    check(response.status == 404, f"GET {accel} direkte -> 404 (kun intern)")
    response, _ = Browser().get(download)
    check(response.status == 302, "anonym får ikke filen (til log ind)")

    print("Mediefiler har ingen URL")
    stored = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         f"from takster.models import Upload; print(Upload.objects.get(pk={upload_id}).file.name)"],
        cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.strip().splitlines()[-1]
    for path in (f"/media/{stored}", "/media/", f"/media/../media/{stored}"):
        response, _ = Browser().get(path)
        check(response.status == 404, f"GET {path} -> 404 (anonym)")
    response, _ = browser.get(f"/media/{stored}")
    check(response.status == 404, "GET /media/... -> 404 (også logget ind)")

    print("Sundhed")
    deadline = time.monotonic() + 30
    while True:
        response, body = browser.get("/healthz")
        if response.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(2)
    check(response.status == 200, f"/healthz -> 200 {body.decode()}")
    check(json.loads(body)["worker"].startswith("ok"), "en worker har svaret")


def start_nginx(tmp: Path) -> subprocess.Popen:
    """nginx in the foreground with deploy/nginx.conf; only ports, folders and TLS swapped."""
    (tmp / "ssl").mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={HOST}", "-keyout", str(tmp / "ssl" / "privkey.pem"),
                    "-out", str(tmp / "ssl" / "fullchain.pem")],
                   check=True, capture_output=True, timeout=60)
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for old, new in {
        "server 127.0.0.1:8000;": f"server {HOST}:{PORT};",
        "listen 80;": f"listen {HOST}:{HTTP_PORT};",
        "listen 443 ssl http2;": f"listen {HOST}:{HTTPS_PORT} ssl http2;",
        "/var/lib/socialaftale/": f"{tmp}/",
        "/etc/ssl/socialaftale/": f"{tmp}/ssl/",
    }.items():
        if old not in site:
            raise Failed(f"deploy/nginx.conf indeholder ikke {old!r}")
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    temp = "\n".join(f"  {kind}_temp_path {tmp}/nginx-{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    config = tmp / "nginx.conf"
    config.write_text(f"""{"user root;" if os.getuid() == 0 else ""}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log {tmp}/nginx-access.log;
{temp}
{site}
}}
""", encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    test = subprocess.run([nginx, "-t", "-c", str(config), "-e", str(tmp / "nginx-error.log")],
                          capture_output=True, text=True, timeout=30)
    if test.returncode != 0:
        raise Failed(f"nginx -t: {test.stderr}")
    return subprocess.Popen([nginx, "-c", str(config), "-e", str(tmp / "nginx-error.log"),
                             "-g", "daemon off;"])


def main() -> int:
    base_url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not base_url.startswith("postgres") or not broker:
        print("Kræver DATABASE_URL=postgres://... og CELERY_BROKER_URL=redis://...")
        return 1
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()) or not shutil.which(
            "openssl"):
        print("Kræver nginx og openssl: scripts/system-deps.sh smoke")
        return 1
    database = urlsplit(base_url).path.lstrip("/") + "_smoke"
    admin_url = base_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
        env.update({
            "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST, "DATABASE_URL": base_url.rsplit("/", 1)[0] + "/" + database,
            "STATIC_ROOT": f"{tmp}/static", "MEDIA_ROOT": f"{tmp}/media",
            "GUNICORN_BIND": f"{HOST}:{PORT}", "GUNICORN_WORKERS": "2",
            "MEDIA_ACCEL_REDIRECT_PREFIX": ACCEL_PREFIX, "TRUST_X_REAL_IP": "1",
            "CSRF_TRUSTED_ORIGINS": ORIGIN,  # the non-standard test port
            "GUNICORN_ACCESSLOG": f"{tmp}/access.log", "LOG_LEVEL": "WARNING",
        })
        os.environ.update(env)  # for the `manage.py shell` look-up below
        try:
            def manage(*args):
                return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env,
                                      check=True, capture_output=True, text=True, timeout=300)

            manage("migrate", "--noinput")
            manage("collectstatic", "--noinput")
            manage("loaddata", "fixtures/socialaftale.json", "fixtures/tilbud_paragraffer.json",
                   "fixtures/tilbud.json")
            ids = json.loads(manage("shell", "-c", SETUP % {"password": PASSWORD})
                             .stdout.strip().splitlines()[-1])
            processes.append(subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "socialaftale.wsgi"],
                cwd=ROOT, env=env))
            processes.append(subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "socialaftale", "worker", "--concurrency", "1",
                 "-l", "WARNING", "-n", f"smoke-{os.getpid()}@%h"], cwd=ROOT, env=env))
            processes.append(start_nginx(Path(tmp)))
            deadline = time.monotonic() + 30
            for browser in (Browser(direct=True), Browser()):  # gunicorn first, then nginx
                while True:
                    try:
                        browser.get("/healthz")
                        break
                    except OSError:
                        if time.monotonic() > deadline or any(p.poll() is not None
                                                              for p in processes):
                            raise Failed("gunicorn eller nginx startede ikke") from None
                        time.sleep(0.5)
            print(f"gunicorn på {HOST}:{PORT} (DEBUG=0) bag nginx på {HOST}:{HTTPS_PORT}, "
                  f"database {database}")
            sys.path.insert(0, str(ROOT))
            run_checks(ids, Path(tmp))
        except (Failed, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or ""
            print(f"FEJL: {exc}\n{detail[-3000:]}")
            return 1
        finally:
            for proc in processes:
                proc.terminate()
            for proc in processes:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print("Produktionsopsætningen virker.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
