"""The configured session store, addressed by session key, and what a session keeps of its
device (DeviceStamp) with the lifetimes that decide when it is dead."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends import cache as cache_backend
from django.contrib.sessions.backends import db as db_backend
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone


def session_store_class() -> type[SessionBase]:
    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    return store


def sessions_delete(session_keys: Collection[str]) -> None:
    """Delete these sessions from the store, cached copies included, in a fixed number of calls.

    The database rows go inside the caller's transaction; the cached copies only once it has
    committed. Deleting the cache first would let another worker, missing the cache, read the
    still-uncommitted row and cache it again for the session's whole lifetime.
    """
    keys = [key for key in session_keys if key]
    if not keys:
        return
    store_class = session_store_class()
    if issubclass(store_class, db_backend.SessionStore):
        store_class.get_model_class().objects.filter(session_key__in=keys).delete()
    elif not issubclass(store_class, cache_backend.SessionStore):
        # File sessions and any other engine: one delete per key through the engine itself.
        for key in keys:
            store_class().delete(key)
    cache_prefix = getattr(store_class, "cache_key_prefix", None)
    if cache_prefix is not None and issubclass(
        store_class, db_backend.SessionStore | cache_backend.SessionStore
    ):
        cache_keys = [cache_prefix + key for key in keys]
        # A cache that is down answers nothing here (see config/cache.py); a copy it keeps
        # is refused anyway, its device being signed out in the database (devices/auth.py).
        transaction.on_commit(lambda: caches[settings.SESSION_CACHE_ALIAS].delete_many(cache_keys))


def session_restamp(session_key: str, *, user_pk: object, auth_hash: str) -> None:
    """Give a live session of this user the account's current auth hash."""
    store = session_store_class()(session_key=session_key)
    # Loading a missing session clears its key; saving it then would create a new one.
    if store.get(SESSION_KEY) != str(user_pk) or store.session_key is None:
        return
    store[HASH_SESSION_KEY] = auth_hash
    store.save()


# Where a session remembers its device (see DeviceStamp).
SESSION_DEVICE_KEY = "_device"


def session_lifetimes(*, kept: bool = True) -> tuple[timedelta, timedelta]:
    """How long a session lives unused, and at most after sign-in: the one place for both.

    kept: "Keep me signed in" was ticked (and every TV): 30 days idle, 90 days in all.
    Otherwise the session also ends with the browser: 30 minutes idle, 12 hours in all.
    """
    if kept:
        return (
            timedelta(days=settings.SESSION_IDLE_DAYS),
            timedelta(days=settings.SESSION_MAX_AGE_DAYS),
        )
    return (
        timedelta(minutes=settings.SESSION_SHORT_IDLE_MINUTES),
        timedelta(hours=settings.SESSION_SHORT_MAX_AGE_HOURS),
    )


def session_cutoffs(now: datetime | None = None) -> tuple[datetime, datetime]:
    """A session is dead if last used before the first, or signed in before the second.

    The longest lifetimes (kept sessions): a shorter session found alive here is ended by
    DeviceStamp.expired on its next request.
    """
    now = now or timezone.now()
    idle, max_age = session_lifetimes(kept=True)
    return now - idle, now - max_age


@dataclass(frozen=True)
class DeviceStamp:
    """What a session keeps of its device, so most requests need no query about it."""

    id: str
    key: str | None  # the session key the device row was last told about
    at: int  # last activity written to the device row (epoch seconds)
    ip: str | None
    since: int  # sign-in (epoch seconds)
    until: int | None = None  # a session that ends by itself ("24 hours only")
    kept: bool = True  # "Keep me signed in" (see session_lifetimes)

    @classmethod
    def read(cls, session: SessionBase) -> DeviceStamp | None:
        raw = session.get(SESSION_DEVICE_KEY)
        if not isinstance(raw, dict) or not raw.get("id"):
            return None
        try:
            return cls(
                id=str(raw["id"]),
                key=raw.get("key"),
                at=int(raw.get("at", 0)),
                ip=raw.get("ip"),
                since=int(raw.get("since", 0)),
                until=int(raw["until"]) if raw.get("until") else None,
                kept=raw.get("kept", True) is not False,
            )
        except (TypeError, ValueError):
            return None

    def write(self, session: SessionBase, *, save: bool = True) -> None:
        """Into the session; save=False leaves it unmarked, written only if saved anyway."""
        modified = session.modified
        session[SESSION_DEVICE_KEY] = asdict(self)
        if not save:
            session.modified = modified

    def expired(self, now: float) -> bool:
        """Past the idle or absolute limit, or its own end: the store's clock may differ."""
        idle, max_age = session_lifetimes(kept=self.kept)
        return (
            now - self.since > max_age.total_seconds()
            or now - self.at > idle.total_seconds()
            or (self.until is not None and now > self.until)
        )
