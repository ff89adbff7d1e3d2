"""Settings at their extremes, through the engine (no Streamlit).

* learning rate 10 with every activation: divergence is reported (``diverged_at``) and what was
  recorded stays finite; nothing is NaN in the history, the boundary or the layer statistics;
* data that cannot be split (too few points per class, one class, no rows): a clear ValueError
  from the data layer before any training, never a crash deep inside the engine;
* the largest Maxout networks at the epoch bound that ``MAX_WORK`` allows: they finish within
  the time budget a shared app can afford (``WORK_BOUND_SECONDS``);
* every activation × initialiser × learning rate {1e-4, 1e-2, 1, 10} for a few epochs, both
  stacked (``train_many``) and one by one (``train``): no exception, no RuntimeWarning
  (``warnings`` turned into errors here, as pytest does with ``-W error::RuntimeWarning``),
  NaN caught and reported the same way by both paths.

The tables iterate over the registries, so a new activation or initialiser is covered.
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from explorer import ACTIVATIONS, DATASETS, INITIALISERS, TrainConfig, make_data, train, train_many
from explorer.config import FIELDS, MAX_LAYERS, MAX_UNITS, MAX_WORK
from explorer.datasets import dataset_from_arrays
from explorer.initialisers import AUTO
from explorer.record import RunRecord
from explorer.train import data_for

ACTS = ACTIVATIONS.names()
INITS = [AUTO, *INITIALISERS.names()]
LRS = (1e-4, 1e-2, 1.0, 10.0)
HISTORY_COLUMNS = ["train_loss", "test_loss", "train_acc", "test_acc"]
#: the longest a single run at the work bound may take on a 2-core machine (seconds); a
#: lecture-hall app that makes one visitor wait longer than this is broken.
WORK_BOUND_SECONDS = 60.0


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    """Any warning (RuntimeWarning from numpy above all) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def assert_sane(rec: RunRecord, snapshots: bool = True) -> None:
    """What a page draws from a record is finite, and divergence is reported consistently.

    ``snapshots=False`` leaves out the checkpoint data (decision-boundary grid, gradient
    statistics), which :func:`snapshot_problems` checks on its own.
    """
    cfg = rec.config
    h = rec.history
    assert len(h) >= 1, "the history must at least hold epoch 0"
    assert h["epoch"].tolist() == list(range(len(h))), "history epochs must be 0, 1, 2, ..."
    values = h[HISTORY_COLUMNS].to_numpy(dtype=np.float64)
    assert np.isfinite(values).all(), f"{cfg.label()}: NaN/inf in the history:\n{h.tail()}"
    if rec.diverged_at is None:
        assert rec.epochs_done == cfg.epochs, "an undiverged run must reach its last epoch"
        assert rec.checkpoints[-1] == cfg.epochs
    else:
        assert 1 <= rec.diverged_at <= cfg.epochs
        # the history stops just before the epoch that went NaN/inf
        assert rec.epochs_done == rec.diverged_at - 1, (rec.diverged_at, rec.epochs_done)
        assert rec.checkpoints[-1] <= rec.epochs_done
    assert rec.checkpoints[0] == 0
    if snapshots:
        problems = snapshot_problems(rec)
        assert not problems, f"{cfg.label()}: " + "; ".join(problems)
    # the tables pages build from a record work
    summary = rec.summary()
    assert summary["diverged_at"] == rec.diverged_at
    assert math.isfinite(summary["final_train_loss"])
    assert len(rec.boundary()) == cfg.grid_size**2
    assert len(rec.grad_hist()) > 0


def snapshot_problems(rec: RunRecord) -> list[str]:
    """Non-finite values in the checkpoint data pages draw (boundary, gradient statistics)."""
    out = []
    nan = ~np.isfinite(rec.grid_p)
    if nan.any():
        cks = [c for c, row in zip(rec.checkpoints, nan) if row.any()]
        out.append(f"{int(nan.sum())} NaN boundary-grid cells at checkpoints {cks}")
    elif not ((rec.grid_p >= 0) & (rec.grid_p <= 1)).all():
        out.append("boundary probabilities outside [0, 1]")
    stats = rec.layer_stats
    hidden = stats["layer"] <= rec.n_hidden
    for col, rows in (("grad_norm", None), ("grad_mean_abs", None), ("dead_frac", hidden),
                      ("saturated_frac", hidden)):
        part = stats if rows is None else stats[rows]
        bad = ~np.isfinite(part[col].to_numpy(dtype=np.float64))
        if bad.any():
            where = part.loc[bad, ["epoch", "layer"]].drop_duplicates("epoch")
            out.append(f"{col} not finite at epochs {where['epoch'].tolist()}")
    return out


