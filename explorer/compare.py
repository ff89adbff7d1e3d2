"""Comparing activations: the per-activation configs, the summary table, the verdict, and the
seed sweep (epochs to a target training accuracy over several seeds, ratios to ReLU).

Pure functions, no Streamlit. The Compare page trains ``configs_for(base, acts)`` with
``train_many`` (configs that differ only in activation-specific fields are trained stacked)
and draws the results; the sweep repeats the comparison for seeds ``base.seed + s``.

Statistics (the page's help says the same):
The seed sweep and its statistics are in ``explorer.sweep``, the learning-rate search of its
reference protocol in ``explorer.protocol``; every public name of both is re-exported here
(``compare.X`` keeps working).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS
from .config import TrainConfig
from .initialisers import INITIALISERS
from .protocol import (  # noqa: F401  (re-exported: compare.X keeps working)
    LEARN_SLACK,
    LR_FACTORS,
    LR_FACTORS_SMALL,
    PLAN_SEEDS,
    PROTOCOL_INIT,
    TUNE_EPOCH_SHARE,
    TUNE_OFFSET,
    TUNE_SEEDS,
    TUNING_COLUMNS,
    TUNING_RUN_COLUMNS,
    choose_lrs,
    chosen_lrs,
    format_tuning,
    lr_grid,
    protocol_configs,
    protocol_plan,
    tune_lr,
    tune_lr_from_keys,
    tuned_configs,
    tuning_configs,
    tuning_epochs,
    tuning_runs,
    tuning_runs_from_keys,
    tuning_seeds,
    tuning_work,
    unchosen,
)
from .record import RunRecord
from .sweep import (  # noqa: F401  (re-exported: compare.X keeps working)
    COMPARE_WORK,
    CONFIDENCE,
    DEFAULT_SEEDS,
    LESSON_PAIR,
    LESSON_RATIO,
    MAX_SEEDS,
    MIN_SEEDS,
    REFERENCE,
    SEED_MOD,
    SWEEP_COLUMNS,
    SWEEP_SNAPSHOT,
    SWEEP_WORK,
    VERDICT_PAIRS,
    censored_median,
    configs_from_keys,
    format_bounds,
    format_interval,
    format_ratio,
    format_sweep,
    init_label,
    init_name,
    median,
    paired_ratios,
    quantile,
    ratio_intervals,
    reference_for,
    run_sweep,
    seed_work,
    sign_test_rank,
    sweep_budget,
    sweep_configs,
    sweep_overshoot,
    sweep_runs,
    sweep_seed,
    sweep_seed_from_keys,
    sweep_seeds_allowed,
    sweep_stats,
    sweep_verdict,
    sweep_wall_time,
    target_text,
    time_groups,
    train_grouped,
)
from .train import checkpoint_epochs

#: default selection (the lesson's five), in column order
DEFAULT_ACTS = ("sigmoid", "tanh", "relu", "leaky_relu", "maxout")
MIN_ACTS, MAX_ACTS = 2, 6
#: target training accuracy in percent (URL key ``target``)
DEFAULT_TARGET, TARGET_LO, TARGET_HI = 95, 50, 100
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
#: columns of the summary table, in display order (keys of :func:`summary_table`)
SUMMARY_COLUMNS = ["label", "n_params", "train_loss", "test_loss", "train_acc",
                   "test_acc", "epochs_to", "seconds_to", "time", "dead_frac",
                   "saturated_frac", "diverged_at"]

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



# ---------------------------------------------------------------------------- per column
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


# ---------------------------------------------------------------------------- summary
def summary_table(records: Sequence[RunRecord], target: float, lang: str = "en",
                  ) -> pd.DataFrame:
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
            "activation": r.config.activation, "label": r.label_for(lang),
            "init": init_name(r.config),
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


def verdict(records: Sequence[RunRecord], target: float, lang: str = "en",
            ) -> tuple[str, dict[str, Any]]:
    """A one-line verdict as (text key, format arguments), computed from the records.

    Keys: ``verdict.none`` (no run reached the target), ``verdict.one`` (only one did),
    ``verdict.slower`` / ``verdict.faster`` (the reference -- ReLU if it reached the target,
    else the fastest run -- against the run farthest from it), ``verdict.same``; then
    ``never`` lists the runs that did not reach it (empty string if none) and ``diverged``
    those that diverged. Pass names with the page's joiner: the lists are tuples of labels.
    """
    pct = target_text(target)
    epochs = max(r.config.epochs for r in records)
    reached = [(r, r.epochs_to(target)) for r in records]
    ok = [(r, e) for r, e in reached if e is not None]
    never = tuple(r.label_for(lang) for r, e in reached if e is None)
    diverged = tuple(r.label_for(lang) for r in records if r.diverged_at is not None)
    fmt: dict[str, Any] = {"target": pct, "epochs": epochs, "never": never,
                           "diverged": diverged}
    if not ok:
        return "verdict.none", fmt
    ref_rec = next(((r, e) for r, e in ok if r.config.activation == REFERENCE), None)
    if ref_rec is None:
        ref_rec = min(ok, key=lambda t: t[1])
    ref, e_ref = ref_rec
    others = [(r, e) for r, e in ok if r is not ref]
    fmt.update(ref=ref.label_for(lang), e_ref=e_ref)
    if not others:
        return "verdict.one", fmt
    slow = max(others, key=lambda t: t[1])
    if slow[1] > e_ref:
        other, key = slow, "verdict.slower"
    else:
        fast = min(others, key=lambda t: t[1])
        other, key = (fast, "verdict.faster") if fast[1] < e_ref else (slow, "verdict.same")
    o, e_o = other
    fmt.update(other=o.label_for(lang), e_other=e_o)
    if key == "verdict.slower":
        fmt["ratio"] = _ratio_text(e_o / max(e_ref, 1)) if e_ref > 0 else "∞"
    elif key == "verdict.faster":
        fmt["ratio"] = _ratio_text(e_ref / max(e_o, 1)) if e_o > 0 else "∞"
    return key, fmt




# ---------------------------------------------------------------------------- seed sweep
def within_budget(cfgs: Sequence[TrainConfig],
                  ) -> tuple[list[TrainConfig], dict[str, tuple[int, int]]]:
    """The comparison within the page budget (``labs.budget.fit``: all runs together at most
    ``budget.PAGE_WORK`` multiply-adds and ``budget.PAGE_MEMORY`` bytes; the boundary grid and
    the epoch slider's snapshots are kept drawable) and what was reduced ({field: (asked,
    used)})."""
    from .labs import budget

    fitted = budget.fit(cfgs, min_grid=budget.DRAWN_GRID,  # (with the player's frames)
                        min_checkpoints=budget.DRAWN_CHECKPOINTS, frames=budget.BOUNDARY)
    return fitted.cfgs, dict(fitted.reduced)



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


def strip_frame(runs: pd.DataFrame, never_x: float) -> pd.DataFrame:
    """Runs for the strip plot: x = epochs_to, or ``never_x`` for runs that never got there;
    a deterministic jitter in [-0.35, 0.35] (by seed order) spreads equal values."""
    out = runs.copy()
    out["x"] = np.where(np.isfinite(out["epochs_to"]), out["epochs_to"], never_x)
    order = out.groupby("activation").cumcount().to_numpy()
    counts = out.groupby("activation")["seed"].transform("size").to_numpy()
    out["jitter"] = np.where(counts > 1, (order / np.maximum(counts - 1, 1) - 0.5) * 0.7, 0.0)
    return out
