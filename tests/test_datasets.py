"""Tests for explorer.datasets: registry, shapes, determinism, scaling, splitting."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from explorer.datasets import (
    DATASETS,
    Dataset,
    SplitError,
    dataset_from_arrays,
    make_data,
)

NAMES = [
    "moons",
    "circles",
    "blobs",
    "classification",
    "gaussian_quantiles",
    "xor",
    "spiral",
    "spiral_cs231n",
    "iris",
    "wine",
    "breast_cancer",
]
REAL = ["iris", "wine", "breast_cancer"]

# every dataset with its smallest and largest class count
CASES = [(s.name, k) for s in DATASETS for k in sorted({*s.classes})]


def build(name: str, k: int = 2, n: int = 200, noise: float = 0.2, tf: float = 0.25, seed: int = 0):
    return make_data(name, n_samples=n, noise=noise, test_fraction=tf, n_classes=k, seed=seed)


def arrays(ds: Dataset) -> list[np.ndarray]:
    return [ds.X_train, ds.y_train, ds.X_test, ds.y_test]


# ----------------------------------------------------------------------------- registry


def test_registry_has_the_contract_names_in_order():
    assert DATASETS.names() == NAMES


@pytest.mark.parametrize("spec", list(DATASETS), ids=lambda s: s.name)
def test_spec_fields(spec):
    lo, hi = spec.classes
    assert 2 <= lo <= hi <= 6
    assert spec.label and spec.label_for("zh") and spec.label != spec.label_for("zh")
    assert spec.description.endswith(".")
    assert spec.description[0].isupper() or spec.description[0].isdigit()
    assert spec.description_for("zh").endswith("。")
    assert callable(spec.make)
    if spec.name in REAL:
        assert spec.fixed_size and spec.fixed_classes and not spec.has_noise
    else:
        assert spec.fixed_size is None and spec.has_noise


def test_expected_class_ranges():
    ranges = {s.name: s.classes for s in DATASETS}
    assert ranges["blobs"] == ranges["gaussian_quantiles"] == ranges["spiral"] == (2, 6)
    assert ranges["classification"] == (2, 4)
    assert ranges["moons"] == ranges["circles"] == ranges["xor"] == (2, 2)
    assert ranges["iris"] == ranges["wine"] == (3, 3)
    assert ranges["breast_cancer"] == (2, 2)


# ----------------------------------------------------------------------------- shapes


@pytest.mark.parametrize("name,k", CASES)
def test_every_entry_builds_with_right_shapes_dtypes_and_labels(name, k):
    ds = build(name, k)
    spec = DATASETS[name]
    n = spec.fixed_size or 200
    assert ds.name == name and ds.n_classes == k
    assert ds.X_train.dtype == np.float64 and ds.X_test.dtype == np.float64
    assert ds.y_train.dtype == np.int64 and ds.y_test.dtype == np.int64
    assert ds.X_train.shape == (ds.n_train, 2) and ds.X_test.shape == (ds.n_test, 2)
    assert ds.y_train.shape == (ds.n_train,) and ds.y_test.shape == (ds.n_test,)
    assert ds.n_train + ds.n_test == n
    assert ds.n_test == math.ceil(0.25 * n)
    # every class in both parts, labels exactly 0..K-1
    assert set(ds.y_train.tolist()) == set(range(k))
    assert set(ds.y_test.tolist()) == set(range(k))
    assert len(ds.class_names) == k and len(set(ds.class_names)) == k
    assert len(ds.feature_names) == 2
    assert np.isfinite(ds.X_train).all() and np.isfinite(ds.X_test).all()


@pytest.mark.parametrize("name,k", CASES)
def test_split_is_stratified(name, k):
    ds = build(name, k, n=300)
    y_all = np.concatenate([ds.y_train, ds.y_test])
    total = np.bincount(y_all, minlength=k)
    in_test = np.bincount(ds.y_test, minlength=k)
    expected = total * ds.n_test / len(y_all)
    assert np.all(np.abs(in_test - expected) <= 1.0), (in_test, expected)


@pytest.mark.parametrize("name", ["blobs", "gaussian_quantiles", "spiral"])
def test_generated_classes_are_balanced(name):
    ds = build(name, 5, n=203)
    counts = np.bincount(np.concatenate([ds.y_train, ds.y_test]))
    assert counts.sum() == 203
    assert counts.max() - counts.min() < 5  # only the remainder 203 % 5 is spread unevenly


# ----------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("name,k", CASES)
def test_same_seed_gives_identical_arrays(name, k):
    a, b = build(name, k, seed=7), build(name, k, seed=7)
    for x, y in zip(arrays(a), arrays(b)):
        assert np.array_equal(x, y)


@pytest.mark.parametrize("name,k", CASES)
def test_different_seed_gives_different_arrays(name, k):
    a, b = build(name, k, seed=1), build(name, k, seed=2)
    assert not np.array_equal(a.X_train, b.X_train)


@pytest.mark.parametrize("name", ["moons", "xor", "spiral", "gaussian_quantiles", "iris"])
def test_global_random_state_is_not_used(name):
    np.random.seed(1)
    a = build(name, DATASETS[name].classes[0])
    np.random.seed(2)
    b = build(name, DATASETS[name].classes[0])
    for x, y in zip(arrays(a), arrays(b)):
        assert np.array_equal(x, y)


@pytest.mark.parametrize("name", [s.name for s in DATASETS if s.has_noise])
def test_noise_changes_the_data(name):
    k = DATASETS[name].classes[0]
    assert not np.allclose(build(name, k, noise=0.0).X_train, build(name, k, noise=0.5).X_train)


@pytest.mark.parametrize("name", REAL)
def test_real_sets_ignore_n_samples_noise_and_n_classes(name):
    a = make_data(name, n_samples=50, noise=0.9, test_fraction=0.25, n_classes=6, seed=3)
    b = make_data(name, n_samples=2000, noise=0.0, test_fraction=0.25, n_classes=2, seed=3)
    assert a.n_train + a.n_test == DATASETS[name].fixed_size
    for x, y in zip(arrays(a), arrays(b)):
        assert np.array_equal(x, y)


# ----------------------------------------------------------------------------- scaling


#: data sets scaled to zero mean / unit variance (CS231n's spiral keeps its units, issue 12)
SCALED = [(name, k) for name, k in CASES if DATASETS[name].standardise]


def test_unscaled_sets_keep_their_units():
    for name, k in CASES:
        if not DATASETS[name].standardise:
            ds = build(name, k)
            raw = DATASETS[name].make(DATASETS[name].fixed_size or 200, 0.2, k, 0)
            assert abs(ds.X_train).max() <= abs(raw.X).max() + 1e-12
            assert not np.allclose(ds.X_train.std(axis=0), 1.0, rtol=1e-3)


@pytest.mark.parametrize("name,k", SCALED)
def test_train_features_are_standardised(name, k):
    ds = build(name, k)
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1.0, rtol=1e-9)


def _scaler(n_features: int, seed: int):
    if n_features > 2:
        return make_pipeline(StandardScaler(), PCA(2, random_state=seed), StandardScaler())
    return StandardScaler()


@pytest.mark.parametrize("name,k", SCALED)
def test_no_test_set_leakage(name, k):
    seed = 4
    ds = build(name, k, seed=seed)
    spec = DATASETS[name]
    raw = spec.make(spec.fixed_size or 200, 0.2, k, seed)
    X_tr, X_te, _, _ = train_test_split(
        raw.X, raw.y, test_size=0.25, stratify=raw.y, random_state=seed
    )
    # scaling fitted on the training part only reproduces the dataset exactly ...
    on_train = _scaler(raw.X.shape[1], seed).fit(X_tr)
    np.testing.assert_allclose(ds.X_train, on_train.transform(X_tr), atol=1e-10)
    np.testing.assert_allclose(ds.X_test, on_train.transform(X_te), atol=1e-10)
    # ... while scaling fitted on all the data (leaking the test set) does not
    on_all = _scaler(raw.X.shape[1], seed).fit(raw.X)
    assert not np.allclose(ds.X_test, on_all.transform(X_te), atol=1e-6)
    # and the test part is not standardised on its own statistics
    assert not np.allclose(ds.X_test.mean(axis=0), 0.0, atol=1e-6)


@pytest.mark.parametrize("name", REAL)
def test_real_sets_are_two_dimensional_principal_components(name):
    ds = build(name)
    assert ds.X_train.shape[1] == ds.X_test.shape[1] == 2
    assert ds.feature_names == ("PC1", "PC2")
    assert ds.n_classes == DATASETS[name].classes[0]


def test_real_class_names_come_from_the_data():
    assert build("iris").class_names == ("setosa", "versicolor", "virginica")
    assert build("breast_cancer").class_names == ("malignant", "benign")
    assert len(build("wine").class_names) == 3


# ----------------------------------------------------------------------------- domain


@pytest.mark.parametrize("name,k", CASES)
def test_domain_covers_all_points(name, k):
    ds = build(name, k)
    X = np.concatenate([ds.X_train, ds.X_test])
    xmin, xmax, ymin, ymax = ds.domain()
    assert xmin < X[:, 0].min() and X[:, 0].max() < xmax
    assert ymin < X[:, 1].min() and X[:, 1].max() < ymax
    assert ds.domain(margin=0.0) == (
        X[:, 0].min(),
        X[:, 0].max(),
        X[:, 1].min(),
        X[:, 1].max(),
    )
    assert ds.domain(margin=1.0)[0] == pytest.approx(X[:, 0].min() - 1.0)
    assert all(isinstance(v, float) for v in ds.domain())


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "name,k",
    [("blobs", 7), ("blobs", 1), ("classification", 5), ("spiral", 0), ("gaussian_quantiles", 9)],
)
def test_n_classes_out_of_range_raises(name, k):
    lo, hi = DATASETS[name].classes
    with pytest.raises(ValueError, match=rf"n_classes.*{lo}\.\.{hi}"):
        build(name, k)


@pytest.mark.parametrize("name", ["moons", "circles", "xor"])
def test_fixed_class_count_ignores_n_classes(name):
    ds = build(name, k=5)
    assert ds.n_classes == 2


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"dataset": "nope"}, "nope"),
        ({"noise": -0.1}, "noise"),
        ({"noise": float("nan")}, "noise"),
        ({"test_fraction": 0.0}, "test_fraction"),
        ({"test_fraction": 1.0}, "test_fraction"),
        ({"n_samples": 0}, "n_samples"),
        ({"n_samples": 2.5}, "n_samples"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments_raise_naming_the_field(kwargs, field):
    args = dict(dataset="moons", n_samples=100, noise=0.1, test_fraction=0.25, n_classes=2, seed=0)
    args.update(kwargs)
    with pytest.raises(ValueError, match=field):
        make_data(**args)


def test_too_few_samples_to_split_raises_naming_n_samples():
    # 40 points, 10% test -> 4 test points for 6 classes
    with pytest.raises(ValueError, match="n_samples=40"):
        build("blobs", 6, n=40, tf=0.1)


@pytest.mark.parametrize("name", [s.name for s in DATASETS if s.fixed_size is None])
def test_smallest_sensible_sizes_build(name):
    ds = build(name, DATASETS[name].classes[1], n=40, tf=0.2)
    assert ds.n_train + ds.n_test == 40


# ----------------------------------------------------------------------------- Dataset


def test_dataset_is_frozen_hashable_by_identity_and_read_only():
    a, b = build("moons"), build("moons")
    assert a != b and a == a
    assert len({a, b}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        a.X_train[0, 0] = 1.0


def test_dataset_default_class_names():
    X = np.zeros((4, 2))
    y = np.array([0, 1, 2, 0])
    ds = Dataset(X, y, X[:1], y[:1], n_classes=3, name="t")
    assert ds.class_names == ("0", "1", "2")
    assert ds.feature_names == ("x1", "x2")


def test_dataset_rejects_wrong_shapes():
    with pytest.raises(ValueError):
        Dataset(np.zeros((4, 3)), np.zeros(4), np.zeros((1, 2)), np.zeros(1), 2, "t")
    with pytest.raises(ValueError, match="class_names"):
        Dataset(
            np.zeros((4, 2)), np.zeros(4), np.zeros((1, 2)), np.zeros(1), 2, "t", class_names=("a",)
        )


# ----------------------------------------------------------------------------- from arrays


def test_dataset_from_arrays_reencodes_labels_in_sorted_order():
    rng = np.random.default_rng(0)
    labels = np.array(["owl", "cat", "dog"] * 20)
    offset = {"cat": 0.0, "dog": 10.0, "owl": 20.0}
    X = np.column_stack([[offset[s] for s in labels], rng.normal(size=60)])
    ds = dataset_from_arrays(X, labels, 0.25, 0)
    assert ds.name == "upload" and ds.n_classes == 3
    assert ds.class_names == ("cat", "dog", "owl")
    # class c sits at offset 10*c, so the standardised x1 increases with the label
    for X_part, y_part in ((ds.X_train, ds.y_train), (ds.X_test, ds.y_test)):
        means = [X_part[y_part == c, 0].mean() for c in range(3)]
        assert means[0] < means[1] < means[2]


def test_dataset_from_arrays_with_many_features_uses_pca():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(90, 5))
    y = np.repeat([3, 7, 9], 30)
    ds = dataset_from_arrays(X, y, 0.2, 0, name="t")
    assert ds.X_train.shape[1] == 2 and ds.feature_names == ("PC1", "PC2")
    assert ds.class_names == ("3", "7", "9")
    assert set(ds.y_train.tolist()) == {0, 1, 2}


def test_dataset_from_arrays_custom_names():
    X = np.arange(40.0).reshape(20, 2)
    y = np.repeat([0, 1], 10)
    ds = dataset_from_arrays(X, y, 0.25, 0, feature_names=("a", "b"), class_names=("no", "yes"))
    assert ds.feature_names == ("a", "b") and ds.class_names == ("no", "yes")
    with pytest.raises(ValueError, match="feature_names"):
        dataset_from_arrays(X, y, 0.25, 0, feature_names=("a", "b", "c"))
    with pytest.raises(ValueError, match="class_names"):
        dataset_from_arrays(X, y, 0.25, 0, class_names=("only",))


def test_dataset_from_arrays_split_errors():
    X = np.arange(24.0).reshape(12, 2)
    y = np.array([0] * 10 + [1] * 2)
    with pytest.raises(SplitError) as info:
        dataset_from_arrays(X, y, 0.25, 0, class_names=("big", "small"))
    assert info.value.class_name == "small" and info.value.count == 2
    # enough rows per class but a test part smaller than the number of classes
    X = np.arange(60.0).reshape(30, 2)
    y = np.repeat(np.arange(10), 3)
    with pytest.raises(SplitError) as info:
        dataset_from_arrays(X, y, 0.1, 0)
    assert info.value.class_name is None and info.value.n_test == 3 and info.value.n_classes == 10


def test_dataset_from_arrays_rejects_non_finite_and_single_class():
    X = np.ones((10, 2))
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        dataset_from_arrays(X, np.repeat([0, 1], 5), 0.25, 0)
    with pytest.raises(ValueError, match="2 classes"):
        dataset_from_arrays(np.zeros((10, 2)), np.zeros(10), 0.25, 0)


# ----------------------------------------------------------------------------- makers


def test_xor_labels_follow_quadrants_without_noise():
    raw = DATASETS["xor"].make(500, 0.0, 2, 0)
    assert np.array_equal(raw.y, (raw.X[:, 0] * raw.X[:, 1] > 0).astype(int))
    assert np.abs(raw.X).max() <= 1.0


def test_spiral_arms_without_noise():
    raw = DATASETS["spiral"].make(300, 0.0, 3, 0)
    r = np.hypot(raw.X[:, 0], raw.X[:, 1])
    assert r.max() == pytest.approx(1.0) and r.min() == pytest.approx(0.0)
    assert np.bincount(raw.y).tolist() == [100, 100, 100]
