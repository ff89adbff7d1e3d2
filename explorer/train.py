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
compute every statistic for all models at once, and BLAS runs on one thread (see ``_engine``).

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
from .initialisers import INITIALISERS
from .losses import loss_for
from .network import PRELU_INIT, Layer, Stack, augment
from .optimisers import OPTIMISERS
from .record import (
    ACT_BINS,
    GRAD_BINS,
    GRAD_LOG_LO,
    GRAD_LOG_STEP,
    SATURATION_FRACTION,
    RunRecord,
    layer_name,
)

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


def _group_key(cfg: TrainConfig) -> tuple:
    """Configs with equal keys can share a stack: same data, batches, optimiser and shapes
    (Maxout and ordinary layers of the same width can share one, see ``_stacks``)."""
    shared = tuple((k, v) for k, v in cfg.to_dict().items() if k not in PER_MODEL)
    return shared + (tuple(ACTIVATIONS[a].learned for a in cfg.hidden_activations()),)


def _pieces(cfg: TrainConfig) -> tuple[bool, ...]:
    return tuple(ACTIVATIONS[a].pieces for a in cfg.hidden_activations())


#: merge Maxout and ordinary models into one stack while the padding costs at most this many
#: extra multiply-adds per batch (~20 µs): about what a separate stack's per-step overhead costs
MERGE_MACS = 250_000


