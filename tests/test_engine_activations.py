"""Correctness of the activation table (explorer.activations.ACTIVATIONS).

Every entry's derivative is checked against a central finite difference of its own ``f``
(float64, points away from kinks), its values against independent textbook formulas, its
``df_max`` against a dense numeric maximum of |f'|, and its numerical stability at huge inputs.
The tests iterate over the registry, so a new entry is covered automatically.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from explorer import ACTIVATIONS, FIELDS
from explorer.activations import Activation

NAMES = ACTIVATIONS.names()
WITH_PARAM = [a.name for a in ACTIVATIONS if a.param is not None]
ELEMENTWISE = [a.name for a in ACTIVATIONS if not a.pieces]
PIECES = [a.name for a in ACTIVATIONS if a.pieces]

#: entries whose derivative jumps (or whose second derivative jumps) at z = 0
KINK_AT_ZERO = {"relu", "leaky_relu", "prelu", "elu", "selu"}

H = 1e-6  # finite-difference step (float64: truncation ~1e-13, rounding ~1e-10 absolute)
RTOL = 1e-6


def default_param(act: Activation):
    """The parameter the network would pass to f/df by default."""
    if act.learned:
        return 0.25  # PReLU's initial slope
    if act.param is not None and not act.pieces:
        return act.param.default
    return None


#: (name, parameter) pairs: every entry with its default, plus non-default parameters
PARAM_CASES = [(n, default_param(ACTIVATIONS[n])) for n in ELEMENTWISE] + [
    ("leaky_relu", 0.0),
    ("leaky_relu", 0.2),
    ("leaky_relu", 1.0),
    ("elu", 0.01),
    ("elu", 0.5),
    ("elu", 3.7),
    ("prelu", 0.05),
    ("prelu", 0.9),
]


def _ids(cases):
    return [f"{n}-{p}" for n, p in cases]


def _points(rng: np.random.Generator, n: int = 4000, lo: float = -6.0, hi: float = 6.0):
    z = rng.uniform(lo, hi, n)
    # away from the kinks at 0 (no entry has another one)
    return z[np.abs(z) > 1e-3]


def _rel_err(analytic: np.ndarray, numeric: np.ndarray, floor: float = 1e-3) -> np.ndarray:
    """|a - n| / max(|a|, |n|, floor): relative error, with a floor near zeros of f'."""
    den = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return np.abs(analytic - numeric) / den


# --------------------------------------------------------------------------------------------
# Registry metadata


def test_registry_is_not_empty_and_names_are_unique():
    assert len(NAMES) >= 10
    assert len(set(NAMES)) == len(NAMES)
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "maxout"):
        assert name in ACTIVATIONS


@pytest.mark.parametrize("name", NAMES)
def test_entry_has_label_formula_and_properties(name):
    act = ACTIVATIONS[name]
    assert act.name == name
    assert isinstance(act.label, str) and act.label.strip()
    assert isinstance(act.formula, str) and act.formula.strip()
    assert isinstance(act.dformula, str) and act.dformula.strip()
    props = act.properties()
    assert isinstance(props, dict) and props
    for key in ("range", "zero-centred", "saturating", "monotonic", "can die", "max |f'|"):
        assert key in props, key
    for key, value in props.items():
        assert isinstance(value, str) and value.strip(), key
    assert act.saturating in ("both", "negative", "no")
    assert act.df_max > 0 and math.isfinite(act.df_max)
    assert isinstance(act.param_text(), str) and act.param_text()


@pytest.mark.parametrize("name", WITH_PARAM)
def test_param_spec_default_within_bounds(name):
    spec = ACTIVATIONS[name].param
    assert spec.lo <= spec.default <= spec.hi
    # the parameter lives in a TrainConfig field with the same default and bounds
    f = FIELDS[spec.field]
    assert f.default == spec.default
    assert (f.lo, f.hi) == (spec.lo, spec.hi)


# --------------------------------------------------------------------------------------------
# Values against independent formulas

SELU_LAMBDA = 1.0507009873554804934193349852946  # Klambauer et al. 2017
SELU_ALPHA = 1.6732632423543772848170429916717


def _reference(name: str, z: np.ndarray, p) -> np.ndarray:
    e = np.exp
    if name == "sigmoid":
        return 1.0 / (1.0 + e(-z))
    if name == "tanh":
        return (e(z) - e(-z)) / (e(z) + e(-z))
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name in ("leaky_relu", "prelu"):
        return np.where(z > 0, z, p * z)
    if name == "elu":
        return np.where(z > 0, z, p * (e(z) - 1.0))
    if name == "selu":
        return SELU_LAMBDA * np.where(z > 0, z, SELU_ALPHA * (e(z) - 1.0))
    if name == "gelu":  # the tanh approximation (the label says so)
        return 0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))
    if name == "silu":
        return z / (1.0 + e(-z))
    if name == "softplus":
        return np.log(1.0 + e(z))
    if name == "mish":
        return z * np.tanh(np.log(1.0 + e(z)))
    if name == "identity":
        return z.copy()
    raise KeyError(name)


