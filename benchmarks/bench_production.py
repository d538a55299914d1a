"""The public offer list under gunicorn as in production (a script, not a test).

    python benchmarks/bench_production.py [--requests 3000] [--concurrency 8] [--port 18100]

Builds a throwaway database (SQLite, or BENCH_DATABASE_URL=postgres://...) with the project's
fixtures, runs collectstatic, starts `gunicorn -w 2` with DEBUG=0 and a real SECRET_KEY on
127.0.0.1 and fires a bounded number of requests at it with ApacheBench (`ab`, from
apache2-utils; `make bench` installs it). Prints requests per second for a static file and
for the offer list (first page, a search, a later page, and the first page rendered on every
request, bypassing the page cache), their ratios, and last the figure
the goal is about: the offer list's first page in requests per second (goal: >= 200 on two
cores).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GOAL = 200


def production_env(tmp: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CELERY_BROKER_URL"}}
    env.update({
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}",
        "DB_CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
    })
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=600)


def ab(url: str, requests: int, concurrency: int, cookie: str | None = None) -> float:
    extra = ["-C", cookie] if cookie else []
    result = subprocess.run(
        ["ab", "-q", "-n", str(requests), "-c", str(concurrency), "-s", "10", *extra, url],
        capture_output=True, text=True, timeout=120, check=True,
    )
    failed = re.search(r"Failed requests:\s+(\d+)", result.stdout)
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", result.stdout)
    assert failed and failed.group(1) == "0" and not non_2xx, result.stdout
    return float(re.search(r"Requests per second:\s+([\d.]+)", result.stdout).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=18100)
    args = parser.parse_args()
    if not shutil.which("ab"):
        sys.exit("ab mangler: kør `make bench` (installerer apache2-utils).")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = production_env(tmp, args.port)
        manage(env, "migrate", "--noinput")
        manage(env, "loaddata", *sorted(str(p) for p in (ROOT / "fixtures").glob("*.json")))
        manage(env, "collectstatic", "--noinput")
        base = f"http://127.0.0.1:{args.port}"
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "socialaftale.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/tilbud/", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        sys.exit("gunicorn startede ikke.")
                    time.sleep(0.3)
            pages = {
                "statisk fil (site.css)": "/static/css/site.css",
                "tilbudsliste, side 1": "/tilbud/",
                "tilbudsliste, søgning": "/tilbud/?q=autisme",
                "tilbudsliste, side 2": "/tilbud/?side=2",
            }
            rates = {}
            for label, path in pages.items():
                ab(base + path, min(200, args.requests), args.concurrency)  # warm-up
                rates[label] = ab(base + path, args.requests, args.concurrency)
            # A session cookie (even an unknown one) bypasses the page cache: every request
            # renders the page, as for a logged-in user.
            rates["side 1 uden cache"] = ab(base + "/tilbud/", min(500, args.requests),
                                            args.concurrency, cookie="sessionid=ukendt")
        finally:
            server.terminate()
            server.wait(timeout=20)
    static = rates.pop("statisk fil (site.css)")
    print("gunicorn, 2 workers, DEBUG=0, "
          f"{os.cpu_count()} kerner, {args.requests} forespørgsler, samtidighed {args.concurrency}")
    print(f"{'side':<26}{'forespørgsler/s':>16}{'i forhold til statisk fil':>28}")
    print(f"{'statisk fil (site.css)':<26}{static:>16.0f}{1:>28.2f}")
    for label, rate in rates.items():
        print(f"{label:<26}{rate:>16.0f}{rate / static:>28.3f}")
    first = rates["tilbudsliste, side 1"]
    verdict = "nået" if first >= GOAL else "IKKE nået"
    print(f"tilbudslisten (side 1): {first:.0f} forespørgsler/s (mål >= {GOAL}: {verdict})")


if __name__ == "__main__":
    main()
