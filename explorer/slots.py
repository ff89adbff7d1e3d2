"""Training slots for a shared server: at most ``slots`` trainings at once, inside a memory
budget, small jobs first but none starved, abandoned ones cancelled.

A lecture hall opens 60 links at once; with a plain semaphore a student who arrives a moment
later with a small Playground run queues behind every Compare page of the wave, and with a
plain smallest-first queue a Compare page waits for ever while small runs keep coming. Here
every training asks for a slot with its work (multiply-adds, ``labs.budget.run_work``) and its
predicted bytes (``labs.budget.page_memory``):

* **order**: each job gets a deadline, its arrival plus ``AGEING`` × its own predicted time
  plus ``WAIT_BOUND`` seconds, and the waiting job with the earliest deadline goes first (ties:
  first come, first served). A small job's deadline is near, so it passes big ones that arrived
  about when it did; a big job's deadline comes all the same, and once it is overdue no later
  job passes it for the resource it waits for: no job waits much more than ``AGEING`` × its
  own time plus ``WAIT_BOUND`` (while the server is not overloaded as a whole);
* **memory**: the predicted bytes of the running and paused jobs, and of ended ones whose
  records a page is still drawing (``release(t, until)``: until ``until()``, e.g. the page's
  script thread ended, at most ``HOLD_MAX`` s), stay within ``memory`` (a job alone always
  runs: one page is bounded by ``budget.PAGE_MEMORY``; a page's own held bytes never block its
  next group), so any mix of allowed links stays within the server's memory; a job that does
  not fit waits;
* ``reserved`` slots only ever run *small* jobs (work at most ``small``), so the big jobs of a
  wave can never hold every slot;
* a big job that reports progress calls :meth:`Scheduler.pause` between epochs: when a job
  with an earlier deadline waits for a slot it could use, the big job gives its slot up until
  it is its turn again (it keeps its state and its memory; only the CPU is handed over);
* **caps**: at most ``per_session`` jobs of one session and ``queue_max`` jobs in total wait
  or run, and the predicted seconds of the waiting jobs stay within ``queue_seconds``: beyond
  them :meth:`Scheduler.enqueue` raises :class:`QueueFull` (the page says the server is busy);
* **cancellation**: :meth:`Scheduler.cancel` takes a waiting job out of the queue (its
  ``acquire`` raises :class:`Cancelled`) and marks a running one, whose next ``pause`` raises
  :class:`Cancelled`; ``acquire(alive=...)`` cancels by itself when ``alive()`` turns False
  (the session that asked for it is gone).

:meth:`Scheduler.place` gives a waiting job's place in the queue and an estimate of its wait.
Plain Python with ``threading`` (no Streamlit) and an injectable clock, so the order, the caps
and the budget are tested by counting (tests/test_scheduler.py).
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: a job of at most this much work (``budget.run_work``) is "small": a default Playground run
#: is about 2.2e9 with the player's dense frames (1.1e9 without), a default Compare page (5
#: runs) about 6.5e9 (10e9 with its frames)
SMALL_WORK = 2.5e9
#: a job waits at most about AGEING × its own predicted time + WAIT_BOUND seconds
AGEING = 1.0
WAIT_BOUND = 1.0
#: CPU seconds of one unit of work (``budget.SECONDS_PER_WORK``; the pages pass theirs)
SECONDS_PER_WORK = 1.0e-10
#: caps on queued work: jobs of one session (waiting or running), jobs in all, and the
#: predicted seconds of all waiting jobs
PER_SESSION = 4
QUEUE_MAX = 64
QUEUE_SECONDS = 900.0
#: seconds between two checks of a waiting job's ``alive()`` and ``on_wait``
CHECK_EVERY = 0.25
#: at most this many seconds a finished job's bytes stay held (``release(until=...)``)
HOLD_MAX = 10.0


class Cancelled(Exception):
    """The job was cancelled (its session left): stop, keep nothing."""


class QueueFull(Exception):
    """Too much work waits already (in all, or for this session): try again later."""

    def __init__(self, waiting: int, per_session: bool) -> None:
        super().__init__(f"{waiting} jobs wait" + (" for this session" if per_session else ""))
        self.waiting, self.per_session = waiting, per_session


@dataclass(order=True)
class Ticket:
    """One job's place: ordered by (deadline, arrival)."""

    deadline: float
    seq: int
    work: float = field(compare=False, default=0.0)
    bytes: float = field(compare=False, default=0.0)
    seconds: float = field(compare=False, default=0.0)  # predicted CPU seconds
    session: Hashable = field(compare=False, default=None)
    small: bool = field(compare=False, default=False)
    running: bool = field(compare=False, default=False)
    started: bool = field(compare=False, default=False)  # ran once (holds its memory)
    cancelled: bool = field(compare=False, default=False)
    arrived: float = field(compare=False, default=0.0)
    began: float | None = field(compare=False, default=None)  # first start (clock)
    owner: int = field(compare=False, default=0)  # the thread that asked for it
    #: after the job: its bytes stay held until ``until()`` is True (or HOLD_MAX s)
    until: Callable[[], bool] | None = field(compare=False, default=None)
    hold_end: float = field(compare=False, default=0.0)


