"""The hot path's epoch plan (``FastPath.epoch_plan``: one flat list of calls per batch, the
kernels' ufunc calls, np.dot for plain matrix products, the binary loss's 1/n folded into the
targets for batches of 2^k samples) computes bit for bit what the same batches give through
``full_gradient`` (the per-call path) followed by the optimiser's step (issue 27 item 4)."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.fastpath import engine
from explorer.kernels import expand
from explorer.network import augment
from explorer.optimisers import OPTIMISERS
from tests.test_fastpath import _data, make_stack

CASES = [
    ([["tanh", "tanh"]], 2),
    ([["relu", "sigmoid"]], 2),
    ([["sigmoid", "leaky_relu"], ["identity", "tanh"]], 2),
    ([["tanh", "maxout"], ["relu", "maxout"], ["maxout", "sigmoid"]], 2),
    ([["gelu", "relu"], ["prelu", "prelu"]], 2),
    ([["tanh", "relu"]], 3),
]


@pytest.mark.parametrize("batch", [16, 12, 70, 1])
@pytest.mark.parametrize("models,n_classes", CASES)
def test_epoch_plan_equals_batch_by_batch_gradients(models, n_classes, batch):
    X, y = _data(n=70, n_classes=n_classes, seed=3)
    if all(a == "prelu" for a in models[-1]) and len(models) > 1:
        models = [m for m in models if m[0] != "prelu"]  # (PReLU's stack is its own)
    st1 = make_stack(models, n_classes=n_classes, seed=4)
    st2 = make_stack(models, n_classes=n_classes, seed=4)
    opt = OPTIMISERS["momentum"]
    s1, s2 = opt.init(st1.P), opt.init(st2.P)
    XT = np.ascontiguousarray(augment(X).T)
    lr = np.linspace(0.05, 0.2, len(models))[:, None]
    with engine():
        for epoch in range(3):
            perm = np.random.default_rng(epoch).permutation(len(y))
            XTp, yp = XT.take(perm, axis=1), y.take(perm)  # a new order every epoch
            st1.train_epoch(XTp, yp, batch, opt.step, s1, lr, 0.9, 0.01)
            for s in range(0, len(y), batch):
                st2.fast().full_gradient(np.ascontiguousarray(XTp[:, s:s + batch]),
                                         yp[s:s + batch], 0.01)
                opt.step(st2.P, st2.G, s2, lr, 0.9)
            np.testing.assert_array_equal(st1.P, st2.P)
    assert st1.fast().batches == 3 * -(-len(y) // batch)


@pytest.mark.parametrize("shape", [(4, 9), (3, 40, 50)])
def test_kernel_ops_are_the_kernels_calls(shape):
    """A kernel's ``ops`` write what the kernel writes (sigmoid on both sides of 0, in its
    small- and large-array forms, included)."""
    from explorer import kernels as K

    rng = np.random.default_rng(0)
    z = rng.normal(size=shape) * 30
    z = z.reshape(-1, shape[-1])
    z[0, :3] = (0.0, -0.0, -745.0)
    da = rng.normal(size=z.shape)
    for f, p in [(K.sigmoid, None), (K.tanh, None), (K.relu, None), (K.leaky_relu, 0.1),
                 (K.leaky_relu, 1.5), (K.identity, None), (K.slopes_kernels(0.2)[0], None)]:
        args = (z, p) if f.__name__ != "fwd" else (z,)
        want, got = np.empty_like(z), np.empty_like(z)
        f(*args, want)
        for g, a in expand(f, (*args, got), (np.empty_like(z), np.empty(z.shape, bool))):
            g(*a)
        np.testing.assert_array_equal(got, want)
    a = np.tanh(z)
    for b in [K.sigmoid_backward, K.tanh_backward, K.relu_backward, K.identity_backward,
              K.slopes_kernels(0.2)[1]]:
        want, got = np.empty_like(z), np.empty_like(z)
        b(da, z, a, np.empty_like(z), np.empty(z.shape, bool), want)
        for g, args in expand(b, (da, z, a, np.empty_like(z), np.empty(z.shape, bool), got)):
            g(*args)
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_maxout_ops_are_the_kernels_calls(k):
    from explorer.kernels import maxout_kernels

    rng = np.random.default_rng(k)
    u, n = 3, 11
    z = np.round(rng.normal(size=(k * u, n)), 1)  # (ties: the first piece takes all)
    zs = tuple(z[j * u:(j + 1) * u] for j in range(k))
    fwd, bwd = maxout_kernels(u, k)
    out = []
    for ops in (False, True):
        a, da = np.empty((u, n)), rng.normal(size=(u, n)) if not ops else out[0][2].copy()
        dz, mk = np.empty_like(z), np.empty((u, n), bool)
        outs = tuple(dz[j * u:(j + 1) * u] for j in range(k))
        da0 = da.copy()
        calls = (expand(fwd, (zs, a), (None, mk)) + expand(bwd, (da, zs, a, mk, outs))
                 if ops else [(fwd, (zs, a)), (bwd, (da, zs, a, mk, outs))])
        for f, args in calls:
            f(*args)
        out.append((a.copy(), dz.copy(), da0))
    np.testing.assert_array_equal(out[0][0], out[1][0])
    np.testing.assert_array_equal(out[0][1], out[1][1])
