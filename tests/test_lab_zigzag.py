"""The zig-zag lab (claim 3): the two-weight neuron, the real-network same-sign shares,
the charts and the page (AppTest)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pagetest
import pytest

from explorer import train
from explorer.charts import zigzag as charts
from explorer.charts.palette import ACTIVATION_COLORS
from explorer.labs import zigzag as zz
from explorer.texts.zigzag import TEXT

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "zigzag.py")
SEEDS = range(8)


def t(key: str, **fmt) -> str:
    s = TEXT["en"].get(key, key)
    return s.format(**fmt) if fmt else s


# ---------------------------------------------------------------------------- the neuron
def test_inputs_all_positive_or_zero_centred_from_the_same_draws():
    pos, cen = zz.make_inputs("positive", 3), zz.make_inputs("centred", 3)
    assert pos.shape == cen.shape == (zz.N_SAMPLES, 2)
    assert (pos > 0).all() and (pos < 1).all()
    assert abs(cen.mean()) < 0.1 and (cen < 0).any() and (cen > 0).any()
    # paired: the same Gaussian g underlies both (sigmoid(g) > 1/2 iff tanh(g) > 0)
    assert ((pos > 0.5) == (cen > 0)).all()
    with pytest.raises(ValueError):
        zz.make_inputs("negative", 0)


def test_the_update_is_the_input_times_delta():
    run = zz.run_neuron("positive", 0.5, 3, seed=1)
    X, y = zz.make_inputs("positive", 1), zz.targets(zz.make_inputs("positive", 1), "linear")
    i = zz.sample_order(1, 3)[0]
    delta = 0.0 - y[i]  # w starts at (0, 0)
    np.testing.assert_allclose(run.updates[0], -0.5 * delta * X[i])
    np.testing.assert_allclose(run.path[0], [0.0, 0.0])
    np.testing.assert_allclose(np.cumsum(run.updates, axis=0), run.path[1:])


@pytest.mark.parametrize("output", zz.OUTPUTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_all_positive_per_sample_updates_are_all_same_sign(seed, output):
    run = zz.run_neuron("positive", 1.0, 300, seed, output)
    q = zz.quadrant_fractions(run.updates)
    assert q["(+,+)"] + q["(−,−)"] == 1.0
    assert q["(+,−)"] == 0.0 and q["(−,+)"] == 0.0
    assert zz.same_sign_fraction(run.updates) == 1.0
    cen = zz.run_neuron("centred", 1.0, 300, seed, output)
    assert zz.same_sign_fraction(cen.updates) < 0.9
    assert sum(zz.quadrant_fractions(cen.updates).values()) == pytest.approx(1.0)


@pytest.mark.parametrize("output,lr,budget", [("linear", zz.DEFAULT_LR, zz.DEFAULT_STEPS),
                                              ("linear", 1.0, 400), ("linear", 0.1, 3000),
                                              ("sigmoid", 2.0, 1000)])
def test_all_positive_inputs_need_more_steps_on_every_seed(output, lr, budget):
    for seed in SEEDS:
        pos = zz.run_neuron("positive", lr, budget, seed, output)
        cen = zz.run_neuron("centred", lr, budget, seed, output)
        assert cen.steps_to_opt is not None, (seed, output)
        assert pos.steps_to_opt is not None, (seed, output)
        assert pos.steps_to_opt > 2 * cen.steps_to_opt, (seed, output)
        assert pos.distance[pos.steps_to_opt] <= zz.TOL


def test_default_lab_reaches_the_optimum_within_the_default_budget_with_a_clear_gap():
    sweep = zz.seed_sweep(zz.DEFAULT_LR, zz.DEFAULT_STEPS, 0, "linear", zz.INPUT_KINDS,
                          n_seeds=10)
    wide = sweep.pivot(index="seed", columns="kind", values="steps")
    assert wide.notna().all().all()
    assert (wide["positive"] > 4 * wide["centred"]).all()
    runs = {k: zz.run_neuron(k, zz.DEFAULT_LR, zz.DEFAULT_STEPS, 0) for k in zz.INPUT_KINDS}
    v = zz.toy_verdict(runs, sweep)
    assert v["slower_seeds"] == v["n_seeds"] == 10
    assert v["positive_same"] == 100.0 and v["ratio"] > 4
    assert int(v["median_pos"]) > int(v["median_cen"])


def test_curvature_explains_it():
    pos, cen = zz.input_moments("positive", 0), zz.input_moments("centred", 0)
    assert pos["min_frac_pos"] == 1.0
    assert pos["cond"] > 5 * cen["cond"]


def test_divergence_is_caught_without_warnings():
    run = zz.run_neuron("centred", 50.0, 500, 0)
    assert run.diverged_at is not None and run.steps_to_opt is None
    assert np.isfinite(run.path).all()
    assert len(run.path) == run.steps_done + 1


@pytest.mark.parametrize("output", zz.OUTPUTS)
def test_loss_grid_has_its_minimum_at_w_star(output):
    runs = {k: zz.run_neuron(k, 0.5, 100, 0, output) for k in zz.INPUT_KINDS}
    box = zz.bounds(runs)
    assert box[1] - box[0] == pytest.approx(box[3] - box[2])  # square
    assert box[0] < 0 < box[1] and box[2] < -2 and box[1] > 2
    for k in zz.INPUT_KINDS:
        g = zz.loss_grid(k, 0, output, box, n=50)
        assert (g["loss"] >= 0).all() and len(g) == 2500
        best = g.loc[g["loss"].idxmin()]
        cx, cy = (best["w0"] + best["w0_hi"]) / 2, (best["w1"] + best["w1_hi"]) / 2
        assert abs(cx - 2) < 0.15 and abs(cy + 2) < 0.15


# ---------------------------------------------------------------------------- real networks
@pytest.fixture(scope="module")
def net_records():
    cfg = zz.NET_BASE.replace(epochs=30, n_checkpoints=5)
    return [train(c) for c in zz.net_configs(cfg)]


def test_sigmoid_net_deeper_updates_are_same_sign_tanh_not(net_records):
    table = zz.same_sign_layers(net_records)
    rows = table.set_index(["activation", "layer"])
    assert rows.loc[("sigmoid", 2), "per_sample"] > 0.9
    assert rows.loc[("tanh", 2), "per_sample"] < 0.2
    for layer in (3, 4):
        assert rows.loc[("sigmoid", layer), "per_sample"] > 0.9
        assert rows.loc[("tanh", layer), "per_sample"] < 0.2
    # layer 1 reads the same zero-centred data in both networks
    assert rows.loc[("sigmoid", 1), "per_sample"] == pytest.approx(
        rows.loc[("tanh", 1), "per_sample"], abs=0.05)
    assert rows.loc[("sigmoid", 1), "per_sample"] < 0.9
    # it is the record's own column, averaged over checkpoints
    st = net_records[0].layer_stats
    want = st[st["layer"] == 2]["same_sign_sample_frac"].mean()
    assert rows.loc[("sigmoid", 2), "per_sample"] == pytest.approx(want)
    v = zz.net_verdict(table)
    assert v["sigmoid_deep"] > 90 and v["tanh_deep"] < 20
    assert set(v) >= {"sigmoid_first", "tanh_first", "sigmoid_deep_batch", "tanh_deep_batch"}


def test_net_configs_override_the_activation_only():
    cfg = zz.NET_BASE.replace(layer_activations=("relu", "relu", "relu"), seed=4)
    out = zz.net_configs(cfg)
    assert [c.hidden_activations() for c in out] == [("sigmoid",) * 3, ("tanh",) * 3]
    assert all(c.seed == 4 and c.hidden == (16, 16, 16) for c in out)


# ---------------------------------------------------------------------------- charts
def test_charts_build_with_palette_colours(net_records):
    runs = {k: zz.run_neuron(k, 0.5, 200, 0) for k in zz.INPUT_KINDS}
    box = zz.bounds(runs)
    paths = zz.path_frame(runs)
    spec = charts.contour_chart(zz.loss_grid("positive", 0, "linear", box, n=20), paths,
                                "positive", t, box, title="x").to_dict()
    assert spec["layer"][1]["mark"]["color"] == ACTIVATION_COLORS["sigmoid"]
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [box[0], box[1]]
    q = charts.quadrant_chart(zz.quadrant_table(runs), list(zz.INPUT_KINDS), t).to_dict()
    enc = q["layer"][0]["encoding"]["color"]["scale"]
    assert enc["range"] == [ACTIVATION_COLORS["sigmoid"], ACTIVATION_COLORS["tanh"]]
    d = charts.distance_chart(paths, list(zz.INPUT_KINDS), t, zz.TOL).to_dict()
    assert d["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    sweep = zz.seed_sweep(0.5, 50, 0, "linear", zz.INPUT_KINDS, n_seeds=2)
    s = charts.sweep_chart(sweep, list(zz.INPUT_KINDS), t, 50).to_dict()
    assert s["title"]["text"] == TEXT["en"]["chart.sweep"]
    table = zz.same_sign_layers(net_records)
    lc = charts.layer_chart(table, "per_sample", t, "title").to_dict()
    assert lc["layer"][0]["encoding"]["color"]["scale"]["range"] == [
        ACTIVATION_COLORS["sigmoid"], ACTIVATION_COLORS["tanh"]]


def test_every_text_key_has_a_chinese_translation():
    assert set(TEXT["en"]) == set(TEXT["zh"])
    assert all(TEXT["zh"][k].strip() for k in TEXT["zh"])


# ---------------------------------------------------------------------------- page
def _app(**query):
    return pagetest.run(PAGE, query)


def _text(at) -> str:
    return pagetest.markdown_text(at)


def test_page_defaults():
    at = _app()
    assert not at.exception and not at.warning
    assert at.title[0].value == TEXT["en"]["title"]
    assert len(at.get("vega_lite_chart")) == 2 + 3 + 2
    text = _text(at)
    assert "**100%** of the all-positive updates" in text
    assert "5 times out of 5" in text
    assert "after sigmoid" in text


def test_page_with_changed_controls():
    at = _app(nlr="1", steps="300", out="sigmoid", seed="3", inputs="positive")
    assert not at.exception and not at.warning
    assert len(at.get("vega_lite_chart")) == 1 + 3 + 2
    at = _app(nlr="1", steps="300", seed="3")
    at.select_slider(key="zigzag.nlr").set_value(0.2).run()
    assert not at.exception
    assert at.query_params["nlr"] in ("0.2", ["0.2"])
    assert "within 0.1" in _text(at)


def test_page_bad_url_values_fall_back_with_a_notice():
    at = _app(nlr="abc", steps="-5", inputs="foo", out="cubic", seed="x")
    assert not at.exception
    assert len(at.warning) >= 4
    assert len(at.get("vega_lite_chart")) == 7


def test_page_in_chinese():
    at = _app(lang="zh")
    assert not at.exception
    assert at.title[0].value == TEXT["zh"]["title"]
    assert "数据告诉我们什么" in _text(at)
