"""The run record: everything a page draws, and nothing it must recompute.

Its size is bounded by the number of checkpoints (≤ 100), not by epochs: history is one row
per epoch (a few numbers), every larger item (histograms, dead-unit maps, boundary grids) is
one entry per checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .config import TrainConfig
from .datasets import Dataset

#: log10|g| bin edges shared by every run, layer and checkpoint (so histograms compare).
GRAD_LOG_LO, GRAD_LOG_HI, GRAD_LOG_STEP = -10.0, 1.0, 0.25
GRAD_BINS = np.arange(GRAD_LOG_LO, GRAD_LOG_HI + GRAD_LOG_STEP / 2, GRAD_LOG_STEP)
#: activation-value bin edges (values outside are counted in the end bins).
ACT_BINS = np.linspace(-3.0, 3.0, 49)
#: |f'(z)| below this fraction of max|f'| counts as saturated.
SATURATION_FRACTION = 0.05

STAT_COLUMNS = ["epoch", "layer", "layer_name", "units", "grad_norm", "grad_mean_abs",
                "dead_frac", "dead_count", "saturated_frac", "same_sign_frac",
                "same_sign_sample_frac", "revived"]


def layer_name(layer: int, n_hidden: int) -> str:
    return "output" if layer == n_hidden + 1 else f"hidden {layer}"


def grad_histogram(g: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Counts of positive and negative entries of ``g`` in the log10|g| bins, and exact zeros.

    Magnitudes below the first edge go to the first bin, above the last to the last bin.
    """
    g = g.ravel()
    nb = len(GRAD_BINS) - 1
    mag = np.abs(g)
    nz = mag > 0
    zeros = int(g.size - nz.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        idx = np.floor((np.log10(mag[nz]) - GRAD_LOG_LO) / GRAD_LOG_STEP)
    idx = np.clip(np.nan_to_num(idx, nan=nb - 1, posinf=nb - 1, neginf=0), 0, nb - 1)
    idx = idx.astype(np.int64)
    pos = g[nz] > 0
    return (np.bincount(idx[pos], minlength=nb), np.bincount(idx[~pos], minlength=nb), zeros)


def act_histogram(a: np.ndarray) -> np.ndarray:
    nb = len(ACT_BINS) - 1
    idx = np.floor((a.ravel() - ACT_BINS[0]) / (ACT_BINS[1] - ACT_BINS[0]))
    idx = np.clip(np.nan_to_num(idx, nan=0), 0, nb - 1).astype(np.int64)
    return np.bincount(idx, minlength=nb)


@dataclass(eq=False)
class RunRecord:
    """One trained (or partly trained) network; see docs/ARCHITECTURE.md."""

    config: TrainConfig
    label: str
    data: Dataset
    history: pd.DataFrame
    checkpoints: list[int]
    stats_rows: list[dict] = field(repr=False)
    grad_counts: np.ndarray = field(repr=False)  # (C, layers, 2, bins) pos/neg
    grad_zero_counts: np.ndarray = field(repr=False)  # (C, layers)
    act_counts: np.ndarray = field(repr=False)  # (C, hidden layers, act bins)
    dead: list[np.ndarray] = field(repr=False)  # per hidden layer (C, units) bool
    grid_x: np.ndarray = field(repr=False)
    grid_y: np.ndarray = field(repr=False)
    grid_p: np.ndarray = field(repr=False)  # (C, G*G) float32
    grid_cls: np.ndarray = field(repr=False)  # (C, G*G) int8
    n_params: int = 0
    diverged_at: int | None = None
    wall_time: float = 0.0
    trained_with: int = 1
    complete: bool = True
    epochs_total: int = 0

    # ------------------------------------------------------------------ tables
    @cached_property
    def layer_stats(self) -> pd.DataFrame:
        return pd.DataFrame(self.stats_rows, columns=STAT_COLUMNS)

    @property
    def n_hidden(self) -> int:
        return len(self.config.hidden)

    @property
    def epochs_done(self) -> int:
        return int(self.history["epoch"].iloc[-1]) if len(self.history) else 0

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    def final(self) -> dict[str, float]:
        """Last recorded row of history as a dict."""
        return self.history.iloc[-1].to_dict()

    def epochs_to(self, train_acc: float) -> int | None:
        """First epoch whose training accuracy reaches ``train_acc`` (None if never)."""
        hit = self.history.loc[self.history["train_acc"] >= train_acc, "epoch"]
        return int(hit.iloc[0]) if len(hit) else None

    def seconds_to(self, train_acc: float) -> float | None:
        """Wall time to reach ``train_acc``, assuming equal time per epoch."""
        e = self.epochs_to(train_acc)
        if e is None or self.epochs_done == 0:
            return None
        return self.wall_time * e / self.epochs_done

    def nearest_checkpoint(self, epoch: int) -> int:
        cps = np.asarray(self.checkpoints)
        return int(cps[np.argmin(np.abs(cps - epoch))])

    def _ci(self, epoch: int | None) -> int:
        if epoch is None:
            return len(self.checkpoints) - 1
        return self.checkpoints.index(self.nearest_checkpoint(epoch))

    def stats_at(self, epoch: int | None = None) -> pd.DataFrame:
        """Per-layer statistics at the checkpoint nearest ``epoch`` (last if None)."""
        ep = self.checkpoints[self._ci(epoch)]
        df = self.layer_stats
        return df[df["epoch"] == ep].reset_index(drop=True)

    def grad_hist(self, epoch: int | None = None) -> pd.DataFrame:
        """Weight-gradient histogram per layer (log10|g| bins) at a checkpoint."""
        c = self._ci(epoch)
        rows = []
        lo, hi = GRAD_BINS[:-1], GRAD_BINS[1:]
        for li in range(self.grad_counts.shape[1]):
            name = layer_name(li + 1, self.n_hidden)
            rows.append(pd.DataFrame({
                "layer": li + 1, "layer_name": name, "bin_lo": lo, "bin_hi": hi,
                "count_pos": self.grad_counts[c, li, 0], "count_neg": self.grad_counts[c, li, 1],
            }))
        out = pd.concat(rows, ignore_index=True)
        out["count"] = out["count_pos"] + out["count_neg"]
        out["epoch"] = self.checkpoints[c]
        return out

    def grad_zeros(self, epoch: int | None = None) -> pd.DataFrame:
        c = self._ci(epoch)
        n = self.grad_zero_counts.shape[1]
        return pd.DataFrame({"layer": np.arange(1, n + 1),
                             "layer_name": [layer_name(i, self.n_hidden) for i in range(1, n + 1)],
                             "zeros": self.grad_zero_counts[c]})

    def act_hist(self, epoch: int | None = None) -> pd.DataFrame:
        c = self._ci(epoch)
        rows = []
        for li in range(self.act_counts.shape[1]):
            rows.append(pd.DataFrame({
                "layer": li + 1, "layer_name": layer_name(li + 1, self.n_hidden),
                "bin_lo": ACT_BINS[:-1], "bin_hi": ACT_BINS[1:], "count": self.act_counts[c, li]}))
        return pd.concat(rows, ignore_index=True)

    def dead_map(self, layer: int) -> np.ndarray:
        """(n_checkpoints, units) bool: unit dead at each checkpoint (layer is 1-based)."""
        return self.dead[layer - 1]

    def dead_frame(self) -> pd.DataFrame:
        """Long table epoch, layer, unit, dead for the unit×epoch map."""
        frames = []
        for li, d in enumerate(self.dead):
            c, u = d.shape
            frames.append(pd.DataFrame({
                "epoch": np.repeat(self.checkpoints, u), "layer": li + 1,
                "unit": np.tile(np.arange(1, u + 1), c), "dead": d.ravel()}))
        return pd.concat(frames, ignore_index=True)

    def boundary(self, epoch: int | None = None) -> pd.DataFrame:
        """Grid x, y, p (binary: P(class 1); multiclass: max prob), cls (argmax class)."""
        c = self._ci(epoch)
        gx, gy = np.meshgrid(self.grid_x, self.grid_y)
        return pd.DataFrame({"x": gx.ravel(), "y": gy.ravel(),
                             "p": self.grid_p[c].astype(np.float64),
                             "cls": self.grid_cls[c].astype(np.int64)})

    def points(self, test: bool = True) -> pd.DataFrame:
        d = self.data
        frames = [pd.DataFrame({"x": d.X_train[:, 0], "y": d.X_train[:, 1],
                                "label": d.y_train, "split": "train"})]
        if test:
            frames.append(pd.DataFrame({"x": d.X_test[:, 0], "y": d.X_test[:, 1],
                                        "label": d.y_test, "split": "test"}))
        out = pd.concat(frames, ignore_index=True)
        names = d.class_names or tuple(str(i) for i in range(d.n_classes))
        out["class"] = [names[i] for i in out["label"]]
        return out

    def summary(self) -> dict[str, object]:
        """One row for comparison tables."""
        last = self.final()
        st = self.stats_at(None)
        hidden = st[st["layer"] <= self.n_hidden]
        return {
            "activation": self.label,
            "final_train_loss": last["train_loss"], "final_test_loss": last["test_loss"],
            "final_train_acc": last["train_acc"], "final_test_acc": last["test_acc"],
            "n_params": self.n_params,
            "dead_frac": float(hidden["dead_count"].sum() / max(1, hidden["units"].sum())),
            "saturated_frac": float(hidden["saturated_frac"].mean()) if len(hidden) else 0.0,
            "diverged_at": self.diverged_at,
            "wall_time": self.wall_time,
        }
