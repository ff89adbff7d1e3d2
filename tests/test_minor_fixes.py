"""issue 25, item 10: the minor fixes, each with a test that fails on the old code.

* the gradient histogram's first bin is an underflow bin (every 0 < |g| < 10^−9.75): said
  and drawn so, in the Altair chart and in the player;
* "saturated" has one wording, used by the layer table's definition and the network caption;
* the derivative at a kink is the left-hand one, as the docstring now says;
* PReLU's formula holds for any slope (max(a z, z) is only right for a ≤ 1);
* the registry's max |f′| of GELU, SiLU and Mish is precise;
* the Chinese ratio sentences say whose epochs are how many times whose.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from explorer import TrainConfig, train
from explorer import activations as acts
from explorer.activations import ACTIVATIONS, SATURATION_FRACTION
from explorer.charts import layers
from explorer.charts import network as network_charts
from explorer.record import GRAD_BINS
from explorer.stats import grad_counts
from explorer.texts import lookup
from explorer.texts.charts import TEXT as CHART_TEXT
from explorer.texts.compare import TEXT as COMPARE_TEXT
from explorer.texts.live import TEXT as LIVE_TEXT
from explorer.texts.network import TEXT as NETWORK_TEXT
from explorer.texts.stats import TEXT as STATS_TEXT

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- underflow bin
def test_the_first_gradient_bin_holds_every_smaller_nonzero_value():
    g = np.array([[1e-300, 1e-30, 10 ** -9.8, 10 ** -9.7, 0.0, 5.0]])
    counts, zeros = grad_counts(g[:, :, None])
    assert zeros[0] == 1
    assert counts[0, 0, 0] == 3  # 1e-300, 1e-30 and 10^-9.8 share the first bin
    assert counts[0, 0, 1] == 1  # 10^-9.7 is in [10^-9.75, 10^-9.5)
    assert layers.under_text() == "10^−9.75" and GRAD_BINS[1] == -9.75


def test_the_histogram_says_and_draws_the_underflow_bin():
    rec = train(TrainConfig(hidden=(4,), epochs=3, n_checkpoints=2, grid_size=10))
    for lang in ("en", "zh"):
        spec = layers.grad_hist_row(rec, lang=lang).to_dict()
        assert "10^−9.75" in str(spec["title"]["text"])  # the row's axis title says so
        bars = spec["hconcat"][0]
        enc = bars["encoding"] if "encoding" in bars else bars["layer"][0]["encoding"]
        assert enc["opacity"]["condition"]["test"] == "datum.under"
        assert enc["opacity"]["condition"]["value"] == layers.UNDER_OPACITY < 1
        assert any(t["field"] == "bin" for t in enc["tooltip"])
    assert layers.bin_text(float(GRAD_BINS[0]), float(GRAD_BINS[1])) == \
        "0 < |g| < 10^−9.75 (every smaller value)"
    assert layers.bin_text(-3.0, -2.75) == "10^−3 ≤ |g| < 10^−2.75"
    assert layers.bin_text(layers.ZERO_LO, layers.ZERO_HI) == CHART_TEXT["en"]["grad.zero"]
    # the player: its caption names the bound, its first bin is drawn pale
    for lang in ("en", "zh"):
        assert layers.under_text() in LIVE_TEXT[lang]["grads_title"]
    js = (ROOT / "explorer/live/js/histograms.js").read_text(encoding="utf-8")
    assert "globalAlpha = b === 0 ?" in js


# ---------------------------------------------------------------------------- saturated
def test_one_wording_of_saturated_for_the_table_and_the_network_caption():
    for lang in ("en", "zh"):
        point = STATS_TEXT[lang]["point.saturated"]
        assert point in STATS_TEXT[lang]["def.saturated"]
        cap = network_charts.caption(lang)
        assert point in cap
        assert "{" not in cap
    # its threshold is the code's
    assert f"{100 * SATURATION_FRACTION:g}%" in STATS_TEXT["en"]["point.saturated"]
    # the old caption's own definition (no saturating tail) is gone
    assert "|f′| below" not in NETWORK_TEXT["en"]["caption"]
    assert "低于其最大值的 {pct}" not in NETWORK_TEXT["zh"]["caption"]


# ---------------------------------------------------------------------------- kinks
@pytest.mark.parametrize("name", ["relu", "leaky_relu", "prelu", "elu", "selu"])
def test_the_derivative_at_a_kink_is_the_left_hand_one(name):
    act = ACTIVATIONS[name]
    p = {"leaky_relu": 0.1, "prelu": 0.3, "elu": 2.0}.get(name)
    z0 = np.array([0.0])
    d0 = float(np.broadcast_to(act.df(z0, act.f(z0, p), p), (1,))[0])
    h = 1e-7
    left = float((act.f(z0, p) - act.f(np.array([-h]), p))[0] / h)
    right = float((act.f(np.array([h]), p) - act.f(z0, p))[0] / h)
    assert d0 == pytest.approx(left, rel=1e-5, abs=1e-6)
    assert abs(left - right) > 0.05  # a real kink with these parameters
    assert "left-hand" in acts.__doc__ and "right-hand" not in acts.__doc__


# ---------------------------------------------------------------------------- PReLU
def test_prelu_formula_and_function_hold_for_a_slope_above_one():
    assert r"\max" not in ACTIVATIONS["prelu"].formula
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    want = np.where(z > 0, z, 2.5 * z)
    assert np.array_equal(acts.leaky_relu(z, 2.5), want)
    assert np.array_equal(acts.leaky_relu(z, np.full(5, 2.5)), want)
    out = np.empty(5)
    assert np.array_equal(acts.leaky_relu(z, 2.5, out=out), want)
    # with a > 1, max(a z, z) is not PReLU: the old formula was wrong there
    assert not np.array_equal(np.maximum(2.5 * z, z), want)
    # Leaky ReLU keeps max(αz, z): its slope is bounded to [0, 1]
    assert r"\max" in ACTIVATIONS["leaky_relu"].formula
    assert ACTIVATIONS["leaky_relu"].param.hi <= 1.0


# ---------------------------------------------------------------------------- max |f'|
@pytest.mark.parametrize("name", ["gelu", "silu", "mish", "sigmoid", "tanh", "selu"])
def test_registry_max_derivative_is_precise(name):
    act = ACTIVATIONS[name]

    def neg(x: float) -> float:
        z = np.array([x])
        return -abs(float(np.broadcast_to(act.df(z, act.f(z, None), None), (1,))[0]))

    zs = np.linspace(-20, 20, 4001)
    i = int(np.argmin([neg(x) for x in zs]))
    best = -minimize_scalar(neg, bounds=(zs[max(i - 1, 0)], zs[min(i + 1, 4000)]),
                            method="bounded", options={"xatol": 1e-12}).fun
    best = max(best, -neg(zs[i]))
    assert act.df_max == pytest.approx(best, abs=1e-10), (name, act.df_max, best)
    assert act.df_max >= -neg(zs[i]) - 1e-15  # never below a sampled value


def test_the_old_rounded_peaks_were_off_in_the_fourth_decimal():
    assert round(ACTIVATIONS["gelu"].df_max, 4) == 1.1290  # was 1.1289
    assert round(ACTIVATIONS["mish"].df_max, 4) == 1.0885  # was 1.0886


# ---------------------------------------------------------------------------- zh ratios
def test_chinese_ratio_sentences_say_whose_epochs():
    zh = COMPARE_TEXT["zh"]
    for key in ("verdict.slower", "verdict.faster"):
        assert "慢 {ratio}" not in zh[key] and "快 {ratio}" not in zh[key]
        assert "所用轮数是" in zh[key] and "的 {ratio} 倍" in zh[key]
    fmt = {"ref": "ReLU", "other": "tanh", "e_ref": 10, "e_other": 30, "target": "95",
           "ratio": "3"}
    assert "tanh 用了 30 轮（所用轮数是 ReLU 的 3 倍）" in lookup(COMPARE_TEXT, "verdict.slower",
                                                             "zh", **fmt)
    fast = {**fmt, "e_other": 5, "ratio": "2"}
    assert "（ReLU 所用轮数是它的 2 倍）" in lookup(COMPARE_TEXT, "verdict.faster", "zh", **fast)
    from explorer.texts.gallery import TEXT as GALLERY_TEXT
    for key, text in GALLERY_TEXT["zh"].items():
        assert "慢 {" not in text and "快 {" not in text and "缩小 {" not in text, key
