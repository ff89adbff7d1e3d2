"""Runs: the one way a page gets run records, for one config (:func:`record`) or many
(:func:`records`), and what bounds them: cache keys, shared caches bounded by pickled bytes
(``caches``), training slots (earliest deadline first, a memory budget), memory given back
after a training. Background jobs whose partial records stream to the live player, and the
player's extra frames, are in ``streams``.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ..config import TrainConfig
from ..datasets import Dataset
from ..labs.budget import BOUNDARY, SECONDS_PER_WORK, page_memory, run_work
from ..live import frames
from ..record import RunRecord
from ..slots import Cancelled, QueueFull, Scheduler
from ..sweep import train_grouped
from ..train import iter_train, train_many
from .caches import LARGE, LARGE_CACHE_BYTES, shared_cache
from .lang import Tr, current_lang

__all__ = ["CACHE_ENTRIES", "DONE", "IDLE", "IDLE_AFTER", "LARGE", "LARGE_CACHE_BYTES",
           "PAGE_CACHE_BYTES", "PRIMED", "RUNS_CACHE_BYTES", "RUN_CACHE_BYTES", "SCHEDULER",
           "SMALL_SLOTS", "TRAINING_MEMORY", "TRAINING_SLOTS", "IdleCollector", "busy",
           "cached", "cfg_from_key", "cfg_key", "forget_trained", "is_active", "job_bytes",
           "job_work", "mark_done", "others_training", "player_frames", "queue_note", "record",
           "records", "release_memory", "session_alive", "session_id", "shared_cache",
           "slot_for", "stop_for", "store_trained", "train_group_cached", "train_live",
           "train_on_data", "train_one_cached", "trained", "training_slot", "yield_slot"]

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


#: at most this many trainings run at once in the server process (the rest wait): one per
#: core (2 at least, 4 at most), so an admitted big job is time-sliced against at most one
#: other training; bounds the CPU and the memory of a shared Community Cloud app (≤ 2 cores,
#: 690 MB) under a class's load.
#: One of them only ever runs small jobs (see explorer/slots.py): a student with a small run
#: is served within a small job's time even while a wave of big pages waits.
TRAINING_SLOTS = max(2, min(4, os.cpu_count() or 2))  # (2 on Community Cloud's 2 cores)
SMALL_SLOTS = 1
#: predicted bytes (``budget.page_memory``) the running and paused trainings may hold together:
#: the 690 MB of a Community Cloud app less the server's own level after a visit of every page
#: (~300 MB) and a margin for the pages drawing meanwhile (load_test.py heavywave)
TRAINING_MEMORY = 220 * 2**20
SCHEDULER = Scheduler(TRAINING_SLOTS, SMALL_SLOTS, memory=TRAINING_MEMORY,
                      seconds_per_work=SECONDS_PER_WORK)


def job_work(cfgs: TrainConfig | Sequence[TrainConfig], frames: bool | str = False) -> float:
    """The work of training these configs (multiply-adds, ``labs.budget.run_work``;
    ``frames``: recording the live player's dense frames too)."""
    return float(sum(run_work(c, frames)
                     for c in ([cfgs] if isinstance(cfgs, TrainConfig) else cfgs)))


def job_bytes(cfgs: TrainConfig | Sequence[TrainConfig], frames: bool | str = False) -> float:
    """The bytes training these configs holds (``labs.budget.page_memory``; ``frames``: with
    the live player's dense frames)."""
    return page_memory([cfgs] if isinstance(cfgs, TrainConfig) else list(cfgs), frames)


def session_id() -> str | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.session_id


def is_active(session_id: Any) -> bool:
    """True while Streamlit still has ``session_id`` connected (False once its tab closed)."""
    try:
        return bool(st.runtime.exists() and st.runtime.get_instance().is_active_session(
            session_id))
    except Exception:  # no runtime (AppTest, a script): nothing to cancel for
        return True


def session_alive() -> Callable[[], bool] | None:
    """A check that the calling script's session is connected (None outside one: AppTest)."""
    sid = session_id()
    if sid is None or not st.runtime.exists():
        return None
    return lambda: is_active(sid)


def _thread_ended() -> Callable[[], bool]:
    """True once the calling thread (a script run's: the page has drawn) has ended."""
    thread = threading.current_thread()
    return lambda: not thread.is_alive()


@contextmanager
def training_slot(work: float | None = None, nbytes: float = 0.0,
                  alive: Callable[[], bool] | None = None,
                  on_wait: Callable[[int, float], None] | None = None,
                  session: Any = None, until: Callable[[], bool] | None = None) -> Iterator[Any]:
    """Hold one of the TRAINING_SLOTS and ``nbytes`` of ``TRAINING_MEMORY`` while training,
    and the bytes until ``until()`` (default: the calling script run has ended, its page
    drawn) (earliest deadline first, explorer/slots.py; unknown work counts as big). ``alive``
    (default: the calling session is connected) cancels the wait; ``on_wait(place, seconds)``
    shows the queue. Yields the ticket, for :func:`yield_slot`. Raises ``slots.Cancelled`` /
    ``slots.QueueFull`` (:func:`stop_for` turns them into a message)."""
    if alive is None:
        alive = session_alive()
    if session is None:
        session = session_id()
    try:
        with SCHEDULER.slot(work, nbytes, session, alive, on_wait,
                            until or _thread_ended()) as ticket:
            yield ticket
    finally:
        release_memory()
        IDLE.poke()


def stop_for(exc: Exception, tr: Callable[..., str] | None = None) -> None:
    """End the script run for a cancelled job (nothing to show) or a full queue (a message)."""
    if isinstance(exc, QueueFull):
        busy(tr or Tr({}, current_lang()), exc)
    st.stop()


def busy(tr: Callable[..., str], exc: QueueFull) -> None:
    """Say that the server's queue is full (for this session, or in all)."""
    st.warning(tr("queue_full_session" if exc.per_session else "queue_full", waiting=exc.waiting))


def queue_note(tr: Callable[..., str], place: int, seconds: float) -> str:
    """The text of a job's place in the queue."""
    return tr("queue_place", place=place, seconds=max(1, round(seconds)))


#: seconds without a training after which the server collects its garbage once
IDLE_AFTER = 3.0


class IdleCollector:
    """Once the trainings have stopped for ``after`` seconds: ``gc.collect()`` and
    ``malloc_trim``, once per quiet spell (the app turns Streamlit's collection after every
    script run off, see .streamlit/config.toml: a wave's cyclic garbage would wait for
    Python's thresholds). Each training ends with :meth:`poke`; the collection runs when no
    training started or ended for ``after`` s and none runs or waits."""

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


def slot_for(cfg: TrainConfig | Sequence[TrainConfig], session: Any = None,
             until: Callable[[], bool] | None = None,
             frames: bool | str = False) -> Callable[..., Any]:
    """A ``training_slot`` factory with the work and bytes of ``cfg`` (one config, or a group
    trained together) (for a background job:
    ``factory(alive=..., on_wait=...)``; ``until``: its bytes are free again; ``frames``:
    recording the live player's dense frames too)."""
    work, nbytes = job_work(cfg, frames), job_bytes(cfg, frames)
    return lambda alive=None, on_wait=None: training_slot(work, nbytes, alive or (lambda: True),
                                                          on_wait, session, until)


def yield_slot(ticket: Any, alive: Callable[[], bool] | None = None) -> None:
    """Between two epochs of a long training: let a waiting job with an earlier deadline have
    the slot first; raises ``slots.Cancelled`` if the job was cancelled (or ``alive()`` is
    False: its session left)."""
    SCHEDULER.pause(ticket, alive)


def others_training() -> bool:
    """True while another training runs besides the caller's (live frames then pause)."""
    return SCHEDULER.running > 1


PRIMED: dict[tuple, RunRecord] = {}
DONE: OrderedDict[tuple, None] = OrderedDict()
_LOCKS: dict[tuple, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@shared_cache(RUN_CACHE_BYTES, CACHE_ENTRIES)
def train_one_cached(key: tuple[tuple[str, str], ...]) -> RunRecord:
    """The record of the config ``key`` (:func:`cfg_key`), shared by every session."""
    primed = PRIMED.pop(key, None)
    if primed is not None:
        return primed
    cfg = cfg_from_key(key)
    alive = session_alive()
    with training_slot(job_work(cfg, True), job_bytes(cfg, True), alive) as ticket:  # (one = train)
        return frames.seal(train_many([cfg], progress=lambda _f: yield_slot(ticket, alive),
                                      frames=player_frames(cfg))[0])


def player_frames(cfg: TrainConfig, network: bool = True,
                  n_classes: int | None = None) -> frames.FrameSpec:
    """What a run shown in the live player records for it: its dense frames
    (``explorer.frame_stream``; ``network``: the diagram's too)."""
    k = cfg.effective_classes() if n_classes is None else n_classes
    return frames.frame_spec(cfg, k, network)


@shared_cache(RUNS_CACHE_BYTES, CACHE_ENTRIES // 2)
def train_group_cached(keys: tuple[tuple[tuple[str, str], ...], ...],
                       dense: bool = False) -> list[RunRecord]:
    """The records of one stack of configs (one group of :func:`records`), shared;
    ``dense``: with the player's dense frames (Compare's columns)."""
    primed = PRIMED.pop(("group", keys, dense), None)
    if primed is not None:
        return primed
    cfgs = [cfg_from_key(k) for k in keys]
    spec = player_frames(cfgs[0], network=False) if dense else None
    alive, what = session_alive(), BOUNDARY if dense else False  # (Compare: boundaries only)
    with training_slot(job_work(cfgs, what), job_bytes(cfgs, what), alive) as ticket:
        return [frames.seal(r) for r in
                train_many(cfgs, progress=lambda _f: yield_slot(ticket, alive), frames=spec)]


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
        if key in DONE:
            DONE.move_to_end(key)
            return train_one_cached(key)
        bar = st.progress(0.0, text=tr("training_progress", epoch=0, total=cfg.epochs))
        rec = None
        alive = session_alive()
        queued = lambda place, secs: bar.progress(0.0, text=queue_note(tr, place, secs))  # noqa: E731
        with training_slot(job_work(cfg, True), job_bytes(cfg, True), alive, queued) as ticket:
            for rec in iter_train(cfg, every=every, frames=player_frames(cfg)):
                yield_slot(ticket, alive)  # a job with an earlier deadline goes first
                bar.progress(min(1.0, rec.epochs_done / cfg.epochs),
                             text=tr("training_progress", epoch=rec.epochs_done,
                                     total=cfg.epochs))
                if draw is not None and not rec.complete:
                    draw(rec)
        out = store_trained(cfg, rec)
        bar.empty()
        return out
    except (Cancelled, QueueFull) as exc:  # the session left / too much work waits
        stop_for(exc, tr)
        raise
    finally:
        lock.release()


def trained(cfg: TrainConfig) -> bool:
    """True if ``cfg``'s record was trained and stored in the shared cache (``train_live`` or
    ``store_trained``): the live player then replays it instead of training it again."""
    return cfg_key(cfg) in DONE


def forget_trained() -> None:
    """Forget which configs were trained (after ``st.cache_data.clear()``: the shared cache no
    longer holds them, so the next visit trains again; nor does the large-value cache)."""
    DONE.clear()
    LARGE.clear()


def store_trained(cfg: TrainConfig, rec: RunRecord) -> RunRecord:
    """Put a complete record trained elsewhere (a background job) into the shared cache."""
    key = cfg_key(cfg)
    PRIMED[key] = frames.seal(rec)
    out = train_one_cached(key)
    PRIMED.pop(key, None)
    DONE[key] = None
    while len(DONE) > CACHE_ENTRIES:
        DONE.popitem(last=False)
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
        alive = session_alive()
        try:  # (work and bytes from cfg's own sizes: a guess)
            with training_slot(job_work(cfg, True), job_bytes(cfg, True), alive) as ticket:
                store[key] = frames.seal(train_many(
                    [cfg], data, progress=lambda _f: yield_slot(ticket, alive),
                    frames=player_frames(cfg, n_classes=data.n_classes))[0])
        except (Cancelled, QueueFull) as exc:
            stop_for(exc, tr)
        while len(store) > 4:
            store.popitem(last=False)
    return store[key]


def cached(cfg: TrainConfig) -> RunRecord | None:
    """``cfg``'s record if it was trained and stored in the shared cache (else None)."""
    return train_one_cached(cfg_key(cfg)) if trained(cfg) else None


def _train_group(cfgs: Sequence[TrainConfig], data: Dataset | None = None,
                 progress: Callable[[float], None] | None = None,
                 dense: bool = False) -> list[RunRecord]:
    """One stack of :func:`records`: trained together in a training slot, cached as one entry."""
    return train_group_cached(tuple(cfg_key(c) for c in cfgs), dense)


def _train_dense_group(cfgs: Sequence[TrainConfig], data: Dataset | None = None,
                       progress: Callable[[float], None] | None = None) -> list[RunRecord]:
    return _train_group(cfgs, data, progress, dense=True)


def records(cfgs: Sequence[TrainConfig], dense: bool = False) -> list[RunRecord]:
    """Train several configs together (stacked where possible), cached.

    Models whose temporary arrays would not fit one stack's memory (``budget.STACK_MEMORY``:
    deep, wide networks on many points) are trained in the consecutive groups of
    ``sweep.train_grouped`` (the one grouping loop), each cached and each in its own
    training slot (a small job waiting for a slot gets it between two groups); every record
    is the same as when stacked. ``dense``: with the player's dense frames (Compare). While the
    server is busy, a note shows the page's place in the queue and its estimated wait; if its
    session leaves, the training stops."""
    what = BOUNDARY if dense else False  # (Compare: boundaries only)
    outlook = (SCHEDULER.outlook(job_work(cfgs, what), job_bytes(cfgs, what)) if cfgs
               else (0, 0.0))
    box = st.empty() if outlook[0] else None  # (only then: the page's elements stay put)
    if box is not None:
        box.caption(queue_note(Tr({}, current_lang()), *outlook))
    try:
        out = train_grouped(cfgs, train_fn=_train_dense_group if dense else _train_group)
    except (Cancelled, QueueFull) as exc:
        stop_for(exc)
        raise
    finally:
        if box is not None:
            box.empty()
    if dense:  # (a browser's next visit replays them: no live training, see stream_group)
        mark_done(("group", tuple(cfg_key(c) for c in cfgs), True))
    return out


def mark_done(key: tuple) -> None:
    DONE[key] = None
    DONE.move_to_end(key)
    while len(DONE) > CACHE_ENTRIES:
        DONE.popitem(last=False)


def record(cfg: TrainConfig, tr: Tr, data: Dataset | None = None) -> RunRecord:
    """The record of one config: trained on ``data`` (an upload, kept in the session) or on
    the built-in data (shared cache; a progress bar while it trains)."""
    if data is not None:
        return train_on_data(cfg, data, tr)
    return train_live(cfg, tr)
