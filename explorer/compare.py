"""Comparing activations: the per-activation configs, the summary table, the verdict, and the
seed sweep (epochs to a target training accuracy over several seeds, ratios to ReLU).

Pure functions, no Streamlit. The Compare page trains ``configs_for(base, acts)`` with
``train_many`` (configs that differ only in activation-specific fields are trained stacked)
and draws the results; the sweep repeats the comparison for seeds ``base.seed + s``.

Runs that never reach the target are kept: their epochs-to-target is ``inf`` ("never"), they
count in the medians (a median of ``inf`` means most runs never got there) and in the
per-seed ratios (an activation that never reached the target while the reference did has the
ratio ``inf``). A seed on which the reference itself never reached the target gives no ratio.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS
from .config import TrainConfig
from .initialisers import INITIALISERS
from .record import RunRecord
from .train import checkpoint_epochs, train_many

#: default selection (the lesson's five), in column order
DEFAULT_ACTS = ("sigmoid", "tanh", "relu", "leaky_relu", "maxout")
MIN_ACTS, MAX_ACTS = 2, 6
#: target training accuracy in percent (URL key ``target``)
DEFAULT_TARGET, TARGET_LO, TARGET_HI = 95, 50, 100
#: seeds of the sweep (URL key ``seeds``)
DEFAULT_SEEDS, MIN_SEEDS, MAX_SEEDS = 10, 2, 20
#: the activation every ratio is taken against (the lesson's "ReLU is ~6x faster")
REFERENCE = "relu"
#: the page's base config: moons, 16-16, SGD with momentum 0.9, lr 0.1, 200 epochs. With plain
#: SGD sigmoid never reaches 95 % in 200 epochs on any seed (the ratio would be infinite
#: everywhere); with momentum it does on most seeds, and the ratio becomes a number.
BASE = TrainConfig(optimizer="momentum")
#: the shared controls (every config field except the activation choice itself; the
#: activation parameters are shown by the page when their activation is selected)
SHOWN = ["dataset", "n_samples", "noise", "test_fraction", "n_classes", "seed", "hidden",
         "init", "init_scale", "bias_init", "optimizer", "lr", "momentum", "batch_size",
         "epochs", "l2", "n_checkpoints", "grid_size"]
#: activation -> the config field of its parameter shown by the page when it is selected
ACT_PARAMS = {"leaky_relu": "leaky_slope", "elu": "elu_alpha", "maxout": "maxout_k"}
#: the sweep needs only the training history: the fewest snapshots and the coarsest grid
SWEEP_SNAPSHOT = {"n_checkpoints": 2, "grid_size": 10}
SEED_MOD = 2**31
#: the most work (``TrainConfig.work`` summed over every run) one sweep may do: ~30 s on a
#: small shared machine; the default sweep (5 activations x 10 seeds) is ~1e9
SWEEP_WORK = 1.0e10
#: columns of the summary table, in display order (keys of :func:`summary_table`)
SUMMARY_COLUMNS = ["label", "n_params", "train_loss", "test_loss", "train_acc",
                   "test_acc", "epochs_to", "seconds_to", "time", "dead_frac",
                   "saturated_frac", "diverged_at"]
#: columns of the sweep table (keys of :func:`format_sweep`'s ``headers``)
SWEEP_COLUMNS = ["activation", "runs", "never", "diverged", "median", "iqr", "median_ratio",
                 "final_acc"]


# ---------------------------------------------------------------------------- configs
def configs_for(base: TrainConfig, acts: Sequence[str]) -> tuple[list[TrainConfig], list[str]]:
    """One config per activation: ``base`` with only the activation changed.

    If one activation (Maxout has k× the weights) pushes the run over the work budget, the
    epochs of *every* config are lowered to the largest count all of them allow, so the
    comparison stays fair; the returned notes say so (``("epochs_capped", n)``-style text).
    """
    if not acts:
        raise ValueError("acts: choose at least one activation")
    for a in acts:
        if a not in ACTIVATIONS:
            raise ValueError(f"acts: unknown activation {a!r}")
    base = base.replace(layer_activations=())
    notes: list[str] = []
    epochs = base.epochs
    for a in acts:
        probe = base.replace(activation=a, epochs=1)
        epochs = min(epochs, probe.max_epochs())
    if epochs < base.epochs:
        notes.append(f"epochs: {base.epochs} → {epochs}")
    return [base.replace(activation=a, epochs=epochs) for a in acts], notes


def init_name(cfg: TrainConfig) -> str:
    """The initialiser a config's hidden layers actually use (``auto`` resolved)."""
    return cfg.resolved_init(0)


