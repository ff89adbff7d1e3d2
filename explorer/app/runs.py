"""Runs: the one way a page gets run records, for one config (:func:`record`) or many
(:func:`records`), and what bounds them: cache keys, shared caches bounded by pickled bytes,
training slots (small jobs first), memory given back after a training, background jobs whose
partial records stream to the live player (:func:`stream`), and the player's extra frames.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st

from ..config import TrainConfig
from ..datasets import Dataset
from ..labs.budget import run_work
from ..live import frames, jobs
from ..record import RunRecord
from ..slots import Scheduler
from ..sweep import train_grouped
from ..train import iter_train, train, train_many
from .lang import Tr, current_lang
from .memo import BoundedCache

__all__ = ["CACHE_ENTRIES", "IDLE", "IDLE_AFTER", "LARGE", "LARGE_CACHE_BYTES",
           "PAGE_CACHE_BYTES", "POLL", "RUNS_CACHE_BYTES",
           "RUN_CACHE_BYTES", "SCHEDULER", "SMALL_SLOTS", "TRAINING_SLOTS", "IdleCollector",
           "browser_session", "cached", "cfg_from_key", "forget_trained", "cfg_key", "job_work", "others_training",
           "prefix_frame", "record", "records", "release_memory", "shared_cache", "slot_for",
           "store_trained", "stream", "train_group_cached", "train_live", "train_on_data",
           "train_one_cached", "trained", "training_slot", "yield_slot"]

CACHE_ENTRIES = 32  # bounded: a record is ~1-2 MB, so the cache stays well under 100 MB
#: pickled bytes the shared training caches keep (least recently used out first): one run
#: (``train_one_cached``) and the runs of one page (``records``). A link a class keeps
#: opening stays in; a wave of distinct links pushes the oldest out, so after it the memory is
#: back within these bounds of where it was. A default Playground run pickles to ~1 MB, a
#: default Compare page to ~5 MB, the heaviest links to ~15-25 MB (a value over the bound is
#: kept in ``LARGE`` instead, with a warning in the server log).
RUN_CACHE_BYTES = 12 * 2**20
RUNS_CACHE_BYTES = 24 * 2**20
#: the same for a page's own small caches (seed sweep tables, Zig-zag's toy, lesson steps)
PAGE_CACHE_BYTES = 8 * 2**20
#: a value over its own cache's bound (a heavy link's record: the weights of a deep, wide
#: Maxout network alone are ~15 MB) is kept here instead, shared, at most this many pickled
#: bytes and values; a value over this bound too is never kept (issue 27: every cache's byte
#: bound holds for every entry, instead of Streamlit's "stored anyway")
LARGE_CACHE_BYTES = 40 * 2**20
LARGE = BoundedCache(LARGE_CACHE_BYTES, 2, LARGE_CACHE_BYTES)
_LOG = logging.getLogger(__name__)


def cfg_key(cfg: TrainConfig) -> tuple[tuple[str, str], ...]:
    """The cache key of ``cfg``: every field as exact text (floats by ``repr``), so two configs
    share a record only when they are equal (``cfg_from_key`` gives ``cfg`` back)."""
    return tuple(sorted(cfg.to_query(all_fields=True, exact=True).items()))


def cfg_from_key(key: tuple[tuple[str, str], ...]) -> TrainConfig:
    cfg, errors = TrainConfig.from_query(dict(key))
    if errors:
        raise ValueError("; ".join(errors))
    return cfg


def _glibc() -> Any:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not Linux/glibc: nothing to tune
        return None


_LIBC = _glibc()
if _LIBC is not None:
    # Streamlit runs every session in its own thread; glibc gives threads separate malloc
    # arenas whose freed memory is rarely returned, so a lecture hall of sessions inflates the
    # server's resident memory. Two arenas (M_ARENA_MAX = -8) keep it near what is in use.
    _LIBC.mallopt(-8, 2)


def release_memory() -> None:
    """Return freed heap memory to the OS after a training (glibc's malloc_trim)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


#: at most this many trainings run at once in the server process (the rest wait): bounds the
#: CPU and the memory of a shared Community Cloud app (≤ 2 cores, ~1 GB) under a class's load.
#: One of them only ever runs small jobs (see explorer/slots.py): a student with a small run
#: is served within a small job's time even while a wave of big pages waits.
TRAINING_SLOTS = 2
SMALL_SLOTS = 1
SCHEDULER = Scheduler(TRAINING_SLOTS, SMALL_SLOTS)


def job_work(cfgs: TrainConfig | Sequence[TrainConfig]) -> float:
    """The work of training these configs (multiply-adds, ``labs.budget.run_work``)."""
    return float(sum(run_work(c) for c in ([cfgs] if isinstance(cfgs, TrainConfig) else cfgs)))


@contextmanager
def training_slot(work: float | None = None) -> Iterator[Any]:
    """Hold one of the TRAINING_SLOTS while training (smallest ``work`` first; unknown work
    counts as big). Yields the ticket, for :func:`yield_slot`."""
    try:
        with SCHEDULER.slot(work) as ticket:
            yield ticket
    finally:
        release_memory()
        IDLE.poke()


#: seconds without a training after which the server collects its garbage once
IDLE_AFTER = 3.0


class IdleCollector:
    """Once the trainings have stopped for ``after`` seconds: ``gc.collect()`` and
    ``malloc_trim``, once per quiet spell.

    The app turns off Streamlit's full collection after every script run (it would cost the
    live player's fragment reruns most of their time, see .streamlit/config.toml), so the
    cyclic garbage of a wave of page runs (charts, tables) would wait for Python's own
    thresholds and its freed heap for the next training's trim. Each training ends with
    :meth:`poke`; the collection runs when no training has started or ended for ``after``
    seconds (a lecture hall's wave is over) and no training runs or waits."""

    def __init__(self, scheduler: Scheduler, after: float) -> None:
        self.scheduler, self.after = scheduler, after
        self.runs = 0  # collections so far (tests count them)
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def poke(self) -> None:
        """A training ended: (re)start the quiet-spell timer."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.after, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def _collect(self) -> None:
        with self._lock:
            self._timer = None
        if self.scheduler.running or self.scheduler.waiting:
            return  # a training still runs: its end pokes again
        gc.collect()
        release_memory()
        self.runs += 1


IDLE = IdleCollector(SCHEDULER, IDLE_AFTER)


def slot_for(cfg: TrainConfig) -> Callable[[], Any]:
    """A ``training_slot`` factory with ``cfg``'s work (for code that takes a factory)."""
    work = job_work(cfg)
    return lambda: training_slot(work)


def yield_slot(ticket: Any) -> None:
    """Between two epochs of a long training: let a waiting smaller job have the slot first."""
    SCHEDULER.pause(ticket)


def others_training() -> bool:
    """True while another training runs besides the caller's (live frames then pause)."""
    return SCHEDULER.running > 1


_PRIMED: dict[tuple, RunRecord] = {}
_DONE: OrderedDict[tuple, None] = OrderedDict()
_LOCKS: dict[tuple, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


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


@shared_cache(RUN_CACHE_BYTES, CACHE_ENTRIES)
def train_one_cached(key: tuple[tuple[str, str], ...]) -> RunRecord:
    """The record of the config ``key`` (:func:`cfg_key`), shared by every session."""
    primed = _PRIMED.pop(key, None)
    if primed is not None:
        return primed
    cfg = cfg_from_key(key)
    with training_slot(job_work(cfg)) as ticket:  # (train_many of one = train, with pauses)
        return train_many([cfg], progress=lambda _f: yield_slot(ticket))[0]


@shared_cache(RUNS_CACHE_BYTES, CACHE_ENTRIES // 2)
def train_group_cached(keys: tuple[tuple[tuple[str, str], ...], ...]) -> list[RunRecord]:
    """The records of one stack of configs (one group of :func:`records`), shared."""
    cfgs = [cfg_from_key(k) for k in keys]
    with training_slot(job_work(cfgs)) as ticket:
        return train_many(cfgs, progress=lambda _f: yield_slot(ticket))


def _lock(key: tuple) -> threading.Lock:
    with _LOCKS_GUARD:
        if len(_LOCKS) > 256:
            for k in [k for k, lk in _LOCKS.items() if not lk.locked()]:
                del _LOCKS[k]
        return _LOCKS.setdefault(key, threading.Lock())


def train_live(cfg: TrainConfig, tr: Tr, draw: Callable[[RunRecord], None] | None = None,
               every: int = 5) -> RunRecord:
    """Train with a progress bar, calling ``draw(partial_record)`` every few checkpoints.

    The finished record goes into the shared cache; a second visitor with the same config
    gets it at once, and one who arrives while it trains waits for it instead of training.
    """
    key = cfg_key(cfg)
    lock = _lock(key)
    if not lock.acquire(blocking=False):
        with st.spinner(tr("waiting_other")):
            lock.acquire()
    try:
        if key in _DONE:
            _DONE.move_to_end(key)
            return train_one_cached(key)
        bar = st.progress(0.0, text=tr("training_progress", epoch=0, total=cfg.epochs))
        rec = None
        with training_slot(job_work(cfg)) as ticket:
            for rec in iter_train(cfg, every=every):
                yield_slot(ticket)  # a smaller job waiting goes first
                bar.progress(min(1.0, rec.epochs_done / cfg.epochs),
                             text=tr("training_progress", epoch=rec.epochs_done,
                                     total=cfg.epochs))
                if draw is not None and not rec.complete:
                    draw(rec)
        out = store_trained(cfg, rec)
        bar.empty()
        return out
    finally:
        lock.release()


def trained(cfg: TrainConfig) -> bool:
    """True if ``cfg``'s record was trained and stored in the shared cache (``train_live`` or
    ``store_trained``): the live player then replays it instead of training it again."""
    return cfg_key(cfg) in _DONE


def forget_trained() -> None:
    """Forget which configs were trained (after ``st.cache_data.clear()``: the shared cache no
    longer holds them, so the next visit trains again; nor does the large-value cache)."""
    _DONE.clear()
    LARGE.clear()


def store_trained(cfg: TrainConfig, rec: RunRecord) -> RunRecord:
    """Put a complete record trained elsewhere (the live player's background job) into the
    shared cache, as ``train_live`` does; returns the cached record."""
    key = cfg_key(cfg)
    _PRIMED[key] = rec
    out = train_one_cached(key)
    _PRIMED.pop(key, None)
    _DONE[key] = None
    while len(_DONE) > CACHE_ENTRIES:
        _DONE.popitem(last=False)
    return out


def train_on_data(cfg: TrainConfig, data: Dataset, tr: Tr | None = None) -> RunRecord:
    """Train on given (uploaded) data; cached per session only (the data never leave it)."""
    tr = tr or Tr({}, current_lang())
    n_train = len(data.y_train)
    max_epochs = cfg.max_epochs(n_train)
    if cfg.epochs > max_epochs:  # the bound of TrainConfig, applied to the uploaded size
        st.warning(tr("upload_epochs_cut", epochs=cfg.epochs, n=n_train, max=max_epochs))
        cfg = cfg.replace(epochs=max_epochs)
    store = st.session_state.setdefault("_upload_runs", OrderedDict())
    key = (cfg_key(cfg), id(data))
    if key not in store:
        with training_slot(job_work(cfg)) as ticket:  # (work from cfg's own sizes: a guess)
            store[key] = train_many([cfg], data, progress=lambda _f: yield_slot(ticket))[0]
        while len(store) > 4:
            store.popitem(last=False)
    return store[key]


def cached(cfg: TrainConfig) -> RunRecord | None:
    """``cfg``'s record if it was trained and stored in the shared cache (else None)."""
    return train_one_cached(cfg_key(cfg)) if trained(cfg) else None


def _train_group(cfgs: Sequence[TrainConfig], data: Dataset | None = None,
                 progress: Callable[[float], None] | None = None) -> list[RunRecord]:
    """One stack of :func:`records`: trained together in a training slot, cached as one entry."""
    return train_group_cached(tuple(cfg_key(c) for c in cfgs))


def records(cfgs: Sequence[TrainConfig]) -> list[RunRecord]:
    """Train several configs together (stacked where possible), cached.

    Models whose temporary arrays would not fit one stack's memory (``budget.STACK_MEMORY``:
    deep, wide networks on many points) are trained in the consecutive groups of
    ``sweep.train_grouped`` (the one grouping loop), each cached and each in its own
    training slot (a small job waiting for a slot gets it between two groups); every record
    is the same as when stacked."""
    return train_grouped(cfgs, train_fn=_train_group)


def record(cfg: TrainConfig, tr: Tr, data: Dataset | None = None) -> RunRecord:
    """The record of one config: trained on ``data`` (an upload, kept in the session) or on
    the built-in data (shared cache; a progress bar while it trains)."""
    if data is not None:
        return train_on_data(cfg, data, tr)
    return train_live(cfg, tr)


# ---------------------------------------------------------------------------- streamed runs
#: seconds between the fragment reruns that send a training's partial record
POLL = 0.25


@shared_cache(PAGE_CACHE_BYTES, 64)
def _prefix_frame(key: tuple[tuple[str, str], ...], epoch: int) -> dict[str, Any]:
    cfg = cfg_from_key(key)
    prefix_cfg = cfg.prefix(epoch).replace(n_checkpoints=2)  # (changes from epoch on dropped)
    with training_slot(job_work(prefix_cfg)):
        rec = train(prefix_cfg)
    return frames.extra_frame(rec, epoch)


def prefix_frame(cfg: TrainConfig, epoch: int) -> dict[str, Any]:
    """The frame at ``epoch`` (between two snapshots): the same run, trained to ``epoch``."""
    # keyed by the prefix run: a run continued with a new rate at e shares its frames to e
    return _prefix_frame(cfg_key(cfg.prefix(int(epoch))), int(epoch))


def browser_session() -> bool:
    """True in a web browser's session: only a browser reruns a fragment on its timer, so
    only there does a training run in the background. AppTest has no request headers; raw
    websocket clients (scripts/load_test.py) send no browser User-Agent: both get the
    synchronous training of :func:`train_live`."""
    try:
        agent = st.context.headers.get("User-Agent", "")
    except Exception:
        return False
    return "Mozilla/" in agent


def stream(cfg: TrainConfig, box: Any, show: Callable[[RunRecord, dict[int, dict]], None],
           holds: Callable[[jobs.Job], bool], tr: Callable[..., str]) -> None:
    """Nothing if ``cfg`` is already trained (or this is no browser); otherwise train it in a
    background job, show its partial records in ``box`` (``show(partial_record, frame_cache)``
    a few times a second, in a fragment) and stop the script: the fragment reruns the whole
    page once the record is complete and cached. ``holds(job)``: the finished run's player
    still plays it, so the fragment keeps showing it."""
    if trained(cfg) or not browser_session():
        return
    ckey = cfg_key(cfg)
    job = jobs.start(ckey, cfg, slot_for(cfg),  # small runs first (explorer/slots.py)
                     pause=yield_slot)

    def live() -> None:
        if job.done:
            complete = job.error is None and job.latest is not None and job.latest.complete
            if complete:
                store_trained(cfg, job.latest)
                if holds(job):  # the same player plays the finished run to its end
                    show(job.latest, job.frames)
                    return
            jobs.pop(ckey)
            # the fragment's runs drew none of the page's widgets: count them as a run
            # without them, so every widget comes back with its value from the URL (see
            # state.widget_key; Streamlit would show some at their first option)
            st.session_state["_run"] = st.session_state.get("_run", 0) + 1
            st.rerun(scope="app")
        rec = job.latest
        if rec is None or not rec.checkpoints:
            st.caption(tr("waiting_other") if others_training() else
                       tr("training_progress", epoch=0, total=cfg.epochs))
            return
        show(rec, job.frames)  # each snapshot encoded once per job

    with box:
        st.fragment(live, run_every=POLL)()
    st.stop()


def finished_since(job: jobs.Job) -> float | None:
    """Seconds since ``job`` finished (None while it runs)."""
    return None if job.finished is None else time.monotonic() - job.finished
