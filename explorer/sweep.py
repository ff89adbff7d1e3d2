"""The seed sweep of the comparison: every activation trained on seeds ``base.seed + s``
(epochs to a target training accuracy), and its statistics against a reference (ReLU).

Pure functions, no Streamlit. How the comparison's runs are trained (:func:`train_grouped`,
the one grouping loop) and timed (:func:`time_groups`) is here too, for the sweep and the page
alike. ``explorer.compare`` re-exports every public name; the learning-rate search is in
``explorer.protocol``.

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
from .train import train_many

__all__ = ["COMPARE_WORK", "CONFIDENCE", "DEFAULT_SEEDS", "LESSON_PAIR", "LESSON_RATIO",
           "MAX_SEEDS", "MIN_SEEDS", "REFERENCE", "SEED_MOD", "SWEEP_COLUMNS", "SWEEP_SNAPSHOT",
           "SWEEP_WORK", "VERDICT_PAIRS", "censored_median", "configs_from_keys", "format_bounds",
           "format_interval", "format_ratio", "format_sweep", "init_label", "init_name", "median",
           "paired_ratios", "quantile", "ratio_intervals", "reference_for", "run_sweep",
           "seed_work", "sign_test_rank", "sweep_budget", "sweep_configs", "sweep_overshoot",
           "sweep_runs", "sweep_seed", "sweep_seed_from_keys", "sweep_seeds_allowed",
           "sweep_stats", "sweep_verdict", "sweep_wall_time", "target_text", "time_groups",
           "train_grouped"]


#: the activation every ratio is taken against (the lesson's "ReLU is ~6x faster")
REFERENCE = "relu"
#: seeds of the sweep (URL key ``seeds``)
DEFAULT_SEEDS, MIN_SEEDS, MAX_SEEDS = 10, 2, 20
#: the sweep needs only the training history: the fewest snapshots and the coarsest grid
SWEEP_SNAPSHOT = {"n_checkpoints": 2, "grid_size": 10}
SEED_MOD = 2**31
#: the most work one sweep may do, learning-rate search included (multiply-adds counted like
#: ``labs.budget.page_work``: activation values and per-update overhead included; about
#: ``budget.SECONDS_PER_WORK`` of CPU each): the default sweep (5 activations x 10 seeds and
#: the 5-point search) is about 4.0e10
SWEEP_WORK = 4.5e10
#: the most work the whole page may do with the sweep on: the comparison's runs (with the
#: player's dense frames, issue 27), the search and the seeds together (the default page with
#: its sweep is about 5.0e10). A heavy comparison
#: leaves its sweep less (:func:`sweep_budget`: fewer seeds, and the page says so), so that the
#: heaviest link stays within ``budget.LINK_WORK_SHARE`` of ``budget.LINK_SECONDS``
COMPARE_WORK = 5.4e10
#: columns of the sweep table (keys of :func:`format_sweep`'s ``headers``)
SWEEP_COLUMNS = ["activation", "init", "lr", "runs", "never", "diverged", "median", "iqr",
                 "median_ratio", "ci", "final_acc"]
#: the confidence of the interval over seeds (exact sign-test interval for the median)
CONFIDENCE = 0.95
#: the lesson's figure and where it comes from (the verdict names the pair it is about)
LESSON_RATIO, LESSON_PAIR = 6.0, ("relu", "tanh")
#: the pairs the verdict reports first, in this order, when both activations are selected
VERDICT_PAIRS = (("relu", "tanh"), ("relu", "sigmoid"))


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



def sweep_budget(cfgs: Sequence[TrainConfig]) -> float:
    """The work the sweep (search and seeds) of the comparison ``cfgs`` may do: ``SWEEP_WORK``,
    and no more than what the comparison's own runs leave of ``COMPARE_WORK``."""
    from .labs.budget import page_work

    return float(max(0.0, min(SWEEP_WORK, COMPARE_WORK - page_work(cfgs, frames="boundary"))))


def train_grouped(cfgs: Sequence[TrainConfig], data=None,
                  progress: Callable[[float], None] | None = None,
                  train_fn: Callable[..., list[RunRecord]] = train_many) -> list[RunRecord]:
    """``train_many`` in the consecutive groups of ``labs.budget.stack_groups`` (the one
    grouping loop: ``explorer.app.runs.records`` passes a cached ``train_fn(part, data=...,
    progress=...)``): one stack's temporary arrays stay within ``budget.STACK_MEMORY`` and the
    work is what ``budget.page_work`` counts. Every record is the same as when all are trained
    in one call (only ``wall_time`` and ``trained_with``, which describe the stack, differ)."""
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
        for i, rec in zip(group, train_fn(part, data=data, progress=step), strict=True):
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


def median(v: np.ndarray) -> float:
    """Median that keeps ``inf`` (never) entries: sorted middle element(s)."""
    if len(v) == 0:
        return math.nan
    v = np.sort(v)
    n = len(v)
    if n % 2:
        return float(v[n // 2])
    a, b = float(v[n // 2 - 1]), float(v[n // 2])
    return b if math.isinf(b) else (a + b) / 2


def quantile(v: np.ndarray, q: float) -> float:
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
    return {"med_lo": median(lo), "med_hi": median(hi), "ci_lo": float(lo[k - 1]),
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
            "median": median(v), "q25": quantile(v, 0.25), "q75": quantile(v, 0.75),
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
    pct = target_text(target)
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
    """:func:`sweep_seed` for configs given as ``explorer.app.runs.cfg_key`` tuples (hashable cache keys)."""
    return sweep_seed(configs_from_keys(keys), s)


def configs_from_keys(keys: Sequence[tuple[tuple[str, str], ...]]) -> list[TrainConfig]:
    cfgs = []
    for k in keys:
        cfg, errors = TrainConfig.from_query(dict(k))
        if errors:
            raise ValueError("; ".join(errors))
        cfgs.append(cfg)
    return cfgs


def target_text(target: float) -> str:
    """A target accuracy (a fraction) as percent text: "95", "97.5"."""
    return f"{100 * target:.0f}" if abs(100 * target - round(100 * target)) < 1e-9 \
        else f"{100 * target:g}"
