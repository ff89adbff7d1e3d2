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
  gradient). ``asleep``: a hidden unit of an activation with a *gated side* (f' = one
  constant α on z ≤ 0, a larger one on z > 0: ReLU α = 0, Leaky ReLU α < 1, PReLU |a_j| < 1;
  ``units.sleep_slope``) whose z is ≤ 0 on every training point, so that only α of the
  gradient reaches it. A dead ReLU is asleep; an asleep Leaky ReLU still learns through α.
  Edge cases: z = 0 on every point (zero weights, zero inputs) is asleep (f'(0) = α); Maxout,
  sigmoid, tanh, ELU and the smooth variants, and the identity have no gated side: never
  asleep, and ``asleep_frac`` is NaN there (not applicable), not 0.
* ``revived`` / ``woke``: cumulative dead → alive / asleep → awake transitions between
  consecutive **epochs** (tracked every epoch from the history's full-set forward pass, so
  they do not depend on ``n_checkpoints``); ``unit_history`` has them per epoch.
* **diverged** (:attr:`RunRecord.divergence`, what every verdict checks first): the training
  loss became NaN or infinite at epoch k (the engine stops there, ``diverged_at``), or the
  run *ends blown up*: its last training loss is above ``BLOWUP`` × max(ln K, the training
  loss at epoch 0) — a log loss a K-class net reaches only with huge, confidently wrong
  weights — and k is the first epoch of that final stretch above the limit. (A spike the run
  recovers from is not divergence.) Nothing is claimed from a diverged run; pages show
  "diverged at epoch k", not its last loss.
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
from typing import Any

import numpy as np
import pandas as pd

from .config import TrainConfig
from .datasets import Dataset
from .record_views import (
    ACT_BINS,
    GRAD_BINS,
    GRAD_LOG_HI,
    GRAD_LOG_LO,
    GRAD_LOG_STEP,
    UNIT_COLUMNS,
    RecordViews,
    layer_name,
)
from .texts.stats import TEXT as _STATS

__all__ = ["ACT_BINS", "BLOWN_UP", "BLOWUP", "DEFINITIONS", "NONFINITE", "GRAD_BINS", "GRAD_LOG_HI", "GRAD_LOG_LO", "GRAD_LOG_STEP",
           "STAT_COLUMNS", "UNIT_COLUMNS", "WEIGHT_BUDGET", "RecordViews", "RunRecord",
           "act_histogram", "grad_histogram", "layer_name", "same_sign_chance",
           "weight_checkpoints"]

#: SATURATION_FRACTION (from ``activations``): |f'| below this fraction of max|f'| on a
#: saturating tail counts as saturated.
#: statistic -> its definition, per language (``explorer.texts.stats``)
DEFINITIONS = {lang: {k[4:]: v for k, v in d.items() if k.startswith("def.")}
               for lang, d in _STATS.items()}
#: a training loss above BLOWUP × max(ln K, its loss at epoch 0) is a blow-up (diverged)
BLOWUP = 10.0
#: ``RunRecord.divergence`` causes: the loss became NaN/inf, or it blew up
NONFINITE, BLOWN_UP = "nonfinite", "blowup"
#: bytes of weight snapshots one record may hold: every checkpoint's weights while they fit,
#: else an evenly spaced subset of the checkpoints (first and last always), see
#: :func:`weight_checkpoints`
WEIGHT_BUDGET = 4_000_000

STAT_COLUMNS = ["epoch", "layer", "layer_name", "units", "grad_norm", "grad_mean_abs",
                "dead_frac", "dead_count", "saturated_frac", "same_sign_frac",
                "same_sign_sample_frac", "revived", "asleep_frac", "asleep_count", "woke",
                "same_sign_chance"]


def same_sign_chance(fan_in: int) -> float:
    """Share of units expected to be same-sign by chance: 2·2^(−d) = 2^(1−d) for d inputs with
    independent signs, each + or − with probability ½ (NaN for d < 2, as the statistic)."""
    return float("nan") if fan_in < 2 else 2.0 ** (1 - fan_in)


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
class RunRecord(RecordViews):
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
    #: per hidden layer (C, units) bool: unit asleep (a gated side, z ≤ 0 on every training
    #: point; see the definitions above) at each checkpoint
    asleep: list[np.ndarray] = field(default_factory=list, repr=False)
    #: one row per recorded epoch and hidden layer (``UNIT_COLUMNS``): dead and asleep counts,
    #: cumulative revivals and wake-ups, tracked every epoch
    unit_history: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=UNIT_COLUMNS), repr=False)
    #: the live player's dense frames (``explorer.frame_stream.FrameStream``: every epoch up
    #: to DENSE_MAX), recorded only when the trainer is asked to (None otherwise)
    frames: Any = field(default=None, repr=False)

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
        """The engine met a NaN or infinite loss (``diverged_at``); verdicts check the wider
        :attr:`divergence` (a blow-up too)."""
        return self.diverged_at is not None

    @property
    def divergence(self) -> tuple[int, str] | None:
        """(epoch, cause) of the run's divergence, None if it did not diverge: the definition
        in this module's docstring. Cause ``NONFINITE`` (the loss became NaN or infinite at
        ``diverged_at``) or ``BLOWN_UP`` (the last training loss is above ``BLOWUP`` ×
        max(ln K, the loss at epoch 0); the epoch is where that final stretch began)."""
        if self.diverged_at is not None:
            return int(self.diverged_at), NONFINITE
        loss = self.history["train_loss"].to_numpy(dtype=np.float64)
        if not len(loss):
            return None
        limit = BLOWUP * max(float(np.log(self.data.n_classes)), float(loss[0]))
        below = np.flatnonzero(loss <= limit)
        if len(below) and below[-1] == len(loss) - 1:
            return None
        start = int(below[-1]) + 1 if len(below) else 0
        return int(self.history["epoch"].iloc[start]), BLOWN_UP

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
