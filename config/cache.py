"""Redis as an accelerator, never the truth: a django-redis cache that survives Redis going away.

While Redis cannot be reached, every call answers as a cache miss would (or goes to the
FALLBACK cache alias, if one is named), so the site serves from the database: sessions
load from their rows (cached_db), throttles count in the database cache. The outage is
logged once when it starts and once when it ends, not on every request; after a failure
Redis is left alone for RETRY_SECONDS, so a Redis that hangs does not slow each request.
"""

from __future__ import annotations

import base64
import logging
import pickle
import threading
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("streamguard.redis")

UNREACHABLE = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError)

# What each call answers while Redis is down and no fallback is named: a miss, or "not done".
_MISS: dict[str, Any] = {
    "add": False,
    "set": False,
    "touch": False,
    "delete": False,
    "delete_many": None,
    "set_many": [],
    "get_many": {},
    "has_key": False,
    "clear": False,
    "ttl": None,
}


class _Outage:
    """One per Redis location and process: cache objects are per thread, the outage is not."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.since: float | None = None
        self.retry_at = 0.0

    def begin(self, location: str, error: BaseException, retry_seconds: float) -> None:
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + retry_seconds
            if self.since is None:
                self.since = now
                logger.warning(
                    "Redis at %s is unreachable (%s): serving from the database until it returns.",
                    location,
                    error.__class__.__name__,
                )

    def end(self, location: str) -> None:
        if self.since is None:
            return
        with self.lock:
            if self.since is not None:
                logger.warning(
                    "Redis at %s is back after %.1f s.", location, time.monotonic() - self.since
                )
                self.since = None

    def skipping(self) -> bool:
        return self.since is not None and time.monotonic() < self.retry_at


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ResilientRedisCache(RedisCache):  # type: ignore[misc]  # django-redis has no types
    """django-redis whose connection errors become misses (or the fallback cache's answers)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias: str | None = options.pop("FALLBACK", None)
        self._retry_seconds = float(options.pop("RETRY_SECONDS", 2.0))
        super().__init__(server, {**params, "OPTIONS": options})
        # Errors must reach this class, which logs them once per outage.
        self._ignore_exceptions = False
        self._location = server if isinstance(server, str) else ",".join(server)
        self._outage = _outage_for(self._location)

    def _miss(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self._fallback_alias:
            return getattr(caches[self._fallback_alias], name)(*args, **kwargs)
        if name == "get":
            return kwargs.get("default", args[1] if len(args) > 1 else None)
        if name in ("incr", "decr"):
            raise ValueError("Key not found while Redis is unreachable.")
        return _MISS.get(name)

    def _call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self._outage.skipping():
            return self._miss(name, args, kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as error:
            self._outage.begin(self._location, error, self._retry_seconds)
            return self._miss(name, args, kwargs)
        self._outage.end(self._location)
        return result

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", args, kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", args, kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", args, kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", args, kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", args, kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", args, kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", args, kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", args, kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", args, kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", args, kwargs)

    def decr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("decr", args, kwargs)

    def clear(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("clear", args, kwargs)


class LockedDatabaseCache(DatabaseCache):
    """Django's database cache, whose incr() and decr() never lose a count.

    Django's own reads the value and sets it again, so two workers adding one at once both
    write the same number (and the set moves the entry's expiry). Here the row is locked from
    the read to the write: SELECT ... FOR UPDATE where the database has it (PostgreSQL), and
    on SQLite the write lock each transaction takes as it begins (settings: IMMEDIATE). Only
    the value is written, so the entry keeps the expiry it was added with."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined]
        made = self.make_and_validate_key(key, version=version)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # Only the table name, the setting's own and quoted, is built into the SQL (as in
            # Django's DatabaseCache); the key and the value are parameters.
            select = f"SELECT cache_key FROM {table} WHERE cache_key = %s{lock}"  # noqa: S608  # nosec B608
            update = f"UPDATE {table} SET value = %s WHERE cache_key = %s"  # noqa: S608  # nosec B608
            cursor.execute(select, [made])
            value = self.get(key, version=version) if cursor.fetchone() else None
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            new = int(value) + delta
            encoded = base64.b64encode(pickle.dumps(new, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [encoded, made])
        return new

    def decr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self.incr(key, -delta, version)


def probe() -> bool:
    """True if the default cache answers a real round trip (for /readyz)."""
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache):
        try:
            return bool(RedisCache.set(cache, "readyz", "1", timeout=5))
        except UNREACHABLE:
            return False
    try:
        cache.set("readyz", "1", timeout=5)
    except Exception:  # noqa: BLE001  any backend's failure means "not reachable"
        return False
    return True
