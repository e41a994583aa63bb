"""gunicorn settings for the scale-out run: `gunicorn config.wsgi -c config/gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_*) or the command line.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads: a worker blocked on a slow client (a large CSV download, a phone on a bad
# network) keeps serving on its other threads instead of holding the whole process.
worker_class = "gthread"
# Two processes per CPU: one crashed or recycled worker never takes the host down.
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A request that runs this long is stuck: the worker is replaced. With threads, a slow
# client is not a stuck worker (the heartbeat comes from the main thread).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On a restart or SIGTERM, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Recycle workers now and then (jittered, so they never restart together).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500

# Behind a proxy (TRUSTED_PROXY_COUNT) the body size and headers are the proxy's job;
# these only cap what reaches Django.
limit_request_line = 8190
limit_request_field_size = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The path without its query string (%(U)s): query strings may carry TV codes and
# password-reset tokens, which do not belong in logs. %(M)s is the time in milliseconds.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
# X-Forwarded-For is trusted by Django (TRUSTED_PROXY_COUNT), not by gunicorn.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