# ------------------------------------------------------------------------ learning rate 10


@pytest.mark.parametrize("activation", ACTS)
def test_learning_rate_10_every_activation(activation):
    cfg = TrainConfig(activation=activation, lr=FIELDS["lr"].hi, epochs=30)
    rec = train(cfg)
    assert_sane(rec)


def test_nan_is_caught_and_reported():
    """A run that certainly blows up (linear units, η = 10): reported, not drawn as NaN."""
    cfg = TrainConfig(activation="identity", lr=10.0, epochs=20, init="normal", init_scale=3.0)
    rec = train(cfg)
    assert rec.diverged_at is not None, "a linear net at lr 10 must be reported as diverged"
    assert_sane(rec)
    # the other models of a stack carry on when one diverges
    calm = cfg.replace(lr=0.01)
    recs = train_many([cfg, calm])
    assert recs[0].diverged_at == rec.diverged_at
    assert recs[1].diverged_at is None and recs[1].epochs_done == cfg.epochs
    for r in recs:
        assert_sane(r)


# ------------------------------------------------------------------------ data that cannot split


def _unsplittable() -> list[dict]:
    """Settings (each within its own bounds) whose data cannot be split into train and test
    parts: the smallest test part holds fewer points than there are classes."""
    out = []
    n, tf = int(FIELDS["n_samples"].lo), FIELDS["test_fraction"].lo
    for name in DATASETS.names():
        spec = DATASETS[name]
        lo, hi = spec.classes
        if spec.fixed_size is None and lo != hi and math.ceil(n * tf) < hi:
            out.append(dict(dataset=name, n_classes=hi, n_samples=n, test_fraction=tf))
    return out


UNSPLITTABLE = _unsplittable()


def test_there_are_unsplittable_settings():
    assert UNSPLITTABLE


@pytest.mark.parametrize("kw", UNSPLITTABLE, ids=lambda kw: f"{kw['dataset']}-{kw['n_classes']}")
def test_unsplittable_data_is_a_clear_value_error(kw):
    """Rejected up front by the config (naming the field), or by the data layer before any
    training; never a crash inside the network. A link with these values falls back safely."""
    try:
        cfg = TrainConfig(**kw)
    except ValueError as exc:
        assert str(exc).startswith(("n_samples", "test_fraction", "n_classes")), str(exc)
    else:
        with pytest.raises(ValueError, match=r"n_samples=\d+ is too small") as exc:
            data_for(cfg)
        with pytest.raises(ValueError) as exc2:
            train(cfg)
        assert str(exc2.value) == str(exc.value)
        assert exc2.traceback[-1].name == "make_data", exc2.traceback[-1].name
        with pytest.raises(ValueError):
            train_many([cfg, cfg.replace(activation="tanh")])
    # through a link: reported and replaced by values that do split
    cfg, errors = TrainConfig.from_query({k: str(v) for k, v in kw.items()})
    data = data_for(cfg)
    assert errors or data.n_test >= cfg.effective_classes()
    assert data.n_test >= data.n_classes and data.n_train >= 2 * data.n_classes


def test_make_data_rejects_degenerate_arguments():
    with pytest.raises(ValueError, match="n_samples"):
        make_data("moons", 0, 0.1, 0.25, 2, 0)
    with pytest.raises(ValueError, match="n_samples"):
        make_data("moons", -5, 0.1, 0.25, 2, 0)
    with pytest.raises(ValueError, match="too small"):
        make_data("moons", 3, 0.1, 0.25, 2, 0)
    with pytest.raises(ValueError, match="noise"):
        make_data("moons", 100, float("nan"), 0.25, 2, 0)
    with pytest.raises(ValueError, match="noise"):
        make_data("moons", 100, -1.0, 0.25, 2, 0)
    for tf in (0.0, 1.0, float("nan"), -0.5):
        with pytest.raises(ValueError, match="test_fraction"):
            make_data("moons", 100, 0.1, tf, 2, 0)
    with pytest.raises(ValueError, match="n_classes"):
        make_data("blobs", 100, 0.1, 0.25, 99, 0)
    with pytest.raises(ValueError, match="seed"):
        make_data("moons", 100, 0.1, 0.25, 2, -1)


