r"""A stack of M multilayer perceptrons of the same shape, trained in lock-step.

Forward, backward and update are three separate steps (``forward``, ``backward``, and an
optimiser's ``step`` on the flat parameter array). Shapes follow one convention:

* every parameter of all M models lives in one array ``P`` of shape ``(M, n_params)``; each
  layer's weights are a view ``W[l]`` of shape ``(M, fan_in + 1, width)`` whose **last row is the
  bias** (so a layer is one ``matmul`` on inputs with an appended column of ones);
* PReLU slopes are a view ``alpha[l]`` of shape ``(M, 1, units)``;
* activations of a batch of n samples have shape ``(M, n, units)``.

The models may differ in activation (e.g. sigmoid, tanh, ReLU side by side) as long as their
shapes agree; Maxout layers are ``units × k`` wide before the max. A layer may also mix Maxout
models with ordinary ones: it is then ``units × k`` wide for every model, and an ordinary model
uses only the first ``units`` columns (piece 0, see below); its other columns are zero and stay
zero (their gradient is exactly 0), so it trains exactly as on its own. M = 1 is an ordinary
MLP, and ``MLP`` below is the friendly single-network face of the same code.

**Maxout layout.** Outside the stack (``set_weights``, ``get_weights``, ``MLP``, the
initialisers) a Maxout layer's columns are unit-major: the k pieces of unit j are columns
``j*k .. j*k+k-1`` (so ``z.reshape(..., units, k).max(-1)`` is the output, as
``ACTIVATIONS["maxout"].f`` has it). *Inside* the stack (``W``, ``GW``, ``P``, ``Cache.z``) they
are piece-major: columns ``j*units .. (j+1)*units - 1`` are piece j of every unit, so the max is
k - 1 elementwise ``maximum`` calls on contiguous blocks. ``set_weights``/``get_weights`` convert.
Ties go to the first piece (as ``argmax``).

**Two paths.** ``forward``/``backward`` (with ``keep=True`` they return f'(z) and δ per layer) are
the general path: clear, used for the checkpoint statistics and by ``MLP``. ``train_epoch`` and
``forward_fast`` are the training hot path: the same arithmetic on feature-major (transposed)
buffers allocated once per batch size, with one precomputed kernel per layer (and per group of
models sharing an activation) that writes in place, so a step is ~25 numpy calls and almost no
Python. ``tests/test_fastpath.py`` checks that both paths give the same gradients.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, Activation
from .losses import Loss, loss_for
from .optimisers import OPTIMISERS

PRELU_INIT = 0.25


@dataclass
class Layer:
    """One hidden layer of the stack: its shape and each model's activation."""

    fan_in: int
    units: int
    k: int  # pieces per unit (Maxout), else 1
    learned: bool  # PReLU slopes in P
    acts: list[Activation]  # one per model
    params: list[float | None]  # one per model

    @property
    def width(self) -> int:
        return self.units * self.k

    def __post_init__(self) -> None:
        #: every model of the stack uses the same activation and parameter here
        self.uniform = len({(a.name, p) for a, p in zip(self.acts, self.params, strict=True)}) == 1

    @property
    def mixed(self) -> bool:
        """Maxout and ordinary models side by side (the ordinary ones padded to ``width``)."""
        return self.k > 1 and not all(a.pieces for a in self.acts)

    def model_width(self, m: int) -> int:
        return self.width if self.acts[m].pieces else self.units

    def groups(self) -> list[tuple[int, int, Activation, float | None]]:
        """Runs of consecutive models with the same activation and parameter: (m0, m1, act, p)."""
        out: list[tuple[int, int, Activation, float | None]] = []
        for m, (act, p) in enumerate(zip(self.acts, self.params, strict=True)):
            if out and out[-1][2].name == act.name and out[-1][3] == p:
                out[-1] = (out[-1][0], m + 1, act, p)
            else:
                out.append((m, m + 1, act, p))
        return out


@dataclass
class Cache:
    """What a forward pass keeps for the backward pass (and for statistics)."""

    inputs: list[np.ndarray]  # augmented inputs of each layer (…, fan_in + 1)
    z: list[np.ndarray]  # pre-activations of every layer, output logits last
    a: list[np.ndarray]  # hidden outputs (M, n, units)


def _piece_major(units: int, k: int) -> np.ndarray:
    """Column c of the piece-major layout is column ``perm[c]`` of the unit-major one."""
    return (np.arange(units)[None, :] * k + np.arange(k)[:, None]).ravel()


