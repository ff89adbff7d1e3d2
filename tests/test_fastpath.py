"""The engine's one forward / backward path (``explorer.fastpath``: ``Stack.train_epoch`` /
``forward_fast`` / ``full_gradient``, feature-major buffers and the registry's kernels) against
the plain sample-major reference pass of ``tests/stack_reference.py``.

Both must give the same logits, pre-activations, δ and gradients to 1e-12 for every activation
of the registry, for stacks of M > 1 models with different activations per model and per layer,
for Maxout (k = 2, 3; alone, and mixed with ordinary models in one padded layer), for PReLU with
slopes outside [0, 1], and with L2. The snapshot's batched statistics must equal the record's
per-model functions, and training in a stack must equal training alone.
"""

from __future__ import annotations

import numpy as np
import pytest
from stack_reference import ReferenceStack

from explorer import ACTIVATIONS, TrainConfig, train, train_many
from explorer.losses import loss_for
from explorer.network import SMALL_BATCH, Layer, Stack, augment
from explorer.optimisers import OPTIMISERS
from explorer.record import act_histogram, grad_histogram
from explorer.stats import (
    act_histograms,
    grad_histograms,
    same_sign,
    same_sign_many,
    same_sign_samples,
    same_sign_samples_many,
    softplus_loss,
)

NAMES = ACTIVATIONS.names()
TOL = dict(rtol=1e-12, atol=1e-12)
L2 = 0.02


def _param(name: str, value: float | None = None) -> float | None:
    act = ACTIVATIONS[name]
    if act.param is None or act.pieces or act.learned:
        return None
    return act.param.default if value is None else value


def make_stack(models: list[list[str]], sizes=(5, 4), n_classes=2, k=2, params=None, seed=0):
    """A stack of len(models) networks; models[m][i] is model m's activation in layer i.

    Weights are random (public layout, each model its own width), PReLU slopes random in
    [-0.5, 1.5]: beyond Leaky ReLU's [0, 1]."""
    M = len(models)
    params = params or [[None] * len(sizes) for _ in models]
    rng = np.random.default_rng(seed)
    layers, fan_in = [], 2
    for i, units in enumerate(sizes):
        acts = [ACTIVATIONS[models[m][i]] for m in range(M)]
        kk = k if any(a.pieces for a in acts) else 1
        layers.append(Layer(fan_in, units, kk, acts[0].learned, acts,
                            [_param(models[m][i], params[m][i]) for m in range(M)]))
        fan_in = units
    loss = loss_for(n_classes)
    st = ReferenceStack(layers, loss.n_outputs(n_classes), M, loss)
    for m in range(M):
        weights = []
        for layer in layers:
            w = layer.model_width(m)
            weights.append((rng.normal(size=(layer.fan_in, w)), rng.normal(size=w) * 0.5))
        weights.append((rng.normal(size=(sizes[-1], st.n_out)), rng.normal(size=st.n_out)))
        st.set_weights(m, weights)
        for i, layer in enumerate(layers):
            if layer.learned:
                st.alpha[i][m] = rng.uniform(-0.5, 1.5, (1, layer.units))
    return st


