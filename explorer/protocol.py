"""The sweep's reference protocol: a learning rate per activation chosen on a validation split
of the training set, and one initialiser for all (see ``LR_FACTORS``).

Pure functions, no Streamlit; ``explorer.compare`` re-exports every public name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

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

__all__ = ["LR_FACTORS", "LR_FACTORS_SMALL", "PLAN_SEEDS", "PROTOCOL_INIT", "TUNING_COLUMNS",
           "VAL_FRACTION", "chosen_lrs", "format_tuning", "lr_grid", "protocol_configs",
           "protocol_plan", "tune_lr", "tune_lr_from_keys", "tuned_configs", "tuning_configs",
           "tuning_work", "validation_split"]


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


def tune_lr_from_keys(keys: Sequence[tuple[tuple[str, str], ...]], target: float,
                      grid: Sequence[float]) -> pd.DataFrame:
    """:func:`tune_lr` for configs given as ``explorer.app.runs.cfg_key`` tuples (hashable cache keys)."""
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

