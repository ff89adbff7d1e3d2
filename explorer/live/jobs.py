"""Background trainings whose partial records a page can poll (no Streamlit here).

``start(key, cfg, slot)`` trains ``cfg`` in a daemon thread (once per key: a second visitor
with the same config polls the same job) and keeps the newest partial record; ``slot`` is a
context manager factory bounding concurrent trainings (``explorer.app.runs.training_slot``). A finished job
holds the complete record until the page stores it in the shared cache and calls ``pop``.
The set of jobs is bounded (``MAX_JOBS``): old finished ones are dropped first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from ..config import TrainConfig
from ..record import RunRecord
from ..train import iter_train

MAX_JOBS = 16


class Job:
    def __init__(self, key: Any, cfg: TrainConfig) -> None:
        self.key, self.cfg = key, cfg
        self.latest: RunRecord | None = None
        self.done = False
        self.error: Exception | None = None
        self.started = time.monotonic()
        self.finished: float | None = None  # time.monotonic() when done
        self.updates = 0
        self.frames: dict[int, dict] = {}  # the player's encoded snapshots (frames.payload)

    def run(self, slot: Callable[[], AbstractContextManager[Any]],
            pause: Callable[[Any], Any] | None = None) -> None:
        try:
            with slot() as ticket:
                for rec in iter_train(self.cfg, every=1):
                    self.latest = rec  # one reference swap: readers see a whole record
                    self.updates += 1
                    if pause is not None:  # a smaller job waiting for a slot goes first
                        pause(ticket)
        except Exception as exc:  # reported by the page, never a traceback
            self.error = exc
        finally:
            self.finished = time.monotonic()
            self.done = True


_JOBS: OrderedDict[Any, Job] = OrderedDict()
_GUARD = threading.Lock()


def start(key: Any, cfg: TrainConfig, slot: Callable[[], AbstractContextManager[Any]],
          pause: Callable[[Any], Any] | None = None) -> Job:
    """The job training ``cfg`` (started now if none runs for ``key``); ``pause(ticket)`` is
    called with what ``slot()`` yields after every snapshot (``runs.yield_slot``)."""
    with _GUARD:
        job = _JOBS.get(key)
        if job is not None:
            return job
        job = Job(key, cfg)
        _JOBS[key] = job
        while len(_JOBS) > MAX_JOBS:
            old = next((k for k, j in _JOBS.items() if j.done), None)
            if old is None:
                break
            del _JOBS[old]
    threading.Thread(target=job.run, args=(slot, pause), daemon=True,
                     name=f"train-{abs(hash(key)) % 10**6}").start()
    return job


def get(key: Any) -> Job | None:
    with _GUARD:
        return _JOBS.get(key)


def pop(key: Any) -> None:
    with _GUARD:
        _JOBS.pop(key, None)