def _stacks(cfgs: Sequence[TrainConfig], idx: list[int]) -> list[list[int]]:
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
    fan_ins = [2, *c0.hidden[:-1]]
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
        fan_in = data.X_train.shape[1]
        for i, units in enumerate(c0.hidden):
            acts = [ACTIVATIONS[c.hidden_activations()[i]] for c in self.cfgs]
            k = c0.maxout_k if any(a.pieces for a in acts) else 1  # shared by the group
            layers.append(Layer(fan_in, units, k, acts[0].learned, acts,
                                [param_value(a, c) for a, c in zip(acts, self.cfgs, strict=True)]))
            fan_in = units
        self.stack = Stack(layers, self.loss.n_outputs(K), M, self.loss)
        for m, cfg in enumerate(self.cfgs):
            self._init_model(m, cfg)
        self.opt = OPTIMISERS[c0.optimizer]
        self.opt_state = self.opt.init(self.stack.P)
        self.lr = np.array([[c.lr] for c in self.cfgs])
        self.Xa_train = augment(data.X_train)
        self.Xa_test = augment(data.X_test)
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
        self.Xa_grid = augment(np.column_stack([gx.ravel(), gy.ravel()]))
        self.XT_grid = np.ascontiguousarray(self.Xa_grid.T)
        self.checkpoints = checkpoint_epochs(c0.epochs, c0.n_checkpoints)
        self.hist = [[] for _ in range(M)]
        self.snap = [dict(ck=[], rows=[], gc=[], gz=[], ac=[], dead=[], gp=[], gcls=[])
                     for _ in range(M)]
        self.revived = np.zeros((M, len(layers)), dtype=np.int64)
        self.prev_dead: list[np.ndarray | None] = [None] * len(layers)  # (M, units) per layer
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
        """Append a history row per live model; return the training loss per model."""
        st, d = self.stack, self.data
        zo = st.forward_fast(self.XT_eval)  # (M, n_out, n_train + n_test)
        nt = self.n_train
        l2 = self.cfgs[0].l2
        if zo.shape[1] == 1:  # binary: the loss's softplus(z) − y·z, per sample, then means
            z = zo[:, 0]
            per = _softplus(z)
            per -= self.y_eval * z
            tr_loss, te_loss = per[:, :nt].mean(axis=1), per[:, nt:].mean(axis=1)
            correct = (z > 0) == self.y_eval
            tr_acc, te_acc = correct[:, :nt].mean(axis=1), correct[:, nt:].mean(axis=1)
            if l2:
                penalty = 0.5 * l2 * ((st.P * st.weight_mask) ** 2).sum(axis=1)
                tr_loss, te_loss = tr_loss + penalty, te_loss + penalty
        else:
            z = zo.swapaxes(1, 2)  # (M, n, n_out)
            z_tr, z_te = z[:, :nt], z[:, nt:]
            tr_loss = st.loss_value(z_tr, d.y_train, l2)
            te_loss = st.loss_value(z_te, d.y_test, l2)
            tr_acc = (self._predict(z_tr) == d.y_train).mean(axis=1)
            te_acc = (self._predict(z_te) == d.y_test).mean(axis=1)
        finite = np.isfinite(tr_loss) & np.isfinite(st.P).all(axis=1)
        for m in range(self.M):
            if self.diverged_at[m] is not None:
                continue
            if not finite[m]:
                self._diverge(m, epoch)
                continue
            self.hist[m].append((epoch, tr_loss[m], te_loss[m], tr_acc[m], te_acc[m]))
        return tr_loss

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
                "same_sign_samples": same_sign_samples_many(x, delta, widths)}
            for sel, width in self._column_sets(li):  # a mixed layer: each model its columns
                part = _gradient_stats(g[sel][..., :width])
                for key, v in part.items():
                    if key not in stats:
                        stats[key] = np.empty((M, *v.shape[1:]), dtype=v.dtype)
                    stats[key][sel] = v
            if li < L:
                dead, sat = self._dead_saturated(li, models(hidden[li][0]),
                                                 models(hidden[li][2]))
                stats.update(dead=dead, sat=sat, ac=act_histograms(models(hidden[li][2])))
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
            if li < L:
                dead = ls["dead"]
                if self.prev_dead[li] is not None:
                    self.revived[:, li] += (self.prev_dead[li] & ~dead).sum(axis=1)
                self.prev_dead[li] = dead
                count = dead.sum(axis=1)
                c.update(dead_count=count.tolist(), dead_frac=(count / dead.shape[1]).tolist(),
                         sat=ls["sat"].tolist(), revived=self.revived[:, li].tolist())
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
                       "same_sign_sample_frac": c["same_sign_samples"][m]}
                if li < L:
                    row.update(units=st.layers[li].units, dead_frac=c["dead_frac"][m],
                               dead_count=c["dead_count"][m], saturated_frac=c["sat"][m],
                               revived=c["revived"][m])
                else:
                    row.update(units=st.n_out, dead_frac=np.nan, dead_count=0,
                               saturated_frac=np.nan, revived=0)
                s["rows"].append(row)
            s["gc"].append(np.array([ls["gc"][m] for ls in per_layer]))
            s["gz"].append(np.array([ls["gz"][m] for ls in per_layer]))
            s["ac"].append(np.array([ls["ac"][m] for ls in per_layer[:L]]))
            s["dead"].append([ls["dead"][m] for ls in per_layer[:L]])
            s["gp"].append(grid_p[m])
            s["gcls"].append(grid_cls[m])

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
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Per model: dead units (f'(z) = 0 on every sample) and the saturated fraction of
        f'(z) values, from feature-major z, a of shape (M, width, n), (M, units, n)."""
        layer = self.stack.layers[li]
        M, u = self.M, layer.units
        dead = np.zeros((M, u), dtype=bool)
        sat = np.zeros(M)
        if layer.learned:
            alpha = self.stack.alpha[li].transpose(0, 2, 1)  # (M, units, 1)
            groups = [(0, M, layer.acts[0], alpha)]
        else:
            groups = layer.groups()
        for m0, m1, act, p in groups:
            if act.pieces:  # Maxout: never dead, never saturated
                continue
            zz, aa = z[m0:m1, :u], a[m0:m1]  # piece 0 (all of z unless the layer is mixed)
            if layer.learned:
                df = np.where(zz > 0, 1.0, p)
            elif act.name == "leaky_relu" and 0.0 <= p <= 1.0:  # where(z > 0, 1, p), faster
                df = np.maximum(np.sign(zz), p)
            else:
                df = np.broadcast_to(act.df(zz, aa, p), zz.shape)
            dead[m0:m1] = ~(df != 0).any(axis=-1)
            if act.saturating != "no":
                low = np.abs(df) < SATURATION_FRACTION * act.deriv_max(p)
                sat[m0:m1] = [np.count_nonzero(v) / v.size for v in low]  # = low.mean((1, 2))
        return dead, sat

    # ------------------------------------------------------------------ records
    def records(self, complete: bool) -> list[RunRecord]:
        out = []
        for m, cfg in enumerate(self.cfgs):
            s = self.snap[m]
            hist = pd.DataFrame(self.hist[m], columns=["epoch", "train_loss", "test_loss",
                                                       "train_acc", "test_acc"])
            hist["epoch"] = hist["epoch"].astype(np.int64)
            n_layers = len(self.stack.layers)
            dead = [np.array([d[li] for d in s["dead"]]).reshape(len(s["dead"]), -1)
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
                epochs_total=cfg.epochs))
        return out

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
        step, momentum, l2 = self.opt.step, c0.momentum, c0.l2
        with _engine():
            self.P_prev = st.P.copy()
            self._evaluate(0)
            self._snapshot(0)
        self.elapsed = time.perf_counter() - self.t0
        yield 0
        epoch, stop = 0, False
        while epoch < c0.epochs and not stop:
            with _engine():  # not held across the yield: the caller runs in its own state
                while epoch < c0.epochs:
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
def _engine() -> Iterator[None]:
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
    """Fraction of units whose incoming-weight gradient components all share one sign."""
    if g.shape[0] < 2:
        return float("nan")
    return float(((g > 0).all(axis=0) | (g < 0).all(axis=0)).mean())


