"""Comparing activations: the per-activation configs, the summary table, the verdict, and the
seed sweep (epochs to a target training accuracy over several seeds, ratios to ReLU).

Pure functions, no Streamlit. The Compare page trains ``configs_for(base, acts)`` with
``train_many`` (configs that differ only in activation-specific fields are trained stacked)
and draws the results; the sweep repeats the comparison for seeds ``base.seed + s``.

Statistics (the page's help says the same):

* **epochs to target**: the first epoch whose training accuracy is >= the target. A run that
  never reaches it within its budget E (or diverges) is *right-censored*: it needed at least
  E + 1 epochs. Such runs are kept everywhere ("> E" in the table); a median of ``inf``
  means the middle run never got there.
* **ratio to the reference** (ReLU), per seed: epochs_to(act) / epochs_to(ref) on the same
  seed, with censoring on **both** sides: act never -> ratio >= (E + 1) / e_ref; ref never
  -> ratio <= e_act / (E + 1); both never -> unknown (0, ∞). No seed is dropped.
* **median ratio**: the median of those intervals lies between the median of the lower
  bounds and the median of the upper bounds; when they agree it is a number, otherwise it is
  reported as a bound ("≥ 2.5×", "≤ 0.4×", "1.2–3×").
* **interval over seeds**: the exact sign-test (binomial order-statistic) interval for the
  median, [k-th smallest lower bound, k-th largest upper bound], coverage >= 95 % when the
  number of seeds allows (else min to max, with its coverage stated). It contains the median.
* **reference protocol** (:func:`tune_lr`): a learning rate per activation chosen on a
  validation split of the training set, and one initialiser for all (see ``LR_FACTORS``).
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
#: the most work one sweep may do, learning-rate search included (multiply-adds counted like
#: ``labs.budget.page_work``: activation values and per-update overhead included; about
#: ``budget.SECONDS_PER_WORK`` of CPU each): the default sweep (5 activations x 10 seeds and
#: the 5-point search) is about 4.0e10
SWEEP_WORK = 4.5e10
#: the most work the whole page may do with the sweep on: the comparison's runs, the search and
#: the seeds together (the default page with its sweep is about 4.6e10). A heavy comparison
#: leaves its sweep less (:func:`sweep_budget`: fewer seeds, and the page says so), so that the
#: heaviest link stays within ``budget.LINK_WORK_SHARE`` of ``budget.LINK_SECONDS``
COMPARE_WORK = 5.0e10
#: columns of the summary table, in display order (keys of :func:`summary_table`)
SUMMARY_COLUMNS = ["label", "n_params", "train_loss", "test_loss", "train_acc",
                   "test_acc", "epochs_to", "seconds_to", "time", "dead_frac",
                   "saturated_frac", "diverged_at"]
#: columns of the sweep table (keys of :func:`format_sweep`'s ``headers``)
SWEEP_COLUMNS = ["activation", "init", "lr", "runs", "never", "diverged", "median", "iqr",
                 "median_ratio", "ci", "final_acc"]


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
    pct = _pct(target)
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


def _pct(target: float) -> str:
    return f"{100 * target:.0f}" if abs(100 * target - round(100 * target)) < 1e-9 \
        else f"{100 * target:g}"


# ---------------------------------------------------------------------------- seed sweep
def within_budget(cfgs: Sequence[TrainConfig],
                  ) -> tuple[list[TrainConfig], dict[str, tuple[int, int]]]:
    """The comparison within the page budget (``labs.budget.fit``: all runs together at most
    ``budget.PAGE_WORK`` multiply-adds and ``budget.PAGE_MEMORY`` bytes; the boundary grid and
    the epoch slider's snapshots are kept drawable) and what was reduced ({field: (asked,
    used)})."""
    from .labs import budget

    fitted = budget.fit(cfgs, min_grid=budget.DRAWN_GRID,
                        min_checkpoints=budget.DRAWN_CHECKPOINTS)
    return fitted.cfgs, dict(fitted.reduced)


def sweep_budget(cfgs: Sequence[TrainConfig]) -> float:
    """The work the sweep (search and seeds) of the comparison ``cfgs`` may do: ``SWEEP_WORK``,
    and no more than what the comparison's own runs leave of ``COMPARE_WORK``."""
    from .labs.budget import page_work

    return float(max(0.0, min(SWEEP_WORK, COMPARE_WORK - page_work(cfgs))))


