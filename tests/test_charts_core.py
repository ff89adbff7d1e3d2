"""Core chart builders: built from real (small) runs and checked through their Vega-Lite specs."""

from __future__ import annotations

import dataclasses
import json
import math

import altair as alt
import numpy as np
import pytest

from explorer import TrainConfig, train
from explorer.charts import core
from explorer.charts.palette import ACTIVATION_COLORS
from explorer.record import GRAD_BINS
from explorer.texts.charts import TEXT

SMALL = dict(epochs=20, n_checkpoints=5, grid_size=20, n_samples=120)


@pytest.fixture(scope="module")
def rec():
    return train(TrainConfig(**SMALL))


@pytest.fixture(scope="module")
def rec_tanh():
    return train(TrainConfig(activation="tanh", **SMALL))


@pytest.fixture(scope="module")
def rec_multi():
    return train(TrainConfig(dataset="blobs", n_classes=3, hidden=(8, 8, 8), **SMALL))


def spec(chart: alt.TopLevelMixin) -> dict:
    return chart.to_dict()


def datasets(d: dict) -> list[list[dict]]:
    return list(d.get("datasets", {}).values())


def layer_data(d: dict, layer: dict) -> list[dict]:
    """Rows of one layer (Altair hoists the data of a single-data chart to the top)."""
    return d["datasets"][(layer.get("data") or d["data"])["name"]]


def walk(obj):
    """Every dict inside a spec."""
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v)


# ------------------------------------------------------------------------------ text
def test_every_chart_text_has_chinese():
    assert set(TEXT["en"]) == set(TEXT["zh"])
    assert all(TEXT["zh"][k].strip() for k in TEXT["zh"])
    for k, v in TEXT["en"].items():  # same placeholders in both languages
        assert sorted(_fields(v)) == sorted(_fields(TEXT["zh"][k])), k


def _fields(s: str) -> list[str]:
    import string
    return [f for _, f, _, _ in string.Formatter().parse(s) if f]


def test_ct_falls_back_to_english():
    assert core.ct("loss.title", "fr") == "Loss"
    assert core.ct("loss.title", "zh") == "损失"
    assert core.ct("marker", "en", epoch=5) == "epoch 5"


# ------------------------------------------------------------------------------ boundary
def test_boundary_binary(rec):
    d = spec(core.boundary_chart(rec))
    heat, points = d["layer"]
    grid = layer_data(d, heat)
    assert len(grid) == rec.config.grid_size ** 2
    assert heat["mark"]["type"] == "rect"
    assert heat["encoding"]["color"]["scale"]["domain"] == [0, 0.5, 1]
    xdom = heat["encoding"]["x"]["scale"]["domain"]
    assert xdom[0] < rec.grid_x[0] < rec.grid_x[-1] < xdom[1]
    assert all(0.0 <= r["p"] <= 1.0 for r in grid)
    pts = layer_data(d, points)
    n = len(rec.data.y_train) + len(rec.data.y_test)
    assert len(pts) == n
    assert {p["split"] for p in pts} == {"train", "test"}
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert d["title"] == f"Decision boundary (epoch {rec.checkpoints[-1]})"
    assert d["width"] == 380 and d["height"] == 340


def test_boundary_hides_test_and_moves_with_epoch(rec):
    d = spec(core.boundary_chart(rec, epoch=0, show_test=False, lang="zh"))
    pts = layer_data(d, d["layer"][1])
    assert len(pts) == len(rec.data.y_train)
    assert d["title"] == "决策边界（第 0 轮）"
    first = layer_data(d, d["layer"][0])
    end = spec(core.boundary_chart(rec))
    last = layer_data(end, end["layer"][0])
    assert [r["p"] for r in first] != [r["p"] for r in last]


def test_boundary_multiclass_uses_class_colour_and_confidence(rec_multi):
    d = spec(core.boundary_chart(rec_multi, width=300, height=300, title="T"))
    heat = d["layer"][0]
    assert heat["encoding"]["color"]["field"] == "class"
    assert heat["encoding"]["opacity"]["scale"]["domain"] == pytest.approx([1 / 3, 1.0])
    assert d["title"] == "T"
    classes = {r["class"] for r in layer_data(d, heat)}
    assert classes <= {"0", "1", "2"}


