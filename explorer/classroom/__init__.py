"""Class mode's plain-Python part (issue 28): the room store behind one small interface.

* :mod:`.store`: the interface (:class:`RoomStore`), the room as anyone sees it
  (:class:`RoomState`), codes, the lecturer key check, bounds, :class:`RoomError` and the
  per-session :class:`RateLimit`;
* :mod:`.memory`: the in-process store (the default);
* :mod:`.redis_store`: the Redis store, for several app processes sharing a class.

:func:`store_from_setting` picks one from ``AE_ROOM_STORE`` (``memory``, unset, or a
``redis://`` / ``rediss://`` URL); the app keeps the one store of its process.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from .memory import MemoryStore
from .store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    IDLE_SECONDS,
    MAX_OPTIONS,
    MAX_ROOMS,
    MAX_ROUNDS,
    MAX_STUDENTS,
    REASONS,
    Limits,
    RateLimit,
    RoomError,
    RoomState,
    RoomStore,
    key_matches,
    normalise_code,
)

#: the environment variable (or ``st.secrets`` entry) naming the store
SETTING = "AE_ROOM_STORE"


def store_from_setting(value: str | None = None, limits: Limits | None = None,
                       clock: Callable[[], float] | None = None) -> RoomStore:
    """The store ``value`` names (default: the ``AE_ROOM_STORE`` environment variable):
    unset, empty or ``memory`` -> in process; ``redis://…`` / ``rediss://…`` -> Redis. Any
    other value is refused with a clear message (ValueError), never silently in process."""
    if value is None:
        value = os.environ.get(SETTING, "")
    value = value.strip()
    if value in ("", "memory"):
        return MemoryStore(limits, clock)
    if value.startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisStore
        return RedisStore(value, limits, clock)
    raise ValueError(f"{SETTING}={value!r}: use 'memory' or a redis:// URL")


__all__ = ["CODE_ALPHABET", "CODE_LENGTH", "IDLE_SECONDS", "MAX_OPTIONS", "MAX_ROOMS",
           "MAX_ROUNDS", "MAX_STUDENTS", "REASONS", "SETTING", "Limits", "MemoryStore",
           "RateLimit", "RoomError", "RoomState", "RoomStore", "key_matches",
           "normalise_code", "store_from_setting"]