def train_grouped(cfgs: Sequence[TrainConfig], data=None,
                  progress: Callable[[float], None] | None = None) -> list[RunRecord]:
    """``train_many`` in the consecutive groups of ``labs.budget.stack_groups`` (as
    ``ui.cached_train_many`` trains a page): one stack's temporary arrays stay within
    ``budget.STACK_MEMORY`` and the work is what ``budget.page_work`` counts. Every record is
    the same as when all are trained in one call (only ``wall_time`` and ``trained_with``,
    which describe the stack, differ)."""
    from .labs.budget import stack_groups

    cfgs = list(cfgs)
    out: list[RunRecord | None] = [None] * len(cfgs)
    total = sum(c.epochs for c in cfgs) or 1
    done = 0
    for group in stack_groups(cfgs):
        part = [cfgs[i] for i in group]
        size = sum(c.epochs for c in part)
        step = None if progress is None else (
            lambda f, d=done, w=size: progress(min(1.0, (d + f * w) / total)))
        for i, rec in zip(group, train_many(part, data=data, progress=step), strict=True):
            out[i] = rec
        done += size
    return out  # type: ignore[return-value]


def sweep_configs(cfgs: Sequence[TrainConfig], s: int) -> list[TrainConfig]:
    """The comparison for sweep seed number ``s``: every config with seed ``base.seed + s``
    (data, split, initial weights and batch order all change) and minimal snapshots."""
    return [c.replace(seed=(c.seed + s) % SEED_MOD, **SWEEP_SNAPSHOT) for c in cfgs]


