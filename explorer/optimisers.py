r"""Optimisers, registered in ``OPTIMISERS``.

All share one template (as scikit-learn's): parameters live in one flat array ``P`` of shape
``(M, n_params)`` (M models trained together); a step receives the gradient ``G`` of the same
shape, the per-model learning rate ``lr`` of shape ``(M, 1)`` and the optimiser state created by
``init``, and updates ``P`` in place.

sgd       :math:`w \leftarrow w - \eta g`
momentum  :math:`v \leftarrow \mu v - \eta g,\ w \leftarrow w + v`
nesterov  :math:`v \leftarrow \mu v - \eta g,\ w \leftarrow w + \mu v - \eta g` (as scikit-learn)
adam      Kingma & Ba 2015 with bias correction, β₁=0.9, β₂=0.999, ε=1e-8
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .registry import Registry


@dataclass(frozen=True)
class Optimiser:
    name: str
    label: str
    init: Callable[[np.ndarray], dict]
    step: Callable[[np.ndarray, np.ndarray, dict, np.ndarray, float], None]
    uses_momentum: bool
    formula: str


def _sgd_step(P, G, state, lr, momentum):
    G *= lr
    P -= G


def _momentum_init(P):
    return {"v": np.zeros_like(P)}


def _momentum_step(P, G, state, lr, momentum):
    v = state["v"]
    v *= momentum
    G *= lr
    v -= G
    P += v


def _nesterov_step(P, G, state, lr, momentum):
    v = state["v"]
    v *= momentum
    G *= lr
    v -= G
    P += momentum * v
    P -= G


BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def _adam_init(P):
    return {"m": np.zeros_like(P), "v": np.zeros_like(P), "t": 0}


def _adam_step(P, G, state, lr, momentum):
    state["t"] += 1
    t = state["t"]
    m, v = state["m"], state["v"]
    m *= BETA1
    m += (1 - BETA1) * G
    v *= BETA2
    v += (1 - BETA2) * (G * G)
    step = lr * (np.sqrt(1 - BETA2**t) / (1 - BETA1**t))
    P -= step * m / (np.sqrt(v) + EPS)


OPTIMISERS: Registry[Optimiser] = Registry("optimiser")
OPTIMISERS.register(Optimiser("sgd", "SGD", lambda P: {}, _sgd_step, False,
                              r"w\leftarrow w-\eta g"))
OPTIMISERS.register(Optimiser("momentum", "SGD + momentum", _momentum_init, _momentum_step, True,
                              r"v\leftarrow\mu v-\eta g,\ w\leftarrow w+v"))
OPTIMISERS.register(Optimiser("nesterov", "SGD + Nesterov", _momentum_init, _nesterov_step, True,
                              r"v\leftarrow\mu v-\eta g,\ w\leftarrow w+\mu v-\eta g"))
OPTIMISERS.register(Optimiser("adam", "Adam", _adam_init, _adam_step, False,
                              r"\text{Adam}(\beta_1=0.9,\beta_2=0.999)"))