@pytest.mark.parametrize(("name", "p"), PARAM_CASES, ids=_ids(PARAM_CASES))
def test_values_match_textbook_formula(name, p):
    z = np.linspace(-8.0, 8.0, 1601)
    try:
        ref = _reference(name, z, p)
    except KeyError:
        pytest.fail(f"no reference formula for new activation {name!r}; add one to this test")
    got = ACTIVATIONS[name].f(z, p)
    assert got.shape == z.shape
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)


def test_maxout_value_is_max_over_last_axis():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(7, 5, 3))
    out = ACTIVATIONS["maxout"].f(z, None)
    assert out.shape == (7, 5)
    np.testing.assert_array_equal(out, np.max(z, axis=-1))


def test_leaky_relu_zero_slope_is_relu_and_prelu_one_is_identity():
    z = np.linspace(-3, 3, 61)
    np.testing.assert_array_equal(ACTIVATIONS["leaky_relu"].f(z, 0.0), ACTIVATIONS["relu"].f(z))
    np.testing.assert_array_equal(ACTIVATIONS["prelu"].f(z, 1.0), z)


# --------------------------------------------------------------------------------------------
# Derivatives by central finite differences


@pytest.mark.parametrize(("name", "p"), PARAM_CASES, ids=_ids(PARAM_CASES))
def test_derivative_matches_central_difference(name, p):
    act = ACTIVATIONS[name]
    z = _points(np.random.default_rng(1))
    a = act.f(z, p)
    analytic = np.broadcast_to(act.df(z, a, p), z.shape)
    numeric = (act.f(z + H, p) - act.f(z - H, p)) / (2 * H)
    err = _rel_err(analytic, numeric)
    worst = int(np.argmax(err))
    assert err.max() < RTOL, (
        f"{name}(p={p}): f'({z[worst]!r}) = {analytic[worst]!r}, numeric {numeric[worst]!r}")


def test_prelu_derivative_with_per_unit_slopes():
    """PReLU passes an array of slopes (one per unit) that broadcasts over samples."""
    act = ACTIVATIONS["prelu"]
    rng = np.random.default_rng(2)
    slopes = np.array([[0.0, 0.1, 0.25, 0.7, 1.5]])
    z = rng.uniform(-4, 4, (200, 5))
    z[np.abs(z) < 1e-3] = 0.5
    a = act.f(z, slopes)
    np.testing.assert_allclose(a, np.where(z > 0, z, slopes * z), rtol=0, atol=0)
    analytic = np.broadcast_to(act.df(z, a, slopes), z.shape)
    numeric = (act.f(z + H, slopes) - act.f(z - H, slopes)) / (2 * H)
    assert _rel_err(analytic, numeric).max() < RTOL


@pytest.mark.parametrize("name", PIECES)
@pytest.mark.parametrize("k", [2, 3, 5])
def test_maxout_derivative_wrt_each_piece(name, k):
    act = ACTIVATIONS[name]
    rng = np.random.default_rng(k)
    z = rng.normal(size=(300, 4, k))
    top2 = np.sort(z, axis=-1)[..., -2:]
    z = z[(top2[..., 1] - top2[..., 0] > 1e-3).all(axis=1)]  # no near-ties (kinks)
    assert len(z) > 100
    a = act.f(z, None)
    d = act.df(z, a, None)
    assert d.shape == z.shape
    for j in range(k):
        e = np.zeros_like(z)
        e[..., j] = H
        numeric = (act.f(z + e, None) - act.f(z - e, None)) / (2 * H)
        np.testing.assert_allclose(d[..., j], numeric, rtol=RTOL, atol=1e-9)
    # the gradient goes to exactly one piece: the winner
    np.testing.assert_array_equal(d.sum(axis=-1), 1.0)
    np.testing.assert_array_equal(np.argmax(d, axis=-1), np.argmax(z, axis=-1))


