r"""A stack of M multilayer perceptrons of the same shape, trained in lock-step.

Forward, backward and update are three separate steps (the forward and backward pass of
``explorer.fastpath``, and an optimiser's ``step`` on the flat parameter array). Shapes follow one convention:

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
``ACTIVATIONS["maxout"].f`` has it). *Inside* the stack (``W``, ``GW``, ``P``, the buffers) they
are piece-major: columns ``j*units .. (j+1)*units - 1`` are piece j of every unit, so the max is
k - 1 elementwise ``maximum`` calls on contiguous blocks. ``set_weights``/``get_weights`` convert.
Ties go to the first piece (as ``argmax``).

**One path.** Every forward and backward pass runs ``explorer.fastpath`` (``Stack.fast()``):
feature-major (transposed) buffers allocated once per batch size, with one kernel per layer
(and per group of models sharing an activation) from the activation registry, writing in
place, so a training step is ~25 numpy calls and almost no Python. Training
(``train_epoch``), the history and statistics (``forward_fast``, ``full_gradient``), ``MLP``
and the network view (``MLP.from_weights(...).forward``) all use it; ``tests/test_fastpath.py``
checks it against a plain sample-major reference written in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, Activation
from .fastpath import SMALL_BATCH, FastPath
from .losses import Loss, loss_for
from .optimisers import OPTIMISERS

__all__ = ["MLP", "PRELU_INIT", "SMALL_BATCH", "FastPath", "Layer", "Stack", "augment"]

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
        self._fast: FastPath | None = None

    def model_params(self, m: int) -> int:
        """Number of parameters of model m (a padded layer counts only its own columns)."""
        total = 0
        for layer in self.layers:
            total += (layer.fan_in + 1) * layer.model_width(m) + (layer.units if layer.learned
                                                                  else 0)
        return total + self.W[-1].shape[1] * self.n_out

    def loss_value(self, z_out: np.ndarray, y: np.ndarray, l2: float = 0.0) -> np.ndarray:
        """Mean loss per model (M,), with the L2 term if ``l2``."""
        value = self.loss.value(z_out, y)
        if l2:
            value = value + 0.5 * l2 * ((self.P * self.weight_mask) ** 2).sum(axis=1)
        return value

    # ------------------------------------------------------------------ hot path
    def fast(self) -> FastPath:
        """The forward / backward path (built on first use, then reused)."""
        if self._fast is None:
            self._fast = FastPath(self)
        return self._fast

    def logits(self, Xa: np.ndarray) -> np.ndarray:
        """Output logits (M, n, n_out) for sample-major inputs ``Xa`` (n, d + 1) with a column
        of ones (a view of the path's buffer: valid until its next pass with n samples)."""
        return self.forward_fast(np.ascontiguousarray(Xa.T)).swapaxes(1, 2)

    def gradient(self, Xa: np.ndarray, y: np.ndarray, l2: float = 0.0) -> np.ndarray:
        """Mean loss gradient (+ λ·W) on ``Xa`` (n, d + 1) as one batch into ``G``; returns
        the logits (M, n, n_out) of that pass (a buffer view, as ``logits``)."""
        zo = self.fast().full_gradient(np.ascontiguousarray(Xa.T), y, l2).zo
        return (zo[None] if zo.ndim == 2 else zo).swapaxes(1, 2)

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
    >>> hidden, pre, logits = net.forward(X)       # every layer's values (the network view)

    ``sizes`` = (inputs, hidden widths...); ``MLP([d])`` or ``MLP.from_weights([(W, b)])`` is
    a linear model (logistic regression for 2 classes, softmax regression for more).
    ``param``: the activations' parameter (Leaky slope, ELU alpha), one for every layer or a
    sequence with one per hidden layer (None: the activation's default).
    """

    def __init__(self, sizes: Sequence[int], activation: str | Sequence[str] = "relu",
                 n_classes: int = 2, param: float | Sequence[float | None] | None = None,
                 maxout_k: int = 2, l2: float = 0.0) -> None:
        acts = [activation] * (len(sizes) - 1) if isinstance(activation, str) else list(activation)
        params = list(param) if isinstance(param, (list, tuple)) else [param] * len(acts)
        layers = []
        for i, name in enumerate(acts):
            act = ACTIVATIONS[name]
            q = params[i]
            p = (q if q is not None else act.param.default) if (
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
                     alphas: Sequence[np.ndarray | None] | None = None, **kwargs) -> MLP:
        """A network with these (W, b) per layer (public layout, see the module docstring);
        ``alphas``: PReLU's slopes per hidden layer (None: ``PRELU_INIT``)."""
        acts = [activation] * (len(weights) - 1) if isinstance(activation, str) else activation
        k = kwargs.get("maxout_k", 2)
        sizes = [np.shape(weights[0][0])[0]]
        for (W, _), name in zip(weights[:-1], acts, strict=True):
            sizes.append(np.shape(W)[1] // (k if ACTIVATIONS[name].pieces else 1))
        net = cls(sizes, activation, n_classes, **kwargs)
        net.stack.set_weights(0, weights)
        for i, a in enumerate(alphas or ()):
            if a is not None and net.stack.alpha[i] is not None:
                net.stack.alpha[i][0, 0] = a
        return net

    def weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return self.stack.get_weights(0)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.stack.loss.proba(self.stack.logits(augment(X)))[0]

    def forward(self, X: np.ndarray,
                ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        """One forward pass on X (n, d): (hidden outputs per layer (n, units), pre-activations
        per hidden layer (n, width) in the public layout, output logits (n, n_out)), copies."""
        st = self.stack
        XT = np.ascontiguousarray(augment(np.asarray(X, dtype=np.float64)).T)
        zo = st.forward_fast(XT)[0].T.copy()
        hidden = st.fast().buffers(XT.shape[1]).hidden
        return ([lb.a.T.copy() for lb in hidden],
                [st.public(i, lb.z.T) for i, lb in enumerate(hidden)], zo)

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray,
                       ) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
        """Mean loss (with L2) and the per-layer gradients (dW, db) on this batch."""
        y = np.asarray(y, dtype=np.int64)
        st = self.stack
        z = st.gradient(augment(np.asarray(X, dtype=np.float64)), y, self.l2)
        loss = float(st.loss_value(z, y, self.l2)[0])
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
