"""Two-dimensional classification datasets.

Every dataset is a :class:`DatasetSpec` in the :data:`DATASETS` registry. :func:`make_data`
builds one, splits it (stratified) into train and test parts and standardises the features
with statistics from the training part only. :func:`dataset_from_arrays` does the same
split/standardise step for arbitrary arrays (used for the built-in real datasets and for
uploaded CSV files); inputs with more than two features are reduced to two principal
components, again fitted on the training part only.

All randomness comes from the ``seed`` argument: the same arguments give identical arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from sklearn import datasets as skd
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from explorer.registry import Registry
from explorer.texts import DEFAULT_LANG, lookup
from explorer.texts.datasets import TEXT


def _class_keys(name: str) -> list[str]:
    """The text keys of a data set's class names (``<name>.class.<i>``; none where the maker
    numbers the classes)."""
    keys = [k for k in TEXT[DEFAULT_LANG] if k.startswith(f"{name}.class.")]
    return sorted(keys, key=lambda k: int(k.rsplit(".", 1)[1]))

__all__ = [
    "DATASETS",
    "Dataset",
    "DatasetSpec",
    "RawData",
    "SplitError",
    "dataset_from_arrays",
    "make_data",
]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A standardised, stratified train/test split of a 2-D classification problem.

    Attributes
    ----------
    X_train, X_test : ndarray of float64, shape (n, 2)
        Features, standardised with a scaler fitted on the training part only (except a
        set registered with ``standardise=False``: CS231n's spiral keeps its own units).
    y_train, y_test : ndarray of int64, shape (n,)
        Labels ``0 .. n_classes - 1``.
    n_classes : int
        Number of classes K >= 2.
    name : str
        Registry name, or ``"upload"``.
    feature_names : tuple of str
        Names of the two feature axes.
    class_names : tuple of str
        One display name per class; defaults to ``("0", "1", ...)``.

    Notes
    -----
    Instances compare and hash by identity (``eq=False``), so they can be used as cache keys.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    name: str
    feature_names: tuple[str, str] = ("x1", "x2")
    class_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.n_classes < 2:
            raise ValueError(f"n_classes must be at least 2, got {self.n_classes}")
        for part in ("train", "test"):
            X, y = getattr(self, f"X_{part}"), getattr(self, f"y_{part}")
            if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
                raise ValueError(
                    f"X_{part} must have shape (n, 2) and y_{part} shape (n,); "
                    f"got {X.shape} and {y.shape}"
                )
        names = tuple(self.class_names) or tuple(str(k) for k in range(self.n_classes))
        if len(names) != self.n_classes:
            raise ValueError(
                f"class_names has {len(names)} entries but n_classes is {self.n_classes}"
            )
        object.__setattr__(self, "class_names", names)
        object.__setattr__(self, "feature_names", tuple(self.feature_names))

    @property
    def n_train(self) -> int:
        """Number of training points."""
        return int(self.X_train.shape[0])

    @property
    def n_test(self) -> int:
        """Number of test points."""
        return int(self.X_test.shape[0])

    def domain(self, margin: float = 0.5) -> tuple[float, float, float, float]:
        """Bounding box of train and test points, widened by ``margin`` on every side.

        Returns
        -------
        tuple of float
            ``(xmin, xmax, ymin, ymax)``.
        """
        X = np.concatenate([self.X_train, self.X_test])
        lo, hi = X.min(axis=0), X.max(axis=0)
        return (
            float(lo[0] - margin),
            float(hi[0] + margin),
            float(lo[1] - margin),
            float(hi[1] + margin),
        )


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


@dataclass(frozen=True)
class DatasetSpec:
    """One entry of :data:`DATASETS`.

    Attributes
    ----------
    name : str
        Registry key; the label, description and class names in every language are texts
        of ``explorer/texts/datasets.py`` (:meth:`label_for`, :meth:`description_for`).
    make : callable
        ``make(n_samples, noise, n_classes, seed) -> RawData`` (unsplit, unscaled).
    has_noise : bool
        Whether the ``noise`` argument has an effect.
    classes : tuple of int
        Allowed ``(min, max)`` number of classes; ``(k, k)`` when the count is fixed.
    fixed_size : int or None
        Number of samples of a real dataset (``n_samples`` is then ignored).
    standardise : bool
        Standardise the features (True for every set but a reference one kept in its
        original units, e.g. CS231n's spiral).
    """

    name: str
    make: MakeFn
    has_noise: bool
    classes: tuple[int, int]
    fixed_size: int | None
    standardise: bool = True

    def label_for(self, lang: str = DEFAULT_LANG) -> str:
        """The data set's name in ``lang``."""
        return lookup(TEXT, f"{self.name}.label", lang)

    def description_for(self, lang: str = DEFAULT_LANG) -> str:
        """One sentence about the data set in ``lang``."""
        return lookup(TEXT, f"{self.name}.description", lang)

    @property
    def label(self) -> str:
        """English display label (the registry's)."""
        return self.label_for()

    @property
    def description(self) -> str:
        """One English sentence."""
        return self.description_for()

    # shims for callers of the former Chinese fields (the lead removes them after merging)
    zh_label = property(lambda self: self.label_for("zh"))
    zh_description = property(lambda self: self.description_for("zh"))
    zh_class_names = property(lambda self: tuple(lookup(TEXT, k, "zh")
                                                 for k in _class_keys(self.name)))

    @property
    def fixed_classes(self) -> bool:
        """True when the number of classes cannot be chosen."""
        return self.classes[0] == self.classes[1]

    def n_classes_for(self, n_classes: int) -> int:
        """Effective class count for a requested ``n_classes``.

        Fixed-class datasets ignore the request; variable ones raise ``ValueError``
        naming ``n_classes`` and the allowed range when it is outside ``classes``.
        """
        lo, hi = self.classes
        if self.fixed_classes:
            return lo
        if isinstance(n_classes, bool) or not isinstance(n_classes, Integral):
            raise ValueError(f"n_classes must be an integer, got {n_classes!r}")
        if not lo <= n_classes <= hi:
            raise ValueError(
                f"n_classes={n_classes} is not allowed for dataset {self.name!r}; "
                f"allowed range is {lo}..{hi}"
            )
        return int(n_classes)


class SplitError(ValueError):
    """The data cannot be split stratified so that every class has at least 2 training
    points and 1 test point.

    Attributes
    ----------
    n_test : int
        Size of the test part, ``ceil(n * test_fraction)``.
    n_classes : int
        Number of classes.
    class_name : str or None
        Display name of the first class with too few points, or None when the test part
        is simply smaller than the number of classes.
    count : int or None
        Total number of points of that class.
    """

    def __init__(
        self, n_test: int, n_classes: int, class_name: str | None = None, count: int | None = None
    ) -> None:
        if class_name is None:
            text = f"the test part would have {n_test} points, fewer than the {n_classes} classes"
        else:
            text = (
                f"class {class_name!r} has {count} points, too few for a stratified split "
                "(each class needs at least 2 training points and 1 test point)"
            )
        super().__init__(text)
        self.n_test = n_test
        self.n_classes = n_classes
        self.class_name = class_name
        self.count = count


# --------------------------------------------------------------------------------------
# split and standardise


def _readonly(a: np.ndarray, dtype: type) -> np.ndarray:
    out = np.ascontiguousarray(a, dtype=dtype).copy()
    out.setflags(write=False)
    return out


def dataset_from_arrays(
    X: np.ndarray,
    y: np.ndarray,
    test_fraction: float,
    seed: int,
    name: str = "upload",
    feature_names: Sequence[str] | None = None,
    class_names: Sequence[str] | None = None,
    standardise: bool = True,
) -> Dataset:
    """Split raw arrays into a standardised :class:`Dataset`.

    Parameters
    ----------
    X : array_like, shape (n, d), d >= 2
        Raw features. With d > 2 the features go through StandardScaler -> PCA(2) ->
        StandardScaler; with d == 2 through StandardScaler. Every step is fitted on the
        training part only.
    y : array_like, shape (n,)
        Labels of any sortable type; re-encoded to ``0..K-1`` in sorted order.
    test_fraction : float
        Fraction of points in the test part, in (0, 1).
    seed : int
        ``random_state`` of the stratified ``train_test_split``.
    name : str
        Dataset name stored on the result.
    feature_names : sequence of 2 str, optional
        Defaults to ``("x1", "x2")``, or ``("PC1", "PC2")`` when PCA is applied.
    class_names : sequence of str, optional
        Names of the sorted unique labels; defaults to ``str`` of each label.
    standardise : bool
        False keeps two features as they are (only split); ignored when PCA is applied.

    Returns
    -------
    Dataset

    Raises
    ------
    SplitError
        If a class would get fewer than 2 training or 1 test point.
    ValueError
        For malformed input (shapes, non-finite values, fewer than 2 classes, ...).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] < 2:
        raise ValueError(f"X must have shape (n, d) with d >= 2, got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values")
    if not (isinstance(test_fraction, Real) and 0.0 < float(test_fraction) < 1.0):
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")

    labels, y_enc = np.unique(y, return_inverse=True)
    y_enc = y_enc.reshape(-1).astype(np.int64)
    k = len(labels)
    if k < 2:
        raise ValueError(f"need at least 2 classes, got {k}")
    names = tuple(str(c) for c in (labels if class_names is None else class_names))
    if len(names) != k:
        raise ValueError(f"class_names has {len(names)} entries but there are {k} classes")

    reduce = X.shape[1] > 2
    if feature_names is None:
        feature_names = PCA_NAMES if reduce else ("x1", "x2")
    fnames = tuple(str(f) for f in feature_names)
    if len(fnames) != 2:
        raise ValueError(f"feature_names must have 2 entries, got {len(fnames)}")

    n_test = math.ceil(float(test_fraction) * len(y_enc))  # as train_test_split rounds
    counts = np.bincount(y_enc, minlength=k)

    def too_few(c: int) -> SplitError:
        return SplitError(n_test, k, names[c], int(counts[c]))

    smallest = int(np.argmin(counts))
    if counts[smallest] < 3:
        raise too_few(smallest)
    if n_test < k:
        raise SplitError(n_test, k)
    try:
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y_enc, test_size=float(test_fraction), stratify=y_enc, random_state=seed
        )
    except ValueError:  # e.g. the training part is smaller than the number of classes
        raise too_few(smallest) from None
    bad = np.flatnonzero(
        (np.bincount(y_tr, minlength=k) < 2) | (np.bincount(y_te, minlength=k) < 1)
    )
    if bad.size:
        raise too_few(int(bad[0]))

    if reduce:
        scaler = make_pipeline(
            StandardScaler(), PCA(n_components=2, random_state=seed), StandardScaler()
        )
    else:
        scaler = StandardScaler() if standardise else None
    if scaler is not None:
        X_tr = scaler.fit_transform(X_tr)
        X_te = scaler.transform(X_te)

    return Dataset(
        X_train=_readonly(X_tr, np.float64),
        y_train=_readonly(y_tr, np.int64),
        X_test=_readonly(X_te, np.float64),
        y_test=_readonly(y_te, np.int64),
        n_classes=k,
        name=name,
        feature_names=(fnames[0], fnames[1]),
        class_names=names,
    )


# --------------------------------------------------------------------------------------
# dataset makers: make(n_samples, noise, n_classes, seed) -> RawData


def _per_class(n_samples: int, k: int) -> list[int]:
    return [n_samples // k + (j < n_samples % k) for j in range(k)]


def _moons(n: int, noise: float, k: int, seed: int) -> RawData:
    X, y = skd.make_moons(n_samples=n, noise=noise, random_state=seed)
    return RawData(X, y)


def _circles(n: int, noise: float, k: int, seed: int) -> RawData:
    X, y = skd.make_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed)
    return RawData(X, y)


def _blobs(n: int, noise: float, k: int, seed: int) -> RawData:
    # centres evenly on a circle of radius 3 so classes are comparable; noise widens blobs
    angle = 2 * np.pi * np.arange(k) / k
    centres = 3.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    X, y = skd.make_blobs(
        n_samples=n, centers=centres, cluster_std=0.5 + 2.0 * noise, random_state=seed
    )
    return RawData(X, y)


def _classification(n: int, noise: float, k: int, seed: int) -> RawData:
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


def _gaussian_quantiles(n: int, noise: float, k: int, seed: int) -> RawData:
    X, y = skd.make_gaussian_quantiles(n_samples=n, n_features=2, n_classes=k, random_state=seed)
    rng = np.random.default_rng(seed)
    return RawData(X + rng.normal(scale=noise, size=X.shape), y)


def _xor(n: int, noise: float, k: int, seed: int) -> RawData:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = (np.sign(X[:, 0]) * np.sign(X[:, 1]) > 0).astype(np.int64)
    return RawData(X + rng.normal(scale=noise, size=X.shape), y)


def _spiral(n: int, noise: float, k: int, seed: int) -> RawData:
    # CS231n spiral: radius 0..1, angle curls 4 rad, arms evenly rotated, jittered angle
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for j, m in enumerate(_per_class(n, k)):
        r = np.linspace(0.0, 1.0, m)
        t = 2 * np.pi * j / k + 4.0 * r + rng.normal(scale=noise, size=m)
        xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(m, j, dtype=np.int64))
    return RawData(np.concatenate(xs), np.concatenate(ys))


def _spiral_cs231n(n: int, noise: float, k: int, seed: int) -> RawData:
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


def _real(loader: Callable[..., object], class_names: tuple[str, ...] | None = None) -> MakeFn:
    def make(n: int, noise: float, k: int, seed: int) -> RawData:
        bunch = loader()
        names = class_names or tuple(str(c) for c in bunch.target_names)  # type: ignore[attr-defined]
        return RawData(bunch.data, bunch.target, None, names)  # type: ignore[attr-defined]

    return make


DATASETS: Registry[DatasetSpec] = Registry("dataset")


def _register(name: str, make: MakeFn, classes: tuple[int, int], fixed_size: int | None = None,
              standardise: bool = True) -> None:
    DATASETS.register(DatasetSpec(name=name, make=make, has_noise=fixed_size is None,
                                  classes=classes, fixed_size=fixed_size, standardise=standardise))


_register("moons", _moons, (2, 2))
_register("circles", _circles, (2, 2))
_register("blobs", _blobs, (2, 6))
_register("classification", _classification, (2, 4))
_register("gaussian_quantiles", _gaussian_quantiles, (2, 6))
_register("xor", _xor, (2, 2))
_register("spiral", _spiral, (2, 6))
_register("spiral_cs231n", _spiral_cs231n, (3, 3), standardise=False)
_register("iris", _real(skd.load_iris), (3, 3), fixed_size=150)
_register("wine", _real(skd.load_wine, tuple(lookup(TEXT, k) for k in _class_keys("wine"))), (3, 3), fixed_size=178)
_register("breast_cancer", _real(skd.load_breast_cancer), (2, 2), fixed_size=569)

#: the principal-component axes (the reduced real data sets' feature names: PC1, PC2)
PCA_NAMES = ("PC1", "PC2")


def display_names(data: Dataset, lang: str = DEFAULT_LANG) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(feature names, class names) of ``data`` as shown in ``lang``: a registry data set's
    class names (``<name>.class.<i>`` of ``explorer/texts/datasets.py``) and the
    principal-component axes (``pca.<i>``) translated; an uploaded file's own names (and
    English) as they are."""
    features, classes = tuple(data.feature_names), tuple(data.class_names)
    if lang == DEFAULT_LANG:
        return features, classes
    if features == PCA_NAMES:
        features = tuple(lookup(TEXT, f"pca.{i}", lang) for i in range(len(features)))
    if data.name in DATASETS and len(_class_keys(data.name)) == len(classes):
        classes = tuple(lookup(TEXT, key, lang) for key in _class_keys(data.name))
    return features, classes


# --------------------------------------------------------------------------------------
# public entry point


def make_data(
    dataset: str,
    n_samples: int,
    noise: float,
    test_fraction: float,
    n_classes: int,
    seed: int,
) -> Dataset:
    """Build, split and standardise a registered dataset.

    Parameters
    ----------
    dataset : str
        Name in :data:`DATASETS`.
    n_samples : int
        Total number of points (ignored by real datasets, which use all their samples).
    noise : float
        Non-negative noise level (ignored when ``spec.has_noise`` is False).
    test_fraction : float
        Fraction of points held out for testing, in (0, 1).
    n_classes : int
        Number of classes; must lie in ``spec.classes`` for datasets with a variable
        count, ignored for fixed ones.
    seed : int
        The only source of randomness (data generation and split).

    Returns
    -------
    Dataset

    Raises
    ------
    ValueError
        Naming the offending argument (unknown dataset, ``n_classes`` out of range, too
        few samples to split, negative noise, ...).
    """
    spec = DATASETS[dataset]
    k = spec.n_classes_for(n_classes)
    if isinstance(seed, bool) or not isinstance(seed, Integral) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer in 0..2**32-1, got {seed!r}")
    if not (isinstance(test_fraction, Real) and 0.0 < float(test_fraction) < 1.0):
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    if spec.fixed_size is None:  # real datasets ignore n_samples and noise
        if isinstance(n_samples, bool) or not isinstance(n_samples, Integral) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}")
        if not (isinstance(noise, Real) and math.isfinite(noise) and noise >= 0):
            raise ValueError(f"noise must be a non-negative number, got {noise!r}")
    if spec.fixed_size is None:
        raw = spec.make(int(n_samples), float(noise), k, int(seed))
    else:
        raw = spec.make(spec.fixed_size, 0.0, k, int(seed))
    try:
        return dataset_from_arrays(
            raw.X,
            raw.y,
            test_fraction,
            int(seed),
            name=spec.name,
            feature_names=raw.feature_names,
            class_names=raw.class_names,
            standardise=spec.standardise,
        )
    except SplitError as e:
        raise ValueError(
            f"n_samples={n_samples} is too small for {k} classes with "
            f"test_fraction={test_fraction}: {e}"
        ) from e