def init_label(cfg: TrainConfig) -> str:
    return INITIALISERS[init_name(cfg)].label


def time_groups(records: Sequence[RunRecord]) -> list[list[int]]:
    """Indices of the records that were trained together in one stack (they share one
    measured wall time). Stacked records carry the same ``wall_time`` and ``trained_with``."""
    groups: dict[tuple[float, int], list[int]] = {}
    for i, r in enumerate(records):
        key = (r.wall_time, r.trained_with) if r.trained_with > 1 else (float(i), -1)
        groups.setdefault(key, []).append(i)
    return list(groups.values())


# ---------------------------------------------------------------------------- per column
def _hidden_stats(rec: RunRecord, epoch: int | None) -> pd.DataFrame:
    st = rec.stats_at(epoch)
    return st[st["layer"] <= rec.n_hidden]


def column_figures(rec: RunRecord, epoch: int | None = None) -> dict[str, Any]:
    """Dead and saturated figures of one record at the checkpoint nearest ``epoch``.

    Keys: epoch (the checkpoint), dead (count), units (hidden units), dead_frac, saturated_frac
    (mean over hidden layers of the share of (sample, unit) pre-activations in the flat part),
    layers: list of per-hidden-layer dicts (layer, units, dead, saturated_frac, grad_norm),
    output_norm, train_acc, test_acc (history at that epoch; nan if diverged before it).
    """
    ep = rec.nearest_checkpoint(epoch) if epoch is not None else rec.checkpoints[-1]
    st = rec.stats_at(ep)
    hidden = st[st["layer"] <= rec.n_hidden]
    out_row = st[st["layer"] == rec.n_hidden + 1]
    units = int(hidden["units"].sum())
    dead = int(hidden["dead_count"].sum())
    h = rec.history
    row = h[h["epoch"] == ep]
    return {
        "epoch": ep,
        "dead": dead, "units": units, "dead_frac": dead / units if units else 0.0,
        "saturated_frac": float(hidden["saturated_frac"].mean()) if len(hidden) else 0.0,
        "layers": [{"layer": int(r.layer), "units": int(r.units), "dead": int(r.dead_count),
                    "saturated_frac": float(r.saturated_frac), "grad_norm": float(r.grad_norm)}
                   for r in hidden.itertuples(index=False)],
        "output_norm": float(out_row["grad_norm"].iloc[0]) if len(out_row) else float("nan"),
        "train_acc": float(row["train_acc"].iloc[0]) if len(row) else float("nan"),
        "test_acc": float(row["test_acc"].iloc[0]) if len(row) else float("nan"),
    }


def grad_y_max(records: Sequence[RunRecord]) -> dict[int, float]:
    """Per layer (1-based, output last), one y-axis top for every column's gradient
    histogram of that layer: the largest share of the layer's weights in one log10|g| bin (or
    exactly zero), over every record and checkpoint. Same layer, same axes in every column."""
    m: dict[int, float] = {}
    for r in records:
        gc = np.asarray(r.grad_counts, dtype=np.float64)  # (C, layers, 2, bins)
        gz = np.asarray(r.grad_zero_counts, dtype=np.float64)  # (C, layers)
        if gc.size == 0:
            continue
        total = np.maximum(gc.sum(axis=(2, 3)) + gz, 1.0)
        bars = (gc.sum(axis=2) / total[:, :, None]).max(axis=(0, 2))
        zeros = (gz / total).max(axis=0)
        for li in range(gc.shape[1]):
            m[li + 1] = max(m.get(li + 1, 0.0), float(bars[li]), float(zeros[li]))
    return {k: min(1.0, max(0.05, v * 1.08)) for k, v in m.items()}


def replay_epochs(records: Sequence[RunRecord]) -> list[int]:
    """The checkpoint epochs of the comparison (the union; diverged runs have fewer)."""
    eps: set[int] = set()
    for r in records:
        eps.update(int(e) for e in r.checkpoints)
    return sorted(eps) or [0]