def _data(n=37, n_classes=2, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * 1.5
    y = np.arange(n) % n_classes
    rng.shuffle(y)
    return X, y


def _padding(st: Stack) -> np.ndarray:
    """True on the entries of P/G that are a mixed layer's zero padding."""
    saved = st.G.copy()
    st.G[...] = 0.0
    for i, layer in enumerate(st.layers):
        for m in range(st.M):
            st.GW[i][m, :, layer.model_width(m):] = 1.0
    pad = st.G == 1.0
    st.G[...] = saved
    return pad


def compare_paths(st: Stack, X: np.ndarray, y: np.ndarray, l2: float = L2) -> None:
    Xa = augment(X)
    XT = np.ascontiguousarray(Xa.T)
    st.G[...] = 0.0
    cache = st.forward(Xa)
    dfs, deltas = st.backward(cache, y, l2, keep=True)
    G_general = st.G.copy()
    pad = _padding(st)
    st.G[...] = np.nan  # every non-padding entry must be written by the hot path
    hidden, zo, g_out, *_ = st.fast().full_gradient(XT, y, l2)
    G_fast = st.G.copy()
    assert np.isfinite(G_fast[~pad]).all()
    # the padding is untouched (large batches) or written as exact zeros (small ones)
    assert (np.isnan(G_fast[pad]) | (G_fast[pad] == 0)).all()
    np.testing.assert_allclose(G_fast[~pad], G_general[~pad], **TOL)
    np.testing.assert_array_equal(G_general[pad], 0.0)

    def models(A):
        return A[None] if A.ndim == 2 else A

    np.testing.assert_allclose(models(zo).swapaxes(1, 2), cache.z[-1], **TOL)
    np.testing.assert_allclose(models(g_out).swapaxes(1, 2), deltas[-1], **TOL)
    for i, layer in enumerate(st.layers):
        z, _, a, *_rest = hidden[i]
        dz = hidden[i][6]
        for m in range(st.M):
            w = layer.model_width(m)
            np.testing.assert_allclose(models(z)[m, :w].T, cache.z[i][m, :, :w], **TOL)
            np.testing.assert_allclose(models(a)[m].T, cache.a[i][m], **TOL)
            np.testing.assert_allclose(models(dz)[m, :w].T, deltas[i][m, :, :w], **TOL)
            np.testing.assert_array_equal(deltas[i][m, :, w:], 0.0)
            np.testing.assert_array_equal(dfs[i][m, :, w:], 0.0)
    # forward_fast = the general logits, for another n as well
    np.testing.assert_allclose(st.forward_fast(XT[:, :7]).swapaxes(1, 2),
                               st.forward(Xa[:7]).z[-1], **TOL)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("name", NAMES)
def test_every_activation_alone(name, n_classes):
    st = make_stack([[name, name]], n_classes=n_classes, seed=len(name))
    X, y = _data(n_classes=n_classes)
    compare_paths(st, X, y)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_stack_of_mixed_activations(n_classes):
    """M = 8 models, runs of equal activations, different parameters, different per layer."""
    models = [["sigmoid", "relu"], ["tanh", "tanh"], ["relu", "sigmoid"], ["relu", "sigmoid"],
              ["leaky_relu", "elu"], ["leaky_relu", "gelu"], ["elu", "identity"],
              ["softplus", "leaky_relu"]]
    params = [[None, None], [None, None], [None, None], [None, None], [0.3, 2.0],
              [0.01, None], [0.5, None], [None, 0.7]]
    st = make_stack(models, n_classes=n_classes, params=params, seed=3)
    X, y = _data(n_classes=n_classes, seed=4)
    compare_paths(st, X, y)


def test_stack_of_relu_and_leaky_relu_only():
    """A whole layer of ReLU / Leaky ReLU models runs as one max(z, s·z) with per-model s."""
    models = [["relu", "leaky_relu"], ["leaky_relu", "relu"], ["leaky_relu", "leaky_relu"]]
    params = [[None, 0.2], [0.0, None], [1.0, 0.05]]
    st = make_stack(models, params=params, seed=12)
    X, y = _data(seed=13)
    compare_paths(st, X, y)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("k", [2, 3])
def test_maxout(k, n_classes):
    X, y = _data(n_classes=n_classes, seed=k)
    compare_paths(make_stack([["maxout", "maxout"]], k=k, n_classes=n_classes, seed=k), X, y)
    compare_paths(make_stack([["maxout", "maxout"]] * 3, k=k, n_classes=n_classes), X, y)


@pytest.mark.parametrize("n", [37, SMALL_BATCH + 50])  # one padded product / part by part
@pytest.mark.parametrize("k", [2, 3])
def test_maxout_mixed_with_ordinary_models_in_one_stack(k, n):
    models = [["sigmoid", "maxout"], ["maxout", "maxout"], ["tanh", "relu"],
              ["maxout", "leaky_relu"], ["relu", "maxout"], ["gelu", "gelu"]]
    st = make_stack(models, sizes=(6, 5), k=k, seed=k)
    assert st.layers[0].mixed and st.layers[1].mixed
    X, y = _data(n=n, seed=9)
    compare_paths(st, X, y)
    for m in range(st.M):  # each model's own parameter count
        n = sum((lay.fan_in + 1) * lay.model_width(m) for lay in st.layers) + (5 + 1) * 1
        assert st.model_params(m) == n


@pytest.mark.parametrize("n_classes", [2, 3])
def test_prelu_slopes_outside_unit_interval(n_classes):
    st = make_stack([["prelu", "prelu"]] * 3, n_classes=n_classes, seed=5)
    assert (st.alpha[0] < 0).any() or (st.alpha[0] > 1).any()
    X, y = _data(n_classes=n_classes)
    compare_paths(st, X, y)


@pytest.mark.parametrize("k", [2, 3])
def test_maxout_ties_go_to_the_first_piece(k):
    """All-zero weights: every piece ties; the whole gradient goes to piece 0 on both paths."""
    st = make_stack([["maxout"], ["maxout"]], sizes=(3,), k=k)
    st.W[0][...] = 0.0
    X, y = _data()
    compare_paths(st, X, y)
    G = st.GW[0]
    assert np.abs(G[:, :, :3]).max() > 0  # piece 0 of every unit (piece-major columns)
    np.testing.assert_array_equal(G[:, :, 3:], 0.0)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_train_epoch_equals_general_steps(optimizer):
    models = [["tanh", "maxout"], ["relu", "maxout"], ["maxout", "sigmoid"]]
    X, y = _data(n=70, seed=7)
    st1, st2 = make_stack(models, seed=8), make_stack(models, seed=8)
    opt = OPTIMISERS[optimizer]
    lr = np.array([[0.1], [0.05], [0.2]])
    s1, s2 = opt.init(st1.P), opt.init(st2.P)
    XT = np.ascontiguousarray(augment(X).T)
    for _ in range(3):
        st1.train_epoch(XT, y, 16, opt.step, s1, lr, 0.9, L2)
        for s in range(0, len(y), 16):
            xb, yb = augment(X[s:s + 16]), y[s:s + 16]
            st2.backward(st2.forward(xb), yb, L2)
            opt.step(st2.P, st2.G, s2, lr, 0.9)
    np.testing.assert_allclose(st1.P, st2.P, rtol=1e-11, atol=1e-12)
    pad = _padding(st1)
    np.testing.assert_array_equal(st1.P[pad], 0.0)  # the padding stays exactly zero


def test_batched_statistics_equal_the_per_model_functions():
    rng = np.random.default_rng(0)
    for trial in range(30):
        g = rng.normal(size=(4, 6, 5)) * 10.0 ** rng.uniform(-12, 2, (4, 6, 5))
        g[rng.random(g.shape) < 0.15] = 0.0
        if trial % 3 == 0:
            g[0, 0, 0], g[1, 1, 1], g[2, 0, 1] = np.inf, -np.inf, 5e-324
        pos, neg, zeros = grad_histograms(g)
        a = rng.normal(size=(4, 7, 9)) * 2.5
        if trial % 3 == 0:
            a[0, 0, 0], a[1, 0, 0], a[2, 0, 0], a[3, 0, 0] = np.inf, -np.inf, 3.0, -3.0
        ah = act_histograms(a)
        x = rng.normal(size=(4, 3, 9))
        x[:, :, ::3] = np.abs(x[:, :, ::3])
        x[:, :, 1::4] = -np.abs(x[:, :, 1::4])
        x[0, :, 2] = 0.0
        delta = rng.normal(size=(4, 5, 9)) * (rng.random((4, 5, 9)) < 0.6)
        ss, sss = same_sign_many(g), same_sign_samples_many(x, delta)
        sss_shared = same_sign_samples_many(x[0], delta)
        for m in range(4):
            p2, n2, z2 = grad_histogram(g[m])
            np.testing.assert_array_equal(pos[m], p2)
            np.testing.assert_array_equal(neg[m], n2)
            assert zeros[m] == z2
            np.testing.assert_array_equal(ah[m], act_histogram(a[m]))
            assert ss[m] == same_sign(g[m])
            assert sss[m] == same_sign_samples(x[m].T, delta[m].T)
            assert sss_shared[m] == same_sign_samples(x[0].T, delta[m].T)


def test_softplus_equals_logaddexp():
    z = np.concatenate([np.linspace(-800, 800, 2001), np.random.default_rng(0).normal(size=500),
                        [0.0, -0.0, 1e-300, -1e-300, 40.0, -40.0, np.inf, -np.inf]])
    np.testing.assert_allclose(softplus_loss(z), np.logaddexp(0.0, z), rtol=1e-15, atol=0)


SMALL = dict(n_samples=120, epochs=12, n_checkpoints=5, grid_size=12)


def _same_record(r1, r2, tol=1e-12):
    np.testing.assert_allclose(r1.history.to_numpy(float), r2.history.to_numpy(float), rtol=tol,
                               atol=tol)
    num = r1.layer_stats.drop(columns=["layer_name"]).to_numpy(float)
    num2 = r2.layer_stats.drop(columns=["layer_name"]).to_numpy(float)
    np.testing.assert_allclose(num, num2, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(r1.grad_counts, r2.grad_counts)
    np.testing.assert_array_equal(r1.act_counts, r2.act_counts)
    np.testing.assert_array_equal(r1.grid_cls, r2.grid_cls)
    for d1, d2 in zip(r1.dead, r2.dead, strict=True):
        np.testing.assert_array_equal(d1, d2)
    assert r1.n_params == r2.n_params


@pytest.mark.parametrize("name", NAMES)
def test_train_equals_train_many_of_one(name):
    cfg = TrainConfig(**SMALL, activation=name)
    _same_record(train(cfg), train_many([cfg])[0])


def test_maxout_shares_a_stack_with_ordinary_models_and_trains_as_alone():
    base = TrainConfig(**SMALL, batch_size=16)
    cfgs = [base.replace(activation=a) for a in ["sigmoid", "tanh", "relu", "leaky_relu",
                                                 "maxout", "elu"]]
    cfgs.append(base.replace(hidden=(16, 16), layer_activations=("maxout", "tanh")))
    recs = train_many(cfgs)
    assert all(r.trained_with == len(cfgs) for r in recs)  # one padded stack
    for cfg, rec in zip(cfgs, recs, strict=True):
        _same_record(rec, train(cfg))
