"""The data set makers: ``make(n_samples, noise, n_classes, seed) -> RawData`` (unsplit,
unscaled; the registry in :mod:`explorer.datasets` splits and standardises)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from sklearn import datasets as skd


class RawData(NamedTuple):
    """Unsplit, unscaled output of a dataset maker.

    ``X`` has shape (n, d) with d >= 2 (d > 2 is reduced with PCA), ``y`` holds labels
    ``0 .. K-1``; the optional names override the defaults of :func:`dataset_from_arrays`.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, str] | None = None
    class_names: tuple[str, ...] | None = None


MakeFn = Callable[[int, float, int, int], RawData]
"""``make(n_samples, noise, n_classes, seed) -> RawData``."""


# --------------------------------------------------------------------------------------
# dataset makers: make(n_samples, noise, n_classes, seed) -> RawData


def _per_class(n_samples: int, k: int) -> list[int]:
    return [n_samples // k + (j < n_samples % k) for j in range(k)]


def moons(n: int, noise: float, k: int, seed: int) -> RawData:
    X, y = skd.make_moons(n_samples=n, noise=noise, random_state=seed)
    return RawData(X, y)


def circles(n: int, noise: float, k: int, seed: int) -> RawData:
    X, y = skd.make_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed)
    return RawData(X, y)


def blobs(n: int, noise: float, k: int, seed: int) -> RawData:
    # centres evenly on a circle of radius 3 so classes are comparable; noise widens blobs
    angle = 2 * np.pi * np.arange(k) / k
    centres = 3.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    X, y = skd.make_blobs(
        n_samples=n, centers=centres, cluster_std=0.5 + 2.0 * noise, random_state=seed
    )
    return RawData(X, y)


def classification(n: int, noise: float, k: int, seed: int) -> RawData:
    X, y = skd.make_classification(
        n_samples=n,
        n_features=2,
        n_informative=2,
        n_redundant=0,
        n_repeated=0,
        n_classes=k,
        n_clusters_per_class=1,
        class_sep=2.0 / (1.0 + 2.0 * noise),
        flip_y=min(0.5, 0.1 * noise),
        random_state=seed,
    )
    return RawData(X, y)


def gaussian_quantiles(n: int, noise: float, k: int, seed: int) -> RawData:
    X, y = skd.make_gaussian_quantiles(n_samples=n, n_features=2, n_classes=k, random_state=seed)
    rng = np.random.default_rng(seed)
    return RawData(X + rng.normal(scale=noise, size=X.shape), y)


def xor(n: int, noise: float, k: int, seed: int) -> RawData:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = (np.sign(X[:, 0]) * np.sign(X[:, 1]) > 0).astype(np.int64)
    return RawData(X + rng.normal(scale=noise, size=X.shape), y)


def spiral(n: int, noise: float, k: int, seed: int) -> RawData:
    # CS231n spiral: radius 0..1, angle curls 4 rad, arms evenly rotated, jittered angle
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for j, m in enumerate(_per_class(n, k)):
        r = np.linspace(0.0, 1.0, m)
        t = 2 * np.pi * j / k + 4.0 * r + rng.normal(scale=noise, size=m)
        xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(m, j, dtype=np.int64))
    return RawData(np.concatenate(xs), np.concatenate(ys))


def spiral_cs231n(n: int, noise: float, k: int, seed: int) -> RawData:
    # CS231n (Karpathy, "Putting it together: minimal neural network case study"): arm j has
    # radius linspace(0, 1, N) and angle linspace(4j, 4(j + 1), N) + N(0, 0.2²) noise (here
    # ``noise`` is that 0.2); the features are not standardised
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for j, m in enumerate(_per_class(n, k)):
        r = np.linspace(0.0, 1.0, m)
        t = np.linspace(4.0 * j, 4.0 * (j + 1), m) + rng.normal(scale=noise, size=m)
        xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(m, j, dtype=np.int64))
    return RawData(np.concatenate(xs), np.concatenate(ys))


def real_maker(loader: Callable[..., object], class_names: tuple[str, ...] | None = None
               ) -> MakeFn:
    """A maker returning the data of a scikit-learn ``loader`` (``load_iris``, ...) as they are
    (the size, noise and seed are ignored), with ``class_names`` or the loader's."""

    def make(n: int, noise: float, k: int, seed: int) -> RawData:
        bunch = loader()
        names = class_names or tuple(str(c) for c in bunch.target_names)  # type: ignore[attr-defined]
        return RawData(bunch.data, bunch.target, None, names)  # type: ignore[attr-defined]

    return make
