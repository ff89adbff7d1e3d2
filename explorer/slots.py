"""Training slots for a shared server: at most ``slots`` trainings at once, small jobs first.

A lecture hall opens 60 links at once; with a plain semaphore a student who arrives a moment
later with a small Playground run queues behind every Compare page of the wave. Here every
training asks for a slot with its work (multiply-adds, ``labs.budget.run_work``):

* waiting jobs are served smallest first (ties: first come, first served);
* ``reserved`` slots only ever run *small* jobs (work at most ``small``), so the big jobs of a
  wave can never hold every slot: a small job waits for at most one small job to finish;
* a big job that reports progress calls :meth:`Scheduler.pause` between epochs: when a job
  with a higher priority waits for a slot it could use, the big job gives its slot up until it
  is its turn again (it keeps its state; only the CPU is handed over).

Plain Python with ``threading`` (no Streamlit), so the order can be tested by counting.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: a job of at most this much work (``budget.run_work``) is "small": a default Playground run
#: is about 1.1e9, a default Compare page (5 runs) about 6.5e9
SMALL_WORK = 2.0e9


@dataclass(order=True)
class Ticket:
    """One job's place: ordered by (work, arrival)."""

    work: float
    seq: int
    small: bool = field(compare=False, default=False)
    running: bool = field(compare=False, default=False)


class Scheduler:
    """``slots`` training slots, ``reserved`` of them for small jobs only."""

    def __init__(self, slots: int = 2, reserved: int = 1, small: float = SMALL_WORK) -> None:
        if not 0 <= reserved < slots:
            raise ValueError("reserved must leave at least one slot for big jobs")
        self.slots, self.reserved, self.small = slots, reserved, small
        self._cv = threading.Condition()
        self._seq = itertools.count()
        self._waiting: list[Ticket] = []
        self._running: list[Ticket] = []
        #: (event, ticket) history for tests: "start", "pause", "end"
        self.log: list[tuple[str, Ticket]] = []
        self.keep_log = False

    # ------------------------------------------------------------------ state
    @property
    def running(self) -> int:
        return len(self._running)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def _big_running(self, without: Ticket | None = None) -> int:
        return sum(1 for t in self._running if not t.small and t is not without)

    def _may_start(self, t: Ticket, without: Ticket | None = None) -> bool:
        """Could ``t`` start now (if ``without`` gave its slot up)?"""
        running = len(self._running) - (without is not None)
        if running >= self.slots:
            return False
        return t.small or self._big_running(without) < self.slots - self.reserved

    def _next(self) -> Ticket | None:
        startable = [t for t in self._waiting if self._may_start(t)]
        return min(startable) if startable else None

    def _note(self, event: str, t: Ticket) -> None:
        if self.keep_log:
            self.log.append((event, t))

    # ------------------------------------------------------------------ entering / leaving
    def ticket(self, work: float | None) -> Ticket:
        w = math.inf if work is None or not math.isfinite(work) else max(0.0, float(work))
        return Ticket(w, next(self._seq), small=w <= self.small)

    def _wait_turn(self, t: Ticket) -> None:
        """Block (holding the condition) until ``t`` is the best startable ticket; take a slot."""
        self._waiting.append(t)
        self._cv.notify_all()
        while self._next() is not t:
            self._cv.wait()
        self._waiting.remove(t)
        self._running.append(t)
        t.running = True
        self._note("start", t)
        self._cv.notify_all()  # another slot may still be free for the next in line

    def acquire(self, work: float | None = None) -> Ticket:
        with self._cv:
            t = self.ticket(work)
            self._wait_turn(t)
            return t

    def release(self, t: Ticket) -> None:
        with self._cv:
            if t in self._running:
                self._running.remove(t)
            t.running = False
            self._note("end", t)
            self._cv.notify_all()

    @contextmanager
    def slot(self, work: float | None = None) -> Iterator[Ticket]:
        t = self.acquire(work)
        try:
            yield t
        finally:
            self.release(t)

    def pause(self, t: Ticket) -> bool:
        """Give ``t``'s slot to a waiting job with a higher priority that could then start, and
        wait for ``t``'s turn again; False (at once) if nobody better is waiting."""
        with self._cv:
            if not t.running or not any(w < t and self._may_start(w, without=t)
                                        for w in self._waiting):
                return False
            self._running.remove(t)
            t.running = False
            self._note("pause", t)
            self._wait_turn(t)
            return True
