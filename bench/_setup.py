"""Django on a throwaway database for the benchmarks; never the developer's real one.

Imported by the scripts beside it before anything from Django. SQLite by default, in a
temporary directory removed at exit; or a PostgreSQL database whose name contains
"bench", created (dropped first if left over) and dropped at exit. DEBUG is off. REDIS_URL
is empty (local-memory cache, database sessions) unless --redis-url names one: then the
scale-out run's Redis cache and cached_db sessions, under a key prefix of this run's own.
"""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def _postgres_create(url: str) -> None:
    """Create the bench database named in url, to be dropped at exit."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"Refusing --database-url with database {name!r}: the benchmark drops it at exit, "
            "so its name must contain 'bench' (e.g. postgres://postgres@127.0.0.1:5432/sg_bench)."
        )
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    atexit.register(drop)


def database_url_for(database_url: str | None) -> str:
    """The DATABASE_URL of the throwaway database: created now, removed at exit."""
    if database_url:
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--database-url must be a postgres:// URL (SQLite is the default).")
        _postgres_create(database_url)
        return database_url
    tmp = tempfile.mkdtemp(prefix="streamguard-bench-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    return f"sqlite:///{tmp}/bench.sqlite3"


def redis_env(redis_url: str | None) -> dict[str, str]:
    """REDIS_URL and a key prefix of this run's own, so a shared Redis is never mixed up."""
    if not redis_url:
        return {"REDIS_URL": ""}
    if not redis_url.startswith("redis://"):
        raise SystemExit("--redis-url must be a redis:// URL.")
    return {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": f"bench-{os.getpid()}"}


def django_setup(database_url: str | None = None, redis_url: str | None = None) -> str:
    """Configure Django on a fresh database, migrate it and return a one-line description."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Measure the production code path: no query log, no static finders.
    os.environ["DJANGO_DEBUG"] = "False"
    # Nor the developer's Redis unless asked: then under a prefix of this run's own.
    os.environ.update(redis_env(redis_url))
    os.environ["DATABASE_URL"] = database_url_for(database_url)

    # WhiteNoise warns once about a missing STATIC_ROOT (collectstatic is a deploy step).
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

    import django
    from django.conf import settings

    django.setup()
    if redis_url:
        from django.core.cache import caches

        def forget() -> None:
            # Only this run's keys (its own prefix): a shared Redis is never flushed.
            try:
                caches["default"].delete_pattern("*")
            except Exception:  # noqa: BLE001  a Redis already gone keeps nothing to forget
                return

        atexit.register(forget)
    db = settings.DATABASES["default"]
    expected = (
        urlsplit(database_url).path.lstrip("/")
        if database_url
        else os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    )
    if str(db["NAME"]) != expected:
        raise SystemExit(f"Refusing to run: settings point at {db['NAME']!r}, not {expected!r}.")

    from django.core.management import call_command

    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemExit:
        raise SystemExit(
            "The models have changes without a migration (makemigrations --check): the "
            "throwaway schema would not match them. Add the migration, then run this again."
        ) from None
    call_command("migrate", verbosity=0)
    from django.db import connection

    vendor = (
        f"{connection.vendor} {connection.Database.sqlite_version}"
        if (connection.vendor == "sqlite")
        else f"{connection.vendor} {connection.pg_version // 10000}"
    )
    return (
        f"Django {django.get_version()}, {vendor} at {db['NAME']}, "
        f"SESSION_ENGINE={settings.SESSION_ENGINE}, "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
        f"Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {load_average()}"
    )


def load_average() -> str:
    """The machine's load: the figures are only as quiet as the machine was."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"
