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

from ..activations import ACTIVATIONS, param_value
from ..config import TrainConfig
from ..features import feature_matrix
from ..initialisers import AUTO, INITIALISERS
from ..network_view import network_at
from ..optimisers import OPTIMISERS
from ..record import BLOWN_UP, BLOWUP, RunRecord
from ..units import sleep_slope
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
ALIVE, DEAD, REVIVED, ASLEEP, WOKE = "alive", "dead", "revived", "asleep", "woke"


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


def unit_curve(records: Sequence[RunRecord]) -> pd.DataFrame:
    """Whole-network shares every epoch (``unit_history``): act, label, epoch, kind ("dead" /
    "asleep"), share, count, units. A run that cannot sleep has no "asleep" rows (not
    applicable); a ReLU's asleep line is its dead line (asleep ⊇ dead)."""
    frames = []
    for rec in records:
        uh = rec.unit_history
        if not len(uh):
            continue
        per = uh.groupby("epoch", as_index=False)[["dead_count", "asleep_count", "units"]].sum()
        kinds = [("dead", "dead_count")] + ([("asleep", "asleep_count")] if can_sleep(rec) else [])
        for kind, col in kinds:
            frames.append(pd.DataFrame({
                "act": rec.config.activation, "label": rec.label,
                "epoch": per["epoch"].to_numpy(dtype=np.int64), "kind": kind,
                "share": (per[col] / per["units"].clip(lower=1)).to_numpy(dtype=np.float64),
                "count": per[col].to_numpy(dtype=np.int64),
                "units": per["units"].to_numpy(dtype=np.int64)}))
    cols = ["act", "label", "epoch", "kind", "share", "count", "units"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def unit_states(rec: RunRecord) -> pd.DataFrame:
    """The unit×epoch map: epoch, e_next (next snapshot, for drawing cells), layer, unit,
    dead, state ("alive", "dead", "revived" = alive here but dead at the previous snapshot,
    "asleep" = asleep but not dead: Leaky ReLU's case, "woke" = awake here but asleep at the
    previous snapshot), and died ("newly dead here")."""
    cps = np.asarray(rec.checkpoints, dtype=np.int64)
    nxt = np.append(cps[1:], cps[-1] + (cps[-1] - cps[-2] if len(cps) > 1 else 1))
    frames = []
    for li in range(1, rec.n_hidden + 1):
        d = np.asarray(rec.dead_map(li), dtype=bool)  # (C, units)
        c, u = d.shape
        a = (np.asarray(rec.asleep[li - 1], dtype=bool) & ~d if len(rec.asleep) >= li
             else np.zeros_like(d))
        prev = np.vstack([np.zeros((1, u), dtype=bool), d[:-1]]) if c else d
        prev_a = np.vstack([np.zeros((1, u), dtype=bool), a[:-1]]) if c else a
        revived = prev & ~d
        woke = prev_a & ~a & ~d
        state = np.where(d, DEAD, np.where(revived, REVIVED, np.where(
            a, ASLEEP, np.where(woke, WOKE, ALIVE))))
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


def can_sleep(rec: RunRecord) -> bool:
    """Can any hidden unit of the run be asleep (an activation with a gated side, see
    ``explorer.record``)? Else its asleep numbers are "—" (not applicable), not 0."""
    cfg = rec.config
    if cfg.activation == "prelu" or "prelu" in cfg.layer_activations:
        return True
    return any(sleep_slope(ACTIVATIONS[a], param_value(ACTIVATIONS[a], cfg)) is not None
               for a in cfg.hidden_activations())


def sleepers(rec: RunRecord, epoch: int | None = None) -> dict[str, object]:
    """Do asleep units still learn? At the kept snapshot nearest ``epoch`` (None: the one with
    the most asleep units), one full-training-set backward pass of the record's network:
    epoch, asleep (units asleep there, recomputed from that pass: z ≤ 0 on every training
    point, for a unit that can sleep), learning (how many of them get a nonzero incoming
    gradient: Leaky ReLU's α-scaled one; 0 for dead ReLUs), ratio (their mean incoming
    gradient norm ÷ the awake units', NaN if no unit is asleep or none awake)."""
    out: dict[str, object] = {"epoch": None, "asleep": 0, "learning": 0, "ratio": math.nan}
    if not rec.weight_epochs or not rec.n_hidden or not can_sleep(rec):
        return out
    if epoch is None:
        counts = [sum(int(np.asarray(a[rec.checkpoints.index(e)]).sum()) for a in rec.asleep)
                  if e in rec.checkpoints and rec.asleep else 0 for e in rec.weight_epochs]
        epoch = rec.weight_epochs[int(np.argmax(counts))]
    ep, net = network_at(rec, epoch)
    X = feature_matrix(rec.config.features, rec.data.X_train)
    with np.errstate(all="ignore"):
        _, pre, _ = net.forward(X)
        _, grads = net.loss_and_grads(X, rec.data.y_train)
    names = rec.config.hidden_activations()
    sleep_norms, awake_norms, learning = [], [], 0
    for li, name in enumerate(names):
        act = ACTIVATIONS[name]
        if act.pieces:
            continue
        gated = act.learned or sleep_slope(act, param_value(act, rec.config)) is not None
        dW, db = grads[li]
        norm = np.sqrt((dW ** 2).sum(axis=0) + db ** 2)
        asleep = ~(pre[li] > 0).any(axis=0) & gated
        sleep_norms.extend(norm[asleep].tolist())
        awake_norms.extend(norm[~asleep].tolist())
        learning += int((norm[asleep] > 0).sum())
    out.update(epoch=ep, asleep=len(sleep_norms), learning=learning)
    if sleep_norms and awake_norms and np.mean(awake_norms) > 0:
        out["ratio"] = float(np.mean(sleep_norms) / np.mean(awake_norms))
    return out


def divergence(rec: RunRecord) -> tuple[int | None, str | None]:
    """(epoch, cause) of the run's divergence (``RunRecord.divergence``: NaN/inf or a loss
    blow-up), (None, None) if it did not diverge."""
    d = rec.divergence
    return (None, None) if d is None else d


def diverged_runs(records: Sequence[RunRecord]) -> list[tuple[str, int, str]]:
    """(label, epoch, cause) of every run that diverged, in order."""
    return [(r.label, *r.divergence) for r in records if r.divergence is not None]


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
    epoch — whether the asleep units still learn (``sleepers``: sleep_epoch, sleep_units,
    sleep_learning, sleep_grad_ratio), exact-zero gradient share at the end, training-loss range and final loss/accuracy;
    the asleep numbers are NaN for a run that cannot sleep (``can_sleep``); diverged_at /
    diverged_cause: ``RunRecord.divergence`` (None if the run did not diverge)."""
    rows = []
    for rec in records:
        h = hidden_stats(rec)
        per = h.groupby("epoch")[["dead_count", "units"]].sum()
        frac = _unit_shares(rec, "dead_count")
        sleep = _unit_shares(rec, "asleep_count")
        if not can_sleep(rec):
            sleep = sleep * math.nan
        div_epoch, div_cause = divergence(rec)
        sl = sleepers(rec)
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
            "asleep_peak_epoch": int(sleep.idxmax()) if sleep.notna().any() else 0,
            "asleep_end": float(sleep.iloc[-1]) if len(sleep) else 0.0,
            "asleep_end_count": int(end["asleep_count"].sum()) if end is not None else 0,
            "woke": int(end["woke"].sum()) if end is not None else 0,
            "sleep_epoch": sl["epoch"], "sleep_units": sl["asleep"],
            "sleep_learning": sl["learning"], "sleep_grad_ratio": sl["ratio"],
            "zero_grad_end": zero_grad_share(rec, None),
            "loss_start": float(loss[0]) if len(loss) else float("nan"),
            "loss_min": float(loss.min()) if len(loss) else float("nan"),
            "loss_max": float(loss.max()) if len(loss) else float("nan"),
            "train_loss": float(last["train_loss"]), "train_acc": float(last["train_acc"]),
            "epochs": rec.epochs_done, "diverged_at": div_epoch, "diverged_cause": div_cause,
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
        if r.divergence is not None:  # named by the page's divergence note instead
            continue
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
    return "—" if v is None or not np.isfinite(v) else f"{100 * v:.0f}%"


def _ratio(v: float) -> str:
    """A gradient ratio: 1/40 below 0.1 (two significant digits), else 0.25."""
    if v is None or not np.isfinite(v):
        return "—"
    if 0 < v < 0.1:
        return f"1/{float(f'{1 / v:.2g}'):g}"
    return f"{v:.2g}"


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
            key = "v.blowup" if r.get("diverged_cause") == BLOWN_UP else "v.diverged"
            items.append((key, {**base, "epoch": int(r["diverged_at"]),
                                "peak": _pct(r["dead_peak"]), "factor": f"{BLOWUP:g}"}))
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
            if r.get("sleep_units", 0):  # do they still learn? (one backward pass)
                items.append(("v.asleep_learn", {
                    "act": r["label"], "epoch": int(r["sleep_epoch"]), "n": r["sleep_units"],
                    "learning": r["sleep_learning"], "ratio": _ratio(r["sleep_grad_ratio"])}))
        else:
            items.append(("v.never", {**base, "loss": _num(r["train_loss"])}))
    if froze and cfg.init in ("zeros", "constant"):
        items.append(("v.why_zero", {}))
    return items


def table_rows(table: pd.DataFrame, diverged: str = "diverged at epoch {epoch}",
               ) -> list[dict[str, object]]:
    """Display rows (strings) for the summary table; the page translates the column keys.
    A diverged run's loss and accuracy cells say ``diverged`` (formatted with its epoch), not
    the last numbers before it; asleep cells are "—" for a run that cannot sleep."""
    rows = []
    for r in table.to_dict("records"):
        div = "—" if pd.isna(r["diverged_at"]) else str(int(r["diverged_at"]))
        gone = diverged.format(epoch=div) if div != "—" else None
        asleep = ("—" if pd.isna(r["asleep_peak"]) else
                  f"{_pct(r['asleep_peak'])} → {_pct(r['asleep_end'])} ({r['woke']})")
        rows.append({"col.act": r["label"], "col.start": _pct(r["dead_start"]),
                     "col.peak": f"{_pct(r['dead_peak'])} @ {r['peak_epoch']}",
                     "col.end": f"{_pct(r['dead_end'])} ({r['dead_end_count']}/{r['units']})",
                     "col.revived": r["revived"], "col.asleep": asleep,
                     "col.sleep_grad": (f"{r['sleep_learning']}/{r['sleep_units']} · "
                                        f"{_ratio(r['sleep_grad_ratio'])}"
                                        if r.get("sleep_units") else "—"),
                     "col.zero": _pct(r["zero_grad_end"]),
                     "col.loss": gone or _num(r["train_loss"]),
                     "col.acc": gone or _pct(r["train_acc"]), "col.div": div})
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
