"""What a checkpoint records: the statistics of every weight layer on the full training set
(one forward and backward pass of the engine, no update), computed for all M models of a stack
at once, and each model's log of them (``ModelLog``), from which its ``RunRecord`` is built.
Definitions: ``explorer.record``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .fastpath import Buffers
from .network import Stack
from .record import layer_name, same_sign_chance
from .stats import GradientStats, act_histograms, gradient_stats, same_sign_samples_many
from .units import UnitStates


@dataclass
class LayerStats:
    """One weight layer's statistics at a checkpoint, per model (first axis M)."""

    grad: GradientStats
    same_sign_samples: np.ndarray  # (M,)
    fan_in: int
    #: hidden layers only: this epoch's unit states, the saturated share of (sample, unit)
    #: pre-activations (M,) and per unit (M, units), the activation histogram (M, bins)
    units: UnitStates | None = None
    sat: np.ndarray | None = None
    sat_units: np.ndarray | None = None
    act_counts: np.ndarray | None = None


@dataclass
class ModelLog:
    """One model's checkpoints, as the record keeps them (see ``RunRecord``)."""

    checkpoints: list[int] = field(default_factory=list)
    stats_rows: list[dict] = field(default_factory=list)
    grad_counts: list[np.ndarray] = field(default_factory=list)
    grad_zero_counts: list[np.ndarray] = field(default_factory=list)
    act_counts: list[np.ndarray] = field(default_factory=list)
    dead: list[list[np.ndarray]] = field(default_factory=list)
    asleep: list[list[np.ndarray]] = field(default_factory=list)
    unit_saturated: list[list[np.ndarray]] = field(default_factory=list)
    grid_p: list[np.ndarray] = field(default_factory=list)
    grid_cls: list[np.ndarray] = field(default_factory=list)
    weight_epochs: list[int] = field(default_factory=list)
    weights: list[list[tuple[np.ndarray, np.ndarray]]] = field(default_factory=list)
    alphas: list[list[np.ndarray | None]] = field(default_factory=list)

    def add(self, m: int, epoch: int, rows: list[dict], per_layer: list[LayerStats],
            grid_p: np.ndarray, grid_cls: np.ndarray) -> None:
        """Model m's statistics at this checkpoint (rows: its ``stats_rows``)."""
        hidden = [ls for ls in per_layer if ls.units is not None]
        self.checkpoints.append(epoch)
        self.stats_rows.extend(rows)
        self.grad_counts.append(np.array([ls.grad.counts[m] for ls in per_layer]))
        self.grad_zero_counts.append(np.array([ls.grad.zeros[m] for ls in per_layer]))
        self.act_counts.append(np.array([ls.act_counts[m] for ls in hidden]))
        self.dead.append([ls.units.dead[m] for ls in hidden])
        self.asleep.append([ls.units.asleep[m] for ls in hidden])
        self.grid_p.append(grid_p[m])
        self.grid_cls.append(grid_cls[m])
        self.unit_saturated.append([ls.sat_units[m] for ls in hidden])

    def keep_weights(self, stack: Stack, m: int, epoch: int, keep: set[int]) -> None:
        """Copy model m's weights (public layout) and PReLU slopes at this checkpoint; the
        previous copy is dropped unless its epoch is in ``keep`` (so the latest checkpoint
        always has its weights, and at most ``len(keep) + 1`` are held)."""
        if self.weight_epochs and self.weight_epochs[-1] not in keep:
            for kept in (self.weight_epochs, self.weights, self.alphas):
                kept.pop()
        self.weight_epochs.append(epoch)
        self.weights.append(stack.get_weights(m))
        self.alphas.append([stack.alpha[i][m, 0].copy() if layer.learned else None
                            for i, layer in enumerate(stack.layers)])

    def per_layer(self, items: list[list[np.ndarray]], n_layers: int) -> list[np.ndarray]:
        """A per-checkpoint list of per-layer arrays as per-layer (checkpoints, units)."""
        return [np.array([d[li] for d in items]).reshape(len(items), -1)
                for li in range(n_layers)]


def column_sets(stack: Stack, li: int) -> list[tuple[slice | np.ndarray, int]]:
    """(models, their width) of layer li: all models, or Maxout / the others if mixed."""
    if li < len(stack.layers):
        layer = stack.layers[li]
        if layer.mixed:
            pieces = np.array([a.pieces for a in layer.acts])
            return [(np.flatnonzero(pieces), layer.width),
                    (np.flatnonzero(~pieces), layer.units)]
    return [(slice(None), stack.GW[li].shape[2])]


def gradient_stats_by_columns(stack: Stack, li: int, g: np.ndarray) -> GradientStats:
    """``gradient_stats`` of g (M, fan_in, width), each model over its own columns (a mixed
    layer: the Maxout models over all, the others over their ``units``)."""
    out: list[np.ndarray] | None = None
    for sel, width in column_sets(stack, li):
        part = gradient_stats(g[sel][..., :width])
        if out is None:
            out = [np.empty((stack.M, *v.shape[1:]), dtype=v.dtype) for v in part]
        for whole, v in zip(out, part, strict=True):
            whole[sel] = v
    return GradientStats(*out)  # type: ignore[misc]


