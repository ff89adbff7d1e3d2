"""Dead-ReLU lab (lesson claims 7–11): which hidden units die, when, whether they revive, and
what that does to the loss, for several activations trained side by side on the same data,
batch order and initial draws.

A unit is *dead* when its activation's derivative is exactly 0 on every training point, and
*asleep* when its pre-activation z is ≤ 0 on every training point (any activation: a dead ReLU
is asleep; an asleep Leaky ReLU still gets the gradient α — the comparison the lesson needs,
since "0 % dead" is true of Leaky ReLU by definition). It *revives* (wakes up) when it is dead
(asleep) at one epoch and not at the next. The engine tracks both at **every epoch**
(``record.unit_history``; definitions in ``explorer.record``), so the counts do not depend on
the number of snapshots; the maps (``record.dead_map``) are drawn at the snapshots, and the
revivals recounted from them equal the engine's when there is a snapshot every epoch (fewer
when snapshots skip epochs: a unit can die and revive between two of them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..activations import ACTIVATIONS
from ..config import TrainConfig
from ..initialisers import AUTO, INITIALISERS
from ..optimisers import OPTIMISERS
from ..record import RunRecord
from . import budget
from .vanishing import hist_width as _hist_width

DEFAULT_ACTS = ("relu", "leaky_relu", "elu", "maxout")
DEFAULT_MAP = "relu"
#: moons, two hidden layers of 16, SGD, a snapshot every epoch
BASE = TrainConfig(hidden=(16, 16), epochs=50, n_checkpoints=51)
SHOWN = ["dataset", "n_samples", "noise", "n_classes", "seed", "hidden", "init", "init_scale",
         "bias_init", "optimizer", "lr", "momentum", "batch_size", "epochs", "n_checkpoints"]
#: one-click settings (changes from BASE); every one is reproducible from its URL
PRESETS: dict[str, dict[str, object]] = {
    "healthy": {"init": "he_normal"},
    "zero_init": {"init": "zeros"},
    "neg_bias": {"bias_init": -2.0},
    "large_lr": {"lr": 3.0},
}
#: snapshots kept for the unit map before a page over its budget trains fewer epochs
MIN_MAP_CHECKPOINTS = 11
#: a run is "frozen" if its training loss never moves more than this from its start
FROZEN_TOL = 1e-3
#: map cell states
ALIVE, DEAD, REVIVED = "alive", "dead", "revived"


def activation_names() -> list[str]:
    return ACTIVATIONS.names()


def build_configs(base: TrainConfig, acts: Sequence[str]) -> tuple[list[TrainConfig], int | None]:
    """One config per activation, everything else equal. If the work budget forbids
    ``base.epochs`` for one of them (Maxout has k× the weights), all get the largest allowed
    number of epochs, returned second (None if nothing was cut)."""
    probes = [base.replace(activation=a, layer_activations=(), epochs=1) for a in acts]
    epochs = min(base.epochs, *(p.max_epochs() for p in probes))
    return [p.replace(epochs=epochs) for p in probes], (epochs if epochs < base.epochs else None)


def page_configs(base: TrainConfig, acts: Sequence[str],
                 ) -> tuple[list[TrainConfig], dict[str, tuple[int, int]]]:
    """The page's runs within the page budget (see ``budget.fit``) and what was reduced
    ({field: (asked, used)}; the epochs also when one run alone was over ``MAX_WORK``)."""
    cfgs, cut = build_configs(base, acts)
    fitted = budget.fit(cfgs, min_checkpoints=MIN_MAP_CHECKPOINTS)
    reduced = dict(fitted.reduced)
    if cut is not None:
        reduced["epochs"] = (base.epochs, fitted.cfgs[0].epochs)
    return fitted.cfgs, reduced


def preset_of(cfg: TrainConfig, base: TrainConfig = BASE) -> str | None:
    """Name of the preset ``cfg`` equals on the shown fields (None if none)."""
    for name, changes in PRESETS.items():
        target = base.replace(**changes)
        if all(getattr(cfg, f) == getattr(target, f) for f in SHOWN):
            return name
    return None


# ---------------------------------------------------------------------------- tables
def hidden_stats(rec: RunRecord) -> pd.DataFrame:
    ls = rec.layer_stats
    return ls[ls["layer"] <= rec.n_hidden]


def dead_curve(records: Sequence[RunRecord]) -> pd.DataFrame:
    """Long table act, label, epoch, layer, dead_frac, dead_count, units (hidden layers only),
    plus layer 0 = all hidden units together."""
    frames = []
    for rec in records:
        h = hidden_stats(rec)[["epoch", "layer", "dead_frac", "dead_count", "units"]].copy()
        tot = h.groupby("epoch", as_index=False)[["dead_count", "units"]].sum()
        tot["layer"] = 0
        tot["dead_frac"] = tot["dead_count"] / tot["units"].clip(lower=1)
        d = pd.concat([h, tot[h.columns]], ignore_index=True).sort_values(
            ["layer", "epoch"], kind="stable")
        d.insert(0, "act", rec.config.activation)
        d.insert(1, "label", rec.label)
        frames.append(d)
    cols = ["act", "label", "epoch", "layer", "dead_frac", "dead_count", "units"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)[cols]
    out["dead_frac"] = out["dead_frac"].astype(np.float64)
    return out.reset_index(drop=True)


def unit_states(rec: RunRecord) -> pd.DataFrame:
    """The unit×epoch map: epoch, e_next (next snapshot, for drawing cells), layer, unit,
    dead, state ("alive", "dead", "revived" = alive here but dead at the previous snapshot),
    and died ("newly dead here")."""
    cps = np.asarray(rec.checkpoints, dtype=np.int64)
    nxt = np.append(cps[1:], cps[-1] + (cps[-1] - cps[-2] if len(cps) > 1 else 1))
    frames = []
    for li in range(1, rec.n_hidden + 1):
        d = np.asarray(rec.dead_map(li), dtype=bool)  # (C, units)
        c, u = d.shape
        prev = np.vstack([np.zeros((1, u), dtype=bool), d[:-1]]) if c else d
        revived = prev & ~d
        state = np.where(d, DEAD, np.where(revived, REVIVED, ALIVE))
        frames.append(pd.DataFrame({
            "epoch": np.repeat(cps[:c], u), "e_next": np.repeat(nxt[:c], u), "layer": li,
            "unit": np.tile(np.arange(1, u + 1), c), "dead": d.ravel(),
            "state": state.ravel(), "died": (d & ~prev).ravel() & (np.repeat(cps[:c], u) > 0)}))
    if not frames:  # no hidden layer (a linear model): nothing to map
        return pd.DataFrame(columns=["epoch", "e_next", "layer", "unit", "dead", "state", "died"])
    return pd.concat(frames, ignore_index=True)


def revivals_from_maps(rec: RunRecord) -> dict[int, int]:
    """Per hidden layer: how many dead→alive transitions the dead maps show."""
    out = {}
    for li in range(1, rec.n_hidden + 1):
        d = np.asarray(rec.dead_map(li), dtype=bool)
        out[li] = int((d[:-1] & ~d[1:]).sum()) if len(d) > 1 else 0
    return out


def revivals_from_stats(rec: RunRecord) -> dict[int, int]:
    """Per hidden layer: the engine's cumulative revival count at the last snapshot."""
    h = hidden_stats(rec)
    last = h[h["epoch"] == rec.checkpoints[-1]]
    return {int(r.layer): int(r.revived) for r in last.itertuples(index=False)}


