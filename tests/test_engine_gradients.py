"""Whole-network gradients of the numpy engine, checked by central finite differences.

The numeric gradient is taken of an *independent* reference implementation of the loss
(plain numpy forward pass written here: affine layers, the registry's activation f, binary
logistic or softmax cross-entropy, plus λ/2·Σ‖W‖² over weights only), and compared with the
engine's analytic gradient (``MLP.loss_and_grads`` and the raw ``Stack.gradient``, both the
one forward / backward path of ``explorer.fastpath``). The engine's loss
value must equal the reference loss, so forward and backward are both pinned down.

Points are smooth: for kinked activations (ReLU family, ELU/SELU, Maxout ties) the weights and
inputs are redrawn until no pre-activation lies within ``MARGIN`` of a kink, which is far more
than the finite-difference step moves any pre-activation.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from explorer import ACTIVATIONS, MLP
from explorer.losses import loss_for
from explorer.network import Layer, Stack, augment

NAMES = ACTIVATIONS.names()
KINKED = {"relu", "leaky_relu", "prelu", "elu", "selu", "maxout"}
MARGIN = 2e-3  # min distance of any pre-activation from a kink
H = 1e-4  # step of the 4-point central stencil (error O(h^4) + rounding ~1e-12)
RTOL = 1e-6
ATOL = 1e-10  # for gradient entries that are (numerically) zero
L2 = 0.03
K_MAXOUT = 3


def default_param(name: str):
    act = ACTIVATIONS[name]
    if act.param is None or act.pieces or act.learned:
        return None
    return act.param.default


# --------------------------------------------------------------------------------------------
# Independent reference


def logsumexp(z, axis):
    m = z.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def ref_forward(weights, acts, X, params=None, k=K_MAXOUT, slopes=None):
    """Hidden pre-activations and output logits of a plain MLP (written from the definitions)."""
    params = params or [default_param(a) for a in acts]
    h = X
    zs = []
    for i, (W, b) in enumerate(weights[:-1]):
        z = h @ W + b
        zs.append(z)
        name = acts[i]
        if ACTIVATIONS[name].pieces:
            # units x k wide: the k pieces of unit j are columns j*k .. j*k+k-1
            h = z.reshape(z.shape[0], -1, k).max(axis=-1)
        elif ACTIVATIONS[name].learned:
            h = np.where(z > 0, z, slopes[i] * z)
        else:
            h = ACTIVATIONS[name].f(z, params[i])
    W, b = weights[-1]
    return zs, h @ W + b


def ref_loss(weights, acts, X, y, n_classes, l2, params=None, k=K_MAXOUT, slopes=None):
    _, z = ref_forward(weights, acts, X, params, k, slopes)
    if n_classes == 2:
        z = z[:, 0]
        data = np.mean(np.logaddexp(0.0, z) - y * z)
    else:
        data = np.mean(logsumexp(z, axis=1) - z[np.arange(len(y)), y])
    return data + 0.5 * l2 * sum(float((W * W).sum()) for W, _ in weights)


def fd(fun, x):
    """4-point central difference of scalar fun() w.r.t. every entry of array x (in place)."""
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        vals = []
        for s in (2, 1, -1, -2):
            flat[i] = old + s * H
            vals.append(fun())
        flat[i] = old
        gflat[i] = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * H)
    return g


def assert_grad_close(analytic, numeric, what=""):
    analytic = np.asarray(analytic)
    numeric = np.asarray(numeric)
    assert analytic.shape == numeric.shape, what
    err = np.abs(analytic - numeric)
    tol = RTOL * np.maximum(np.abs(analytic), np.abs(numeric)) + ATOL
    worst = np.unravel_index(np.argmax(err - tol), err.shape)
    assert (err <= tol).all(), (
        f"{what}: analytic {analytic[worst]!r} vs numeric {numeric[worst]!r} at {worst}")
    # and norm-wise
    denom = max(np.linalg.norm(numeric), 1e-12)
    assert np.linalg.norm(analytic - numeric) / denom < RTOL, what


def _is_smooth(zs, acts, k=K_MAXOUT):
    for z, name in zip(zs, acts):
        if name not in KINKED:
            continue
        if ACTIVATIONS[name].pieces:
            top = np.sort(z.reshape(z.shape[0], -1, k), axis=-1)[..., -2:]
            if (top[..., 1] - top[..., 0]).min() < MARGIN:
                return False
        elif np.abs(z).min() < MARGIN:
            return False
    return True


def smooth_problem(acts, n_classes, seed, n=10, sizes=(5, 4), k=K_MAXOUT, params=None,
                   slopes=None, scale=0.9):
    """Random (weights, X, y) with every pre-activation at least MARGIN from a kink."""
    rng = np.random.default_rng(seed)
    n_out = 1 if n_classes == 2 else n_classes
    for _ in range(500):
        X = rng.normal(size=(n, 2))
        y = np.arange(n) % n_classes  # every class present
        rng.shuffle(y)
        dims = [2, *sizes]
        weights = []
        for i, name in enumerate(acts):
            width = dims[i + 1] * (k if ACTIVATIONS[name].pieces else 1)
            weights.append((rng.normal(size=(dims[i], width)) * scale,
                            rng.normal(size=width) * 0.5))
        weights.append((rng.normal(size=(dims[-1], n_out)) * scale, rng.normal(size=n_out) * 0.5))
        zs, _ = ref_forward(weights, acts, X, params, k, slopes)
        if _is_smooth(zs, acts, k):
            return weights, X, y
    raise AssertionError("could not draw a smooth point")


# --------------------------------------------------------------------------------------------
# MLP.from_weights / loss_and_grads, every activation, both losses

CASES = [(name, None) for name in NAMES] + [
    ("leaky_relu", 0.2), ("leaky_relu", 0.0), ("elu", 0.4), ("elu", 2.5)]


@pytest.mark.parametrize("n_classes", [2, 3], ids=["binary", "3-class"])
@pytest.mark.parametrize(("name", "param"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_mlp_gradients_match_finite_differences(name, param, n_classes):
    acts = [name, name]
    params = [param if param is not None else default_param(name)] * 2
    slopes = [np.full(5, 0.25), np.full(4, 0.25)] if ACTIVATIONS[name].learned else None
    weights, X, y = smooth_problem(acts, n_classes, seed=zlib.crc32(f"{name}{param}{n_classes}".encode()),
                                   params=params, slopes=slopes)
    kwargs = {"l2": L2, "maxout_k": K_MAXOUT}
    if param is not None:
        kwargs["param"] = param
    net = MLP.from_weights(weights, activation=name, n_classes=n_classes, **kwargs)
    loss, grads = net.loss_and_grads(X, y)

    ref = ref_loss(weights, acts, X, y, n_classes, L2, params, slopes=slopes)
    assert loss == pytest.approx(ref, rel=1e-12, abs=1e-13)
    assert len(grads) == len(weights)
    for li, ((W, b), (dW, db)) in enumerate(zip(weights, grads)):
        assert dW.shape == W.shape and db.shape == b.shape

        def f():
            return ref_loss(weights, acts, X, y, n_classes, L2, params, slopes=slopes)

        assert_grad_close(dW, fd(f, W), f"{name} layer {li + 1} dW")
        assert_grad_close(db, fd(f, b), f"{name} layer {li + 1} db")
        assert np.abs(dW).max() > 1e-4  # a real, non-trivial gradient was compared


def test_loss_and_grads_does_not_change_weights_and_is_repeatable():
    weights, X, y = smooth_problem(["tanh", "tanh"], 3, seed=5)
    net = MLP.from_weights(weights, activation="tanh", n_classes=3, l2=L2)
    before = [(W.copy(), b.copy()) for W, b in net.weights()]
    l1, g1 = net.loss_and_grads(X, y)
    l2_, g2 = net.loss_and_grads(X, y)
    assert l1 == l2_
    for (a, b), (c, d) in zip(g1, g2):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    for (W0, b0), (W1, b1) in zip(before, net.weights()):
        np.testing.assert_array_equal(W0, W1)
        np.testing.assert_array_equal(b0, b1)
    for (W0, b0), (W1, b1) in zip(weights, net.weights()):
        np.testing.assert_array_equal(W0, W1)
        np.testing.assert_array_equal(b0, b1)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_l2_applies_to_weights_only(n_classes):
    """grad(λ) - grad(0) = λ W for weights and exactly 0 for biases."""
    weights, X, y = smooth_problem(["sigmoid", "sigmoid"], n_classes, seed=7)
    lam = 0.37
    _, g0 = MLP.from_weights(weights, "sigmoid", n_classes).loss_and_grads(X, y)
    loss1, g1 = MLP.from_weights(weights, "sigmoid", n_classes, l2=lam).loss_and_grads(X, y)
    loss0, _ = MLP.from_weights(weights, "sigmoid", n_classes).loss_and_grads(X, y)
    for (W, _), (dW0, db0), (dW1, db1) in zip(weights, g0, g1):
        np.testing.assert_allclose(dW1 - dW0, lam * W, rtol=1e-12, atol=1e-14)
        np.testing.assert_array_equal(db1, db0)
    penalty = 0.5 * lam * sum((W ** 2).sum() for W, _ in weights)
    assert loss1 - loss0 == pytest.approx(penalty, rel=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_mixed_activation_network(n_classes):
    acts = ["tanh", "maxout", "prelu", "gelu"]
    sizes = (4, 3, 5, 3)
    slopes = [None, None, np.full(5, 0.25), None]
    weights, X, y = smooth_problem(acts, n_classes, seed=11, sizes=sizes, slopes=slopes)
    net = MLP.from_weights(weights, activation=acts, n_classes=n_classes, l2=L2,
                           maxout_k=K_MAXOUT)
    loss, grads = net.loss_and_grads(X, y)

    def f():
        return ref_loss(weights, acts, X, y, n_classes, L2, slopes=slopes)

    assert loss == pytest.approx(f(), rel=1e-12)
    for li, ((W, b), (dW, db)) in enumerate(zip(weights, grads)):
        assert_grad_close(dW, fd(f, W), f"layer {li + 1} dW")
        assert_grad_close(db, fd(f, b), f"layer {li + 1} db")


@pytest.mark.parametrize("k", [2, 5])
def test_maxout_gradient_reaches_only_winning_piece(k):
    weights, X, y = smooth_problem(["maxout"], 2, seed=k, sizes=(3,), k=k, n=1)
    net = MLP.from_weights(weights, activation="maxout", n_classes=2, maxout_k=k)
    _, grads = net.loss_and_grads(X, y)
    zs, _ = ref_forward(weights, ["maxout"], X, k=k)
    win = zs[0].reshape(1, 3, k).argmax(axis=-1)[0]
    db = grads[0][1].reshape(3, k)
    for j in range(3):
        losers = [i for i in range(k) if i != win[j]]
        np.testing.assert_array_equal(db[j, losers], 0.0)
        assert db[j, win[j]] != 0.0
    assert net.stack.n_params == sum(W.size + b.size for W, b in weights)


# --------------------------------------------------------------------------------------------
# Raw Stack: PReLU slopes, several models at once


def _fd_stack(stack, Xa, y, l2, m=0, idx=None):
    """Numeric gradient of model m's loss w.r.t. its entries of stack.P (selected idx)."""
    P = stack.P[m]
    idx = range(P.size) if idx is None else idx
    out = np.zeros(P.size)
    for i in idx:
        old = P[i]
        vals = []
        for s in (2, 1, -1, -2):
            P[i] = old + s * H
            vals.append(stack.loss_value(stack.logits(Xa), y, l2)[m])
        P[i] = old
        out[i] = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * H)
    return out


