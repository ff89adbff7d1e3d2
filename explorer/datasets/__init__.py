"""Two-dimensional classification datasets.

Every dataset is a :class:`DatasetSpec` in the :data:`DATASETS` registry. :func:`make_data`
builds one, splits it (stratified) into train and test parts and standardises the features
with statistics from the training part only. :func:`dataset_from_arrays` does the same
split/standardise step for arbitrary arrays (used for the built-in real datasets and for
uploaded CSV files); inputs with more than two features are reduced to two principal
components, again fitted on the training part only.

All randomness comes from the ``seed`` argument: the same arguments give identical arrays.

Layout: :mod:`.arrays` (:class:`Dataset`, :class:`SplitError`, :func:`dataset_from_arrays`),
:mod:`.makers` (:class:`RawData` and the makers), and here the registry, :func:`make_data` and
:func:`display_names` (re-exporting the public names of the other two).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

from sklearn import datasets as skd

from ..registry import Registry
from ..texts import DEFAULT_LANG, lookup
from ..texts.datasets import TEXT
from . import makers
from .arrays import PCA_NAMES, Dataset, SplitError, dataset_from_arrays
from .makers import MakeFn, RawData


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


DATASETS: Registry[DatasetSpec] = Registry("dataset")


def _register(name: str, make: MakeFn, classes: tuple[int, int], fixed_size: int | None = None,
              standardise: bool = True) -> None:
    DATASETS.register(DatasetSpec(name=name, make=make, has_noise=fixed_size is None,
                                  classes=classes, fixed_size=fixed_size, standardise=standardise))


_register("moons", makers.moons, (2, 2))
_register("circles", makers.circles, (2, 2))
_register("blobs", makers.blobs, (2, 6))
_register("classification", makers.classification, (2, 4))
_register("gaussian_quantiles", makers.gaussian_quantiles, (2, 6))
_register("xor", makers.xor, (2, 2))
_register("spiral", makers.spiral, (2, 6))
_register("spiral_cs231n", makers.spiral_cs231n, (3, 3), standardise=False)
_register("iris", makers.real_maker(skd.load_iris), (3, 3), fixed_size=150)
_register("wine",
          makers.real_maker(skd.load_wine, tuple(lookup(TEXT, k) for k in _class_keys("wine"))),
          (3, 3), fixed_size=178)
_register("breast_cancer", makers.real_maker(skd.load_breast_cancer), (2, 2), fixed_size=569)



def display_names(data: Dataset, lang: str = DEFAULT_LANG
                  ) -> tuple[tuple[str, ...], tuple[str, ...]]:
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
