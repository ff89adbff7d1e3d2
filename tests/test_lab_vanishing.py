"""Vanishing-gradient lab: the science (sigmoid decays with depth, ReLU/He holds level), the
tables and verdict built from the runs, the chart specs, the text table, and the page."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pagetest
import pytest
from pagetest import placeholders

from explorer import ACTIVATIONS, TrainConfig, train_many
from explorer.charts import vanishing as charts
from explorer.charts.palette import ACTIVATION_COLORS
from explorer.config import MAX_LAYERS
from explorer.labs import vanishing as lab
from explorer.texts.vanishing import TEXT

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def _runs(acts_inits, seed=0, epochs=5, dataset="moons", depth=8, width=8):
    cfgs = []
    for act, init in acts_inits:
        base = lab.BASE.replace(seed=seed, epochs=epochs, dataset=dataset, init=init)
        cfgs += lab.build_configs(base, [act], depth, width)[0]
    return train_many(cfgs)


# ---------------------------------------------------------------------------- the science
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_sigmoid_xavier_vanishes_relu_he_holds(seed):
    """8 hidden layers of 8: sigmoid/Xavier's first layer gets < 1/10 of the output layer's
    gradient norm (measured: 1/5,500 at seed 0); ReLU/He stays within a factor of 10."""
    sig, relu = _runs([("sigmoid", "xavier_uniform"), ("relu", "he_normal")], seed=seed)
    _, _, r_sig = lab.first_last(sig, 0)
    _, _, r_relu = lab.first_last(relu, 0)
    assert r_sig < 0.1
    assert 0.1 < r_relu < 10
    assert r_sig < r_relu / 100


def test_sigmoid_gradient_shrinks_towards_the_input():
    (sig,) = _runs([("sigmoid", "xavier_uniform")])
    norms = sig.stats_at(0).set_index("layer")["grad_norm"]
    # roughly geometric decay: every 3 layers closer to the input lose at least 4x
    assert norms[1] * 4 < norms[4] and norms[4] * 4 < norms[7] and norms[7] < norms[9]


def test_default_page_runs_show_the_claim():
    """The page's default (sigmoid, tanh, ReLU; init auto) gives the verdict's numbers."""
    cfgs, cut = lab.build_configs(lab.BASE, lab.DEFAULT_ACTS, lab.DEFAULT_DEPTH,
                                  lab.DEFAULT_WIDTH)
    assert cut is None
    recs = train_many(cfgs)
    table = lab.ratio_table(recs).set_index("act")
    assert table.loc["sigmoid", "start_ratio"] < 1e-3
    assert table.loc["relu", "start_ratio"] > 0.1
    assert lab.vanishing_acts(table.reset_index()) == ["Sigmoid"]


# ---------------------------------------------------------------------------- tables
def test_build_configs_share_everything_but_the_activation():
    cfgs, cut = lab.build_configs(lab.BASE.replace(lr=0.05), ["sigmoid", "relu"], 5, 6)
    assert cut is None
    assert [c.activation for c in cfgs] == ["sigmoid", "relu"]
    assert all(c.hidden == (6,) * 5 and c.lr == 0.05 for c in cfgs)
    assert cfgs[0].replace(activation="relu") == cfgs[1]


def test_build_configs_cuts_epochs_to_the_budget():
    base = lab.BASE.replace(epochs=2000, n_samples=2000)
    cfgs, cut = lab.build_configs(base, ["relu", "maxout"], MAX_LAYERS, 64)
    assert cut is not None and cut < 2000
    assert all(c.epochs == cut for c in cfgs)
    assert cut == min(c.replace(epochs=1).max_epochs() for c in cfgs)


def test_depth_profile_and_ratio_table():
    recs = _runs([("sigmoid", "auto"), ("relu", "auto")], depth=3, width=4)
    prof = lab.depth_profile(recs)
    assert len(prof) == 2 * 2 * 4  # activations × phases × (hidden + output)
    assert set(prof["phase"]) == {"start", "end"}
    table = lab.ratio_table(recs)
    for rec, row in zip(recs, table.itertuples(), strict=True):
        norms = rec.stats_at(0).set_index("layer")["grad_norm"]
        assert row.start_ratio == pytest.approx(norms[1] / norms[4])
        assert row.end_epoch == rec.checkpoints[-1]


@pytest.mark.parametrize("r, text", [(1.81e-4, "1/5,500"), (0.5, "1/2"), (0.7, "1/1.4"),
                                     (3.0, "3×"), (1.26, "1.3×"), (0.0, "—"),
                                     (float("nan"), "—"), (1 / 123456, "1/120,000")])
def test_fmt_ratio(r, text):
    assert lab.fmt_ratio(r) == text


def test_verdict_items_come_from_the_table():
    recs = _runs([("sigmoid", "auto"), ("tanh", "auto"), ("relu", "auto")])
    table = lab.ratio_table(recs)
    items = lab.verdict_items(table)
    keys = [k for k, _ in items]
    assert keys[0] == "v.vanish" and keys[1] == "v.hold"
    assert items[0][1]["worst"] == "Sigmoid"
    assert items[0][1]["ratio"] == lab.fmt_ratio(table.loc[0, "start_ratio"])
    lines = [kw for k, kw in items if k == "v.line"]
    assert [kw["act"] for kw in lines] == ["Sigmoid", "tanh", "ReLU"]
    assert lines[2]["start"] == lab.fmt_ratio(table.loc[2, "start_ratio"])
    none = lab.verdict_items(table[table["act"] != "sigmoid"])
    assert none[0][0] == "v.none"


def test_zero_norms_are_reported_not_drawn():
    recs = _runs([("relu", "zeros")], depth=2, width=4)
    prof = lab.depth_profile(recs)
    assert (prof["grad_norm"] == 0).all()
    assert charts.plottable(prof).empty
    assert len(charts.dropped_points(prof)) == len(prof)
    ratio = lab.ratio_table(recs).loc[0, "start_ratio"]
    assert math.isnan(ratio) and lab.fmt_ratio(ratio) == "—"  # undefined, shown as "—"


# ---------------------------------------------------------------------------- chart
def test_depth_chart_spec():
    recs = _runs([("sigmoid", "auto"), ("relu", "auto")], depth=4, width=4)
    spec = charts.depth_chart(lab.depth_profile(recs), lang="zh").to_dict()
    assert len(spec["hconcat"]) == 2
    line = spec["hconcat"][0]["layer"][1]
    enc = line["encoding"]
    assert enc["y"]["scale"]["type"] == "log"
    assert enc["color"]["scale"]["domain"] == ["Sigmoid", "ReLU"]
    assert enc["color"]["scale"]["range"] == [ACTIVATION_COLORS["sigmoid"],
                                              ACTIVATION_COLORS["relu"]]
    assert enc["x"]["sort"][0] == "隐藏层 1"
    titles = [p["title"]["text"] for p in spec["hconcat"]]
    assert titles[0] == TEXT["zh"]["chart.start"]
    # both panels share one y domain covering every norm
    lo, hi = enc["y"]["scale"]["domain"]
    norms = lab.depth_profile(recs)["grad_norm"]
    assert lo < norms.min() and hi > norms.max()


# ---------------------------------------------------------------------------- text table

def test_text_table_complete_in_both_languages():
    assert set(TEXT["en"]) == set(TEXT["zh"])
    for key, en in TEXT["en"].items():
        assert placeholders(en) == placeholders(TEXT["zh"][key]), key
        assert re.search(r"[\u4e00-\u9fff]", TEXT["zh"][key]) or key.startswith("chart.") \
            or not re.search(r"[A-Za-z]{4,}", en), key


# ---------------------------------------------------------------------------- the page
def _page(query=None):
    return pagetest.run(pagetest.page_file("vanishing"), query, 60, via_app=True)


def test_page_defaults():
    at = _page()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 5  # depth, loss, accuracy, 2 histogram rows
    verdict = " ".join(m.value for m in at.markdown)
    assert "Gradients vanish with Sigmoid" in verdict
    assert not at.warning


def test_page_changed_controls_and_url():
    at = _page({"acts": "relu-tanh", "depth": "4", "width": "16", "hist": "tanh",
                "init": "he_normal"})
    assert not at.exception and not at.warning
    assert at.multiselect[0].value == ["relu", "tanh"]
    assert at.slider(key="vanishing.depth").value == 4
    at.slider(key="vanishing.depth").set_value(3).run()
    assert not at.exception
    assert at.query_params["depth"] == "3"
    at.multiselect[0].set_value(["sigmoid"]).run()
    assert not at.exception
    assert at.query_params["acts"] == "sigmoid"
    assert "hist" not in at.query_params  # the histogram falls back to the first activation


def test_page_in_chinese():
    at = _page({"lang": "zh"})
    assert not at.exception
    assert at.title[0].value == TEXT["zh"]["title"]
    assert any("梯度消失" in m.value for m in at.markdown)


def test_page_bad_url_values_fall_back():
    at = _page({"acts": "relu-nonsense", "depth": "99", "width": "x", "hist": "??"})
    assert not at.exception
    assert len(at.warning) >= 3
    assert at.multiselect[0].value == list(lab.DEFAULT_ACTS)


def test_page_empty_selection_is_a_notice():
    at = _page()
    at.multiselect[0].set_value([]).run()
    assert not at.exception
    assert at.info and not at.get("vega_lite_chart")


def test_all_activations_selectable():
    assert lab.activation_names() == ACTIVATIONS.names()
    assert TrainConfig(hidden=(lab.MAX_WIDTH,) * lab.MAX_DEPTH, epochs=1)
