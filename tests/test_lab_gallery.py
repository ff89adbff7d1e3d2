"""The activation gallery: its numbers (lab), its charts, and the page (AppTest)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pagetest
import pytest
from scipy import integrate, optimize
from scipy.special import ndtr

from explorer import ACTIVATIONS
from explorer.activations import Activation, ParamSpec
from explorer.charts import gallery as charts
from explorer.charts.palette import ACTIVATION_COLORS
from explorer.labs import cost as cost_lab
from explorer.labs import gallery as lab
from explorer.texts.gallery import TEXT

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "gallery.py")


def t(key: str, **fmt) -> str:
    s = TEXT["en"].get(key, key)
    return s.format(**fmt) if fmt else s


# ---------------------------------------------------------------------------- numbers
def test_sigmoid_derivative_never_exceeds_a_quarter():
    peak, z = lab.derivative_peak(ACTIVATIONS["sigmoid"])
    assert peak <= 0.25 + 1e-15
    assert peak == pytest.approx(0.25, abs=1e-12)
    assert z == 0.0
    _, d = lab.evaluate(ACTIVATIONS["sigmoid"], np.linspace(-50, 50, 100001))
    assert d.max() <= 0.25


def test_every_registered_activation_is_evaluated():
    z = np.linspace(-8, 8, 161)
    for act in ACTIVATIONS:
        f, d = lab.evaluate(act, z, lab.default_params())
        assert f.shape == z.shape and d.shape == z.shape, act.name
        assert np.all(np.isfinite(f)) and np.all(np.isfinite(d)), act.name
    frame = lab.curves(ACTIVATIONS.names(), None, 6.0)
    assert list(dict.fromkeys(frame["name"])) == ACTIVATIONS.names()


def test_peaks_match_the_registry_at_default_parameters():
    for act in ACTIVATIONS:
        peak, _ = lab.derivative_peak(act)
        assert peak == pytest.approx(act.df_max, rel=2e-3), act.name


def _direct_saturated_share(act_name: str, mean: float, sd: float) -> float:
    """Independent check: integrate the normal density over {|f'| < 5% max} with quad."""
    act = ACTIVATIONS[act_name]
    thr = 0.05 * act.df_max

    def flat(z: float) -> float:
        _, d = lab.evaluate(act, np.array([z]))
        return float(abs(d[0]) < thr)

    # the flat set of sigmoid/tanh is |z| > z*, with z* the root of f'(z) = thr
    zstar = optimize.brentq(lambda z: float(lab.evaluate(act, np.array([z]))[1][0]) - thr,
                            0.0, 20.0)
    pdf = lambda z: math.exp(-0.5 * ((z - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))  # noqa: E731
    left, _ = integrate.quad(pdf, -np.inf, -zstar)
    right, _ = integrate.quad(pdf, zstar, np.inf)
    assert flat(zstar + 0.01) == 1.0 and flat(zstar - 0.01) == 0.0
    return left + right


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_saturated_share_matches_a_direct_integral(name):
    got = lab.flat_fraction(ACTIVATIONS[name], None, 0.0, 5.0)
    want = _direct_saturated_share(name, 0.0, 5.0)
    assert got == pytest.approx(want, abs=2e-4)


def test_saturated_share_for_n_0_5_values():
    # sigmoid' < 0.0125 for |z| > 4.356: 2·(1 − Φ(4.356/5)) = 38.4 %; tanh: |z| > 2.178 → 66.3 %
    assert lab.flat_fraction(ACTIVATIONS["sigmoid"], None, 0.0, 5.0) == pytest.approx(0.3836,
                                                                                    abs=1e-3)
    assert lab.flat_fraction(ACTIVATIONS["tanh"], None, 0.0, 5.0) == pytest.approx(0.6631,
                                                                                 abs=1e-3)
    # a shifted mean is integrated too
    zstar = 4.3556
    want = ndtr((-zstar - 2.0) / 5.0) + 1 - ndtr((zstar - 2.0) / 5.0)
    assert lab.flat_fraction(ACTIVATIONS["sigmoid"], None, 2.0, 5.0) == pytest.approx(want,
                                                                                    abs=1e-3)


def test_relu_gives_exactly_zero_gradient_to_half_leaky_to_none():
    table = lab.summary(["relu", "leaky_relu", "identity", "maxout"], None, 0.0, 3.0)
    rows = table.set_index("name")
    assert rows.loc["relu", "zero"] == pytest.approx(0.5, abs=1e-6)
    assert rows.loc["leaky_relu", "zero"] == 0.0
    # no saturating tail (issue 12): Leaky ReLU's α side is not "flat", ReLU's zero side is
    # counted as f' = 0, not as saturation
    assert rows.loc["leaky_relu", "flat"] == 0.0 and rows.loc["relu", "flat"] == 0.0
    assert rows.loc["identity", "flat"] == 0.0 and rows.loc["maxout", "flat"] == 0.0
    t2 = lab.summary(["leaky_relu"], {"leaky_slope": 0.2}, 0.0, 3.0)
    assert t2["flat"].iloc[0] == 0.0


def test_parameters_change_the_curves():
    elu = ACTIVATIONS["elu"]
    z = np.array([-30.0])
    assert lab.evaluate(elu, z, {"elu_alpha": 2.0})[0][0] == pytest.approx(-2.0)
    assert lab.derivative_peak(elu, {"elu_alpha": 3.0})[0] == pytest.approx(3.0, rel=1e-2)
    assert lab.act_param(ACTIVATIONS["prelu"]) == 0.25


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_maxout_is_the_max_of_k_lines_and_its_derivative_the_winners_slope(k):
    s, b = lab.maxout_lines(k)
    assert len(s) == k and np.all(np.abs(s) >= 0.2)
    z = np.linspace(-6, 6, 241)
    f, d = lab.evaluate(ACTIVATIONS["maxout"], z, {"maxout_k": k})
    lines = z[:, None] * s + b
    np.testing.assert_allclose(f, lines.max(axis=1))
    np.testing.assert_allclose(d, s[lines.argmax(axis=1)])
    # every line wins somewhere (they are tangents of a convex parabola)
    assert set(lines.argmax(axis=1)) == set(range(k))
    pieces = lab.maxout_pieces(k, 6.0)
    assert pieces["piece"].nunique() == k


def test_cost_measurement_is_positive_for_every_entry_and_relu_is_one():
    cost = cost_lab.measure_cost(n=4096, rounds=2)
    assert list(cost["name"]) == ACTIVATIONS.names()
    assert (cost["ns_per_element"] > 0).all() and np.isfinite(cost["ns_per_element"]).all()
    assert cost.set_index("name").loc["relu", "relative"] == 1.0
    assert (cost["relative"] > 0).all()


def test_verdict_numbers_come_from_the_table():
    table = lab.summary(ACTIVATIONS.names(), None, 0.0, 5.0)
    cost = cost_lab.measure_cost(n=4096, rounds=2)
    v = lab.verdict_numbers(table, cost)
    assert v["low_label"] == "Sigmoid" and v["low_peak"] == pytest.approx(0.25)
    assert v["low_gain"] == pytest.approx(4.0)
    assert "tanh 66.3%" in v["sat_list"] and "Sigmoid 38.4%" in v["sat_list"]
    assert v["sat_list"].index("tanh") < v["sat_list"].index("Sigmoid")  # largest first
    assert "ReLU 50.0%" in v["zero_list"]
    assert "Identity" in v["free_labels"]
    assert v["n_exp"] == int(cost["uses_exp"].sum()) and v["exp_ratio"] > 0


def test_flat_intervals_and_helpers():
    z = np.linspace(-3, 3, 7)
    assert lab.flat_intervals(z, np.array([0, 0, 1, 1, 1, 0, 0.0]), 0.5) == [(-3.0, -2.0),
                                                                            (2.0, 3.0)]
    assert lab.z_limit(0, 1) == 6.0 and lab.z_limit(0, 5) == 15.0 and lab.z_limit(9, 10) == 25.0
    assert lab.snap(0.33, 0.1, 0.1, 10.0) == pytest.approx(0.3)
    with pytest.raises(ValueError):
        lab.parse_float("nan", 0, 1)
    with pytest.raises(ValueError):
        lab.parse_float("7", 0, 1)
    assert lab.cost_params({"maxout_k": 4, "leaky_slope": 0.3}) == {"maxout_k": 4}


def test_latex_lines_split_long_formulas_only():
    assert lab.latex_lines(r"f(z)=z") == r"f(z)=z"
    elu = lab.latex_lines(ACTIVATIONS["elu"].formula)
    assert elu.startswith(r"\begin{gathered}") and elu.count(r"\\") == 1
    gelu = lab.latex_lines(ACTIVATIONS["gelu"].dformula)
    assert gelu.startswith(r"\begin{gathered}") and r"\\+" in gelu


def test_a_newly_registered_activation_appears_everywhere():
    spec = ParamSpec("leaky_slope", "slope", "β", 0.01, 0.0, 1.0)
    new = Activation("test_square", "Square+", lambda z, p=None: np.maximum(z, 0.0) ** 2,
                     lambda z, a, p=None: 2 * np.maximum(z, 0.0), r"f(z)=\max(0,z)^2",
                     r"f'(z)=2\max(0,z)", "[0, inf)", False, "no", True, True, 1.0, False,
                     param=spec)
    ACTIVATIONS.register(new)
    try:
        assert "test_square" in lab.summary(ACTIVATIONS.names(), None, 0.0, 1.0)["name"].values
        assert "test_square" in cost_lab.measure_cost(n=4096, rounds=2)["name"].values
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file(PAGE, default_timeout=120)
        at.run()
        assert not at.exception
        titles = [json.loads(c.spec).get("title", {}) for c in at.get("vega_lite_chart")]
        assert any(isinstance(x, dict) and x.get("text") == "Square+" for x in titles)
    finally:
        del ACTIVATIONS._entries["test_square"]


# ---------------------------------------------------------------------------- charts
def test_panel_chart_layers_and_colour():
    curves = lab.curves(["sigmoid"], None, 6.0)
    pdf = charts.pdf_frame(0.0, 2.0, 6.0)
    assert pdf["density"].max() == pytest.approx(1.0, abs=1e-3)
    spec = charts.panel_chart(curves, t, pdf, [(-6.0, -4.0)], title="Sigmoid").to_dict()
    assert len(spec["layer"]) == 4  # band, density, f/f', zero line
    marks = [ly["mark"] for ly in spec["layer"]]
    line = [m for m in marks if isinstance(m, dict) and m.get("type") == "line"]
    assert line[0]["color"] == ACTIVATION_COLORS["sigmoid"]
    assert spec["title"]["text"] == "Sigmoid"
    mx = lab.curves(["maxout"], {"maxout_k": 3}, 6.0)
    spec = charts.panel_chart(mx, t, None, (), lab.maxout_pieces(3, 6.0)).to_dict()
    assert len(spec["layer"]) == 3


def test_overlay_share_cost_charts_use_the_palette():
    names = ["sigmoid", "tanh", "relu"]
    curves = lab.curves(names, None, 6.0)
    spec = charts.overlay_chart(curves, "df", t, pdf=charts.pdf_frame(0, 1, 6)).to_dict()
    scale = spec["layer"][-1]["encoding"]["color"]["scale"]
    assert scale["range"] == [ACTIVATION_COLORS[n] for n in names]
    table = lab.summary(names, None, 0.0, 5.0)
    share = charts.share_chart(table, t).to_dict()
    assert share["title"]["text"] == TEXT["en"]["chart.flat"]
    cost = cost_lab.measure_cost(names, n=4096, rounds=2)
    spec = charts.cost_chart(cost, t).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"
    frame = charts.properties_frame(table, t)
    assert list(frame[TEXT["en"]["col.label"]]) == ["Sigmoid", "tanh", "ReLU"]
    assert frame[TEXT["en"]["col.saturating"]].iloc[0] == "both ends"
    measured = charts.measured_frame(table, cost, t)
    assert measured[TEXT["en"]["col.peak"]].iloc[0] == "0.2500 (z = 0.00)"
    assert measured[TEXT["en"]["col.relative"]].iloc[2] == "1.00×"
    assert measured[TEXT["en"]["col.flat"]].iloc[0] == "38.4%"


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
    assert not at.exception
    assert at.title[0].value == TEXT["en"]["title"]
    n = len(ACTIVATIONS)
    assert len(at.get("vega_lite_chart")) == n + 2  # one panel each, share and cost
    text = _text(at)
    assert "never exceeds **0.2500**" in text and "Sigmoid" in text
    assert "on this server (measured at " in text and " UTC, " in text  # its time, not "just now"
    assert len(at.get("latex")) >= 2 * n


def test_page_with_changed_controls():
    at = _app(sd="5", view="overlay", acts="sigmoid-tanh-relu-maxout", maxout_k="4",
              leaky_slope="0.2")
    assert not at.exception and not at.warning
    text = _text(at)
    assert "N(0, 5²)" in text and "tanh 66.3%" in text and "Sigmoid 38.4%" in text
    assert len(at.get("vega_lite_chart")) == 4  # f, f′ overlays, share, cost
    # move a widget: the URL follows
    at.slider(key="gallery.sd").set_value(1.0).run()
    assert not at.exception
    assert at.query_params["sd"] in ("1", ["1"])


def test_page_bad_url_values_fall_back_with_a_notice():
    at = _app(sd="-3", mean="abc", view="sideways", acts="relu-nope", maxout_k="99")
    assert not at.exception
    assert len(at.warning) >= 4
    assert len(at.get("vega_lite_chart")) == len(ACTIVATIONS) + 2


def test_page_in_chinese():
    at = _app(lang="zh")
    assert not at.exception
    assert at.title[0].value == TEXT["zh"]["title"]
    assert "数据告诉我们什么" in _text(at)
