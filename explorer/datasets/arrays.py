"""A data set as arrays: the :class:`Dataset` split, :class:`SplitError`, and
:func:`dataset_from_arrays` (stratified split, standardisation, PCA to two features)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

#: the principal-component axes (the reduced real data sets' feature names: PC1, PC2)
PCA_NAMES = ("PC1", "PC2")


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
