"""Background trainings whose partial records a page can poll (no Streamlit here).

``start(key, cfg, slot, ...)`` trains ``cfg`` in a daemon thread (once per key: a second
visitor with the same config polls the same job) and keeps the newest partial record; ``slot``
is a context manager factory bounding concurrent trainings (``explorer.app.runs.training_slot``).
A finished job holds the complete record until the page stores it in the shared cache and
calls ``pop``.

Abandoned work stops: every page that shows a job calls :meth:`Job.touch` with its session on
each poll (the player's fragment, a few times a second), and a reaper thread (:func:`reap`,
every ``REAP_EVERY`` s while jobs exist) cancels a running job once every session that polled
it has been gone (``session_alive``, e.g. Streamlit's ``Runtime.is_active_session``: the tab
was closed) for ``GONE`` s in a row, counted from the pass that first saw them gone: a
reconnect meanwhile (Streamlit keeps the session id) keeps the job. A late poll never cancels
a job whose session is still there (a loaded server's fragment can be late by seconds; a job
cancelled for that started again from epoch 0 on the next poll, for ever). The reaper drops a
finished job nobody polled for ``HOLD`` s. A cancelled training stops at its next epoch
(``Job.run`` checks the flag; one waiting for its slot leaves the queue within
``slots.CHECK_EVERY`` s). A job that ended with an error (``slots.QueueFull``: the server was
busy) is started anew by the next :func:`start` of its key, never handed out again. The table
never holds more than ``MAX_JOBS`` jobs: a start that would exceed it drops finished jobs first
and otherwise returns None (the page trains in its own thread instead, within the same
scheduler).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from ..config import TrainConfig
from ..record import RunRecord
from ..slots import Cancelled
from ..train import iter_train

MAX_JOBS = 16
#: seconds every session that polled a running job must have been gone before it is cancelled
GONE = 0.5
#: seconds a finished job nobody polls is kept
HOLD = 3.0
#: seconds between two passes of the reaper
REAP_EVERY = 0.25


class Job:
    def __init__(self, key: Any, cfg: TrainConfig,
                 source: Callable[[], Iterator[Any]] | None = None, session: Hashable = None,
                 session_alive: Callable[[Hashable], bool] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.key, self.cfg = key, cfg
        #: what the job iterates: partial records, the complete one last (default: iter_train)
        self.source = source or (lambda: iter_train(cfg, every=1))
        self.session_alive = session_alive
        #: the latest partial record (a list of them for a group's job, ``source``)
        self.latest: RunRecord | list[RunRecord] | None = None
        self.done = False
        self.cancelled = False
        self.error: Exception | None = None
        self.clock = clock
        self.started = clock()
        self.finished: float | None = None  # clock() when done
        self.updates = 0
        self.frames: dict[int, dict] = {}  # the player's encoded snapshots (frames.payload)
        #: session -> clock() of its last poll (the heartbeat)
        self.watchers: dict[Hashable, float] = {session: self.started}
        #: (place, seconds) while it waits for a slot (``slots.Scheduler.place``), else None
        self.queue: tuple[int, float] | None = None
        #: clock() of the reaper's pass that first found every polling session gone (None:
        #: one is there)
        self.gone_since: float | None = None

    def touch(self, session: Hashable = None) -> None:
        """A page showed this job now (one heartbeat of ``session``)."""
        self.watchers[session] = self.clock()

    def last_touch(self) -> float:
        return max(self.watchers.values())

    def cancel(self) -> None:
        """Stop at the next epoch (or leave the queue of slots)."""
        self.cancelled = True

    def alive(self) -> bool:
        return not self.cancelled

    def failed(self) -> bool:
        """Ended without a complete record (cancelled, the queue was full, an error)."""
        latest = self.latest if isinstance(self.latest, list) else [self.latest]
        return self.done and (self.error is not None or self.latest is None
                              or not all(r is not None and r.complete for r in latest))

    def _waiting(self, place: int, seconds: float) -> None:
        self.queue = (place, seconds)

    def run(self, slot: Callable[..., AbstractContextManager[Any]],
            pause: Callable[..., Any] | None = None) -> None:
        """Train in ``slot(alive=..., on_wait=...)``; ``pause(ticket, alive)`` after every
        snapshot. A cancelled job ends with ``error`` = :class:`slots.Cancelled`."""
        try:
            with slot(alive=self.alive, on_wait=self._waiting) as ticket:
                self.queue = None
                for rec in self.source():
                    if self.cancelled:
                        raise Cancelled()
                    self.latest = rec  # one reference swap: readers see a whole record
                    self.updates += 1
                    if pause is not None:  # a job with an earlier deadline goes first
                        pause(ticket, self.alive)
        except Exception as exc:  # reported by the page (Cancelled, QueueFull), never a traceback
            self.error = exc
            if isinstance(exc, Cancelled):
                self.latest = None  # nobody will look at it: free it now
                self.frames = {}
        finally:
            self.queue = None
            self.finished = self.clock()
            self.done = True


_JOBS: OrderedDict[Any, Job] = OrderedDict()
_GUARD = threading.Lock()
_REAPER: threading.Thread | None = None


def start(key: Any, cfg: TrainConfig, slot: Callable[..., AbstractContextManager[Any]],
          pause: Callable[..., Any] | None = None, session: Hashable = None,
          session_alive: Callable[[Hashable], bool] | None = None,
          clock: Callable[[], float] = time.monotonic, one_per_session: bool = False,
          source: Callable[[], Iterator[Any]] | None = None) -> Job | None:
    """The job training ``cfg`` (started now if none runs for ``key``), or None when the table
    is full of running jobs. ``pause(ticket, alive)`` is called with what ``slot()`` yields
    after every snapshot (``runs.yield_slot``); ``session_alive(session)`` tells the reaper
    whether a polling session still exists (``clock``: the job's, for the reaper). With
    ``one_per_session`` a new job replaces the unfinished jobs only ``session`` polled (its
    page shows one streamed run: a student who moves a slider ten times trains one run).
    ``source()``: what to iterate instead of ``iter_train(cfg)`` (a group of runs, or the
    player's frames recorded too)."""
    global _REAPER
    with _GUARD:
        job = _JOBS.get(key)
        if job is not None and not job.cancelled and not job.failed():
            job.touch(session)
            return job
        _JOBS.pop(key, None)
        if one_per_session and session is not None:
            for k, j in list(_JOBS.items()):
                if not j.done and set(j.watchers) == {session}:
                    j.cancel()
                    del _JOBS[k]
        while len(_JOBS) >= MAX_JOBS:
            old = next((k for k, j in _JOBS.items() if j.done), None)
            if old is None:
                return None
            del _JOBS[old]
        job = Job(key, cfg, source, session, session_alive, clock)
        _JOBS[key] = job
        if _REAPER is None or not _REAPER.is_alive():
            _REAPER = threading.Thread(target=_reap_forever, daemon=True, name="jobs-reaper")
            _REAPER.start()
    threading.Thread(target=job.run, args=(slot, pause), daemon=True,
                     name=f"train-{abs(hash(key)) % 10**6}").start()
    return job


def reap(now: float | None = None) -> list[Job]:
    """One pass of the reaper: cancel running jobs whose sessions have all been gone for
    ``GONE`` s, drop them and finished jobs nobody polls; the jobs it cancelled or dropped
    (``now``: default each job's clock)."""
    out = []
    with _GUARD:
        for key, job in list(_JOBS.items()):
            t = job.clock() if now is None else now
            if job.done:
                if t - job.last_touch() > HOLD:
                    del _JOBS[key]
                    out.append(job)
                continue
            check = job.session_alive
            if check is None or any(check(s) for s in job.watchers):
                job.gone_since = None  # (back after a reconnect: keep it)
                continue
            if job.gone_since is None:
                job.gone_since = t
            if t - job.gone_since >= GONE:
                job.cancel()
                del _JOBS[key]
                out.append(job)
    return out


def _reap_forever() -> None:
    while True:
        time.sleep(REAP_EVERY)
        try:
            reap()
        except Exception:  # a bad session check must not stop the reaper
            continue


def get(key: Any) -> Job | None:
    with _GUARD:
        return _JOBS.get(key)


def pop(key: Any, job: Job | None = None) -> None:
    """Drop the job of ``key`` (only if it is ``job``, when given: another page may have
    started a new one for the key meanwhile)."""
    with _GUARD:
        if job is None or _JOBS.get(key) is job:
            _JOBS.pop(key, None)


def held() -> int:
    """Jobs in the table now (running or finished, not yet popped)."""
    with _GUARD:
        return len(_JOBS)