class Lanes:
    """The state of the slots: ``slots`` training slots (``reserved`` of them for small jobs
    only), ``memory`` predicted bytes for the running and paused jobs, the waiting tickets in
    deadline order and what the queue looks like (no blocking here: :class:`Scheduler`)."""

    def __init__(self, slots: int = 2, reserved: int = 1, small: float = SMALL_WORK,
                 memory: float = math.inf, seconds_per_work: float = SECONDS_PER_WORK,
                 ageing: float = AGEING, bound: float = WAIT_BOUND,
                 per_session: int = PER_SESSION, queue_max: int = QUEUE_MAX,
                 queue_seconds: float = QUEUE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not 0 <= reserved < slots:
            raise ValueError("reserved must leave at least one slot for big jobs")
        self.slots, self.reserved, self.small = slots, reserved, small
        self.memory, self.seconds_per_work = memory, seconds_per_work
        self.ageing, self.bound = ageing, bound
        self.per_session, self.queue_max, self.queue_seconds = (per_session, queue_max,
                                                                queue_seconds)
        self.clock = clock
        self._cv = threading.Condition()
        self._seq = itertools.count()
        self._waiting: list[Ticket] = []
        self._running: list[Ticket] = []
        self._paused: list[Ticket] = []  # started, gave their slot up: hold their memory
        self._holding: list[Ticket] = []  # ended, their records still drawn: hold memory
        #: (work, predicted seconds, seconds waited) of the last jobs at their first start
        self.waits: deque[tuple[float, float, float]] = deque(maxlen=256)
        #: (event, ticket) history for tests: "start", "pause", "end", "cancel"
        self.log: list[tuple[str, Ticket]] = []
        self.keep_log = False
        self.cancelled = 0  # jobs cancelled so far (tests and the load script count them)

    # ------------------------------------------------------------------ state
    @property
    def running(self) -> int:
        return len(self._running)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    @property
    def held_bytes(self) -> float:
        """Predicted bytes of the running and paused jobs and of the ended ones whose
        records are still in use (``release(t, until)``)."""
        return float(sum(t.bytes for t in self._running + self._paused + self._holding))

    def _big_running(self) -> int:
        return sum(1 for t in self._running if not t.small)

    def _blocked(self, t: Ticket) -> str:
        """Why ``t`` cannot start now: "" (it can), "slots", "big" (the big lane is full) or
        "memory"."""
        if len(self._running) >= self.slots:
            return "slots"
        if not t.small and self._big_running() >= self.slots - self.reserved:
            return "big"
        held = self.held_bytes - (t.bytes if t in self._paused else 0.0)
        # the bytes a page of the same session (or thread) still draws never block it: that
        # session waits for its own page, whose next run is what the session now asks for (a
        # finished streamed job held until its page drops it, and that page's own script run
        # asking for the frame it shows would otherwise wait for itself until HOLD_MAX)
        held -= sum(h.bytes for h in self._holding
                    if h.owner == t.owner or (t.session is not None and h.session == t.session))
        if held > 0 and held + t.bytes > self.memory:
            return "memory"
        return ""

    def _note(self, event: str, t: Ticket) -> None:
        if self.keep_log:
            self.log.append((event, t))

    def _grant(self) -> None:
        """Start every waiting ticket that may start, earliest deadline first. Behind an
        overdue ticket that cannot start, only small jobs that take neither its memory nor
        its lane pass (a free small slot while the big lane is full)."""
        now = self.clock()
        for h in list(self._holding):  # the memory of pages that have drawn comes back
            try:
                free = h.until is None or h.until()
            except Exception:
                free = True
            if free or now >= h.hold_end:
                self._holding.remove(h)
        overdue_big_lane = overdue_memory = False
        for t in sorted(self._waiting):
            why = self._blocked(t)
            if not why and (overdue_big_lane and not t.small
                            or overdue_memory and t not in self._paused):
                continue  # (a paused job resumes: it holds its memory already)
            if not why:
                self._start(t, now)
                continue
            if t.deadline <= now:
                if why == "big":
                    overdue_big_lane = True
                elif why == "memory":
                    overdue_memory = True
                elif why == "slots":
                    break
        if self._waiting and not self._running and not self._holding:
            # never stuck: with nothing running nor drawing, the first in line starts
            self._start(min(self._waiting, key=lambda t: (t not in self._paused, t)), now)
        self._cv.notify_all()

    def _start(self, t: Ticket, now: float) -> None:
        self._waiting.remove(t)
        if t in self._paused:
            self._paused.remove(t)
        self._running.append(t)
        t.running = t.started = True
        if t.began is None:
            t.began = now
            self.waits.append((t.work, t.seconds, now - t.arrived))
        self._note("start", t)

    def ticket(self, work: float | None, nbytes: float = 0.0, session: Hashable = None) -> Ticket:
        w = math.inf if work is None or not math.isfinite(work) else max(0.0, float(work))
        b = 0.0 if not math.isfinite(nbytes) else max(0.0, float(nbytes))
        secs = w * self.seconds_per_work if math.isfinite(w) else self.queue_seconds
        now = self.clock()
        return Ticket(now + self.ageing * secs + self.bound, next(self._seq), w, b, secs,
                      session, small=w <= self.small, arrived=now, owner=threading.get_ident())

    def _place(self, t: Ticket) -> tuple[int, float]:
        order = sorted(self._waiting)
        place = order.index(t) + 1 if t in order else 0
        now = self.clock()
        left = sum(max(0.0, r.seconds - (now - (now if r.began is None else r.began)))
                   for r in self._running)
        ahead = sum(q.seconds for q in order[:max(0, place - 1)])
        lanes = self.slots if t.small else self.slots - self.reserved
        return place, (left + ahead) / max(1, lanes)

    def place(self, t: Ticket) -> tuple[int, float]:
        """``t``'s place in the queue (1 = next; 0 = not waiting) and the estimated seconds
        until it starts (the predicted time of the jobs running and ahead of it)."""
        with self._cv:
            return self._place(t)

    def outlook(self, work: float | None, nbytes: float = 0.0) -> tuple[int, float]:
        """Where a job would stand if it came now (place 0: it would start at once)."""
        with self._cv:
            t = self.ticket(work, nbytes)
            if not self._blocked(t) and not any(w < t for w in self._waiting):
                return 0, 0.0
            self._waiting.append(t)
            try:
                return self._place(t)
            finally:
                self._waiting.remove(t)


class Scheduler(Lanes):
    """Slots to wait for: enqueue, wait, release, cancel, pause (see the module)."""

    def enqueue(self, work: float | None = None, nbytes: float = 0.0,
                session: Hashable = None) -> Ticket:
        """Put a job in the queue (it starts at once if it may): its ticket. Raises
        :class:`QueueFull` over the caps."""
        with self._cv:
            t = self.ticket(work, nbytes, session)
            queued = self._waiting + self._running  # (a paused job waits: counted once)
            if session is not None:
                mine = sum(1 for q in queued if q.session == session)
                if mine >= self.per_session:
                    raise QueueFull(mine, per_session=True)
            waiting_s = sum(q.seconds for q in self._waiting)
            if len(queued) >= self.queue_max or (
                    self._waiting and waiting_s + t.seconds > self.queue_seconds):
                raise QueueFull(len(self._waiting), per_session=False)
            self._waiting.append(t)
            self._grant()
            return t

    def wait(self, t: Ticket, alive: Callable[[], bool] | None = None,
             on_wait: Callable[[int, float], None] | None = None) -> Ticket:
        """Block until ``t`` runs. Every ``CHECK_EVERY`` s while it waits: ``alive()`` (False:
        the job is cancelled) and ``on_wait(place, seconds)`` (its place in the queue and the
        estimated wait; called without the lock held). Raises :class:`Cancelled`."""
        while True:
            with self._cv:
                if not t.running and not t.cancelled and t in self._waiting:
                    if not self._cv.wait(CHECK_EVERY):
                        self._grant()  # (held memory may have come back meanwhile)
                if t.running:
                    return t
                if t.cancelled or t not in self._waiting:
                    raise Cancelled()
                info = self._place(t) if on_wait is not None else None
            if alive is not None and not alive():
                self.cancel(t)
                raise Cancelled()
            if on_wait is not None and info is not None:
                on_wait(*info)

    def acquire(self, work: float | None = None, nbytes: float = 0.0, session: Hashable = None,
                alive: Callable[[], bool] | None = None,
                on_wait: Callable[[int, float], None] | None = None) -> Ticket:
        return self.wait(self.enqueue(work, nbytes, session), alive, on_wait)

    def release(self, t: Ticket, until: Callable[[], bool] | None = None) -> None:
        """The job ended (or gave up): its slot is free, and its memory too, or once
        ``until()`` is True (its records are drawn; at most HOLD_MAX s) if it ran."""
        with self._cv:
            for lst in (self._running, self._waiting, self._paused):
                if t in lst:
                    lst.remove(t)
            if until is not None and t.started and t.bytes > 0 and not t.cancelled:
                t.until, t.hold_end = until, self.clock() + HOLD_MAX
                self._holding.append(t)
            t.running = False
            self._note("end", t)
            self._grant()

    def cancel(self, t: Ticket) -> None:
        """Cancel ``t``: out of the queue if it waits (its ``wait`` raises), marked if it runs
        (its next :meth:`pause` raises); its owner still calls :meth:`release`."""
        with self._cv:
            if t.cancelled:
                return
            t.cancelled = True
            self.cancelled += 1
            self._note("cancel", t)
            if not t.running:
                for lst in (self._waiting, self._paused):
                    if t in lst:
                        lst.remove(t)
            self._grant()

    @contextmanager
    def slot(self, work: float | None = None, nbytes: float = 0.0, session: Hashable = None,
             alive: Callable[[], bool] | None = None,
             on_wait: Callable[[int, float], None] | None = None,
             until: Callable[[], bool] | None = None) -> Iterator[Ticket]:
        t = self.enqueue(work, nbytes, session)
        try:
            yield self.wait(t, alive, on_wait)
        finally:
            self.release(t, until)

    def pause(self, t: Ticket, alive: Callable[[], bool] | None = None) -> bool:
        """Between two epochs: raise :class:`Cancelled` if ``t`` was cancelled (or ``alive()``
        is False); give ``t``'s slot to a waiting job with an earlier deadline that could then
        start, and wait for ``t``'s turn again; False (at once) if nobody better waits."""
        if alive is not None and not alive():
            self.cancel(t)
        with self._cv:
            if t.cancelled:
                raise Cancelled()
            if not t.running:
                return False
            self._running.remove(t)  # as if it gave its slot up (keeping its memory):
            self._paused.append(t)  # who could start then?
            better = any(w < t and not self._blocked(w) for w in self._waiting)
            if not better:
                self._paused.remove(t)
                self._running.append(t)
                return False
            t.running = False
            self._waiting.append(t)
            self._note("pause", t)
            self._grant()
        self.wait(t, alive)
        return True