def zero_grad_share(rec: RunRecord, epoch: int | None = None) -> float:
    """Share of all weight-gradient entries (every layer) that are exactly 0 at a snapshot."""
    gz = rec.grad_zeros(epoch)["zeros"].sum()
    total = rec.grad_hist(epoch)["count"].sum() + gz
    return float(gz / total) if total else float("nan")


def _unit_shares(rec: RunRecord, col: str) -> pd.Series:
    """Per epoch, the share of all hidden units that are dead / asleep (``col`` =
    "dead_count" / "asleep_count"): every epoch from ``unit_history``, else the snapshots."""
    uh = rec.unit_history
    if len(uh) and col in uh:
        per = uh.groupby("epoch")[[col, "units"]].sum()
    else:
        h = hidden_stats(rec)
        if col not in h:
            return pd.Series(dtype=np.float64)
        per = h.groupby("epoch")[[col, "units"]].sum()
    return (per[col] / per["units"].clip(lower=1)).astype(np.float64)


def summary(records: Sequence[RunRecord]) -> pd.DataFrame:
    """One row per run: dead share at the start / peak (and its first epoch) / end, revivals,
    the same for asleep units (z ≤ 0 on every training point) and wake-ups — all tracked every
    epoch — exact-zero gradient share at the end, training-loss range and final loss/accuracy."""
    rows = []
    for rec in records:
        h = hidden_stats(rec)
        per = h.groupby("epoch")[["dead_count", "units"]].sum()
        frac = _unit_shares(rec, "dead_count")
        sleep = _unit_shares(rec, "asleep_count")
        peak = float(frac.max()) if len(frac) else 0.0
        peak_epoch = int(frac.idxmax()) if len(frac) else 0
        loss = rec.history["train_loss"].to_numpy(dtype=np.float64)
        loss = loss[np.isfinite(loss)]
        last = rec.final()
        uh = rec.unit_history
        end = uh[uh["epoch"] == uh["epoch"].max()] if len(uh) else None
        rows.append({
            "act": rec.config.activation, "label": rec.label,
            "units": int(per["units"].iloc[0]) if len(per) else 0,
            "dead_start": float(frac.iloc[0]) if len(frac) else 0.0,
            "dead_peak": peak, "peak_epoch": peak_epoch,
            "dead_end": float(frac.iloc[-1]) if len(frac) else 0.0,
            "dead_end_count": int(per["dead_count"].iloc[-1]) if len(per) else 0,
            "revived": sum(revivals_from_stats(rec).values()),
            "asleep_start": float(sleep.iloc[0]) if len(sleep) else 0.0,
            "asleep_peak": float(sleep.max()) if len(sleep) else 0.0,
            "asleep_peak_epoch": int(sleep.idxmax()) if len(sleep) else 0,
            "asleep_end": float(sleep.iloc[-1]) if len(sleep) else 0.0,
            "asleep_end_count": int(end["asleep_count"].sum()) if end is not None else 0,
            "woke": int(end["woke"].sum()) if end is not None else 0,
            "zero_grad_end": zero_grad_share(rec, None),
            "loss_start": float(loss[0]) if len(loss) else float("nan"),
            "loss_min": float(loss.min()) if len(loss) else float("nan"),
            "loss_max": float(loss.max()) if len(loss) else float("nan"),
            "train_loss": float(last["train_loss"]), "train_acc": float(last["train_acc"]),
            "epochs": rec.epochs_done, "diverged_at": rec.diverged_at,
            "binary": rec.data.n_classes == 2,
        })
    return pd.DataFrame(rows)


