"""Training: a pure function of a config (or a list of configs) to run records.

``train(cfg)`` trains one network; ``iter_train(cfg)`` yields partial records at checkpoints
(so a page can draw while it trains); ``train_many(cfgs)`` trains several networks at once:
configs that agree on the data, batch order and optimiser settings and whose layer shapes
match (e.g. sigmoid, tanh, ReLU, Leaky ReLU side by side) share one stacked parameter array,
one batch order and one set of matrix products, which is much cheaper than one by one. Small
Maxout networks join such a stack too (the others' layers padded to k pieces, see
``network``). A model trains the same alone or in a stack (the tests check 1e-12; in practice
the numbers are identical).

Speed: the loop runs ``Stack.train_epoch`` (the hot path of ``network``), the per-epoch
history and the checkpoint statistics use the same feature-major forward / backward and
compute every statistic for all models at once, and BLAS runs on one thread (see ``engine``).

Randomness: the data come from ``make_data(..., seed)``; initial weights from
``default_rng((seed, 1))`` drawn afresh for each model (so models of the same shape start from
the same draws); the batch order from ``default_rng((seed, 2))``. Nothing touches global state.

The gradient statistics at a checkpoint use the **full training set** (one extra forward and
backward pass, no update). A model whose training loss or parameters become NaN/inf stops at
that epoch: ``diverged_at`` is set, the history ends before it, and the other models of the
stack carry on.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS, param_value, sigmoid
from .config import TrainConfig
from .datasets import Dataset, make_data
from .features import feature_matrix
from .initialisers import INITIALISERS
from .losses import loss_for
from .network import PRELU_INIT, Layer, Stack, augment
from .optimisers import OPTIMISERS
from .record import (
    ACT_BINS,
    GRAD_BINS,
    GRAD_LOG_LO,
    GRAD_LOG_STEP,
    UNIT_COLUMNS,
    RunRecord,
    layer_name,
    same_sign_chance,
    weight_checkpoints,
)

#: ``RunRecord.history`` columns: the losses are data losses (no L2 term); train_objective
#: adds λ/2·Σ‖W‖² to the training loss (equal to it when l2 = 0)
HISTORY_COLUMNS = ["epoch", "train_loss", "test_loss", "train_acc", "test_acc",
                   "train_objective"]
#: fields that may differ between models trained in one stack
PER_MODEL = {"activation", "layer_activations", "leaky_slope", "elu_alpha", "init", "init_scale",
             "bias_init", "lr"}
DATA_FIELDS = ("dataset", "n_samples", "noise", "test_fraction", "n_classes", "seed")


def data_for(cfg: TrainConfig) -> Dataset:
    return make_data(cfg.dataset, cfg.n_samples, cfg.noise, cfg.test_fraction,
                     cfg.effective_classes(), cfg.seed)


def checkpoint_epochs(epochs: int, n: int) -> list[int]:
    """Up to ``n`` evenly spaced epochs from 0 to ``epochs``, both ends included."""
    n = max(2, min(n, epochs + 1))
    return sorted({int(round(e)) for e in np.linspace(0, epochs, n)})


def group_key(cfg: TrainConfig) -> tuple:
    """Configs with equal keys can share a stack: same data, batches, optimiser and shapes
    (Maxout and ordinary layers of the same width can share one, see ``split_stacks``)."""
    shared = tuple((k, v) for k, v in cfg.to_dict().items() if k not in PER_MODEL)
    return shared + (tuple(ACTIVATIONS[a].learned for a in cfg.hidden_activations()),)


def _pieces(cfg: TrainConfig) -> tuple[bool, ...]:
    return tuple(ACTIVATIONS[a].pieces for a in cfg.hidden_activations())


#: merge Maxout and ordinary models into one stack while the padding costs at most this many
#: extra multiply-adds per batch (~20 µs): about what a separate stack's per-step overhead costs
MERGE_MACS = 250_000


def split_stacks(cfgs: Sequence[TrainConfig], idx: list[int]) -> list[list[int]]:
    """Split a group of stackable configs into the stacks to train.

    Models whose Maxout layers differ (some Maxout, some not at a layer) can share a stack by
    padding the ordinary models' layer to k pieces; that is exact (see ``network``) but costs
    (k - 1)·units·(fan_in + 1) multiply-adds three times per sample and padded model, so it is
    done only while that is cheaper than a separate stack."""
    by_pieces: dict[tuple[bool, ...], list[int]] = {}
    for i in idx:
        by_pieces.setdefault(_pieces(cfgs[i]), []).append(i)
    if len(by_pieces) == 1:
        return [idx]
    c0 = cfgs[idx[0]]
    fan_ins = [len(c0.features), *c0.hidden[:-1]]
    extra = 0
    for li, units in enumerate(c0.hidden):
        n_plain = sum(not _pieces(cfgs[i])[li] for i in idx)
        if n_plain < len(idx):  # some Maxout model here: the layer is k pieces wide
            extra += 3 * n_plain * (c0.maxout_k - 1) * units * (fan_ins[li] + 1)
    if extra * min(c0.batch_size, c0.n_train()) <= MERGE_MACS:
        return [idx]
    return list(by_pieces.values())


class _Trainer:
    """Trains one stack of same-shaped models; yields after every checkpoint."""

    def __init__(self, cfgs: Sequence[TrainConfig], data: Dataset) -> None:
        self.cfgs = list(cfgs)
        c0 = self.cfgs[0]
        self.data = data
        self.M = M = len(self.cfgs)
        K = data.n_classes
        self.loss = loss_for(K)
        layers = []
        fan_in = len(c0.features)  # the network sees the features of a point of the plane
        for i, units in enumerate(c0.hidden):
            acts = [ACTIVATIONS[c.hidden_activations()[i]] for c in self.cfgs]
            k = c0.maxout_k if any(a.pieces for a in acts) else 1  # shared by the group
            layers.append(Layer(fan_in, units, k, acts[0].learned, acts,
                                [param_value(a, c) for a, c in zip(acts, self.cfgs, strict=True)]))
            fan_in = units
        # n_in: the input width, for a network without hidden layers (linear / softmax)
        self.stack = Stack(layers, self.loss.n_outputs(K), M, self.loss,
                           n_in=layers[0].fan_in if layers else fan_in)
        for m, cfg in enumerate(self.cfgs):
            self._init_model(m, cfg)
        self.opt = OPTIMISERS[c0.optimizer]
        self.opt_state = self.opt.init(self.stack.P)
        self.lr = np.array([[c.lr] for c in self.cfgs])
        self.Xa_train = augment(feature_matrix(c0.features, data.X_train))
        self.Xa_test = augment(feature_matrix(c0.features, data.X_test))
        self.n_train = self.Xa_train.shape[0]
        self.Xa_eval = np.vstack([self.Xa_train, self.Xa_test])
        # feature-major copies (d + 1, n) for the hot path (Stack.train_epoch / forward_fast)
        self.XT_train = np.ascontiguousarray(self.Xa_train.T)
        self.XT_eval = np.ascontiguousarray(self.Xa_eval.T)
        self.y_eval = np.concatenate([data.y_train, data.y_test]).astype(np.float64)
        xmin, xmax, ymin, ymax = data.domain()
        self.grid_x = np.linspace(xmin, xmax, c0.grid_size)
        self.grid_y = np.linspace(ymin, ymax, c0.grid_size)
        gx, gy = np.meshgrid(self.grid_x, self.grid_y)
        # the grid stays on the raw 2-D plane; the network gets its points' features
        self.Xa_grid = augment(feature_matrix(c0.features, np.column_stack([gx.ravel(),
                                                                             gy.ravel()])))
        self.XT_grid = np.ascontiguousarray(self.Xa_grid.T)
        self.checkpoints = checkpoint_epochs(c0.epochs, c0.n_checkpoints)
        self.hist = [[] for _ in range(M)]
        self.snap = [dict(ck=[], rows=[], gc=[], gz=[], ac=[], dead=[], gp=[], gcls=[],
                          sat=[], wk=[], w=[], al=[], asleep=[]) for _ in range(M)]
        #: checkpoints whose weights are kept (bounded bytes per record; see record.py)
        snap_bytes = 8 * max(self.stack.model_params(m) for m in range(M))
        self.keep_weights = set(weight_checkpoints(self.checkpoints, snap_bytes))
        self.revived = np.zeros((M, len(layers)), dtype=np.int64)
        self.woke = np.zeros((M, len(layers)), dtype=np.int64)
        #: per layer (dead, asleep) at the previous epoch, each (M, units)
        self.prev_units: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(layers)
        #: per recorded epoch (epoch, (M, layers, 4) counts: dead, asleep, revived, woke)
        self.unit_rows: list[tuple[int, np.ndarray]] = []
        self.diverged_at: list[int | None] = [None] * M
        self.t0 = time.perf_counter()
        self.elapsed = 0.0

    # ------------------------------------------------------------------ set-up
    def _init_model(self, m: int, cfg: TrainConfig) -> None:
        rng = np.random.default_rng((cfg.seed, 1))
        st = self.stack
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

    # ------------------------------------------------------------------ measurements
    def _evaluate(self, epoch: int) -> np.ndarray:
        """Append a history row per live model (data losses, accuracies, the penalised
        objective) and the epoch's unit states; return the training loss per model."""
        st, d = self.stack, self.data
        zo = st.forward_fast(self.XT_eval)  # (M, n_out, n_train + n_test)
        nt = self.n_train
        l2 = self.cfgs[0].l2
        self._track_units(epoch)  # from the hidden z this forward pass left in its buffers
        if zo.shape[1] == 1:  # binary: the loss's softplus(z) − y·z, per sample, then means
            z = zo[:, 0]
            per = _softplus(z)
            per -= self.y_eval * z
            tr_loss, te_loss = per[:, :nt].mean(axis=1), per[:, nt:].mean(axis=1)
            correct = (z > 0) == self.y_eval
            tr_acc, te_acc = correct[:, :nt].mean(axis=1), correct[:, nt:].mean(axis=1)
        else:
            z = zo.swapaxes(1, 2)  # (M, n, n_out)
            z_tr, z_te = z[:, :nt], z[:, nt:]
            tr_loss = st.loss_value(z_tr, d.y_train)  # data losses: no L2 term
            te_loss = st.loss_value(z_te, d.y_test)
            tr_acc = (self._predict(z_tr) == d.y_train).mean(axis=1)
            te_acc = (self._predict(z_te) == d.y_test).mean(axis=1)
        # the objective the optimiser minimises: training data loss + λ/2·Σ‖W‖² (weights)
        objective = tr_loss + 0.5 * l2 * ((st.P * st.weight_mask) ** 2).sum(axis=1) if l2 \
            else tr_loss
        finite = np.isfinite(tr_loss) & np.isfinite(st.P).all(axis=1)
        for m in range(self.M):
            if self.diverged_at[m] is not None:
                continue
            if not finite[m]:
                self._diverge(m, epoch)
                continue
            self.hist[m].append((epoch, tr_loss[m], te_loss[m], tr_acc[m], te_acc[m],
                                 objective[m]))
        return tr_loss

    def _track_units(self, epoch: int) -> None:
        """Dead and asleep units of every model at this epoch, from the hidden
        pre-activations the full-set forward pass (``_evaluate``) left in the hot path's
        buffers (training columns only); revivals and wake-ups counted against the previous
        epoch. Cheap: one max over the training set per unit, and f' at that point (a unit
        can only be dead if f' is 0 there; only such a unit's z are checked one by one)."""
        st = self.stack
        L = len(st.layers)
        if not L:
            return
        hidden = st.fast().buffers(self.XT_eval.shape[1])[0]
        nt = self.n_train
        counts = np.zeros((self.M, L, 4), dtype=np.int64)
        for li in range(L):
            z = hidden[li][0]
            z = (z[None] if z.ndim == 2 else z)[..., :nt]  # (M, width, n_train)
            dead, asleep = self._unit_states(li, z, z.max(axis=-1))
            prev = self.prev_units[li]
            if prev is not None:
                self.revived[:, li] += (prev[0] & ~dead).sum(axis=1)
                self.woke[:, li] += (prev[1] & ~asleep).sum(axis=1)
            self.prev_units[li] = (dead, asleep)
            counts[:, li, 0] = dead.sum(axis=1)
            counts[:, li, 1] = asleep.sum(axis=1)
        counts[:, :, 2] = self.revived
        counts[:, :, 3] = self.woke
        self.unit_rows.append((epoch, counts))

    def _unit_states(self, li: int, z: np.ndarray, hi: np.ndarray,
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(dead, asleep) per model and unit, (M, units) bool, from feature-major training z
        (M, width, n) and its max over the samples ``hi`` (M, width). Asleep: z ≤ 0 on every
        point (Maxout: the max of its pieces). Dead: f'(z) = 0 on every point (ReLU: exactly
        when asleep; Leaky ReLU with α > 0, identity and Maxout: never)."""
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
            return asleep & (self.stack.alpha[li][:, 0, :] == 0), asleep
        if layer.uniform:
            act, p = layer.acts[0], layer.params[0]
            if act.name == "relu" or (act.name == "leaky_relu" and p == 0):
                return asleep.copy(), asleep
        dead = np.zeros_like(asleep)
        for m0, m1, act, p in layer.groups():
            if act.pieces or act.name == "identity" or (act.name == "leaky_relu" and p != 0):
                continue
            if act.name == "relu" or (act.name == "leaky_relu" and p == 0):
                dead[m0:m1] = asleep[m0:m1]
                continue
            # f' must be 0 at the max too: only those units are checked on every point
            t = top[m0:m1]
            cand = np.broadcast_to(act.df(t, act.f(t, p), p), t.shape) == 0
            for m, j in zip(*np.nonzero(cand), strict=True):
                zj = z[m0 + m, j]
                dj = np.broadcast_to(act.df(zj, act.f(zj, p), p), zj.shape)
                dead[m0 + m, j] = not (dj != 0).any()
        return dead, asleep

    def _predict(self, z: np.ndarray) -> np.ndarray:
        if z.shape[-1] == 1:
            return (z[..., 0] > 0).astype(np.int64)
        return z.argmax(axis=-1)

    def _diverge(self, m: int, epoch: int) -> None:
        self.diverged_at[m] = epoch
        self.lr[m] = 0.0
        self.stack.P[m] = self.P_prev[m]
        for v in self.opt_state.values():
            if isinstance(v, np.ndarray):
                v[m] = 0.0

    def _snapshot(self, epoch: int) -> None:
        """Full-training-set gradient and statistics for every live model.

        One forward and backward pass of the hot path on the whole training set (no update),
        statistics computed for all M models at once (the same numbers as ``grad_histogram``,
        ``act_histogram``, ``_same_sign`` and ``_same_sign_samples`` per model)."""
        st, d = self.stack, self.data
        M, L = self.M, len(st.layers)
        zg = st.forward_fast(self.XT_grid)  # (M, n_out, G²)
        if zg.shape[1] == 1:  # binary: P(class 1) = σ(z) (the loss's proba), class = argmax
            p1 = sigmoid(zg[:, 0])
            grid_p, grid_cls = p1.astype(np.float32), (p1 > 1.0 - p1).astype(np.int8)
        else:
            proba = self.loss.proba(zg.swapaxes(1, 2))
            grid_p = proba.max(axis=2).astype(np.float32)
            grid_cls = proba.argmax(axis=2).astype(np.int8)
        hidden, _, g_out, *_ = st.fast().full_gradient(self.XT_train, d.y_train,
                                                         self.cfgs[0].l2)

        def models(A: np.ndarray) -> np.ndarray:  # the hot path drops the model axis if M = 1
            return A[None] if A.ndim == 2 else A

        per_layer = []
        for li in range(L + 1):
            x = self.XT_train[:-1] if li == 0 else models(hidden[li - 1][1])[:, :-1]
            delta = models(hidden[li][6] if li < L else g_out)
            g = st.GW[li][:, :-1]  # (M, fan_in, width)
            widths = np.array([st.layers[li].model_width(m) for m in range(M)] if li < L
                              else [st.n_out] * M)
            # δ of a padded column is 0: counting over the full width, dividing by the own
            stats: dict[str, np.ndarray] = {
                "same_sign_samples": same_sign_samples_many(x, delta, widths),
                "fan_in": x.shape[-2]}
            for sel, width in self._column_sets(li):  # a mixed layer: each model its columns
                part = _gradient_stats(g[sel][..., :width])
                for key, v in part.items():
                    if key not in stats:
                        stats[key] = np.empty((M, *v.shape[1:]), dtype=v.dtype)
                    stats[key][sel] = v
            if li < L:
                dead, sat, sat_units = self._dead_saturated(li, models(hidden[li][0]),
                                                            models(hidden[li][2]))
                stats.update(dead=dead, sat=sat, sat_units=sat_units,
                             ac=act_histograms(models(hidden[li][2])))
            per_layer.append(stats)
        # finite loss and weights can still overflow on the boundary grid or in the full-set
        # gradient: that model has diverged too (reported, never drawn as NaN)
        finite = np.isfinite(grid_p).all(axis=1)
        for ls in per_layer:
            finite &= np.isfinite(ls["grad_norm"])
        for m in np.flatnonzero(~finite):
            if self.diverged_at[m] is None:
                if self.hist[m] and self.hist[m][-1][0] == epoch:
                    self.hist[m].pop()
                self._diverge(int(m), epoch)
        # per layer, plain Python values for the rows (one conversion per layer, not per value)
        cols = []
        for li, ls in enumerate(per_layer):
            c = {k: ls[k].tolist() for k in ("grad_norm", "grad_mean_abs", "same_sign",
                                             "same_sign_samples")}
            c["chance"] = same_sign_chance(ls["fan_in"])
            if li < L:
                # dead / asleep and the revival counts: this epoch's states, tracked every
                # epoch by _evaluate (so they do not depend on the number of checkpoints)
                dead, asleep = self.prev_units[li]
                ls["dead"], ls["asleep"] = dead, asleep
                count, sleeping = dead.sum(axis=1), asleep.sum(axis=1)
                c.update(dead_count=count.tolist(), dead_frac=(count / dead.shape[1]).tolist(),
                         sat=ls["sat"].tolist(), revived=self.revived[:, li].tolist(),
                         asleep_count=sleeping.tolist(),
                         asleep_frac=(sleeping / dead.shape[1]).tolist(),
                         woke=self.woke[:, li].tolist())
            cols.append(c)
        names = [layer_name(li + 1, L) for li in range(L + 1)]
        for m in range(M):
            if self.diverged_at[m] is not None:
                continue
            s = self.snap[m]
            s["ck"].append(epoch)
            for li, c in enumerate(cols):
                row = {"epoch": epoch, "layer": li + 1, "layer_name": names[li],
                       "grad_norm": c["grad_norm"][m], "grad_mean_abs": c["grad_mean_abs"][m],
                       "same_sign_frac": c["same_sign"][m],
                       "same_sign_sample_frac": c["same_sign_samples"][m],
                       "same_sign_chance": c["chance"]}
                if li < L:
                    row.update(units=st.layers[li].units, dead_frac=c["dead_frac"][m],
                               dead_count=c["dead_count"][m], saturated_frac=c["sat"][m],
                               revived=c["revived"][m], asleep_frac=c["asleep_frac"][m],
                               asleep_count=c["asleep_count"][m], woke=c["woke"][m])
                else:
                    row.update(units=st.n_out, dead_frac=np.nan, dead_count=0,
                               saturated_frac=np.nan, revived=0, asleep_frac=np.nan,
                               asleep_count=0, woke=0)
                s["rows"].append(row)
            s["gc"].append(np.array([ls["gc"][m] for ls in per_layer]))
            s["gz"].append(np.array([ls["gz"][m] for ls in per_layer]))
            s["ac"].append(np.array([ls["ac"][m] for ls in per_layer[:L]]))
            s["dead"].append([ls["dead"][m] for ls in per_layer[:L]])
            s["asleep"].append([ls["asleep"][m] for ls in per_layer[:L]])
            s["gp"].append(grid_p[m])
            s["gcls"].append(grid_cls[m])
            s["sat"].append([ls["sat_units"][m] for ls in per_layer[:L]])
            self._keep_weights(m, epoch)

    def _keep_weights(self, m: int, epoch: int) -> None:
        """Copy model m's weights (public layout) and PReLU slopes at this checkpoint; the
        previous copy is dropped unless its epoch is one of ``keep_weights`` (so the latest
        checkpoint always has its weights, and at most ``len(keep_weights) + 1`` are held)."""
        s, st = self.snap[m], self.stack
        if s["wk"] and s["wk"][-1] not in self.keep_weights:
            for key in ("wk", "w", "al"):
                s[key].pop()
        s["wk"].append(epoch)
        s["w"].append(st.get_weights(m))
        s["al"].append([st.alpha[i][m, 0].copy() if layer.learned else None
                        for i, layer in enumerate(st.layers)])

    def _column_sets(self, li: int) -> list[tuple[slice | np.ndarray, int]]:
        """(models, their width) of layer li: all models, or Maxout / the others if mixed."""
        if li < len(self.stack.layers):
            layer = self.stack.layers[li]
            if layer.mixed:
                pieces = np.array([a.pieces for a in layer.acts])
                return [(np.flatnonzero(pieces), layer.width),
                        (np.flatnonzero(~pieces), layer.units)]
        return [(slice(None), self.stack.GW[li].shape[2])]

    def _dead_saturated(self, li: int, z: np.ndarray, a: np.ndarray,
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per model: dead units (this epoch's, from ``_track_units``), the saturated fraction
        of the (sample, unit) pre-activations, and each unit's saturated fraction (M, units),
        from feature-major z, a of shape (M, width, n), (M, units, n).

        Saturated: z on a saturating tail of the activation (``Activation.saturated``: beyond
        the point from which |f'| < SATURATION_FRACTION · max|f'| all the way to ±∞), so an
        interior flat point (GELU/SiLU/Mish's minimum), Leaky ReLU's α side and ReLU's
        zero side are not counted; PReLU and Maxout never saturate."""
        layer = self.stack.layers[li]
        M, u = self.M, layer.units
        dead = self.prev_units[li][0] if self.prev_units[li] is not None \
            else np.zeros((M, u), dtype=bool)
        sat = np.zeros(M)
        sat_units = np.zeros((M, u))
        groups = [] if layer.learned else layer.groups()
        for m0, m1, act, p in groups:
            lo, hi = act.saturation_bounds(p)
            if lo == -np.inf and hi == np.inf:  # no saturating tail (Maxout, ReLU, ...)
                continue
            zz = z[m0:m1, :u]  # piece 0 (all of z unless the layer is mixed)
            tail = zz < lo
            if hi < np.inf:
                tail |= zz > hi
            per_unit = np.count_nonzero(tail, axis=-1)
            sat[m0:m1] = per_unit.sum(axis=-1) / (u * zz.shape[-1])
            sat_units[m0:m1] = per_unit / zz.shape[-1]
        return dead, sat, sat_units

    # ------------------------------------------------------------------ records
    def records(self, complete: bool) -> list[RunRecord]:
        out = []
        for m, cfg in enumerate(self.cfgs):
            s = self.snap[m]
            hist = pd.DataFrame(self.hist[m], columns=HISTORY_COLUMNS)
            hist["epoch"] = hist["epoch"].astype(np.int64)
            n_layers = len(self.stack.layers)
            dead = [np.array([d[li] for d in s["dead"]]).reshape(len(s["dead"]), -1)
                    for li in range(n_layers)]
            asleep = [np.array([d[li] for d in s["asleep"]]).reshape(len(s["asleep"]), -1)
                      for li in range(n_layers)]
            sat = [np.array([d[li] for d in s["sat"]]).reshape(len(s["sat"]), -1)
                   for li in range(n_layers)]
            out.append(RunRecord(
                config=cfg, label=cfg.label(), data=self.data, history=hist,
                checkpoints=list(s["ck"]), stats_rows=list(s["rows"]),
                grad_counts=np.array(s["gc"]), grad_zero_counts=np.array(s["gz"]),
                act_counts=np.array(s["ac"]), dead=dead,
                grid_x=self.grid_x, grid_y=self.grid_y,
                grid_p=np.array(s["gp"]), grid_cls=np.array(s["gcls"]),
                n_params=self.stack.model_params(m), diverged_at=self.diverged_at[m],
                wall_time=self.elapsed, trained_with=self.M, complete=complete,
                epochs_total=cfg.epochs, weight_epochs=list(s["wk"]), weights=list(s["w"]),
                alphas=list(s["al"]), unit_saturated=sat, asleep=asleep,
                unit_history=self._unit_history(m, hist["epoch"].to_numpy())))
        return out

    def _unit_history(self, m: int, epochs: np.ndarray) -> pd.DataFrame:
        """Model m's per-epoch unit counts (``record.UNIT_COLUMNS``) at its recorded epochs."""
        L = len(self.stack.layers)
        keep = set(epochs.tolist())
        rows = [(e, c[m]) for e, c in self.unit_rows if e in keep]
        if not rows or not L:
            return pd.DataFrame(columns=UNIT_COLUMNS).astype(np.int64)
        ep = np.repeat(np.array([e for e, _ in rows], dtype=np.int64), L)
        c = np.concatenate([r for _, r in rows])  # (E·L, 4)
        units = np.array([layer.units for layer in self.stack.layers], dtype=np.int64)
        return pd.DataFrame({"epoch": ep, "layer": np.tile(np.arange(1, L + 1), len(rows)),
                             "units": np.tile(units, len(rows)), "dead_count": c[:, 0],
                             "asleep_count": c[:, 1], "revived": c[:, 2], "woke": c[:, 3]})

    # ------------------------------------------------------------------ the loop
    def run(self) -> Iterator[int]:
        """Train; yield the epoch after each checkpoint."""
        c0 = self.cfgs[0]
        st = self.stack
        n = self.Xa_train.shape[0]
        B = min(c0.batch_size, n)
        y = self.data.y_train
        rng = np.random.default_rng((c0.seed, 2))
        ck = set(self.checkpoints)
        # (e, x): the updates after epoch e use the rate x (shared by the stack: see
        # group_key); the run up to e is the same computation as without the change
        lr_changes = dict(c0.lr_changes)
        step, momentum, l2 = self.opt.step, c0.momentum, c0.l2
        with engine():
            self.P_prev = st.P.copy()
            self._evaluate(0)
            self._snapshot(0)
        self.elapsed = time.perf_counter() - self.t0
        yield 0
        epoch, stop = 0, False
        while epoch < c0.epochs and not stop:
            with engine():  # not held across the yield: the caller runs in its own state
                while epoch < c0.epochs:
                    if epoch in lr_changes:
                        for m in range(self.M):
                            if self.diverged_at[m] is None:  # a diverged model stays at 0
                                self.lr[m] = lr_changes[epoch]
                    epoch += 1
                    self.P_prev[...] = st.P
                    if B < n:
                        perm = rng.permutation(n)
                        XTs, ys = self.XT_train.take(perm, axis=1), y.take(perm)
                    else:
                        XTs, ys = self.XT_train, y
                    # one learning rate for all: a number (the same products, cheaper)
                    lr = float(self.lr[0, 0]) if (self.lr == self.lr[0, 0]).all() else self.lr
                    st.train_epoch(XTs, ys, B, step, self.opt_state, lr, momentum, l2)
                    self._evaluate(epoch)
                    if all(d is not None for d in self.diverged_at):
                        stop = True
                        break
                    if epoch in ck:
                        self._snapshot(epoch)
                        break
            if not stop and epoch in ck:
                self.elapsed = time.perf_counter() - self.t0
                yield epoch
        self.elapsed = time.perf_counter() - self.t0


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


