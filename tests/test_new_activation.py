"""A new activation is one registry entry: registered with only f and f' (no kernels, no name
anywhere else), it is

(a) trained by the engine's one forward / backward path (``explorer.fastpath``, counted by
    ``FastPath.batches``) through the generic kernels derived from f and f', with the numbers
    of the plain reference pass and of finite differences;
(b) listed and drawn on the Gallery page;
(c) accepted as a URL choice (``FIELDS["activation"]``, ``TrainConfig.from_query``).

The fixture removes it afterwards, so no other test sees it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pagetest import no_errors, page_file, run
from stack_reference import ReferenceStack

from explorer import ACTIVATIONS, MLP, TrainConfig, train
from explorer.activations import Activation
from explorer.config import FIELDS
from explorer.fastpath import FastPath
from explorer.losses import loss_for
from explorer.network import Layer, augment
from explorer.train import engine

NAME = "softsign"
LABEL = "Softsign (test)"


def softsign(z, p=None):
    return z / (1.0 + np.abs(z))


def d_softsign(z, a, p=None):
    return 1.0 / (1.0 + np.abs(z)) ** 2


@pytest.fixture
def new_act():
    act = Activation(NAME, LABEL, softsign, d_softsign, r"f(z)=\frac{z}{1+|z|}",
                     r"f'(z)=\frac{1}{(1+|z|)^2}", "(-1, 1)", True, ("-", "+"), True, False,
                     1.0, False)
    assert NAME not in ACTIVATIONS
    ACTIVATIONS.register(act)
    try:
        yield act
    finally:
        ACTIVATIONS.unregister(NAME)
    assert NAME not in ACTIVATIONS


def test_it_has_no_kernels_of_its_own(new_act):
    """Only f and f' were given: the hot path's kernels are the generic ones built from them."""
    assert not new_act.f_inplace and new_act.df_kernel is None
    fwd, args = new_act.forward_kernel(None)
    z = np.linspace(-4, 4, 9).reshape(3, 3)
    out = np.empty_like(z)
    fwd(z, *args, out)
    np.testing.assert_array_equal(out, softsign(z))
    da, dz = np.full_like(z, 2.0), np.empty_like(z)
    new_act.backward_kernel(None)(da, z, out, np.empty_like(z), np.empty(z.shape, bool), dz)
    np.testing.assert_array_equal(dz, 2.0 * d_softsign(z, out))


def test_trained_by_the_fast_path(new_act, monkeypatch):
    """train() runs every epoch through FastPath.train_epoch with the new activation in the
    stack (counted batches), and the run learns."""
    seen = []
    original = FastPath.train_epoch

    def spy(fp, *args):
        before = fp.batches
        original(fp, *args)
        seen.append(({a.name for layer in fp.st.layers for a in layer.acts},
                     fp.batches - before))

    monkeypatch.setattr(FastPath, "train_epoch", spy)
    cfg = TrainConfig(activation=NAME, hidden=(8, 8), n_samples=200, epochs=4, batch_size=32,
                      n_checkpoints=3)
    rec = train(cfg)
    n_train = len(rec.data.y_train)
    assert len(seen) == cfg.epochs
    assert all(names == {NAME} and n == math.ceil(n_train / 32) for names, n in seen), seen
    assert rec.diverged_at is None and np.isfinite(rec.history["train_loss"]).all()
    assert rec.history["train_loss"].iloc[-1] < rec.history["train_loss"].iloc[0]


def _problem(seed=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    weights = [(rng.normal(size=(2, 5)), rng.normal(size=5) * 0.3),
               (rng.normal(size=(5, 4)), rng.normal(size=4) * 0.3),
               (rng.normal(size=(4, 1)), rng.normal(size=1) * 0.3)]
    return weights, X, y


def test_its_gradient_matches_the_reference_pass_and_finite_differences(new_act):
    weights, X, y = _problem()
    net = MLP.from_weights(weights, activation=NAME, n_classes=2, l2=0.01)
    with engine():
        loss, grads = net.loss_and_grads(X, y)
    # the plain sample-major reference pass (f and f' straight from the registry)
    loss_fn = loss_for(2)
    layers = [Layer(2, 5, 1, False, [new_act], [None]), Layer(5, 4, 1, False, [new_act], [None])]
    ref = ReferenceStack(layers, 1, 1, loss_fn)
    ref.set_weights(0, weights)
    cache = ref.forward(augment(X))
    ref.backward(cache, y, 0.01)
    assert loss == pytest.approx(float(ref.loss_value(cache.z[-1], y, 0.01)[0]), rel=1e-12)
    for i, (dW, db) in enumerate(grads):
        np.testing.assert_allclose(dW, ref.GW[i][0, :-1], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(db, ref.GW[i][0, -1], rtol=1e-12, atol=1e-14)
    # and finite differences of the loss through the fast path itself, first layer's weights
    W1 = weights[0][0]
    h = 1e-6
    for (r, c) in [(0, 0), (1, 3), (0, 4)]:
        vals = []
        for s in (1, -1):
            w = [(W.copy(), b.copy()) for W, b in weights]
            w[0][0][r, c] = W1[r, c] + s * h
            vals.append(MLP.from_weights(w, activation=NAME, l2=0.01).loss_and_grads(X, y)[0])
        assert grads[0][0][r, c] == pytest.approx((vals[0] - vals[1]) / (2 * h), rel=1e-6)


def test_listed_and_drawn_on_the_gallery_page(new_act):
    at = run(page_file("gallery"))
    no_errors(at)
    assert NAME in at.multiselect(key="gallery.acts").options or LABEL in \
        at.multiselect(key="gallery.acts").options
    at = run(page_file("gallery"), {"acts": f"relu-{NAME}"})
    no_errors(at)
    assert at.multiselect(key="gallery.acts").value == ["relu", NAME]
    assert LABEL in "\n".join(m.value for m in at.markdown)


def test_accepted_as_a_url_choice(new_act):
    assert NAME in FIELDS["activation"].choices()
    cfg, errors = TrainConfig.from_query({"activation": NAME})
    assert not errors and cfg.activation == NAME
    cfg, errors = TrainConfig.from_query({"activation": "no_such_act"})
    assert errors and cfg.activation == TrainConfig().activation


def test_gone_after_the_fixture():
    assert NAME not in ACTIVATIONS
    assert NAME not in FIELDS["activation"].choices()
