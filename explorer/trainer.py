"""One stack of same-shaped models trained in lock-step, in named steps: ``train_epoch``
(forward, backward and update over the batches: the engine's one path), ``record_epoch`` (the
history row and unit states of every model), ``snapshot`` (the checkpoint statistics) and
``records`` (a ``RunRecord`` per model). ``explorer.train`` is the public face.

Randomness: initial weights from ``default_rng((seed, 1))`` drawn afresh for each model (so
models of the same shape start from the same draws); the batch order from
``default_rng((seed, 2))``. A model whose training loss or parameters become NaN/inf stops at
that epoch: ``diverged_at`` is set, the history ends before it, its parameters go back to the
last finite ones, and the other models of the stack carry on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS, param_value, sigmoid
from .checkpoint import ModelLog, checkpoint_stats, stats_rows
from .config import TrainConfig
from .datasets import Dataset
from .fastpath import engine
from .features import feature_matrix
from .frame_stream import FrameRecorder, FrameSpec
from .initialisers import INITIALISERS
from .losses import loss_for
from .network import PRELU_INIT, Layer, Stack, augment
from .optimisers import OPTIMISERS
from .record import RunRecord, weight_checkpoints
from .stats import softplus_loss
from .units import UnitTracker

#: ``RunRecord.history`` columns: the losses are data losses (no L2 term); train_objective
#: adds λ/2·Σ‖W‖² to the training loss (equal to it when l2 = 0)
HISTORY_COLUMNS = ["epoch", "train_loss", "test_loss", "train_acc", "test_acc",
                   "train_objective"]


def checkpoint_epochs(epochs: int, n: int) -> list[int]:
    """Up to ``n`` evenly spaced epochs from 0 to ``epochs``, both ends included."""
    n = max(2, min(n, epochs + 1))
    return sorted({int(round(e)) for e in np.linspace(0, epochs, n)})


@dataclass
class RunInputs:
    """A run's points, feature-major with a last row of ones (d + 1, n), as the engine takes
    them: the training set, training + test set (the history), and the boundary grid."""

    XT_train: np.ndarray
    XT_eval: np.ndarray
    XT_grid: np.ndarray
    y_eval: np.ndarray  # training then test labels, float
    n_train: int
    grid_x: np.ndarray
    grid_y: np.ndarray


def run_inputs(features: Sequence[str], data: Dataset, grid_size: int) -> RunInputs:
    Xa_train = augment(feature_matrix(features, data.X_train))
    Xa_test = augment(feature_matrix(features, data.X_test))
    Xa_eval = np.vstack([Xa_train, Xa_test])
    xmin, xmax, ymin, ymax = data.domain()
    grid_x = np.linspace(xmin, xmax, grid_size)
    grid_y = np.linspace(ymin, ymax, grid_size)
    gx, gy = np.meshgrid(grid_x, grid_y)
    # the grid stays on the raw 2-D plane; the network gets its points' features
    Xa_grid = augment(feature_matrix(features, np.column_stack([gx.ravel(), gy.ravel()])))
    return RunInputs(np.ascontiguousarray(Xa_train.T), np.ascontiguousarray(Xa_eval.T),
                     np.ascontiguousarray(Xa_grid.T),
                     np.concatenate([data.y_train, data.y_test]).astype(np.float64),
                     Xa_train.shape[0], grid_x, grid_y)


def build_stack(cfgs: Sequence[TrainConfig], n_classes: int) -> Stack:
    """The stack of ``cfgs`` (same shapes), each model initialised from its config."""
    c0 = cfgs[0]
    loss = loss_for(n_classes)
    layers = []
    fan_in = len(c0.features)  # the network sees the features of a point of the plane
    for i, units in enumerate(c0.hidden):
        acts = [ACTIVATIONS[c.hidden_activations()[i]] for c in cfgs]
        k = c0.maxout_k if any(a.pieces for a in acts) else 1  # shared by the group
        layers.append(Layer(fan_in, units, k, acts[0].learned, acts,
                            [param_value(a, c) for a, c in zip(acts, cfgs, strict=True)]))
        fan_in = units
    # n_in: the input width, for a network without hidden layers (linear / softmax)
    stack = Stack(layers, loss.n_outputs(n_classes), len(cfgs), loss,
                  n_in=layers[0].fan_in if layers else fan_in)
    for m, cfg in enumerate(cfgs):
        init_model(stack, m, cfg)
    return stack


def init_model(st: Stack, m: int, cfg: TrainConfig) -> None:
    rng = np.random.default_rng((cfg.seed, 1))
    for i, layer in enumerate(st.layers):
        init = INITIALISERS[cfg.resolved_init(i)]
        W = init(rng, layer.fan_in, layer.units, layer.model_width(m), cfg.init_scale)
        st.set_layer(m, i, W, cfg.bias_init)
        if layer.learned:
            st.alpha[i][m] = PRELU_INIT
    out_init = INITIALISERS["xavier_uniform" if cfg.init == "auto" else cfg.init]
    W = st.W[-1]
    W[m, :-1] = out_init(rng, W.shape[1] - 1, W.shape[2], W.shape[2], cfg.init_scale)
    W[m, -1] = 0.0


def epoch_losses(st: Stack, zo: np.ndarray, inp: RunInputs, d: Dataset,
                 ) -> tuple[np.ndarray, ...]:
    """(train loss, test loss, train accuracy, test accuracy) per model from the logits
    (M, n_out, n_train + n_test); data losses, no L2 term."""
    nt = inp.n_train
    if zo.shape[1] == 1:  # binary: the loss's softplus(z) − y·z, per sample, then means
        z = zo[:, 0]
        per = softplus_loss(z)
        per -= inp.y_eval * z
        correct = (z > 0) == inp.y_eval
        # the means as ``mean`` computes them (its sum, as float64, over the count), without
        # its Python wrapper
        add, nv = np.add.reduce, z.shape[1] - nt
        return (add(per[:, :nt], axis=1) / nt, add(per[:, nt:], axis=1) / nv,
                add(correct[:, :nt], axis=1, dtype=np.float64) / nt,
                add(correct[:, nt:], axis=1, dtype=np.float64) / nv)
    z = zo.swapaxes(1, 2)  # (M, n, n_out)
    z_tr, z_te = z[:, :nt], z[:, nt:]
    return (st.loss_value(z_tr, d.y_train), st.loss_value(z_te, d.y_test),
            (z_tr.argmax(axis=-1) == d.y_train).mean(axis=1),
            (z_te.argmax(axis=-1) == d.y_test).mean(axis=1))


def boundary(st: Stack, XT_grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P(class 1) or the top class probability, the class) per model on the grid."""
    zg = st.forward_fast(XT_grid)  # (M, n_out, G²)
    if zg.shape[1] == 1:  # binary: P(class 1) = σ(z) (the loss's proba), class = argmax
        p1 = sigmoid(zg[:, 0])
        return p1.astype(np.float32), (p1 > 1.0 - p1).astype(np.int8)
    proba = st.loss.proba(zg.swapaxes(1, 2))
    return proba.max(axis=2).astype(np.float32), proba.argmax(axis=2).astype(np.int8)