def test_one_class_and_empty_data_are_clear_value_errors():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    with pytest.raises(ValueError, match="at least 2 classes"):
        dataset_from_arrays(X, np.zeros(50, dtype=int), 0.25, 0)
    with pytest.raises(ValueError, match="at least 2 classes"):
        dataset_from_arrays(np.zeros((0, 2)), np.zeros(0, dtype=int), 0.25, 0)
    # a class with a single point cannot be in both parts
    y = np.zeros(50, dtype=int)
    y[0] = 1
    with pytest.raises(ValueError, match="too few for a stratified split"):
        dataset_from_arrays(X, y, 0.25, 0)
    with pytest.raises(ValueError, match="NaN or infinite"):
        dataset_from_arrays(np.full((50, 2), np.inf), rng.integers(0, 2, 50), 0.25, 0)


def test_smallest_splittable_data_trains():
    """The smallest data the bounds allow, full batch and batch 1, train without trouble."""
    base = TrainConfig(n_samples=int(FIELDS["n_samples"].lo),
                       test_fraction=FIELDS["test_fraction"].hi, epochs=5)
    for cfg in (base, base.replace(batch_size=1), base.replace(batch_size=2000),
                base.replace(dataset="iris", hidden=(1,)), base.replace(hidden=(1,) * MAX_LAYERS)):
        assert_sane(train(cfg))


# ------------------------------------------------------------------------ the work bound


def _at_bound(**kw) -> TrainConfig:
    """The config with the most epochs TrainConfig accepts for these settings (whatever
    bounds it enforces: the epochs field, MAX_WORK, or any later limit)."""

    def accepted(epochs: int) -> bool:
        try:
            TrainConfig(epochs=epochs, **kw)
        except ValueError:
            return False
        return True

    lo, hi = 1, int(FIELDS["epochs"].hi)
    assert accepted(lo), f"not even 1 epoch is allowed for {kw}"
    while lo < hi:  # largest accepted number of epochs
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if accepted(mid) else (lo, mid - 1)
    cfg = TrainConfig(epochs=lo, **kw)
    assert cfg.work() <= MAX_WORK
    return cfg


#: the largest Maxout nets (depth × width at the bounds), at the largest epochs the work bound
#: allows, with learning rates that do not diverge (a diverged run stops early and proves nothing)
BOUND_CASES = {
    "12x64-maxout2-batch32": dict(hidden=(MAX_UNITS,) * MAX_LAYERS, activation="maxout",
                                  maxout_k=2, lr=1e-3),
    "12x64-maxout5-fullbatch": dict(hidden=(MAX_UNITS,) * MAX_LAYERS, activation="maxout",
                                    maxout_k=5, lr=1e-4, n_samples=2000, batch_size=2000),
}


@pytest.mark.parametrize("case", list(BOUND_CASES))
def test_largest_maxout_at_the_epoch_bound_finishes_in_time(case):
    cfg = _at_bound(**BOUND_CASES[case])
    # one BLAS thread: faster for these small matrices, and fair to the browser tests' server
    with threadpool_limits(1):
        t0 = time.perf_counter()
        rec = train(cfg)
        seconds = time.perf_counter() - t0
    print(f"{case}: {cfg.epochs} epochs, work {cfg.work():.3g} (MAX_WORK {MAX_WORK:.3g}), "
          f"{seconds:.1f} s")
    assert rec.diverged_at is None, f"{case} diverged at {rec.diverged_at}: pick a smaller lr"
    assert_sane(rec)
    assert seconds < WORK_BOUND_SECONDS, (
        f"{case}: {seconds:.1f} s at the epoch bound ({cfg.epochs} epochs) is more than "
        f"{WORK_BOUND_SECONDS:.0f} s")