def _softplus(z: np.ndarray) -> np.ndarray:
    """ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|): ``np.logaddexp(0, z)`` (the binary loss's
    form, equal to ~1 ulp) in five vectorised operations, several times faster."""
    out = np.abs(z)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += np.maximum(z, 0.0)
    return out


def _same_sign(g: np.ndarray) -> float:
    """Among the units (columns of g, fan_in × units) whose gradient has a nonzero component,
    the share whose nonzero components all have one sign; NaN if there is no such unit (or
    fan-in < 2). An all-zero column (a dead unit) is neither same-sign nor not: left out."""
    if g.shape[0] < 2:
        return float("nan")
    pos, neg = (g > 0).any(axis=0), (g < 0).any(axis=0)
    live = np.count_nonzero(pos | neg)
    return float(np.count_nonzero(pos ^ neg) / live) if live else float("nan")


def _same_sign_samples(x: np.ndarray, delta: np.ndarray) -> float:
    """Among the nonzero per-sample updates x_n·δ_nj (δ_nj ≠ 0 and x_n ≠ 0; x is n × fan_in,
    δ n × units), the share whose nonzero components all have one sign; NaN if none.

    With all-positive inputs (after a sigmoid or ReLU layer) every per-sample update of a unit
    moves all its weights the same way (claim 3); with zero-centred inputs rarely. A pair with
    δ = 0 (a unit closed on that sample) or x = 0 moves nothing and is left out.
    """
    if x.shape[1] < 2:
        return float("nan")
    pos, neg = (x > 0).any(axis=1), (x < 0).any(axis=1)
    one_sign = (pos ^ neg).astype(np.float64)
    live = (delta != 0).astype(np.float64)
    moving = (pos | neg).astype(np.float64) @ live.sum(axis=1)
    return float(one_sign @ live.sum(axis=1) / moving) if moving else float("nan")


