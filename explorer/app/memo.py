"""Built views, shared by every session: the Vega-Lite spec of a chart and the player's
payload, cached by what they are built from (issue 27: a warm visit does no Altair build and
no numpy when nothing changed).

A chart builder (``explorer.charts``) is a pure function of its arguments, so its output is
keyed by the builder and the arguments themselves, never by a key a page writes by hand:
:func:`spec` (a chart, ready for ``display.show_chart``) and :func:`value` (any pure
function's value, e.g. the player's payload). A run record stands in the key for the run it
is (:func:`record_key`: its config, data set, epochs and how it was trained: a record of the
shared caches is a pure function of these); :func:`derived` puts a pure function's result
(a lab's table of the records) into the arguments without computing it on a hit. An
argument that cannot be keyed (an array, a table, an uploaded data set's record, a partial
record that is still training) makes the call uncached: it is built as before.

The cache is bounded twice, like ``runs.shared_cache``: at most :data:`VIEW_CACHE_BYTES`
pickled bytes and :data:`VIEW_CACHE_ENTRIES` values, least recently used out first, and a
value larger than :data:`VIEW_ENTRY_BYTES` is returned but never kept (the bound holds for
every entry). One build per key at a time: a class opening one link builds its charts once.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from ..config import TrainConfig
from ..record import RunRecord
from .lang import Tr

__all__ = ["VIEW_CACHE_BYTES", "VIEW_CACHE_ENTRIES", "VIEW_ENTRY_BYTES", "BoundedCache",
           "Derived", "Uncacheable", "VIEWS", "derived", "key_of", "resolve", "record_key", "value"]

#: pickled bytes the built views keep (a default Playground visit: ~1 MB of specs and payload)
VIEW_CACHE_BYTES = 32 * 2**20
VIEW_CACHE_ENTRIES = 512
#: the largest value kept (a larger one is built every time: a heavy link's payload)
VIEW_ENTRY_BYTES = 8 * 2**20


class Uncacheable(Exception):
    """An argument that has no key (the call is built, not cached)."""


@dataclass(frozen=True)
class Derived:
    """``fn(*args, **kwargs)`` as an argument: keyed by ``fn`` and its arguments, computed
    only when the view is built (:func:`derived`)."""

    fn: Callable[..., Any]
    args: tuple
    kwargs: tuple[tuple[str, Any], ...]

    def __call__(self) -> Any:
        return self.fn(*(resolve(a) for a in self.args),
                       **{k: resolve(v) for k, v in self.kwargs})


def derived(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Derived:
    """``fn(*args, **kwargs)``, computed only if the view it is passed to is built."""
    return Derived(fn, args, tuple(sorted(kwargs.items())))


def resolve(arg: Any) -> Any:
    """An argument's value (a :class:`Derived` computed)."""
    return arg() if isinstance(arg, Derived) else arg


def record_key(rec: RunRecord) -> tuple:
    """The run ``rec`` is: its config, data set, epochs recorded, how it was trained (alone or
    stacked, its wall time). Raises :class:`Uncacheable` for a partial record (still
    training) and one trained on uploaded data (never shared between sessions)."""
    if not rec.complete or rec.data.name == "upload":
        raise Uncacheable("a partial record or an upload's")
    # (cheap attributes only: the history's rows, not a read of its epoch column)
    return ("run", rec.config, rec.data.name, len(rec.history), rec.trained_with,
            float(rec.wall_time), len(rec.checkpoints))


def _fn_key(fn: Callable[..., Any]) -> tuple:
    code = getattr(fn, "__code__", None)
    if code is not None and code.co_freevars:  # a closure: its captured values are no key
        raise Uncacheable(f"{fn.__qualname__} is a closure")
    where = (code.co_filename, code.co_firstlineno) if code is not None else ()
    return ("fn", getattr(fn, "__module__", ""), getattr(fn, "__qualname__", repr(fn)), *where)