# ------------------------------------------------------------------------------ curves
def test_loss_chart_single_run(rec):
    d = spec(core.loss_chart(rec, marker_epoch=8))
    lines = d["layer"][0]
    rows = layer_data(d, lines)
    assert {r["curve"] for r in rows} == {"train", "test"}
    assert len(rows) == 2 * len(rec.history)
    assert all(math.isfinite(r["value"]) for r in rows)
    enc = lines["encoding"]
    assert enc["strokeDash"]["scale"]["range"] == [[1, 0], [6, 4]]
    assert enc["color"]["scale"]["range"] == [ACTIVATION_COLORS["relu"]]
    assert enc["x"]["scale"]["domain"] == [0, rec.config.epochs]
    rule = d["layer"][1]
    assert rule["mark"]["type"] == "rule" and layer_data(d, rule)[0]["epoch"] == 8
    assert d["title"] == "Loss"


def test_loss_chart_log_and_accuracy(rec):
    d = spec(core.loss_chart(rec, log_scale=True))
    assert d["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    a = spec(core.loss_chart(rec, metric="acc", lang="zh"))
    assert a["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert a["title"] == "准确率"
    assert {r["curve"] for r in layer_data(a, a["layer"][0])} == {"训练", "测试"}
    with pytest.raises(ValueError):
        core.loss_chart(rec, metric="nope")


def test_loss_chart_colours(rec, rec_tanh):
    d = spec(core.loss_chart([rec, rec_tanh]))
    assert d["layer"][0]["encoding"]["color"]["scale"]["range"] == [
        ACTIVATION_COLORS["relu"], ACTIVATION_COLORS["tanh"]]
    # two runs with the same activation: distinct colours and distinct names
    twin = spec(core.loss_chart([rec, rec]))
    sc = twin["layer"][0]["encoding"]["color"]["scale"]
    assert len(set(sc["range"])) == 2 and len(set(sc["domain"])) == 2


def test_loss_chart_marks_divergence(rec):
    bad = dataclasses.replace(rec, diverged_at=12)
    d = spec(core.loss_chart(bad))
    reds = [lay for lay in d["layer"] if lay["mark"].get("color") == core.DIVERGED_COLOR]
    assert len(reds) == 2  # rule + label
    assert layer_data(d, reds[1])[0]["text"] == "diverged @ 12"


def test_loss_chart_drops_non_finite(rec):
    h = rec.history.copy()
    h.loc[3, "test_loss"] = np.inf
    bad = dataclasses.replace(rec, history=h)
    rows = layer_data(d := spec(core.loss_chart(bad)), d["layer"][0])
    assert len(rows) == 2 * len(h) - 1


# ------------------------------------------------------------------------------ histograms
def test_grad_hist_row_shared_axes(rec_multi):
    d = spec(core.grad_hist_row(rec_multi))
    charts = d["hconcat"]
    assert len(charts) == rec_multi.n_hidden + 1
    xdoms = {json.dumps(c["encoding"]["x"]["scale"]["domain"]) for c in charts}
    ydoms = {json.dumps(c["encoding"]["y"]["scale"]["domain"]) for c in charts}
    assert len(xdoms) == 1 and len(ydoms) == 1
    xdom = json.loads(xdoms.pop())
    assert xdom == [core.ZERO_LO, float(GRAD_BINS[-1])]
    names = [c["title"]["text"][0] for c in charts]
    assert names == ["hidden 1", "hidden 2", "hidden 3", "output"]
    assert all(c["title"]["text"][1].startswith("‖g‖ = ") for c in charts)
    assert all(c["title"]["subtitle"].endswith("exactly 0") for c in charts)
    for c in charts:  # fractions of the layer's weights
        rows = layer_data(d, c)
        assert all(0 < r["share"] <= 1 for r in rows)
    # the y axis does not move between checkpoints
    d0 = spec(core.grad_hist_row(rec_multi, epoch=0))
    assert d0["hconcat"][0]["encoding"]["y"]["scale"] == charts[0]["encoding"]["y"]["scale"]


def test_grad_hist_shares_sum_to_one(rec):
    fr = core.grad_fractions(rec)
    sums = (fr["pos"] + fr["neg"]).groupby(fr["layer"]).sum()
    assert np.allclose(sums, 1.0)


def test_grad_hist_signed(rec):
    d = spec(core.grad_hist_row(rec, signed=True, lang="zh"))
    first = d["hconcat"][0]
    bars = first["layer"][0]
    rows = layer_data(d, bars)
    assert any(r["y"] < 0 for r in rows) and any(r["y"] > 0 for r in rows)
    dom = bars["encoding"]["y"]["scale"]["domain"]
    assert dom[0] < 0 < dom[1]  # down: negative gradients; up: positive and exact zeros
    assert all(dom[0] <= r["y"] <= dom[1] for r in rows)
    assert first["title"]["text"][0] == "隐藏层 1"


def test_grad_hist_zero_init_shows_zero_bar():
    r = train(TrainConfig(init="zeros", **SMALL))
    fr = core.grad_fractions(r)
    zero = fr[fr["bin_lo"] == core.ZERO_LO].set_index("layer")["pos"]
    assert zero.loc[1] == 1.0 and zero.loc[2] == 1.0  # hidden weights: every gradient is 0
    d = spec(core.grad_hist_row(r))
    assert d["hconcat"][0]["title"]["subtitle"] == "100% exactly 0"


def test_grad_hist_total_width_fits_deep_nets():
    r = train(TrainConfig(hidden=(4,) * 8, epochs=2, n_checkpoints=2, n_samples=60,
                          grid_size=10))
    d = spec(core.grad_hist_row(r, total_width=1000))
    widths = [c["width"] for c in d["hconcat"]]
    assert len(widths) == 9 and 64 <= widths[0] <= 150
    assert sum(widths) + 8 * len(widths) + 70 <= 1000 + 8


def test_act_hist_row(rec):
    d = spec(core.act_hist_row(rec))
    assert len(d["hconcat"]) == rec.n_hidden


# ------------------------------------------------------------------------------ table + numbers
def test_layer_table(rec):
    t = core.layer_table(rec)
    assert list(t.columns) == ["Layer", "Units", "Gradient norm ‖g‖", "Dead units",
                               "Asleep units", "Saturated", "Same-sign units"]
    assert list(t["Layer"]) == ["hidden 1", "hidden 2", "output"]
    assert t.loc[2, "Dead units"] == "—"
    assert t.loc[0, "Dead units"].endswith("/16)")
    z = core.layer_table(rec, epoch=0, lang="zh")
    assert list(z.columns)[0] == "层" and list(z["层"]) == ["隐藏层 1", "隐藏层 2", "输出层"]


def test_snapshot_and_summary(rec):
    n = core.snapshot_numbers(rec)
    assert n["epoch"] == rec.checkpoints[-1]
    assert n["hidden_units"] == 32
    assert n["ratio"] == pytest.approx(n["first_norm"] / n["last_norm"])
    line = core.summary_line(rec)
    assert line.startswith(f"Epoch {rec.checkpoints[-1]}: train accuracy ")
    assert "of 32 hidden units dead" in line
    assert "first-layer gradient norm is" in line
    assert core.summary_line(rec, lang="zh").startswith(f"第 {rec.checkpoints[-1]} 轮")


def test_ratio_text():
    assert core.ratio_text(1 / 800, 1e-5, 8e-3) == \
        "first-layer gradient norm is 1/800 of the output layer's"
    assert core.ratio_text(1 / 3, 1.0, 3.0) == \
        "first-layer gradient norm is 1/3 of the output layer's"
    assert "about equal" in core.ratio_text(1 / 1.05, 1.0, 1.05)
    assert core.ratio_text(2.0, 2.0, 1.0) == "first-layer gradient norm is 2× the output layer's"
    assert core.ratio_text(float("nan"), 0.0, 0.0) == "every weight gradient is exactly 0"
    assert core.ratio_text(0.0, 0.0, 1.0) == "first-layer gradients are exactly 0"


def test_formatters():
    assert core.fmt_sci(3.1e-5) == "3.1×10⁻⁵"  # the charts' one number format
    assert core.fmt_sci(0.0228) == "0.0228"
    assert core.fmt_sci(0.0) == "0"
    assert core.fmt_sci(float("nan")) == "—"
    assert core.fmt_pct(0.125, 1) == "12.5%"
    assert core.fit_width(3, 580) == 150 and core.fit_width(9, 600) == 64


def test_boundary_legend_lists_test_points_only_when_shown(rec):
    def split_domain(chart):
        layer = chart.to_dict()["layer"][1]
        return layer["encoding"]["shape"]["scale"]["domain"]

    assert split_domain(core.boundary_chart(rec, show_test=True)) == ["train", "test"]
    assert split_domain(core.boundary_chart(rec, show_test=False)) == ["train"]