class Trainer:
    """Trains one stack of same-shaped models; ``run`` yields after every checkpoint."""

    def __init__(self, cfgs: Sequence[TrainConfig], data: Dataset,
                 frames: FrameSpec | None = None) -> None:
        self.cfgs = list(cfgs)
        c0 = self.cfgs[0]
        self.data = data
        self.M = M = len(self.cfgs)
        self.stack = build_stack(self.cfgs, data.n_classes)
        self.loss = self.stack.loss
        self.opt = OPTIMISERS[c0.optimizer]
        self.opt_state = self.opt.init(self.stack.P)
        self.lr = np.array([[c.lr] for c in self.cfgs])
        # (e, x): the updates after epoch e use the rate x (shared by the stack: see
        # train.group_key); the run up to e is the same computation as without the change
        self.lr_changes = dict(c0.lr_changes)
        self.inputs = run_inputs(c0.features, data, c0.grid_size)
        self.checkpoints = checkpoint_epochs(c0.epochs, c0.n_checkpoints)
        self.hist: list[list[tuple]] = [[] for _ in range(M)]
        self.logs = [ModelLog() for _ in range(M)]
        #: checkpoints whose weights are kept (bounded bytes per record; see record.py)
        snap_bytes = 8 * max(self.stack.model_params(m) for m in range(M))
        self.keep_weights = set(weight_checkpoints(self.checkpoints, snap_bytes))
        self.units = UnitTracker(self.stack)
        self.diverged_at: list[int | None] = [None] * M
        self.P_prev = self.stack.P.copy()
        #: (epoch, training batches run) of the latest history forward pass
        self.evaluated: tuple[int, int] | None = None
        #: the player's dense frame stream (``frame_stream``; None: not recorded)
        self.frames = FrameRecorder(self, frames) if frames is not None else None
        self.t0 = time.perf_counter()
        self.elapsed = 0.0

    # ------------------------------------------------------------------ the loop
    def run(self) -> Iterator[int]:
        """Train; yield the epoch after each checkpoint."""
        c0 = self.cfgs[0]
        rng = np.random.default_rng((c0.seed, 2))
        ck = set(self.checkpoints)
        with engine():
            self.record_epoch(0)
            self.snapshot(0)
            record_frame(self, 0)
        self.elapsed = time.perf_counter() - self.t0
        yield 0
        epoch, stop = 0, False
        while epoch < c0.epochs and not stop:
            with engine():  # not held across the yield: the caller runs in its own state
                while epoch < c0.epochs:
                    epoch += 1
                    self.train_epoch(epoch, rng)
                    self.record_epoch(epoch)
                    if all(d is not None for d in self.diverged_at):
                        stop = True
                        break
                    if epoch in ck:
                        self.snapshot(epoch)
                    record_frame(self, epoch)
                    if epoch in ck:
                        break
            if not stop and epoch in ck:
                self.elapsed = time.perf_counter() - self.t0
                yield epoch
        self.elapsed = time.perf_counter() - self.t0

    def train_epoch(self, epoch: int, rng: np.random.Generator) -> None:
        """Epoch ``epoch``: forward, backward and update on every batch of the shuffled
        training set (the engine's ``Stack.train_epoch``)."""
        c0, st = self.cfgs[0], self.stack
        if epoch - 1 in self.lr_changes:
            for m in range(self.M):
                if self.diverged_at[m] is None:  # a diverged model stays at 0
                    self.lr[m] = self.lr_changes[epoch - 1]
        self.P_prev[...] = st.P
        XT, y = self.inputs.XT_train, self.data.y_train
        n = self.inputs.n_train
        B = min(c0.batch_size, n)
        if B < n:
            perm = rng.permutation(n)
            XT, y = XT.take(perm, axis=1), y.take(perm)
        # one learning rate for all: a number (the same products, cheaper)
        lr = float(self.lr[0, 0]) if (self.lr == self.lr[0, 0]).all() else self.lr
        st.train_epoch(XT, y, B, self.opt.step, self.opt_state, lr, c0.momentum, c0.l2)

    # ------------------------------------------------------------------ measurements
    def record_epoch(self, epoch: int) -> np.ndarray:
        """Append a history row per live model (data losses, accuracies, the penalised
        objective) and track the epoch's unit states; return the training loss per model."""
        st, inp = self.stack, self.inputs
        zo = st.forward_fast(inp.XT_eval)  # (M, n_out, n_train + n_test)
        self.evaluated = (epoch, st.fast().batches)  # (``snapshot`` reuses this pass)
        l2 = self.cfgs[0].l2
        # unit states from the hidden z this forward pass left in its buffers
        self.units.track(epoch, st.fast().buffers(inp.XT_eval.shape[1]).hidden, inp.n_train)
        tr_loss, te_loss, tr_acc, te_acc = epoch_losses(st, zo, inp, self.data)
        # the objective the optimiser minimises: training data loss + λ/2·Σ‖W‖² (weights)
        objective = tr_loss + 0.5 * l2 * ((st.P * st.weight_mask) ** 2).sum(axis=1) if l2 \
            else tr_loss
        finite = np.isfinite(tr_loss) & np.isfinite(st.P).all(axis=1)
        for m in range(self.M):
            if self.diverged_at[m] is not None:
                continue
            if not finite[m]:
                self.diverge(m, epoch)
                continue
            self.hist[m].append((epoch, tr_loss[m], te_loss[m], tr_acc[m], te_acc[m],
                                 objective[m]))
        return tr_loss

    def diverge(self, m: int, epoch: int) -> None:
        self.diverged_at[m] = epoch
        self.lr[m] = 0.0
        self.stack.P[m] = self.P_prev[m]
        for v in self.opt_state.values():
            if isinstance(v, np.ndarray):
                v[m] = 0.0

    def snapshot(self, epoch: int) -> None:
        """The checkpoint statistics of every live model: the boundary grid, and one forward
        and backward pass on the whole training set (no update) for all M models at once."""
        st, inp = self.stack, self.inputs
        fast, l2 = st.fast(), self.cfgs[0].l2
        if self.evaluated == (epoch, fast.batches):
            # the history's forward pass at these parameters is in the path's buffers (the
            # training samples first): only the backward pass is left to do
            bufs = fast.gradient_after_forward(inp.XT_train, self.data.y_train,
                                               inp.XT_eval.shape[1], l2)
        else:
            bufs = fast.full_gradient(inp.XT_train, self.data.y_train, l2)
        per_layer = checkpoint_stats(st, bufs, inp.XT_train, self.units.current)
        grid_p, grid_cls = boundary(st, inp.XT_grid)  # (after: its pass may share buffers)
        # finite loss and weights can still overflow on the boundary grid or in the full-set
        # gradient: that model has diverged too (reported, never drawn as NaN)
        finite = np.isfinite(grid_p).all(axis=1)
        for ls in per_layer:
            finite &= np.isfinite(ls.grad.norm)
        for m in np.flatnonzero(~finite):
            if self.diverged_at[m] is None:
                if self.hist[m] and self.hist[m][-1][0] == epoch:
                    self.hist[m].pop()
                self.diverge(int(m), epoch)
        rows = stats_rows(st, epoch, per_layer, self.units.revived, self.units.woke)
        for m in range(self.M):
            if self.diverged_at[m] is None:
                self.logs[m].add(m, epoch, rows[m], per_layer, grid_p, grid_cls)
                self.logs[m].keep_weights(st, m, epoch, self.keep_weights)

    # ------------------------------------------------------------------ records
    def records(self, complete: bool) -> list[RunRecord]:
        return [make_record(self, m, complete) for m in range(self.M)]


