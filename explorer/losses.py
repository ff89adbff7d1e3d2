r"""Output layers and their losses, computed from logits (never from probabilities).

binary
    one logistic unit, :math:`L = \mathrm{softplus}(z) - y z = -[y\ln\sigma(z)+(1-y)\ln(1-\sigma(z))]`,
    :math:`\partial L/\partial z = \sigma(z) - y`.
multiclass
    softmax over K logits, :math:`L = \mathrm{logsumexp}(z) - z_y`,
    :math:`\partial L/\partial z = \mathrm{softmax}(z) - \mathrm{onehot}(y)`.

Losses are means over the samples. The optional L2 penalty is added to the mean:
:math:`L_{total} = \frac1n\sum_i L_i + \frac{\lambda}{2}\sum_{\text{layers}}\lVert W\rVert_F^2`
(weights only; biases and PReLU slopes are not penalised). scikit-learn's ``alpha`` relates by
:math:`\lambda = \alpha / n_{batch}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import sigmoid
from .registry import Registry


@dataclass(frozen=True)
class Loss:
    name: str
    label: str
    n_outputs: Callable[[int], int]  # n_classes -> number of logits
    value: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (M,n,o), y (n,) -> (M,) mean loss
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]  # dL_i/dz (not divided by n)
    proba: Callable[[np.ndarray], np.ndarray]  # logits -> class probabilities (M,n,K)
    formula: str


def _bin_value(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    z = z[..., 0]
    return (np.logaddexp(0.0, z) - y * z).mean(axis=-1)


def _bin_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """σ(z) − y = ½tanh(z/2) + (½ − y), written to need few array operations."""
    g = np.multiply(z, 0.5)
    np.tanh(g, out=g)
    g *= 0.5
    g += (0.5 - y)[:, None]
    return g


def _bin_proba(z: np.ndarray) -> np.ndarray:
    p1 = sigmoid(z[..., 0])
    return np.stack([1.0 - p1, p1], axis=-1)


def _log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=-1, keepdims=True)
    s = z - m
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def _mc_value(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    ls = _log_softmax(z)
    return -np.take_along_axis(ls, np.broadcast_to(y[None, :, None], ls.shape[:-1] + (1,)),
                               axis=-1)[..., 0].mean(axis=-1)


def _mc_proba(z: np.ndarray) -> np.ndarray:
    return np.exp(_log_softmax(z))


def _mc_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    g = _mc_proba(z)
    g[..., np.arange(y.shape[0]), y] -= 1.0
    return g


LOSSES: Registry[Loss] = Registry("loss")
LOSSES.register(Loss("binary", "Logistic output + cross-entropy", lambda k: 1,
                     _bin_value, _bin_grad, _bin_proba,
                     r"L=\ln(1+e^{z})-yz"))
LOSSES.register(Loss("multiclass", "Softmax + cross-entropy", lambda k: k,
                     _mc_value, _mc_grad, _mc_proba,
                     r"L=\log\sum_k e^{z_k}-z_y"))


def loss_for(n_classes: int) -> Loss:
    """Binary logistic output for two classes, softmax otherwise."""
    return LOSSES["binary" if n_classes == 2 else "multiclass"]
