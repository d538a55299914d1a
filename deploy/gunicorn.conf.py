"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py socialaftale.wsgi`.

Every value can be overridden from the environment (the systemd unit reads
/etc/socialaftale/env). Sync workers: the app's pages are short, files are handed to nginx
with X-Accel-Redirect and long work runs in the Celery worker, so no request waits long.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same host sets X-Forwarded-Proto; trust it only from there.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Load the app before forking: a broken configuration fails at start, not per worker.
preload_app = True
