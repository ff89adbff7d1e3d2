"""Training loop and run records (explorer.train / explorer.record), through the public API.

Determinism, agreement of ``train`` with ``MLP`` step by step, the behaviours the pages
claim (vanishing gradients, dead units, divergence handling, the same-sign update effect),
and the shape/size contract of a RunRecord.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from explorer import (
    ACTIVATIONS,
    INITIALISERS,
    MLP,
    TrainConfig,
    data_for,
    iter_train,
    train,
    train_many,
)
from explorer.record import ACT_BINS, GRAD_BINS

LN2 = math.log(2.0)
SMALL = dict(n_samples=120, hidden=(8, 8), epochs=30, n_checkpoints=8, grid_size=12)


@pytest.fixture(scope="module")
def default_record():
    return train(TrainConfig())


@pytest.fixture(scope="module")
def small_record():
    return train(TrainConfig(**SMALL))


def _history_close(a: pd.DataFrame, b: pd.DataFrame, tol: float = 1e-10) -> None:
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    np.testing.assert_array_equal(a["epoch"].to_numpy(), b["epoch"].to_numpy())
    np.testing.assert_allclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), rtol=tol,
                               atol=tol)


def _assert_records_identical(r1, r2) -> None:
    pd.testing.assert_frame_equal(r1.history, r2.history)
    pd.testing.assert_frame_equal(r1.layer_stats, r2.layer_stats)
    assert r1.checkpoints == r2.checkpoints
    np.testing.assert_array_equal(r1.grid_p, r2.grid_p)
    np.testing.assert_array_equal(r1.grid_cls, r2.grid_cls)
    np.testing.assert_array_equal(r1.grid_x, r2.grid_x)
    np.testing.assert_array_equal(r1.grid_y, r2.grid_y)
    np.testing.assert_array_equal(r1.grad_counts, r2.grad_counts)
    np.testing.assert_array_equal(r1.grad_zero_counts, r2.grad_zero_counts)
    np.testing.assert_array_equal(r1.act_counts, r2.act_counts)
    assert len(r1.dead) == len(r2.dead)
    for d1, d2 in zip(r1.dead, r2.dead):
        np.testing.assert_array_equal(d1, d2)
    assert r1.diverged_at == r2.diverged_at
    assert r1.n_params == r2.n_params


# --------------------------------------------------------------------------------------------
# Determinism


@pytest.mark.parametrize("extra", [{}, {"activation": "prelu", "optimizer": "adam"},
                                   {"activation": "maxout", "maxout_k": 3, "n_classes": 3,
                                    "dataset": "blobs"}])
def test_same_config_gives_identical_records(extra):
    cfg = TrainConfig(**{**SMALL, **extra})
    _assert_records_identical(train(cfg), train(cfg))


def test_train_equals_first_of_train_many():
    cfg = TrainConfig(**SMALL, activation="sigmoid")
    other = cfg.replace(activation="tanh")  # same shape and data: trained in one stack
    alone = train(cfg)
    both = train_many([cfg, other])
    assert both[0].config == cfg and both[1].config == other
    _history_close(alone.history, both[0].history)
    _history_close(train(other).history, both[1].history)
    assert alone.checkpoints == both[0].checkpoints
    num = ["grad_norm", "grad_mean_abs", "dead_frac", "saturated_frac"]
    np.testing.assert_allclose(alone.layer_stats[num].to_numpy(float),
                               both[0].layer_stats[num].to_numpy(float), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(alone.grid_p, both[0].grid_p, atol=1e-6)


def test_train_equals_train_many_with_a_different_shaped_partner():
    cfg = TrainConfig(**SMALL, activation="elu", elu_alpha=0.5)
    other = cfg.replace(activation="maxout")  # different shape: a separate stack
    _history_close(train(cfg).history, train_many([other, cfg])[1].history)


def test_different_seeds_differ():
    r0 = train(TrainConfig(**SMALL, seed=0))
    r1 = train(TrainConfig(**SMALL, seed=1))
    assert not np.array_equal(r0.history["train_loss"].to_numpy(),
                              r1.history["train_loss"].to_numpy())
    assert not np.array_equal(r0.data.X_train, r1.data.X_train)
    assert not np.array_equal(r0.grid_p, r1.grid_p)


def test_no_global_rng_use():
    cfg = TrainConfig(**SMALL, activation="tanh", batch_size=16)
    np.random.seed(1)
    state = np.random.get_state()
    r1 = train(cfg)
    after = np.random.get_state()
    # the global generator was not drawn from ...
    assert state[0] == after[0]
    np.testing.assert_array_equal(state[1], after[1])
    assert state[2:] == after[2:]
    # ... and re-seeding it changes nothing
    np.random.seed(12345)
    r2 = train(cfg)
    np.random.seed(7)
    r3 = train_many([cfg, cfg.replace(activation="relu")])[0]
    _assert_records_identical(r1, r2)
    _history_close(r1.history, r3.history)


# --------------------------------------------------------------------------------------------
# train() agrees with MLP step by step (constant initial weights are known exactly)


@pytest.mark.parametrize(("act", "n_classes", "dataset"), [
    ("sigmoid", 2, "moons"), ("tanh", 3, "blobs"), ("relu", 2, "circles")])
def test_full_batch_sgd_training_matches_mlp_steps(act, n_classes, dataset):
    scale, bias, lr, l2, epochs = 0.7, 0.3, 0.4, 0.02, 4
    cfg = TrainConfig(dataset=dataset, n_classes=n_classes, n_samples=80, hidden=(3, 2),
                      activation=act, init="constant", init_scale=scale, bias_init=bias,
                      optimizer="sgd", lr=lr, batch_size=2000, l2=l2, epochs=epochs,
                      n_checkpoints=epochs + 1, grid_size=10)
    rec = train(cfg)
    data = data_for(cfg)
    np.testing.assert_array_equal(rec.data.X_train, data.X_train)
    K = data.n_classes
    n_out = 1 if K == 2 else K
    weights = [(np.full((2, 3), scale), np.full(3, bias)),
               (np.full((3, 2), scale), np.full(2, bias)),
               (np.full((2, n_out), scale), np.zeros(n_out))]  # output bias starts at 0
    net = MLP.from_weights(weights, activation=act, n_classes=K, l2=l2)
    Xtr, ytr, Xte, yte = data.X_train, data.y_train, data.X_test, data.y_test
    assert rec.checkpoints == list(range(epochs + 1))
    for epoch in range(epochs + 1):
        row = rec.history.iloc[epoch]
        assert row["epoch"] == epoch
        loss, grads = net.loss_and_grads(Xtr, ytr)
        # the history's losses are data losses; the objective adds the L2 term (issue 12)
        assert row["train_objective"] == pytest.approx(loss, rel=1e-10)
        net.l2 = 0.0
        data_loss, _ = net.loss_and_grads(Xtr, ytr)
        test_loss, _ = net.loss_and_grads(Xte, yte)
        net.l2 = l2
        assert row["train_loss"] == pytest.approx(data_loss, rel=1e-10)
        assert row["test_loss"] == pytest.approx(test_loss, rel=1e-10)
        assert row["train_acc"] == pytest.approx(
            float((net.predict_proba(Xtr).argmax(axis=1) == ytr).mean()))
        assert row["test_acc"] == pytest.approx(
            float((net.predict_proba(Xte).argmax(axis=1) == yte).mean()))
        # gradient statistics at the checkpoint: full training set, weights only
        st = rec.stats_at(epoch)
        assert list(st["layer"]) == [1, 2, 3]
        assert list(st["layer_name"]) == ["hidden 1", "hidden 2", "output"]
        assert list(st["units"]) == [3, 2, n_out]
        gh = rec.grad_hist(epoch)
        zeros = rec.grad_zeros(epoch).set_index("layer")["zeros"]
        for li, (dW, _) in enumerate(grads):
            assert st["grad_norm"][li] == pytest.approx(np.linalg.norm(dW), rel=1e-9)
            assert st["grad_mean_abs"][li] == pytest.approx(np.abs(dW).mean(), rel=1e-9)
            # the log10|g| histogram holds exactly these weight gradients
            part = gh[gh["layer"] == li + 1]
            for sign, col in ((1, "count_pos"), (-1, "count_neg")):
                g = dW[np.sign(dW) == sign]
                logs = np.clip(np.log10(np.abs(g)), GRAD_BINS[0], GRAD_BINS[-1] - 1e-9)
                expected, _ = np.histogram(logs, bins=GRAD_BINS)
                np.testing.assert_array_equal(part[col].to_numpy(), expected)
            assert zeros[li + 1] == int((dW == 0).sum())
        net.step(Xtr, ytr, optimizer="sgd", lr=lr)


@pytest.mark.parametrize(("optimizer", "act"), [("momentum", "tanh"), ("adam", "elu"),
                                                ("nesterov", "relu")])
def test_minibatch_training_matches_mlp_steps(optimizer, act):
    """Minibatches in the documented order (a fresh ``default_rng((seed, 2)).permutation`` of
    the training set every epoch, see explorer/train.py), the optimiser state carried over."""
    scale, bias, lr, mom, l2, epochs, B, seed = 0.4, 0.1, 0.05, 0.8, 0.01, 3, 16, 5
    cfg = TrainConfig(n_samples=70, hidden=(3,), activation=act, init="constant",
                      init_scale=scale, bias_init=bias, optimizer=optimizer, lr=lr,
                      momentum=mom, batch_size=B, l2=l2, epochs=epochs, seed=seed,
                      n_checkpoints=2, grid_size=10)
    rec = train(cfg)
    d = rec.data
    weights = [(np.full((2, 3), scale), np.full(3, bias)), (np.full((3, 1), scale), np.zeros(1))]
    net = MLP.from_weights(weights, activation=act, n_classes=2, l2=l2)
    rng = np.random.default_rng((seed, 2))
    n = len(d.y_train)
    losses = [net.loss_and_grads(d.X_train, d.y_train)[0]]
    for _ in range(epochs):
        perm = rng.permutation(n)
        X, y = d.X_train[perm], d.y_train[perm]
        for start in range(0, n, B):
            net.step(X[start:start + B], y[start:start + B], optimizer=optimizer, lr=lr,
                     momentum=mom)
        losses.append(net.loss_and_grads(d.X_train, d.y_train)[0])
    np.testing.assert_allclose(rec.history["train_objective"], losses, rtol=1e-10)  # loss + L2 term
    assert len(set(np.round(losses, 8))) == len(losses)  # it did train


def initial_weights(cfg: TrainConfig, n_out: int):
    """The initial weights as documented in explorer/train.py: one ``default_rng((seed, 1))``
    per model, each hidden layer's (fan_in, units x k) draw in order, then the output layer
    (Xavier uniform under init="auto"); hidden biases = bias_init, output bias 0."""
    rng = np.random.default_rng((cfg.seed, 1))
    weights, fan_in = [], 2
    for i, units in enumerate(cfg.hidden):
        act = ACTIVATIONS[cfg.hidden_activations()[i]]
        width = units * (cfg.maxout_k if act.pieces else 1)
        W = INITIALISERS[cfg.resolved_init(i)](rng, fan_in, units, width, cfg.init_scale)
        weights.append((W, np.full(width, cfg.bias_init)))
        fan_in = units
    out = INITIALISERS["xavier_uniform" if cfg.init == "auto" else cfg.init]
    weights.append((out(rng, fan_in, n_out, n_out, cfg.init_scale), np.zeros(n_out)))
    return weights


def _mlp_for(cfg: TrainConfig, n_classes: int) -> MLP:
    acts = list(cfg.hidden_activations())
    params = {ACTIVATIONS[a].param.field for a in acts
              if ACTIVATIONS[a].param is not None and not ACTIVATIONS[a].pieces}
    assert len(params) <= 1
    kw = {"param": float(getattr(cfg, params.pop()))} if params else {}
    weights = initial_weights(cfg, 1 if n_classes == 2 else n_classes)
    return MLP.from_weights(weights, activation=acts, n_classes=n_classes, l2=cfg.l2,
                            maxout_k=cfg.maxout_k, **kw)


TRAIN_VS_MLP = [{"activation": a} for a in ACTIVATIONS.names()] + [
    {"activation": "leaky_relu", "leaky_slope": 0.3},
    {"activation": "leaky_relu", "leaky_slope": 0.0},
    {"activation": "elu", "elu_alpha": 2.5},
    {"activation": "maxout", "maxout_k": 4},
    {"layer_activations": ("tanh", "maxout")},
    {"layer_activations": ("prelu", "sigmoid")},
]


@pytest.mark.parametrize("n_classes", [2, 3], ids=["binary", "3-class"])
@pytest.mark.parametrize("extra", TRAIN_VS_MLP,
                         ids=["-".join(map(str, e.values())) for e in TRAIN_VS_MLP])
def test_training_matches_mlp_from_the_same_initial_weights(extra, n_classes):
    """train() (its own training loop) against MLP.step (the plain forward/backward) from
    random initial weights, with minibatches in the documented order (a fresh
    ``default_rng((seed, 2)).permutation`` every epoch; the last batch is partial), momentum
    carried across batches and L2; also the full-training-set gradient at every checkpoint."""
    cfg = TrainConfig(**{**dict(dataset="blobs", n_classes=n_classes, n_samples=60,
                                hidden=(5, 4), optimizer="momentum", lr=0.05, momentum=0.8,
                                batch_size=16, l2=0.01, epochs=4, n_checkpoints=3, grid_size=10,
                                seed=3, maxout_k=3), **extra})
    rec = train(cfg)
    d = rec.data
    net = _mlp_for(cfg, n_classes)
    rng = np.random.default_rng((cfg.seed, 2))
    n, B = len(d.y_train), cfg.batch_size
    assert n % B != 0
    losses, stats = [], {}
    for epoch in range(cfg.epochs + 1):
        if epoch:
            perm = rng.permutation(n)
            X, y = d.X_train[perm], d.y_train[perm]
            for s in range(0, n, B):
                net.step(X[s:s + B], y[s:s + B], optimizer="momentum", lr=cfg.lr,
                         momentum=cfg.momentum)
        loss, grads = net.loss_and_grads(d.X_train, d.y_train)
        losses.append(loss)
        stats[epoch] = [np.linalg.norm(dW) for dW, _ in grads]
    assert rec.diverged_at is None
    np.testing.assert_allclose(rec.history["train_objective"], losses, rtol=1e-9)  # loss + L2 term
    assert abs(losses[-1] - losses[0]) > 1e-4  # it trained
    for epoch in rec.checkpoints:
        st = rec.stats_at(epoch)
        np.testing.assert_allclose(st["grad_norm"], stats[epoch], rtol=1e-8,
                                   err_msg=f"epoch {epoch}")


def test_dead_and_saturated_fractions_match_a_direct_computation():
    """Constant weights, so the pre-activations are known: z1 = c·(x1 + x2) + b."""
    for act, c, b in (("sigmoid", 2.0, 0.5), ("relu", 2.0, 0.5), ("relu", 0.5, -4.0)):
        cfg = TrainConfig(n_samples=80, hidden=(4,), activation=act, init="constant",
                          init_scale=c, bias_init=b, epochs=1, n_checkpoints=2, grid_size=10)
        rec = train(cfg)
        X = rec.data.X_train
        z = c * X.sum(axis=1) + b
        a = ACTIVATIONS[act]
        df = a.df(z, a.f(z), None)
        st = rec.stats_at(0)
        if act == "sigmoid":
            expected = float((np.abs(df) < 0.05 * a.df_max).mean())
            assert 0 < expected < 1
            assert st["saturated_frac"][0] == pytest.approx(expected)
        else:
            assert st["saturated_frac"][0] == 0.0  # ReLU does not saturate
        dead = float(not (df != 0).any())
        assert st["dead_frac"][0] == dead


def test_train_uses_the_given_dataset():
    cfg = TrainConfig(**SMALL)
    other = data_for(cfg.replace(seed=3, noise=0.05))
    rec = train(cfg, data=other)
    assert rec.data is other
    assert not np.array_equal(rec.data.X_train, data_for(cfg).X_train)
    assert list(iter_train(cfg, data=other))[-1].data is other
    assert train_many([cfg], data=other)[0].data is other


# --------------------------------------------------------------------------------------------
# Training behaviour


def test_default_config_learns_moons(default_record):
    rec = default_record
    assert rec.config == TrainConfig()
    assert rec.diverged_at is None
    assert rec.final()["train_acc"] > 0.9
    assert rec.final()["test_acc"] > 0.85
    h = rec.history
    assert h["train_loss"].iloc[-1] < 0.5 * h["train_loss"].iloc[0]


def test_zero_init_relu_stays_at_ln2():
    """All-zero weights: every ReLU sits at its kink with f' = 0; full batch on balanced moons
    the output bias gradient σ(0) - mean(y) is 0 too, so nothing ever moves."""
    cfg = TrainConfig(activation="relu", init="zeros", batch_size=2000, epochs=40,
                      n_checkpoints=5, grid_size=10)
    rec = train(cfg)
    assert np.bincount(rec.data.y_train).tolist() == [150, 150]
    np.testing.assert_allclose(rec.history["train_loss"], LN2, rtol=0, atol=1e-9)
    np.testing.assert_allclose(rec.history["test_loss"], LN2, rtol=0, atol=1e-9)
    hidden = rec.layer_stats[rec.layer_stats["layer"] <= 2]
    assert (hidden["grad_norm"] == 0).all()
    assert (hidden["dead_frac"] == 1).all()


def test_zero_init_relu_minibatch_hidden_layers_never_move():
    """With minibatches only the output bias can move; hidden gradients stay exactly zero."""
    rec = train(TrainConfig(activation="relu", init="zeros", epochs=15, n_checkpoints=4,
                            grid_size=10))
    hidden = rec.layer_stats[rec.layer_stats["layer"] <= 2]
    assert (hidden["grad_norm"] == 0).all()
    assert rec.final()["train_acc"] == 0.5


def _first_layer_ratio(act, init, seed):
    rec = train(TrainConfig(activation=act, init=init, hidden=(16,) * 8, epochs=1,
                            n_checkpoints=2, grid_size=10, seed=seed))
    st = rec.stats_at(0)
    g = st.set_index("layer")["grad_norm"]
    return g[8] / g[1]  # last hidden layer over first


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sigmoid_deep_net_gradients_vanish_towards_input(seed):
    assert _first_layer_ratio("sigmoid", "xavier_uniform", seed) >= 10


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relu_he_deep_net_gradients_stay_balanced(seed):
    assert 0.1 <= _first_layer_ratio("relu", "he_normal", seed) <= 10


@pytest.mark.parametrize("bias_init", [0.0, -3.0])
def test_leaky_relu_never_has_dead_units(bias_init):
    rec = train(TrainConfig(**{**SMALL, "epochs": 40}, activation="leaky_relu",
                            bias_init=bias_init, lr=1.0))
    hidden = rec.layer_stats[rec.layer_stats["layer"] <= 2]
    assert (hidden["dead_frac"] == 0).all()
    assert (hidden["dead_count"] == 0).all()
    for layer in (1, 2):
        assert not rec.dead_map(layer).any()


def test_large_learning_rate_kills_relu_units():
    rec = train(TrainConfig(**SMALL, activation="relu", lr=10.0))
    st = rec.layer_stats
    hidden = st[st["layer"] <= 2]
    before = hidden[hidden["epoch"] == 0]["dead_count"].sum()
    after = hidden[hidden["epoch"] == rec.checkpoints[-1]]["dead_count"].sum()
    assert after > 0 and after > before


def test_negative_bias_init_kills_relu_units():
    rec = train(TrainConfig(**SMALL, activation="relu", bias_init=-3.0))
    st = rec.stats_at(0)
    assert st["dead_frac"][0] > 0
    assert st["dead_frac"][0] > train(TrainConfig(**SMALL, activation="relu")).stats_at(0)[
        "dead_frac"][0]


@pytest.mark.parametrize("cfg", [
    dict(bias_init=-1.0, epochs=40, n_samples=200),
    dict(lr=2.0, momentum=0.0, epochs=30, n_samples=200),
], ids=["neg-bias", "lr2"])
def test_revived_counts_consistent_with_dead_maps(cfg):
    rec = train(TrainConfig(activation="relu", grid_size=10, **cfg))
    st = rec.layer_stats
    total_revived = 0
    for layer in range(1, rec.n_hidden + 1):
        dead = rec.dead_map(layer)
        units = rec.config.hidden[layer - 1]
        assert dead.shape == (len(rec.checkpoints), units)
        assert dead.dtype == bool
        revived = np.concatenate([[0], np.cumsum((dead[:-1] & ~dead[1:]).sum(axis=1))])
        rows = st[st["layer"] == layer].sort_values("epoch")
        assert list(rows["epoch"]) == rec.checkpoints
        np.testing.assert_array_equal(rows["revived"].to_numpy(), revived)
        np.testing.assert_allclose(rows["dead_frac"].to_numpy(), dead.mean(axis=1))
        np.testing.assert_array_equal(rows["dead_count"].to_numpy(), dead.sum(axis=1))
        total_revived += revived[-1]
    assert total_revived > 0  # the check above was not vacuous
    # the long dead table agrees with the maps
    df = rec.dead_frame()
    assert len(df) == sum(d.size for d in rec.dead)
    assert int(df["dead"].sum()) == sum(int(d.sum()) for d in rec.dead)


# --------------------------------------------------------------------------------------------
# Divergence


def _check_divergence_contract(rec):
    h = rec.history
    values = h.to_numpy(dtype=float)
    assert np.isfinite(values).all(), "NaN/inf in history"
    assert list(h["epoch"]) == list(range(len(h)))
    assert rec.checkpoints[0] == 0
    assert set(rec.checkpoints) <= set(h["epoch"])
    stats = rec.layer_stats
    assert set(stats["epoch"]) == set(rec.checkpoints)
    assert np.isfinite(stats[["grad_norm", "grad_mean_abs"]].to_numpy(float)).all()
    assert np.isfinite(rec.grid_p).all()
    if rec.diverged_at is None:
        assert h["epoch"].iloc[-1] == rec.config.epochs
        assert rec.checkpoints[-1] == rec.config.epochs
    else:
        assert rec.diverged
        assert 1 <= rec.diverged_at <= rec.config.epochs
        assert h["epoch"].iloc[-1] == rec.diverged_at - 1
        assert max(rec.checkpoints) < rec.diverged_at


@pytest.mark.parametrize("act", ACTIVATIONS.names())
def test_lr10_is_finite_or_flagged(act):
    cfg = TrainConfig(activation=act, lr=10.0, n_samples=120, hidden=(16, 16), epochs=8,
                      n_checkpoints=5, grid_size=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rec = train(cfg)
    _check_divergence_contract(rec)


@pytest.mark.parametrize("act", ["identity", "leaky_relu"])
def test_divergence_is_detected(act):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rec = train(TrainConfig(activation=act, lr=10.0, epochs=20, n_checkpoints=5,
                                grid_size=10))
    assert rec.diverged_at is not None
    _check_divergence_contract(rec)
    assert rec.summary()["diverged_at"] == rec.diverged_at


def test_divergence_of_one_model_does_not_disturb_its_stack_mates():
    good = TrainConfig(**SMALL, activation="relu", lr=0.1)
    bad = good.replace(activation="leaky_relu", lr=10.0)  # same shape: same stack
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r_bad, r_good = train_many([bad, good])
    assert r_bad.diverged_at is not None
    assert r_good.diverged_at is None
    _check_divergence_contract(r_bad)
    _history_close(r_good.history, train(good).history)


# --------------------------------------------------------------------------------------------
# Checkpoints and record size


@pytest.mark.parametrize(("epochs", "n_ck"), [(30, 8), (5, 50), (1, 2), (200, 50), (97, 13)])
def test_checkpoints(epochs, n_ck):
    rec = train(TrainConfig(n_samples=60, hidden=(3,), epochs=epochs, n_checkpoints=n_ck,
                            grid_size=10))
    ck = rec.checkpoints
    assert ck[0] == 0
    assert ck[-1] == epochs
    assert len(ck) <= n_ck
    assert len(ck) == min(n_ck, epochs + 1)
    assert ck == sorted(set(ck))
    assert list(rec.history["epoch"]) == list(range(epochs + 1))
    assert sorted(set(rec.layer_stats["epoch"])) == ck
    assert rec.grid_p.shape[0] == len(ck)
    for e in (0, epochs // 3, epochs):
        assert rec.nearest_checkpoint(e) in ck
        assert abs(rec.nearest_checkpoint(e) - e) == min(abs(c - e) for c in ck)


def test_record_size_bounded_by_checkpoints():
    base = dict(n_samples=60, hidden=(4,), n_checkpoints=10, grid_size=16)
    short = train(TrainConfig(**base, epochs=200))
    long = train(TrainConfig(**base, epochs=2000))
    assert len(long.history) == 2001 and len(short.history) == 201
    assert len(short.checkpoints) == len(long.checkpoints) == 10
    for name in ("grid_p", "grid_cls", "grad_counts", "grad_zero_counts", "act_counts"):
        assert getattr(short, name).shape == getattr(long, name).shape, name
    assert [d.shape for d in short.dead] == [d.shape for d in long.dead]
    assert len(short.layer_stats) == len(long.layer_stats)
    assert short.grid_p.shape == (10, 16 * 16)


# --------------------------------------------------------------------------------------------
# iter_train


def test_iter_train_yields_growing_partials_then_the_full_record():
    cfg = TrainConfig(**SMALL)
    seen = []
    for rec in iter_train(cfg):
        seen.append((rec, list(rec.checkpoints), len(rec.history), rec.grid_p.shape))
    partials, final = seen[:-1], seen[-1][0]
    assert len(partials) == len(final.checkpoints)
    for i, (rec, ck, n_hist, gshape) in enumerate(partials):
        assert not rec.complete
        # the snapshot was not changed by later training
        assert rec.checkpoints == ck and len(rec.history) == n_hist and rec.grid_p.shape == gshape
        assert len(ck) == i + 1
        assert ck == final.checkpoints[:i + 1]
        assert rec.history["epoch"].iloc[-1] == ck[-1]
        assert gshape[0] == len(ck)
    assert final.complete
    _assert_records_identical(final, train(cfg))


def test_iter_train_every():
    cfg = TrainConfig(**SMALL)
    recs = list(iter_train(cfg, every=3))
    n_ck = len(recs[-1].checkpoints)
    assert len(recs) == len(range(0, n_ck, 3)) + 1
    assert [len(r.checkpoints) for r in recs[:-1]] == [i + 1 for i in range(0, n_ck, 3)]
    assert recs[-1].complete


# --------------------------------------------------------------------------------------------
# train_many


def _expected_n_params(hidden, acts, k, n_out):
    total, fan_in = 0, 2
    for units, name in zip(hidden, acts):
        a = ACTIVATIONS[name]
        width = units * (k if a.pieces else 1)
        total += (fan_in + 1) * width + (units if a.learned else 0)
        fan_in = units
    return total + (fan_in + 1) * n_out


def test_train_many_keeps_order_and_counts_params():
    base = TrainConfig(**SMALL, maxout_k=3)
    names = ["sigmoid", "maxout", "relu", "prelu", "tanh"]
    cfgs = [base.replace(activation=n) for n in names]
    progress = []
    recs = train_many(cfgs, progress=progress.append)
    assert [r.config for r in recs] == cfgs
    assert [r.label for r in recs] == [ACTIVATIONS[n].label for n in names]
    for r, n in zip(recs, names):
        assert r.n_params == _expected_n_params(base.hidden, [n, n], 3, 1), n
    by = dict(zip(names, recs))
    assert by["maxout"].n_params > by["relu"].n_params
    assert by["prelu"].n_params > by["relu"].n_params
    assert by["sigmoid"].n_params == by["relu"].n_params == by["tanh"].n_params
    assert progress and progress[-1] == 1.0
    assert all(0 <= p <= 1 for p in progress)
    assert progress == sorted(progress)
    # each equals its own solo run
    for r, c in zip(recs, cfgs):
        _history_close(r.history, train(c).history)


def test_train_many_with_layer_activations_and_multiclass():
    base = TrainConfig(**SMALL, dataset="blobs", n_classes=4)
    cfgs = [base.replace(layer_activations=("tanh", "relu")),
            base.replace(layer_activations=("relu", "tanh")),
            base.replace(activation="selu")]
    recs = train_many(cfgs)
    for r, c in zip(recs, cfgs):
        assert r.config == c
        assert r.n_params == _expected_n_params(c.hidden, c.hidden_activations(), 2, 4)
        assert r.data.n_classes == 4
        _history_close(r.history, train(c).history)
    assert recs[0].label != recs[1].label


def test_train_many_stack_with_per_model_settings_equals_solo_runs():
    """One stack whose models differ in activation, parameter, init, bias and learning rate
    (runs of equal activations included) gives each model its solo result."""
    base = TrainConfig(**SMALL, dataset="blobs", n_classes=3, optimizer="adam", lr=0.01)
    cfgs = [base.replace(activation="relu"),
            base.replace(activation="relu", lr=0.05),
            base.replace(activation="leaky_relu", leaky_slope=0.3),
            base.replace(activation="leaky_relu"),
            base.replace(activation="elu", elu_alpha=0.5, bias_init=0.2),
            base.replace(activation="gelu", init="xavier_normal", init_scale=1.5),
            base.replace(activation="sigmoid"),
            base.replace(activation="relu", lr=0.02)]
    recs = train_many(cfgs)
    assert [r.config for r in recs] == cfgs
    for r, c in zip(recs, cfgs):
        solo = train(c)
        _history_close(r.history, solo.history)
        np.testing.assert_allclose(r.layer_stats["grad_norm"], solo.layer_stats["grad_norm"],
                                   rtol=1e-8)
        np.testing.assert_allclose(r.grid_p, solo.grid_p, atol=1e-6)


# --------------------------------------------------------------------------------------------
# Record accessors


def test_epochs_to(default_record):
    h = default_record.history
    for acc in (0.5, 0.8, 0.9, 0.95):
        hit = h[h["train_acc"] >= acc]
        expected = int(hit["epoch"].iloc[0]) if len(hit) else None
        assert default_record.epochs_to(acc) == expected
    assert default_record.epochs_to(0.0) == 0
    assert default_record.epochs_to(1.01) is None
    assert default_record.epochs_to(0.9) is not None


@pytest.mark.parametrize(("dataset", "k"), [("moons", 2), ("blobs", 3)])
def test_boundary(dataset, k):
    rec = train(TrainConfig(**SMALL, dataset=dataset, n_classes=k))
    for epoch in (0, None, rec.checkpoints[len(rec.checkpoints) // 2]):
        b = rec.boundary(epoch)
        assert list(b.columns[:4]) == ["x", "y", "p", "cls"]
        assert len(b) == rec.config.grid_size ** 2
        assert b["p"].between(0, 1).all()
        assert set(b["cls"]) <= set(range(k))
        xmin, xmax, ymin, ymax = rec.data.domain()
        assert b["x"].min() == pytest.approx(xmin) and b["x"].max() == pytest.approx(xmax)
        assert b["y"].min() == pytest.approx(ymin) and b["y"].max() == pytest.approx(ymax)
        if k == 2:
            clear = (b["p"] - 0.5).abs() > 1e-6
            assert ((b["p"] > 0.5) == (b["cls"] == 1))[clear].all()
        else:
            assert (b["p"] >= 1.0 / k - 1e-6).all()


def test_grad_hist_bins_identical_across_runs_and_counts_add_up():
    r1 = train(TrainConfig(**SMALL, activation="tanh"))
    r2 = train(TrainConfig(n_samples=80, hidden=(5, 7, 3), activation="maxout", maxout_k=3,
                           epochs=10, n_checkpoints=3, grid_size=10))
    edges = None
    for rec in (r1, r2):
        for epoch in (0, None):
            gh = rec.grad_hist(epoch)
            zeros = rec.grad_zeros(epoch).set_index("layer")["zeros"]
            for layer, part in gh.groupby("layer"):
                e = (part["bin_lo"].to_numpy(), part["bin_hi"].to_numpy())
                np.testing.assert_array_equal(e[0], GRAD_BINS[:-1])
                np.testing.assert_array_equal(e[1], GRAD_BINS[1:])
                if edges is None:
                    edges = e
                np.testing.assert_array_equal(e[0], edges[0])
                assert (part["count"] == part["count_pos"] + part["count_neg"]).all()
                cfg = rec.config
                dims = [2, *cfg.hidden]
                if layer <= len(cfg.hidden):
                    act = ACTIVATIONS[cfg.hidden_activations()[layer - 1]]
                    width = cfg.hidden[layer - 1] * (cfg.maxout_k if act.pieces else 1)
                else:
                    width = 1
                assert part["count"].sum() + zeros[layer] == dims[layer - 1] * width
    # activation histograms: every hidden output of every training sample is counted
    ah = r1.act_hist(0)
    for layer, part in ah.groupby("layer"):
        np.testing.assert_array_equal(part["bin_lo"].to_numpy(), ACT_BINS[:-1])
        assert part["count"].sum() == len(r1.data.X_train) * r1.config.hidden[layer - 1]


def test_same_sign_sample_fraction_sigmoid_vs_tanh():
    """Claim 3: after an all-positive (sigmoid) layer every per-sample update of a unit moves
    all its incoming weights the same way; after tanh almost never."""
    base = TrainConfig(**SMALL).replace(hidden=(16, 16))
    sig = train(base.replace(activation="sigmoid"))
    tan = train(base.replace(activation="tanh"))
    s = sig.layer_stats[sig.layer_stats["layer"] == 2]["same_sign_sample_frac"]
    t = tan.layer_stats[tan.layer_stats["layer"] == 2]["same_sign_sample_frac"]
    assert (s > 0.95).all()
    assert (t < 0.2).all()
    # layer 1 sees the same (standardised, zero-centred) inputs in both nets
    s1 = sig.layer_stats[sig.layer_stats["layer"] == 1]["same_sign_sample_frac"]
    assert (s1 < 0.6).all()


def test_layer_stats_columns_and_ranges(small_record):
    st = small_record.layer_stats
    for col in ("epoch", "layer", "layer_name", "units", "grad_norm", "grad_mean_abs",
                "dead_frac", "saturated_frac", "same_sign_frac", "same_sign_sample_frac",
                "revived"):
        assert col in st.columns, col
    hidden = st[st["layer"] <= small_record.n_hidden]
    for col in ("dead_frac", "saturated_frac", "same_sign_frac", "same_sign_sample_frac"):
        assert hidden[col].between(0, 1).all(), col
    assert (st["grad_norm"] >= 0).all()
    assert (st["grad_norm"] >= st["grad_mean_abs"]).all()
    assert len(st) == len(small_record.checkpoints) * (small_record.n_hidden + 1)
    h = small_record.history
    assert list(h.columns) == ["epoch", "train_loss", "test_loss", "train_acc", "test_acc",
                               "train_objective"]
    assert h[["train_acc", "test_acc"]].stack().between(0, 1).all()
    summary = small_record.summary()
    assert summary["final_train_acc"] == h["train_acc"].iloc[-1]
    assert summary["n_params"] == small_record.n_params


# ---------------------------------------------------------------- learning-rate changes
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_lr_change_equals_the_original_run_up_to_its_epoch_then_differs(optimizer):
    """``lr_changes=((e, x),)``: the record equals the run without the change at every epoch
    up to e (bit for bit: same losses, same boundary at the snapshots), and differs after."""
    base = TrainConfig(**{**SMALL, "epochs": 24, "n_checkpoints": 7}, optimizer=optimizer)
    e = 12  # a snapshot epoch (0, 4, ..., 24)
    orig, changed = train(base), train(base.replace(lr_changes=((e, base.lr * 8),)))
    np.testing.assert_array_equal(changed.history.iloc[:e + 1].to_numpy(),
                                  orig.history.iloc[:e + 1].to_numpy())
    assert orig.checkpoints == changed.checkpoints
    for c, ep in enumerate(orig.checkpoints):
        same = np.array_equal(orig.grid_p[c], changed.grid_p[c])
        assert same == (ep <= e), ep
    after = orig.history["train_loss"].iloc[e + 1:].to_numpy()
    assert (changed.history["train_loss"].iloc[e + 1:].to_numpy() != after).all()
    # the prefix of the changed run (what "+1 epoch" trains) is the original's prefix
    assert base.replace(lr_changes=((e, 0.5),)).prefix(e) == base.prefix(e)
    # a change back to the same rate is no change at all
    assert base.with_lr_from(e, base.lr) == base
    assert base.with_lr_from(e, 0.5).lr_changes == ((e, 0.5),)
    assert base.with_lr_from(e, 0.5).lr_at(e - 1) == base.lr
    assert base.with_lr_from(e, 0.5).lr_at(e) == 0.5


def test_two_lr_changes_equal_a_run_restarted_by_hand():
    """Two changes: each piece of the run uses its rate (the second change on top of the
    first equals the first run up to the second change's epoch)."""
    base = TrainConfig(**{**SMALL, "epochs": 20, "n_checkpoints": 5})
    one = base.with_lr_from(6, 0.5)
    two = one.with_lr_from(14, 0.02)
    assert two.lr_changes == ((6, 0.5), (14, 0.02))
    r1, r2 = train(one), train(two)
    np.testing.assert_array_equal(r2.history.iloc[:15].to_numpy(), r1.history.iloc[:15].to_numpy())
    assert (r2.history["train_loss"].iloc[15:].to_numpy()
            != r1.history["train_loss"].iloc[15:].to_numpy()).all()
    # stacked with other configs (train_many) the changed runs are the same
    m = train_many([base, one, two])
    for a, b in zip(m, [train(base), r1, r2], strict=True):
        np.testing.assert_array_equal(a.history.to_numpy(), b.history.to_numpy())
