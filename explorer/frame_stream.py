"""The dense frame stream: what the live player animates at EVERY epoch (up to ``DENSE_MAX``
frames a run; longer runs every ``stride`` epochs), recorded while a stack trains.

A run's record keeps its full statistics at its checkpoints (``n_checkpoints``, the goldens'
numbers, untouched); the player's frames between them come from this stream, recorded by
:class:`FrameRecorder` after each epoch (``Trainer(..., frames=spec)``, opt-in: the pages
with a player ask for it, ``train()`` and the benchmarks do not). Each frame is one row of
bytes, quantised to what the screen shows:

* ``p``: the decision-boundary grid, P(class 1) (multiclass: the top class's probability) in
  steps of 1/255 (``quantise``: round(P·255), NaN as 0.5), one byte per cell, row-major with x
  fastest (``RunRecord.boundary``'s order); ``cls``: the top class per cell (multiclass only);
* ``img``: every drawn unit's thumbnail (``FrameSpec.thumb``² bytes, the network figure's
  ``net_pixels`` encoding), units in layer order (inputs, hidden, outputs);
* ``num``: float16 numbers (``half``) for the diagram's links and tooltips: the drawn links' weights
  (Maxout: the piece of largest |w|), each drawn unit's bias (Maxout: k pieces), mean
  activation on the training points, range over the plane, and per layer the dead units not
  drawn;
* ``flags``: per drawn unit, dead and saturated (``FrameSpec.sat_share``, as the diagram).

One forward pass per epoch on the grid, the thumbnail grid and the training points (its own
buffers: the engine's are not disturbed) gives every number. Bytes per frame:
:meth:`FrameLayout.row_bytes`; a default run (201 frames) holds ~1.6 MB.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .activations import ACTIVATIONS, sigmoid
from .features import feature_matrix
from .network import augment

#: at most this many frames a run (every epoch up to DENSE_MAX epochs; beyond, every
#: ``stride`` epochs: at least DENSE_MAX / 2 frames)
DENSE_MAX = 1000


def dense_stride(epochs: int) -> int:
    """Epochs between two frames: 1 up to ``DENSE_MAX`` epochs, else the smallest k that
    keeps the frames within DENSE_MAX + 1 (so ≥ DENSE_MAX / 2 frames)."""
    return max(1, math.ceil(int(epochs) / DENSE_MAX))


def dense_epochs(epochs: int, stride: int | None = None) -> list[int]:
    """The epochs with a frame: 0, k, 2k, ... and the last one."""
    k = dense_stride(epochs) if stride is None else int(stride)
    out = list(range(0, int(epochs) + 1, k))
    if out[-1] != epochs:
        out.append(int(epochs))
    return out


def quantise(p: np.ndarray) -> np.ndarray:
    """P in [0, 1] to bytes 0..255 (rounded; NaN counts as 0.5): |P − q/255| ≤ 1/510."""
    q = np.nan_to_num(np.asarray(p, dtype=np.float64), nan=0.5)
    return np.clip(np.rint(q * 255.0), 0, 255).astype(np.uint8)


def unit_bytes(values: np.ndarray, output: bool) -> np.ndarray:
    """Thumbnail bytes of units' values over the thumbnail grid, (units, T²) (or one unit's
    (T²,)): an output's probability as ``quantise``; an input or hidden unit's v / max|v| in
    [-1, 1] as round((v + 1)·127.5) (128 = 0; an all-zero or non-finite peak: all 128)."""
    v = np.asarray(values, dtype=np.float64)
    if output:
        return quantise(v)
    v2 = np.atleast_2d(v)
    peak = np.max(np.abs(v2), axis=-1, keepdims=True) if v2.size else np.zeros((len(v2), 1))
    ok = (peak > 0) & np.isfinite(peak)
    with np.errstate(all="ignore"):
        r = np.where(ok, v2 / np.where(ok, peak, 1.0), 0.0)
    r[~np.isfinite(r)] = 0.0
    out = np.clip(np.rint((r + 1.0) * 127.5), 0, 255).astype(np.uint8)
    return out.reshape(v.shape)


def half(values: np.ndarray) -> np.ndarray:
    """Numbers as float16 (3 significant digits, what the diagram's tooltips print; beyond
    ±65504: ±inf, shown as "—")."""
    with np.errstate(over="ignore"):
        return np.asarray(values, dtype=np.float64).astype(np.float16)


@dataclass(frozen=True)
class FrameSpec:
    """What the player draws of each frame: ``stride`` (epochs between frames; 0: the run's
    ``dense_stride``), ``thumb``
    (thumbnail pixels a side, 0: no network figure), ``max_units`` (units drawn a layer),
    ``sat_share`` (a unit saturated on at least this share of the training points is marked)."""

    stride: int = 0
    thumb: int = 0
    max_units: int = 16
    sat_share: float = 0.5


@dataclass(frozen=True)
class FrameLayout:
    """The byte layout of one frame row (the player decodes it, ``explorer.live.frames``)."""

    grid: int  # cells of the boundary grid (G²)
    multi: bool  # a class byte per cell follows P
    thumb: int  # T (0: no network part)
    drawn: tuple[int, ...] = ()  # units drawn per layer (inputs, hidden..., output)
    links: tuple[int, ...] = ()  # drawn links per weight layer
    bias: tuple[int, ...] = ()  # bias numbers per layer (inputs 0; Maxout units k each)

    @property
    def units(self) -> int:
        return sum(self.drawn)

    @property
    def n_floats(self) -> int:
        return (sum(self.links) + sum(self.bias) + 3 * self.units + len(self.drawn)
                if self.thumb else 0)

    def row_bytes(self) -> int:
        img = self.units * self.thumb ** 2 if self.thumb else 0
        flags = 2 * self.units if self.thumb else 0
        return self.grid * (2 if self.multi else 1) + img + 2 * self.n_floats + flags

    def to_json(self) -> dict[str, Any]:
        return {"grid": self.grid, "multi": self.multi, "t": self.thumb,
                "drawn": list(self.drawn), "links": list(self.links), "bias": list(self.bias),
                "floats": self.n_floats, "row": self.row_bytes()}


@dataclass
class FrameStream:
    """One model's frames: their epochs, one row of bytes each (``FrameLayout``)."""

    layout: FrameLayout
    stride: int
    epochs: list[int] = field(default_factory=list)
    rows: list[bytes] = field(default_factory=list, repr=False)
    #: (first row, rows) -> the chunk as the player receives it (``explorer.live.frames``):
    #: encoded once, shared by the snapshots of one training (a chunk's rows never change)
    memo: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)

    def copy(self) -> FrameStream:
        """A snapshot (rows are immutable bytes: shared, not copied; so is ``memo``)."""
        return FrameStream(self.layout, self.stride, list(self.epochs), list(self.rows),
                           self.memo)

    def nbytes(self) -> int:
        """Bytes held: the rows and the encoded chunks."""
        return sum(len(r) for r in self.rows) + sum(len(z) for z in self.memo.values())


