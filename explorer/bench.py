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
          worst_case_s=<slowest case, seconds> worst_ratio=<that / the default run>
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

from .config import FIELDS, MAX_LAYERS, MAX_UNITS, MAX_WORK, TrainConfig
from .train import data_for, train, train_many

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


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work-model", action="store_true",
                    help="only: CPU of a few trainings over their counted work (labs.budget)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--worst-epochs", type=int, default=3,
                    help="epochs timed per worst case (scaled to the epochs allowed)")
    ap.add_argument("--worst-full", action="store_true", help="run the worst cases to the end")
    args = ap.parse_args(argv)
    if args.work_model:
        ratios = [r for _n, r in work_model()]
        print(f"WORK min_ratio={min(ratios):.2f} max_ratio={max(ratios):.2f}")
        return {"min_ratio": min(ratios), "max_ratio": max(ratios)}
    reps = max(3, args.repeats)
    base = TrainConfig(**WORKLOAD)
    data = data_for(base)
    X, y, Xt, yt = data.X_train, data.y_train, data.X_test, data.y_test

    print(f"workload: moons n=1000 (train {len(y)}), hidden (16,16), SGD lr 0.1, batch 32, "
          f"300 epochs; median of {reps} alternating runs")
    print(f"{'activation':<12}{'sklearn s':>11}{'explorer s':>12}{'speedup':>9}"
          f"{'sk acc':>8}{'ex acc':>8}")
    speedups = []
    for ours, theirs in SINGLE:
        sk_t, ex_t = [], []
        for _ in range(reps):
            t, sk_acc = _sklearn_fit(theirs, X, y, Xt, yt)
            sk_t.append(t)
            t, rec = _timed(lambda o=ours: train(same_init(base.replace(activation=o)), data))
            ex_t.append(t)
        ex_acc = float(rec.history["test_acc"].iloc[-1])
        s, e = statistics.median(sk_t), statistics.median(ex_t)
        speedups.append(s / e)
        print(f"{ours:<12}{s:>11.3f}{e:>12.3f}{s / e:>9.2f}{sk_acc:>8.3f}{ex_acc:>8.3f}")

    cfgs = [same_init(base.replace(activation=a)) for a in COMPARE]
    sk_tot, ex_tot = [], []
    for _ in range(reps):
        sk_tot.append(sum(_sklearn_fit(a, X, y, Xt, yt)[0] for a in COMPARE_SKLEARN))
        t, recs = _timed(lambda: train_many(cfgs, data))
        ex_tot.append(t)
    s, e = statistics.median(sk_tot), statistics.median(ex_tot)
    print(f"compare: 5 MLPClassifier fits {s:.3f} s; explorer train_many("
          f"{', '.join(COMPARE)}) {e:.3f} s; ratio {s / e:.2f}")
    print("compare accuracies: " + ", ".join(
        f"{r.label} {r.history['test_acc'].iloc[-1]:.3f}" for r in recs))
    single = statistics.median(speedups)
    worst, ratio = worst_cases(max(1, args.worst_epochs), args.worst_full, reps)
    print(f"BENCH single_speedup={single:.2f} compare_speedup={s / e:.2f} "
          f"worst_case_s={worst:.1f} worst_ratio={ratio:.0f}")
    return {"single_speedup": single, "compare_speedup": s / e, "worst_case_s": worst,
            "worst_ratio": ratio}


if __name__ == "__main__":
    main()
