"""Golden outputs of the runs the pages show, flattened to ``{path: array}`` for one npz file.

``python -m tests.golden.outputs`` records them (``tests/golden/outputs.npz``); the test
``tests/test_golden.py`` recomputes them and compares to 1e-12. Recorded before the redesign
(issue 24), so a refactor that changes any number shows here. Regenerate only with a change
that means to alter the numbers, and say in its commit which and why.

What is recorded:
* ``playground``: the default Playground run (``TrainConfig()``, trained alone);
* ``compare``: the default Compare page (``compare.BASE`` × ``compare.DEFAULT_ACTS``, trained
  as the page trains them, grouped into stacks);
* ``lesson.N``: every Lesson step's result on seed 0, except step 4 (``cost``, a timing).

For each record: the history, the per-layer statistics at every checkpoint, the unit history
and the boundary's class probabilities at the last checkpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

PATH = Path(__file__).with_name("outputs.npz")
#: Lesson steps whose result is a timing (not reproducible number for number)
TIMED_STEPS = ("cost",)


def _flat(prefix: str, value: Any, out: dict[str, np.ndarray]) -> None:
    from explorer.record import RunRecord

    if isinstance(value, RunRecord):
        _record(prefix, value, out)
    elif isinstance(value, pd.DataFrame):
        for col in value.columns:
            _flat(f"{prefix}.{col}", value[col].to_numpy(), out)
    elif isinstance(value, pd.Series):
        _flat(prefix, value.to_numpy(), out)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _flat(f"{prefix}.{k}", v, out)
    elif isinstance(value, (list, tuple)) and not all(
            isinstance(v, (int, float, bool, np.number, type(None))) for v in value):
        for i, v in enumerate(value):
            _flat(f"{prefix}[{i}]", v, out)
    elif isinstance(value, str):
        out[prefix] = np.array(value)
    elif value is None:
        out[prefix] = np.array("None")
    else:
        arr = np.asarray(value)
        if arr.dtype == object:
            arr = np.array([str(v) for v in arr.ravel()])
        elif arr.dtype.kind in "biuf":
            arr = arr.astype(np.float64)
        out[prefix] = arr


def _record(prefix: str, rec: Any, out: dict[str, np.ndarray]) -> None:
    _flat(f"{prefix}.history", rec.history, out)
    _flat(f"{prefix}.stats", pd.DataFrame(rec.stats_rows), out)
    _flat(f"{prefix}.units", rec.unit_history, out)
    out[f"{prefix}.boundary"] = np.asarray(rec.grid_p[-1], dtype=np.float64)
    out[f"{prefix}.checkpoints"] = np.asarray(rec.checkpoints, dtype=np.float64)
    out[f"{prefix}.diverged_at"] = np.array(str(rec.diverged_at))


def compute() -> dict[str, np.ndarray]:
    """Every golden output, computed now."""
    from explorer import compare, lesson
    from explorer.config import TrainConfig
    from explorer.train import train

    out: dict[str, np.ndarray] = {}
    _record("playground", train(TrainConfig()), out)
    cfgs, _ = compare.configs_for(compare.BASE, compare.DEFAULT_ACTS)
    for a, rec in zip(compare.DEFAULT_ACTS, compare.train_grouped(cfgs), strict=True):
        _record(f"compare.{a}", rec, out)
    for n in range(1, lesson.N_STEPS + 1):
        step = lesson.step(n)
        if step.name in TIMED_STEPS:
            continue
        _flat(f"lesson.{n}.{step.name}", step.run(0), out)
    return out


def load() -> dict[str, np.ndarray]:
    with np.load(PATH, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


if __name__ == "__main__":
    data = compute()
    np.savez_compressed(PATH, **data)
    print(f"{len(data)} arrays -> {PATH} ({PATH.stat().st_size} bytes)")
