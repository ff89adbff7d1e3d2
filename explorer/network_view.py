r"""The network on screen: what every unit computes over the input plane, from a record.

``network_view(rec, epoch)`` takes the weights the record kept at the checkpoint nearest
``epoch`` (see ``RunRecord.weights_at``) and runs them forward on a small grid over the
record's boundary domain (the raw 2-D plane): every unit's activation there is its
*thumbnail* (TensorFlow Playground's per-neuron picture). The input features get thumbnails
too (the feature's value on the grid), and the output units show the class probabilities
(binary: P(class 1), as the boundary chart). From the record's statistics come each hidden
unit's dead flag (f'(z) = 0 on every training point) and its saturated share; the tooltip
numbers (mean activation on the training points, incoming weights, bias) come from the same
weights.

Pure numpy, no Streamlit, no Altair (the chart is ``explorer.charts.network``).

Work is bounded whatever the record: the grid has at most ``MAX_THUMB`` points per side (not
the record's ``grid_size``), one forward pass on it and one on the training points give every
number, and only ``max_units`` units per layer are kept for drawing (``hidden_more`` counts the
rest). ``NetworkView.evaluations`` counts the unit evaluations done (points × units), so tests
bound the work by counting instead of timing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import ACTIVATIONS, param_value
from .features import FEATURES, feature_matrix
from .network import MLP
from .record import RunRecord
from .train import engine

#: thumbnail resolution: points per side of the grid every unit is evaluated on
THUMB = 24
MAX_THUMB = 24
#: units drawn per layer at most (the others are summarised as "+k more · d dead"): 16, the
#: default width, so the default networks show every unit (and every dead one); TF
#: Playground's own limit is 8 units per layer
MAX_UNITS = 16
#: a hidden unit is marked saturated when |f'(z)| is below the record's threshold
#: (SATURATION_FRACTION of its maximum) on at least this share of the training points
SATURATED_SHARE = 0.5


@dataclass(frozen=True)
class UnitView:
    """One unit (an input feature, a hidden unit or an output) as drawn.

    ``values``: its activation on the thumbnail grid, (T·T,), row-major with x fastest (the
    order of ``RunRecord.boundary``). ``w_in``: incoming weights (fan_in,) or, for Maxout,
    (fan_in, k) (one column per piece); ``bias`` () or (k,). Inputs have neither."""

    layer: int  # 0 = inputs, 1..L hidden, L + 1 = output
    index: int  # 0-based within the layer
    name: str  # "x1sq", "h2.5", "out" / "out.3"
    label: str  # what to print: "x₁²", "5", "P(1)"
    values: np.ndarray
    mean_act: float  # on the training points
    w_in: np.ndarray | None = None
    bias: np.ndarray | None = None
    dead: bool = False
    saturated: bool = False
    sat_share: float = 0.0


@dataclass(frozen=True)
class LayerView:
    layer: int
    kind: str  # "input", "hidden", "output"
    activation: str | None  # registry name for hidden layers
    units: list[UnitView]  # the drawn ones (at most max_units)
    n_units: int  # all of them

    #: dead units among those not drawn (hidden layers)
    dead_more: int = 0

    @property
    def hidden_more(self) -> int:
        return self.n_units - len(self.units)


@dataclass(frozen=True)
class NetworkView:
    epoch: int  # the epoch whose weights are drawn
    requested: int  # the checkpoint asked for (differs when weights were thinned)
    grid_x: np.ndarray  # (T,)
    grid_y: np.ndarray  # (T,)
    layers: list[LayerView]
    #: incoming weights between drawn units: per layer l ≥ 1, (drawn in l-1, drawn in l);
    #: Maxout: the piece of largest |w| (signed)
    links: list[np.ndarray] = field(repr=False)
    evaluations: int = 0  # unit evaluations done: Σ over forward passes of points × units
    binary: bool = True

    def unit(self, layer: int, index: int) -> UnitView:
        for u in self.layers[layer].units:
            if u.index == index:
                return u
        raise KeyError((layer, index))


def thumb_grid(rec: RunRecord, size: int = THUMB) -> tuple[np.ndarray, np.ndarray]:
    """The thumbnail grid: ``size`` (≤ MAX_THUMB) points per side spanning the record's
    boundary grid (the same domain, coarser)."""
    size = int(min(max(size, 2), MAX_THUMB))
    gx, gy = np.asarray(rec.grid_x), np.asarray(rec.grid_y)
    return np.linspace(gx[0], gx[-1], size), np.linspace(gy[0], gy[-1], size)


def plane_points(grid_x: np.ndarray, grid_y: np.ndarray) -> np.ndarray:
    """(T·T, 2) points of a grid, x fastest (as ``RunRecord.boundary``)."""
    gx, gy = np.meshgrid(grid_x, grid_y)
    return np.column_stack([gx.ravel(), gy.ravel()])


def network_at(rec: RunRecord, epoch: int | None = None) -> tuple[int, MLP]:
    """(the kept epoch nearest ``epoch``, the record's network with that epoch's weights and
    PReLU slopes), as ``MLP.from_weights`` builds it: the engine's one forward path."""
    cfg = rec.config
    ep, weights, alphas = rec.weights_at(epoch)
    names = cfg.hidden_activations()
    params = [param_value(ACTIVATIONS[n], cfg) for n in names]
    return ep, MLP.from_weights(weights, activation=list(names), n_classes=rec.data.n_classes,
                                alphas=alphas, param=params, maxout_k=cfg.maxout_k)


