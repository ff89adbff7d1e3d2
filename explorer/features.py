r"""Input features: what the network sees of a point (x₁, x₂) of the plane.

TensorFlow Playground's set: the coordinates themselves, their squares, their product and
their sines. A feature is one small object (name, label, formula, fn) registered in
``FEATURES``; ``TrainConfig.features`` picks a tuple of names (default ``("x1", "x2")``) and
the network's fan-in is the number picked. The boundary grid and the data stay on the raw
2-D plane: :func:`feature_matrix` maps points of the plane to the network's inputs, the same
way for the training points, the test points and the grid.

The features are computed from the standardised coordinates the data set provides (so x₁²
and x₂² have mean about 1, sin x₁ lives in [-1, 1]); they are not standardised again.

>>> feature_matrix(("x1", "x1sq"), np.array([[2.0, 3.0]]))
array([[2., 4.]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .registry import Registry

Array = np.ndarray
#: the default: the two coordinates, as every run had before features existed
DEFAULT_FEATURES = ("x1", "x2")


@dataclass(frozen=True)
class Feature:
    """One input feature.

    Attributes
    ----------
    name : URL-safe registry name ("x1sq")
    label : what it is drawn as, in every language ("x₁²"); its description is in
        ``explorer.texts.network`` (``feature.<name>``)
    formula : LaTeX
    fn : ``fn(x1, x2) -> values``, elementwise on arrays of the same shape
    """

    name: str
    label: str
    formula: str
    fn: Callable[[Array, Array], Array]


FEATURES: Registry[Feature] = Registry("feature")
FEATURES.register(Feature("x1", "x₁", r"x_1", lambda x1, x2: x1))
FEATURES.register(Feature("x2", "x₂", r"x_2", lambda x1, x2: x2))
FEATURES.register(Feature("x1sq", "x₁²", r"x_1^2", lambda x1, x2: x1 * x1))
FEATURES.register(Feature("x2sq", "x₂²", r"x_2^2", lambda x1, x2: x2 * x2))
FEATURES.register(Feature("x1x2", "x₁·x₂", r"x_1 x_2", lambda x1, x2: x1 * x2))
FEATURES.register(Feature("sinx1", "sin(x₁)", r"\sin x_1", lambda x1, x2: np.sin(x1)))
FEATURES.register(Feature("sinx2", "sin(x₂)", r"\sin x_2", lambda x1, x2: np.sin(x2)))


def normalise(names: Sequence[str]) -> tuple[str, ...]:
    """The registry's order of a set of feature names (so equal sets give equal configs).

    Raises ValueError for an unknown name, a repeated one, or none at all."""
    names = tuple(names)
    if not names:
        raise ValueError("at least one feature is needed")
    for n in names:
        if n not in FEATURES:
            raise ValueError(f"unknown feature {n!r}")
    if len(set(names)) != len(names):
        raise ValueError("a feature is listed twice")
    order = FEATURES.names()
    return tuple(sorted(names, key=order.index))


def feature_matrix(names: Sequence[str], X: Array) -> Array:
    """(n, 2) points of the plane -> (n, len(names)) network inputs, float64, C order.

    The default ``("x1", "x2")`` returns a copy of ``X`` (the same numbers)."""
    X = np.asarray(X, dtype=np.float64)
    x1, x2 = X[:, 0], X[:, 1]
    out = np.empty((X.shape[0], len(names)))
    for j, n in enumerate(names):
        out[:, j] = FEATURES[n].fn(x1, x2)
    return out