#: where the per-update overhead dominates (many tiny updates: few multiply-adds, many layer
#: steps), where both bounds bite, and a wide net with small batches and six classes
WORST_CASES = {
    "12x1-maxout5-batch1": dict(hidden=(1,) * MAX_LAYERS, activation="maxout",
                                maxout_k=int(FIELDS["maxout_k"].hi),
                                n_samples=int(FIELDS["n_samples"].hi), batch_size=1, lr=1e-4),
    "12x16-maxout5-batch1": dict(hidden=(16,) * MAX_LAYERS, activation="maxout",
                                 maxout_k=int(FIELDS["maxout_k"].hi),
                                 n_samples=int(FIELDS["n_samples"].hi), batch_size=1, lr=1e-4),
    "12x64-mish-spiral6-batch8": dict(hidden=(MAX_UNITS,) * MAX_LAYERS, activation="mish",
                                      dataset="spiral", n_classes=6,
                                      n_samples=int(FIELDS["n_samples"].hi), batch_size=8,
                                      lr=1e-4),
}


@pytest.mark.parametrize("case", list(WORST_CASES))
def test_worst_cases_at_the_epoch_bound_finish_in_time(case):
    """The bounds must also bound the number of updates (Python overhead per layer and step).

    Times one epoch and extrapolates to the epochs the bounds allow (running them all would
    take tens of seconds per case).
    """
    cfg = _at_bound(**WORST_CASES[case])
    with threadpool_limits(1):
        t0 = time.perf_counter()
        rec = train(cfg.replace(epochs=1, n_checkpoints=2))
        per_epoch = time.perf_counter() - t0
    assert rec.diverged_at is None
    estimate = per_epoch * cfg.epochs
    print(f"{case}: {cfg.epochs} epochs allowed, {per_epoch * 1000:.0f} ms per epoch, about "
          f"{estimate:.0f} s (work {cfg.work():.3g}, layer steps {cfg.layer_steps():.3g})")
    assert estimate < WORK_BOUND_SECONDS, (
        f"{case}: the bounds allow {cfg.epochs} epochs, about {estimate:.0f} s for one run")


# ------------------------------------------------------------------------ the full grid

GRID_BASE = TrainConfig(n_samples=100, hidden=(8, 8), epochs=3, n_checkpoints=3, grid_size=10)
GRID = [GRID_BASE.replace(activation=a, init=i, lr=lr) for a in ACTS for i in INITS for lr in LRS]


def test_every_activation_initialiser_learning_rate_stacked_and_single():
    stacked = train_many(GRID)
    assert len(stacked) == len(GRID)
    diverged = 0
    for cfg, rec in zip(GRID, stacked, strict=True):
        assert rec.config == cfg
        assert_sane(rec, snapshots=False)
        diverged += rec.diverged_at is not None
    # lr 10 blows up some of them: the grid does exercise the NaN path
    assert diverged > 0
    for cfg, rec_s in zip(GRID, stacked, strict=True):
        rec = train(cfg)
        assert_sane(rec, snapshots=False)
        assert rec.diverged_at == rec_s.diverged_at, (cfg.label(), cfg.init, cfg.lr)
        np.testing.assert_allclose(rec.history["train_loss"], rec_s.history["train_loss"],
                                   rtol=1e-6, atol=1e-9)


def test_checkpoint_data_is_finite_across_the_grid():
    """The boundary and gradient statistics a page draws are never NaN/inf, even for a run
    that is about to diverge (the grid lies beyond the data, where logits are largest)."""
    bad = []
    for cfg, rec in zip(GRID, train_many(GRID), strict=True):
        problems = snapshot_problems(rec)
        if problems:
            bad.append(f"activation={cfg.activation} init={cfg.init} lr={cfg.lr:g} "
                       f"(diverged_at={rec.diverged_at}): " + "; ".join(problems))
    assert not bad, "non-finite checkpoint data:\n" + "\n".join(bad)


@pytest.mark.parametrize("name", ["init_scale", "bias_init", "l2", "momentum"])
def test_other_knobs_at_both_ends(name):
    f = FIELDS[name]
    cfgs = [GRID_BASE.replace(activation=a, optimizer=o, **{name: v})
            for a in ("sigmoid", "relu", "maxout", "prelu", "selu")
            for o in ("sgd", "nesterov", "adam")
            for v in (f.lo, f.hi)]
    for rec in train_many(cfgs):
        assert_sane(rec)
