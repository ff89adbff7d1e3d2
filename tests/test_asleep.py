"""issue 25, Leaky ReLU: asleep units (one definition, its edge cases), divergence (one
definition: NaN/inf or a loss that ends blown up) reported as diverged and never as a claim
holding, "holds on k of 5 seeds" for the lecture presets, and the pages that show them."""

from __future__ import annotations

import dataclasses

import numpy as np
import pagetest
import pytest
import shared_runs

from explorer import ACTIVATIONS, TrainConfig, train, train_many
from explorer.labs import dead as lab
from explorer.lesson import step, verdict_text
from explorer.presets import (
    DIVERGED,
    FAILS,
    HOLDS,
    PRESETS,
    Tally,
    facts,
    seed_configs,
    verdict_seeds,
)
from explorer.record import BLOWN_UP, BLOWUP, NONFINITE
from explorer.texts.dead_relu import TEXT as DEAD_TEXT
from explorer.texts.playground import TEXT as PLAY_TEXT
from explorer.units import sleep_slope

#: the issue's diverged Leaky runs (step 11 at learning rate 2)
NOISY = {"n_samples": 300, "noise": 0.3}


# ---------------------------------------------------------------------------- the definition
def test_sleep_slope_is_the_gated_sides_constant_slope():
    assert sleep_slope(ACTIVATIONS["relu"]) == 0.0
    assert sleep_slope(ACTIVATIONS["leaky_relu"], 0.01) == 0.01
    assert sleep_slope(ACTIVATIONS["leaky_relu"], 0.3) == 0.3
    assert sleep_slope(ACTIVATIONS["leaky_relu"], 0.0) == 0.0  # = ReLU
    assert sleep_slope(ACTIVATIONS["leaky_relu"], 1.0) is None  # the identity: no gate
    # no flat or leaky side: smooth tails, the identity, Maxout, PReLU (learned per unit)
    for name in ("sigmoid", "tanh", "elu", "selu", "gelu", "silu", "mish", "softplus",
                 "identity", "maxout", "prelu"):
        p = 1.0 if name == "elu" else None
        assert sleep_slope(ACTIVATIONS[name], p) is None, name


def _constant(**kw):
    return TrainConfig(init="constant", epochs=1, n_checkpoints=2, **kw)


@pytest.mark.parametrize("name, asleep, dead", [
    ("leaky_relu", 32, 0),  # z = 0 on every point: f'(0) = α, only α passes: asleep
    ("relu", 32, 32),  # ReLU'(0) = 0: dead, and so asleep
])
def test_zero_inputs_are_asleep(name, asleep, dead):
    """Zero weights and zero biases: every hidden z is exactly 0 on every training point."""
    st = train(_constant(activation=name, init_scale=0.0)).stats_at(0).query("layer <= 2")
    assert st["asleep_count"].sum() == asleep and st["dead_count"].sum() == dead
    assert (st["asleep_frac"] == 1.0).all()


@pytest.mark.parametrize("name", ["maxout", "tanh", "elu", "sigmoid"])
def test_activations_without_a_gated_side_are_never_asleep(name):
    """Bias −2 on every unit (z = −2 everywhere) puts a ReLU to sleep, but these have no gated
    side: 0 asleep, and the share is not applicable (NaN), not 0 %."""
    rec = train(_constant(activation=name, init_scale=0.0, bias_init=-2.0))
    st = rec.stats_at(0).query("layer <= 2")
    assert st["asleep_count"].sum() == 0 and st["asleep_frac"].isna().all()
    assert (rec.unit_history["asleep_count"] == 0).all()
    row = lab.summary([rec]).iloc[0]
    assert np.isnan(row["asleep_peak"])
    assert lab.table_rows(lab.summary([rec]))[0]["col.asleep"] == "—"
    assert not lab.can_sleep(rec)


def test_per_layer_activations_sleep_per_layer():
    rec = train(_constant(layer_activations=("leaky_relu", "tanh"), init_scale=0.0,
                          bias_init=-2.0))
    st = rec.stats_at(0).set_index("layer")
    assert st.loc[1, "asleep_frac"] == 1.0 and np.isnan(st.loc[2, "asleep_frac"])


def test_prelu_units_sleep_below_zero():
    rec = train(_constant(activation="prelu", init_scale=0.0, bias_init=-2.0))
    st = rec.stats_at(0).query("layer <= 2")
    assert st["asleep_count"].sum() == 32 and st["dead_count"].sum() == 0