def saturation(stack: Stack, li: int, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per model: the saturated fraction of the (sample, unit) pre-activations and each
    unit's saturated fraction (M, units), from feature-major z (M, width, n).

    Saturated: z on a saturating tail of the activation (``Activation.saturated``: beyond the
    point from which |f'| < SATURATION_FRACTION · max|f'| all the way to ±∞), so an interior
    flat point (GELU/SiLU/Mish's minimum), Leaky ReLU's α side and ReLU's zero side are not
    counted; PReLU and Maxout never saturate."""
    layer = stack.layers[li]
    M, u = stack.M, layer.units
    sat = np.zeros(M)
    sat_units = np.zeros((M, u))
    groups = [] if layer.learned else layer.groups()
    for m0, m1, act, p in groups:
        lo, hi = act.saturation_bounds(p)
        if lo == -np.inf and hi == np.inf:  # no saturating tail (Maxout, ReLU, ...)
            continue
        zz = z[m0:m1, :u]  # piece 0 (all of z unless the layer is mixed)
        tail = zz < lo
        if hi < np.inf:
            tail |= zz > hi
        per_unit = np.count_nonzero(tail, axis=-1)
        sat[m0:m1] = per_unit.sum(axis=-1) / (u * zz.shape[-1])
        sat_units[m0:m1] = per_unit / zz.shape[-1]
    return sat, sat_units


def layer_stats(stack: Stack, li: int, x: np.ndarray, delta: np.ndarray,
                hidden: tuple[np.ndarray, np.ndarray] | None,
                units: UnitStates | None) -> LayerStats:
    """Weight layer li's statistics from its feature-major inputs x (M or shared, fan_in, n)
    and δ (M, width, n); a hidden layer also from its (z, a) and this epoch's unit states."""
    M = stack.M
    widths = np.array([stack.layers[li].model_width(m) for m in range(M)]
                      if li < len(stack.layers) else [stack.n_out] * M)
    # δ of a padded column is 0: counting over the full width, dividing by the own
    out = LayerStats(gradient_stats_by_columns(stack, li, stack.GW[li][:, :-1]),
                     same_sign_samples_many(x, delta, widths), x.shape[-2])
    if hidden is not None:
        z, a = hidden
        out.sat, out.sat_units = saturation(stack, li, z)
        out.act_counts = act_histograms(a)
        out.units = units
    return out


def checkpoint_stats(stack: Stack, bufs: Buffers, XT_train: np.ndarray,
                     units: list[UnitStates | None]) -> list[LayerStats]:
    """Every weight layer's statistics from a full-set forward and backward pass (``bufs``,
    ``FastPath.full_gradient`` on ``XT_train``) and this epoch's unit states per hidden
    layer."""
    L = len(stack.layers)

    def models(A: np.ndarray) -> np.ndarray:  # the path drops the model axis if M = 1
        return A[None] if A.ndim == 2 else A

    out = []
    for li in range(L + 1):
        x = XT_train[:-1] if li == 0 else models(bufs.hidden[li - 1].h)[:, :-1]
        delta = models(bufs.hidden[li].dz if li < L else bufs.g)
        hidden = (models(bufs.hidden[li].z), models(bufs.hidden[li].a)) if li < L else None
        out.append(layer_stats(stack, li, x, delta, hidden, units[li] if li < L else None))
    return out


def stats_rows(stack: Stack, epoch: int, per_layer: list[LayerStats], revived: np.ndarray,
               woke: np.ndarray) -> list[list[dict]]:
    """Per model, its ``stats_rows`` at this checkpoint (one per weight layer); plain Python
    values, converted once per layer."""
    L = len(stack.layers)
    names = [layer_name(li + 1, L) for li in range(L + 1)]
    out: list[list[dict]] = [[] for _ in range(stack.M)]
    for li, ls in enumerate(per_layer):
        c = {"grad_norm": ls.grad.norm.tolist(), "grad_mean_abs": ls.grad.mean_abs.tolist(),
             "same_sign": ls.grad.same_sign.tolist(),
             "same_sign_samples": ls.same_sign_samples.tolist()}
        chance = same_sign_chance(ls.fan_in)
        if li < L:
            # dead / asleep and the revival counts: this epoch's states, tracked every epoch
            # (so they do not depend on the number of checkpoints)
            dead, asleep, sleeps = ls.units
            count, sleeping = dead.sum(axis=1), asleep.sum(axis=1)
            # asleep share: NaN (not applicable) where no unit of the layer can sleep
            asleep_frac = np.where(sleeps.any(axis=1), sleeping / dead.shape[1], np.nan)
            c.update(dead_count=count.tolist(), dead_frac=(count / dead.shape[1]).tolist(),
                     sat=ls.sat.tolist(), revived=revived[:, li].tolist(),
                     asleep_count=sleeping.tolist(), asleep_frac=asleep_frac.tolist(),
                     woke=woke[:, li].tolist())
        for m in range(stack.M):
            row = {"epoch": epoch, "layer": li + 1, "layer_name": names[li],
                   "grad_norm": c["grad_norm"][m], "grad_mean_abs": c["grad_mean_abs"][m],
                   "same_sign_frac": c["same_sign"][m],
                   "same_sign_sample_frac": c["same_sign_samples"][m],
                   "same_sign_chance": chance}
            if li < L:
                row.update(units=stack.layers[li].units, dead_frac=c["dead_frac"][m],
                           dead_count=c["dead_count"][m], saturated_frac=c["sat"][m],
                           revived=c["revived"][m], asleep_frac=c["asleep_frac"][m],
                           asleep_count=c["asleep_count"][m], woke=c["woke"][m])
            else:
                row.update(units=stack.n_out, dead_frac=np.nan, dead_count=0,
                           saturated_frac=np.nan, revived=0, asleep_frac=np.nan,
                           asleep_count=0, woke=0)
            out[m].append(row)
    return out
