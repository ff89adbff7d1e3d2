"""Training: a pure function of a config (or a list of configs) to run records.

``train(cfg)`` trains one network; ``iter_train(cfg)`` yields partial records at checkpoints
(so a page can draw while it trains); ``train_many(cfgs)`` trains several networks at once:
configs that agree on the data, batch order and optimiser settings and whose layer shapes
match (e.g. sigmoid, tanh, ReLU, Leaky ReLU side by side) share one stacked parameter array,
one batch order and one set of matrix products, which is much cheaper than one by one.

Randomness: the data come from ``make_data(..., seed)``; initial weights from
``default_rng((seed, 1))`` drawn afresh for each model (so models of the same shape start from
the same draws); the batch order from ``default_rng((seed, 2))``. Nothing touches global state.

The gradient statistics at a checkpoint use the **full training set** (one extra forward and
backward pass, no update). A model whose training loss or parameters become NaN/inf stops at
that epoch: ``diverged_at`` is set, the history ends before it, and the other models of the
stack carry on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS, param_value
from .config import TrainConfig
from .datasets import Dataset, make_data
from .initialisers import INITIALISERS
from .losses import loss_for
from .network import PRELU_INIT, Layer, Stack, augment
from .optimisers import OPTIMISERS
from .record import SATURATION_FRACTION, RunRecord, act_histogram, grad_histogram, layer_name

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


def _shape_key(cfg: TrainConfig) -> tuple:
    acts = [ACTIVATIONS[a] for a in cfg.hidden_activations()]
    return tuple((a.pieces and cfg.maxout_k, a.learned) for a in acts)


def _group_key(cfg: TrainConfig) -> tuple:
    shared = tuple((k, v) for k, v in cfg.to_dict().items() if k not in PER_MODEL)
    return shared + (_shape_key(cfg),)


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
            layers.append(Layer(fan_in, units, c0.maxout_k if acts[0].pieces else 1,
                                acts[0].learned, acts, [param_value(a, c) for a, c in
                                                        zip(acts, self.cfgs, strict=True)]))
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
        xmin, xmax, ymin, ymax = data.domain()
        self.grid_x = np.linspace(xmin, xmax, c0.grid_size)
        self.grid_y = np.linspace(ymin, ymax, c0.grid_size)
        gx, gy = np.meshgrid(self.grid_x, self.grid_y)
        self.Xa_grid = augment(np.column_stack([gx.ravel(), gy.ravel()]))
        self.checkpoints = checkpoint_epochs(c0.epochs, c0.n_checkpoints)
        self.hist = [[] for _ in range(M)]
        self.snap = [dict(ck=[], rows=[], gc=[], gz=[], ac=[], dead=[], gp=[], gcls=[])
                     for _ in range(M)]
        self.revived = np.zeros((M, len(layers)), dtype=np.int64)
        self.prev_dead: list[np.ndarray | None] = [None] * M
        self.diverged_at: list[int | None] = [None] * M
        self.t0 = time.perf_counter()
        self.elapsed = 0.0

    # ------------------------------------------------------------------ set-up
    def _init_model(self, m: int, cfg: TrainConfig) -> None:
        rng = np.random.default_rng((cfg.seed, 1))
        st = self.stack
        for i, layer in enumerate(st.layers):
            init = INITIALISERS[cfg.resolved_init(i)]
            st.W[i][m, :-1] = init(rng, layer.fan_in, layer.units, layer.width, cfg.init_scale)
            st.W[i][m, -1] = cfg.bias_init
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
        z = st.logits(self.Xa_eval)
        z_tr, z_te = z[:, :self.n_train], z[:, self.n_train:]
        l2 = self.cfgs[0].l2
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
        """Full-training-set gradient and statistics for every live model."""
        st, d = self.stack, self.data
        proba = self.loss.proba(st.logits(self.Xa_grid))  # before the cache: buffers are per n
        cache = st.forward(self.Xa_train)
        dfs, deltas = st.backward(cache, d.y_train, self.cfgs[0].l2, keep=True)
        n_hidden = len(st.layers)
        for m in range(self.M):
            if self.diverged_at[m] is not None:
                continue
            s = self.snap[m]
            s["ck"].append(epoch)
            gcounts, gzeros, acounts, dead_now = [], [], [], []
            for li in range(n_hidden + 1):
                g = st.GW[li][m, :-1]
                pos, neg, zeros = grad_histogram(g)
                gcounts.append((pos, neg))
                gzeros.append(zeros)
                x = cache.inputs[li]
                x = x[m, :, :-1] if x.ndim == 3 else x[:, :-1]
                delta = deltas[li][m]
                row = {"epoch": epoch, "layer": li + 1,
                       "layer_name": layer_name(li + 1, n_hidden),
                       "grad_norm": float(np.sqrt((g * g).sum())),
                       "grad_mean_abs": float(np.abs(g).mean()),
                       "same_sign_frac": _same_sign(g), "same_sign_sample_frac":
                       _same_sign_samples(x, delta)}
                if li < n_hidden:
                    layer = st.layers[li]
                    act = layer.acts[m]
                    df = dfs[li][m]
                    a = cache.a[li][m]
                    if layer.k > 1:
                        dead = np.zeros(layer.units, dtype=bool)
                        sat = 0.0
                    else:
                        dead = ~(df != 0).any(axis=0)
                        sat = (float((np.abs(df) < SATURATION_FRACTION * act.df_max).mean())
                               if act.saturating != "no" else 0.0)
                    prev = self.prev_dead[m]
                    if prev is not None:
                        self.revived[m, li] += int((prev[li] & ~dead).sum())
                    dead_now.append(dead)
                    acounts.append(act_histogram(a))
                    row.update(units=layer.units, dead_frac=float(dead.mean()),
                               dead_count=int(dead.sum()), saturated_frac=sat,
                               revived=int(self.revived[m, li]))
                else:
                    row.update(units=st.n_out, dead_frac=np.nan, dead_count=0,
                               saturated_frac=np.nan, revived=0)
                s["rows"].append(row)
            self.prev_dead[m] = dead_now
            s["gc"].append(np.array(gcounts))
            s["gz"].append(np.array(gzeros))
            s["ac"].append(np.array(acounts) if acounts else np.zeros((0, 48), dtype=np.int64))
            s["dead"].append(dead_now)
            p = proba[m]
            cls = p.argmax(axis=1)
            conf = p[:, 1] if p.shape[1] == 2 else p.max(axis=1)
            s["gp"].append(conf.astype(np.float32))
            s["gcls"].append(cls.astype(np.int8))

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
                n_params=self.stack.n_params, diverged_at=self.diverged_at[m],
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
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            self.P_prev = st.P.copy()
            self._evaluate(0)
            self._snapshot(0)
            self.elapsed = time.perf_counter() - self.t0
            yield 0
            for epoch in range(1, c0.epochs + 1):
                self.P_prev[...] = st.P
                if B < n:
                    perm = rng.permutation(n)
                    Xs, ys = self.Xa_train[perm], y[perm]
                else:
                    Xs, ys = self.Xa_train, y
                for start in range(0, n, B):
                    xb, yb = Xs[start:start + B], ys[start:start + B]
                    st.backward(st.forward(xb), yb, l2)
                    step(st.P, st.G, self.opt_state, self.lr, momentum)
                self._evaluate(epoch)
                if all(d is not None for d in self.diverged_at):
                    break
                if epoch in ck:
                    self._snapshot(epoch)
                    self.elapsed = time.perf_counter() - self.t0
                    yield epoch
        self.elapsed = time.perf_counter() - self.t0


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
    """Train several configs; same-shaped ones that share data and optimiser run stacked.

    Returns the records in the order of ``cfgs``. ``progress(fraction)`` is called as it goes.
    """
    groups: dict[tuple, list[int]] = {}
    for i, cfg in enumerate(cfgs):
        groups.setdefault(_group_key(cfg), []).append(i)
    out: list[RunRecord | None] = [None] * len(cfgs)
    total = sum(c.epochs for c in cfgs) or 1
    done = 0
    datasets: dict[tuple, Dataset] = {}
    for idx in groups.values():
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
