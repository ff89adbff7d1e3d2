r"""The activation gallery's numbers: curves, derivative peaks, flat-region shares, the cost summary
(the cost itself is measured by :mod:`explorer.labs.cost`).

Everything iterates over :data:`explorer.activations.ACTIVATIONS`, so a newly registered
activation appears in the gallery with no change here or in the page. Parameters (Leaky slope,
ELU α, Maxout pieces k, ...) are read from a ``params`` dict keyed by the activation's
``ParamSpec.field`` (the same names as the TrainConfig fields); missing keys use the defaults.

Maxout is drawn as a function of one scalar ``z``: k example lines :math:`s_j z + b_j`
(tangents of the convex parabola :math:`z^2/8`), ``f = max_j`` of them and ``f'`` = the slope
of the winning line — computed with the registry's own ``f`` and ``df`` on the k pieces.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.special import ndtr

from ..activations import ACTIVATIONS, SATURATION_FRACTION, Activation, ParamSpec
from ..network import PRELU_INIT

#: the "flat" share is the saturated share: z on a saturating tail, beyond the point from which
#: |f'| stays below this fraction of max |f'| (the record's one definition,
#: ``Activation.saturation_bounds``)
FLAT_FRACTION = SATURATION_FRACTION
#: z range used to find max |f'| numerically (step 0.001, contains z = 0 exactly).
PEAK_GRID = np.linspace(-20.0, 20.0, 40001)
#: page limits of the input-distribution controls
MEAN_RANGE = (-10.0, 10.0)
SD_RANGE = (0.1, 10.0)
DEFAULT_MEAN, DEFAULT_SD = 0.0, 3.0
#: the reference of the measured cost (explorer.labs.cost measures it: ReLU = 1)
REFERENCE = "relu"


# ---------------------------------------------------------------------------- parameters
def param_specs() -> list[ParamSpec]:
    """Every user-set parameter of a registered activation, once per field, in registry order."""
    out: dict[str, ParamSpec] = {}
    for act in ACTIVATIONS:
        if act.param is not None and act.param.field not in out:
            out[act.param.field] = act.param
    return list(out.values())


def default_params() -> dict[str, float]:
    return {p.field: p.default for p in param_specs()}


def is_int_param(spec: ParamSpec) -> bool:
    """Integer-valued parameters (Maxout's k) get an integer slider."""
    return all(float(v).is_integer() for v in (spec.default, spec.lo, spec.hi)) and \
        spec.hi - spec.lo <= 20


def parse_float(raw: str, lo: float, hi: float) -> float:
    """A finite number in [lo, hi] from a URL string, else ValueError."""
    v = float(str(raw).strip())
    if not math.isfinite(v) or not lo <= v <= hi:
        raise ValueError(raw)
    return v + 0.0  # "-0" gives 0.0, not -0.0


def snap(value: float, step: float, lo: float, hi: float) -> float:
    """``value`` rounded to the slider grid lo + i·step and kept in [lo, hi]."""
    v = lo + round((value - lo) / step) * step
    return float(min(hi, max(lo, round(v, 10))))


def cost_params(params: Mapping[str, float] | None) -> dict[str, float]:
    """The parameters that change the *shape* of the cost measurement (Maxout's k): the
    page's cache key, so moving a slope does not trigger a new measurement."""
    params = params or {}
    return {a.param.field: params.get(a.param.field, a.param.default)
            for a in ACTIVATIONS if a.pieces and a.param is not None}


def act_param(act: Activation, params: Mapping[str, float] | None = None) -> float | None:
    """The parameter value passed to ``act.f`` / ``act.df`` (None if it has none).

    PReLU learns its slope per unit; the gallery shows it at its initial value.
    """
    params = params or {}
    if act.pieces:
        return None
    if act.learned:
        return PRELU_INIT
    if act.param is not None:
        return float(params.get(act.param.field, act.param.default))
    return None


def pieces_k(act: Activation, params: Mapping[str, float] | None = None) -> int:
    """Number of linear pieces of a Maxout-like activation."""
    params = params or {}
    if act.param is None:
        return 2
    return int(params.get(act.param.field, act.param.default))


def maxout_lines(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Slopes and intercepts of k example lines s_j·z + b_j for drawing Maxout.

    Slopes spread over [-0.5, 1] (none flatter than 0.2, so no example piece is "flat"),
    each line tangent to the parabola z²/8 (b = -2 s²), so their max is convex and every
    line wins somewhere — Maxout can represent any convex piecewise-linear function."""
    s = np.linspace(-0.5, 1.0, int(k))
    small = np.abs(s) < 0.2
    s[small] = np.where(s[small] < 0, -0.2, 0.2)
    return s, -2.0 * s * s


#: registry formulas longer than this (LaTeX source characters) are split in two lines
LATEX_WRAP = 60


def latex_lines(tex: str, wrap: int = LATEX_WRAP) -> str:
    r"""Break a registry formula into centred lines (``gathered``) so it fits a narrow column.

    Splits at every top-level ``,\ `` (case formulas); a formula without one that is longer
    than ``wrap`` characters is split once, before the top-level ``+`` nearest its middle.
    Short formulas are returned unchanged."""
    parts, plus, depth, start, i = [], [], 0, 0, 0
    while i < len(tex):
        c = tex[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and tex.startswith(",\\ ", i):
            parts.append(tex[start:i + 1])
            start = i + 3
            i += 3
            continue
        elif depth == 0 and c == "+":
            plus.append(i)
        i += 1
    parts.append(tex[start:])
    if len(parts) == 1:
        if len(tex) <= wrap or not plus:
            return tex
        cut = min(plus, key=lambda j: abs(j - len(tex) / 2))
        parts = [tex[:cut], tex[cut:]]
    return r"\begin{gathered}" + r"\\".join(p.strip() for p in parts) + r"\end{gathered}"


# ---------------------------------------------------------------------------- evaluation
def evaluate(act: Activation, z: np.ndarray, params: Mapping[str, float] | None = None,
             ) -> tuple[np.ndarray, np.ndarray]:
    """``f(z)`` and ``f'(z)`` on a 1-D grid, using the registry's own functions."""
    z = np.asarray(z, dtype=np.float64)
    if act.pieces:
        s, b = maxout_lines(pieces_k(act, params))
        zk = z[:, None] * s + b
        a = act.f(zk, None)
        onehot = np.asarray(act.df(zk, a, None), dtype=np.float64)
        return np.asarray(a, dtype=np.float64), onehot @ s  # the winner's slope
    p = act_param(act, params)
    a = np.asarray(act.f(z, p), dtype=np.float64)
    d = np.broadcast_to(np.asarray(act.df(z, a, p), dtype=np.float64), z.shape)
    return a, np.array(d)


def z_limit(mean: float, sd: float) -> float:
    """Half-width of the plotted z range: covers the input distribution (±3σ), at least ±6."""
    return float(min(25.0, max(6.0, math.ceil(abs(mean) + 3.0 * sd))))


def curves(names: Sequence[str], params: Mapping[str, float] | None, zmax: float,
           n: int = 401) -> pd.DataFrame:
    """Long table name, label, z, f, df for the plotted range [-zmax, zmax]."""
    z = np.linspace(-zmax, zmax, n)
    frames = []
    for name in names:
        act = ACTIVATIONS[name]
        f, d = evaluate(act, z, params)
        frames.append(pd.DataFrame({"name": name, "label": act.label, "z": z, "f": f, "df": d}))
    return pd.concat(frames, ignore_index=True)


def maxout_pieces(k: int, zmax: float, n: int = 81) -> pd.DataFrame:
    """The k example lines (piece, z, y) that Maxout takes the max of."""
    s, b = maxout_lines(k)
    z = np.linspace(-zmax, zmax, n)
    return pd.concat([pd.DataFrame({"piece": j + 1, "z": z, "y": s[j] * z + b[j]})
                      for j in range(len(s))], ignore_index=True)


def derivative_peak(act: Activation, params: Mapping[str, float] | None = None,
                    ) -> tuple[float, float]:
    """(max |f'(z)|, the z where it is reached) over z in [-20, 20], step 0.001."""
    _, d = evaluate(act, PEAK_GRID, params)
    mag = np.abs(d)
    i = int(np.argmax(mag))
    # among ties (a flat maximum, e.g. ReLU's 1 for every z > 0) report the z closest to 0
    ties = np.flatnonzero(mag >= mag[i] * (1 - 1e-12))
    i = int(ties[np.argmin(np.abs(PEAK_GRID[ties]))])
    return float(mag[i]), float(PEAK_GRID[i])


def normal_pdf(z: np.ndarray, mean: float, sd: float) -> np.ndarray:
    u = (np.asarray(z, dtype=np.float64) - mean) / sd
    return np.exp(-0.5 * u * u) / (sd * math.sqrt(2 * math.pi))


def flat_fraction(act: Activation, params: Mapping[str, float] | None, mean: float, sd: float,
                  rel: float = FLAT_FRACTION, cells: int = 200_000,
                  peak: float | None = None) -> float:
    """The share of inputs Z ~ N(mean, sd²) that are saturated, or (``rel = 0``) get f' = 0.

    Saturated (the run record's definition): Z on a saturating tail of the activation,
    z < lo or z > hi with ``(lo, hi) = act.saturation_bounds(p)`` — exactly
    Φ((lo − mean)/sd) + 1 − Φ((hi − mean)/sd). An interior flat point (GELU's minimum) and a
    Leaky ReLU's α side do not count, nor ReLU's zero side (that is the ``rel = 0`` share).

    ``rel = 0``: P(f'(Z) = 0 exactly), integrating the normal density over cells of a fine grid
    on mean ± 10 sd (cell masses are differences of the normal CDF), keeping the cells whose
    midpoint has f' = 0 (a dead ReLU's region). ``peak`` is accepted for compatibility."""
    if rel != 0:
        if act.pieces:
            return 0.0
        lo, hi = act.saturation_bounds(act_param(act, params) if not act.learned else None)
        return float(ndtr((lo - mean) / sd) + ndtr((mean - hi) / sd))
    edges = np.linspace(mean - 10 * sd, mean + 10 * sd, cells + 1)
    mid = 0.5 * (edges[1:] + edges[:-1])
    _, d = evaluate(act, mid, params)
    mass = np.diff(ndtr((edges - mean) / sd))
    return float(mass[d == 0].sum())


def exact_zero_region(act: Activation, params: Mapping[str, float] | None = None) -> bool:
    """Does f' vanish *exactly* on an interval by definition (ReLU's negative side, Leaky
    ReLU with slope 0)? Smooth activations (GELU, SiLU, ...) only underflow to 0.0 far out,
    a float64 rounding artefact, not a property."""
    if act.can_die:
        return True
    p = act_param(act, params)
    return (act.param is not None and act.param.field == "leaky_slope" and p is not None
            and float(p) == 0.0)


def zero_fraction(act: Activation, params: Mapping[str, float] | None, mean: float,
                  sd: float) -> float:
    """P(f'(Z) = 0) for Z ~ N(mean, sd²) where f' is zero on an interval by definition
    (:func:`exact_zero_region`), else 0."""
    if not exact_zero_region(act, params):
        return 0.0
    return flat_fraction(act, params, mean, sd, rel=0.0)


def flat_intervals(z: np.ndarray, d: np.ndarray, threshold: float) -> list[tuple[float, float]]:
    """Maximal runs of the grid ``z`` where |d| < threshold, as (lo, hi) pairs (for shading)."""
    flat = np.abs(np.asarray(d)) < threshold
    out = []
    i, n = 0, len(z)
    while i < n:
        if flat[i]:
            j = i
            while j + 1 < n and flat[j + 1]:
                j += 1
            out.append((float(z[i]), float(z[j])))
            i = j + 1
        else:
            i += 1
    return out


def panel_bands(curve: pd.DataFrame, peak: float, rel: float = FLAT_FRACTION,
                ) -> list[tuple[float, float]]:
    """The saturated tails of one activation's plotted curve, for shading: the runs with
    |f'| < rel · peak that reach the left end of the plot (if the activation saturates as
    z → −∞) or the right end (z → +∞). An interior flat run (GELU's minimum) is not a band."""
    z, d = curve["z"].to_numpy(), curve["df"].to_numpy()
    if not len(z):
        return []
    name = curve["name"].iloc[0] if "name" in curve else None
    tails = ACTIVATIONS[name].saturates if name in ACTIVATIONS else ()
    out = []
    for lo, hi in flat_intervals(z, d, rel * peak):
        if (lo == z[0] and "-" in tails) or (hi == z[-1] and "+" in tails):
            out.append((lo, hi))
    return out


# ---------------------------------------------------------------------------- summary
def summary(names: Sequence[str], params: Mapping[str, float] | None, mean: float, sd: float,
            ) -> pd.DataFrame:
    """One row per activation: registry properties plus the computed numbers.

    Columns: name, label, the keys of ``Activation.properties()``, param_kind ("none",
    "value", "pieces", "learned") and param_value (the value in use, for the page to word),
    peak (max |f'|), peak_z, flat (share of N(mean, sd²) inputs where |f'| < 5% of its max),
    zero (share where f' = 0)."""
    rows = []
    for name in names:
        act = ACTIVATIONS[name]
        peak, peak_z = derivative_peak(act, params)
        props = act.properties()
        if act.pieces:
            kind, value = "pieces", float(pieces_k(act, params))
        elif act.learned:
            kind, value = "learned", act_param(act, params)
        elif act.param is not None:
            kind, value = "value", act_param(act, params)
            props["parameters"] = f"{act.param.symbol} = {value:g}"
        else:
            kind, value = "none", math.nan
        rows.append({"name": name, "label": act.label, **props, "param_kind": kind,
                     "param_value": value, "peak": peak, "peak_z": peak_z,
                     "flat": flat_fraction(act, params, mean, sd, peak=peak),
                     "zero": zero_fraction(act, params, mean, sd)})
    return pd.DataFrame(rows)


def _listing(rows: pd.DataFrame, col: str, sep: str = ", ") -> str:
    rows = rows.sort_values(col, ascending=False)
    return sep.join(f"{r['label']} {100 * r[col]:.1f}%" for _, r in rows.iterrows())


def verdict_numbers(table: pd.DataFrame, cost: pd.DataFrame | None, sep: str = ", ",
                    ) -> dict[str, object]:
    """The numbers the page's verdict sentences are made of (all computed, none canned);
    lists joined with ``sep`` (the page language's separator).

    * ``low_label``, ``low_peak``, ``low_z``, ``low_gain``: the activation whose |f'| peak is
      smallest, its peak, where, and 1/peak;
    * ``sat_list`` / ``n_sat``: the both-ends-saturating ones with their flat share (largest
      first); ``zero_list`` / ``n_zero``: those giving exactly f' = 0 to some inputs;
      ``free_labels`` / ``n_free``: those with (almost) no flat inputs;
    * ``exp_ratio`` (median cost of the exp-based ones relative to ReLU), ``n_exp``,
      ``lin_ratio`` / ``n_lin`` (the same for the exp-free ones, ReLU included),
      ``slow_label``, ``slow_ratio`` -- all from the measured ``cost`` rows."""
    low = table.loc[table["peak"].idxmin()]
    sat = table[table["saturating"] == "both"]
    zero = table[table["zero"] >= 0.0005]
    free = table.loc[(table["flat"] < 0.0005) & (table["zero"] < 0.0005), "label"].tolist()
    out: dict[str, object] = {
        "low_label": low["label"], "low_peak": float(low["peak"]), "low_z": float(low["peak_z"]),
        "low_gain": 1.0 / float(low["peak"]) if low["peak"] > 0 else math.inf,
        "sat_list": _listing(sat, "flat", sep), "n_sat": len(sat),
        "zero_list": _listing(zero, "zero", sep), "n_zero": len(zero),
        "free_labels": sep.join(free), "n_free": len(free),
        "max_flat": float(table["flat"].max()),
    }
    if cost is not None and len(cost):
        exp = cost[cost["uses_exp"]]
        slow = cost.loc[cost["relative"].idxmax()]
        lin = cost[~cost["uses_exp"] | (cost["name"] == REFERENCE)]
        lin_vals = lin["relative"].tolist() + ([] if (lin["name"] == REFERENCE).any() else [1.0])
        out.update(exp_ratio=float(exp["relative"].median()) if len(exp) else math.nan,
                   n_exp=len(exp), lin_ratio=float(np.median(lin_vals)), n_lin=len(lin_vals),
                   slow_label=slow["label"], slow_ratio=float(slow["relative"]))
    return out
