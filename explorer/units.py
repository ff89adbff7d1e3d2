"""Dead and asleep hidden units, tracked every epoch (definitions: ``explorer.record``).

``UnitTracker.track(epoch, hidden, n_train)`` reads the hidden pre-activations that the
epoch's full-set forward pass left in the engine's buffers (training columns only), finds each
model's dead and asleep units, and counts revivals and wake-ups against the previous epoch;
``unit_history(m, epochs)`` is model m's table (``record.UNIT_COLUMNS``).

Whether a unit can be dead, and how to tell, is the activation's (``Activation.dead_test``):
"asleep" (f' = 0 exactly where z ≤ 0: dead = asleep, ReLU), "never" (f' never 0: Leaky ReLU
with α > 0, identity, Maxout) or "check" (f' at the unit's largest z first, then every point
of the few units where it is 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from .network import Stack
from .record import UNIT_COLUMNS


class UnitStates(NamedTuple):
    """Per model and unit (M, units) bool."""

    dead: np.ndarray  # f'(z) = 0 on every training point
    asleep: np.ndarray  # z ≤ 0 on every training point


class UnitTracker:
    """Unit states of every model of a stack, epoch after epoch."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        M, L = stack.M, len(stack.layers)
        self.revived = np.zeros((M, L), dtype=np.int64)
        self.woke = np.zeros((M, L), dtype=np.int64)
        #: per layer, the states at the latest tracked epoch (None before the first)
        self.current: list[UnitStates | None] = [None] * L
        #: per tracked epoch (epoch, (M, layers, 4) counts: dead, asleep, revived, woke)
        self.rows: list[tuple[int, np.ndarray]] = []

    def track(self, epoch: int, hidden: Sequence, n_train: int) -> None:
        """This epoch's states from the path's hidden buffers (``LayerBuffers.z``, the
        training samples first). Cheap: one max over the training set per unit, and f' at
        that point (a unit can only be dead if f' is 0 there)."""
        st = self.stack
        L = len(st.layers)
        if not L:
            return
        counts = np.zeros((st.M, L, 4), dtype=np.int64)
        for li in range(L):
            z = hidden[li].z
            z = (z[None] if z.ndim == 2 else z)[..., :n_train]  # (M, width, n_train)
            now = self.states(li, z, z.max(axis=-1))
            prev = self.current[li]
            if prev is not None:
                self.revived[:, li] += (prev.dead & ~now.dead).sum(axis=1)
                self.woke[:, li] += (prev.asleep & ~now.asleep).sum(axis=1)
            self.current[li] = now
            counts[:, li, 0] = now.dead.sum(axis=1)
            counts[:, li, 1] = now.asleep.sum(axis=1)
        counts[:, :, 2] = self.revived
        counts[:, :, 3] = self.woke
        self.rows.append((epoch, counts))

    def states(self, li: int, z: np.ndarray, hi: np.ndarray) -> UnitStates:
        """(dead, asleep) per model and unit from feature-major training z (M, width, n) and
        its max over the samples ``hi`` (M, width). Asleep: z ≤ 0 on every point (Maxout: the
        max of its pieces). Dead: f'(z) = 0 on every point."""
        layer = self.stack.layers[li]
        u = layer.units
        top = hi[:, :u]  # piece 0: all of z unless the layer has Maxout pieces
        if layer.k > 1:
            top = top.copy()
            for m0, m1, act, _ in layer.groups():
                if act.pieces:
                    for j in range(1, layer.k):
                        np.maximum(top[m0:m1], hi[m0:m1, j * u:(j + 1) * u], out=top[m0:m1])
        asleep = ~(top > 0)
        if layer.learned:  # PReLU: f' = 1 (z > 0) or its slope a_j
            return UnitStates(asleep & (self.stack.alpha[li][:, 0, :] == 0), asleep)
        if layer.uniform and layer.acts[0].dead_test(layer.params[0]) == "asleep":
            return UnitStates(asleep.copy(), asleep)
        dead = np.zeros_like(asleep)
        for m0, m1, act, p in layer.groups():
            rule = act.dead_test(p)
            if rule == "never":
                continue
            if rule == "asleep":
                dead[m0:m1] = asleep[m0:m1]
                continue
            # f' must be 0 at the max too: only those units are checked on every point
            t = top[m0:m1]
            cand = np.broadcast_to(act.df(t, act.f(t, p), p), t.shape) == 0
            for m, j in zip(*np.nonzero(cand), strict=True):
                zj = z[m0 + m, j]
                dj = np.broadcast_to(act.df(zj, act.f(zj, p), p), zj.shape)
                dead[m0 + m, j] = not (dj != 0).any()
        return UnitStates(dead, asleep)

    def unit_history(self, m: int, epochs: np.ndarray) -> pd.DataFrame:
        """Model m's per-epoch unit counts (``record.UNIT_COLUMNS``) at its recorded epochs."""
        L = len(self.stack.layers)
        keep = set(epochs.tolist())
        rows = [(e, c[m]) for e, c in self.rows if e in keep]
        if not rows or not L:
            return pd.DataFrame(columns=UNIT_COLUMNS).astype(np.int64)
        ep = np.repeat(np.array([e for e, _ in rows], dtype=np.int64), L)
        c = np.concatenate([r for _, r in rows])  # (E·L, 4)
        units = np.array([layer.units for layer in self.stack.layers], dtype=np.int64)
        return pd.DataFrame({"epoch": ep, "layer": np.tile(np.arange(1, L + 1), len(rows)),
                             "units": np.tile(units, len(rows)), "dead_count": c[:, 0],
                             "asleep_count": c[:, 1], "revived": c[:, 2], "woke": c[:, 3]})
