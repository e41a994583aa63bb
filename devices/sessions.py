"""The configured session store, addressed by session key."""

from __future__ import annotations

from collections.abc import Collection
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends import cache as cache_backend
from django.contrib.sessions.backends import db as db_backend
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import caches


def session_store_class() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def sessions_delete(session_keys: Collection[str]) -> None:
    """Delete these sessions from the store, cached copies included, in a fixed number of calls."""
    keys = [key for key in session_keys if key]
    if not keys:
        return
    store_class = session_store_class()
    cache_prefix = getattr(store_class, "cache_key_prefix", None)
    if cache_prefix is not None and issubclass(
        store_class, db_backend.SessionStore | cache_backend.SessionStore
    ):
        caches[settings.SESSION_CACHE_ALIAS].delete_many([cache_prefix + key for key in keys])
    if issubclass(store_class, db_backend.SessionStore):
        store_class.get_model_class().objects.filter(session_key__in=keys).delete()
    elif not issubclass(store_class, cache_backend.SessionStore):
        # File sessions and any other engine: one delete per key through the engine itself.
        for key in keys:
            store_class().delete(key)


def session_restamp(session_key: str, *, user_pk: object, auth_hash: str) -> None:
    """Give a live session of this user the account's current auth hash."""
    store = session_store_class()(session_key=session_key)
    # Loading a missing session clears its key; saving it then would create a new one.
    if store.get(SESSION_KEY) != str(user_pk) or store.session_key is None:
        return
    store[HASH_SESSION_KEY] = auth_hash
    store.save()
