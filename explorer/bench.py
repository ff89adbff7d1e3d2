"""Benchmark: explorer vs scikit-learn's MLPClassifier on the same workload, in one process.

    python -m explorer.bench [--repeats 3]
    python -m explorer.bench --work-model     # CPU over counted work (labs.budget), and stop

Workload: make_moons n=1000 noise 0.2 (75/25 split, standardised), hidden (16, 16), SGD lr 0.1,
momentum 0, batch 32, 300 epochs, no L2, MLPClassifier's initialisation scheme (``same_init``).
Both engines get the same training set. The explorer
runs with its default recording on (50 checkpoints of full-set gradients, histograms and
boundary grids, plus per-epoch train/test loss). MLPClassifier runs all 300 epochs
(n_iter_no_change is set past max_iter). Runs alternate between engines; the median of
``--repeats`` runs is reported.

Then the worst cases the bounds allow (``BOUND_CASES``, ``WORST_CASES``: the largest nets and the
per-update worst cases at the most epochs TrainConfig accepts): seconds for one run, timed over
``--worst-epochs`` epochs and scaled to all of them (``--worst-full`` runs them to the end), and
the ratio to the default Playground run (``TrainConfig()``) timed in the same process. The tests
check these bounds by counting the work the engine does (tests/test_extremes.py); the seconds
are measured here only. The last line is machine-readable:

    BENCH single_speedup=<median over activations of sklearn/explorer> compare_speedup=<...>
          single_best=<the same from the best runs> compare_best=<...>
          single_recording=<share of train() outside the hot path> compare_recording=<...>
          worst_case_s=<slowest case, seconds> worst_ratio=<that / the default run>

Besides the ratios it prints the **recording cost**: the share of ``train()``'s time spent
outside the hot path (``Trainer.train_epoch``: forward, backward and update over the batches),
i.e. in the per-epoch history and unit tracking, the checkpoints and the records, with the
ratio of the hot path alone; and the **per-step floor**: the numpy calls one minibatch step
makes (counted, ``calls_per_step``) times the time of one minimal numpy call
(``per_call_floor``), next to the hot path's measured time per step. The machine's load
average is printed first and last (the ratios are same-process ratios; ``--no-worst`` skips the
worst cases).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
import warnings
from collections.abc import Callable, Iterator

import numpy as np

from .config import FIELDS, MAX_LAYERS, MAX_UNITS, MAX_WORK, TrainConfig
from .train import Trainer, data_for, train, train_many

WORKLOAD = dict(dataset="moons", n_samples=1000, noise=0.2, hidden=(16, 16), optimizer="sgd",
                lr=0.1, momentum=0.0, batch_size=32, epochs=300, l2=0.0, seed=0)
SINGLE = [("tanh", "tanh"), ("relu", "relu"), ("sigmoid", "logistic")]


def same_init(cfg: TrainConfig) -> TrainConfig:
    """MLPClassifier's initial weights: Glorot uniform, bound sqrt(6/(in+out)), and
    sqrt(2/(in+out)) for logistic (gain 1/sqrt 3); its biases are random too (ours start at 0)."""
    gain = 3 ** -0.5 if cfg.activation == "sigmoid" else 1.0
    return cfg.replace(init="xavier_uniform", init_scale=gain)


def accepted(epochs: int, kw: dict) -> bool:
    """Whether TrainConfig accepts ``epochs`` with the settings ``kw``."""
    try:
        TrainConfig(epochs=epochs, **kw)
    except ValueError:
        return False
    return True


def at_bound(**kw) -> TrainConfig:
    """The config with the most epochs TrainConfig accepts for these settings (whatever bounds
    it enforces: the epochs field, MAX_WORK, MAX_LAYER_STEPS, or any later limit)."""
    lo, hi = 1, int(FIELDS["epochs"].hi)
    if not accepted(lo, kw):
        raise ValueError(f"not even 1 epoch is allowed for {kw}")
    while lo < hi:  # largest accepted number of epochs
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if accepted(mid, kw) else (lo, mid - 1)
    cfg = TrainConfig(epochs=lo, **kw)
    assert cfg.work() <= MAX_WORK
    return cfg


#: the largest Maxout nets (depth × width at the bounds), at the largest epochs the work bound
#: allows, with learning rates that do not diverge (a diverged run stops early and proves nothing)
BOUND_CASES = {
    f"12x{MAX_UNITS}-maxout2-batch32": dict(hidden=(MAX_UNITS,) * MAX_LAYERS, activation="maxout",
                                  maxout_k=2, lr=1e-3),
    f"12x{MAX_UNITS}-maxout5-fullbatch": dict(hidden=(MAX_UNITS,) * MAX_LAYERS, activation="maxout",
                                    maxout_k=5, lr=1e-4, n_samples=2000, batch_size=2000),
}

#: where the per-update overhead dominates (many tiny updates: few multiply-adds, many layer
#: steps), where both bounds bite, and a wide net with small batches and six classes
WORST_CASES = {
    "12x1-maxout5-batch1": dict(hidden=(1,) * MAX_LAYERS, activation="maxout",
                                maxout_k=int(FIELDS["maxout_k"].hi),
                                n_samples=int(FIELDS["n_samples"].hi), batch_size=1, lr=1e-4),
    "12x16-maxout5-batch1": dict(hidden=(16,) * MAX_LAYERS, activation="maxout",
                                 maxout_k=int(FIELDS["maxout_k"].hi),
                                 n_samples=int(FIELDS["n_samples"].hi), batch_size=1, lr=1e-4),
    f"12x{MAX_UNITS}-mish-spiral6-batch8": dict(hidden=(MAX_UNITS,) * MAX_LAYERS, activation="mish",
                                      dataset="spiral", n_classes=6,
                                      n_samples=int(FIELDS["n_samples"].hi), batch_size=8,
                                      lr=1e-4),
}


def worst_cases(epochs: int = 3, full: bool = False, reps: int = 3) -> tuple[float, float]:
    """Print the seconds of every bound case and its ratio to the default run; return the
    slowest case's seconds and ratio."""
    default = statistics.median(_timed(lambda: train(TrainConfig()))[0] for _ in range(reps))
    print(f"worst cases at the bounds (default Playground run: {default:.3f} s, median of "
          f"{reps}); {'full runs' if full else f'timed over {epochs} epochs, scaled'}")
    print(f"{'case':<28}{'epochs':>7}{'seconds':>9}{'x default':>11}")
    slowest = 0.0
    for name, kw in {**BOUND_CASES, **WORST_CASES}.items():
        cfg = at_bound(**kw)
        if full:
            seconds = _timed(lambda c=cfg: train(c))[0]
        else:
            n = min(epochs, cfg.epochs)
            t = _timed(lambda c=cfg, n=n: train(c.replace(epochs=n, n_checkpoints=2)))[0]
            seconds = t * cfg.epochs / n
        slowest = max(slowest, seconds)
        print(f"{name:<28}{cfg.epochs:>7}{seconds:>9.1f}{seconds / default:>11.0f}")
    return slowest, slowest / default


