"""A plain sample-major forward / backward pass of a ``network.Stack``, written separately from
the engine's one path (``explorer.fastpath``) as the reference the tests check it against.

``ReferenceStack`` is a ``Stack`` (the same parameters, layout and weights API) with the
textbook pass: ``forward(Xa) -> Cache`` on (M, n, ·) arrays, f and f' from the registry
(PReLU and Maxout written out here), and ``backward(cache, y, l2, keep)`` from the loss's own
gradient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.activations import Activation
from explorer.network import Stack


@dataclass
class Cache:
    """What a forward pass keeps for the backward pass (and for statistics)."""

    inputs: list[np.ndarray]  # augmented inputs of each layer (…, fan_in + 1)
    z: list[np.ndarray]  # pre-activations of every layer, output logits last
    a: list[np.ndarray]  # hidden outputs (M, n, units)


class ReferenceStack(Stack):
    """A Stack with the plain sample-major forward and backward pass (see the module)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # W[l] without its bias row, transposed: the backward pass's δ·Wᵀ (views of P)
        self._WT = [W[:, :-1, :].transpose(0, 2, 1) for W in self.W]
        # augmented hidden outputs per batch size (M, n, units + 1), ones column preset
        self._bufs: dict[int, list[np.ndarray]] = {}

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