def record_frame(tr: Trainer, epoch: int) -> None:
    """The player's frame of this epoch (``frame_stream``), if ``tr`` records one."""
    if tr.frames is not None:
        tr.frames.record(epoch)


def make_record(tr: Trainer, m: int, complete: bool) -> RunRecord:
    """Model m's record of what the trainer has run so far."""
    cfg, log, L = tr.cfgs[m], tr.logs[m], len(tr.stack.layers)
    hist = pd.DataFrame(tr.hist[m], columns=HISTORY_COLUMNS)
    hist["epoch"] = hist["epoch"].astype(np.int64)
    return RunRecord(
        config=cfg, label=cfg.label(), data=tr.data, history=hist,
        checkpoints=list(log.checkpoints), stats_rows=list(log.stats_rows),
        grad_counts=np.array(log.grad_counts),
        grad_zero_counts=np.array(log.grad_zero_counts),
        act_counts=np.array(log.act_counts), dead=log.per_layer(log.dead, L),
        grid_x=tr.inputs.grid_x, grid_y=tr.inputs.grid_y,
        grid_p=np.array(log.grid_p), grid_cls=np.array(log.grid_cls),
        n_params=tr.stack.model_params(m), diverged_at=tr.diverged_at[m],
        wall_time=tr.elapsed, trained_with=tr.M, complete=complete,
        epochs_total=cfg.epochs, weight_epochs=list(log.weight_epochs),
        weights=list(log.weights), alphas=list(log.alphas),
        unit_saturated=log.per_layer(log.unit_saturated, L),
        asleep=log.per_layer(log.asleep, L),
        unit_history=tr.units.unit_history(m, hist["epoch"].to_numpy()),
        frames=tr.frames.streams[m].copy() if tr.frames is not None else None)
