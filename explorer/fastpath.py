r"""The training hot path of a ``network.Stack``: one forward / backward on feature-major
buffers, used for training (``train_epoch``), the per-epoch history and unit states
(``forward``), the checkpoint statistics (``gradient_after_forward``: the backward pass alone,
on views of the history's forward buffers; ``full_gradient`` elsewhere), ``network.MLP`` and so
the network view.

Feature-major buffers: a layer's pre-activations are (…, width, n), its augmented output
(…, units + 1, n) with a last row of ones, so every activation reads and writes contiguous
blocks and a Maxout piece is a block of rows. "…" is nothing for M = 1 (2-D matmuls) and M
otherwise. A layer is one or more *parts* (runs of models with the same activation); each
part has a forward kernel f(z, a) writing f(z) into a, and a backward kernel
b(da, z, a, t, mk, out) writing δ = f'(z)·∂L/∂a into out (which may be da itself), with
scratch t (float) and mk (bool). Views for every part are cut once per batch size.

Training (``train_epoch``) runs an *epoch plan* (``epoch_plan``): each batch's forward and
backward as one flat list of (function, args) calls on views cut once per shape (the epoch's
inputs are copied into the plan's arrays), kernels expanded to the ufunc calls they make
(``kernels.expand``): per batch, the numpy calls and next to no Python.

Every kernel comes from the activation registry (``Activation.forward_kernel`` /
``backward_kernel``, see ``explorer.kernels``): there is no activation name in this module.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from .kernels import expand, maxout_kernels, prelu_kernels

#: a ``network.Stack`` / ``network.Layer`` (not imported: ``network`` imports this module)
Stack = Layer = Any

#: batches up to this size multiply a mixed layer in one padded product (call overhead
#: dominates); larger ones (evaluation, grid, full gradient) part by part, skipping the padding
SMALL_BATCH = 64


class LayerBuffers(NamedTuple):
    """One hidden layer's feature-major arrays for a batch size, and its kernel calls."""

    z: np.ndarray  # pre-activations (…, width, n)
    h: np.ndarray  # augmented output (…, units + 1, n), last row ones
    a: np.ndarray  # the output: h without its ones row (…, units, n)
    da: np.ndarray  # ∂L/∂a (…, units, n)
    t: np.ndarray  # float scratch (…, units, n)
    mk: np.ndarray  # bool scratch (…, units, n)
    dz: np.ndarray  # δ = ∂L/∂z (…, width, n) (``da`` itself when k = 1)
    fwd_calls: list[tuple]  # (function, args) per part, views cut once (``kernels.expand``)
    bwd_calls: list[tuple]


class Buffers(NamedTuple):
    """Everything a forward / backward pass on n samples writes."""

    hidden: list[LayerBuffers]
    zo: np.ndarray  # output logits (…, n_out, n)
    g: np.ndarray  # output δ (…, n_out, n)
    fmm: list[list[tuple]]  # per weight layer: (WT, h_in, z) products
    bmm: list[list[tuple]]  # per weight layer: (h_in, δᵀ, GW, f, Wn, δ, ∂L/∂h_in)


def layer_parts(st: Stack, i: int, T: Callable[[np.ndarray], np.ndarray],
                ) -> tuple[list[tuple], list[tuple]]:
    """Hidden layer i's activation parts [(m0, m1, pieces, fwd, bwd, args)] (kernels from the
    registry: ``Activation.forward_kernel`` / ``backward_kernel``; PReLU's learned slopes and
    Maxout's pieces from the layer's shape) and matmul parts [(m0, m1, width)]: a mixed
    layer multiplies its ordinary models on their own columns only (no work on the zero
    padding). ``T`` turns (M, r, c) parameter views into the path's (…, c, r)."""
    layer, sq = st.layers[i], st.M == 1
    if layer.learned:
        whole = [(None, None, False, *prelu_kernels(T(st.alpha[i]), T(st.Galpha[i])), ())]
    else:
        whole = None
    parts = []
    for m0, m1, act, p in layer.groups():
        if act.pieces:
            kern = (*maxout_kernels(layer.units, layer.k), ())
        else:
            f, extra = act.forward_kernel(p)
            kern = (f, act.backward_kernel(p), extra)
        parts.append((m0, m1, act.pieces, *kern))
    if whole is None and (sq or len(parts) == 1):
        whole = [(None, None, *parts[0][2:])]
    mm = [(None, None, layer.width)]
    if layer.mixed and not sq:
        mm = []
        for m0, m1, pieces, *_rest in parts:
            width = layer.width if pieces else layer.units
            if mm and mm[-1][2] == width:
                mm[-1] = (mm[-1][0], m1, width)
            else:
                mm.append((m0, m1, width))
    return whole or parts, mm