# ---------------------------------------------------------------------------- summary
def summary_table(records: Sequence[RunRecord], target: float) -> pd.DataFrame:
    """One row per record (numbers, not strings): activation (registry name), label, init,
    n_params, train_loss, test_loss, train_acc, test_acc (last recorded epoch), epochs_to
    (first epoch with train_acc >= target; nan if never), seconds_to (shared time scaled by
    epochs; nan if never), wall_time (measured for the whole stack the record was trained
    in), trained_with, time_per_model (wall_time / trained_with), dead_frac, saturated_frac
    (last checkpoint), diverged_at (nan if not)."""
    rows = []
    for r in records:
        s = r.summary()
        e = r.epochs_to(target)
        sec = r.seconds_to(target)
        rows.append({
            "activation": r.config.activation, "label": r.label, "init": init_name(r.config),
            "n_params": int(r.n_params),
            "train_loss": float(s["final_train_loss"]), "test_loss": float(s["final_test_loss"]),
            "train_acc": float(s["final_train_acc"]), "test_acc": float(s["final_test_acc"]),
            "epochs_to": float(e) if e is not None else math.nan,
            "seconds_to": float(sec) if sec is not None else math.nan,
            "wall_time": float(r.wall_time), "trained_with": int(r.trained_with),
            "time_per_model": float(r.wall_time) / max(1, r.trained_with),
            "dead_frac": float(s["dead_frac"]), "saturated_frac": float(s["saturated_frac"]),
            "diverged_at": float(r.diverged_at) if r.diverged_at is not None else math.nan,
        })
    return pd.DataFrame(rows)


def format_summary(table: pd.DataFrame, columns: Mapping[str, str], never: str,
                   init_labels: bool = True) -> pd.DataFrame:
    """The summary as display strings, columns renamed by ``columns`` (key -> header; only
    these columns, in this order). "never" for a target not reached, "—" for no divergence."""
    def num(v: float, fmt: str) -> str:
        return "—" if v is None or not math.isfinite(v) else format(v, fmt)

    out: dict[str, list[str]] = {}
    for key, header in columns.items():
        col = table[key] if key in table else None
        if key in ("train_acc", "test_acc", "dead_frac", "saturated_frac"):
            vals = [num(100 * v, ".1f") + ("%" if math.isfinite(v) else "") for v in col]
        elif key in ("train_loss", "test_loss"):
            vals = [num(v, ".4f") for v in col]
        elif key == "epochs_to":
            vals = [never if not math.isfinite(v) else str(int(v)) for v in col]
        elif key == "seconds_to":
            vals = [never if not math.isfinite(v) else f"{v:.2f}" for v in col]
        elif key in ("wall_time", "time_per_model"):
            vals = [f"{v:.2f}" for v in col]
        elif key == "time":
            vals = [f"{p:.2f} ({w:.2f} ÷ {n})" if n > 1 else f"{w:.2f}" for p, w, n in
                    zip(table["time_per_model"], table["wall_time"], table["trained_with"],
                        strict=True)]
        elif key == "diverged_at":
            vals = ["—" if not math.isfinite(v) else str(int(v)) for v in col]
        elif key == "init" and init_labels:
            vals = [INITIALISERS[v].label for v in col]
        else:
            vals = [str(v) for v in col]
        out[header] = vals
    return pd.DataFrame(out)


def _ratio_text(r: float) -> str:
    return f"{r:.1f}" if r < 100 else f"{r:.0f}"


def verdict(records: Sequence[RunRecord], target: float) -> tuple[str, dict[str, Any]]:
    """A one-line verdict as (text key, format arguments), computed from the records.

    Keys: ``verdict.none`` (no run reached the target), ``verdict.one`` (only one did),
    ``verdict.slower`` / ``verdict.faster`` (the reference -- ReLU if it reached the target,
    else the fastest run -- against the run farthest from it), ``verdict.same``; then
    ``never`` lists the runs that did not reach it (empty string if none) and ``diverged``
    those that diverged. Pass names with the page's joiner: the lists are tuples of labels.
    """
    pct = _pct(target)
    epochs = max(r.config.epochs for r in records)
    reached = [(r, r.epochs_to(target)) for r in records]
    ok = [(r, e) for r, e in reached if e is not None]
    never = tuple(r.label for r, e in reached if e is None)
    diverged = tuple(r.label for r in records if r.diverged_at is not None)
    fmt: dict[str, Any] = {"target": pct, "epochs": epochs, "never": never,
                           "diverged": diverged}
    if not ok:
        return "verdict.none", fmt
    ref_rec = next(((r, e) for r, e in ok if r.config.activation == REFERENCE), None)
    if ref_rec is None:
        ref_rec = min(ok, key=lambda t: t[1])
    ref, e_ref = ref_rec
    others = [(r, e) for r, e in ok if r is not ref]
    fmt.update(ref=ref.label, e_ref=e_ref)
    if not others:
        return "verdict.one", fmt
    slow = max(others, key=lambda t: t[1])
    if slow[1] > e_ref:
        other, key = slow, "verdict.slower"
    else:
        fast = min(others, key=lambda t: t[1])
        other, key = (fast, "verdict.faster") if fast[1] < e_ref else (slow, "verdict.same")
    o, e_o = other
    fmt.update(other=o.label, e_other=e_o)
    if key == "verdict.slower":
        fmt["ratio"] = _ratio_text(e_o / max(e_ref, 1)) if e_ref > 0 else "∞"
    elif key == "verdict.faster":
        fmt["ratio"] = _ratio_text(e_ref / max(e_o, 1)) if e_o > 0 else "∞"
    return key, fmt


