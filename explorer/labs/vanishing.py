"""Vanishing-gradient lab (lesson claims 2 and 5): per-layer gradient norms of a deep, narrow
network, one run per activation, all sharing the data, the batch order and the seed (the same
initial weights only under one initialiser: with ``init="auto"`` each gets its recommended one).

The measure is the Frobenius norm of each layer's weight gradient ‖∂L/∂W‖ on the full training
set (``record.layer_stats["grad_norm"]``), at the start (epoch 0) and at the last snapshot.
The summary number is the ratio first hidden layer / output layer: 1/800 means the layer next
to the input receives 800 times less gradient than the layer next to the loss.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..activations import ACTIVATIONS
from ..config import MAX_LAYERS, MAX_UNITS, TrainConfig
from ..record import RunRecord
from . import budget

DEFAULT_ACTS = ("sigmoid", "tanh", "relu")
DEFAULT_DEPTH, MIN_DEPTH, MAX_DEPTH = 8, 2, MAX_LAYERS
DEFAULT_WIDTH, MIN_WIDTH, MAX_WIDTH = 8, 2, min(64, MAX_UNITS)
#: a first/last ratio below this counts as "vanishing" in the verdict
VANISH_RATIO = 0.1
#: the page's base config: moons, plain SGD; the page sets depth, width and activation
BASE = TrainConfig(hidden=(DEFAULT_WIDTH,) * DEFAULT_DEPTH, epochs=100, n_checkpoints=11)
#: the config fields shown in the sidebar (activation and hidden come from the page's own
#: controls)
SHOWN = ["dataset", "n_samples", "noise", "n_classes", "seed", "init", "init_scale",
         "bias_init", "optimizer", "lr", "momentum", "batch_size", "epochs"]


def activation_names() -> list[str]:
    return ACTIVATIONS.names()


def build_configs(base: TrainConfig, acts: Sequence[str], depth: int, width: int,
                  ) -> tuple[list[TrainConfig], int | None]:
    """One config per activation: ``depth`` hidden layers of ``width`` units, same everything
    else. If the work budget (``config.MAX_WORK``) forbids ``base.epochs`` for the deepest
    one, every run gets the largest allowed number of epochs; that number is returned second
    (None if nothing was cut)."""
    hidden = (int(width),) * int(depth)
    probes = [base.replace(hidden=hidden, activation=a, layer_activations=(), epochs=1)
              for a in acts]
    max_epochs = min(p.max_epochs() for p in probes)
    epochs = min(base.epochs, max_epochs)
    cut = epochs if epochs < base.epochs else None
    return [p.replace(epochs=epochs) for p in probes], cut


def page_configs(base: TrainConfig, acts: Sequence[str], depth: int, width: int,
                 ) -> tuple[list[TrainConfig], dict[str, tuple[int, int]]]:
    """The page's runs within the page budget (``budget.fit``: all runs together, at most
    ``budget.PAGE_WORK`` multiply-adds and ``budget.PAGE_MEMORY`` bytes), and what was reduced
    ({field: (asked, used)}; the epochs also when one run alone was over ``MAX_WORK``)."""
    cfgs, cut = build_configs(base, acts, depth, width)
    fitted = budget.fit(cfgs)
    reduced = dict(fitted.reduced)
    if cut is not None:
        reduced["epochs"] = (base.epochs, fitted.cfgs[0].epochs)
    return fitted.cfgs, reduced


def _norms(rec: RunRecord, epoch: int) -> pd.DataFrame:
    st = rec.stats_at(epoch)
    return st[["layer", "grad_norm"]]


def depth_profile(records: Sequence[RunRecord]) -> pd.DataFrame:
    """Long table: act, label, phase ("start" / "end"), epoch, layer (1..L+1), n_hidden,
    grad_norm — the per-layer gradient norm at epoch 0 and at the last snapshot."""
    frames = []
    for rec in records:
        for phase, ep in (("start", rec.checkpoints[0]), ("end", rec.checkpoints[-1])):
            d = _norms(rec, ep).copy()
            d.insert(0, "act", rec.config.activation)
            d.insert(1, "label", rec.label)
            d.insert(2, "phase", phase)
            d.insert(3, "epoch", int(ep))
            d["n_hidden"] = rec.n_hidden
            frames.append(d)
    cols = ["act", "label", "phase", "epoch", "layer", "grad_norm", "n_hidden"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def first_last(rec: RunRecord, epoch: int) -> tuple[float, float, float]:
    """(first hidden layer norm, output layer norm, ratio first/output; nan if undefined)."""
    d = _norms(rec, epoch).set_index("layer")["grad_norm"]
    first, last = float(d.loc[1]), float(d.loc[rec.n_hidden + 1])
    ok = math.isfinite(first) and math.isfinite(last) and last > 0
    return first, last, (first / last if ok else float("nan"))


def ratio_table(records: Sequence[RunRecord]) -> pd.DataFrame:
    """One row per activation: the first/output gradient-norm ratio at the start and at the
    end, the norms behind them, and the final training loss and accuracy."""
    rows = []
    for rec in records:
        e0, e1 = rec.checkpoints[0], rec.checkpoints[-1]
        f0, l0, r0 = first_last(rec, e0)
        f1, l1, r1 = first_last(rec, e1)
        last = rec.final()
        rows.append({"act": rec.config.activation, "label": rec.label,
                     "start_first": f0, "start_last": l0, "start_ratio": r0,
                     "end_epoch": int(e1), "end_first": f1, "end_last": l1, "end_ratio": r1,
                     "train_loss": float(last["train_loss"]),
                     "train_acc": float(last["train_acc"]),
                     "diverged_at": rec.diverged_at})
    return pd.DataFrame(rows)


def vanishing_acts(table: pd.DataFrame, threshold: float = VANISH_RATIO) -> list[str]:
    """Labels of the activations whose first layer starts with < ``threshold`` of the output
    layer's gradient norm, most extreme first."""
    d = table[table["start_ratio"] < threshold].sort_values("start_ratio")
    return list(d["label"])