def layer_buffers(layer: Layer, parts: list[tuple], lead: tuple[int, ...], n: int,
                  arrays: LayerBuffers | None = None) -> LayerBuffers:
    """A hidden layer's arrays for n samples and its kernel calls, argument views cut once;
    with ``arrays`` (another batch size's buffers), views of their first n samples instead of
    new arrays."""
    u = layer.units
    if arrays is not None:
        z, h, _, da, t, mk, dz = (A[..., :n] for A in arrays[:7])
    else:
        z = np.zeros((*lead, layer.width, n))
        h = np.ones((*lead, u + 1, n))
        da = np.zeros((*lead, u, n))
        t = np.zeros((*lead, u, n))
        mk = np.zeros((*lead, u, n), dtype=bool)
        dz = np.zeros((*lead, layer.width, n)) if layer.k > 1 else da
    a = h[..., :u, :]
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
        tp, mkp = cut(t), cut(mk)
        fwd_calls += expand(f, (zp, *extra, ap), (tp, mkp))
        bwd_calls += expand(b, (dap, zp, ap, tp, mkp, out))
    return LayerBuffers(z, h, a, da, t, mk, dz, fwd_calls, bwd_calls)


class EpochPlan(NamedTuple):
    """An epoch's arrays and calls (``FastPath.epoch_plan``)."""

    XT: np.ndarray  # the epoch's inputs in batch order (d + 1, n), copied in each epoch
    tgt: np.ndarray  # their targets (``_targets``)
    tgt_scaled: np.ndarray | None  # binary, batches of B = 2^k: the targets times 1/B
    steps: list[list[tuple]]  # per batch: its forward and backward (function, args) calls


class _Prefix(NamedTuple):
    owner: Buffers  # the buffers the views are cut from (a cleared cache rebuilds them)
    views: Buffers


