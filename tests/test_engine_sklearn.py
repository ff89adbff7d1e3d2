"""Cross-check of the engine against scikit-learn's MLPClassifier.

From identical weights, one full-batch update of ``MLP.step`` must give the same new weights
as MLPClassifier (solver="sgd", momentum 0, batch_size = n, shuffle off, constant learning
rate) to 1e-9, for every activation the two share, for binary (one logistic output unit) and
multiclass (softmax) problems, and with L2 (our λ = sklearn's alpha / n_samples).

How sklearn is driven: ``fit(max_iter=1)`` once to initialise, then ``coefs_`` / ``intercepts_``
are replaced by our weights and ``partial_fit`` runs exactly one epoch = one full-batch step.
sklearn's optimiser updates the arrays it is handed *in place* (``param += update``) and takes
them from ``coefs_ + intercepts_`` at the start of each fit call, so fresh arrays are safe.
For the stateful optimisers a fresh optimiser is needed: ``warm_start=True`` plus ``fit``
keeps the weights but builds a new optimiser (momentum, Nesterov, Adam over several steps).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from explorer import ACTIVATIONS, MLP

SHARED = [a.name for a in ACTIVATIONS if a.sklearn_name is not None]
HIDDEN = (6, 5)
N = 40


def test_shared_activations_are_the_expected_ones():
    names = {a.name: a.sklearn_name for a in ACTIVATIONS if a.sklearn_name}
    assert names == {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu",
                     "identity": "identity"}


def _problem(n_classes: int, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, 2))
    y = np.arange(N) % n_classes
    rng.shuffle(y)
    n_out = 1 if n_classes == 2 else n_classes
    dims = [2, *HIDDEN, n_out]
    weights = [(rng.normal(size=(dims[i], dims[i + 1])) * 0.8, rng.normal(size=dims[i + 1]) * 0.3)
               for i in range(len(dims) - 1)]
    return X, y, weights


def _clf(act: str, lr: float, alpha: float, **kw) -> MLPClassifier:
    params = dict(hidden_layer_sizes=HIDDEN, activation=ACTIVATIONS[act].sklearn_name,
                  solver="sgd", alpha=alpha, batch_size=N, learning_rate="constant",
                  learning_rate_init=lr, momentum=0.0, nesterovs_momentum=False,
                  shuffle=False, max_iter=1, random_state=0, early_stopping=False,
                  n_iter_no_change=1000, tol=0.0)
    params.update(kw)
    return MLPClassifier(**params)


def _quiet_fit(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fn(*args)


def _set(clf: MLPClassifier, weights) -> None:
    assert [c.shape for c in clf.coefs_] == [W.shape for W, _ in weights]
    clf.coefs_ = [W.copy() for W, _ in weights]
    clf.intercepts_ = [b.copy() for _, b in weights]


def _assert_same(ours, clf, atol=1e-9):
    for i, ((W, b), Ws, bs) in enumerate(zip(ours, clf.coefs_, clf.intercepts_)):
        np.testing.assert_allclose(W, Ws, rtol=0, atol=atol, err_msg=f"layer {i + 1} W")
        np.testing.assert_allclose(b, bs, rtol=0, atol=atol, err_msg=f"layer {i + 1} b")


def _moved(before, after) -> float:
    return max(float(np.abs(a[0] - b[0]).max()) for a, b in zip(before, after))


@pytest.mark.parametrize("alpha", [0.0, 0.8], ids=["no-l2", "l2"])
@pytest.mark.parametrize("n_classes", [2, 3], ids=["binary", "3-class"])
@pytest.mark.parametrize("act", SHARED)
def test_one_full_batch_sgd_step_matches_sklearn(act, n_classes, alpha):
    X, y, weights = _problem(n_classes, seed=len(act) * 10 + n_classes)
    lr = 0.5
    clf = _clf(act, lr, alpha)
    _quiet_fit(clf.fit, X, y)
    assert clf.out_activation_ == ("logistic" if n_classes == 2 else "softmax")
    _set(clf, weights)
    clf.partial_fit(X, y)
    assert clf.n_iter_ == 1

    net = MLP.from_weights(weights, activation=act, n_classes=n_classes, l2=alpha / N)
    loss_before = net.step(X, y, optimizer="sgd", lr=lr)
    after = net.weights()
    assert _moved(weights, after) > 1e-3  # the step is not trivially small
    _assert_same(after, clf)
    # sklearn's loss_ of that epoch is the loss before the update (with its L2 term)
    assert loss_before == pytest.approx(clf.loss_, rel=1e-9)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_predict_proba_matches_sklearn(n_classes):
    X, y, weights = _problem(n_classes, seed=3)
    clf = _clf("tanh", 0.1, 0.0)
    _quiet_fit(clf.fit, X, y)
    _set(clf, weights)
    net = MLP.from_weights(weights, activation="tanh", n_classes=n_classes)
    np.testing.assert_allclose(net.predict_proba(X), clf.predict_proba(X), rtol=0, atol=1e-12)


@pytest.mark.parametrize(("optimizer", "sk"), [
    ("momentum", dict(solver="sgd", momentum=0.9, nesterovs_momentum=False)),
    ("nesterov", dict(solver="sgd", momentum=0.9, nesterovs_momentum=True)),
    ("adam", dict(solver="adam")),
])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_stateful_optimisers_match_sklearn_over_three_steps(optimizer, sk, n_classes):
    X, y, weights = _problem(n_classes, seed=9)
    lr, alpha, steps = 0.05, 0.1, 3
    clf = _clf("tanh", lr, alpha, warm_start=True, **sk)
    _quiet_fit(clf.fit, X, y)  # initialise shapes
    _set(clf, weights)
    clf.set_params(max_iter=steps)
    _quiet_fit(clf.fit, X, y)  # warm start: our weights, a fresh optimiser, 3 full-batch steps
    assert clf.n_iter_ == steps

    net = MLP.from_weights(weights, activation="tanh", n_classes=n_classes, l2=alpha / N)
    for _ in range(steps):
        net.step(X, y, optimizer=optimizer, lr=lr, momentum=0.9)
    assert _moved(weights, net.weights()) > 1e-3
    _assert_same(net.weights(), clf)


def test_relu_dead_units_agree_with_sklearn():
    """A ReLU unit negative on every sample gets zero gradient in both implementations."""
    X, y, weights = _problem(2, seed=4)
    weights[0][1][:3] = -50.0  # first three units of layer 1 are dead on all data
    clf = _clf("relu", 0.5, 0.0)
    _quiet_fit(clf.fit, X, y)
    _set(clf, weights)
    clf.partial_fit(X, y)
    net = MLP.from_weights(weights, activation="relu", n_classes=2)
    net.step(X, y, optimizer="sgd", lr=0.5)
    _assert_same(net.weights(), clf)
    np.testing.assert_array_equal(net.weights()[0][0][:, :3], weights[0][0][:, :3])