def key_of(arg: Any) -> Hashable:
    """A hashable key equal for equal arguments (see the module's docstring)."""
    if arg is None or isinstance(arg, (bool, int, str, bytes)):
        return arg
    if isinstance(arg, float):
        return ("float", repr(arg))  # (NaN equals itself here)
    if isinstance(arg, RunRecord):
        return record_key(arg)
    if isinstance(arg, (list, tuple)):
        return (type(arg).__name__, *(key_of(a) for a in arg))
    if isinstance(arg, dict):
        return ("dict", *sorted((str(k), key_of(v)) for k, v in arg.items()))
    if isinstance(arg, Derived):
        return ("derived", _fn_key(arg.fn), key_of(arg.args), key_of(arg.kwargs))
    if isinstance(arg, Tr):
        return ("tr", id(arg.text), arg.lang)  # (a page's text table: one module-level dict)
    if isinstance(arg, TrainConfig):
        return ("cfg", arg)
    if callable(arg):
        return _fn_key(arg)
    raise Uncacheable(type(arg).__name__)


class BoundedCache:
    """A thread-safe LRU of values bounded by pickled bytes and by entries; a value over
    ``max_entry`` bytes is never kept; one build per key at a time."""

    def __init__(self, max_bytes: int, max_entries: int, max_entry: int) -> None:
        self.max_bytes, self.max_entries, self.max_entry = max_bytes, max_entries, max_entry
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._guard = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.builds = self.hits = self.refused = 0  # counted (tests, the load script)

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._guard:
            self._data.clear()
            self._bytes = 0

    def lookup(self, key: Hashable) -> tuple[bool, Any]:
        """(True, value) if ``key`` is kept (it becomes the most recently used), else
        (False, None)."""
        return self._get(key)

    def _get(self, key: Hashable) -> tuple[bool, Any]:
        with self._guard:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return True, self._data[key][0]
            return False, None

    def get_or_build(self, key: Hashable, build: Callable[[], Any]) -> Any:
        found, out = self._get(key)
        if found:
            return out
        with self._guard:
            lock = self._building.setdefault(key, threading.Lock())
        with lock:  # another session building the same view: wait for it
            found, out = self._get(key)
            if found:
                return out
            out = build()
            self.builds += 1
            self.put(key, out)
        with self._guard:
            if not lock.locked():
                self._building.pop(key, None)
        return out

    def put(self, key: Hashable, value: Any) -> bool:
        """Keep ``value`` (False: it alone is over ``max_entry`` bytes, not kept)."""
        try:
            size = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, TypeError, AttributeError):  # no size: not kept
            self.refused += 1
            return False
        if size > self.max_entry or size > self.max_bytes:
            self.refused += 1
            return False
        with self._guard:
            if key in self._data:
                self._bytes -= self._data.pop(key)[1]
            while self._data and (self._bytes + size > self.max_bytes
                                  or len(self._data) + 1 > self.max_entries):
                self._bytes -= self._data.popitem(last=False)[1][1]
            self._data[key] = (value, size)
            self._bytes += size
        return True


#: the built views of every page (specs and payloads), shared by every session
VIEWS = BoundedCache(VIEW_CACHE_BYTES, VIEW_CACHE_ENTRIES, VIEW_ENTRY_BYTES)


def value(fn: Callable[..., Any], *args: Any, extra_key: Hashable = None,
          **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` from the shared cache of built views (built on a miss; built
    every time if an argument has no key). ``extra_key``: what else the value depends on
    (e.g. projector mode for a spec scaled for it). The value is shared: never change it."""
    try:
        key = ("value", _fn_key(fn), extra_key, key_of(args), key_of(kwargs))
    except Uncacheable:
        return fn(*(resolve(a) for a in args), **{k: resolve(v) for k, v in kwargs.items()})
    return VIEWS.get_or_build(key, lambda: fn(*(resolve(a) for a in args),
                                              **{k: resolve(v) for k, v in kwargs.items()}))