def is_frozen(row: pd.Series | dict) -> bool:
    """The run never moved: loss within ``FROZEN_TOL`` of its start for every epoch and
    (almost) every weight gradient exactly zero."""
    spread = max(abs(row["loss_max"] - row["loss_start"]), abs(row["loss_min"] - row["loss_start"]))
    return bool(row["diverged_at"] is None and spread < FROZEN_TOL
                and row["zero_grad_end"] >= 0.99)


def is_ln2(loss: float) -> bool:
    return bool(abs(loss - math.log(2)) < FROZEN_TOL)


def loss_cap(records: Sequence[RunRecord], factor: float = 1.5) -> float | None:
    """Upper end for the loss axis when some run blows up: ``factor`` × the largest loss at
    epoch 0 (at least 1). None if every recorded loss is below that already."""
    start, top = 0.0, 0.0
    for r in records:
        h = r.history
        if not len(h):
            continue
        vals = h[["train_loss", "test_loss"]].to_numpy(dtype=np.float64)
        vals = vals[np.isfinite(vals)]
        first = h.iloc[0][["train_loss", "test_loss"]].to_numpy(dtype=np.float64)
        first = first[np.isfinite(first)]
        start = max(start, float(first.max()) if len(first) else 0.0)
        top = max(top, float(vals.max()) if len(vals) else 0.0)
    cap = max(1.0, factor * start)
    return cap if top > cap else None


def over_cap(records: Sequence[RunRecord], cap: float | None) -> list[str]:
    """Labels of the runs whose recorded loss goes above ``cap``."""
    if cap is None:
        return []
    out = []
    for r in records:
        vals = r.history[["train_loss", "test_loss"]].to_numpy(dtype=np.float64)
        if (vals[np.isfinite(vals)] > cap).any():
            out.append(r.label)
    return out


