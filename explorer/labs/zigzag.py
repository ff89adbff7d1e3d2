r"""The zig-zag lab (claim 3): why all-positive inputs make a neuron's weights zig-zag.

A single neuron :math:`\hat y = g(w_0 x_0 + w_1 x_1)` (no bias) learns targets made by the
teacher weights :math:`w^* = (2, -2)` — the optimum needs one weight up and one down — with
per-sample SGD from :math:`w = (0, 0)`. The gradient of one sample is
:math:`\partial L/\partial w_i = \delta\, x_i` with :math:`\delta = \hat y - y` (squared error
for a linear output, cross-entropy for a sigmoid output). If both inputs are positive (the
outputs of a sigmoid layer) every update has both components of the sign of :math:`-\delta`:
the weights can only move both up or both down, and the path to :math:`(2, -2)` is a staircase.
With zero-centred inputs (the outputs of a tanh layer) updates point in every quadrant.

The two input kinds come from the **same** Gaussian draws ``g``: ``sigmoid(g)`` ∈ (0, 1)² and
``tanh(g)`` ∈ (-1, 1)², so the comparison is paired. Everything random comes from the seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..activations import ACTIVATIONS
from ..config import TrainConfig
from ..record import RunRecord

INPUT_KINDS = ("positive", "centred")
#: the activation whose outputs each input kind imitates
KIND_ACTIVATION = {"positive": "sigmoid", "centred": "tanh"}
OUTPUTS = ("linear", "sigmoid")
W_STAR = np.array([2.0, -2.0])
N_SAMPLES = 200
TOL = 0.1
LR_GRID = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0]
DEFAULT_LR, DEFAULT_STEPS, MAX_STEPS = 0.5, 400, 5000
N_SWEEP = 5  # seeds in the robustness sweep: seed, seed+1, ...
QUADRANTS = ("(+,+)", "(+,−)", "(−,+)", "(−,−)")
#: |w| beyond this counts as divergence (the run stops)
BLOW_UP = 1e6
#: the per-sample weight gradient (for the page)
GRAD_TEX = (r"\frac{\partial L}{\partial w_i}=\delta\,x_i,\qquad "
            r"\Delta w=-\eta\,\delta\,(x_0,\,x_1)")

#: the real-network comparison: 3 hidden layers of 16, sigmoid vs tanh, same data and seed
NET_BASE = TrainConfig(hidden=(16, 16, 16), activation="sigmoid", epochs=100,
                       n_checkpoints=20)
NET_ACTIVATIONS = ("sigmoid", "tanh")


# ---------------------------------------------------------------------------- the toy neuron
def make_inputs(kind: str, seed: int, n: int = N_SAMPLES) -> np.ndarray:
    """(n, 2) inputs: sigmoid (all positive) or tanh (zero-centred) of the same Gaussians."""
    if kind not in KIND_ACTIVATION:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(INPUT_KINDS)}")
    g = np.random.default_rng([seed, 31]).standard_normal((n, 2))
    return np.asarray(ACTIVATIONS[KIND_ACTIVATION[kind]].f(g, None), dtype=np.float64)


def _out(s: np.ndarray, output: str) -> np.ndarray:
    if output == "linear":
        return s
    if output == "sigmoid":
        return np.asarray(ACTIVATIONS["sigmoid"].f(s, None))
    raise ValueError(f"output: {output!r} is not one of {', '.join(OUTPUTS)}")


def targets(X: np.ndarray, output: str) -> np.ndarray:
    """Noise-free targets of the teacher w*: the optimum is exactly w* (loss 0 / minimal)."""
    return _out(X @ W_STAR, output)


def sample_order(seed: int, steps: int, n: int = N_SAMPLES) -> np.ndarray:
    """Which sample each SGD step uses (the same order for both input kinds)."""
    return np.random.default_rng([seed, 32]).integers(0, n, steps)


@dataclass(frozen=True)
class NeuronRun:
    kind: str
    output: str
    lr: float
    path: np.ndarray  # (steps_done + 1, 2) weights after each step, path[0] = (0, 0)
    updates: np.ndarray  # (steps_done, 2) the per-sample updates Δw
    distance: np.ndarray  # (steps_done + 1,) ‖w - w*‖
    steps_to_opt: int | None  # first step with ‖w - w*‖ <= tol
    diverged_at: int | None
    tol: float

    @property
    def steps_done(self) -> int:
        return len(self.updates)


def run_neuron(kind: str, lr: float, steps: int, seed: int, output: str = "linear",
               tol: float = TOL, n: int = N_SAMPLES) -> NeuronRun:
    """Per-sample (batch size 1) SGD from w = (0, 0) towards w* = (2, -2)."""
    X = make_inputs(kind, seed, n)
    y = targets(X, output)
    order = sample_order(seed, steps, n)
    xs, ys = X.tolist(), y.tolist()  # plain floats: one step is a few scalar operations
    sigmoid_out = output == "sigmoid"
    path = np.zeros((steps + 1, 2))
    upd = np.zeros((steps, 2))
    w0 = w1 = 0.0
    diverged = None
    done = steps
    for t, i in enumerate(order.tolist()):
        x0, x1 = xs[i]
        s = w0 * x0 + w1 * x1
        if sigmoid_out:
            s = 0.5 * (1.0 + math.tanh(0.5 * s))  # σ(s), cannot overflow
        delta = s - ys[i]
        d0, d1 = -lr * delta * x0, -lr * delta * x1
        w0, w1 = w0 + d0, w1 + d1
        if not (abs(w0) <= BLOW_UP and abs(w1) <= BLOW_UP):  # also catches NaN
            diverged, done = t + 1, t
            break
        upd[t] = d0, d1
        path[t + 1] = w0, w1
    path, upd = path[:done + 1], upd[:done]
    dist = np.sqrt(((path - W_STAR) ** 2).sum(axis=1))
    hit = np.flatnonzero(dist <= tol)
    return NeuronRun(kind, output, float(lr), path, upd, dist,
                     int(hit[0]) if len(hit) else None, diverged, tol)


def quadrant_fractions(updates: np.ndarray) -> dict[str, float]:
    """Share of the nonzero updates in each sign quadrant of (Δw0, Δw1)."""
    u = updates[np.any(updates != 0, axis=1)]
    if len(u) == 0:
        return dict.fromkeys(QUADRANTS, math.nan)
    p0, p1 = u[:, 0] >= 0, u[:, 1] >= 0
    counts = [(p0 & p1).sum(), (p0 & ~p1).sum(), (~p0 & p1).sum(), (~p0 & ~p1).sum()]
    return {q: float(c) / len(u) for q, c in zip(QUADRANTS, counts, strict=True)}


def same_sign_fraction(updates: np.ndarray) -> float:
    """Share of nonzero updates whose two components share one sign: (+,+) or (−,−)."""
    q = quadrant_fractions(updates)
    return q["(+,+)"] + q["(−,−)"]


def quadrant_table(runs: Mapping[str, NeuronRun]) -> pd.DataFrame:
    rows = [{"kind": k, "quadrant": q, "frac": v}
            for k, run in runs.items() for q, v in quadrant_fractions(run.updates).items()]
    return pd.DataFrame(rows, columns=["kind", "quadrant", "frac"])


def path_frame(runs: Mapping[str, NeuronRun]) -> pd.DataFrame:
    """Long table kind, step, w0, w1, distance."""
    frames = [pd.DataFrame({"kind": k, "step": np.arange(len(r.path)), "w0": r.path[:, 0],
                            "w1": r.path[:, 1], "distance": r.distance})
              for k, r in runs.items()]
    return pd.concat(frames, ignore_index=True)


def bounds(runs: Mapping[str, NeuronRun], pad: float = 0.4, limit: float = 8.0,
           ) -> tuple[float, float, float, float]:
    """A square (w0_lo, w0_hi, w1_lo, w1_hi) covering the start, w* and the paths (each
    coordinate clipped to ±limit), so both weights share one scale on the contour plot."""
    pts = [np.zeros((1, 2)), W_STAR[None, :]] + [r.path for r in runs.values()]
    allp = np.clip(np.concatenate(pts), -limit, limit)
    lo, hi = allp.min(axis=0) - pad, allp.max(axis=0) + pad
    half = float((hi - lo).max()) / 2
    mid = (lo + hi) / 2
    return (float(mid[0] - half), float(mid[0] + half), float(mid[1] - half),
            float(mid[1] + half))


def loss_grid(kind: str, seed: int, output: str, box: Sequence[float], n: int = 60,
              ) -> pd.DataFrame:
    """The training loss over a grid of (w0, w1), minus its minimum (so the optimum is 0).

    Linear output: mean ½(w·x − y)². Sigmoid output: mean cross-entropy minus its value at w*.
    Columns w0, w1 (cell centres), w0_hi, w1_hi (cell ends), loss, log_loss."""
    X = make_inputs(kind, seed)
    y = targets(X, output)
    w0_lo, w0_hi, w1_lo, w1_hi = box
    e0, e1 = np.linspace(w0_lo, w0_hi, n + 1), np.linspace(w1_lo, w1_hi, n + 1)
    c0, c1 = 0.5 * (e0[1:] + e0[:-1]), 0.5 * (e1[1:] + e1[:-1])
    G0, G1 = np.meshgrid(c0, c1, indexing="xy")
    S = G0.ravel()[:, None] * X[:, 0] + G1.ravel()[:, None] * X[:, 1]  # (cells, samples)
    if output == "linear":
        loss = 0.5 * ((S - y) ** 2).mean(axis=1)
    else:
        s_star = X @ W_STAR
        ce = np.logaddexp(0.0, S) - y * S
        loss = (ce - (np.logaddexp(0.0, s_star) - y * s_star)).mean(axis=1)
        loss = np.maximum(loss, 0.0)
    d0, d1 = (w0_hi - w0_lo) / n, (w1_hi - w1_lo) / n
    return pd.DataFrame({"w0": G0.ravel() - d0 / 2, "w1": G1.ravel() - d1 / 2,
                         "w0_hi": G0.ravel() + d0 / 2, "w1_hi": G1.ravel() + d1 / 2,
                         "loss": loss, "log_loss": np.log10(loss + 1e-4)})


def input_moments(kind: str, seed: int) -> dict[str, float]:
    """Mean of the inputs and the condition number of E[x xᵀ] (the loss curvature of the
    linear neuron): all-positive inputs make it large along (1, −1), the direction to w*."""
    X = make_inputs(kind, seed)
    C = X.T @ X / len(X)
    ev = np.linalg.eigvalsh(C)
    return {"mean0": float(X[:, 0].mean()), "mean1": float(X[:, 1].mean()),
            "cond": float(ev[-1] / ev[0]), "min_frac_pos": float((X > 0).all(axis=1).mean())}


def seed_sweep(lr: float, steps: int, seed: int, output: str, kinds: Sequence[str],
               n_seeds: int = N_SWEEP) -> pd.DataFrame:
    """Steps to reach w* (within TOL) for seeds seed, seed+1, ...; NaN if not reached."""
    rows = []
    for s in range(seed, seed + n_seeds):
        for k in kinds:
            r = run_neuron(k, lr, steps, s, output)
            rows.append({"seed": s, "kind": k,
                         "steps": float(r.steps_to_opt) if r.steps_to_opt is not None
                         else math.nan})
    return pd.DataFrame(rows, columns=["seed", "kind", "steps"])


def _median_text(steps: pd.Series) -> str:
    """Median steps over seeds, a run that never reached w* counting as infinitely many."""
    med = float(np.median(steps.fillna(np.inf).to_numpy()))
    return f"{med:.0f}" if math.isfinite(med) else "—"


def toy_verdict(runs: Mapping[str, NeuronRun], sweep: pd.DataFrame) -> dict[str, object]:
    """Numbers for the toy verdict: steps per kind, their ratio, same-sign shares, and how
    many sweep seeds the all-positive inputs needed more steps on."""
    out: dict[str, object] = {}
    for k, r in runs.items():
        out[f"{k}_steps"] = r.steps_to_opt
        out[f"{k}_same"] = 100 * same_sign_fraction(r.updates)
        out[f"{k}_diverged"] = r.diverged_at
    if "positive" in runs and "centred" in runs:
        p, c = runs["positive"].steps_to_opt, runs["centred"].steps_to_opt
        out["ratio"] = p / c if p is not None and c is not None and c > 0 else None
        wide = sweep.pivot(index="seed", columns="kind", values="steps")
        pos = wide["positive"].fillna(np.inf)
        cen = wide["centred"].fillna(np.inf)
        both = np.isfinite(pos) | np.isfinite(cen)
        out["n_seeds"] = int(len(wide))
        out["first_seed"], out["last_seed"] = int(wide.index.min()), int(wide.index.max())
        out["slower_seeds"] = int(((pos > cen) & both).sum())
        out["median_pos"] = _median_text(wide["positive"])
        out["median_cen"] = _median_text(wide["centred"])
    return out


# ---------------------------------------------------------------------------- a real network
def net_configs(base: TrainConfig) -> list[TrainConfig]:
    """The same network and data with sigmoid and with tanh in every hidden layer."""
    return [base.replace(activation=a, layer_activations=()) for a in NET_ACTIVATIONS]


def same_sign_layers(records: Sequence[RunRecord]) -> pd.DataFrame:
    """Per run and layer, averaged over checkpoints: the share of per-sample updates
    x_n·δ_nj whose components share one sign (``per_sample``), and of units whose whole
    batch gradient does (``per_batch``). Columns activation, label, layer, layer_name, ..."""
    rows = []
    for rec in records:
        acts = rec.config.hidden_activations()
        # (no hidden layer: the configured activation names the run, as for the others)
        name = (acts[0] if len(set(acts)) == 1 else rec.label) if acts else rec.config.activation
        st = rec.layer_stats
        g = st.groupby(["layer", "layer_name"], sort=True)
        for (layer, lname), d in g:
            rows.append({"activation": name, "label": rec.label, "layer": int(layer),
                         "layer_name": lname,
                         "per_sample": float(d["same_sign_sample_frac"].mean()),
                         "per_batch": float(d["same_sign_frac"].mean())})
    return pd.DataFrame(rows, columns=["activation", "label", "layer", "layer_name",
                                       "per_sample", "per_batch"])


def net_verdict(table: pd.DataFrame) -> dict[str, float]:
    """Layer 1 (data inputs) and the mean over deeper layers, per activation."""
    out: dict[str, float] = {}
    for act, d in table.groupby("activation"):
        first = d[d["layer"] == 1]
        deep = d[d["layer"] > 1]
        out[f"{act}_first"] = 100 * float(first["per_sample"].mean())
        out[f"{act}_deep"] = 100 * float(deep["per_sample"].mean()) if len(deep) else math.nan
        out[f"{act}_deep_batch"] = (100 * float(deep["per_batch"].mean()) if len(deep)
                                    else math.nan)
    return out
