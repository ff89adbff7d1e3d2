"""The sweep's reference protocol: a learning rate per activation chosen on tuning seeds
separate from the evaluation seeds (the median over them; never a rate that failed to learn), and one initialiser for all (see ``LR_FACTORS``).

Pure functions, no Streamlit; ``explorer.compare`` re-exports every public name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS
from .config import TrainConfig
from .record import RunRecord
from .sweep import (
    MIN_SEEDS,
    SEED_MOD,
    SWEEP_SNAPSHOT,
    SWEEP_WORK,
    configs_from_keys,
    seed_work,
    train_grouped,
)

__all__ = ["LEARN_SLACK", "LR_FACTORS", "LR_FACTORS_SMALL", "PLAN_SEEDS", "PROTOCOL_INIT",
           "TUNE_EPOCH_SHARE", "TUNE_OFFSET", "TUNE_SEEDS", "TUNING_COLUMNS",
           "TUNING_RUN_COLUMNS", "choose_lrs", "chosen_lrs", "format_tuning",
           "lr_grid", "protocol_configs", "protocol_plan", "tune_lr", "tune_lr_from_keys",
           "tuned_configs", "tuning_configs", "tuning_epochs", "tuning_runs",
           "tuning_runs_from_keys", "tuning_seeds", "tuning_work", "unchosen"]


# ---------------------------------------------------------------------------- protocol
#: The reference protocol of the sweep (the page's default). Krizhevsky et al. (2012) chose
#: the learning rate of each network "to make training as fast as possible" and gave every
#: network the same initialisation; the sweep does the same on a small scale:
#:
#: * **learning rate per activation**, from ``base.lr × LR_FACTORS`` (inside the lr field's
#:   bounds), tried on ``TUNE_SEEDS`` **tuning seeds** ``base.seed + TUNE_OFFSET + j``, never
#:   one of the sweep's evaluation seeds ``base.seed + s`` (s < ``MAX_SEEDS`` <= TUNE_OFFSET):
#:   new data, split, initial weights and batches, none of which the sweep sees. Each tuning
#:   run trains ``tuning_epochs(E)`` epochs on its seed's training set and is measured as the
#:   sweep measures: epochs until the *training* accuracy first reaches the target (what
#:   Krizhevsky et al. tuned for: training as fast as possible; no test set is read).
#: * a tuning run **learned** if it did not diverge, reached the target, and ended no more
#:   than ``LEARN_SLACK`` below it (it did not fall apart after reaching it). A rate is
#:   **eligible** only if it learned on *every* tuning seed: a rate whose run failed to learn
#:   is never chosen.
#: * the chosen rate is the eligible one with the smallest **median** (over tuning seeds)
#:   epochs to the target; ties: the higher median final training accuracy, then the smaller
#:   rate. If no rate is eligible the search chooses none and the activation keeps the
#:   configs' own rate (the page says so).
#: * **one initialiser for all**: the sidebar's, or ``PROTOCOL_INIT`` if it is *auto*.
LR_FACTORS = (0.1, 0.3, 1.0, 3.0, 10.0)
PROTOCOL_INIT = "he_normal"
#: tuning seeds per search, and how far from the base seed they start (the evaluation seeds
#: are base.seed + 0 .. MAX_SEEDS - 1, so the two sets never meet)
TUNE_SEEDS, TUNE_OFFSET = 3, 1000
#: the share of the budget E a tuning run trains (a rate that needs more to reach the target
#: is not the fastest; it also keeps the search's work near one seed's full-length search);
#: ``tuning_epochs``
TUNE_EPOCH_SHARE = 0.25
#: how far below the target a tuning run may end and still count as learned
LEARN_SLACK = 0.05


def tuning_epochs(epochs: int) -> int:
    """Epochs of a tuning run: ``TUNE_EPOCH_SHARE`` of the budget, at least 1."""
    return max(1, math.ceil(TUNE_EPOCH_SHARE * epochs))


def tuning_seeds(seed: int, n: int = TUNE_SEEDS) -> list[int]:
    """The tuning seeds of a comparison with base seed ``seed`` (disjoint from its evaluation
    seeds ``seed + s``, s < ``MAX_SEEDS``)."""
    return [(seed + TUNE_OFFSET + j) % SEED_MOD for j in range(n)]


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


def tuning_configs(cfgs: Sequence[TrainConfig], grid: Sequence[float],
                   seed: int | None = None, epochs: int | None = None) -> list[TrainConfig]:
    """One config per (activation, learning rate), in that order: ``epochs`` (default
    ``tuning_epochs`` of the budget), minimal snapshots, on tuning seed ``seed`` (default the
    first of the configs' :func:`tuning_seeds`)."""
    s = tuning_seeds(cfgs[0].seed, 1)[0] if seed is None else seed
    return [c.replace(lr=lr, seed=s, epochs=epochs or tuning_epochs(c.epochs), **SWEEP_SNAPSHOT)
            for c in cfgs for lr in grid]


def tuning_work(cfgs: Sequence[TrainConfig], grid: Sequence[float],
                n_seeds: int = TUNE_SEEDS) -> float:
    """Work of the learning-rate search (``labs.budget.run_work`` of each run) over ``n_seeds``
    tuning seeds."""
    from .labs.budget import page_work

    return n_seeds * page_work(tuning_configs(cfgs, grid))


def _tuning_run(c: TrainConfig, r: RunRecord, target: float) -> dict[str, Any]:
    """One tuning run: epochs to the target training accuracy, final training accuracy,
    diverged, learned (see the module's rule)."""
    h = r.history
    hit = h.loc[h["train_acc"] >= target, "epoch"]
    div = r.diverged_at is not None
    final = float(h["train_acc"].iloc[-1]) if len(h) else math.nan
    reached = bool(len(hit)) and not div
    learned = reached and math.isfinite(final) and final >= target - LEARN_SLACK - 1e-12
    return {"activation": c.activation, "lr": float(c.lr), "seed": int(c.seed),
            "epochs_to": float(hit.iloc[0]) if reached else math.inf,
            "final_acc": final, "diverged": div, "learned": learned}


def tuning_runs(cfgs: Sequence[TrainConfig], target: float, grid: Sequence[float],
                seed: int, train_fn: Callable[..., list[RunRecord]] | None = None,
                epochs: int | None = None) -> pd.DataFrame:
    """The search on one tuning seed: one row per (activation, lr) (:func:`_tuning_run`).
    ``train_fn`` defaults to :func:`train_grouped` (called as ``train_fn(configs)``)."""
    runs = tuning_configs(cfgs, grid, seed, epochs)
    recs = (train_fn or train_grouped)(runs)
    return pd.DataFrame([_tuning_run(c, r, target) for c, r in zip(runs, recs, strict=True)],
                        columns=TUNING_RUN_COLUMNS)


#: columns of :func:`tuning_runs`
TUNING_RUN_COLUMNS = ["activation", "lr", "seed", "epochs_to", "final_acc", "diverged",
                      "learned"]


def choose_lrs(runs: pd.DataFrame) -> pd.DataFrame:
    """The rule on the tuning runs of every tuning seed: one row per (activation, lr), in
    the order met: activation, lr, epochs_to (median over tuning seeds; a run that did not
    learn counts as never), final_acc (median final training accuracy), learned (tuning seeds it learned on),
    seeds, diverged (tuning seeds it diverged on), eligible (learned on every seed), chosen
    (at most one per activation, never an ineligible rate)."""
    from .sweep import median

    rows = []
    for (act, lr), g in runs.groupby(["activation", "lr"], sort=False):
        e = np.where(g["learned"].to_numpy(), g["epochs_to"].to_numpy(dtype=np.float64),
                     math.inf)
        acc = g["final_acc"].to_numpy(dtype=np.float64)
        rows.append({"activation": act, "lr": float(lr), "epochs_to": median(e),
                     "final_acc": float(np.median(acc)) if np.isfinite(acc).all()
                     else math.nan,
                     "learned": int(g["learned"].sum()), "seeds": len(g),
                     "diverged": int(g["diverged"].sum()),
                     "eligible": bool(len(g)) and bool(g["learned"].all()), "chosen": False})
    out = pd.DataFrame(rows, columns=TUNING_COLUMNS)
    for _act, g in out.groupby("activation", sort=False):
        ok = g[g["eligible"]]
        if not len(ok):
            continue
        key = ok.assign(acc=-ok["final_acc"].fillna(-1.0)).sort_values(
            ["epochs_to", "acc", "lr"], kind="stable")
        out.loc[key.index[0], "chosen"] = True
    return out


def tune_lr(cfgs: Sequence[TrainConfig], target: float, grid: Sequence[float] | None = None,
            train_fn: Callable[..., list[RunRecord]] | None = None,
            n_seeds: int = TUNE_SEEDS,
            seed_fn: Callable[[int], pd.DataFrame] | None = None,
            epochs: int | None = None) -> pd.DataFrame:
    """Choose each activation's learning rate on ``n_seeds`` tuning seeds (the module's rule;
    :func:`choose_lrs` of :func:`tuning_runs` on every seed of :func:`tuning_seeds`).
    ``seed_fn(seed)`` replaces :func:`tuning_runs` (the page passes a cached one); ``epochs``
    the tuning runs' length (default :func:`tuning_epochs` of the configs' budget)."""
    grid = list(grid) if grid is not None else lr_grid(cfgs[0].lr)
    fn = seed_fn or (lambda s: tuning_runs(cfgs, target, grid, s, train_fn=train_fn,
                                           epochs=epochs))
    frames = [fn(s) for s in tuning_seeds(cfgs[0].seed, n_seeds)]
    return choose_lrs(pd.concat(frames, ignore_index=True))


def chosen_lrs(tuning: pd.DataFrame) -> dict[str, float]:
    """activation -> the learning rate the search chose (an activation with no eligible rate
    is missing: it keeps its own)."""
    t = tuning[tuning["chosen"]]
    return dict(zip(t["activation"], t["lr"].astype(float), strict=True))


def unchosen(tuning: pd.DataFrame) -> list[str]:
    """The activations for which no rate was eligible (they keep the configs' own rate)."""
    got = set(tuning.loc[tuning["chosen"], "activation"])
    return [a for a in dict.fromkeys(tuning["activation"]) if a not in got]


def tuned_configs(cfgs: Sequence[TrainConfig], tuning: pd.DataFrame) -> list[TrainConfig]:
    """The comparison with each activation's chosen learning rate (its own if none was)."""
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
    seeds, else the 3-point grid, else none (one learning rate: the configs' own); the search
    always runs on ``TUNE_SEEDS`` tuning seeds (a median needs several). Keys: grid (the
    learning rates to try; one entry means no search), seeds (evaluation seeds that fit after
    the search, at most ``n_seeds``), work (search + sweep), ok (at least ``MIN_SEEDS`` fit)."""
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


def tuning_runs_from_keys(keys: Sequence[tuple[tuple[str, str], ...]], target: float,
                          grid: Sequence[float], seed: int) -> pd.DataFrame:
    """:func:`tuning_runs` for configs given as ``explorer.app.runs.cfg_key`` tuples (hashable
    cache keys): one tuning seed."""
    return tuning_runs(configs_from_keys(keys), target, list(grid), seed)


def tune_lr_from_keys(keys: Sequence[tuple[tuple[str, str], ...]], target: float,
                      grid: Sequence[float]) -> pd.DataFrame:
    """:func:`tune_lr` for configs given as ``explorer.app.runs.cfg_key`` tuples (hashable cache keys)."""
    return tune_lr(configs_from_keys(keys), target, list(grid))


#: columns of the learning-rate search table (keys of :func:`format_tuning`'s ``headers``)
TUNING_COLUMNS = ["activation", "lr", "epochs_to", "final_acc", "learned", "seeds",
                  "diverged", "eligible", "chosen"]


def format_tuning(tuning: pd.DataFrame, headers: Mapping[str, str], epochs: int,
                  yes: str = "✓", lang: str = "en") -> pd.DataFrame:
    """The learning-rate search as display strings (``epochs``: a tuning run's budget; a
    median that never reached the target: "> epochs"; learned: "k/n" tuning seeds)."""
    cells: dict[str, Callable[[Any], str]] = {
        "activation": lambda r: ACTIVATIONS[r.activation].label_for(lang),
        "lr": lambda r: f"{r.lr:g}",
        "epochs_to": lambda r: f"> {epochs}" if math.isinf(r.epochs_to)
        else f"{r.epochs_to:g}",
        "final_acc": lambda r: "—" if math.isnan(r.final_acc)
        else f"{100 * r.final_acc:.1f}%",
        "learned": lambda r: f"{r.learned}/{r.seeds}",
        "seeds": lambda r: str(r.seeds),
        "diverged": lambda r: f"{r.diverged}/{r.seeds}" if r.diverged else "",
        "eligible": lambda r: yes if r.eligible else "",
        "chosen": lambda r: yes if r.chosen else "",
    }
    rows = [{title: cells[key](r) for key, title in headers.items()}
            for r in tuning.itertuples(index=False)]
    return pd.DataFrame(rows, columns=list(headers.values()))