@pytest.mark.parametrize("n_classes", [2, 3])
def test_prelu_stack_gradients_including_slopes(n_classes):
    acts = ["prelu", "prelu"]
    rng = np.random.default_rng(21)
    slopes = [rng.uniform(-0.3, 0.8, 5), rng.uniform(-0.3, 0.8, 4)]
    weights, X, y = smooth_problem(acts, n_classes, seed=22, slopes=slopes)
    net = MLP.from_weights(weights, activation="prelu", n_classes=n_classes, l2=L2)
    stack = net.stack
    for i, s in enumerate(slopes):
        stack.alpha[i][0, 0, :] = s
    Xa = augment(X)
    loss = stack.loss_value(stack.gradient(Xa, y, L2), y, L2)[0]
    # the loss is the reference loss with these slopes, and slopes carry no L2 penalty
    assert loss == pytest.approx(ref_loss(weights, acts, X, y, n_classes, L2, slopes=slopes),
                                 rel=1e-12)
    G = stack.G[0].copy()
    numeric = _fd_stack(stack, Xa, y, L2)
    assert_grad_close(G, numeric, "all parameters incl. PReLU slopes")
    for i, s in enumerate(slopes):
        ga = stack.Galpha[i][0, 0]
        assert np.abs(ga).max() > 1e-5
        # and independently of the engine's forward: d ref_loss / d slope
        s_copy = s.copy()
        slopes_i = [x if j != i else s_copy for j, x in enumerate(slopes)]

        def f(slopes_i=slopes_i):
            return ref_loss(weights, acts, X, y, n_classes, L2, slopes=slopes_i)

        assert_grad_close(ga, fd(f, s_copy), f"slopes of layer {i + 1}")