@pytest.mark.parametrize("name", sorted(KINK_AT_ZERO & set(NAMES)))
def test_kink_convention_is_inactive_side(name):
    """At z = 0 exactly the derivative is the left-hand one (relu'(0) = 0, as JAX/PyTorch)."""
    act = ACTIVATIONS[name]
    p = default_param(act)
    z = np.array([0.0])
    left = np.broadcast_to(act.df(np.array([-1e-12]), act.f(np.array([-1e-12]), p), p), (1,))
    at0 = np.broadcast_to(act.df(z, act.f(z, p), p), (1,))
    assert at0[0] == pytest.approx(left[0], rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------------------------
# df_max, sigmoid bound, monotonicity


def _dense_numeric_df(act: Activation, p):
    z = np.linspace(-20.0, 20.0, 400_001)
    h = 1e-6
    return z, (act.f(z + h, p) - act.f(z - h, p)) / (2 * h)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_df_max_matches_dense_numeric_max(name):
    act = ACTIVATIONS[name]
    _, d = _dense_numeric_df(act, default_param(act))
    assert abs(np.abs(d).max() - act.df_max) < 1e-3, (name, np.abs(d).max(), act.df_max)


@pytest.mark.parametrize("name", PIECES)
def test_maxout_df_max(name):
    act = ACTIVATIONS[name]
    rng = np.random.default_rng(3)
    z = rng.normal(size=(2000, 3))
    assert np.abs(act.df(z, act.f(z), None)).max() == pytest.approx(act.df_max, abs=1e-3)


def test_sigmoid_derivative_never_exceeds_quarter():
    act = ACTIVATIONS["sigmoid"]
    z = np.concatenate([np.linspace(-50, 50, 200_001), [0.0, -0.0, 1e-300, -1e-300, 1e3, -1e3]])
    d = act.df(z, act.f(z), None)
    assert d.max() <= 0.25
    assert d.min() >= 0.0
    assert act.df(np.array([0.0]), act.f(np.array([0.0])), None)[0] == 0.25
    assert act.df_max == 0.25


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_monotonic_flag_matches_shape(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-10, 10, 20001)
    f = act.f(z, default_param(act))
    increasing = bool((np.diff(f) >= -1e-15).all())
    assert increasing == act.monotonic, name


# --------------------------------------------------------------------------------------------
# Stability at extreme inputs

EXTREME = np.array([-1e300, -1e3, -745.2, -40.0, 40.0, 745.2, 1e3, 1e300])


@pytest.mark.parametrize(("name", "p"), PARAM_CASES, ids=_ids(PARAM_CASES))
def test_stable_at_extreme_inputs(name, p):
    act = ACTIVATIONS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            a = act.f(EXTREME, p)
            d = np.broadcast_to(act.df(EXTREME, a, p), EXTREME.shape)
    assert np.isfinite(a).all(), (name, a)
    assert np.isfinite(d).all(), (name, d)
    # far out, each side either saturates or has the derivative of a line
    big_neg, big_pos = d[[0, 1]], d[[-2, -1]]
    if act.saturating in ("both", "negative"):
        np.testing.assert_allclose(big_neg, 0.0, atol=1e-12)
    if act.saturating == "both":
        np.testing.assert_allclose(big_pos, 0.0, atol=1e-12)
    else:
        assert (big_pos >= 0.5).all(), (name, big_pos)
    assert (np.abs(d) <= act.df_max * (1 + 1e-9) + 1e-12).all()


def test_known_limits_at_extreme_inputs():
    z = np.array([-1e300, 1e300])
    np.testing.assert_array_equal(ACTIVATIONS["sigmoid"].f(z), [0.0, 1.0])
    np.testing.assert_array_equal(ACTIVATIONS["tanh"].f(z), [-1.0, 1.0])
    np.testing.assert_array_equal(ACTIVATIONS["relu"].f(z), [0.0, 1e300])
    np.testing.assert_array_equal(ACTIVATIONS["softplus"].f(z), [0.0, 1e300])
    np.testing.assert_allclose(ACTIVATIONS["elu"].f(z, 2.5), [-2.5, 1e300])
    np.testing.assert_allclose(ACTIVATIONS["selu"].f(z), [-SELU_LAMBDA * SELU_ALPHA,
                                                         SELU_LAMBDA * 1e300])
    np.testing.assert_allclose(ACTIVATIONS["gelu"].f(z), [0.0, 1e300])
    np.testing.assert_allclose(ACTIVATIONS["silu"].f(z), [0.0, 1e300])
    np.testing.assert_allclose(ACTIVATIONS["mish"].f(z), [0.0, 1e300])


@pytest.mark.parametrize("name", PIECES)
def test_maxout_stable_at_extreme_inputs(name):
    act = ACTIVATIONS[name]
    z = np.array([[1e300, -1e300, 3.0], [-1e300, -1e3, -1e300], [1e3, 1e300, -1e300]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            a = act.f(z)
            d = act.df(z, a, None)
    np.testing.assert_array_equal(a, [1e300, -1e3, 1e300])
    np.testing.assert_array_equal(d, [[1, 0, 0], [0, 1, 0], [0, 1, 0]])