def sweep_seeds_allowed(cfgs: Sequence[TrainConfig], n_seeds: int,
                        budget: float = SWEEP_WORK) -> int:
    """How many of ``n_seeds`` seeds fit the sweep's work budget: never more than the budget
    allows, so possibly fewer than ``MIN_SEEDS`` (even 0): then the page does not run the sweep
    and says so (see :func:`sweep_overshoot`)."""
    per_seed = seed_work(cfgs) or 1.0
    return int(max(0, min(n_seeds, budget // per_seed)))


def sweep_overshoot(cfgs: Sequence[TrainConfig], budget: float = SWEEP_WORK) -> float:
    """How many times the budget ``MIN_SEEDS`` seeds of these configs would take."""
    return MIN_SEEDS * seed_work(cfgs) / max(budget, 1.0)


def seed_work(cfgs: Sequence[TrainConfig]) -> float:
    """Work of one sweep seed (``labs.budget.run_work`` of its minimal-snapshot runs)."""
    from .labs.budget import page_work

    return page_work(sweep_configs(cfgs, 0))


def sweep_seed(cfgs: Sequence[TrainConfig], s: int,
               progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Train one seed of the sweep; long table activation, seed, epoch, train_acc, train_loss,
    diverged_at (-1 if not), epochs (budget), lr, init (resolved), wall_time (of the whole
    seed)."""
    run = sweep_configs(cfgs, s)
    recs = train_grouped(run, progress=progress)
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
            "epochs": int(c.epochs), "lr": float(c.lr), "init": init_name(c),
            "wall_time": float(wall)}))
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
    final_acc (last recorded training accuracy), epochs (the run's budget), and lr / init
    when the history carries them."""
    rows = []
    for (act, seed), g in hist.groupby(["activation", "seed"], sort=False):
        hit = g.loc[g["train_acc"] >= target, "epoch"]
        e = float(hit.iloc[0]) if len(hit) else math.inf
        rows.append({"activation": act, "seed": int(seed), "epochs_to": e,
                     "reached": bool(len(hit)), "diverged": bool(g["diverged_at"].iloc[0] >= 0),
                     "final_acc": float(g["train_acc"].iloc[-1]),
                     "epochs": int(g["epochs"].iloc[0]),
                     "lr": float(g["lr"].iloc[0]) if "lr" in g else math.nan,
                     "init": str(g["init"].iloc[0]) if "init" in g else ""})
    return pd.DataFrame(rows, columns=["activation", "seed", "epochs_to", "reached", "diverged",
                                       "final_acc", "epochs", "lr", "init"])


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


# ---------------------------------------------------------------------------- protocol
#: The reference protocol of the sweep (the page's default). Krizhevsky et al. (2012) chose
#: the learning rate of each network "to make training as fast as possible" and gave every
#: network the same initialisation; the sweep does the same on a small scale:
#:
#: * **learning rate per activation**, from ``base.lr × LR_FACTORS`` (inside the lr field's
#:   bounds), trained on the base seed's *training* set minus a stratified validation part
#:   (``VAL_FRACTION`` of it; the test set is never used). The chosen rate is the one whose
#:   **validation** accuracy first reaches the target; rates that never reach it are ranked by
#:   their final validation accuracy (then the smaller rate). Diverged runs are never chosen.
#: * **one initialiser for all**: the sidebar's, or ``PROTOCOL_INIT`` if it is *auto*.
LR_FACTORS = (0.1, 0.3, 1.0, 3.0, 10.0)
VAL_FRACTION = 0.25
PROTOCOL_INIT = "he_normal"
#: the confidence of the interval over seeds (exact sign-test interval for the median)
CONFIDENCE = 0.95
#: the lesson's figure and where it comes from (the verdict names the pair it is about)
LESSON_RATIO, LESSON_PAIR = 6.0, ("relu", "tanh")
#: the pairs the verdict reports first, in this order, when both activations are selected
VERDICT_PAIRS = (("relu", "tanh"), ("relu", "sigmoid"))


def lr_grid(base_lr: float, factors: Sequence[float] = LR_FACTORS) -> list[float]:
    """The learning rates tried per activation: ``base_lr × factors`` rounded to 3 significant
    digits, kept inside the lr field's bounds, no duplicates, ascending."""
    from .config import FIELDS
    f = FIELDS["lr"]
    out = sorted({float(f"{min(f.hi, max(f.lo, base_lr * k)):.3g}") for k in factors})
    return out


def protocol_configs(cfgs: Sequence[TrainConfig], init: str | None = None,
                     ) -> list[TrainConfig]:
    """The comparison under the protocol: every config with the same initialiser (``init``;
    default the configs' own if it is not *auto*, else ``PROTOCOL_INIT``)."""
    if init is None:
        init = cfgs[0].init if cfgs[0].init != "auto" else PROTOCOL_INIT
    return [c.replace(init=init) for c in cfgs]


def validation_split(data, seed: int, fraction: float = VAL_FRACTION):
    """A Dataset whose *test* part is a validation part split off ``data``'s **training** set
    (stratified when every class allows it, ``random_state=seed``); ``data.X_test`` is not
    used. Tuning trains on ``X_train`` of the result and reads its "test" accuracy."""
    from sklearn.model_selection import train_test_split

    from .datasets import Dataset
    X, y = data.X_train, data.y_train
    try:
        X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=fraction, stratify=y,
                                                  random_state=seed % SEED_MOD)
    except ValueError:  # a class too small to stratify
        X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=fraction,
                                                  random_state=seed % SEED_MOD)
    return Dataset(X_train=X_tr, y_train=y_tr, X_test=X_va, y_test=y_va,
                   n_classes=data.n_classes, name=data.name,
                   feature_names=data.feature_names, class_names=data.class_names)


def tuning_configs(cfgs: Sequence[TrainConfig], grid: Sequence[float]) -> list[TrainConfig]:
    """One config per (activation, learning rate), minimal snapshots, in that order."""
    return [c.replace(lr=lr, **SWEEP_SNAPSHOT) for c in cfgs for lr in grid]


def tuning_work(cfgs: Sequence[TrainConfig], grid: Sequence[float],
                fraction: float = VAL_FRACTION) -> float:
    """Work of the learning-rate search (``labs.budget.run_work`` of each run, scaled to the
    training part that remains after the validation split)."""
    from .labs.budget import page_work

    return page_work(tuning_configs(cfgs, grid)) * (1.0 - fraction)


def tune_lr(cfgs: Sequence[TrainConfig], target: float, grid: Sequence[float] | None = None,
            data=None, train_fn: Callable[..., list[RunRecord]] | None = None,
            ) -> pd.DataFrame:
    """Choose each activation's learning rate on a validation split of the training set.

    ``data`` defaults to the first config's data set (its seed); ``train_fn`` defaults to
    :func:`train_grouped` (called as ``train_fn(configs, data=validation_dataset)``).
    Returns one row per (activation, lr): activation, lr, val_epochs_to (first epoch with
    validation accuracy >= target; inf if never), final_val_acc, diverged, chosen (bool; one
    per activation). See the module constants for the rule."""
    from .train import data_for
    grid = list(grid) if grid is not None else lr_grid(cfgs[0].lr)
    data = data if data is not None else data_for(cfgs[0])
    val = validation_split(data, cfgs[0].seed)
    runs = tuning_configs(cfgs, grid)
    recs = (train_fn or train_grouped)(runs, data=val)
    rows = []
    for c, r in zip(runs, recs, strict=True):
        h = r.history
        hit = h.loc[h["test_acc"] >= target, "epoch"]
        div = r.diverged_at is not None
        rows.append({"activation": c.activation, "lr": float(c.lr),
                     "val_epochs_to": math.inf if div or not len(hit) else float(hit.iloc[0]),
                     "final_val_acc": float(h["test_acc"].iloc[-1]) if len(h) else math.nan,
                     "diverged": div, "chosen": False})
    out = pd.DataFrame(rows, columns=["activation", "lr", "val_epochs_to", "final_val_acc",
                                      "diverged", "chosen"])
    for _act, g in out.groupby("activation", sort=False):
        ok = g[~g["diverged"]]
        pool = ok if len(ok) else g
        key = pool.assign(acc=-pool["final_val_acc"].fillna(-1.0)).sort_values(
            ["val_epochs_to", "acc", "lr"], kind="stable")
        out.loc[key.index[0], "chosen"] = True
    return out


def chosen_lrs(tuning: pd.DataFrame) -> dict[str, float]:
    """activation -> the learning rate the search chose."""
    t = tuning[tuning["chosen"]]
    return dict(zip(t["activation"], t["lr"].astype(float), strict=True))


def tuned_configs(cfgs: Sequence[TrainConfig], tuning: pd.DataFrame) -> list[TrainConfig]:
    """The comparison with each activation's chosen learning rate."""
    lrs = chosen_lrs(tuning)
    return [c.replace(lr=lrs.get(c.activation, c.lr)) for c in cfgs]


#: smaller learning-rate grids tried when the full one does not fit the work budget
LR_FACTORS_SMALL = ((0.3, 1.0, 3.0), (1.0,))
#: the fewest seeds worth giving up grid points for
PLAN_SEEDS = 5


def protocol_plan(cfgs: Sequence[TrainConfig], n_seeds: int, budget: float = SWEEP_WORK,
                  ) -> dict[str, Any]:
    """How much of the protocol fits ``budget`` (work counted as ``labs.budget.run_work``).

    The full grid (``LR_FACTORS``) is kept if it leaves room for min(n_seeds, PLAN_SEEDS)
    seeds, else the 3-point grid, else none (one learning rate: the configs' own). Keys:
    grid (the learning rates to try; one entry means no search), seeds (that fit after the
    search, at most ``n_seeds``), work (search + sweep), ok (at least ``MIN_SEEDS`` fit)."""
    per_seed = seed_work(cfgs) or 1.0
    base_lr = cfgs[0].lr
    want = min(n_seeds, PLAN_SEEDS)
    plan: dict[str, Any] = {}
    for factors in (LR_FACTORS, *LR_FACTORS_SMALL):
        grid = lr_grid(base_lr, factors)
        tw = tuning_work(cfgs, grid) if len(grid) > 1 else 0.0
        seeds = int(min(n_seeds, max(0.0, budget - tw) // per_seed))
        plan = {"grid": grid, "seeds": seeds, "work": tw + seeds * per_seed,
                "ok": seeds >= MIN_SEEDS}
        if seeds >= want:
            break
    return plan


# ---------------------------------------------------------------------------- censored ratios
def _ratio_bounds(ea: float, Ea: int, er: float, Er: int) -> tuple[float, float]:
    """Bounds (lo, hi) of one seed's ratio epochs_to(act) / epochs_to(ref).

    A run that never reached the target within its budget E took at least E + 1 epochs
    (right-censored), so: both reached -> the ratio; act never -> [(Ea + 1)/er, inf);
    ref never -> (0, ea/(Er + 1)]; neither -> (0, inf). Epochs count from 1 (a run at the
    target before training counts as 1)."""
    a_ok, r_ok = math.isfinite(ea), math.isfinite(er)
    a = max(ea, 1.0) if a_ok else float(Ea + 1)
    r = max(er, 1.0) if r_ok else float(Er + 1)
    if a_ok and r_ok:
        return a / r, a / r
    if r_ok:  # act censored
        return a / r, math.inf
    if a_ok:  # ref censored
        return 0.0, a / r
    return 0.0, math.inf


def ratio_intervals(runs: pd.DataFrame, act: str, ref: str = REFERENCE) -> pd.DataFrame:
    """Per seed both ran: seed, lo, hi (the censored ratio's bounds, :func:`_ratio_bounds`),
    censored_act, censored_ref. Every seed counts, whichever side never reached the target."""
    a = runs[runs["activation"] == act].set_index("seed")
    r = runs[runs["activation"] == ref].set_index("seed")
    rows = []
    for seed in a.index.intersection(r.index):
        ea, er = float(a.loc[seed, "epochs_to"]), float(r.loc[seed, "epochs_to"])
        lo, hi = _ratio_bounds(ea, int(a.loc[seed, "epochs"]), er, int(r.loc[seed, "epochs"]))
        rows.append({"seed": int(seed), "lo": lo, "hi": hi,
                     "censored_act": not math.isfinite(ea), "censored_ref": not math.isfinite(er)})
    return pd.DataFrame(rows, columns=["seed", "lo", "hi", "censored_act", "censored_ref"])


def sign_test_rank(n: int, confidence: float = CONFIDENCE) -> tuple[int, float]:
    """(k, coverage): the exact distribution-free interval for a median from n values is
    [x_(k), x_(n-k+1)] with coverage 1 - 2·P(Bin(n, ½) <= k - 1). k is the largest rank with
    coverage >= ``confidence``; if even k = 1 (min to max) falls short, k = 1 and its lower
    coverage is returned (2 seeds: 50 %, 5 seeds: 93.75 %)."""
    if n <= 0:
        return 0, math.nan

    def cover(k: int) -> float:
        return 1.0 - 2.0 * sum(math.comb(n, i) for i in range(k)) / 2.0 ** n

    k = 1
    while k + 1 <= (n + 1) // 2 and cover(k + 1) >= confidence:
        k += 1
    return k, cover(k)


def censored_median(lo: np.ndarray, hi: np.ndarray, confidence: float = CONFIDENCE,
                    ) -> dict[str, float]:
    """Median of interval-censored values and its sign-test interval.

    Every value is only known to lie in [lo_i, hi_i]. The median lies in [median(lo),
    median(hi)] (``med_lo``, ``med_hi``; equal when the censored values do not decide it); the
    interval is [k-th smallest lo, k-th largest hi] (:func:`sign_test_rank`), which covers the
    true median with at least ``coverage`` whatever the censored values are. Keys: med_lo,
    med_hi, ci_lo, ci_hi, coverage, n."""
    lo, hi = np.sort(np.asarray(lo, dtype=np.float64)), np.sort(np.asarray(hi, dtype=np.float64))
    n = len(lo)
    if n == 0:
        return {"med_lo": math.nan, "med_hi": math.nan, "ci_lo": math.nan, "ci_hi": math.nan,
                "coverage": math.nan, "n": 0}
    k, cov = sign_test_rank(n, confidence)
    return {"med_lo": _median(lo), "med_hi": _median(hi), "ci_lo": float(lo[k - 1]),
            "ci_hi": float(hi[n - k]), "coverage": cov, "n": n}


def paired_ratios(runs: pd.DataFrame, act: str, ref: str = REFERENCE) -> pd.DataFrame:
    """Per seed, the ratio epochs_to(act) / epochs_to(ref) as censored bounds (lo, hi) with
    censoring flags: see :func:`ratio_intervals`. No seed is dropped: a run that never reached
    the target counts as "at least its budget + 1 epochs" on whichever side it is."""
    return ratio_intervals(runs, act, ref)


def sweep_stats(runs: pd.DataFrame, acts: Sequence[str], ref: str | None = None,
                confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per activation: runs, reached, never, diverged, epochs (budget), median / q25 / q75
    epochs to target (``inf`` where the middle run never got there), init and lr (when the
    runs carry them), and the ratio to ``ref`` paired by seed with censoring
    (:func:`censored_median` of :func:`ratio_intervals`): ratio_lo, ratio_hi (the median's
    bounds), median_ratio (= the median when the bounds agree, else nan), ci_lo, ci_hi,
    coverage, n_ratio (seeds paired), never_act / never_ref (paired seeds on which this
    activation / the reference never reached the target); final_acc (mean)."""
    ref = ref if ref is not None else reference_for(acts)
    rows = []
    for act in acts:
        g = runs[runs["activation"] == act]
        v = g["epochs_to"].to_numpy(dtype=np.float64)
        iv = ratio_intervals(runs, act, ref)
        if act == ref:
            m = {"med_lo": 1.0, "med_hi": 1.0, "ci_lo": 1.0, "ci_hi": 1.0,
                 "coverage": math.nan, "n": len(iv)}
        else:
            m = censored_median(iv["lo"].to_numpy(), iv["hi"].to_numpy(), confidence)
        rows.append({
            "activation": act, "runs": len(g), "reached": int(g["reached"].sum()),
            "never": int((~g["reached"]).sum()), "diverged": int(g["diverged"].sum()),
            "epochs": int(g["epochs"].max()) if len(g) else 0,
            "init": str(g["init"].iloc[0]) if "init" in g and len(g) else "",
            "lr": float(g["lr"].iloc[0]) if "lr" in g and len(g) else math.nan,
            "median": _median(v), "q25": _quantile(v, 0.25), "q75": _quantile(v, 0.75),
            "ratio_lo": m["med_lo"], "ratio_hi": m["med_hi"],
            "median_ratio": m["med_lo"] if m["med_lo"] == m["med_hi"] else math.nan,
            "ci_lo": m["ci_lo"], "ci_hi": m["ci_hi"], "coverage": m["coverage"],
            "n_ratio": int(m["n"]),
            "never_act": int(iv["censored_act"].sum()), "never_ref": int(iv["censored_ref"].sum()),
            "final_acc": float(g["final_acc"].mean()) if len(g) else math.nan})
    return pd.DataFrame(rows)


def reference_for(acts: Sequence[str]) -> str:
    """ReLU if it is in the selection, else the first selected activation."""
    return REFERENCE if REFERENCE in acts else acts[0]


def _x(r: float) -> str:
    if r == 0:
        return "0"
    if math.isinf(r):
        return "∞"
    return f"{r:.2f}" if r < 10 else f"{r:.1f}"


def format_ratio(r: float, never: str) -> str:
    if r is None or (isinstance(r, float) and math.isnan(r)):
        return "—"
    if math.isinf(r):
        return never
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def format_bounds(lo: float, hi: float, unknown: str = "?") -> str:
    """A censored median as text: "1.33×" (decided), "≥ 2.50×" (at least), "≤ 0.40×" (at
    most), "1.20–3.00×" (between), ``unknown`` (no bound at all), "—" (no value)."""
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        return "—"
    if lo == hi:
        return f"{_x(lo)}×"
    if math.isinf(hi):
        return unknown if lo == 0 else f"≥ {_x(lo)}×"
    if lo == 0:
        return f"≤ {_x(hi)}×"
    return f"{_x(lo)}–{_x(hi)}×"


def format_interval(lo: float, hi: float) -> str:
    """A confidence interval of a ratio: "0.50× – 2.00×" (∞ and 0 written as such)."""
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        return "—"
    return f"{_x(lo)}× – {_x(hi)}×"


def _pair_order(acts: Sequence[str], ref: str) -> list[str]:
    """The activations compared with ``ref``: the lesson's pairs first (tanh, then sigmoid),
    then the rest in selection order."""
    first = [b for a, b in VERDICT_PAIRS if a == ref and b in acts]
    return first + [a for a in acts if a != ref and a not in first]


def sweep_verdict(stats: pd.DataFrame, target: float, ref: str, lang: str = "en",
                  ) -> list[tuple[str, dict[str, Any]]]:
    """The sweep as lines (text key, format arguments), one per activation compared with
    ``ref`` (the lesson's pairs ReLU vs tanh and ReLU vs sigmoid first), each naming its pair.

    Keys: ``sweep.pair.slower`` (the interval over seeds lies above 1×: ``ref`` needed fewer
    epochs), ``sweep.pair.faster`` (below 1×), ``sweep.pair.unclear`` (it contains 1×),
    ``sweep.pair.unknown`` (too many runs never reached the target to bound the median);
    or a single ``sweep.verdict_none`` when ``ref`` never reached the target. Arguments: ref,
    act, target, ratio (:func:`format_bounds`), ci (:func:`format_interval`), cov (coverage
    in %), n (seeds), never_act, never_ref, lesson (True for the lesson's own pair)."""
    pct = _pct(target)
    st = stats.set_index("activation")
    base = {"target": pct, "ref": ACTIVATIONS[ref].label_for(lang),
            "runs": int(st.loc[ref, "runs"]) if ref in st.index else 0}
    if ref not in st.index or st.loc[ref, "reached"] == 0:
        return [("sweep.verdict_none", base)]
    lines = []
    for act in _pair_order(list(st.index), ref):
        row = st.loc[act]
        if row["n_ratio"] == 0:
            continue
        lo, hi, c_lo, c_hi = (float(row[k]) for k in ("ratio_lo", "ratio_hi", "ci_lo", "ci_hi"))
        fmt = {**base, "act": ACTIVATIONS[act].label_for(lang), "ratio": format_bounds(lo, hi),
               "ci": format_interval(c_lo, c_hi), "cov": f"{100 * row['coverage']:.0f}",
               "n": int(row["n_ratio"]), "never_act": int(row["never_act"]),
               "never_ref": int(row["never_ref"]),
               "lesson": (ref, act) == LESSON_PAIR}
        if lo == 0 and math.isinf(hi):
            key = "sweep.pair.unknown"
        elif c_lo > 1:
            key = "sweep.pair.slower"
        elif c_hi < 1:
            key = "sweep.pair.faster"
        else:
            key = "sweep.pair.unclear"
        lines.append((key, fmt))
    return lines or [("sweep.verdict_none", base)]


def strip_frame(runs: pd.DataFrame, never_x: float) -> pd.DataFrame:
    """Runs for the strip plot: x = epochs_to, or ``never_x`` for runs that never got there;
    a deterministic jitter in [-0.35, 0.35] (by seed order) spreads equal values."""
    out = runs.copy()
    out["x"] = np.where(np.isfinite(out["epochs_to"]), out["epochs_to"], never_x)
    order = out.groupby("activation").cumcount().to_numpy()
    counts = out.groupby("activation")["seed"].transform("size").to_numpy()
    out["jitter"] = np.where(counts > 1, (order / np.maximum(counts - 1, 1) - 0.5) * 0.7, 0.0)
    return out


def format_sweep(stats: pd.DataFrame, headers: Mapping[str, str], never: str,
                 init_labels: bool = True, lang: str = "en") -> pd.DataFrame:
    """The sweep table as display strings; ``headers`` maps keys of :data:`SWEEP_COLUMNS` to
    column titles (only those given, in that order). Epochs of a median run that never reached
    the target are shown as "> budget"; ratios as censored bounds (:func:`format_bounds`)."""
    def ep(v: float, budget: int) -> str:
        return f"> {budget}" if math.isinf(v) else ("—" if math.isnan(v) else f"{round(v, 1):g}")

    cells: dict[str, Callable[[Any], str]] = {
        "activation": lambda r: ACTIVATIONS[r.activation].label_for(lang),
        "init": lambda r: (INITIALISERS[r.init].label if init_labels and r.init in INITIALISERS
                           else str(r.init)),
        "lr": lambda r: "—" if math.isnan(r.lr) else f"{r.lr:g}",
        "runs": lambda r: str(r.runs),
        "never": lambda r: f"{r.never}/{r.runs}",
        "diverged": lambda r: str(r.diverged),
        "median": lambda r: ep(r.median, r.epochs),
        "iqr": lambda r: f"{ep(r.q25, r.epochs)} – {ep(r.q75, r.epochs)}",
        "median_ratio": lambda r: format_bounds(r.ratio_lo, r.ratio_hi, never),
        "ci": lambda r: "—" if math.isnan(r.coverage) else format_interval(r.ci_lo, r.ci_hi),
        "final_acc": lambda r: f"{100 * r.final_acc:.1f}%",
    }
    rows = [{title: cells[key](r) for key, title in headers.items()}
            for r in stats.itertuples(index=False)]
    return pd.DataFrame(rows, columns=list(headers.values()))


def sweep_wall_time(hist: pd.DataFrame) -> float:
    """Engine seconds of the whole sweep (each seed's time counted once)."""
    return float(hist.groupby("seed")["wall_time"].first().sum())


def sweep_seed_from_keys(keys: Sequence[tuple[tuple[str, str], ...]], s: int) -> pd.DataFrame:
    """:func:`sweep_seed` for configs given as ``ui.cfg_key`` tuples (hashable cache keys)."""
    return sweep_seed(configs_from_keys(keys), s)


def configs_from_keys(keys: Sequence[tuple[tuple[str, str], ...]]) -> list[TrainConfig]:
    cfgs = []
    for k in keys:
        cfg, errors = TrainConfig.from_query(dict(k))
        if errors:
            raise ValueError("; ".join(errors))
        cfgs.append(cfg)
    return cfgs


def tune_lr_from_keys(keys: Sequence[tuple[tuple[str, str], ...]], target: float,
                      grid: Sequence[float]) -> pd.DataFrame:
    """:func:`tune_lr` for configs given as ``ui.cfg_key`` tuples (hashable cache keys)."""
    return tune_lr(configs_from_keys(keys), target, list(grid))


#: columns of the learning-rate search table (keys of :func:`format_tuning`'s ``headers``)
TUNING_COLUMNS = ["activation", "lr", "val_epochs_to", "final_val_acc", "diverged", "chosen"]


def format_tuning(tuning: pd.DataFrame, headers: Mapping[str, str], epochs: int,
                  yes: str = "✓", lang: str = "en") -> pd.DataFrame:
    """The learning-rate search as display strings (never reached: "> epochs")."""
    cells: dict[str, Callable[[Any], str]] = {
        "activation": lambda r: ACTIVATIONS[r.activation].label_for(lang),
        "lr": lambda r: f"{r.lr:g}",
        "val_epochs_to": lambda r: f"> {epochs}" if math.isinf(r.val_epochs_to)
        else f"{r.val_epochs_to:.0f}",
        "final_val_acc": lambda r: "—" if math.isnan(r.final_val_acc)
        else f"{100 * r.final_val_acc:.1f}%",
        "diverged": lambda r: yes if r.diverged else "",
        "chosen": lambda r: yes if r.chosen else "",
    }
    rows = [{title: cells[key](r) for key, title in headers.items()}
            for r in tuning.itertuples(index=False)]
    return pd.DataFrame(rows, columns=list(headers.values()))


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
