"""Training: a pure function of a config (or a list of configs) to run records.

``train(cfg)`` trains one network; ``iter_train(cfg)`` yields partial records at checkpoints
(so a page can draw while it trains); ``train_many(cfgs)`` trains several networks at once:
configs that agree on the data, batch order and optimiser settings and whose layer shapes
match (e.g. sigmoid, tanh, ReLU, Leaky ReLU side by side) share one stacked parameter array,
one batch order and one set of matrix products, which is much cheaper than one by one. Small
Maxout networks join such a stack too (the others' layers padded to k pieces, see
``network``). A model trains the same alone or in a stack (the tests check 1e-12; in practice
the numbers are identical).

A stack is trained by ``trainer.Trainer`` in named steps (train an epoch, record it, take a
checkpoint's statistics, build the records), all on the engine's one forward / backward path
(``explorer.fastpath``): training, the per-epoch history and the checkpoint statistics use the
same feature-major pass, every statistic computed for all models at once, and BLAS runs on one
thread (see ``engine``).

Randomness: the data come from ``make_data(..., seed)``; initial weights and batch order from
the config's seed (see ``trainer``). Nothing touches global state.

The gradient statistics at a checkpoint use the **full training set**: one extra backward pass
(no update) on the forward pass the epoch's history has just made at the same parameters (its
training columns), so a checkpoint adds no second forward pass over the data. A model whose training loss or parameters become NaN/inf stops at
that epoch: ``diverged_at`` is set, the history ends before it, and the other models of the
stack carry on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from .activations import ACTIVATIONS
from .config import TrainConfig
from .datasets import Dataset, make_data
from .fastpath import engine
from .frame_stream import FrameSpec
from .record import RunRecord
from .trainer import HISTORY_COLUMNS, Trainer, checkpoint_epochs

__all__ = ["DATA_FIELDS", "HISTORY_COLUMNS", "MERGE_MACS", "PER_MODEL", "Trainer",
           "checkpoint_epochs", "data_for", "engine", "group_key", "iter_train",
           "split_stacks", "train", "train_many"]

#: fields that may differ between models trained in one stack
PER_MODEL = {"activation", "layer_activations", "leaky_slope", "elu_alpha", "init", "init_scale",
             "bias_init", "lr"}
DATA_FIELDS = ("dataset", "n_samples", "noise", "test_fraction", "n_classes", "seed")


def data_for(cfg: TrainConfig) -> Dataset:
    return make_data(cfg.dataset, cfg.n_samples, cfg.noise, cfg.test_fraction,
                     cfg.effective_classes(), cfg.seed)


def group_key(cfg: TrainConfig) -> tuple:
    """Configs with equal keys can share a stack: same data, batches, optimiser and shapes
    (Maxout and ordinary layers of the same width can share one, see ``split_stacks``)."""
    shared = tuple((k, v) for k, v in cfg.to_dict().items() if k not in PER_MODEL)
    return shared + (tuple(ACTIVATIONS[a].learned for a in cfg.hidden_activations()),)


def _pieces(cfg: TrainConfig) -> tuple[bool, ...]:
    return tuple(ACTIVATIONS[a].pieces for a in cfg.hidden_activations())


#: merge Maxout and ordinary models into one stack while the padding costs at most this many
#: extra multiply-adds per batch (~20 µs): about what a separate stack's per-step overhead costs
MERGE_MACS = 250_000


def split_stacks(cfgs: Sequence[TrainConfig], idx: list[int]) -> list[list[int]]:
    """Split a group of stackable configs into the stacks to train.

    Models whose Maxout layers differ (some Maxout, some not at a layer) can share a stack by
    padding the ordinary models' layer to k pieces; that is exact (see ``network``) but costs
    (k - 1)·units·(fan_in + 1) multiply-adds three times per sample and padded model, so it is
    done only while that is cheaper than a separate stack."""
    by_pieces: dict[tuple[bool, ...], list[int]] = {}
    for i in idx:
        by_pieces.setdefault(_pieces(cfgs[i]), []).append(i)
    if len(by_pieces) == 1:
        return [idx]
    c0 = cfgs[idx[0]]
    fan_ins = [len(c0.features), *c0.hidden[:-1]]
    extra = 0
    for li, units in enumerate(c0.hidden):
        n_plain = sum(not _pieces(cfgs[i])[li] for i in idx)
        if n_plain < len(idx):  # some Maxout model here: the layer is k pieces wide
            extra += 3 * n_plain * (c0.maxout_k - 1) * units * (fan_ins[li] + 1)
    if extra * min(c0.batch_size, c0.n_train()) <= MERGE_MACS:
        return [idx]
    return list(by_pieces.values())


#: the old name (tests patch ``train._Trainer.__init__`` to count the stacks built)
_Trainer = Trainer


# ---------------------------------------------------------------------- public API
def iter_train(cfg: TrainConfig, data: Dataset | None = None, every: int = 1,
               frames: FrameSpec | None = None) -> Iterator[RunRecord]:
    """Yield a partial record every ``every`` checkpoints, and the complete one last;
    ``frames``: record the player's dense frames too (``frame_stream``)."""
    trainer = Trainer([cfg], data if data is not None else data_for(cfg), frames)
    for i, _ in enumerate(trainer.run()):
        if i % every == 0:
            yield trainer.records(complete=False)[0]
    yield trainer.records(complete=True)[0]


def train(cfg: TrainConfig, data: Dataset | None = None) -> RunRecord:
    """Train one network; returns its complete RunRecord."""
    trainer = Trainer([cfg], data if data is not None else data_for(cfg))
    for _ in trainer.run():
        pass
    return trainer.records(complete=True)[0]


def train_many(cfgs: Sequence[TrainConfig], data: Dataset | None = None,
               progress: Callable[[float], None] | None = None,
               frames: FrameSpec | None = None) -> list[RunRecord]:
    """Train several configs; same-shaped ones that share data and optimiser run stacked
    (Maxout with the others while the padding is cheap, see ``split_stacks``); each record equals
    its config's ``train`` record.

    Returns the records in the order of ``cfgs``. ``progress(fraction)`` is called as it goes.
    ``frames``: record the player's dense frames too (``frame_stream``).
    """
    groups: dict[tuple, list[int]] = {}
    for i, cfg in enumerate(cfgs):
        groups.setdefault(group_key(cfg), []).append(i)
    todo = [st for idx in groups.values() for st in split_stacks(cfgs, idx)]
    out: list[RunRecord | None] = [None] * len(cfgs)
    total = sum(c.epochs for c in cfgs) or 1
    done = 0
    datasets: dict[tuple, Dataset] = {}
    for idx in todo:
        c0 = cfgs[idx[0]]
        if data is None:
            key = tuple(getattr(c0, f) for f in DATA_FIELDS)
            if key not in datasets:
                datasets[key] = data_for(c0)
            d = datasets[key]
        else:
            d = data
        trainer = Trainer([cfgs[i] for i in idx], d, frames)
        for epoch in trainer.run():
            if progress is not None:
                progress(min(1.0, (done + epoch * len(idx)) / total))
        done += c0.epochs * len(idx)
        for i, rec in zip(idx, trainer.records(complete=True), strict=True):
            out[i] = rec
    if progress is not None:
        progress(1.0)
    return out  # type: ignore[return-value]