@pytest.fixture(scope="module")
def lr3():
    cfgs, _ = lab.build_configs(lab.BASE.replace(lr=3.0), lab.DEFAULT_ACTS)
    recs = shared_runs.memo(f"{__name__}.lr3", lambda: train_many(cfgs))
    return dict(zip(lab.DEFAULT_ACTS, recs, strict=True))


def test_asleep_leaky_units_still_learn_and_wake(lr3):
    """The recount from one backward pass agrees with the engine's asleep map; every asleep
    Leaky unit gets a nonzero (α-scaled, much smaller) gradient, no asleep ReLU unit does."""
    leaky, relu = lr3["leaky_relu"], lr3["relu"]
    s = lab.sleepers(leaky)
    c = leaky.checkpoints.index(s["epoch"])
    assert s["asleep"] == sum(int(a[c].sum()) for a in leaky.asleep) > 0
    assert s["learning"] == s["asleep"] and 0 < s["ratio"] < 0.2
    r = lab.sleepers(relu)
    assert r["asleep"] > 0 and r["learning"] == 0 and r["ratio"] == 0
    row = lab.summary([leaky]).iloc[0]
    assert row["dead_peak"] == 0 and row["asleep_peak"] > 0 and row["woke"] > 0
    states = lab.unit_states(leaky)
    assert {"asleep", "woke"} <= set(states["state"]) and "dead" not in set(states["state"])
    assert not ({"asleep", "woke"} & set(lab.unit_states(relu)["state"]))


def test_sleepers_fail_for_a_leaky_slope_of_zero():
    """Slope 0 is ReLU: its asleep units are dead and get no gradient (the check can fail)."""
    (rec,) = train_many([lab.BASE.replace(lr=3.0, activation="leaky_relu", leaky_slope=0.0)])
    s = lab.sleepers(rec)
    assert s["asleep"] > 0 and s["learning"] == 0


# ---------------------------------------------------------------------------- divergence
def _with_loss(rec, loss):
    h = rec.history.iloc[:len(loss)].copy()
    h["train_loss"] = loss
    return dataclasses.replace(rec, history=h, diverged_at=None)


def test_divergence_definition_edge_cases(lr3):
    rec = lr3["relu"]
    start = float(rec.history["train_loss"].iloc[0])
    limit = BLOWUP * max(np.log(2), start)
    assert rec.divergence is None
    spike = [start, limit * 2, start / 2, start / 3]  # recovered: not divergence
    assert _with_loss(rec, spike).divergence is None
    ends = [start, limit * 2, start / 2, limit * 1.01, limit * 3]  # ends blown up from 3
    assert _with_loss(rec, ends).divergence == (3, BLOWN_UP)
    at_limit = [start, limit]  # exactly at the limit: not above it
    assert _with_loss(rec, at_limit).divergence is None
    assert lr3["maxout"].divergence == (lr3["maxout"].diverged_at, NONFINITE)


@pytest.mark.parametrize("seed", [12, 13])
def test_diverged_leaky_runs_of_step_11_are_reported_as_diverged(seed):
    s = step(11)
    recs = train_many([c.replace(**NOISY) for c in s.configs(seed)])
    assert recs[1].divergence is not None  # the case: Leaky ReLU diverges
    r = s.compute(seed, recs)
    assert not s.holds(r)
    assert r["diverged"] and r["diverged"][0][0] == "Leaky ReLU"
    text = verdict_text(s, r)
    assert "diverged" in text and "0 %" not in text
    assert "发散" in verdict_text(s, r, "zh")


def test_step_11_holds_and_shows_asleep_units_on_the_default_data():
    s = step(11)
    r = s.run(0)
    assert s.holds(r)
    leaky = r["rows"][1]
    text = verdict_text(s, r)
    assert f"**{round(100 * leaky['asleep_peak'])} %**" in text  # the chart's number
    curve = r["curve"]
    peak = curve[(curve["label"] == "Leaky ReLU") & (curve["kind"] == "asleep")]["share"].max()
    assert peak == leaky["asleep_peak"]
    assert f"**{leaky['sleep_learning']} of {leaky['sleep_units']}**" in text
    # able to fail: a Leaky slope of 0 is ReLU (dead units, no gradient while asleep)
    recs = train_many([c.replace(leaky_slope=0.0) for c in s.configs(0)])
    assert not s.holds(s.compute(0, recs))


