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
# The path without its query string (%(U)s), and even so a path can be a secret: a reset
# link's path is its token. %(M)s is the time in milliseconds.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'


def _handler(target: str, stream: str, formatter: str) -> dict[str, str]:
    """A logging handler for a gunicorn log target: "-" is the stream, "" nowhere, else a file."""
    if target == "-":
        return {
            "class": "logging.StreamHandler",
            "stream": f"ext://sys.{stream}",
            "formatter": formatter,
        }
    if not target:
        return {"class": "logging.NullHandler"}
    return {"class": "logging.FileHandler", "filename": target, "formatter": formatter}


# gunicorn's own loggers get the filter Django's handlers have (accounts.securitylog), so a
# token in a path never reaches the access or error log. A logger configured here loses the
# handlers gunicorn gave it, so the handlers are named here too: GUNICORN_ACCESS_LOG says
# where the access log goes ("-" for stdout); --access-logfile on the command line does not.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "accounts.securitylog.RedactSecretsFilter"}},
    "formatters": {
        "access": {"format": "%(message)s"},
        "error": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
    },
    "handlers": {
        "access": _handler(accesslog, "stdout", "access"),
        "error": _handler(errorlog, "stderr", "error"),
    },
    "loggers": {
        "gunicorn.access": {
            "level": "INFO",
            "handlers": ["access"],
            "filters": ["redact"],
            "propagate": False,
        },
        "gunicorn.error": {
            "level": "INFO",
            "handlers": ["error"],
            "filters": ["redact"],
            "propagate": False,
        },
    },
    "root": {"level": "INFO", "handlers": ["error"], "filters": ["redact"]},
}
# X-Forwarded-For is trusted by Django (TRUSTED_PROXY_COUNT), not by gunicorn; gunicorn
# believes X-Forwarded-Proto (HTTPS at the proxy) only from these addresses, so a proxy on
# another host must be named here or every request looks like plain HTTP (README's recipe).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