def forward(rec: RunRecord, X: np.ndarray, epoch: int | None = None,
            ) -> tuple[int, list[np.ndarray], list[np.ndarray]]:
    """Run the record's kept weights nearest ``epoch`` on points ``X`` (n, 2) of the plane.

    Returns (the weights' epoch, activations per layer — [features, hidden 1, ..., output
    probabilities] each (n, units) — and pre-activations per weight layer (n, width), the
    output logits last). The engine's forward pass (``MLP.forward``), float64 throughout."""
    ep, net = network_at(rec, epoch)
    h = feature_matrix(rec.config.features, X)
    hidden, pre, logits = net.forward(h)
    proba = net.stack.loss.proba(logits)
    out = proba[:, 1:] if rec.data.n_classes == 2 else proba  # binary: P(class 1)
    return ep, [h, *hidden, out], [*pre, logits]


def network_view(rec: RunRecord, epoch: int | None = None, size: int = THUMB,
                 max_units: int = MAX_UNITS) -> NetworkView:
    """Every drawn unit's thumbnail, flags and tooltip numbers at the checkpoint nearest
    ``epoch`` (last if None); see the module docstring."""
    cfg = rec.config
    requested = rec.checkpoints[-1] if epoch is None else rec.nearest_checkpoint(epoch)
    grid_x, grid_y = thumb_grid(rec, size)
    P = plane_points(grid_x, grid_y)
    X_train = rec.data.X_train
    with engine():  # one BLAS thread, float errors ignored (as training computes)
        ep, acts, _ = forward(rec, P, requested)
        _, acts_tr, _ = forward(rec, X_train, requested)
        means = [a.mean(axis=0) for a in acts_tr]
    units_total = sum(a.shape[1] for a in acts)
    evaluations = (P.shape[0] + X_train.shape[0]) * units_total
    _, weights, _ = rec.weights_at(requested)
    ci = rec.checkpoints.index(ep)
    L = len(weights) - 1
    names = cfg.hidden_activations()
    binary = rec.data.n_classes == 2
    max_units = max(1, int(max_units))
    layers: list[LayerView] = []
    for li, (a, mean_l) in enumerate(zip(acts, means, strict=True)):
        n = a.shape[1]
        shown = range(min(n, max_units))
        units = []
        kind = "input" if li == 0 else ("output" if li == L + 1 else "hidden")
        for j in shown:
            mean = float(mean_l[j])
            if kind == "input":
                f = cfg.features[j]
                units.append(UnitView(0, j, f, FEATURES[f].label, a[:, j], mean))
                continue
            W, b = weights[li - 1]
            if kind == "hidden" and ACTIVATIONS[names[li - 1]].pieces:
                k = cfg.maxout_k
                w_in, bias = W[:, j * k:(j + 1) * k], b[j * k:(j + 1) * k]
            else:
                w_in, bias = W[:, j], b[j]
            if kind == "output":
                name = "out" if binary else f"out.{j}"
                label = "P(1)" if binary else f"P({j})"
                units.append(UnitView(li, j, name, label, a[:, j], mean, w_in.copy(),
                                      np.asarray(bias).copy()))
                continue
            dead = bool(rec.dead[li - 1][ci, j]) if rec.dead else False
            share = float(rec.unit_saturated[li - 1][ci, j]) if rec.unit_saturated else 0.0
            units.append(UnitView(li, j, f"h{li}.{j + 1}", str(j + 1), a[:, j], mean,
                                  w_in.copy(), np.asarray(bias).copy(), dead,
                                  (not dead) and share >= SATURATED_SHARE, share))
        dead_more = 0
        if kind == "hidden" and rec.dead:
            dead_more = int(np.count_nonzero(rec.dead[li - 1][ci, len(units):]))
        layers.append(LayerView(li, kind, names[li - 1] if kind == "hidden" else None,
                                units, n, dead_more))
    links = []
    for li in range(1, L + 2):
        W = weights[li - 1][0]
        src, dst = len(layers[li - 1].units), len(layers[li].units)
        if layers[li].kind == "hidden" and ACTIVATIONS[names[li - 1]].pieces:
            k = cfg.maxout_k
            Wk = W.reshape(W.shape[0], -1, k)[:src, :dst]  # (src, dst, k)
            pick = np.abs(Wk).argmax(axis=-1)[..., None]
            links.append(np.take_along_axis(Wk, pick, axis=-1)[..., 0].copy())
        else:
            links.append(W[:src, :dst].copy())
    return NetworkView(ep, requested, grid_x, grid_y, layers, links, evaluations, binary)