def _single_grads(weights, name, param, n_classes, X, y, l2):
    kw = {"l2": l2}
    if param is not None:
        kw["param"] = param
    return MLP.from_weights(weights, activation=name, n_classes=n_classes, **kw).loss_and_grads(
        X, y)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_stack_of_different_models_matches_single_networks(n_classes):
    """M models in one Stack (sigmoid, tanh, relu, two leaky slopes) = M separate MLPs."""
    models = [("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", 0.01),
              ("leaky_relu", 0.3), ("elu", 1.7)]
    M = len(models)
    sizes = (5, 4)
    _, X, y = smooth_problem(["relu", "relu"], n_classes, seed=100, sizes=sizes)
    # the same X, y for all models: redraw weights until smooth on this X
    all_weights = []
    for m, (nm, p) in enumerate(models):
        rng = np.random.default_rng(200 + m)
        for _ in range(500):
            w = [(rng.normal(size=s) * 0.9, rng.normal(size=s[1]) * 0.5)
                 for s in [(2, 5), (5, 4), (4, 1 if n_classes == 2 else n_classes)]]
            zs, _ = ref_forward(w, [nm, nm], X, [p, p] if p is not None else None)
            if _is_smooth(zs, [nm, nm]):
                break
        all_weights.append(w)
    loss = loss_for(n_classes)
    layers = []
    fan_in = 2
    for units in sizes:
        acts = [ACTIVATIONS[nm] for nm, _ in models]
        params = [p if p is not None else default_param(nm) for nm, p in models]
        layers.append(Layer(fan_in, units, 1, False, acts, params))
        fan_in = units
    stack = Stack(layers, loss.n_outputs(n_classes), M, loss)
    for m, w in enumerate(all_weights):
        stack.set_weights(m, w)
    losses = stack.loss_value(stack.gradient(augment(X), y, L2), y, L2)
    for m, (nm, p) in enumerate(models):
        single_loss, single = _single_grads(all_weights[m], nm, p, n_classes, X, y, L2)
        assert losses[m] == pytest.approx(single_loss, rel=1e-12)
        for li, (dW, db) in enumerate(single):
            G = stack.GW[li][m]
            np.testing.assert_allclose(G[:-1], dW, rtol=1e-10, atol=1e-13,
                                       err_msg=f"model {nm}({p}) layer {li + 1} dW")
            np.testing.assert_allclose(G[-1], db, rtol=1e-10, atol=1e-13,
                                       err_msg=f"model {nm}({p}) layer {li + 1} db")
        # and against finite differences of the reference directly
        params = [p if p is not None else default_param(nm)] * 2
        ws = all_weights[m]

        def f(ws=ws, nm=nm, params=params):
            return ref_loss(ws, [nm, nm], X, y, n_classes, L2, params)

        W1 = ws[0][0]
        assert_grad_close(stack.GW[0][m][:-1], fd(f, W1), f"{nm} stacked first layer")


