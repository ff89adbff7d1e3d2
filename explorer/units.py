"""Dead and asleep hidden units, tracked every epoch (definitions: ``explorer.record``).

``UnitTracker.track(epoch, hidden, n_train)`` reads the hidden pre-activations that the
epoch's full-set forward pass left in the engine's buffers (training columns only), finds each
model's dead and asleep units, and counts revivals and wake-ups against the previous epoch;
``unit_history(m, epochs)`` is model m's table (``record.UNIT_COLUMNS``).

Whether a unit can be dead, and how to tell, is the activation's (``Activation.dead_test``):
"asleep" (f' = 0 exactly where z ≤ 0: dead = asleep, ReLU), "never" (f' never 0: Leaky ReLU
with α > 0, identity, Maxout) or "check" (f' at the unit's largest z first, then every point
of the few units where it is 0).

Whether a unit can be asleep is :func:`sleep_slope`'s: only an activation with a *gated side*
(f' is one constant α on z ≤ 0 and a larger constant on z > 0: ReLU α = 0, Leaky ReLU α,
PReLU's learned a_j with |a_j| < 1) has one; every other activation (sigmoid, tanh, ELU and
the smooth variants, identity, Maxout) is never asleep, and its layer's ``asleep_frac`` is
NaN (not applicable), not 0 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from .activations import Activation
from .network import Stack
from .record import UNIT_COLUMNS


class UnitStates(NamedTuple):
    """Per model and unit (M, units) bool."""

    dead: np.ndarray  # f'(z) = 0 on every training point
    asleep: np.ndarray  # can sleep, and z ≤ 0 on every training point (f' = α on all of them)
    sleeps: np.ndarray  # the unit's activation has a gated side (``sleep_slope``): can sleep


#: z ≤ 0 and z > 0 points on which ``sleep_slope`` checks that f' is constant
_NEG_Z = -np.concatenate([[0.0], np.geomspace(1e-6, 60.0, 64)])
_POS_Z = np.geomspace(1e-6, 60.0, 64)
_SLOPES: dict[tuple[str, int, float | None], float | None] = {}


def sleep_slope(act: Activation, p: object = None) -> float | None:
    """The slope α of the activation's *gated side*, or None if it has none.

    A gated side: f'(z) is one constant α for every z ≤ 0 (z = 0 included: the engine takes
    f'(0) from that side) and one constant β for z > 0, with |α| < |β|. ReLU: 0 (its asleep
    units are dead), Leaky ReLU: its slope α < 1 (α = 1 is the identity: None). Checked on
    f' itself, so a new activation of this shape sleeps by itself. None for Maxout (the max
    of its pieces passes the whole gradient to one of them), PReLU (its slopes are learned
    per unit: see ``UnitTracker.states``) and every smooth activation."""
    if act.pieces or act.learned or (p is not None and np.ndim(p) > 0):
        return None
    key = (act.name, id(act.df), None if p is None else float(p))  # type: ignore[arg-type]
    if key not in _SLOPES:
        with np.errstate(all="ignore"):
            neg = np.broadcast_to(act.df(_NEG_Z, act.f(_NEG_Z, p), p), _NEG_Z.shape)
            pos = np.broadcast_to(act.df(_POS_Z, act.f(_POS_Z, p), p), _POS_Z.shape)
        gated = (np.all(neg == neg[0]) and np.all(pos == pos[0]) and np.isfinite(neg[0])
                 and abs(float(neg[0])) < abs(float(pos[0])))
        _SLOPES[key] = float(neg[0]) if gated else None
    return _SLOPES[key]


class _Plan(NamedTuple):
    """What a hidden layer's unit states need beyond its z, fixed for the run (the models'
    activations and parameters do not change; PReLU's learned slopes are read each time)."""

    u: int
    k: int
    maxout: list[tuple[int, int]]  # model ranges whose units are the max of k pieces
    learned: bool
    sleeps: np.ndarray | None  # (M, units) can sleep (None: PReLU, from its slopes)
    dead_is_asleep: bool  # every model's dead test is "asleep": dead = asleep
    checks: list[tuple[int, int, str, Activation, object]]  # (m0, m1, rule, act, p) otherwise