def test_diverged_leaky_preset_run_says_diverged():
    """Seed 12 on the default data: the engine stops at a NaN (the issue's "0 of 32 dead")."""
    p = PRESETS["leaky_keeps_alive"]
    rec = train(p.config().replace(seed=12))
    assert rec.divergence is not None
    assert not p.holds(rec) and p.status(rec) == DIVERGED
    key, args = p.verdict(rec)
    assert key in ("verdict.diverged", "verdict.blowup")
    text = PLAY_TEXT["en"][key].format(**args)
    assert "diverged" in text and "dead" not in text
    PLAY_TEXT["zh"][key].format(**args)


# ---------------------------------------------------------------------------- k of 5
def test_verdict_seeds_include_the_shown_one():
    assert verdict_seeds(0) == verdict_seeds(4) == (0, 1, 2, 3, 4)
    assert verdict_seeds(12) == (12, 13, 14, 15, 16)
    top = 2**31 - 1
    assert verdict_seeds(top)[-1] == top and len(verdict_seeds(top)) == 5
    cfg = TrainConfig(seed=12)
    assert [c.seed for c in seed_configs(cfg)] == [13, 14, 15, 16]


def test_tally_counts_holds_only():
    t = Tally((0, 1, 2, 3, 4), (HOLDS, FAILS, DIVERGED, HOLDS, HOLDS), 2)
    assert t.k == 3 and t.n == 5 and t.where(DIVERGED) == [2] and t.shown_status == DIVERGED


def test_preset_k_of_5_comes_from_per_seed_runs_and_can_fail():
    """The Leaky preset's point on ReLU runs of the same config: 0 of 5 (ReLU loses units)."""
    p = PRESETS["leaky_keeps_alive"]
    cfg = p.config().replace(activation="relu", seed=0)
    shown = train(cfg)
    t = p.tally(shown, train_many(seed_configs(cfg)))
    assert t.seeds == (0, 1, 2, 3, 4) and t.k == 0
    statuses = [p.status(r) for r in [shown, *train_many(seed_configs(cfg))]]
    assert list(t.statuses) == statuses
    f = facts(shown)
    assert f["dead_end"] > 0


# ---------------------------------------------------------------------------- Dead ReLUs
def test_lr_3_names_every_diverged_activation(lr3):
    gone = lab.diverged_runs(list(lr3.values()))
    assert [g[0] for g in gone] == ["ELU", "Maxout"]
    rows = {r["col.act"]: r for r in lab.table_rows(lab.summary(list(lr3.values())))}
    for act in ("ELU", "Maxout"):
        assert rows[act]["col.loss"].startswith("diverged at epoch") and "e+" not in \
            rows[act]["col.loss"]
    assert rows["ReLU"]["col.div"] == "—"
    # the capped-axis note names only runs that did not diverge
    assert not set(lab.over_cap(list(lr3.values()), 1.0)) & {"ELU", "Maxout"}


def test_dead_page_at_lr_3_names_elu_and_maxout_and_shows_asleep():
    at = pagetest.run(pagetest.page_file("dead_relu"), {"lr": "3"}, 120, via_app=True)
    pagetest.no_errors(at)
    text = "\n".join(c.value for c in at.caption) + pagetest.markdown_text(at)
    note = [line for line in text.splitlines() if line.startswith("Diverged:")]
    assert note and "ELU" in note[0] and "Maxout" in note[0], text
    table = pagetest.page_dataframes(at)[0].value
    assert not table.astype(str).apply(lambda c: c.str.contains("e\\+")).any().any()
    loss_col = DEAD_TEXT["en"]["col.loss"]
    assert table.set_index(DEAD_TEXT["en"]["col.act"]).loc["ELU", loss_col].startswith(
        "diverged")
    assert "asleep" in pagetest.markdown_text(at) and "still learn" in text
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert any("asleep" in sp for sp in specs)


def test_playground_preset_says_k_of_5():
    at = pagetest.run(pagetest.page_file("playground"), None, 180)
    at.button(key="preset.leaky_keeps_alive").click().run()
    pagetest.no_errors(at)
    info = "\n".join(i.value for i in at.info)
    assert "of 5** seeds" in info and "(shown)" in info, info
    assert "asleep" in info


def test_playground_diverged_preset_seed_is_reported():
    q = {k: v for k, v in PRESETS["leaky_keeps_alive"].config().to_query().items()}
    at = pagetest.run(pagetest.page_file("playground"), {**q, "seed": "12"}, 240)
    pagetest.no_errors(at)
    info = "\n".join(i.value for i in at.info)
    assert "this run diverged" in info and "12: diverged (shown)" in info, info
    assert "dead" not in info.split("**This run:**")[1].split("**Over seeds")[0]


def test_texts_have_both_languages():
    for table in (DEAD_TEXT, PLAY_TEXT):
        assert set(table["en"]) == set(table["zh"])
