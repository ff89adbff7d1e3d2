"""The derived views of a ``RunRecord`` (tables for the charts: histograms, dead units, unit
counts, the boundary, the points, a summary row), a mixin so ``rec.grad_hist()`` etc. keep
working; and the bins and column names they share with the engine (re-exported by
``explorer.record``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: log10|g| bin edges shared by every run, layer and checkpoint (so histograms compare).
GRAD_LOG_LO, GRAD_LOG_HI, GRAD_LOG_STEP = -10.0, 1.0, 0.25
GRAD_BINS = np.arange(GRAD_LOG_LO, GRAD_LOG_HI + GRAD_LOG_STEP / 2, GRAD_LOG_STEP)
#: activation-value bin edges (values outside are counted in the end bins).
ACT_BINS = np.linspace(-3.0, 3.0, 49)
#: ``RunRecord.unit_history`` columns (one row per epoch and hidden layer)
UNIT_COLUMNS = ["epoch", "layer", "units", "dead_count", "asleep_count", "revived", "woke"]


def layer_name(layer: int, n_hidden: int) -> str:
    return "output" if layer == n_hidden + 1 else f"hidden {layer}"


class RecordViews:
    """Tables derived from a record's fields (mixed into ``RunRecord``)."""

    def grad_hist(self, epoch: int | None = None) -> pd.DataFrame:
        """Weight-gradient histogram per layer (log10|g| bins) at the checkpoint nearest
        ``epoch`` (the last if None). Histograms exist at checkpoints only: in a run recorded at
        epochs 0, 49, 53, ... ``grad_hist(epoch=50)`` answers for epoch 49; the ``epoch`` column
        says which checkpoint answered (``nearest_checkpoint(epoch)``)."""
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
        if not rows:  # no hidden layer (a linear model)
            return pd.DataFrame(columns=["layer", "layer_name", "bin_lo", "bin_hi", "count"])
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
        if not frames:  # no hidden layer
            return pd.DataFrame(columns=["epoch", "layer", "unit", "dead"])
        return pd.concat(frames, ignore_index=True)

    def unit_counts(self, layer: int | None = None) -> pd.DataFrame:
        """``unit_history`` for one hidden layer (1-based), or summed over all hidden layers
        (``layer`` None; the layer column is then 0)."""
        uh = self.unit_history
        if layer is not None:
            return uh[uh["layer"] == layer].reset_index(drop=True)
        cols = ["units", "dead_count", "asleep_count", "revived", "woke"]
        out = uh.groupby("epoch", as_index=False)[cols].sum()
        out.insert(1, "layer", 0)
        return out[UNIT_COLUMNS]

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
