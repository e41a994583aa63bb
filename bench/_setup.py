"""Django on a throwaway database for the benchmarks; never the developer's real one.

Imported by the scripts beside it before anything from Django. SQLite by default, in a
temporary directory removed at exit; or a PostgreSQL database whose name contains
"bench", created (dropped first if left over) and dropped at exit. DEBUG is off and
REDIS_URL empty, so the cache is local memory and sessions live in the database.
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


def django_setup(database_url: str | None = None) -> str:
    """Configure Django on a fresh database, migrate it and return a one-line description."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Measure the production code path: no query log, no static finders.
    os.environ["DJANGO_DEBUG"] = "False"
    # Nor the developer's Redis: the default run's local-memory cache and db sessions.
    os.environ["REDIS_URL"] = ""
    if database_url:
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--database-url must be a postgres:// URL (SQLite is the default).")
        _postgres_create(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        tmp = tempfile.mkdtemp(prefix="streamguard-bench-")
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"

    # WhiteNoise warns once about a missing STATIC_ROOT (collectstatic is a deploy step).
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

    import django
    from django.conf import settings

    django.setup()
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
        f"SESSION_ENGINE={settings.SESSION_ENGINE}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {load_average()}"
    )


def load_average() -> str:
    """The machine's load: the figures are only as quiet as the machine was."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"