def _pct(target: float) -> str:
    return f"{100 * target:.0f}" if abs(100 * target - round(100 * target)) < 1e-9 \
        else f"{100 * target:g}"


# ---------------------------------------------------------------------------- seed sweep
def sweep_configs(cfgs: Sequence[TrainConfig], s: int) -> list[TrainConfig]:
    """The comparison for sweep seed number ``s``: every config with seed ``base.seed + s``
    (data, split, initial weights and batch order all change) and minimal snapshots."""
    return [c.replace(seed=(c.seed + s) % SEED_MOD, **SWEEP_SNAPSHOT) for c in cfgs]


def sweep_seeds_allowed(cfgs: Sequence[TrainConfig], n_seeds: int,
                        budget: float = SWEEP_WORK) -> int:
    """How many of ``n_seeds`` seeds fit the sweep's work budget (at least ``MIN_SEEDS``)."""
    per_seed = sum(c.work() for c in cfgs) or 1.0
    return int(max(MIN_SEEDS, min(n_seeds, budget // per_seed)))


def sweep_seed(cfgs: Sequence[TrainConfig], s: int,
               progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Train one seed of the sweep; long table activation, seed, epoch, train_acc, train_loss,
    diverged_at (-1 if not), wall_time (of the whole seed)."""
    run = sweep_configs(cfgs, s)
    recs = train_many(run, progress=progress)
    wall = sum(recs[g[0]].wall_time for g in time_groups(recs))
    frames = []
    for c, r in zip(run, recs, strict=True):
        h = r.history
        frames.append(pd.DataFrame({
            "activation": c.activation, "seed": int(c.seed),
            "epoch": h["epoch"].to_numpy(dtype=np.int64),
            "train_acc": h["train_acc"].to_numpy(dtype=np.float64),
            "train_loss": h["train_loss"].to_numpy(dtype=np.float64),
            "diverged_at": -1 if r.diverged_at is None else int(r.diverged_at),
            "epochs": int(c.epochs), "wall_time": float(wall)}))
    return pd.concat(frames, ignore_index=True)


def run_sweep(cfgs: Sequence[TrainConfig], n_seeds: int,
              progress: Callable[[float], None] | None = None,
              seed_fn: Callable[[Sequence[TrainConfig], int], pd.DataFrame] | None = None,
              ) -> pd.DataFrame:
    """All ``n_seeds`` seeds (``seed_fn`` defaults to :func:`sweep_seed`; the page passes a
    cached one); ``progress(fraction)`` after each seed."""
    fn = seed_fn or sweep_seed
    frames = []
    for s in range(n_seeds):
        frames.append(fn(cfgs, s))
        if progress is not None:
            progress((s + 1) / n_seeds)
    return pd.concat(frames, ignore_index=True)


def sweep_runs(hist: pd.DataFrame, target: float) -> pd.DataFrame:
    """One row per (activation, seed): epochs_to (inf if never), reached, diverged,
    final_acc (last recorded training accuracy), epochs (the run's budget)."""
    rows = []
    for (act, seed), g in hist.groupby(["activation", "seed"], sort=False):
        hit = g.loc[g["train_acc"] >= target, "epoch"]
        e = float(hit.iloc[0]) if len(hit) else math.inf
        rows.append({"activation": act, "seed": int(seed), "epochs_to": e,
                     "reached": bool(len(hit)), "diverged": bool(g["diverged_at"].iloc[0] >= 0),
                     "final_acc": float(g["train_acc"].iloc[-1]),
                     "epochs": int(g["epochs"].iloc[0])})
    return pd.DataFrame(rows, columns=["activation", "seed", "epochs_to", "reached", "diverged",
                                       "final_acc", "epochs"])


def _median(v: np.ndarray) -> float:
    """Median that keeps ``inf`` (never) entries: sorted middle element(s)."""
    if len(v) == 0:
        return math.nan
    v = np.sort(v)
    n = len(v)
    if n % 2:
        return float(v[n // 2])
    a, b = float(v[n // 2 - 1]), float(v[n // 2])
    return b if math.isinf(b) else (a + b) / 2


def _quantile(v: np.ndarray, q: float) -> float:
    """Lower-interpolated quantile that keeps ``inf`` entries (no inf arithmetic)."""
    if len(v) == 0:
        return math.nan
    v = np.sort(v)
    pos = q * (len(v) - 1)
    lo, hi = int(math.floor(pos)), int(math.ceil(pos))
    a, b = float(v[lo]), float(v[hi])
    if math.isinf(a) or math.isinf(b):
        return b if pos - lo > 0 else a
    return a + (b - a) * (pos - lo)


def paired_ratios(runs: pd.DataFrame, act: str, ref: str = REFERENCE) -> np.ndarray:
    """Per seed, epochs_to(act) / epochs_to(ref). ``inf`` if act never reached the target but
    ref did; seeds where ref never reached it (or reached it at epoch 0) are left out."""
    a = runs[runs["activation"] == act].set_index("seed")["epochs_to"]
    r = runs[runs["activation"] == ref].set_index("seed")["epochs_to"]
    out = []
    for seed in a.index.intersection(r.index):
        ea, er = float(a[seed]), float(r[seed])
        if not math.isfinite(er) or er <= 0:
            continue
        out.append(math.inf if not math.isfinite(ea) else ea / er)
    return np.asarray(out, dtype=np.float64)


def sweep_stats(runs: pd.DataFrame, acts: Sequence[str], ref: str | None = None,
                ) -> pd.DataFrame:
    """Per activation: runs, reached, never, diverged, median / q25 / q75 epochs to target
    (``inf`` where the middle run never got there), median_ratio to ``ref`` (paired by seed;
    nan if no seed gives a ratio), n_ratio (seeds that give one), mean final_acc."""
    ref = ref if ref is not None else reference_for(acts)
    rows = []
    for act in acts:
        g = runs[runs["activation"] == act]
        v = g["epochs_to"].to_numpy(dtype=np.float64)
        ratios = paired_ratios(runs, act, ref) if act != ref else \
            np.ones(int(np.isfinite(v).sum()))
        rows.append({
            "activation": act, "runs": len(g), "reached": int(g["reached"].sum()),
            "never": int((~g["reached"]).sum()), "diverged": int(g["diverged"].sum()),
            "median": _median(v), "q25": _quantile(v, 0.25), "q75": _quantile(v, 0.75),
            "median_ratio": _median(ratios) if len(ratios) else math.nan,
            "n_ratio": len(ratios),
            "final_acc": float(g["final_acc"].mean()) if len(g) else math.nan})
    return pd.DataFrame(rows)


def reference_for(acts: Sequence[str]) -> str:
    """ReLU if it is in the selection, else the first selected activation."""
    return REFERENCE if REFERENCE in acts else acts[0]


def format_ratio(r: float, never: str) -> str:
    if r is None or (isinstance(r, float) and math.isnan(r)):
        return "—"
    if math.isinf(r):
        return never
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def sweep_verdict(stats: pd.DataFrame, target: float, ref: str) -> tuple[str, dict[str, Any]]:
    """The sweep in one line: the activation with the largest median ratio to ``ref``.

    Keys ``sweep.verdict`` (label, ratio, n never of N), ``sweep.verdict_never`` (its median
    run never reached the target), ``sweep.verdict_none`` (the reference rarely reached it).
    """
    pct = _pct(target)
    st = stats.set_index("activation")
    fmt: dict[str, Any] = {"target": pct, "ref": ACTIVATIONS[ref].label,
                           "runs": int(st.loc[ref, "runs"]) if ref in st.index else 0}
    others = st.drop(index=ref, errors="ignore")
    others = others[others["n_ratio"] > 0]
    if ref not in st.index or st.loc[ref, "reached"] == 0 or others.empty:
        return "sweep.verdict_none", fmt
    key_vals = others["median_ratio"].to_numpy(dtype=np.float64)
    worst = others.index[int(np.argmax(key_vals))]
    row = others.loc[worst]
    fmt.update(act=ACTIVATIONS[worst].label, never=int(row["never"]),
               n=int(row["runs"]), seeds=int(row["n_ratio"]))
    if math.isinf(row["median_ratio"]):
        return "sweep.verdict_never", fmt
    fmt["ratio"] = _ratio_text(float(row["median_ratio"]))
    return "sweep.verdict", fmt


def strip_frame(runs: pd.DataFrame, never_x: float) -> pd.DataFrame:
    """Runs for the strip plot: x = epochs_to, or ``never_x`` for runs that never got there;
    a deterministic jitter in [-0.35, 0.35] (by seed order) spreads equal values."""
    out = runs.copy()
    out["x"] = np.where(np.isfinite(out["epochs_to"]), out["epochs_to"], never_x)
    order = out.groupby("activation").cumcount().to_numpy()
    counts = out.groupby("activation")["seed"].transform("size").to_numpy()
    out["jitter"] = np.where(counts > 1, (order / np.maximum(counts - 1, 1) - 0.5) * 0.7, 0.0)
    return out


def format_sweep(stats: pd.DataFrame, headers: Mapping[str, str], never: str) -> pd.DataFrame:
    """The sweep table as display strings; ``headers`` maps activation, runs, never, diverged,
    median, iqr, median_ratio, final_acc to column titles (in that order)."""
    def ep(v: float) -> str:
        return never if math.isinf(v) else ("—" if math.isnan(v) else f"{round(v, 1):g}")

    rows = []
    for r in stats.itertuples(index=False):
        rows.append({
            headers["activation"]: ACTIVATIONS[r.activation].label,
            headers["runs"]: str(r.runs),
            headers["never"]: f"{r.never}/{r.runs}",
            headers["diverged"]: str(r.diverged),
            headers["median"]: ep(r.median),
            headers["iqr"]: f"{ep(r.q25)} – {ep(r.q75)}",
            headers["median_ratio"]: format_ratio(r.median_ratio, never),
            headers["final_acc"]: f"{100 * r.final_acc:.1f}%",
        })
    return pd.DataFrame(rows, columns=list(headers.values()))


def sweep_wall_time(hist: pd.DataFrame) -> float:
    """Engine seconds of the whole sweep (each seed's time counted once)."""
    return float(hist.groupby("seed")["wall_time"].first().sum())


def sweep_seed_from_keys(keys: Sequence[tuple[tuple[str, str], ...]], s: int) -> pd.DataFrame:
    """:func:`sweep_seed` for configs given as ``ui.cfg_key`` tuples (hashable cache keys)."""
    cfgs = []
    for k in keys:
        cfg, errors = TrainConfig.from_query(dict(k))
        if errors:
            raise ValueError("; ".join(errors))
        cfgs.append(cfg)
    return sweep_seed(cfgs, s)


def checkpoint_options(cfg: TrainConfig) -> list[int]:
    """The replay slider's epochs: the snapshots every (non-diverged) run records."""
    return checkpoint_epochs(cfg.epochs, cfg.n_checkpoints)


def nearest(options: Sequence[int], value: int) -> int:
    """The option closest to ``value`` (ties: the smaller)."""
    return min(options, key=lambda o: (abs(o - value), o))


def stack_tables(tables: Sequence[pd.DataFrame], labels: Sequence[str], header: str,
                 ) -> pd.DataFrame:
    """Per-record tables one under the other, with a first column naming the record."""
    frames = [tb.assign(**{header: lab})[[header, *tb.columns]]
              for tb, lab in zip(tables, labels, strict=True)]
    return pd.concat(frames, ignore_index=True)


#: width of the page's main area on a 1600 px screen: sidebar open / projector mode (sidebar
#: collapsed, larger fonts)
MAIN_WIDTH = {False: 1180, True: 1400}


def column_px(n_columns: int, main_width: int = MAIN_WIDTH[False], gap: int = 16) -> int:
    """Width in pixels of one of ``n_columns`` page columns."""
    return int((main_width - gap * (n_columns - 1)) / max(1, n_columns))


def chart_width(n_columns: int, main_width: int = MAIN_WIDTH[False], axis: int = 62) -> int:
    """Plot width (without the y axis) of a chart that fills one of ``n_columns`` columns."""
    return int(max(120, min(380, column_px(n_columns, main_width) - axis)))
