"""Compare's columns trained live: ``iter_group(cfgs)`` yields every column's partial record
together, so each column's player animates while the whole group trains (no Streamlit).

The configs are trained in the stacks ``train_many`` builds (``labs.budget.engine_stacks``:
same data, batches, optimiser and shapes; Maxout apart when padding would cost more), each a
``Trainer``; the stacks advance in turn, one checkpoint each, so no column waits for another
stack to finish. Every record equals ``train_many``'s (a stack computes the same whatever runs
beside it); ``wall_time`` counts only the stack's own time (the time it waited for the others
is taken out), as ``train_many``'s does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from ..config import TrainConfig
from ..frame_stream import FrameSpec
from ..record import RunRecord
from ..train import DATA_FIELDS, Trainer, data_for


def iter_group(cfgs: Sequence[TrainConfig], frames: FrameSpec | None = None,
               ) -> Iterator[list[RunRecord]]:
    """Every config's partial record after each round of checkpoints (once all have one),
    then the complete records, in the order of ``cfgs``."""
    from ..labs.budget import engine_stacks

    cfgs = list(cfgs)
    stacks = engine_stacks(cfgs)
    datasets: dict[tuple, object] = {}
    trainers = []
    for idx in stacks:
        c0 = cfgs[idx[0]]
        key = tuple(getattr(c0, f) for f in DATA_FIELDS)
        if key not in datasets:
            datasets[key] = data_for(c0)
        trainers.append(Trainer([cfgs[i] for i in idx], datasets[key], frames))
    loops = [t.run() for t in trainers]
    out: list[RunRecord | None] = [None] * len(cfgs)
    going = list(range(len(trainers)))
    suspended: list[float | None] = [None] * len(trainers)
    while going:
        for j in list(going):
            t = trainers[j]
            if suspended[j] is not None:  # the time it waited is not the stack's own
                t.t0 += time.perf_counter() - suspended[j]
            try:
                next(loops[j])
            except StopIteration:
                going.remove(j)
                continue
            suspended[j] = time.perf_counter()
            for i, rec in zip(stacks[j], t.records(complete=False), strict=True):
                out[i] = rec
        if going and all(r is not None for r in out):
            yield list(out)  # type: ignore[arg-type]
    final: list[RunRecord | None] = [None] * len(cfgs)
    for idx, t in zip(stacks, trainers, strict=True):
        for i, rec in zip(idx, t.records(complete=True), strict=True):
            final[i] = rec
    yield final  # type: ignore[misc]
