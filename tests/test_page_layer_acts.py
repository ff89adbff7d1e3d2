"""Per-layer activations on the Playground (the advanced option), end to end: URL -> widgets ->
the trained network -> what the page says; and widgets -> URL."""

from __future__ import annotations

import json
from pathlib import Path

import pagetest
from streamlit.testing.v1 import AppTest

from explorer import TrainConfig, train
from explorer.charts import core
from explorer.charts.palette import ACTIVATION_COLORS

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "playground.py")
QUERY = {"layer_activations": "sigmoid-relu", "hidden": "8-8"}


def qp(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_url_layer_activations_train_sigmoid_below_relu():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update(QUERY)
    at.run()
    assert not at.exception and not at.warning
    # the advanced toggle is on and each layer's selectbox shows its activation
    assert at.toggle(key="play.layer_activations.on").value is True
    assert at.selectbox(key="play.layer_activations.0").value == "sigmoid"
    assert at.selectbox(key="play.layer_activations.1").value == "relu"
    assert [s.label for s in at.selectbox if (s.key or "").startswith(
        "play.layer_activations.")] == ["Layer 1", "Layer 2"]
    # the page says which layer has which activation, from the input up
    line = next(m.value for m in at.markdown if m.value.startswith("**Per-layer"))
    assert "hidden 1 Sigmoid → hidden 2 ReLU → output" in line
    # the loss legend names the mixed network
    loss = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert "Sigmoid / ReLU" in json.dumps(loss["layer"][0]["encoding"]["color"]["scale"])
    # the gradient histograms are coloured per layer by that layer's activation
    hist = json.dumps(json.loads(at.get("vega_lite_chart")[3].proto.spec)["hconcat"])
    assert ACTIVATION_COLORS["sigmoid"] in hist and ACTIVATION_COLORS["relu"] in hist
    # the page trained exactly this network: its table is the engine's for that config
    cfg = TrainConfig(hidden=(8, 8), layer_activations=("sigmoid", "relu"))
    rec = train(cfg)
    assert pagetest.page_dataframes(at)[0].value.equals(core.layer_table(rec))
    assert not pagetest.page_dataframes(at)[0].value.equals(core.layer_table(train(cfg.replace(
        layer_activations=()))))
    assert qp(at) == QUERY


def test_the_engine_puts_sigmoid_at_the_bottom():
    """Layer 1's activations lie in (0, 1) (sigmoid); layer 2's are ReLU: ≥ 0, some exactly 0
    (dead units), some above 1."""
    rec = train(TrainConfig(hidden=(8, 8), layer_activations=("sigmoid", "relu"), epochs=20,
                            n_checkpoints=3))
    h = rec.act_hist()
    one, two = h[(h["layer"] == 1) & (h["count"] > 0)], h[(h["layer"] == 2) & (h["count"] > 0)]
    assert one["bin_lo"].min() >= -0.01 and one["bin_hi"].max() <= 1.01
    assert two["bin_lo"].min() >= -0.01 and two["bin_hi"].max() > 1
    stats = rec.stats_at(None).set_index("layer")
    assert stats.loc[1, "dead_frac"] == 0  # a sigmoid unit never has a zero gradient
    assert rec.label == "Sigmoid / ReLU"


def test_widgets_write_the_url():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({"hidden": "8-8", "epochs": "20", "n_checkpoints": "5"})
    at.run()
    assert "layer_activations" not in qp(at)
    at.toggle(key="play.layer_activations.on").set_value(True)
    at.run()
    at.selectbox(key="play.layer_activations.0").set_value("sigmoid")
    at.run()
    assert not at.exception
    assert qp(at)["layer_activations"] == "sigmoid-relu"
    assert any("hidden 1 Sigmoid → hidden 2 ReLU" in m.value for m in at.markdown)
    at.toggle(key="play.layer_activations.on").set_value(False)
    at.run()
    assert "layer_activations" not in qp(at)
    assert not any(m.value.startswith("**Per-layer") for m in at.markdown)


def test_chinese_line():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({**QUERY, "lang": "zh"})
    at.run()
    assert any("隐藏层 1 Sigmoid → 隐藏层 2 ReLU → 输出层" in m.value for m in at.markdown)
