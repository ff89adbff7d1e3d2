"""Recording at the cost of the hot path (issue 27 item 4): the checkpoint's full-set gradient
reuses the history's forward pass, unit tracking and the sigmoid kernel do less work, and the
numbers stay exactly what they were (bit for bit, not only to a tolerance)."""

from __future__ import annotations

import numpy as np
import pytest

from explorer import bench
from explorer.config import TrainConfig
from explorer.fastpath import FastPath, engine
from explorer.kernels import sigmoid
from explorer.train import Trainer, data_for, train

BASE = TrainConfig(n_samples=120, hidden=(6, 5), epochs=4, n_checkpoints=3, grid_size=10)

STACKS = {
    "relu": ["relu"],
    "compare": ["sigmoid", "tanh", "relu", "leaky_relu", "maxout"],
    "prelu+elu": ["prelu", "elu"],
}


def _trainer(acts: list[str], **kw) -> Trainer:
    cfgs = [BASE.replace(activation=a, **kw) for a in acts]
    return Trainer(cfgs, data_for(cfgs[0]))


def _arrays(bufs) -> list[np.ndarray]:
    out = [bufs.zo, bufs.g]
    for lb in bufs.hidden:
        out += [lb.z, lb.a, lb.dz]
    return [np.array(a) for a in out]


@pytest.mark.parametrize("stack", list(STACKS))
@pytest.mark.parametrize("kw", [{}, {"dataset": "spiral", "n_classes": 3, "l2": 0.01},
                                {"n_samples": 80}])
def test_backward_after_the_history_forward_is_the_full_gradient(stack, kw):
    """``gradient_after_forward`` (backward only, on views of the history's forward buffers)
    leaves the gradient and the z, a, δ of ``full_gradient`` (forward and backward on the
    training set alone): the same operations on the same values. The only freedom is BLAS's:
    a product over more columns may sum a column in another order (e.g. the output layer's
    vector × matrix, one ulp of a logit), so the check is to 1e-13, not bit for bit (the run
    records compared bit for bit were identical, see the issue 27 note); n_samples 80: 60
    training samples, at most ``SMALL_BATCH``, while the history pass has more."""
    tr = _trainer(STACKS[stack], **kw)
    inp, y, l2 = tr.inputs, tr.data.y_train, tr.cfgs[0].l2
    fast = tr.stack.fast()
    with engine():
        tr.train_epoch(1, np.random.default_rng(0))
        fast.full_gradient(inp.XT_train, y, l2)
        G_full = tr.stack.G.copy()
        full = _arrays(fast.buffers(inp.n_train))
        tr.stack.G[...] = 0.0  # (a padded column of a mixed layer is never written: 0)
        fast.forward(inp.XT_eval)
        bufs = fast.gradient_after_forward(inp.XT_train, y, inp.XT_eval.shape[1], l2)
        again = _arrays(bufs)
    np.testing.assert_allclose(tr.stack.G, G_full, rtol=1e-13, atol=1e-15)
    assert len(full) == len(again) == 2 + 3 * len(tr.stack.layers)
    for a, b in zip(full, again, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


def test_a_checkpoint_runs_no_second_forward_pass_over_the_training_set(monkeypatch):
    """Counted, not timed: the only forward passes besides the training batches are the
    history's (one per recorded epoch) and the boundary grid's (one per checkpoint); the
    full-set gradient of a checkpoint runs the backward pass alone."""
    passes: list[int] = []
    gradients: list[int] = []
    forward, gradient = FastPath.forward, FastPath._gradient
    training = [False]
    train_epoch = FastPath.train_epoch

    def counted_forward(fp, XT):
        passes.append(XT.shape[1])
        return forward(fp, XT)

    def counted_gradient(fp, x, tgt, bufs):
        if not training[0]:
            gradients.append(x.shape[1])
        return gradient(fp, x, tgt, bufs)

    def counted_train_epoch(fp, *args):
        training[0] = True
        try:
            return train_epoch(fp, *args)
        finally:
            training[0] = False

    monkeypatch.setattr(FastPath, "forward", counted_forward)
    monkeypatch.setattr(FastPath, "_gradient", counted_gradient)
    monkeypatch.setattr(FastPath, "train_epoch", counted_train_epoch)
    rec = train(BASE.replace(activation="tanh"))
    n_all = len(rec.data.y_train) + len(rec.data.y_test)
    grid = BASE.grid_size ** 2
    assert gradients == []  # no forward + backward outside training
    assert sorted(passes) == sorted([n_all] * (BASE.epochs + 1) + [grid] * len(rec.checkpoints))


def test_a_snapshot_without_a_fresh_history_pass_computes_its_own():
    """``snapshot`` reuses the buffers only right after ``record_epoch`` at the same
    parameters; otherwise it runs the full-set pass itself, with the same numbers."""
    a, b = _trainer(["relu", "tanh"]), _trainer(["relu", "tanh"])
    with engine():
        for tr in (a, b):
            tr.train_epoch(1, np.random.default_rng(0))
            tr.record_epoch(1)
        b.stack.fast().forward(b.inputs.XT_grid)  # something else ran since
        b.evaluated = None
        a.snapshot(1)
        b.snapshot(1)
    ra, rb = a.records(complete=False), b.records(complete=False)
    for x, y in zip(ra, rb, strict=True):
        assert len(x.stats_rows) == 3 and x.layer_stats.equals(y.layer_stats)  # NaN = NaN
        assert np.array_equal(x.grad_counts, y.grad_counts)
        assert np.array_equal(x.grid_p, y.grid_p)


def _sigmoid_before(z: np.ndarray) -> np.ndarray:
    """The kernel as it was (eight calls): the reference for bit-identity."""
    t = np.abs(z)
    np.negative(t, out=t)
    np.exp(t, out=t)
    out = np.add(t, 1.0)
    np.divide(1.0, out, out=out)
    np.multiply(t, out, out=t)
    np.copyto(out, t, where=z < 0)
    return out


def test_sigmoid_kernel_is_bit_identical_to_its_eight_call_form():
    rng = np.random.default_rng(3)
    z = np.concatenate([rng.normal(0, s, 20_000) for s in (1e-3, 1, 10, 300)]
                       + [np.array([0.0, -0.0, 1e308, -1e308, 5e-324, -5e-324, 40, -40,
                                    745.0, -745.0, np.inf, -np.inf])])
    want = _sigmoid_before(z)
    assert np.array_equal(sigmoid(z).view(np.int64), want.view(np.int64))
    out = np.empty((4, 3, 5))
    zz = rng.normal(0, 8, (4, 6, 5))[:, ::2]  # a strided view, as the hot path's parts
    sigmoid(zz, out=out)
    assert np.array_equal(out, _sigmoid_before(zz))
    assert np.isnan(sigmoid(np.array([np.nan]))[0])


def test_bench_counts_the_calls_of_a_step_and_restores_the_trainer():
    """The per-step floor's call count is counted (the relu step of the bench workload: the
    matrix products, kernels, loss gradient and update; not 0, not hundreds), and the hot-path
    timer puts ``Trainer.train_epoch`` back."""
    cfg = bench.same_init(TrainConfig(**bench.WORKLOAD).replace(activation="relu", epochs=2))
    data = data_for(cfg)
    calls = bench.calls_per_step(cfg, data)
    assert 15 <= calls <= 40, calls
    plain = Trainer.train_epoch
    with bench.hot_path_timer() as hot:
        train(cfg.replace(n_checkpoints=2), data)
    assert Trainer.train_epoch is plain
    assert hot[0] > 0.0
    assert bench.per_call_floor(reps=50) > 0.0
