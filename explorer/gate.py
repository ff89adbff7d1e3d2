"""Script runs of a shared server, first come first served (issue 26: big pages starve).

Every session's script runs in a thread of its own, and Python runs one thread at a time: with
ten sessions running their pages at once, each gets a tenth of the interpreter. A Compare link
that builds its charts in 4.8 s alone took 45 s while three clients kept opening small
Playground runs (``scripts/load_test.py --scenarios starve``): each new small run took its
share again, however long the big page had waited.

:class:`Gate` lets at most ``capacity`` full runs of the pages go at once (one by default);
the others wait in arrival order. A run that arrives waits for the runs ahead of it only, and
then shares the interpreter with ``capacity - 1`` others: a page's time under load is about
its own time plus the runs queued before it. The fragments' reruns (the live player, the class's views) do not
pass the gate: they are small and keep a page that trains alive.

Never a deadlock, never a hang: a run passes the gate only when it starts (it holds no lock
of a cache then, so a run inside waits for nobody who waits for the gate) and after
``max_wait`` seconds it goes in anyway. A waiting run whose session is gone (``alive()``
False) leaves the queue (:class:`Left`). Plain Python with ``threading`` and an injectable
clock: the order and the bounds are tested by counting (tests/test_gate.py).
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["CAPACITY", "MAX_WAIT", "Gate", "Left", "capacity_from_env"]

#: full script runs at once. One: a page's script is mostly Python, which runs one thread at
#: a time anyway, and with two inside the big page still got a small share of the interpreter
#: next to a stream of small runs (``scripts/load_test.py --scenarios starve``: ratio 6.6 with
#: two, 1.4 with one, 9.2 without a gate; the small runs served per second stayed the same).
#: The trainings of a browser's pages run in background jobs (explorer/slots.py), not here.
#: The environment variable ``AE_PAGE_RUNS`` (1-64) sets another (64: practically no gate)
CAPACITY = 1


def capacity_from_env(default: int = CAPACITY) -> int:
    """``AE_PAGE_RUNS`` if it is a whole number in 1..64, else ``default``."""
    raw = os.environ.get("AE_PAGE_RUNS", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 64 else default
#: seconds a run waits at most before it goes in anyway (over capacity)
MAX_WAIT = 30.0


class Left(Exception):
    """The session of a waiting run is gone: the run never started."""


class Gate:
    """At most ``capacity`` holders at once, first come first served; see the module."""

    def __init__(self, capacity: int = CAPACITY, max_wait: float = MAX_WAIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity, self.max_wait, self._clock = capacity, max_wait, clock
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self.inside = 0
        #: counts (tests/test_gate.py)
        self.passed = self.waited = self.forced = self.left = 0
        self.peak_inside = 0

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._queue)

    @contextmanager
    def run(self, alive: Callable[[], bool] = lambda: True, poll: float = 0.1,
            on_wait: Callable[[int], None] | None = None) -> Iterator[None]:
        """Hold the gate for the body; wait first while ``capacity`` runs are inside or runs
        that came earlier wait. ``on_wait(runs ahead)`` is called every ``poll`` s of waiting
        (the page shows its place); raises :class:`Left` if ``alive()`` turns False."""
        ticket = object()
        with self._cond:
            start = self._clock()
            self._queue.append(ticket)
            waited = False
            try:
                while not (self._queue[0] is ticket and self.inside < self.capacity):
                    if self._clock() - start >= self.max_wait:
                        self.forced += 1  # (the bound: never a hang)
                        break
                    if not alive():
                        self.left += 1
                        raise Left()
                    if on_wait is not None:
                        n = self._queue.index(ticket)
                        self._cond.release()
                        try:
                            on_wait(n)  # (may raise: the session's next run interrupts it)
                        finally:
                            self._cond.acquire()
                    waited = True
                    self._cond.wait(poll)
            except BaseException:
                self._queue.remove(ticket)
                self._cond.notify_all()
                raise
            self._queue.remove(ticket)
            self.inside += 1
            self.peak_inside = max(self.peak_inside, self.inside)
            self.passed += 1
            self.waited += waited
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self.inside -= 1
                self._cond.notify_all()
