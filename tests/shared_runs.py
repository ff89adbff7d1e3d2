"""Training runs shared by test modules, and across pytest-xdist workers (issue 27, item 5).

Several modules train the same configs: tests/test_lesson.py checks every step's verdict on
seeds 0-4 and tests/test_lesson_seeds.py counts the same steps over the same seeds. Training is
deterministic (randomness from the config's seed only), so a run is trained once per pytest
session: kept in this process, and pickled into a directory of the session that every xdist
worker reads (``AE_TEST_RUN``, set by tests/conftest.py; a file lock per key, so two workers
asking for the same run wait for one training instead of doing it twice).

Callers get the same object on every call of one process (as the module-level memos before):
a test that changes a result copies it first.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ENV = "AE_TEST_RUN"

_MEMO: dict[str, Any] = {}


def cache_dir() -> Path | None:
    """The session's shared directory (None outside a session that set ``AE_TEST_RUN``)."""
    run = os.environ.get(ENV)
    if not run:
        return None
    return Path(tempfile.gettempdir()) / f"ae-tests-{run}"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def memo(key: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per session for ``key`` (a complete description of what it computes)."""
    if key in _MEMO:
        return _MEMO[key]
    folder = cache_dir()
    if folder is None:
        _MEMO[key] = value = compute()
        return value
    path = folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pkl")
    with _locked(path):
        if path.exists():
            value = pickle.loads(path.read_bytes())
        else:
            value = compute()
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
    _MEMO[key] = value
    return value


def trainer(cfgs) -> list:
    """``explorer.train_many``, memoised for the session (TrainConfig's repr names every field)."""
    from explorer import train_many

    cfgs = tuple(cfgs)
    return memo("train_many" + repr(cfgs), lambda: train_many(list(cfgs)))


def step_result(n: int, seed: int = 0, **changes) -> dict:
    """``lesson.step(n).run(seed, trainer, changes)``, memoised for the session."""
    from explorer import lesson

    key = f"lesson.step({n}).run({seed}, {sorted(changes.items())!r})"
    return memo(key, lambda: lesson.step(n).run(seed, trainer, changes or None))