class FastPath:
    """Precomputed kernels, views and per-batch-size buffers of the training hot path.

    ``batches`` counts the training batches it has run (tests check that a run went through
    it, by counting, never timing)."""

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
        #: per hidden layer, its activation parts [(m0, m1, pieces, fwd, bwd, args)] (m0 =
        #: None: the whole stack) and its matmul parts [(m0, m1, width)] (``layer_parts``)
        self.parts: list[list[tuple]] = []
        self.mm_parts: list[list[tuple]] = []
        for i in range(len(st.layers)):
            parts, mm = layer_parts(st, i, T)
            self.parts.append(parts)
            self.mm_parts.append(mm)
        self.mm_parts.append([(None, None, st.n_out)])
        self.binary = st.n_out == 1
        self._bufs: dict[int, Buffers] = {}
        self._prefix: dict[tuple[int, int], _Prefix] = {}
        self.plans: dict[tuple, EpochPlan] = {}  # (``epoch_plan``)
        self.batches = 0

    def buffers(self, n: int) -> Buffers:
        """The arrays and kernel calls for n samples, every call's argument views cut once."""
        bufs = self._bufs.get(n)
        if bufs is not None:
            return bufs
        if len(self._bufs) > 8:
            self._bufs.clear()
        hidden = [layer_buffers(layer, parts, self.lead, n)
                  for layer, parts in zip(self.st.layers, self.parts, strict=True)]
        zo = np.zeros((*self.lead, self.st.n_out, n))
        bufs = products(self, hidden, zo, np.zeros_like(zo), n)
        self._bufs[n] = bufs
        return bufs

    def prefix(self, n_all: int, n: int) -> Buffers:
        """``buffers(n)`` as views of the first n samples of ``buffers(n_all)``: a backward
        pass on them reuses the forward values a pass over n_all samples (the n first) left
        there (the checkpoint's full-set gradient after the history's forward pass)."""
        key = (n_all, n)
        bufs = self._prefix.get(key)
        if bufs is not None and self._bufs.get(n_all) is bufs.owner:
            return bufs.views
        whole = self.buffers(n_all)
        hidden = [layer_buffers(layer, parts, self.lead, n, lb)
                  for layer, parts, lb in zip(self.st.layers, self.parts, whole.hidden,
                                              strict=True)]
        views = products(self, hidden, whole.zo[..., :n], whole.g[..., :n], n)
        self._prefix = {key: _Prefix(whole, views)}
        return views

    def _forward(self, x: np.ndarray, bufs: Buffers) -> None:
        for f, args in forward_calls(x, bufs):
            f(*args)

    def forward(self, XT: np.ndarray) -> np.ndarray:
        bufs = self.buffers(XT.shape[1])
        self._forward(XT, bufs)
        zo = bufs.zo
        return zo[None] if self.sq else zo

    def _targets(self, y: np.ndarray) -> np.ndarray:
        """What the loss gradient subtracts, sample-major: ½ − y (binary) or one-hot (K, n)."""
        if self.binary:
            return 0.5 - y  # σ(z) − y = ½tanh(z/2) + (½ − y), as the loss's grad
        onehot = np.zeros((self.st.n_out, y.shape[0]))
        onehot[y, np.arange(y.shape[0])] = 1.0
        return onehot

    def _gradient(self, x: np.ndarray, tgt: np.ndarray, bufs: Buffers) -> None:
        """Forward and backward on one batch ``x`` (d + 1, nb): mean-loss gradient into G
        (without L2); leaves z, a and δ = ∂L/∂z of every layer in ``bufs``."""
        self._forward(x, bufs)
        self._backward(x, tgt, bufs)

    def _backward(self, x: np.ndarray, tgt: np.ndarray, bufs: Buffers) -> None:
        """The backward half of ``_gradient``, from the forward values in ``bufs``."""
        for f, args in backward_calls(self.binary, x, tgt, bufs):
            f(*args)

    def full_gradient(self, XT: np.ndarray, y: np.ndarray, l2: float = 0.0) -> Buffers:
        """Gradient on all of ``XT`` as one batch (+ L2) into G; returns ``buffers(n)`` (z, h,
        a and δ of every layer, feature-major)."""
        bufs = self.buffers(XT.shape[1])
        self._gradient(XT, self._targets(y), bufs)
        if l2:
            self.st.G += l2 * self.st.P * self.st.weight_mask
        return bufs

    def gradient_after_forward(self, XT: np.ndarray, y: np.ndarray, n_all: int,
                               l2: float = 0.0) -> Buffers:
        """``full_gradient(XT, y, l2)`` right after ``forward`` on n_all samples whose first
        ones are ``XT``, at the same parameters: only the backward pass, on views of that
        forward's buffers (``prefix``); the same products on the same values."""
        bufs = self.prefix(n_all, XT.shape[1])
        self._backward(XT, self._targets(y), bufs)
        if l2:
            self.st.G += l2 * self.st.P * self.st.weight_mask
        return bufs

    def train_epoch(self, XT, y, B, step, state, lr, momentum, l2) -> None:
        st = self.st
        n = XT.shape[1]
        P, G = st.P, st.G
        tgt = self._targets(y)
        plan = epoch_plan(self, XT, tgt, B)
        np.copyto(plan.XT, XT)
        np.copyto(plan.tgt, tgt)
        if plan.tgt_scaled is not None:
            np.multiply(tgt, 1.0 / B, out=plan.tgt_scaled)
        if l2:
            l2mask = l2 * st.weight_mask
            tmpP = np.empty_like(P)
        self.batches += -(-n // B)
        for calls in plan.steps:
            for f, args in calls:  # forward and backward: the mean-loss gradient into G
                f(*args)
            if l2:  # l2·P·mask, as the general backward
                np.multiply(P, l2mask, out=tmpP)
                np.add(G, tmpP, out=G)
            step(P, G, state, lr, momentum)


def forward_calls(x: np.ndarray, bufs: Buffers) -> list[tuple]:
    """The forward pass on the batch ``x`` (d + 1, nb) as (function, args) calls in order:
    the matrix products (out = the last argument) and the activations' kernels."""
    hidden, _, _, fmm, _ = bufs
    calls: list[tuple] = []
    for j, layer in enumerate(hidden):
        calls += [product(WT, x if h is None else h, z) for WT, h, z in fmm[j]]
        calls += layer.fwd_calls
    calls += [product(WT, x if h is None else h, z) for WT, h, z in fmm[-1]]
    return calls


def backward_calls(binary: bool, x: np.ndarray, tgt: np.ndarray, bufs: Buffers,
                   tgt_scaled: np.ndarray | None = None) -> list[tuple]:
    """The backward half of a gradient (from the forward values in ``bufs``) as calls:
    the loss's gradient, then per layer the weight gradient, ∂L/∂h and the kernel's δ.

    ``tgt_scaled``: the binary targets already times 1/n, for a batch of n = 2^k samples:
    (½t + c)·2^-k is then t·(½·2^-k) + c·2^-k, the same number (a power-of-two factor
    commutes with rounding; c = ½ − y is a half-integer, so a t small enough to lose
    digits in t·2^-k is absorbed by c in both forms) in one call less."""
    hidden, zo, g, _, bmm = bufs
    multiply = np.multiply
    if binary and tgt_scaled is not None:
        calls = [(multiply, (zo, 0.5, g)), (np.tanh, (g, g)),
                 (multiply, (g, 0.5 / x.shape[1], g)), (np.add, (g, tgt_scaled, g))]
    elif binary:  # the loss's grad, same operations, then the 1/n
        calls = [(multiply, (zo, 0.5, g)), (np.tanh, (g, g)), (multiply, (g, 0.5, g)),
                 (np.add, (g, tgt, g)), (multiply, (g, 1.0 / x.shape[1], g))]
    else:
        calls = [(_softmax_grad_T, (zo, tgt, g)), (multiply, (g, 1.0 / x.shape[1], g))]
    for j in range(len(hidden), 0, -1):
        for h, dzT, GW, f, Wn, dz, da in bmm[j]:
            calls += [product(h, dzT, GW),
                      product(Wn, dz, da) if f is np.matmul else (f, (Wn, dz, da))]
        calls += hidden[j - 1].bwd_calls
    calls += [product(x, dzT, GW) for _, dzT, GW, *_rest in bmm[0]]
    return calls


def epoch_plan(fp: FastPath, XT: np.ndarray, tgt: np.ndarray, B: int) -> EpochPlan:
    """The calls of an epoch over ``XT`` (d + 1, n) in batches of B, built once per shape:
    the inputs and targets are copied into the plan's arrays each epoch, so every batch's
    argument views (and the list of its calls) are cut once, not per batch."""
    key = (XT.shape, tgt.shape, B)
    plan = fp.plans.get(key)
    if plan is None:
        X, T = np.empty(XT.shape), np.empty(tgt.shape)
        # binary targets times 1/B for the batches of B = 2^k samples (``backward_calls``)
        TB = np.empty(tgt.shape) if fp.binary and B & (B - 1) == 0 else None
        n = XT.shape[1]
        steps = []
        for s in range(0, n, B):
            e = min(n, s + B)
            x, t, bufs = X[:, s:e], T[..., s:e], fp.buffers(e - s)
            tb = TB[..., s:e] if TB is not None and e - s == B else None
            steps.append(forward_calls(x, bufs) + backward_calls(fp.binary, x, t, bufs, tb))
        plan = EpochPlan(X, T, TB, steps)
        fp.plans = {key: plan}  # (one shape per run: keep the latest only)
    return plan


def products(fp: FastPath, hidden: list[LayerBuffers], zo: np.ndarray, g: np.ndarray, n: int,
             ) -> Buffers:
    """``fp``'s buffers for n samples from their arrays: the matrix products' argument views,
    cut once."""
    # per weight layer j: [(WT, h_in, z)] and [(h_in, δᵀ, GW, f, Wn, δ, ∂L/∂h_in)] with
    # ∂L/∂h_in = f(Wn, δ): matmul, or multiply for one output (an outer product: exact)
    fmm, bmm = [], []
    for j, parts in enumerate(fp.mm_parts):
        z, dz = (hidden[j].z, hidden[j].dz) if j < len(hidden) else (zo, g)
        h_in = hidden[j - 1].h if j else None  # None: the batch's inputs, shared
        da_in = hidden[j - 1].da if j else None
        if n <= SMALL_BATCH:  # few samples: one padded product beats one per part
            parts = [(None, None, fp.WT[j].shape[-2])]
        da_fn = np.multiply if fp.WT[j].shape[-2] == 1 else np.matmul
        fj, bj = [], []
        for m0, m1, w in parts:
            def cut(A, m0=m0, m1=m1):
                return A if (m0 is None or A is None) else A[m0:m1]
            dzp = cut(dz)[..., :w, :]
            fj.append((cut(fp.WT[j])[..., :w, :], cut(h_in), cut(z)[..., :w, :]))
            bj.append((cut(h_in), dzp.swapaxes(-1, -2), cut(fp.GW[j])[..., :w], da_fn,
                       cut(fp.Wn[j])[..., :w], dzp, cut(da_in)))
        fmm.append(fj)
        bmm.append(bj)
    return Buffers(hidden, zo, g, fmm, bmm)


def product(A: np.ndarray, B: np.ndarray, out: np.ndarray) -> tuple:
    """The call writing A @ B into ``out``: ``np.dot`` for a product of two matrices into a
    C-contiguous matrix (the same BLAS product as ``np.matmul``, with a fraction of its call
    overhead), else ``np.matmul`` (stacks of models, and matrix-vector shapes, which BLAS may
    compute in another order)."""
    if (A.ndim == B.ndim == out.ndim == 2 and min(*A.shape, B.shape[1]) > 1
            and out.flags.c_contiguous):
        return np.dot, (A, B, out)
    return np.matmul, (A, B, out)


def _softmax_grad_T(z: np.ndarray, onehot: np.ndarray, out: np.ndarray) -> None:
    """softmax(z) − onehot over the class axis (-2) of feature-major logits (…, K, n)."""
    s = z - z.max(axis=-2, keepdims=True)
    s -= np.log(np.exp(s).sum(axis=-2, keepdims=True))
    np.exp(s, out=out)
    out -= onehot


_BLAS: list = []  # [ThreadpoolController or None], created on first use


@contextlib.contextmanager
def engine() -> Iterator[None]:
    """The state the engine computes in: floating-point errors ignored (divergence is detected
    from the numbers) and one BLAS thread (our matrices are tiny: extra threads only wait,
    which costs many times the work on a busy machine)."""
    if not _BLAS:
        try:
            from threadpoolctl import ThreadpoolController

            _BLAS.append(ThreadpoolController())
        except Exception:  # threadpoolctl comes with scikit-learn; without it, no limit
            _BLAS.append(None)
    ctrl = _BLAS[0]
    limiter = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        try:
            if ctrl is not None:
                limiter = ctrl.limit(limits=1, user_api="blas")
        except Exception:
            limiter = None
        try:
            yield
        finally:
            if limiter is not None:
                limiter.restore_original_limits()
