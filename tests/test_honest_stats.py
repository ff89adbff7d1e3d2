"""Issue 12 (engine side): every statistic the record reports keeps its stated definition at the
edge cases — zero gradients, interior flat points, Leaky ReLU's α side, a linear model.

Each test uses the issue's reproducing case and would fail on the code before the fix.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.special import ndtr

from explorer import ACTIVATIONS, TrainConfig, train
from explorer.activations import SATURATION_FRACTION, sigmoid
from explorer.charts import core
from explorer.config import NO_HIDDEN
from explorer.labs import dead as dead_lab
from explorer.labs import gallery as gallery_lab
from explorer.network import MLP
from explorer.record import DEFINITIONS, STAT_COLUMNS, same_sign_chance
from explorer.stats import same_sign, same_sign_many, same_sign_samples, same_sign_samples_many
from explorer.texts.playground import TEXT as PLAYGROUND
from explorer.texts.stats import TEXT as STATS
from explorer.train import data_for


# ------------------------------------------------------------------ 2. same-sign fractions
def test_same_sign_samples_leaves_out_pairs_with_zero_delta():
    x = np.array([[1.0, 2.0], [3.0, 0.5], [0.2, 0.1], [1.0, 1.0]])  # all positive inputs
    delta = np.array([[0.3, 0.0], [0.0, 0.0], [-1.0, 0.0], [0.0, 0.0]])  # unit 2 closed
    # every nonzero per-sample update x·δ is same-sign (old code: 2 of 8 pairs = 0.25)
    assert same_sign_samples(x, delta) == 1.0
    # zero inputs move nothing either: left out
    x0 = np.vstack([x, np.zeros((1, 2))])
    assert same_sign_samples(x0, np.vstack([delta, [[1.0, 1.0]]])) == 1.0
    # no nonzero update at all: undefined, not 0
    assert math.isnan(same_sign_samples(x, np.zeros_like(delta)))
    many = same_sign_samples_many(x.T[None], delta.T[None])
    assert many[0] == 1.0


def test_same_sign_leaves_out_units_with_all_zero_gradient():
    g = np.array([[1.0, 0.0, 2.0], [3.0, 0.0, -1.0]])  # unit 2 dead: its column is all 0
    assert same_sign(g) == 0.5  # old code: 1 of 3
    assert math.isnan(same_sign(np.zeros((2, 3))))  # old code: 0.0
    np.testing.assert_array_equal(same_sign_many(np.stack([g, np.zeros((2, 3))])), [0.5, np.nan])
    # shown as "—", not 0 %
    assert core.fmt_pct(float("nan")) == "—" == STATS["en"]["fmt.undefined"]


def test_default_relu_net_per_sample_same_sign_after_a_relu_layer_is_one():
    """The issue's case: default ReLU net, epoch 0. Layer 2 sees ReLU outputs (all ≥ 0), so
    every nonzero per-sample update is same-sign: 1.0 (the old denominator gave 0.535)."""
    rec = train(TrainConfig(epochs=1, n_checkpoints=2))
    st = rec.stats_at(0).set_index("layer")
    assert st.loc[2, "same_sign_sample_frac"] == 1.0
    assert st.loc[3, "same_sign_sample_frac"] == 1.0
    assert 0.3 < st.loc[1, "same_sign_sample_frac"] < 0.4  # zero-centred inputs (0.351)


def test_same_sign_chance_baseline_is_reported_per_layer():
    assert same_sign_chance(2) == 0.5 and same_sign_chance(3) == 0.25
    assert math.isnan(same_sign_chance(1))
    assert "same_sign_chance" in STAT_COLUMNS
    rec = train(TrainConfig(hidden=(5, 4), epochs=1, n_checkpoints=2))
    st = rec.stats_at(0).set_index("layer")
    assert list(st["same_sign_chance"]) == [0.5, 2.0 ** -4, 2.0 ** -3]  # fan-in 2, 5, 4
    table = core.layer_table(rec, 0)
    assert "(chance 50%)" in table.iloc[0][core.ct("same_sign")]
    # the chance level really is that: random Gaussian gradients of a 2-input layer
    g = np.random.default_rng(0).standard_normal((1, 2, 20000))
    assert same_sign_many(g)[0] == pytest.approx(0.5, abs=0.02)


# ------------------------------------------------------------------ 3. data loss in history
def test_history_loss_is_the_data_loss_and_the_objective_is_separate():
    cfg = TrainConfig(l2=0.1, epochs=3, n_checkpoints=2)
    with_l2, without = train(cfg), train(cfg.replace(l2=0.0))
    h, h0 = with_l2.history.iloc[0], without.history.iloc[0]  # same initial weights
    assert h["train_loss"] == pytest.approx(h0["train_loss"], rel=1e-12)
    assert h["test_loss"] == pytest.approx(h0["test_loss"], rel=1e-12)
    assert h["train_objective"] > h["train_loss"]  # + λ/2·Σ‖W‖²
    assert without.history["train_objective"].equals(without.history["train_loss"])
    # and equal to a plain MLP's data loss on the recorded data
    d = data_for(cfg.replace(hidden=(), epochs=1))
    lin = train(TrainConfig(hidden=(), l2=0.1, epochs=1, n_checkpoints=2, init="zeros"))
    net = MLP.from_weights([(np.zeros((2, 1)), np.zeros(1))])
    loss, _ = net.loss_and_grads(d.X_train, d.y_train)
    assert lin.history["train_loss"].iloc[0] == pytest.approx(loss, rel=1e-12)  # ln 2


# ------------------------------------------------------------------ 4. saturation
def _interior_min(name: str) -> float:
    act = ACTIVATIONS[name]
    return brentq(lambda z: act.df(np.array([z]), act.f(np.array([z])))[0], -2.0, -0.3)


@pytest.mark.parametrize("name", ["gelu", "silu", "mish"])
def test_interior_flat_point_is_not_saturation(name):
    """All hidden pre-activations at the activation's interior minimum (f' = 0 there): the
    old rule counted 100 % saturated; it is not a saturating tail."""
    zmin = _interior_min(name)
    act = ACTIVATIONS[name]
    assert abs(act.df(np.array([zmin]), act.f(np.array([zmin])))[0]) < 1e-9
    assert not act.saturated(np.array([zmin]))[0]
    assert act.saturated(np.array([-12.0]))[0]
    rec = train(TrainConfig(activation=name, init="constant", init_scale=0.0, bias_init=zmin,
                            epochs=1, n_checkpoints=2))
    hidden = rec.stats_at(0).query("layer <= 2")
    assert (hidden["saturated_frac"] == 0.0).all()


def test_saturating_tails_are_registry_properties():
    want = {"sigmoid": ("-", "+"), "tanh": ("-", "+"), "relu": (), "leaky_relu": (),
            "prelu": (), "elu": ("-",), "selu": ("-",), "gelu": ("-",), "silu": ("-",),
            "mish": ("-",), "softplus": ("-",), "identity": (), "maxout": ()}
    for name, tails in want.items():
        act = ACTIVATIONS[name]
        assert act.saturates == tails, name
        lo, hi = act.saturation_bounds(act.param.default if act.param and not act.pieces
                                       else None)
        assert (lo > -np.inf) == ("-" in tails) and (hi < np.inf) == ("+" in tails), name
        # beyond the bound |f'| stays below 5 % of its max all the way out
        for edge, side in ((lo, -1), (hi, 1)):
            if np.isfinite(edge):
                z = edge + side * np.geomspace(1e-6, 1e3, 400)
                p = act.param.default if act.param and not act.pieces else None
                with np.errstate(all="ignore"):
                    d = np.abs(np.broadcast_to(act.df(z, act.f(z, p), p), z.shape))
                assert (d < SATURATION_FRACTION * act.deriv_max(p)).all(), name
    assert ACTIVATIONS["relu"].zero_side == ("-",)
    assert ACTIVATIONS["leaky_relu"].zero_side == ()
    # sigmoid's tail starts where σ' = 5 % of 1/4
    lo, hi = ACTIVATIONS["sigmoid"].saturation_bounds()
    s = sigmoid(np.array([hi]))[0]
    assert s * (1 - s) == pytest.approx(0.05 * 0.25, rel=1e-9) and lo == pytest.approx(-hi)


def test_record_saturation_counts_tails_only():
    """ReLU: nothing saturated (its zero side is zero gradient, not saturation); Leaky ReLU's
    α side is not flat; sigmoid with huge weights: its tails."""
    for name in ("relu", "leaky_relu"):
        rec = train(TrainConfig(activation=name, init="normal", init_scale=5.0, epochs=1,
                                n_checkpoints=2))
        assert (rec.stats_at(0).query("layer <= 2")["saturated_frac"] == 0).all(), name
    rec = train(TrainConfig(activation="sigmoid", init="normal", init_scale=5.0, epochs=1,
                            n_checkpoints=2))
    assert (rec.stats_at(0).query("layer <= 2")["saturated_frac"] > 0.1).all()


def test_gallery_flat_share_uses_the_same_definition():
    # GELU at N(0, 1): the old rule counted the interior minimum, 8–9 % of inputs
    lo, _ = ACTIVATIONS["gelu"].saturation_bounds()
    got = gallery_lab.flat_fraction(ACTIVATIONS["gelu"], None, 0.0, 1.0)
    assert got == pytest.approx(float(ndtr(lo)), abs=1e-12) and got < 0.02
    table = gallery_lab.summary(["relu", "leaky_relu", "sigmoid", "gelu"], None, 0.0, 1.0)
    rows = table.set_index("name")
    assert rows.loc["leaky_relu", "flat"] == 0.0  # old: 50 %
    assert rows.loc["relu", "flat"] == 0.0 and rows.loc["relu", "zero"] == pytest.approx(0.5)
    assert rows.loc["relu", "saturating"] == "no" and rows.loc["relu", "zero side"] == "negative"
    # the panel's red bands: tails only, never GELU's interior minimum
    curve = gallery_lab.curves(["gelu"], None, 6.0)
    bands = gallery_lab.panel_bands(curve, rows.loc["gelu", "peak"])
    assert bands and all(b[0] == -6.0 for b in bands)
    assert gallery_lab.panel_bands(gallery_lab.curves(["leaky_relu"], None, 6.0), 1.0) == []


# ------------------------------------------------------------------ 5./6. asleep and revivals
@pytest.fixture(scope="module")
def large_lr_leaky():
    return train(dead_lab.BASE.replace(lr=3.0, activation="leaky_relu"))


def test_asleep_units_are_negative_on_every_training_point():
    """A constant init with bias −2 puts every hidden z at −2: all units asleep, and for
    Leaky ReLU none dead (f' = α ≠ 0), for ReLU all dead; tanh has no gated side (issue 25:
    never asleep, its asleep share not applicable)."""
    base = TrainConfig(init="constant", init_scale=0.0, bias_init=-2.0, epochs=1,
                       n_checkpoints=2)
    for name, dead, asleep in (("leaky_relu", 0, 32), ("relu", 32, 32), ("tanh", 0, 0)):
        st = train(base.replace(activation=name)).stats_at(0).query("layer <= 2")
        assert st["asleep_count"].sum() == asleep, name
        assert st["dead_count"].sum() == dead, name
        assert st["asleep_frac"].isna().all() == (name == "tanh"), name


def test_leaky_relu_at_lr_3_has_asleep_units_that_wake_up(large_lr_leaky):
    rec = large_lr_leaky
    counts = rec.unit_counts()
    assert (counts["dead_count"] == 0).all()  # "0 % dead" is true by definition ...
    assert counts["asleep_count"].max() >= 4  # ... but units do fall asleep
    assert counts["woke"].iloc[-1] > 0  # and some come back
    # wake-ups at least explain every drop in the asleep count from one epoch to the next
    drop = (-counts["asleep_count"].diff()).clip(lower=0).iloc[1:].to_numpy()
    assert (counts["woke"].diff().iloc[1:].to_numpy() >= drop).all()
    table = dead_lab.summary([rec])
    assert table["asleep_peak"].iloc[0] > 0 and table["dead_peak"].iloc[0] == 0


def test_relu_dead_equals_asleep_every_epoch():
    rec = train(dead_lab.BASE.replace(lr=3.0, epochs=30, n_checkpoints=4))
    uh = rec.unit_history
    assert len(uh) == 31 * 2
    assert (uh["dead_count"] == uh["asleep_count"]).all()
    assert uh["dead_count"].max() > 0


def test_revivals_do_not_depend_on_the_number_of_checkpoints():
    """The issue's case: the same run gave [0,3,5], [0,8,21], [0,18,29] revivals with 10, 50,
    100 snapshots. Now dead/alive is tracked every epoch."""
    cfg = dead_lab.BASE.replace(lr=3.0, epochs=100)
    recs = {n: train(cfg.replace(n_checkpoints=n)) for n in (10, 50, 100)}
    engine = {n: sum(dead_lab.revivals_from_stats(r).values()) for n, r in recs.items()}
    assert len(set(engine.values())) == 1 and engine[10] > 0, engine
    for r in recs.values():
        assert r.unit_counts()["revived"].iloc[-1] == engine[10]
        # the per-epoch table agrees with the snapshot rows where both exist
        uh = r.unit_history.set_index(["epoch", "layer"])
        for row in r.layer_stats.query("layer <= 2").itertuples():
            assert uh.loc[(row.epoch, row.layer), "dead_count"] == row.dead_count
            assert uh.loc[(row.epoch, row.layer), "revived"] == row.revived
    # the maps miss revivals between snapshots; with a snapshot every epoch they see them all
    every = train(cfg.replace(epochs=50, n_checkpoints=51))
    assert dead_lab.revivals_from_maps(every) == dead_lab.revivals_from_stats(every)


# ------------------------------------------------------------------ 7. linear baseline
def test_no_hidden_layer_config_url_train_and_mlp():
    cfg = TrainConfig(hidden=(), epochs=20, n_checkpoints=5)
    q = cfg.to_query()
    assert q["hidden"] == NO_HIDDEN
    back, errors = TrainConfig.from_query(q)
    assert back == cfg and not errors
    rec = train(cfg)
    assert rec.n_hidden == 0 and rec.n_params == 3
    assert list(rec.layer_stats["layer_name"].unique()) == ["output"]
    assert rec.history["train_acc"].iloc[-1] > 0.8  # moons are nearly linearly separable
    # the charts that iterate over hidden layers do not crash
    assert rec.act_hist().empty and rec.dead_frame().empty and rec.unit_history.empty
    core.layer_table(rec)
    core.summary_line(rec)
    core.grad_hist_row(rec).to_dict()
    core.act_hist_row(rec).to_dict()
    core.boundary_chart(rec).to_dict()
    # MLP.from_weights([(W, b)]): logistic regression, gradient checked by finite differences
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal((2, 1)), rng.standard_normal(1)
    X, y = rng.standard_normal((7, 2)), rng.integers(0, 2, 7)
    net = MLP.from_weights([(W, b)])
    loss, [(dW, db)] = net.loss_and_grads(X, y)
    p = 1 / (1 + np.exp(-(X @ W + b)[:, 0]))
    assert loss == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)
    np.testing.assert_allclose(dW[:, 0], X.T @ (p - y) / 7, rtol=1e-12)
    np.testing.assert_allclose(db, [np.mean(p - y)], rtol=1e-12)
    soft = MLP.from_weights([(rng.standard_normal((2, 3)), np.zeros(3))], n_classes=3)
    assert soft.predict_proba(X).shape == (7, 3)


def test_cs231n_spiral_linear_vs_relu():
    """CS231n's case study on its exact spiral (arm offset 4j, noise 0.2, not standardised,
    300 points): a linear softmax reaches ≈ 49–55 % training accuracy, a ReLU net ≈ 98 %
    (CS231n: 100 units, 10 000 steps; here the app's widest layer, 64, and 2 000 full-batch
    epochs, same learning rate 1 and L2 1e-3)."""
    base = TrainConfig(dataset="spiral_cs231n", n_samples=300, test_fraction=0.1,
                       optimizer="sgd", lr=1.0, batch_size=2000, l2=1e-3, init="normal",
                       init_scale=0.01, n_checkpoints=2, grid_size=10, seed=1)
    d = data_for(base)
    assert d.n_classes == 3 and np.abs(d.X_train).max() <= 1.0  # radius ≤ 1: not standardised
    lin = train(base.replace(hidden=(), epochs=200))
    assert 0.40 <= lin.history["train_acc"].iloc[-1] <= 0.62
    net = train(base.replace(hidden=(64,), activation="relu", epochs=2000))
    assert net.history["train_acc"].iloc[-1] >= 0.95


def test_cs231n_spiral_geometry():
    from explorer.datasets import DATASETS
    raw = DATASETS["spiral_cs231n"].make(300, 0.0, 3, 0)
    X, y = raw.X, raw.y
    for j in range(3):
        arm = X[y == j]
        t = np.linspace(4.0 * j, 4.0 * (j + 1), 100)
        r = np.linspace(0.0, 1.0, 100)
        np.testing.assert_allclose(arm, np.column_stack([r * np.sin(t), r * np.cos(t)]),
                                   atol=1e-12)


# ------------------------------------------------------------------ 10. sigmoid precision
@pytest.mark.parametrize("z", [-40.0, -700.0, -30.0, -5.0, 0.0, 5.0, 40.0])
def test_sigmoid_keeps_full_relative_precision(z):
    want = math.exp(z) / (1 + math.exp(z)) if z < 0 else 1 / (1 + math.exp(-z))
    got = sigmoid(np.array([z]))[0]
    assert got == pytest.approx(want, rel=4e-16)
    out = np.empty(1)
    sigmoid(np.array([z]), None, out)
    assert out[0] == got and float(sigmoid(z)) == got


# ------------------------------------------------------------------ one place for definitions
def test_definitions_are_stated_once_and_pages_take_them_from_there():
    for lang in ("en", "zh"):
        defs = DEFINITIONS[lang]
        for key in ("dead", "asleep", "revived", "saturated", "same_sign", "same_sign_sample",
                    "same_sign_chance", "train_loss", "train_objective"):
            assert defs[key].strip(), (lang, key)
        caption = PLAYGROUND[lang]["table_caption"]
        for key in ("dead", "asleep", "saturated", "same_sign"):
            assert defs[key] in caption
    assert set(STATS["en"]) == set(STATS["zh"])
