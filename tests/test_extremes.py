"""Settings at their extremes, through the engine (no Streamlit).

* learning rate 10 with every activation: divergence is reported (``diverged_at``) and what was
  recorded stays finite; nothing is NaN in the history, the boundary or the layer statistics;
* data that cannot be split (too few points per class, one class, no rows): a clear ValueError
  from the data layer before any training, never a crash deep inside the engine;
* the largest Maxout networks and the per-update worst cases at the epoch bound that
  ``MAX_WORK`` / ``MAX_LAYER_STEPS`` allow: the work the engine really does (updates, samples and
  multiply-adds, counted) is what the bounds count (the seconds are the benchmark's job:
  ``python -m explorer.bench`` prints the worst case on the machine it runs on);
* every activation × initialiser × learning rate {1e-4, 1e-2, 1, 10} for a few epochs, both
  stacked (``train_many``) and one by one (``train``): no exception, no RuntimeWarning
  (``warnings`` turned into errors here, as pytest does with ``-W error::RuntimeWarning``),
  NaN caught and reported the same way by both paths.

The tables iterate over the registries, so a new activation or initialiser is covered.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from explorer import ACTIVATIONS, DATASETS, INITIALISERS, TrainConfig, make_data, train, train_many
from explorer.bench import BOUND_CASES, WORST_CASES, accepted, at_bound
from explorer.config import FIELDS, MAX_LAYERS, MAX_WORK
from explorer.datasets import dataset_from_arrays
from explorer.initialisers import AUTO
from explorer.record import RunRecord
from explorer.train import data_for

ACTS = ACTIVATIONS.names()
INITS = [AUTO, *INITIALISERS.names()]
LRS = (1e-4, 1e-2, 1.0, 10.0)
HISTORY_COLUMNS = ["train_loss", "test_loss", "train_acc", "test_acc"]


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


#: the bound cases live in the benchmark, which also times them (``python -m explorer.bench``)
_at_bound = at_bound


class _WorkCounter:
    """Counts what the engine really does: per-batch gradient calls (updates), the samples and
    multiply-adds they process, and the forward passes (history, snapshots) besides them."""

    def __init__(self, monkeypatch) -> None:
        from explorer import fastpath
        from explorer.fastpath import FastPath

        self.updates = self.train_samples = self.train_macs = 0
        self.forward_samples = self.snapshot_gradients = 0
        self.training = False
        counter = self
        gradient, forward = FastPath._gradient, FastPath.forward
        train_epoch = FastPath.train_epoch

        def counted_train_epoch(fp, *args):
            counter.training = True
            try:
                return train_epoch(fp, *args)
            finally:
                counter.training = False

        def counted_gradient(fp, x, tgt, bufs):
            if not counter.training:  # the full-set gradient statistics of a checkpoint
                counter.snapshot_gradients += 1
                return gradient(fp, x, tgt, bufs)
            counter.updates += 1
            counter.train_samples += x.shape[1]
            # one multiply-add per weight (bias row included) per sample and model
            counter.train_macs += x.shape[1] * sum(W.shape[-2] * W.shape[-1] for W in fp.Wn_full)
            return gradient(fp, x, tgt, bufs)

        # training runs an epoch plan (fastpath.epoch_plan: per batch a list of prepared
        # calls, not _gradient): each batch's list gets a first call that counts its batch, x
        # being the second argument of its first call (the first layer's product W·x)
        plan_of, instrumented = fastpath.epoch_plan, set()

        def counted_plan(fp, XT, tgt, B):
            plan = plan_of(fp, XT, tgt, B)
            if id(plan) not in instrumented:
                instrumented.add(id(plan))
                for calls in plan.steps:
                    calls.insert(0, (count_batch, (fp, calls[0][1][1])))
            return plan

        def count_batch(fp, x):
            if counter.training:
                counter.updates += 1
                counter.train_samples += x.shape[1]
                counter.train_macs += x.shape[1] * sum(W.shape[-2] * W.shape[-1]
                                                       for W in fp.Wn_full)

        def counted_forward(fp, XT):
            counter.forward_samples += XT.shape[1]
            return forward(fp, XT)

        def wn_full(fp):
            return [W[0] if fp.sq else W for W in fp.st.W]

        monkeypatch.setattr(FastPath, "_gradient", counted_gradient)
        monkeypatch.setattr(FastPath, "forward", counted_forward)
        monkeypatch.setattr(FastPath, "train_epoch", counted_train_epoch)
        monkeypatch.setattr(fastpath, "epoch_plan", counted_plan)
        monkeypatch.setattr(FastPath, "Wn_full", property(wn_full), raising=False)


#: the bounds are checked by counting work, not by the clock (speed is the benchmark's job:
#: ``python -m explorer.bench`` prints the seconds the worst case takes on this machine)
@pytest.mark.parametrize("case", list(BOUND_CASES) + list(WORST_CASES))
def test_work_at_the_epoch_bound_is_what_the_bounds_count(case, monkeypatch):
    """At the largest epochs TrainConfig accepts, the work the engine really does (counted over
    two epochs and scaled to all of them) stays within MAX_WORK and MAX_LAYER_STEPS, and the
    accounting in TrainConfig (work(), layer_steps()) is exactly what the engine runs."""
    from explorer.config import MAX_LAYER_STEPS

    kw = {**BOUND_CASES, **WORST_CASES}[case]
    cfg = _at_bound(**kw)
    assert cfg.work() <= MAX_WORK and cfg.layer_steps() <= MAX_LAYER_STEPS
    # one more epoch is refused: the bound is tight, not merely the epochs field's maximum
    assert cfg.epochs == int(FIELDS["epochs"].hi) or not accepted(cfg.epochs + 1, kw)
    counter = _WorkCounter(monkeypatch)
    probe = cfg.replace(epochs=2, n_checkpoints=2)
    rec = train(probe)
    assert rec.diverged_at is None
    n_train = len(rec.data.y_train)
    n_all = n_train + len(rec.data.y_test)
    per_epoch_updates = counter.updates / 2
    per_epoch_macs = counter.train_macs / 2
    assert counter.train_samples == 2 * n_train
    assert per_epoch_updates == math.ceil(n_train / min(cfg.batch_size, n_train))
    assert per_epoch_macs == n_train * cfg.macs_per_sample()
    layers = len(cfg.hidden) + 1
    assert cfg.epochs * per_epoch_updates * layers == cfg.layer_steps() <= MAX_LAYER_STEPS
    assert cfg.epochs * per_epoch_macs == cfg.work() <= MAX_WORK
    # besides training: one full-set pass per epoch for the history, and the boundary grid and
    # the full set at each of the two checkpoints — never more than that
    grid = cfg.grid_size ** 2
    assert counter.forward_samples <= 3 * n_all + 2 * (grid + n_all)
    assert counter.snapshot_gradients <= len(rec.checkpoints)  # one full-set pass each
    print(f"{case}: {cfg.epochs} epochs allowed; {per_epoch_updates:.0f} updates and "
          f"{per_epoch_macs:.3g} multiply-adds per epoch; work {cfg.work():.3g} / {MAX_WORK:.3g}, "
          f"layer steps {cfg.layer_steps():.3g} / {MAX_LAYER_STEPS:.3g}")


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