def _gradient_stats(g: np.ndarray) -> dict[str, np.ndarray]:
    """Per model of g (M, fan_in, width): histogram counts, zeros, norm, mean |g|, same-sign
    fraction of units."""
    counts, zeros = _grad_counts(g)
    flat = g.reshape(g.shape[0], -1)
    return dict(gc=counts, gz=zeros,
                grad_norm=np.sqrt((flat * flat).sum(axis=1)),
                grad_mean_abs=np.abs(flat).mean(axis=1), same_sign=same_sign_many(g))


def grad_histograms(g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``record.grad_histogram`` of each ``g[m]`` at once: pos (M, bins), neg (M, bins), zeros (M,)."""
    counts, zeros = _grad_counts(g)
    return counts[:, 0], counts[:, 1], zeros


def _grad_counts(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts (M, 2, bins) (positive, negative) and zeros (M,) of each ``g[m]``."""
    M = g.shape[0]
    g = g.reshape(M, -1)
    nb = len(GRAD_BINS) - 1
    mag = np.abs(g)
    nz = mag > 0
    zeros = g.shape[1] - nz.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        idx = np.log10(mag)
        idx -= GRAD_LOG_LO
        idx /= GRAD_LOG_STEP
        np.floor(idx, out=idx)
    # counted entries (0 < |g|) are finite or +inf: into [0, nb - 1] as nan_to_num + clip do
    np.minimum(idx, nb - 1, out=idx)
    np.fmax(idx, 0, out=idx)  # (and NaN -> 0 before the int cast; they are not counted)
    key = idx.astype(np.int64)
    key += nb * ~(g > 0) + (2 * nb) * np.arange(M)[:, None]
    return np.bincount(key[nz], minlength=2 * nb * M).reshape(M, 2, nb), zeros


def act_histograms(a: np.ndarray) -> np.ndarray:
    """``record.act_histogram`` of each ``a[m]`` at once: (M, bins)."""
    M = a.shape[0]
    nb = len(ACT_BINS) - 1
    step = ACT_BINS[1] - ACT_BINS[0]
    idx = np.subtract(a, ACT_BINS[0]).reshape(M, -1)  # (a may be a strided view)
    if np.frexp(step)[0] == 0.5:  # a power of two: ·(1/step) is exactly /step, and faster
        idx *= 1.0 / step
    else:
        idx /= step
    np.fmax(idx, 0, out=idx)  # NaN -> 0, as nan_to_num(nan=0) + clip
    np.minimum(idx, nb - 1, out=idx)
    key = idx.astype(np.int64)  # truncation = floor on [0, nb - 1]
    key += nb * np.arange(M)[:, None]
    return np.bincount(key.ravel(), minlength=nb * M).reshape(M, nb)


def same_sign_many(g: np.ndarray) -> np.ndarray:
    """``_same_sign(g[m])`` for each m; g is (M, fan_in, width)."""
    if g.shape[1] < 2:
        return np.full(g.shape[0], np.nan)
    pos, neg = (g > 0).any(axis=1), (g < 0).any(axis=1)
    live = np.count_nonzero(pos | neg, axis=1)
    same = np.count_nonzero(pos ^ neg, axis=1)
    out = np.full(g.shape[0], np.nan)
    np.divide(same, live, out=out, where=live > 0)
    return out


def same_sign_samples_many(xT: np.ndarray, deltaT: np.ndarray,
                           widths: np.ndarray | None = None) -> np.ndarray:
    """``_same_sign_samples(xT[m].T, deltaT[m].T)`` for each m, from feature-major inputs
    ``xT`` (M, fan_in, n) or shared (fan_in, n) and δ (M, width, n); ``widths`` is accepted
    for a zero-padded δ (padded columns have δ = 0 and are left out by definition)."""
    M, W, n = deltaT.shape
    if xT.shape[-2] < 2:
        return np.full(M, np.nan)
    hi, lo = xT.max(axis=-2), xT.min(axis=-2)  # (NaN: neither, as all/any would say)
    one_sign = ((lo >= 0) & (hi > 0)) | ((hi <= 0) & (lo < 0))
    nonzero = (hi > 0) | (lo < 0)  # x_n ≠ 0
    live = deltaT != 0
    moving = live & nonzero[..., None, :]  # the nonzero updates: the denominator
    live &= one_sign[..., None, :]  # nonzero δ of one-sign samples: the numerator
    num = np.array([np.count_nonzero(v) for v in live], dtype=np.float64)
    den = np.array([np.count_nonzero(v) for v in moving], dtype=np.float64)
    out = np.full(M, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


# ---------------------------------------------------------------------- public API
def iter_train(cfg: TrainConfig, data: Dataset | None = None, every: int = 1,
               ) -> Iterator[RunRecord]:
    """Yield a partial record every ``every`` checkpoints, and the complete one last."""
    trainer = _Trainer([cfg], data if data is not None else data_for(cfg))
    for i, _ in enumerate(trainer.run()):
        if i % every == 0:
            yield trainer.records(complete=False)[0]
    yield trainer.records(complete=True)[0]


def train(cfg: TrainConfig, data: Dataset | None = None) -> RunRecord:
    """Train one network; returns its complete RunRecord."""
    trainer = _Trainer([cfg], data if data is not None else data_for(cfg))
    for _ in trainer.run():
        pass
    return trainer.records(complete=True)[0]


def train_many(cfgs: Sequence[TrainConfig], data: Dataset | None = None,
               progress: Callable[[float], None] | None = None) -> list[RunRecord]:
    """Train several configs; same-shaped ones that share data and optimiser run stacked
    (Maxout with the others while the padding is cheap, see ``split_stacks``); each record equals
    its config's ``train`` record.

    Returns the records in the order of ``cfgs``. ``progress(fraction)`` is called as it goes.
    """
    groups: dict[tuple, list[int]] = {}
    for i, cfg in enumerate(cfgs):
        groups.setdefault(group_key(cfg), []).append(i)
    todo = [st for idx in groups.values() for st in split_stacks(cfgs, idx)]
    out: list[RunRecord | None] = [None] * len(cfgs)
    total = sum(c.epochs for c in cfgs) or 1
    done = 0
    datasets: dict[tuple, Dataset] = {}
    for idx in todo:
        c0 = cfgs[idx[0]]
        if data is None:
            key = tuple(getattr(c0, f) for f in DATA_FIELDS)
            if key not in datasets:
                datasets[key] = data_for(c0)
            d = datasets[key]
        else:
            d = data
        trainer = _Trainer([cfgs[i] for i in idx], d)
        for epoch in trainer.run():
            if progress is not None:
                progress(min(1.0, (done + epoch * len(idx)) / total))
        done += c0.epochs * len(idx)
        for i, rec in zip(idx, trainer.records(complete=True), strict=True):
            out[i] = rec
    if progress is not None:
        progress(1.0)
    return out  # type: ignore[return-value]
