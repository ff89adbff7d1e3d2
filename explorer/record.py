"""The run record: everything a page draws, and nothing it must recompute.

Its size is bounded by the number of checkpoints (≤ 100), not by epochs: history is one row
per epoch (a few numbers), every larger item (histograms, dead-unit maps, boundary grids) is
one entry per checkpoint; the unit counts (dead, asleep, revivals) are one row per epoch and
hidden layer.

**Definitions** (the one statement of each; ``DEFINITIONS`` holds the wording the pages show,
from ``explorer.texts.stats``). Every statistic is over the **full training set**:

* ``train_loss`` / ``test_loss`` (history): the mean *data* loss, no L2 penalty;
  ``train_objective``: ``train_loss`` + λ/2·Σ‖W‖² (weights only), what the optimiser minimises.
* ``dead``: a hidden unit with f'(z) exactly 0 on every training point (zero incoming
  gradient). ``asleep``: a hidden unit with z ≤ 0 on every training point (any activation; a
  dead ReLU is asleep, an asleep Leaky ReLU still learns through its slope α).
* ``revived`` / ``woke``: cumulative dead → alive / asleep → awake transitions between
  consecutive **epochs** (tracked every epoch from the history's full-set forward pass, so
  they do not depend on ``n_checkpoints``); ``unit_history`` has them per epoch.
* ``saturated_frac``: share of (training point, unit) pre-activations on a saturating tail of
  the activation (``Activation.saturation_bounds``: |f'| < ``SATURATION_FRACTION`` of its max
  from there to ±∞); 0 for activations without one (ReLU's zero side, Leaky ReLU's α side and
  an interior flat point are not saturation).
* ``same_sign_frac``: among the units whose weight gradient (full set) has a nonzero component,
  the share whose nonzero components all have one sign (NaN if no such unit, or fan-in < 2).
  ``same_sign_chance`` = 2^(1−d) for fan-in d: the share expected from independent,
  symmetric signs (50 % for a 2-input layer), to read it against.
* ``same_sign_sample_frac``: among the nonzero per-sample updates x_n·δ_nj (δ_nj ≠ 0 and
  x_n ≠ 0), the share whose nonzero components all have one sign (NaN if none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .config import TrainConfig
from .datasets import Dataset
from .texts.stats import TEXT as _STATS

#: log10|g| bin edges shared by every run, layer and checkpoint (so histograms compare).
GRAD_LOG_LO, GRAD_LOG_HI, GRAD_LOG_STEP = -10.0, 1.0, 0.25
GRAD_BINS = np.arange(GRAD_LOG_LO, GRAD_LOG_HI + GRAD_LOG_STEP / 2, GRAD_LOG_STEP)
#: activation-value bin edges (values outside are counted in the end bins).
ACT_BINS = np.linspace(-3.0, 3.0, 49)
#: SATURATION_FRACTION (from ``activations``): |f'| below this fraction of max|f'| on a
#: saturating tail counts as saturated.
#: statistic -> its definition, per language (``explorer.texts.stats``)
DEFINITIONS = {lang: {k[4:]: v for k, v in d.items() if k.startswith("def.")}
               for lang, d in _STATS.items()}
#: bytes of weight snapshots one record may hold: every checkpoint's weights while they fit,
#: else an evenly spaced subset of the checkpoints (first and last always), see
#: :func:`weight_checkpoints`
WEIGHT_BUDGET = 4_000_000

STAT_COLUMNS = ["epoch", "layer", "layer_name", "units", "grad_norm", "grad_mean_abs",
                "dead_frac", "dead_count", "saturated_frac", "same_sign_frac",
                "same_sign_sample_frac", "revived", "asleep_frac", "asleep_count", "woke",
                "same_sign_chance"]
#: ``RunRecord.unit_history`` columns (one row per epoch and hidden layer)
UNIT_COLUMNS = ["epoch", "layer", "units", "dead_count", "asleep_count", "revived", "woke"]


def same_sign_chance(fan_in: int) -> float:
    """Share of units expected to be same-sign by chance: 2·2^(−d) = 2^(1−d) for d inputs with
    independent signs, each + or − with probability ½ (NaN for d < 2, as the statistic)."""
    return float("nan") if fan_in < 2 else 2.0 ** (1 - fan_in)


def layer_name(layer: int, n_hidden: int) -> str:
    return "output" if layer == n_hidden + 1 else f"hidden {layer}"


def weight_checkpoints(checkpoints: list[int], snapshot_bytes: int,
                       budget: int = WEIGHT_BUDGET) -> list[int]:
    """The checkpoints whose weights a record keeps: all of them if they fit ``budget``, else
    as many evenly spaced ones as fit (at least the first and the last)."""
    n = len(checkpoints)
    fit = max(2, budget // max(1, snapshot_bytes))
    if fit >= n:
        return list(checkpoints)
    idx = sorted({int(round(i)) for i in np.linspace(0, n - 1, fit)})
    return [checkpoints[i] for i in idx]


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
    #: epochs whose weights are kept (a subset of ``checkpoints``, see ``weight_checkpoints``;
    #: the last recorded checkpoint always)
    weight_epochs: list[int] = field(default_factory=list)
    #: per kept epoch, per layer (hidden layers then output) the pair (W (fan_in, width),
    #: b (width,)) in the public layout (Maxout: unit j's k pieces are columns j*k..j*k+k-1)
    weights: list[list[tuple[np.ndarray, np.ndarray]]] = field(default_factory=list, repr=False)
    #: per kept epoch, per hidden layer: PReLU's learned slopes (units,), else None
    alphas: list[list[np.ndarray | None]] = field(default_factory=list, repr=False)
    #: per hidden layer (C, units): each unit's share of training points whose z is saturated
    #: (on a saturating tail, see ``saturated_frac`` above; 0 without one)
    unit_saturated: list[np.ndarray] = field(default_factory=list, repr=False)
    #: per hidden layer (C, units) bool: unit asleep (z ≤ 0 on every training point) at each
    #: checkpoint
    asleep: list[np.ndarray] = field(default_factory=list, repr=False)
    #: one row per recorded epoch and hidden layer (``UNIT_COLUMNS``): dead and asleep counts,
    #: cumulative revivals and wake-ups, tracked every epoch
    unit_history: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=UNIT_COLUMNS), repr=False)

    # ------------------------------------------------------------------ tables
    @cached_property
    def layer_stats(self) -> pd.DataFrame:
        return pd.DataFrame(self.stats_rows, columns=STAT_COLUMNS)

    def label_for(self, lang: str = "en") -> str:
        """``label`` in ``lang`` (the record keeps the English one, the cache is shared)."""
        return self.label if lang == "en" else self.config.label(lang)

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
        """The recorded checkpoint closest to ``epoch`` (the earlier one on a tie): every
        per-checkpoint accessor (grad_hist, act_hist, boundary, stats_at, ...) answers for it."""
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

    def weights_at(self, epoch: int | None = None,
                   ) -> tuple[int, list[tuple[np.ndarray, np.ndarray]], list[np.ndarray | None]]:
        """(kept epoch nearest ``epoch`` (last if None), its (W, b) per layer, PReLU slopes
        per hidden layer). Raises ValueError if the record holds no weights."""
        if not self.weight_epochs:
            raise ValueError("this record holds no weight snapshots")
        eps = np.asarray(self.weight_epochs)
        target = eps[-1] if epoch is None else self.nearest_checkpoint(epoch)
        i = int(np.argmin(np.abs(eps - target)))
        return int(eps[i]), self.weights[i], self.alphas[i]

    def weight_bytes(self) -> int:
        """Bytes held by the weight snapshots."""
        total = sum(W.nbytes + b.nbytes for ws in self.weights for W, b in ws)
        return total + sum(a.nbytes for al in self.alphas for a in al if a is not None)

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