def test_stack_of_identical_activation_models_is_independent():
    """Two tanh models with different weights: each model's gradient is its own."""
    loss = loss_for(2)
    tanh = ACTIVATIONS["tanh"]
    layers = [Layer(2, 3, 1, False, [tanh, tanh], [None, None])]
    stack = Stack(layers, 1, 2, loss)
    w0, X, y = smooth_problem(["tanh"], 2, seed=1, sizes=(3,))
    w1, _, _ = smooth_problem(["tanh"], 2, seed=2, sizes=(3,))
    stack.set_weights(0, w0)
    stack.set_weights(1, w1)
    stack.gradient(augment(X), y, L2)
    for m, w in enumerate([w0, w1]):
        _, single = _single_grads(w, "tanh", None, 2, X, y, L2)
        for li, (dW, db) in enumerate(single):
            np.testing.assert_allclose(stack.GW[li][m][:-1], dW, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(stack.GW[li][m][-1], db, rtol=1e-12, atol=1e-15)


# --------------------------------------------------------------------------------------------
# Numerical robustness of the losses


@pytest.mark.parametrize("n_classes", [2, 3])
def test_loss_and_grads_finite_for_huge_logits(n_classes):
    """Losses are computed from logits: no overflow or NaN even for logits ~1e4."""
    rng = np.random.default_rng(0)
    n_out = 1 if n_classes == 2 else n_classes
    weights = [(rng.normal(size=(2, 4)) * 100, np.zeros(4)),
               (rng.normal(size=(4, n_out)) * 100, np.zeros(n_out))]
    X = rng.normal(size=(20, 2)) * 3
    y = np.arange(20) % n_classes
    net = MLP.from_weights(weights, activation="identity", n_classes=n_classes)
    loss, grads = net.loss_and_grads(X, y)
    assert np.isfinite(loss)
    assert loss == pytest.approx(ref_loss(weights, ["identity"], X, y, n_classes, 0.0),
                                 rel=1e-9)
    for dW, db in grads:
        assert np.isfinite(dW).all() and np.isfinite(db).all()
    proba = net.predict_proba(X)
    assert proba.shape == (20, n_classes)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