class Stack:
    """M same-shaped MLPs in one parameter array (see module docstring)."""

    def __init__(self, layers: Sequence[Layer], n_out: int, M: int, loss: Loss,
                 n_in: int | None = None) -> None:
        """``n_in``: the input width; needed only without hidden layers (a linear model,
        logistic / softmax regression), else it must equal the first layer's fan-in."""
        self.layers = list(layers)
        if not self.layers and n_in is None:
            raise ValueError("a network without hidden layers needs n_in (its input width)")
        if self.layers and n_in is not None and n_in != self.layers[0].fan_in:
            raise ValueError(f"n_in = {n_in} but the first layer has fan-in "
                             f"{self.layers[0].fan_in}")
        self.n_out = n_out
        self.M = M
        self.loss = loss
        shapes: list[tuple[str, int, tuple[int, ...]]] = []
        fan_in = n_in
        for i, layer in enumerate(self.layers):
            shapes.append(("W", i, (layer.fan_in + 1, layer.width)))
            if layer.learned:
                shapes.append(("alpha", i, (1, layer.units)))
            fan_in = layer.units
        shapes.append(("W", len(self.layers), (fan_in + 1, n_out)))
        total = sum(int(np.prod(s)) for _, _, s in shapes)
        self.n_params = total
        self.P = np.zeros((M, total))
        self.G = np.zeros((M, total))
        self.weight_mask = np.zeros((1, total))  # 1 where L2 applies (weights, not biases)
        self.W: list[np.ndarray] = []
        self.GW: list[np.ndarray] = []
        self.alpha: list[np.ndarray | None] = [None] * len(self.layers)
        self.Galpha: list[np.ndarray | None] = [None] * len(self.layers)
        off = 0
        for kind, i, shape in shapes:
            size = int(np.prod(shape))
            view = self.P[:, off:off + size].reshape((M, *shape))
            gview = self.G[:, off:off + size].reshape((M, *shape))
            if kind == "W":
                self.W.append(view)
                self.GW.append(gview)
                self.weight_mask[0, off:off + size - shape[1]] = 1.0
            else:
                self.alpha[i] = view
                self.Galpha[i] = gview
            off += size
        #: per layer: internal (piece-major) column c holds public column perm[c]; None if k = 1
        self.perm: list[np.ndarray | None] = [
            _piece_major(layer.units, layer.k) if layer.k > 1 else None for layer in self.layers
        ] + [None]
        # W[l] without its bias row, transposed: the backward pass's δ·Wᵀ (views of P)
        self._WT = [W[:, :-1, :].transpose(0, 2, 1) for W in self.W]
        # augmented hidden outputs per batch size (M, n, units + 1), ones column preset
        self._bufs: dict[int, list[np.ndarray]] = {}
        self._fast: _FastPath | None = None

    def model_params(self, m: int) -> int:
        """Number of parameters of model m (a padded layer counts only its own columns)."""
        total = 0
        for layer in self.layers:
            total += (layer.fan_in + 1) * layer.model_width(m) + (layer.units if layer.learned
                                                                  else 0)
        return total + self.W[-1].shape[1] * self.n_out

    # ------------------------------------------------------------------ forward / backward
    def _buffers(self, n: int) -> list[np.ndarray]:
        """Reusable (M, n, units + 1) arrays whose last column is 1 (the bias input).

        A forward pass on n samples overwrites the previous one's hidden outputs of the same n:
        a ``Cache`` is valid until the next forward pass with as many samples.
        """
        bufs = self._bufs.get(n)
        if bufs is None:
            if len(self._bufs) > 8:
                self._bufs.clear()
            bufs = [np.ones((self.M, n, layer.units + 1)) for layer in self.layers]
            self._bufs[n] = bufs
        return bufs

    def _act(self, i: int, z: np.ndarray, act: Activation | None = None,
             p: float | None = None) -> np.ndarray:
        """f(z) for the whole layer (uniform) or, given ``act``/``p``, for one model's z."""
        layer = self.layers[i]
        if act is None and not layer.uniform and not layer.learned:
            return np.stack([self._act(i, z[m], a, q) for m, (a, q) in
                             enumerate(zip(layer.acts, layer.params, strict=True))])
        act = act or layer.acts[0]
        u = layer.units
        if act.pieces:  # piece-major: max over the k column blocks
            a = np.maximum(z[..., :u], z[..., u:2 * u])
            for j in range(2, layer.k):
                np.maximum(a, z[..., j * u:(j + 1) * u], out=a)
            return a
        z = z[..., :u]  # an ordinary model in a mixed layer uses piece 0
        if layer.learned:
            return np.where(z > 0, z, self.alpha[i] * z)
        return act.f(z, layer.params[0] if p is None and layer.uniform else p)

    def _dact(self, i: int, z: np.ndarray, a: np.ndarray, act: Activation | None = None,
              p: float | None = None) -> np.ndarray:
        """f'(z) w.r.t. the pre-activation, shaped like z (Maxout: the one-hot of the winning
        piece; an ordinary model in a mixed layer: f' on piece 0, zeros elsewhere)."""
        layer = self.layers[i]
        if act is None and not layer.uniform and not layer.learned:
            return np.stack([self._dact(i, z[m], a[m], ac, q) for m, (ac, q) in
                             enumerate(zip(layer.acts, layer.params, strict=True))])
        act = act or layer.acts[0]
        u = layer.units
        df = np.zeros_like(z)
        if act.pieces:  # the first piece equal to the max wins (ties: first, as argmax)
            free = np.ones(a.shape, dtype=bool)
            for j in range(layer.k):
                win = (z[..., j * u:(j + 1) * u] == a) & free
                df[..., j * u:(j + 1) * u] = win
                free &= ~win
            return df
        z0 = z[..., :u]
        if layer.learned:
            df[..., :u] = np.where(z0 > 0, 1.0, self.alpha[i])
        else:
            df[..., :u] = act.df(z0, a, layer.params[0] if p is None and layer.uniform else p)
        return df

    def forward(self, Xa: np.ndarray) -> Cache:
        """Forward pass. ``Xa``: inputs with a column of ones, (n, d + 1)."""
        inputs, zs, acts = [Xa], [], []
        h = Xa
        bufs = self._buffers(Xa.shape[0])
        for i, layer in enumerate(self.layers):
            z = np.matmul(h, self.W[i])
            h = bufs[i]
            a = h[..., :layer.units]
            if layer.uniform or layer.learned:
                a[...] = self._act(i, z)
            else:  # models differ in activation: each writes its own slice
                for m, (act, p) in enumerate(zip(layer.acts, layer.params, strict=True)):
                    a[m] = self._act(i, z[m], act, p)
            zs.append(z)
            acts.append(a)
            inputs.append(h)
        zs.append(np.matmul(h, self.W[-1]))
        return Cache(inputs, zs, acts)

    def logits(self, Xa: np.ndarray) -> np.ndarray:
        return self.forward(Xa).z[-1]

    def backward(self, cache: Cache, y: np.ndarray, l2: float = 0.0,
                 keep: bool = False) -> tuple[list[np.ndarray], list[np.ndarray]] | None:
        """Gradient of the mean loss (+ λ/2‖W‖²) into ``self.G``.

        With ``keep`` returns (f'(z) per hidden layer, δ = ∂L/∂z per layer incl. output).
        Dropout-free; the Maxout gradient reaches only the winning piece.
        """
        n = y.shape[0]
        dz = self.loss.grad(cache.z[-1], y)
        dz *= 1.0 / n
        L = len(self.layers)
        xL = cache.inputs[L]  # (the shared 2-D inputs when there is no hidden layer)
        np.matmul(xL.transpose(0, 2, 1) if xL.ndim == 3 else xL.T, dz, out=self.GW[L])
        dfs: list[np.ndarray] = [None] * L  # type: ignore[list-item]
        deltas: list[np.ndarray] = [None] * (L + 1)  # type: ignore[list-item]
        deltas[L] = dz
        for i in range(L - 1, -1, -1):
            da = np.matmul(dz, self._WT[i + 1])
            layer = self.layers[i]
            z, a = cache.z[i], cache.a[i]
            df = self._dact(i, z, a)
            # δ = f'(z)·∂L/∂a, every piece of a unit seeing its unit's ∂L/∂a
            dz = df * (np.tile(da, (1,) * (da.ndim - 1) + (layer.k,)) if layer.k > 1 else da)
            if layer.learned:
                self.Galpha[i][...] = (da * np.minimum(z, 0.0)).sum(axis=-2, keepdims=True)
            x = cache.inputs[i]
            np.matmul(x.transpose(0, 2, 1) if x.ndim == 3 else x.T, dz, out=self.GW[i])
            if keep:
                dfs[i] = df
                deltas[i] = dz
        if l2:
            self.G += l2 * self.P * self.weight_mask
        return (dfs, deltas) if keep else None

    def loss_value(self, z_out: np.ndarray, y: np.ndarray, l2: float = 0.0) -> np.ndarray:
        """Mean loss per model (M,), with the L2 term if ``l2``."""
        value = self.loss.value(z_out, y)
        if l2:
            value = value + 0.5 * l2 * ((self.P * self.weight_mask) ** 2).sum(axis=1)
        return value

    # ------------------------------------------------------------------ hot path
    def fast(self) -> _FastPath:
        if self._fast is None:
            self._fast = _FastPath(self)
        return self._fast

    def forward_fast(self, XT: np.ndarray) -> np.ndarray:
        """Output logits ``(M, n_out, n)`` for feature-major inputs ``XT`` ``(d + 1, n)`` whose
        last row is ones. The result is a buffer overwritten by the next call with this n."""
        return self.fast().forward(XT)

    def train_epoch(self, XT: np.ndarray, y: np.ndarray, batch: int,
                    step: Callable[..., None], state: dict, lr: np.ndarray, momentum: float,
                    l2: float = 0.0) -> None:
        """One pass over ``XT`` (``(d + 1, n)``, already in batch order) in batches of ``batch``
        samples; after each batch ``step(P, G, state, lr, momentum)`` updates ``P``."""
        self.fast().train_epoch(XT, y, batch, step, state, lr, momentum, l2)

    # ------------------------------------------------------------------ weights
    def _cols(self, i: int, m: int) -> np.ndarray | slice:
        """Internal columns of model m's layer i, in public order (a slice if unpermuted)."""
        if i < len(self.layers):
            layer = self.layers[i]
            if layer.acts[m].pieces:
                return np.argsort(self.perm[i])
            return slice(0, layer.units)
        return slice(None)

    def set_layer(self, m: int, i: int, W: np.ndarray | None = None,
                  b: np.ndarray | float | None = None) -> None:
        """Set model m's layer i weights ``W`` (fan_in, width) and/or bias ``b`` (width,) or
        scalar, given in the public (unit-major) layout."""
        target = self.W[i][m]
        cols = self._cols(i, m)
        if W is not None:
            target[:-1, cols] = W
        if b is not None:
            target[-1, cols] = b

    def public(self, i: int, A: np.ndarray, m: int = 0) -> np.ndarray:
        """Model m's columns of a layer-i array (width on the last axis), in public order."""
        return A[..., self._cols(i, m)].copy()

    def set_weights(self, m: int, weights: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        """Set model m's weights from (W, b) pairs, W of shape (fan_in, width)."""
        if len(weights) != len(self.W):
            raise ValueError(f"weights: expected {len(self.W)} (W, b) pairs, got {len(weights)}")
        for i, (W, b) in enumerate(weights):
            rows = self.W[i].shape[1] - 1
            width = self.layers[i].model_width(m) if i < len(self.layers) else self.n_out
            W = np.asarray(W, dtype=np.float64)
            b = np.asarray(b, dtype=np.float64).reshape(-1)
            if W.shape != (rows, width) or b.shape != (width,):
                raise ValueError(f"weights: layer {i + 1} needs W {rows}x{width} and b of "
                                 f"{width}, got {W.shape} and {b.shape}")
            self.set_layer(m, i, W, b)

    def get_weights(self, m: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(self.public(i, W[m, :-1], m), self.public(i, W[m, -1], m))
                for i, W in enumerate(self.W)]


# ---------------------------------------------------------------------- the hot path
#
# Feature-major buffers: a layer's pre-activations are (…, width, n), its augmented output
# (…, units + 1, n) with a last row of ones, so every activation reads and writes contiguous
# blocks and a Maxout piece is a block of rows. "…" is nothing for M = 1 (2-D matmuls) and M
# otherwise. A layer is one or more *parts* (runs of models with the same activation); each
# part has a forward kernel f(z, a) writing f(z) into a, and a backward kernel
# b(da, z, a, t, mk, out) writing δ = f'(z)·∂L/∂a into out (which may be da itself), with
# scratch t (float) and mk (bool). Views for every part are cut once per batch size.

Fwd = Callable[[np.ndarray, np.ndarray], object]
Bwd = Callable[..., object]


def _fwd_kernel(act: Activation, p: float | None) -> tuple[Callable[..., object], tuple]:
    """(kernel, extra args): the registry's own f called as f(z, p, out) where it takes an
    ``out`` (no wrapper in between), else a wrapper f(z, a) that copies f(z, p) into a."""
    name = act.name
    f = act.f
    if name in ("sigmoid", "tanh", "relu", "identity") or (
            name == "leaky_relu" and p is not None and 0.0 <= p <= 1.0):
        return f, (p,)

    def generic(z: np.ndarray, a: np.ndarray) -> None:
        a[...] = f(z, p)

    return generic, ()


def _sigmoid_bwd(da, z, a, t, mk, out):
    np.subtract(1.0, a, out=t)
    np.multiply(a, t, out=t)
    np.multiply(da, t, out=out)


def _tanh_bwd(da, z, a, t, mk, out):
    np.multiply(a, a, out=t)
    np.subtract(1.0, t, out=t)
    np.multiply(da, t, out=out)


def _relu_bwd(da, z, a, t, mk, out):
    np.sign(a, out=t)  # [z > 0] from a = max(z, 0), as float (a bool factor is slower)
    np.multiply(da, t, out=out)


def _identity_bwd(da, z, a, t, mk, out):
    if out is not da:
        np.copyto(out, da)


def _bwd_kernel(act: Activation, p: float | None) -> Bwd:
    name = act.name
    if name == "sigmoid":
        return _sigmoid_bwd
    if name == "tanh":
        return _tanh_bwd
    if name == "relu":
        return _relu_bwd
    if name == "identity":
        return _identity_bwd
    if name == "leaky_relu" and p is not None:
        if 0.0 <= p <= 1.0:
            return _slopes_kernels(p)[1]

        def leaky(da, z, a, t, mk, out):
            np.multiply(da, np.where(z > 0, 1.0, p), out=out)

        return leaky
    df = act.df

    def generic(da, z, a, t, mk, out):
        np.multiply(da, df(z, a, p), out=out)

    return generic


def _prelu_kernels(alphaT: np.ndarray, galphaT: np.ndarray) -> tuple[Fwd, Bwd]:
    """PReLU with learned slopes ``alphaT`` (…, units, 1) (views of P; any sign)."""
    def fwd(z, a):
        np.copyto(a, np.where(z > 0, z, alphaT * z))

    def bwd(da, z, a, t, mk, out):
        np.minimum(z, 0.0, out=t)
        np.multiply(t, da, out=t)
        np.sum(t, axis=-1, keepdims=True, out=galphaT)
        np.multiply(da, np.where(z > 0, 1.0, alphaT), out=out)

    return fwd, bwd


def _maxout_kernels(u: int, k: int) -> tuple[Fwd, Bwd]:
    """Maxout on piece-major z (…, k·u, n); δ (…, k·u, n): the first piece equal to the max
    takes all of ∂L/∂a (da is used as scratch). Called with the k pieces of z and of δ
    (views cut once, see ``_FastPath.buffers``)."""
    def fwd(zs, a):
        np.maximum(zs[0], zs[1], out=a)
        for zj in zs[2:]:
            np.maximum(a, zj, out=a)

    def bwd(da, zs, a, mk, outs):
        for j in range(k - 1):
            np.equal(zs[j], a, out=mk)
            np.multiply(da, mk, out=outs[j])
            # what the later pieces can still get; the last piece gets the rest
            np.subtract(da, outs[j], out=da if j < k - 2 else outs[k - 1])

    return fwd, bwd


def _slopes_kernels(s: float) -> tuple[Fwd, Bwd]:
    """Leaky ReLU max(z, s·z) for a slope ``s`` in [0, 1]; its f' is 1 (z > 0) else s,
    computed as max(sign z, s): the numbers of where(z > 0, 1, s) for every non-NaN z."""
    def fwd(z, a):
        np.multiply(z, s, out=a)
        np.maximum(z, a, out=a)

    def bwd(da, z, a, t, mk, out):
        np.sign(z, out=t)
        np.maximum(t, s, out=t)
        np.multiply(da, t, out=out)

    return fwd, bwd


#: batches up to this size multiply a mixed layer in one padded product (call overhead
#: dominates); larger ones (evaluation, grid, full gradient) part by part, skipping the padding
SMALL_BATCH = 64


class _FastPath:
    """Precomputed kernels, views and per-batch-size buffers of the training hot path."""

    def __init__(self, st: Stack) -> None:
        self.st = weakref.proxy(st)  # no reference cycle: a finished run is freed at once
        M = st.M
        self.sq = sq = M == 1

        def T(A: np.ndarray) -> np.ndarray:  # (M, r, c) -> (…, c, r)
            return A[0].T if sq else A.transpose(0, 2, 1)

        self.WT = [T(W) for W in st.W]  # (…, width, fan_in + 1): z = WT @ h
        self.Wn = [W[0, :-1] if sq else W[:, :-1] for W in st.W]  # (…, fan_in, width)
        self.GW = [G[0] if sq else G for G in st.GW]  # (…, fan_in + 1, width)
        self.lead = () if sq else (M,)
        #: per hidden layer, its activation parts: [(m0, m1, pieces, fwd, bwd)] (m0 = None:
        #: the whole stack) and its matmul parts [(m0, m1, width)]: a mixed layer multiplies
        #: its ordinary models on their own columns only (no work on the zero padding)
        self.parts: list[list[tuple]] = []
        self.mm_parts: list[list[tuple]] = []
        for i, layer in enumerate(st.layers):
            if layer.learned:
                whole = [(None, None, False,
                          *_prelu_kernels(T(st.alpha[i]), T(st.Galpha[i])), ())]
            else:
                whole = None
            parts = []
            for m0, m1, act, p in layer.groups():
                if act.pieces:
                    kern = (*_maxout_kernels(layer.units, layer.k), ())
                else:
                    f, extra = _fwd_kernel(act, p)
                    kern = (f, _bwd_kernel(act, p), extra)
                parts.append((m0, m1, act.pieces, *kern))
            if whole is None and (sq or len(parts) == 1):
                whole = [(None, None, *parts[0][2:])]
            self.parts.append(whole or parts)
            mm = [(None, None, layer.width)]
            if layer.mixed and not sq:
                mm = []
                for m0, m1, pieces, *_rest in parts:
                    width = layer.width if pieces else layer.units
                    if mm and mm[-1][2] == width:
                        mm[-1] = (mm[-1][0], m1, width)
                    else:
                        mm.append((m0, m1, width))
            self.mm_parts.append(mm)
        self.mm_parts.append([(None, None, st.n_out)])
        self.binary = st.n_out == 1
        self._bufs: dict[int, tuple] = {}

    def buffers(self, n: int) -> tuple:
        """For n samples: (hidden, output z, output δ, forward matmuls, backward matmuls);
        hidden[i] = (z, h, a, da, t, mk, δ, activation calls, derivative calls), every call's
        argument views cut once."""
        bufs = self._bufs.get(n)
        if bufs is not None:
            return bufs
        if len(self._bufs) > 8:
            self._bufs.clear()
        lead = self.lead
        hidden = []
        for layer, parts in zip(self.st.layers, self.parts, strict=True):
            u = layer.units
            z = np.zeros((*lead, layer.width, n))
            h = np.ones((*lead, u + 1, n))
            a = h[..., :u, :]
            da = np.zeros((*lead, u, n))
            t = np.zeros((*lead, u, n))
            mk = np.zeros((*lead, u, n), dtype=bool)
            dz = np.zeros((*lead, layer.width, n)) if layer.k > 1 else da
            fwd_calls, bwd_calls = [], []
            for m0, m1, pieces, f, b, extra in parts:
                def cut(A, m0=m0, m1=m1):
                    return A if m0 is None else A[m0:m1]
                ap, dap = cut(a), cut(da)
                if pieces:  # Maxout: the k pieces of z and of δ
                    zs = tuple(cut(z)[..., j * u:(j + 1) * u, :] for j in range(layer.k))
                    outs = tuple(cut(dz)[..., j * u:(j + 1) * u, :] for j in range(layer.k))
                    fwd_calls.append((f, (zs, ap)))
                    bwd_calls.append((b, (dap, zs, ap, cut(mk), outs)))
                    continue
                if layer.k == 1:  # δ in place
                    zp, out = cut(z), dap
                else:  # an ordinary model in a mixed layer: piece 0 only
                    zp, out = cut(z)[..., :u, :], cut(dz)[..., :u, :]
                fwd_calls.append((f, (zp, *extra, ap)))
                bwd_calls.append((b, (dap, zp, ap, cut(t), cut(mk), out)))
            hidden.append((z, h, a, da, t, mk, dz, fwd_calls, bwd_calls))
        zo = np.zeros((*lead, self.st.n_out, n))
        g = np.zeros_like(zo)
        # per weight layer j: [(WT, h_in, z)] and [(h_in, δᵀ, GW, f, Wn, δ, ∂L/∂h_in)] with
        # ∂L/∂h_in = f(Wn, δ): matmul, or multiply for one output (an outer product: exact)
        fmm, bmm = [], []
        for j, parts in enumerate(self.mm_parts):
            z, dz = (hidden[j][0], hidden[j][6]) if j < len(hidden) else (zo, g)
            h_in = hidden[j - 1][1] if j else None  # None: the batch's inputs, shared
            da_in = hidden[j - 1][3] if j else None
            if n <= SMALL_BATCH:  # few samples: one padded product beats one per part
                parts = [(None, None, self.WT[j].shape[-2])]
            da_fn = np.multiply if self.WT[j].shape[-2] == 1 else np.matmul
            fj, bj = [], []
            for m0, m1, w in parts:
                def cut(A, m0=m0, m1=m1):
                    return A if (m0 is None or A is None) else A[m0:m1]
                dzp = cut(dz)[..., :w, :]
                fj.append((cut(self.WT[j])[..., :w, :], cut(h_in), cut(z)[..., :w, :]))
                bj.append((cut(h_in), dzp.swapaxes(-1, -2), cut(self.GW[j])[..., :w], da_fn,
                           cut(self.Wn[j])[..., :w], dzp, cut(da_in)))
            fmm.append(fj)
            bmm.append(bj)
        bufs = (hidden, zo, g, fmm, bmm)
        self._bufs[n] = bufs
        return bufs

    def _forward(self, x: np.ndarray, bufs: tuple) -> None:
        hidden, _, _, fmm, _ = bufs
        matmul = np.matmul
        for j, layer in enumerate(hidden):
            for WT, h, z in fmm[j]:
                matmul(WT, x if h is None else h, out=z)
            for f, args in layer[7]:
                f(*args)
        for WT, h, z in fmm[-1]:
            matmul(WT, x if h is None else h, out=z)

    def forward(self, XT: np.ndarray) -> np.ndarray:
        bufs = self.buffers(XT.shape[1])
        self._forward(XT, bufs)
        zo = bufs[1]
        return zo[None] if self.sq else zo

    def _targets(self, y: np.ndarray) -> np.ndarray:
        """What the loss gradient subtracts, sample-major: ½ − y (binary) or one-hot (K, n)."""
        if self.binary:
            return 0.5 - y  # σ(z) − y = ½tanh(z/2) + (½ − y), as the loss's grad
        onehot = np.zeros((self.st.n_out, y.shape[0]))
        onehot[y, np.arange(y.shape[0])] = 1.0
        return onehot

    def _gradient(self, x: np.ndarray, tgt: np.ndarray, bufs: tuple) -> None:
        """Forward and backward on one batch ``x`` (d + 1, nb): mean-loss gradient into G
        (without L2); leaves z, a and δ = ∂L/∂z of every layer in ``bufs``."""
        hidden, zo, g, _, bmm = bufs
        matmul = np.matmul
        self._forward(x, bufs)
        if self.binary:  # the loss's grad, same operations, then the 1/n
            np.multiply(zo, 0.5, out=g)
            np.tanh(g, out=g)
            g *= 0.5
            g += tgt
        else:
            _softmax_grad_T(zo, tgt, g)
        g *= 1.0 / x.shape[1]
        for j in range(len(hidden), 0, -1):
            for h, dzT, GW, f, Wn, dz, da in bmm[j]:
                matmul(h, dzT, out=GW)
                f(Wn, dz, out=da)
            for b, args in hidden[j - 1][8]:
                b(*args)
        for _, dzT, GW, *_rest in bmm[0]:
            matmul(x, dzT, out=GW)

    def full_gradient(self, XT: np.ndarray, y: np.ndarray, l2: float = 0.0) -> tuple:
        """Gradient on all of ``XT`` as one batch (+ L2) into G; returns ``buffers(n)`` (z, h,
        a and δ of every layer, feature-major)."""
        bufs = self.buffers(XT.shape[1])
        self._gradient(XT, self._targets(y), bufs)
        if l2:
            self.st.G += l2 * self.st.P * self.st.weight_mask
        return bufs

    def train_epoch(self, XT, y, B, step, state, lr, momentum, l2) -> None:
        st = self.st
        n = XT.shape[1]
        P, G = st.P, st.G
        tgt = self._targets(y)
        if l2:
            l2mask = l2 * st.weight_mask
            tmpP = np.empty_like(P)
        gradient, buffers = self._gradient, self.buffers
        for s in range(0, n, B):
            e = min(n, s + B)
            gradient(XT[:, s:e], tgt[..., s:e], buffers(e - s))
            if l2:  # l2·P·mask, as the general backward
                np.multiply(P, l2mask, out=tmpP)
                G += tmpP
            step(P, G, state, lr, momentum)


def _softmax_grad_T(z: np.ndarray, onehot: np.ndarray, out: np.ndarray) -> None:
    """softmax(z) − onehot over the class axis (-2) of feature-major logits (…, K, n)."""
    s = z - z.max(axis=-2, keepdims=True)
    s -= np.log(np.exp(s).sum(axis=-2, keepdims=True))
    np.exp(s, out=out)
    out -= onehot


def augment(X: np.ndarray) -> np.ndarray:
    """(n, d) -> (n, d + 1) with a trailing column of ones."""
    out = np.ones((X.shape[0], X.shape[1] + 1))
    out[:, :-1] = X
    return out


class MLP:
    """One network, for notebooks and tests.

    >>> net = MLP.from_weights([(W1, b1), (W2, b2)], activation="tanh", n_classes=2)
    >>> loss, grads = net.loss_and_grads(X, y)     # grads: [(dW1, db1), (dW2, db2)]
    >>> net.step(X, y, optimizer="sgd", lr=0.1)    # one update on this batch

    ``sizes`` = (inputs, hidden widths...); ``MLP([d])`` or ``MLP.from_weights([(W, b)])`` is
    a linear model (logistic regression for 2 classes, softmax regression for more).
    """

    def __init__(self, sizes: Sequence[int], activation: str | Sequence[str] = "relu",
                 n_classes: int = 2, param: float | None = None, maxout_k: int = 2,
                 l2: float = 0.0) -> None:
        acts = [activation] * (len(sizes) - 1) if isinstance(activation, str) else list(activation)
        layers = []
        for i, name in enumerate(acts):
            act = ACTIVATIONS[name]
            p = (param if param is not None else act.param.default) if (
                act.param is not None and not act.pieces) else None
            layers.append(Layer(sizes[i], sizes[i + 1], maxout_k if act.pieces else 1,
                                act.learned, [act], [p]))
        loss = loss_for(n_classes)
        self.stack = Stack(layers, loss.n_outputs(n_classes), 1, loss, n_in=int(sizes[0]))
        for i, layer in enumerate(layers):
            if layer.learned:
                self.stack.alpha[i][...] = PRELU_INIT
        self.l2 = l2
        self._opt_state: dict | None = None
        self._opt_name: str | None = None

    @classmethod
    def from_weights(cls, weights: Sequence[tuple[np.ndarray, np.ndarray]],
                     activation: str | Sequence[str] = "relu", n_classes: int = 2,
                     **kwargs) -> MLP:
        acts = [activation] * (len(weights) - 1) if isinstance(activation, str) else activation
        k = kwargs.get("maxout_k", 2)
        sizes = [np.shape(weights[0][0])[0]]
        for (W, _), name in zip(weights[:-1], acts, strict=True):
            sizes.append(np.shape(W)[1] // (k if ACTIVATIONS[name].pieces else 1))
        net = cls(sizes, activation, n_classes, **kwargs)
        net.stack.set_weights(0, weights)
        return net

    def weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return self.stack.get_weights(0)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.stack.loss.proba(self.stack.logits(augment(X)))[0]

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray,
                       ) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
        """Mean loss (with L2) and the per-layer gradients (dW, db) on this batch."""
        y = np.asarray(y, dtype=np.int64)
        st = self.stack
        cache = st.forward(augment(np.asarray(X, dtype=np.float64)))
        st.backward(cache, y, self.l2)
        loss = float(st.loss_value(cache.z[-1], y, self.l2)[0])
        return loss, [(st.public(i, g[0, :-1]), st.public(i, g[0, -1]))
                      for i, g in enumerate(st.GW)]

    def step(self, X: np.ndarray, y: np.ndarray, optimizer: str = "sgd", lr: float = 0.1,
             momentum: float = 0.9) -> float:
        """One optimiser update on (X, y); returns the loss before the update."""
        opt = OPTIMISERS[optimizer]
        if self._opt_name != optimizer:
            self._opt_state, self._opt_name = opt.init(self.stack.P), optimizer
        loss, _ = self.loss_and_grads(X, y)
        opt.step(self.stack.P, self.stack.G, self._opt_state, np.full((1, 1), lr), momentum)
        return loss
