"""The shared caches of run records and page tables: ``st.cache_data`` shared by every
session and bounded by pickled bytes for every entry (:func:`shared_cache`), with the cache of
large values (:data:`LARGE`) a value over its own cache's bound goes to."""

from __future__ import annotations

import functools
import logging
import pickle
from collections.abc import Callable
from typing import Any

import streamlit as st

from .memo import BoundedCache

__all__ = ["LARGE", "LARGE_CACHE_BYTES", "shared_cache"]

_LOG = logging.getLogger(__name__)

#: a value over its own cache's bound (a heavy link's record: the weights of a deep, wide
#: Maxout network alone are ~15 MB) is kept here instead, shared, at most this many pickled
#: bytes and values; a value over this bound too is never kept (issue 27: every cache's byte
#: bound holds for every entry, instead of Streamlit's "stored anyway")
LARGE_CACHE_BYTES = 40 * 2**20
LARGE = BoundedCache(LARGE_CACHE_BYTES, 2, LARGE_CACHE_BYTES)


class _TooBig(Exception):
    """A value over its cache's byte bound (raised so that st.cache_data does not keep it)."""

    def __init__(self, value: Any, size: int) -> None:
        super().__init__(size)
        self.value, self.size = value, size


def shared_cache(max_bytes: int, max_entries: int,
                 ttl: float | None = None) -> Callable[[Callable], Any]:
    """``st.cache_data`` shared by every session and bounded twice: at most ``max_entries``
    values and at most ``max_bytes`` pickled bytes (Streamlit's ``max_size``: the least
    recently used value goes first; reading one counts as use), and kept at most ``ttl``
    seconds if given. Every cache of the app's pages and of this module uses it, so the memory
    a wave of distinct links leaves behind is bounded by bytes, not by a count of values of
    any size.

    The bound holds for every entry: a value over ``max_bytes`` is not stored (Streamlit would
    keep it alone, over the bound) but goes to :data:`LARGE`, the shared cache of large values
    with its own byte bound, keyed by the function and its arguments."""

    def decorate(fn: Callable) -> Any:
        @functools.wraps(fn)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            value = fn(*args, **kwargs)
            size = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            if size > max_bytes:
                raise _TooBig(value, size)
            return value

        cached = st.cache_data(max_entries=max_entries, max_size=int(max_bytes), ttl=ttl,
                               show_spinner=False)(bounded)
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                key = (name, args, tuple(sorted(kwargs.items())))
                hash(key)
            except TypeError:  # (unhashable arguments: no large-value cache)
                key = None
            if key is not None:
                found, value = LARGE.lookup(key)
                if found:
                    return value
            try:
                return cached(*args, **kwargs)
            except _TooBig as big:
                _LOG.warning("%s: a value of %d pickled bytes is over its cache's bound of "
                             "%d: kept in the large-value cache", name, big.size, max_bytes)
                if key is not None:
                    LARGE.put(key, big.value)
                return big.value

        def clear() -> None:
            cached.clear()
            LARGE.clear()  # (every function's large values: they are few)

        call.clear = clear  # type: ignore[attr-defined]
        call._info = cached._info  # type: ignore[attr-defined]
        call.cached = cached  # type: ignore[attr-defined]
        return call

    return decorate