class FrameRecorder:
    """Records every live model's frame at the stream's epochs (``Trainer`` calls
    :meth:`record` after each epoch's history and snapshot)."""

    def __init__(self, trainer: Any, spec: FrameSpec) -> None:
        from .fastpath import FastPath

        self.tr, self.spec = trainer, spec
        st, inp, cfg = trainer.stack, trainer.inputs, trainer.cfgs[0]
        self.path = FastPath(st)  # its own buffers (the engine's stay as the history left them)
        self.G2 = inp.XT_grid.shape[1]
        self.multi = st.n_out > 1
        L = len(st.layers)
        T = int(spec.thumb)
        self.T2 = T * T
        if T:
            tx = np.linspace(inp.grid_x[0], inp.grid_x[-1], T)
            ty = np.linspace(inp.grid_y[0], inp.grid_y[-1], T)
            gx, gy = np.meshgrid(tx, ty)
            feats = feature_matrix(cfg.features, np.column_stack([gx.ravel(), gy.ravel()]))
            self.XT = np.ascontiguousarray(np.hstack(
                [inp.XT_grid, augment(feats).T, inp.XT_train]))
            widths = [len(cfg.features), *cfg.hidden, st.n_out]
            drawn = tuple(min(w, spec.max_units) for w in widths)
            self.pieces = [[ACTIVATIONS[c.hidden_activations()[li]].pieces for li in range(L)]
                           for c in trainer.cfgs]
            k = cfg.maxout_k
            bias = tuple(0 if li == 0 else drawn[li] * (k if li <= L and any(
                p[li - 1] for p in self.pieces) else 1) for li in range(L + 2))
            self.layout = FrameLayout(self.G2, self.multi, T, drawn,
                                      tuple(drawn[i] * drawn[i + 1] for i in range(L + 1)), bias)
            # the inputs' thumbnails and numbers never change: once
            self.input_img = self._thumbs(feats[:, :drawn[0]].T, False)
            tr_feats = inp.XT_train[:-1]
            self.input_num = (tr_feats[:drawn[0]].mean(axis=1), feats[:, :drawn[0]].min(axis=0),
                              feats[:, :drawn[0]].max(axis=0))
        else:
            self.XT = inp.XT_grid
            self.layout = FrameLayout(self.G2, self.multi, 0)
        self.stride = int(spec.stride) or dense_stride(cfg.epochs)
        self.streams = [FrameStream(self.layout, self.stride) for _ in trainer.cfgs]
        self.last = int(cfg.epochs)

    def _thumbs(self, vals: np.ndarray, output: bool) -> np.ndarray:
        """Units' thumbnail bytes (units, T²) -> flat, each T×T row-major with the top row the
        largest y (as ``net_pixels``)."""
        T = int(self.spec.thumb)
        q = unit_bytes(vals, output).reshape(len(vals), T, T)
        return q[:, ::-1].ravel()

    def due(self, epoch: int) -> bool:
        return epoch % self.stride == 0 or epoch == self.last

    def record(self, epoch: int) -> None:
        """The frame of ``epoch`` of every model still training (if ``epoch`` has one)."""
        if not self.due(epoch):
            return
        live = [m for m, d in enumerate(self.tr.diverged_at) if d is None]
        if not live:
            return
        st = self.tr.stack
        zo = self.path.forward(self.XT)  # (M, n_out, N)
        zg = zo[:, :, :self.G2]
        if not self.multi:
            pg = sigmoid(zg[:, 0])
            cls = None
        else:
            proba = st.loss.proba(zg.swapaxes(1, 2))
            pg, cls = proba.max(axis=2), proba.argmax(axis=2).astype(np.uint8)
        net = self._network(zo) if self.layout.thumb else None
        for m in live:
            parts = [quantise(pg[m])]
            if cls is not None:
                parts.append(cls[m])
            if net is not None:
                parts.extend(net(m))
            self.streams[m].epochs.append(int(epoch))
            self.streams[m].rows.append(b"".join(np.ascontiguousarray(p).tobytes()
                                                 for p in parts))

    def _network(self, zo: np.ndarray) -> Any:
        """A function of model m: its frame's network bytes (img, floats, flags)."""
        from .checkpoint import saturation

        st, lay, tr = self.tr.stack, self.layout, self.tr
        G2, T2 = self.G2, self.T2
        th = slice(G2, G2 + T2)
        trn = slice(G2 + T2, None)
        hidden = self.path.buffers(self.XT.shape[1]).hidden

        def models(A: np.ndarray) -> np.ndarray:
            return A[None] if A.ndim == 2 else A

        acts = [models(h.a) for h in hidden]
        sats = [saturation(st, li, models(h.z)[..., trn])[1] for li, h in enumerate(hidden)]
        if self.multi:
            out = st.loss.proba(zo.swapaxes(1, 2)).swapaxes(1, 2)  # (M, K, N)
        else:
            out = sigmoid(zo[:, :1])
        L = len(st.layers)

        def one(m: int) -> list[np.ndarray]:
            img, m_, lo, hi, dm = [self.input_img], [self.input_num[0]], [self.input_num[1]], \
                [self.input_num[2]], [0.0]
            dead_f, sat_f = [np.zeros(lay.drawn[0], np.uint8)], [np.zeros(lay.drawn[0], np.uint8)]
            for li in range(1, L + 2):
                a = acts[li - 1][m] if li <= L else out[m]  # (units, N)
                d = lay.drawn[li]
                vals = a[:d, th]
                img.append(self._thumbs(vals, li > L))
                m_.append(a[:d, trn].mean(axis=1))
                lo.append(vals.min(axis=1))
                hi.append(vals.max(axis=1))
                if li <= L:
                    states = tr.units.current[li - 1]
                    dead = states.dead[m] if states is not None else np.zeros(a.shape[0], bool)
                    dead_f.append(dead[:d].astype(np.uint8))
                    sat_f.append(((~dead[:d]) & (sats[li - 1][m, :d] >= self.spec.sat_share))
                                 .astype(np.uint8))
                    dm.append(float(np.count_nonzero(dead[d:])))
                else:
                    dead_f.append(np.zeros(d, np.uint8))
                    sat_f.append(np.zeros(d, np.uint8))
                    dm.append(0.0)
            links, bias = drawn_weights(self, m)
            floats = np.concatenate([*links, *bias, *m_, *lo, *hi, np.asarray(dm)])
            return [np.concatenate(img), half(floats),
                    np.concatenate(dead_f), np.concatenate(sat_f)]

        return one


def drawn_weights(rec: FrameRecorder, m: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Model m's drawn links (src-major; Maxout: the piece of largest |w|) and drawn units'
    biases, as the diagram draws them."""
    st, lay = rec.tr.stack, rec.layout
    k = rec.tr.cfgs[m].maxout_k
    weights = st.get_weights(m)
    L = len(st.layers)
    links, bias = [], []
    for li in range(1, L + 2):
        W, b = weights[li - 1]
        src, dst = lay.drawn[li - 1], lay.drawn[li]
        piece = li <= L and rec.pieces[m][li - 1]
        if piece:
            Wk = W.reshape(W.shape[0], -1, k)[:src, :dst]
            pick = np.abs(Wk).argmax(axis=-1)[..., None]
            links.append(np.take_along_axis(Wk, pick, axis=-1)[..., 0].ravel())
            bias.append(np.asarray(b[:dst * k], dtype=np.float64))
        else:
            links.append(np.asarray(W[:src, :dst], dtype=np.float64).ravel())
            per = lay.bias[li] // max(1, dst)
            bb = np.asarray(b[:dst], dtype=np.float64)
            bias.append(np.repeat(bb, per) if per > 1 else bb)
    return links, bias
