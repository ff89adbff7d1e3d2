r"""A stack of M multilayer perceptrons of the same shape, trained in lock-step.

Forward, backward and update are three separate steps (``forward``, ``backward``, and an
optimiser's ``step`` on the flat parameter array). Shapes follow one convention:

* every parameter of all M models lives in one array ``P`` of shape ``(M, n_params)``; each
  layer's weights are a view ``W[l]`` of shape ``(M, fan_in + 1, width)`` whose **last row is the
  bias** (so a layer is one ``matmul`` on inputs with an appended column of ones);
* PReLU slopes are a view ``alpha[l]`` of shape ``(M, 1, units)``;
* activations of a batch of n samples have shape ``(M, n, units)``.

The models may differ in activation (e.g. sigmoid, tanh, ReLU side by side) as long as their
shapes agree; Maxout layers are ``units × k`` wide before the max. M = 1 is an ordinary MLP, and
``MLP`` below is the friendly single-network face of the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass
class Cache:
    """What a forward pass keeps for the backward pass (and for statistics)."""

    inputs: list[np.ndarray]  # augmented inputs of each layer (…, fan_in + 1)
    z: list[np.ndarray]  # pre-activations of every layer, output logits last
    a: list[np.ndarray]  # hidden outputs (M, n, units)


class Stack:
    """M same-shaped MLPs in one parameter array (see module docstring)."""

    def __init__(self, layers: Sequence[Layer], n_out: int, M: int, loss: Loss) -> None:
        self.layers = list(layers)
        self.n_out = n_out
        self.M = M
        self.loss = loss
        shapes: list[tuple[str, int, tuple[int, ...]]] = []
        fan_in = None
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
        # W[l] without its bias row, transposed: the backward pass's δ·Wᵀ (views of P)
        self._WT = [W[:, :-1, :].transpose(0, 2, 1) for W in self.W]
        # augmented hidden outputs per batch size (M, n, units + 1), ones column preset
        self._bufs: dict[int, list[np.ndarray]] = {}

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

    def _act(self, i: int, z: np.ndarray) -> np.ndarray:
        layer = self.layers[i]
        if layer.k > 1:
            return z.reshape(z.shape[:-1] + (layer.units, layer.k)).max(axis=-1)
        if layer.learned:
            return np.where(z > 0, z, self.alpha[i] * z)
        if layer.uniform:
            return layer.acts[0].f(z, layer.params[0])
        return np.stack([act.f(z[m], p) for m, (act, p) in
                         enumerate(zip(layer.acts, layer.params, strict=True))])

    def _dact(self, i: int, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """f'(z) w.r.t. the pre-activation (for Maxout: the one-hot of the winning piece)."""
        layer = self.layers[i]
        if layer.k > 1:
            zz = z.reshape(z.shape[:-1] + (layer.units, layer.k))
            return (zz == a[..., None]).reshape(z.shape).astype(np.float64)
        if layer.learned:
            return np.where(z > 0, 1.0, self.alpha[i])
        if layer.uniform:
            return layer.acts[0].df(z, a, layer.params[0])
        return np.stack([np.broadcast_to(act.df(z[m], a[m], p), z[m].shape) for m, (act, p) in
                         enumerate(zip(layer.acts, layer.params, strict=True))])

    def forward(self, Xa: np.ndarray) -> Cache:
        """Forward pass. ``Xa``: inputs with a column of ones, (n, d + 1)."""
        inputs, zs, acts = [Xa], [], []
        h = Xa
        bufs = self._buffers(Xa.shape[0])
        for i, layer in enumerate(self.layers):
            z = np.matmul(h, self.W[i])
            h = bufs[i]
            a = h[..., :layer.units]
            if layer.uniform or layer.k > 1 or layer.learned:
                a[...] = self._act(i, z)
            else:  # models differ in activation: each writes its own slice
                for m, (act, p) in enumerate(zip(layer.acts, layer.params, strict=True)):
                    a[m] = act.f(z[m], p)
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
        np.matmul(cache.inputs[L].transpose(0, 2, 1), dz, out=self.GW[L])
        dfs: list[np.ndarray] = [None] * L  # type: ignore[list-item]
        deltas: list[np.ndarray] = [None] * (L + 1)  # type: ignore[list-item]
        deltas[L] = dz
        for i in range(L - 1, -1, -1):
            da = np.matmul(dz, self._WT[i + 1])
            layer = self.layers[i]
            z, a = cache.z[i], cache.a[i]
            if not (layer.uniform or layer.k > 1 or layer.learned):
                dz = da
                df = np.empty_like(z) if keep else None
                for m, (act, p) in enumerate(zip(layer.acts, layer.params, strict=True)):
                    dfm = act.df(z[m], a[m], p)
                    dz[m] *= dfm
                    if keep:
                        df[m] = dfm
            else:
                df = self._dact(i, z, a)
            if layer.k > 1:
                dz = (df.reshape(z.shape[:-1] + (layer.units, layer.k)) * da[..., None]
                      ).reshape(z.shape)
            elif layer.uniform or layer.learned:
                dz = da * df
                if layer.learned:
                    self.Galpha[i][...] = (da * np.minimum(z, 0.0)).sum(axis=-2, keepdims=True)
            x = cache.inputs[i]
            np.matmul(x.transpose(0, 2, 1) if x.ndim == 3 else x.T, dz, out=self.GW[i])
            if keep:
                dfs[i] = np.broadcast_to(df, z.shape)
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

    # ------------------------------------------------------------------ weights
    def set_weights(self, m: int, weights: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        """Set model m's weights from (W, b) pairs, W of shape (fan_in, width)."""
        if len(weights) != len(self.W):
            raise ValueError(f"weights: expected {len(self.W)} (W, b) pairs, got {len(weights)}")
        for i, (W, b) in enumerate(weights):
            target = self.W[i][m]
            W = np.asarray(W, dtype=np.float64)
            b = np.asarray(b, dtype=np.float64).reshape(-1)
            if W.shape != (target.shape[0] - 1, target.shape[1]) or b.shape != (target.shape[1],):
                raise ValueError(f"weights: layer {i + 1} needs W {target.shape[0] - 1}x"
                                 f"{target.shape[1]} and b of {target.shape[1]}, got "
                                 f"{W.shape} and {b.shape}")
            target[:-1] = W
            target[-1] = b

    def get_weights(self, m: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(W[m, :-1].copy(), W[m, -1].copy()) for W in self.W]


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
        self.stack = Stack(layers, loss.n_outputs(n_classes), 1, loss)
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
        cache = self.stack.forward(augment(np.asarray(X, dtype=np.float64)))
        self.stack.backward(cache, y, self.l2)
        loss = float(self.stack.loss_value(cache.z[-1], y, self.l2)[0])
        return loss, [(g[0, :-1].copy(), g[0, -1].copy()) for g in self.stack.GW]

    def step(self, X: np.ndarray, y: np.ndarray, optimizer: str = "sgd", lr: float = 0.1,
             momentum: float = 0.9) -> float:
        """One optimiser update on (X, y); returns the loss before the update."""
        opt = OPTIMISERS[optimizer]
        if self._opt_name != optimizer:
            self._opt_state, self._opt_name = opt.init(self.stack.P), optimizer
        loss, _ = self.loss_and_grads(X, y)
        opt.step(self.stack.P, self.stack.G, self._opt_state, np.full((1, 1), lr), momentum)
        return loss