def _plan(stack: Stack, li: int) -> _Plan:
    layer = stack.layers[li]
    groups = layer.groups()
    maxout = [(m0, m1) for m0, m1, act, _ in groups if act.pieces] if layer.k > 1 else []
    if layer.learned:
        return _Plan(layer.units, layer.k, maxout, True, None, False, [])
    sleeps = np.zeros((stack.M, layer.units), dtype=bool)
    for m0, m1, act, p in groups:
        sleeps[m0:m1] = sleep_slope(act, p) is not None
    sleeps.flags.writeable = False  # shared by every epoch's states
    rules = [(m0, m1, act.dead_test(p), act, p) for m0, m1, act, p in groups]
    dead_is_asleep = all(r == "asleep" for _, _, r, _, _ in rules)
    return _Plan(layer.units, layer.k, maxout, False, sleeps, dead_is_asleep,
                 [c for c in rules if c[2] != "never"])


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
        self._plans = [_plan(stack, li) for li in range(L)]

    def track(self, epoch: int, hidden: Sequence, n_train: int) -> None:
        """This epoch's states from the path's hidden buffers (``LayerBuffers.z``, the
        training samples first). Cheap: one max over the training set per unit, and f' at
        that point (a unit can only be dead if f' is 0 there)."""
        st = self.stack
        L = len(st.layers)
        if not L:
            return
        counts = np.empty((st.M, L, 4), dtype=np.int64)
        add, top = np.add.reduce, np.maximum.reduce  # (the ufuncs' own reductions: no wrapper)
        for li in range(L):
            z = hidden[li].z
            z = (z[None] if z.ndim == 2 else z)[..., :n_train]  # (M, width, n_train)
            now = self.states(li, z, top(z, axis=-1))
            prev = self.current[li]
            if prev is not None:  # dead -> alive, asleep -> awake (bool a > b: a and not b)
                self.revived[:, li] += add(prev.dead > now.dead, axis=1, dtype=np.int64)
                self.woke[:, li] += add(prev.asleep > now.asleep, axis=1, dtype=np.int64)
            self.current[li] = now
            counts[:, li, 0] = add(now.dead, axis=1, dtype=np.int64)
            counts[:, li, 1] = add(now.asleep, axis=1, dtype=np.int64)
        counts[:, :, 2] = self.revived
        counts[:, :, 3] = self.woke
        self.rows.append((epoch, counts))

    def states(self, li: int, z: np.ndarray, hi: np.ndarray) -> UnitStates:
        """(dead, asleep, sleeps) per model and unit from feature-major training z (M, width,
        n) and its max over the samples ``hi`` (M, width). Asleep: a unit that can sleep
        (``sleep_slope``) with z ≤ 0 on every point. Dead: f'(z) = 0 on every point."""
        plan = self._plans[li]
        u = plan.u
        top = hi[:, :u]  # piece 0: all of z unless the layer has Maxout pieces
        if plan.maxout:
            top = top.copy()
            for m0, m1 in plan.maxout:
                for j in range(1, plan.k):
                    np.maximum(top[m0:m1], hi[m0:m1, j * u:(j + 1) * u], out=top[m0:m1])
        low = ~(top > 0)  # z ≤ 0 on every training point (Maxout: the max of its pieces)
        if plan.learned:  # PReLU: f' = 1 (z > 0) or its slope a_j; gated where |a_j| < 1
            a = self.stack.alpha[li][:, 0, :]
            sleeps = np.abs(a) < 1
            return UnitStates(low & (a == 0), low & sleeps, sleeps)
        asleep = low & plan.sleeps
        if plan.dead_is_asleep:
            return UnitStates(asleep.copy(), asleep, plan.sleeps)
        dead = np.zeros_like(asleep)
        for m0, m1, rule, act, p in plan.checks:
            if rule == "asleep":
                dead[m0:m1] = asleep[m0:m1]
                continue
            # f' must be 0 at the max too: only those units are checked on every point
            t = top[m0:m1]
            cand = np.equal(act.df(t, act.f(t, p), p), 0)  # (a scalar if f' is constant)
            if not cand.any():  # (the usual case: no unit to check)
                continue
            cand = np.broadcast_to(cand, t.shape)
            for m, j in zip(*np.nonzero(cand), strict=True):
                zj = z[m0 + m, j]
                dj = np.broadcast_to(act.df(zj, act.f(zj, p), p), zj.shape)
                dead[m0 + m, j] = not (dj != 0).any()
        return UnitStates(dead, asleep, plan.sleeps)

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