def map_height(n_units: int, lo: int = 4, hi: int = 14, budget: int = 300) -> int:
    """Pixel height of one unit row so that ``n_units`` rows fit the ``budget``."""
    return int(max(lo, min(hi, budget // max(1, n_units))))


def _num(v: float) -> str:
    """A loss for a table cell: 0.0957, or 3.1e+52 for a blow-up."""
    return "—" if not np.isfinite(v) else (f"{v:.4f}" if abs(v) < 1000 else f"{v:.1e}")


def _pct(v: float) -> str:
    return "—" if not np.isfinite(v) else f"{100 * v:.0f}%"


def verdict_items(table: pd.DataFrame, cfg: TrainConfig, auto_label: str = AUTO,
                  ) -> list[tuple[str, dict[str, object]]]:
    """The verdict as (text key, format values) pairs, computed from the runs.

    First ``v.setting`` (the settings that cause dying), then one line per run: ``v.diverged``,
    ``v.frozen`` / ``v.frozen_ln2`` (loss never moved, gradients exactly 0), ``v.dead`` (some
    unit died; with peak, epoch, end share and revivals) or ``v.never``; finally ``v.why_zero``
    if a run froze under zero initialisation.
    """
    items: list[tuple[str, dict[str, object]]] = [
        ("v.setting", {"init": auto_label if cfg.init == AUTO else INITIALISERS[cfg.init].label,
                       "scale": f"{cfg.init_scale:g}",
                       "bias": f"{cfg.bias_init:g}", "lr": f"{cfg.lr:g}",
                       "opt": OPTIMISERS[cfg.optimizer].label, "epochs": cfg.epochs})]
    froze = False
    for r in table.to_dict("records"):
        base = {"act": r["label"], "epochs": r["epochs"]}
        if not pd.isna(r["diverged_at"]):
            items.append(("v.diverged", {**base, "epoch": int(r["diverged_at"]),
                                         "peak": _pct(r["dead_peak"])}))
        elif is_frozen(r):
            froze = True
            key = "v.frozen_ln2" if r["binary"] and is_ln2(r["loss_start"]) else "v.frozen"
            items.append((key, {**base, "loss": f"{r['loss_start']:.4f}",
                                "lo": f"{r['loss_min']:.4f}", "hi": f"{r['loss_max']:.4f}",
                                "zero": _pct(r["zero_grad_end"]),
                                "dead": _pct(r["dead_end"])}))
        elif r["dead_peak"] > 0:
            key = "v.dead_start" if r["peak_epoch"] == 0 else "v.dead"
            items.append((key, {**base, "peak": _pct(r["dead_peak"]),
                                     "epoch": r["peak_epoch"], "start": _pct(r["dead_start"]),
                                     "end": _pct(r["dead_end"]), "revived": r["revived"],
                                     "loss": _num(r["train_loss"])}))
        elif r.get("asleep_peak", 0) > 0:  # never dead, but asleep: Leaky ReLU's case
            items.append(("v.asleep", {**base, "peak": _pct(r["asleep_peak"]),
                                       "epoch": r["asleep_peak_epoch"],
                                       "end": _pct(r["asleep_end"]), "woke": r["woke"],
                                       "loss": _num(r["train_loss"])}))
        else:
            items.append(("v.never", {**base, "loss": _num(r["train_loss"])}))
    if froze and cfg.init in ("zeros", "constant"):
        items.append(("v.why_zero", {}))
    return items


def table_rows(table: pd.DataFrame) -> list[dict[str, object]]:
    """Display rows (strings) for the summary table; the page translates the column keys."""
    rows = []
    for r in table.to_dict("records"):
        div = "—" if pd.isna(r["diverged_at"]) else str(int(r["diverged_at"]))
        rows.append({"col.act": r["label"], "col.start": _pct(r["dead_start"]),
                     "col.peak": f"{_pct(r['dead_peak'])} @ {r['peak_epoch']}",
                     "col.end": f"{_pct(r['dead_end'])} ({r['dead_end_count']}/{r['units']})",
                     "col.revived": r["revived"],
                     "col.asleep": (f"{_pct(r['asleep_peak'])} → {_pct(r['asleep_end'])} "
                                    f"({r['woke']})"),
                     "col.zero": _pct(r["zero_grad_end"]),
                     "col.loss": _num(r["train_loss"]), "col.acc": _pct(r["train_acc"]),
                     "col.div": div})
    return rows


def train_seconds(records: Sequence[RunRecord]) -> float:
    """Wall time of training these records (runs stacked together share one clock)."""
    return float(sum(r.wall_time / max(1, r.trained_with) for r in records))


def hist_layout(n_layers: int, side_max: int = 4) -> tuple[bool, int]:
    """(beside the unit map?, width of one histogram): up to ``side_max`` layers fit in the
    right half of the page; deeper networks get a full-width row below the map."""
    if n_layers <= side_max:
        return True, _hist_width(n_layers, total=520, hi=170)
    return False, _hist_width(n_layers, hi=200)