COMPARE = ["sigmoid", "tanh", "relu", "leaky_relu", "maxout"]
COMPARE_SKLEARN = ["logistic", "tanh", "relu", "relu", "relu"]


def _sklearn_fit(activation: str, X: np.ndarray, y: np.ndarray, Xt: np.ndarray,
                 yt: np.ndarray) -> tuple[float, float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    w = WORKLOAD
    clf = MLPClassifier(hidden_layer_sizes=w["hidden"], activation=activation, solver="sgd",
                        learning_rate_init=w["lr"], momentum=0.0, nesterovs_momentum=False,
                        batch_size=w["batch_size"], max_iter=w["epochs"], alpha=0.0,
                        n_iter_no_change=w["epochs"] + 1, tol=0.0, shuffle=True,
                        random_state=w["seed"])
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    return time.perf_counter() - t, float(clf.score(Xt, yt))


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def work_model() -> list[tuple[str, float]]:
    """CPU seconds of a few trainings over their counted work × ``SECONDS_PER_WORK``
    (``labs.budget.page_work``): the largest single Playground run the page budget allows
    (GELU 128-128, batch 1), the default run, and stacks as the pages train them (the default
    sweep seed, the default Compare page). 1.0: the machine is the reference machine."""
    from . import compare as cmp
    from .labs import budget

    big = TrainConfig(hidden=(128, 128), activation="gelu", batch_size=1, n_samples=2000,
                      test_fraction=0.1, grid_size=100, n_checkpoints=100, epochs=130)
    big = budget.fit([big], min_grid=budget.DRAWN_GRID,
                     min_checkpoints=budget.DRAWN_CHECKPOINTS).cfgs[0]
    five = cmp.configs_for(cmp.BASE, cmp.DEFAULT_ACTS)[0]
    cases = [("playground gelu 128-128 batch 1 (page budget)", [big]),
             ("playground default", [TrainConfig()]),
             ("compare sweep seed (5 stacked)", cmp.sweep_configs(cmp.protocol_configs(five), 0)),
             ("compare default page (5 stacked)", five)]
    out = []
    for name, cfgs in cases:
        train_many(cfgs[:1])  # warm up
        t = time.process_time()
        cmp.train_grouped(cfgs)  # (in the stacks the pages train)
        ratio = (time.process_time() - t) / (budget.page_work(cfgs) * budget.SECONDS_PER_WORK)
        print(f"{name:<48} CPU / counted {ratio:.2f}")
        out.append((name, ratio))
    return out


@contextlib.contextmanager
def hot_path_timer(clock: Callable[[], float] = time.perf_counter) -> Iterator[list[float]]:
    """Seconds (of ``clock``) spent in the hot path (``Trainer.train_epoch``: forward, backward
    and update over the batches) while the block runs, in ``box[0]``; the rest of ``train()``
    is recording (history, unit tracking, checkpoints, records) and setup."""
    box = [0.0]
    plain = Trainer.train_epoch

    def timed(self, *args):
        t = clock()
        try:
            return plain(self, *args)
        finally:
            box[0] += clock() - t

    Trainer.train_epoch = timed  # type: ignore[method-assign]
    try:
        yield box
    finally:
        Trainer.train_epoch = plain  # type: ignore[method-assign]


class _Counting:
    """A stand-in for the ``numpy`` module that counts the calls made through it."""

    def __init__(self) -> None:
        self.calls = 0

    def __getattr__(self, name: str):
        value = getattr(np, name)
        if not callable(value) or isinstance(value, type):
            return value

        def counted(*args, **kwargs):
            self.calls += 1
            return value(*args, **kwargs)

        return counted


class _CountedArray(np.ndarray):
    """An array whose operators (``G *= lr``) count as the numpy calls they are."""

    calls = 0

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        _CountedArray.calls += 1
        inputs = tuple(np.asarray(x) for x in inputs)
        if out is not None:
            kwargs["out"] = tuple(np.asarray(o) for o in out)
        return getattr(ufunc, method)(*inputs, **kwargs)


def calls_per_step(cfg: TrainConfig, data) -> float:
    """numpy calls per minibatch step of ``cfg``'s hot path, counted over one epoch: calls
    through ``np`` in ``fastpath`` and ``kernels`` (a fresh stack, so the buffers' calls are
    counted too) and the optimiser step's array operators."""
    from . import fastpath, kernels

    counter = _Counting()
    saved = fastpath.np, kernels.np
    fastpath.np = kernels.np = counter  # type: ignore[assignment]
    try:
        tr = Trainer([cfg], data)
        with fastpath.engine():
            tr.train_epoch(1, np.random.default_rng(0))  # builds the buffers
            counter.calls = 0
            tr.train_epoch(2, np.random.default_rng(0))
    finally:
        fastpath.np, kernels.np = saved
    steps = tr.stack.fast().batches / 2
    P, G = tr.stack.P.copy().view(_CountedArray), tr.stack.G.copy().view(_CountedArray)
    _CountedArray.calls = 0
    tr.opt.step(P, G, tr.opt.init(np.asarray(P)), float(cfg.lr), cfg.momentum)
    return counter.calls / steps + _CountedArray.calls


def per_call_floor(reps: int = 2000) -> float:
    """CPU seconds of one minimal numpy call on a hot-path-sized array ((16, 32), in place):
    the best of five runs of ``reps`` calls (CPU time: the floor and the step it is compared
    with are both measured on this process's clock, which a busy machine slows less)."""
    a = np.ones((16, 32))
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        for _ in range(reps):
            np.multiply(a, 1.0, out=a)
        best = min(best, (time.process_time() - t) / reps)
    return best


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _explorer_run(fn) -> tuple[float, float, object]:
    with hot_path_timer() as hot:
        t, out = _timed(fn)
    return t, hot[0], out


def hot_cpu(fn) -> float:
    """CPU seconds of the hot path while ``fn`` runs."""
    with hot_path_timer(time.process_time) as hot:
        fn()
    return hot[0]


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work-model", action="store_true",
                    help="only: CPU of a few trainings over their counted work (labs.budget)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--worst-epochs", type=int, default=3,
                    help="epochs timed per worst case (scaled to the epochs allowed)")
    ap.add_argument("--worst-full", action="store_true", help="run the worst cases to the end")
    ap.add_argument("--no-worst", action="store_true", help="skip the worst cases")
    args = ap.parse_args(argv)
    if args.work_model:
        ratios = [r for _n, r in work_model()]
        print(f"WORK min_ratio={min(ratios):.2f} max_ratio={max(ratios):.2f}")
        return {"min_ratio": min(ratios), "max_ratio": max(ratios)}
    reps = max(3, args.repeats)
    base = TrainConfig(**WORKLOAD)
    data = data_for(base)
    X, y, Xt, yt = data.X_train, data.y_train, data.X_test, data.y_test

    print(load())
    print(f"workload: moons n=1000 (train {len(y)}), hidden (16,16), SGD lr 0.1, batch 32, "
          f"300 epochs; median (and best) of {reps} alternating runs; hot path = "
          f"Trainer.train_epoch, recording = the rest of train()")
    print(f"{'activation':<12}{'sklearn s':>11}{'explorer s':>12}{'speedup':>9}{'best':>7}"
          f"{'hot s':>8}{'hot x':>7}{'rec %':>7}{'sk acc':>8}{'ex acc':>8}")
    speedups, bests, shares = [], [], []
    for ours, theirs in SINGLE:
        sk_t, ex_t, hot_t = [], [], []
        for _ in range(reps):
            t, sk_acc = _sklearn_fit(theirs, X, y, Xt, yt)
            sk_t.append(t)
            t, hot, rec = _explorer_run(
                lambda o=ours: train(same_init(base.replace(activation=o)), data))
            ex_t.append(t)
            hot_t.append(hot)
        ex_acc = float(rec.history["test_acc"].iloc[-1])
        s, e, h = statistics.median(sk_t), statistics.median(ex_t), statistics.median(hot_t)
        share = statistics.median(1 - hh / tt for hh, tt in zip(hot_t, ex_t, strict=True))
        speedups.append(s / e)
        bests.append(min(sk_t) / min(ex_t))
        shares.append(share)
        print(f"{ours:<12}{s:>11.3f}{e:>12.3f}{s / e:>9.2f}{bests[-1]:>7.2f}{h:>8.3f}"
              f"{s / h:>7.2f}{100 * share:>7.1f}{sk_acc:>8.3f}{ex_acc:>8.3f}")

    cfgs = [same_init(base.replace(activation=a)) for a in COMPARE]
    sk_tot, ex_tot, hot_tot = [], [], []
    for _ in range(reps):
        sk_tot.append(sum(_sklearn_fit(a, X, y, Xt, yt)[0] for a in COMPARE_SKLEARN))
        t, hot, recs = _explorer_run(lambda: train_many(cfgs, data))
        ex_tot.append(t)
        hot_tot.append(hot)
    s, e, h = statistics.median(sk_tot), statistics.median(ex_tot), statistics.median(hot_tot)
    compare_best = min(sk_tot) / min(ex_tot)
    compare_share = statistics.median(1 - hh / tt for hh, tt in zip(hot_tot, ex_tot, strict=True))
    print(f"compare: 5 MLPClassifier fits {s:.3f} s; explorer train_many("
          f"{', '.join(COMPARE)}) {e:.3f} s; ratio {s / e:.2f} (best {compare_best:.2f}); "
          f"hot path {h:.3f} s ({s / h:.2f}x), recording {100 * compare_share:.1f} % of train()")
    print("compare accuracies: " + ", ".join(
        f"{r.label} {r.history['test_acc'].iloc[-1]:.3f}" for r in recs))
    single = statistics.median(speedups)
    single_share = statistics.median(shares)

    floor = per_call_floor()
    steps = base.epochs * -(-len(y) // base.batch_size)
    print(f"per-step floor: one numpy call {1e6 * floor:.2f} us CPU (in place, (16, 32))")
    for ours, _ in SINGLE:
        cfg = same_init(base.replace(activation=ours))
        calls = calls_per_step(cfg, data)
        hot = min(hot_cpu(lambda c=cfg: train(c, data)) for _ in range(reps))
        print(f"  {ours:<10} {calls:.0f} numpy calls per step: floor {1e6 * calls * floor:.1f} us;"
              f" hot path {1e6 * hot / steps:.1f} us CPU per step (best of {reps}), "
              f"{hot / steps / (calls * floor):.2f}x the floor")
    print(load())
    out = {"single_speedup": single, "compare_speedup": s / e, "single_best": statistics.median(
        bests), "compare_best": compare_best, "single_recording_share": single_share,
        "compare_recording_share": compare_share, "call_floor_us": 1e6 * floor}
    line = (f"BENCH single_speedup={single:.2f} compare_speedup={s / e:.2f} "
            f"single_best={out['single_best']:.2f} compare_best={compare_best:.2f} "
            f"single_recording={single_share:.2f} compare_recording={compare_share:.2f}")
    if not args.no_worst:
        worst, ratio = worst_cases(max(1, args.worst_epochs), args.worst_full, reps)
        out.update(worst_case_s=worst, worst_ratio=ratio)
        line += f" worst_case_s={worst:.1f} worst_ratio={ratio:.0f}"
    print(line)
    return out


if __name__ == "__main__":
    main()