def _sig(x: float) -> str:
    """2 significant digits, never in exponent form: 5563 -> '5,600', 1.37 -> '1.4'."""
    if x >= 100:
        digits = int(math.floor(math.log10(x))) - 1
        return f"{round(x, -digits):,.0f}"
    return f"{x:.2g}"


def fmt_ratio(r: float) -> str:
    """A ratio for people: 1.8e-4 -> '1/5,600', 0.7 -> '1/1.4', 1.3 -> '1.3×'."""
    if r is None or not np.isfinite(r) or r <= 0:
        return "—"
    return f"1/{_sig(1.0 / r)}" if r < 1 else f"{_sig(r)}×"


def hist_width(n_layers: int, total: int = 1100, spacing: int = 8, lo: int = 80,
               hi: int = 170) -> int:
    """Width of one histogram so that a row of ``n_layers`` fits in ``total`` pixels."""
    return int(max(lo, min(hi, (total - spacing * (n_layers - 1)) // max(1, n_layers) - 12)))


#: the chain rule behind the lesson (shown with st.latex)
CHAIN_RULE = (r"\begin{aligned}\delta_l&=f'(z_l)\odot\bigl(W_{l+1}^{\top}\delta_{l+1}\bigr),"
              r"\qquad\frac{\partial L}{\partial W_l}=\delta_l\,a_{l-1}^{\top}\\"
              r"\delta_1&=\operatorname{diag}\bigl(f'(z_1)\bigr)W_2^{\top}\cdots"
              r"\operatorname{diag}\bigl(f'(z_L)\bigr)W_{L+1}^{\top}\,\delta_{L+1},"
              r"\qquad\sigma'(z)\le\tfrac14\end{aligned}")


def verdict_items(table: pd.DataFrame, threshold: float = VANISH_RATIO, sep: str = ", ",
                  ) -> list[tuple[str, dict[str, object]]]:
    """The verdict as (text key, format values) pairs, computed from the runs (``sep``: the
    page language's list separator).

    Keys: ``v.vanish`` (some activations start below ``threshold``), ``v.none``, ``v.hold``
    (the others), then one ``v.line`` per activation (``v.line_div`` if it diverged).
    """
    items: list[tuple[str, dict[str, object]]] = []
    low = vanishing_acts(table, threshold)
    ok = table[table["start_ratio"] >= threshold]
    if low:
        worst = table.loc[table["start_ratio"].idxmin()]
        items.append(("v.vanish", {"acts": sep.join(low), "worst": worst["label"],
                                   "ratio": fmt_ratio(float(worst["start_ratio"])),
                                   "threshold": fmt_ratio(threshold)}))
    else:
        items.append(("v.none", {"threshold": fmt_ratio(threshold)}))
    if low and len(ok):
        items.append(("v.hold", {"acts": sep.join(ok["label"]),
                                 "threshold": fmt_ratio(threshold)}))
    for r in table.itertuples(index=False):
        fmt = {"act": r.label, "start": fmt_ratio(r.start_ratio), "end": fmt_ratio(r.end_ratio),
               "epoch": r.end_epoch, "loss": f"{r.train_loss:.3f}",
               "acc": f"{100 * r.train_acc:.0f}%"}
        if not pd.isna(r.diverged_at):
            items.append(("v.line_div", {**fmt, "div": int(r.diverged_at)}))
        else:
            items.append(("v.line", fmt))
    return items


def table_rows(table: pd.DataFrame) -> list[dict[str, object]]:
    """Display rows (strings) for the ratio table; the page translates the column keys."""
    rows = []
    for r in table.itertuples(index=False):
        rows.append({"col.act": r.label,
                     "col.start": fmt_ratio(r.start_ratio),
                     "col.end": fmt_ratio(r.end_ratio),
                     "col.start_norms": f"{r.start_first:.1e} / {r.start_last:.1e}",
                     "col.end_norms": f"{r.end_first:.1e} / {r.end_last:.1e}",
                     "col.loss": f"{r.train_loss:.3f}",
                     "col.acc": f"{100 * r.train_acc:.0f}%"})
    return rows


def train_seconds(records: Sequence[RunRecord]) -> float:
    """Wall time of training these records (runs stacked together share one clock)."""
    return float(sum(r.wall_time / max(1, r.trained_with) for r in records))