def _same_sign_samples(x: np.ndarray, delta: np.ndarray) -> float:
    """Fraction of (sample, unit) updates x_n·δ_nj whose nonzero components share one sign.

    With all-positive inputs (after a sigmoid or ReLU layer) every per-sample update of a unit
    moves all its weights the same way (claim 3); with zero-centred inputs rarely.
    """
    if x.shape[1] < 2:
        return float("nan")
    one_sign = (((x >= 0).all(axis=1) & (x > 0).any(axis=1))
                | ((x <= 0).all(axis=1) & (x < 0).any(axis=1))).astype(np.float64)
    live = (delta != 0).astype(np.float64)
    return float(one_sign @ live.sum(axis=1) / max(1, live.size))


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
    return ((g > 0).all(axis=1) | (g < 0).all(axis=1)).mean(axis=1)


def same_sign_samples_many(xT: np.ndarray, deltaT: np.ndarray,
                           widths: np.ndarray | None = None) -> np.ndarray:
    """``_same_sign_samples(xT[m].T, deltaT[m].T)`` for each m, from feature-major inputs
    ``xT`` (M, fan_in, n) or shared (fan_in, n) and δ (M, width, n); ``widths``: each model's
    own width if δ is zero-padded beyond it."""
    M, W, n = deltaT.shape
    if xT.shape[-2] < 2:
        return np.full(M, np.nan)
    hi, lo = xT.max(axis=-2), xT.min(axis=-2)  # (NaN: neither, as all/any would say)
    one_sign = ((lo >= 0) & (hi > 0)) | ((hi <= 0) & (lo < 0))
    live = deltaT != 0
    live &= one_sign[..., None, :]  # nonzero δ of one-sign samples: their count per model
    w = np.full(M, W) if widths is None else widths
    return np.array([np.count_nonzero(v) for v in live]) / np.maximum(1, w * n)


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
    (Maxout with the others while the padding is cheap, see ``_stacks``); each record equals
    its config's ``train`` record.

    Returns the records in the order of ``cfgs``. ``progress(fraction)`` is called as it goes.
    """
    groups: dict[tuple, list[int]] = {}
    for i, cfg in enumerate(cfgs):
        groups.setdefault(_group_key(cfg), []).append(i)
    stacks = [st for idx in groups.values() for st in _stacks(cfgs, idx)]
    out: list[RunRecord | None] = [None] * len(cfgs)
    total = sum(c.epochs for c in cfgs) or 1
    done = 0
    datasets: dict[tuple, Dataset] = {}
    for idx in stacks:
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
