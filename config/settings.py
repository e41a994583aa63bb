"""StreamGuard settings: one module, every deploy-varying value from the environment."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

# Lets the admin and form classes take type parameters at run time, as the type checker wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Anything with DEBUG off must bring its own key. A debug run without one gets a random
# key for this process (scripts/setup writes a lasting one into .env).
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = get_random_secret_key()
# Old keys stay valid for sessions and signed links while a rotation rolls out.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The one public address: links, QR codes, the TV and passkeys (below) all follow it.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "accounts",
    "mfa",
    "devices",
    "security",
    "catalog",
    "parental",
    "tv",
    "privacy",
    "api",
    "demo",
    # The admin, with a site whose sign-in goes through the same two-step flow as the site's.
    "mfa.admin_site.StreamGuardAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "oauth2_provider",
    # The task queue's database backend: e-mail and the daily retention job (db_worker).
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their long cache lifetimes.
    "accounts.middleware.NoStoreMiddleware",
    "accounts.middleware.MultipartRefusedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the account's choice (below), else the cookie the footer switch sets,
    # else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the session's device checked in the same query as its user.
    "devices.auth.DeviceAuthenticationMiddleware",
    "accounts.middleware.AccountLanguageMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "devices.middleware.DeviceActivityMiddleware",
    "accounts.middleware.CurrentProfileMiddleware",
    # A TV or console signed in with a code watches and signs itself out, nothing more.
    "tv.middleware.TvSessionScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.current_profile",
                "tv.context_processors.client_layout",
            ],
        },
    },
]

# Database: SQLite file by default, anything django-environ understands otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A household's concurrent requests: readers never wait (WAL), a writer waits its turn
    # (busy timeout) instead of failing, and a transaction takes the write lock when it
    # begins (IMMEDIATE), so two read-then-write transactions cannot deadlock into
    # "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
    )
else:
    # Persistent connections: a new PostgreSQL connection per request costs more database
    # CPU than the request itself. Health checks drop a connection the server closed
    # (a restart), so the site recovers by itself once the database is back.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Django's database cache + database sessions by default, so every
# worker on the machine counts the same throttles (a migration creates the cache table);
# with Redis, a shared cache and cached_db sessions so every worker and host sees a revoked
# session at once. A local-memory cache is refused by a system check when DEBUG is off.
# Redis is an accelerator, never the truth (config/cache.py): while it is down, sessions
# load from the database and throttles count in the database cache instead.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    _redis_options = {
        # A Redis that hangs must not hang the request: a short wait, then the database.
        "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
        "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT", default=0.5),
        "RETRY_SECONDS": env.float("REDIS_RETRY_SECONDS", default=2.0),
    }
    _cache_prefix = env.str("CACHE_KEY_PREFIX", default="streamguard")
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _cache_prefix,
            "OPTIONS": _redis_options,
        },
        # Guessing limits must hold while Redis is down: they fall back to the database.
        "throttle": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _cache_prefix,
            "OPTIONS": {**_redis_options, "FALLBACK": "throttle_fallback"},
        },
        "throttle_fallback": {
            "BACKEND": "config.cache.LockedDatabaseCache",
            "LOCATION": "streamguard_throttle_fallback",
            "KEY_PREFIX": _cache_prefix,
        },
    }
    RATELIMIT_USE_CACHE = "throttle"
    SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db")
else:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.LockedDatabaseCache",
            "LOCATION": "streamguard_cache",
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="streamguard"),
        }
    }
    SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

# Sessions end after SESSION_IDLE_DAYS without use and SESSION_MAX_AGE_DAYS after sign-in
# ("Keep me signed in", TVs); without "Keep me signed in", on closing the browser and after
# SESSION_SHORT_IDLE_MINUTES without use or SESSION_SHORT_MAX_AGE_HOURS after sign-in.
SESSION_IDLE_DAYS = env.int("SESSION_IDLE_DAYS", default=30)
SESSION_MAX_AGE_DAYS = env.int("SESSION_MAX_AGE_DAYS", default=90)
SESSION_SHORT_IDLE_MINUTES = env.int("SESSION_SHORT_IDLE_MINUTES", default=30)
SESSION_SHORT_MAX_AGE_HOURS = env.int("SESSION_SHORT_MAX_AGE_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_IDLE_DAYS * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# How often a signed-in device's last-seen time (and the session's idle expiry) is written.
DEVICE_ACTIVITY_INTERVAL_SECONDS = env.int("DEVICE_ACTIVITY_INTERVAL_SECONDS", default=300)
DEVICE_COOKIE_NAME = "sg_device"
# Paths device tracking never looks at: the health checks of proxies and orchestrators.
UNTRACKED_PATHS = frozenset({"/healthz", "/readyz"})
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days

# Native apps sign in with the OAuth 2.0 device grant (django-oauth-toolkit, bound to Devices
# in devices/oauth.py). Access tokens are short; a refresh rotates the refresh token, and an
# old one used again is refused and ends its whole family. A refresh token dies with the
# same idle limit as a kept session. Tokens are read from the database on every request.
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "devices.oauth.Validator",
    "OAUTH_DEVICE_VERIFICATION_URI": SITE_URL.rstrip("/") + "/activate/",
    "OAUTH_DEVICE_VERIFICATION_URI_COMPLETE": SITE_URL.rstrip("/") + "/activate/?code={user_code}",
    "DEVICE_FLOW_INTERVAL": 5,
    "SCOPES": {"watch": "Watch and manage this account's profiles"},
    "DEFAULT_SCOPES": ["watch"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("APP_ACCESS_TOKEN_SECONDS", default=3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": SESSION_IDLE_DAYS * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["none"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": [
        "urn:ietf:params:oauth:grant-type:device_code",
        "refresh_token",
    ],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": [],
    # Every recommendation of RFC 9700 (the OAuth 2.0 Security BCP) the library offers:
    # tokens hashed at rest, no token in a URL, no implicit or password grant, https only.
    **{
        f"COMPLIANT_BCP_RFC9700_{rule}": True
        for rule in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# Named so devices' migrations can point at the (swappable) app model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# Streams an account may play at the same time; one more asks to stop one of them.
STREAM_LIMIT = env.int("STREAM_LIMIT", default=2)

# Client IP: REMOTE_ADDR unless the site runs behind this many trusted proxies.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Optional MaxMind GeoLite2 City database for city names; countries work without it.
GEOIP_PATH = env.str("GEOIP_PATH", default="")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # "Sign in with a passkey": the credential names the account, no password.
    "django_otp_webauthn.backends.WebAuthnBackend",
]

# Two-step verification. django-otp's middleware is left out on purpose: it would read the
# session's OTP device on every request; mfa.twostep.session_verified asks only where
# it matters (the admin, adding a passkey). The authenticator app shows this name.
OTP_TOTP_ISSUER = "StreamGuard"
# Passkeys are bound to a host name (the relying party) and its origin, both read from
# SITE_URL; a passkey made for one host never works on another. WEBAUTHN_RP_ID (a parent
# domain, to share passkeys across subdomains) and WEBAUTHN_ORIGINS stay as overrides. A
# browser takes no IP address as the relying party: serve the demo on http://localhost
# (a secure context without TLS), not 127.0.0.1 (mfa.checks warns).
_SITE = urlsplit(SITE_URL)
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default=_SITE.hostname or "localhost")
OTP_WEBAUTHN_RP_NAME = "StreamGuard"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS", default=[f"{_SITE.scheme}://{_SITE.netloc}"]
)
# Passkey errors are answered to the browser; the library's own logger would log them again.
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = ""
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profiles"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3600

# Failed sign-ins allowed per e-mail address and per IP address in SIGNIN_THROTTLE_WINDOW seconds.
SIGNIN_THROTTLE_ATTEMPTS = env.int("SIGNIN_THROTTLE_ATTEMPTS", default=10)
SIGNIN_THROTTLE_WINDOW = env.int("SIGNIN_THROTTLE_WINDOW", default=900)
# Wrong TV codes on /activate/ (5 per account or IP) and new codes on /tv/ (30 per IP) per window.
ACTIVATE_THROTTLE_WINDOW = env.int("ACTIVATE_THROTTLE_WINDOW", default=600)
# Reset e-mails per address and per IP, and new accounts per IP, in an hour.
PASSWORD_RESET_THROTTLE_PER_EMAIL = env.int("PASSWORD_RESET_THROTTLE_PER_EMAIL", default=3)
PASSWORD_RESET_THROTTLE_PER_IP = env.int("PASSWORD_RESET_THROTTLE_PER_IP", default=20)
SIGNUP_THROTTLE_PER_IP = env.int("SIGNUP_THROTTLE_PER_IP", default=10)
HOURLY_THROTTLE_WINDOW = env.int("HOURLY_THROTTLE_WINDOW", default=3600)

# Console and file backends write working reset links into logs: with DEBUG off they are
# refused by a system check unless EMAIL_URL names one on purpose.
EMAIL_URL_SET = "EMAIL_URL" in env.ENVIRON
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="StreamGuard <no-reply@streamguard.localhost>"
)
# Seconds a worker waits on the mail server before the send counts as failed and is retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# The task queue (django-tasks, database backend): every e-mail and the daily retention job.
# `manage.py db_worker` runs it; with no worker running, tasks wait in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A failed send is tried again after MAIL_RETRY_FIRST_SECONDS, doubling up to
# MAIL_RETRY_MAX_SECONDS between tries, until MAIL_RETRY_HOURS after it was queued.
MAIL_RETRY_FIRST_SECONDS = env.int("MAIL_RETRY_FIRST_SECONDS", default=30)
MAIL_RETRY_MAX_SECONDS = env.int("MAIL_RETRY_MAX_SECONDS", default=3600)
MAIL_RETRY_HOURS = env.int("MAIL_RETRY_HOURS", default=48)
# A task still "running" this many seconds after it started belongs to a worker that died:
# it is run again. Far above EMAIL_TIMEOUT, so a slow send is never run twice at once.
TASK_RUNNING_TIMEOUT = env.int("TASK_RUNNING_TIMEOUT", default=600)
# How often a worker looks for such tasks and for a missing scheduled job.
TASK_UPKEEP_SECONDS = env.int("TASK_UPKEEP_SECONDS", default=300)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own named formats ("j M Y, H:i" in English, "j b Y, H:i" in Spanish); templates and
# e-mails use the names, never a hand-written format.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
    },
}

# Serve straight from the app folders in the demo; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG

# Request bodies: the proxy in front caps them at 1 MiB (README, "Security"); Django refuses
# larger form bodies itself, and multipart bodies outright on views that take no files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
MULTIPART_ALLOWED_VIEWS: list[str] = []  # URL names of views that take files: none yet

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # __Host-: the browser takes them only over HTTPS, for this host and path "/", so a
    # sibling subdomain cannot plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Scripts never need the CSRF cookie: htmx sends the token from the page's hx-headers.
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
# Joining the browsers' HSTS preload list is a deliberate, hard-to-undo step left to the operator.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Strict: nothing inline, nothing from elsewhere. htmx is told not to add its indicator
# <style> (see base.html), so style-src needs no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Browser features StreamGuard never uses are switched off for the site and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        # Not publickey-credentials-get/-create: "Sign in with a passkey" needs them.
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# The standard library's logging: one JSON object per line on the security logger (see
# accounts/securitylog.py), and every handler drops secrets from request paths.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "accounts.securitylog.RedactSecretsFilter"}},
    "formatters": {"json": {"()": "accounts.securitylog.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "security": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
    },
    "loggers": {
        "streamguard.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "streamguard.mail": {
            "handlers": ["security"],
            "level": env.str("LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
        # A line per task started and finished is the worker's to print (db_worker -v 1),
        # not every process's: failures still come through.
        "django_tasks": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# A form from an out-of-date page gets the site's own page, not Django's.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
