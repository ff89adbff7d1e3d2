"""Benchmark: explorer vs scikit-learn's MLPClassifier on the same workload, in one process.

    python -m explorer.bench [--repeats 3]

Workload: make_moons n=1000 noise 0.2 (75/25 split, standardised), hidden (16, 16), SGD lr 0.1,
momentum 0, batch 32, 300 epochs, no L2, MLPClassifier's initialisation scheme (``same_init``).
Both engines get the same training set. The explorer
runs with its default recording on (50 checkpoints of full-set gradients, histograms and
boundary grids, plus per-epoch train/test loss). MLPClassifier runs all 300 epochs
(n_iter_no_change is set past max_iter). Runs alternate between engines; the median of
``--repeats`` runs is reported. The last line is machine-readable:

    BENCH single_speedup=<median over activations of sklearn/explorer> compare_speedup=<...>
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

from .config import TrainConfig
from .train import data_for, train, train_many

WORKLOAD = dict(dataset="moons", n_samples=1000, noise=0.2, hidden=(16, 16), optimizer="sgd",
                lr=0.1, momentum=0.0, batch_size=32, epochs=300, l2=0.0, seed=0)
SINGLE = [("tanh", "tanh"), ("relu", "relu"), ("sigmoid", "logistic")]


def same_init(cfg: TrainConfig) -> TrainConfig:
    """MLPClassifier's initial weights: Glorot uniform, bound sqrt(6/(in+out)), and
    sqrt(2/(in+out)) for logistic (gain 1/sqrt 3); its biases are random too (ours start at 0)."""
    gain = 3 ** -0.5 if cfg.activation == "sigmoid" else 1.0
    return cfg.replace(init="xavier_uniform", init_scale=gain)
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


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
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
    print(f"BENCH single_speedup={single:.2f} compare_speedup={s / e:.2f}")
    return {"single_speedup": single, "compare_speedup": s / e}


if __name__ == "__main__":
    main()
