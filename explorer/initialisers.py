r"""Weight initialisers, registered in ``INITIALISERS``.

Each entry draws a ``(fan_in, width)`` matrix from a ``numpy.random.Generator``; ``scale`` is
the entry's own knob (``scale_label`` says which: σ, a, value or gain). ``fan_out`` is the
number of *units* of the layer (for Maxout, width = units × k but fan_out = units).
Biases are not drawn: their initial value is the separate ``bias_init`` setting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .registry import Registry

Draw = Callable[[np.random.Generator, int, int, int, float], np.ndarray]


@dataclass(frozen=True)
class Initialiser:
    name: str
    label: str
    draw: Draw  # (rng, fan_in, fan_out, width, scale) -> (fan_in, width)
    formula: str
    scale_label: str  # what init_scale means for this entry

    def __call__(self, rng: np.random.Generator, fan_in: int, fan_out: int, width: int,
                 scale: float) -> np.ndarray:
        return self.draw(rng, fan_in, fan_out, width, scale)


def _normal(std: Callable[[int, int, float], float]) -> Draw:
    return lambda rng, i, o, w, s: rng.standard_normal((i, w)) * std(i, o, s)


def _uniform(limit: Callable[[int, int, float], float]) -> Draw:
    return lambda rng, i, o, w, s: rng.uniform(-1.0, 1.0, (i, w)) * limit(i, o, s)


INITIALISERS: Registry[Initialiser] = Registry("initialiser")
INITIALISERS.register(Initialiser(
    "zeros", "Zeros", lambda rng, i, o, w, s: np.zeros((i, w)), r"W=0", "(unused)"))
INITIALISERS.register(Initialiser(
    "constant", "Constant", lambda rng, i, o, w, s: np.full((i, w), float(s)), r"W=c", "value c"))
INITIALISERS.register(Initialiser(
    "normal", "Normal N(0, σ²)", _normal(lambda i, o, s: s), r"W\sim\mathcal N(0,\sigma^2)", "σ"))
INITIALISERS.register(Initialiser(
    "uniform", "Uniform U(-a, a)", _uniform(lambda i, o, s: s), r"W\sim U(-a,a)", "a"))
INITIALISERS.register(Initialiser(
    "xavier_uniform", "Xavier/Glorot uniform",
    _uniform(lambda i, o, s: s * np.sqrt(6.0 / (i + o))),
    r"W\sim U\bigl(-g\sqrt{6/(n_{in}+n_{out})},\ g\sqrt{6/(n_{in}+n_{out})}\bigr)", "gain g"))
INITIALISERS.register(Initialiser(
    "xavier_normal", "Xavier/Glorot normal", _normal(lambda i, o, s: s * np.sqrt(2.0 / (i + o))),
    r"W\sim\mathcal N\bigl(0,\ g^2\cdot 2/(n_{in}+n_{out})\bigr)", "gain g"))
INITIALISERS.register(Initialiser(
    "he_uniform", "He/Kaiming uniform", _uniform(lambda i, o, s: s * np.sqrt(6.0 / i)),
    r"W\sim U\bigl(-g\sqrt{6/n_{in}},\ g\sqrt{6/n_{in}}\bigr)", "gain g"))
INITIALISERS.register(Initialiser(
    "he_normal", "He/Kaiming normal", _normal(lambda i, o, s: s * np.sqrt(2.0 / i)),
    r"W\sim\mathcal N(0,\ g^2\cdot 2/n_{in})", "gain g"))
INITIALISERS.register(Initialiser(
    "lecun_normal", "LeCun normal", _normal(lambda i, o, s: s * np.sqrt(1.0 / i)),
    r"W\sim\mathcal N(0,\ g^2/n_{in})", "gain g"))

#: ``init="auto"`` picks the activation's ``recommended_init`` (He for the ReLU family,
#: Xavier for sigmoid/tanh, LeCun for SELU).
AUTO = "auto"
