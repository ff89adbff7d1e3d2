"""The Playground page (AppTest) and the lecture presets' effects on real runs."""

from __future__ import annotations

import time
from pathlib import Path

import pagetest
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import TrainConfig, train
from explorer.app import runs
from explorer.charts.core import snapshot_numbers
from explorer.config import MAX_LAYERS
from explorer.presets import PRESETS, matching_preset
from explorer.texts.playground import TEXT

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "playground.py")
APP = str(ROOT / "streamlit_app.py")


def run_page(query: dict[str, str] | None = None) -> AppTest:
    return pagetest.run(PAGE, query, 60)


def charts(at: AppTest) -> list[tuple[str, tuple[bytes, ...]]]:
    """Spec and data of every chart on the page (to compare before/after)."""
    return [(c.proto.spec, tuple(bytes(d.data.data) for d in c.proto.datasets))
            for c in at.get("vega_lite_chart")]


qp = pagetest.query_params


no_errors = pagetest.no_errors


# ------------------------------------------------------------------------------ text
def test_every_text_has_chinese():
    assert set(TEXT["en"]) == set(TEXT["zh"])
    assert all(v.strip() for v in TEXT["zh"].values())
    for p in PRESETS:
        for lang in ("en", "zh"):
            assert p.title(lang) and p.description(lang)
        assert p.title("zh") != p.title("en") and p.description("zh") != p.description("en")


# ------------------------------------------------------------------------------ page
def test_defaults_render_three_charts_and_a_table():
    at = run_page()
    no_errors(at)
    assert not at.warning
    assert len(at.get("vega_lite_chart")) >= 3
    assert len(pagetest.page_dataframes(at)) == 1
    assert list(pagetest.page_dataframes(at)[0].value.iloc[:, 0]) == ["hidden 1", "hidden 2", "output"]
    summary = [m.value for m in at.markdown if m.value.startswith("**Summary.**")]
    assert summary and "Epoch 200: train accuracy" in summary[0]
    assert qp(at) == {}  # defaults leave the URL clean


def test_through_the_app_shell():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/playground.py")
    at.run()
    no_errors(at)
    assert len(at.get("vega_lite_chart")) >= 3


def test_changing_activation_changes_charts_and_url():
    at = run_page()
    before = charts(at)
    at.selectbox(key="play.activation").set_value("tanh").run()
    no_errors(at)
    after = charts(at)
    assert len(after) == len(before)
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert qp(at)["activation"] == "tanh"


def test_changing_learning_rate_changes_charts_and_url():
    at = run_page()
    before = charts(at)
    at.select_slider(key="play.lr").set_value(0.5).run()
    no_errors(at)
    assert charts(at) != before
    assert qp(at)["lr"] == "0.5"


def player_report(at: AppTest, key: str, epoch: int, n: int = 1) -> AppTest:
    """What the live player sends when it pauses (or scrubs, steps, resets) at ``epoch``:
    the player's scrubber is the pages' one epoch control (issue 25, item 9)."""
    at.session_state[key] = {"epoch": {"epoch": epoch, "run": "r", "n": n, "playing": False}}
    return at.run()


def test_the_players_report_moves_everything_without_retraining():
    at = run_page()
    before = charts(at)
    table_before = pagetest.page_dataframes(at)[0].value.copy()
    assert not at.get("select_slider") or all(s.key != "play.epoch" for s in at.select_slider)
    player_report(at, "play.player", 0)
    no_errors(at)
    after = charts(at)
    assert all(a != b for a, b in zip(after, before, strict=True))  # boundary, curves, grads
    assert not pagetest.page_dataframes(at)[0].value.equals(table_before)
    assert qp(at)["epoch"] == "0"
    assert any(m.value.startswith("**Summary.** Epoch 0:") for m in at.markdown)
    assert not at.get("progress")  # cached: no training progress bar


def test_epoch_from_url_snaps_to_a_checkpoint():
    at = run_page({"epoch": "99"})
    no_errors(at)
    assert not at.warning
    assert at.session_state["play.epoch"] in (98, 102)


def test_toggles_change_charts_and_url():
    at = run_page()
    before = charts(at)
    at.toggle(key="play.show_test").set_value(False)
    at.toggle(key="play.log_scale").set_value(True)
    at.toggle(key="play.signed").set_value(True).run()
    no_errors(at)
    after = charts(at)
    assert after[0] != before[0] and after[1] != before[1] and after[3] != before[3]
    assert {k: qp(at)[k] for k in ("show_test", "log_scale", "signed")} == {
        "show_test": "0", "log_scale": "1", "signed": "1"}


@pytest.mark.parametrize("preset", list(PRESETS), ids=lambda p: p.name)
def test_preset_button_sets_controls_and_url(preset):
    at = run_page()
    at.button(key=f"preset.{preset.name}").click().run()
    no_errors(at)
    expected = preset.config().to_query()
    assert {k: qp(at).get(k) for k in expected} == expected
    assert any(preset.title("en") in i.value for i in at.info)
    assert len(at.get("vega_lite_chart")) >= 3
    at.button(key="preset.reset").click().run()
    no_errors(at)
    assert not {k for k in qp(at) if k in expected}


def test_garbage_query_warns_and_falls_back():
    at = run_page({"lr": "abc", "hidden": "0-999", "dataset": "nope", "epoch": "-5",
                   "signed": "maybe"})
    no_errors(at)
    text = "\n".join(w.value for w in at.warning)
    for key in ("lr", "hidden", "dataset", "epoch", "signed"):
        assert key in text, key
    assert at.selectbox(key="play.dataset").value == "moons"
    assert at.select_slider(key="play.lr").value == 0.1
    assert at.text_input(key="play.hidden").value == "16-16"
    assert at.session_state["play.epoch"] == 200
    assert len(at.get("vega_lite_chart")) >= 3


def test_chinese():
    at = run_page({"lang": "zh"})
    no_errors(at)
    assert at.title[0].value == "训练场"
    assert any(m.value.startswith("**小结。**") for m in at.markdown)
    assert list(pagetest.page_dataframes(at)[0].value.columns)[0] == "层"


def test_divergence_is_reported_not_raised():
    at = run_page({"lr": "10", "activation": "identity"})
    no_errors(at)
    assert any("diverged" in e.value for e in at.error)
    assert len(at.get("vega_lite_chart")) >= 3


def test_deep_net_fits():
    at = run_page({"hidden": "-".join(["8"] * MAX_LAYERS), "epochs": "20"})
    no_errors(at)
    assert len(at.get("vega_lite_chart")) >= 3


def test_default_run_is_fast_and_cached(capsys):
    st.cache_data.clear()
    runs.forget_trained()
    t0 = time.perf_counter()
    first = run_page()
    t1 = time.perf_counter()
    second = run_page()
    t2 = time.perf_counter()
    no_errors(first)
    no_errors(second)
    with capsys.disabled():
        print(f"\nplayground default: first run {t1 - t0:.2f} s, cached run {t2 - t1:.2f} s")
    assert runs.trained(TrainConfig())  # the finished run is cached
    assert t1 - t0 < 10 and t2 - t1 < 10


# ------------------------------------------------------------------------------ preset effects
@pytest.fixture(scope="module")
def default_numbers():
    return snapshot_numbers(train(TrainConfig()))


def test_presets_are_valid_and_recognised():
    for p in PRESETS:
        cfg = p.config()
        assert matching_preset(cfg) is p
        assert cfg.work() <= 4.0e9
    assert matching_preset(TrainConfig()) is None


def test_sigmoid_preset_vanishes():
    r = train(PRESETS["sigmoid_vanishes"].config())
    start, end = snapshot_numbers(r, 0), snapshot_numbers(r)
    # first-layer gradient norm at least 10x below the output layer's, at the start and end
    assert start["ratio"] < 0.1, start
    assert end["ratio"] < 0.1, end
    st_ = r.stats_at(0)
    norms = st_["grad_norm"].to_numpy()
    assert norms[0] < norms[len(norms) // 2] < norms[-1]  # shrinking toward the input


def test_zero_init_preset_freezes():
    r = train(PRESETS["zero_init_relu"].config())
    n = snapshot_numbers(r)
    assert n["dead"] == n["hidden_units"]
    assert n["first_norm"] == 0 and n["last_norm"] == 0
    assert n["train_acc"] <= 0.6


def test_large_lr_preset_kills_relus(default_numbers):
    r = train(PRESETS["large_lr_kills_relu"].config())
    start, end = snapshot_numbers(r, 0), snapshot_numbers(r)
    assert end["dead"] >= max(8, 4 * default_numbers["dead"]), (start, end)
    assert end["dead"] >= start["dead"] + 6


def test_leaky_preset_keeps_units_alive():
    r = train(PRESETS["leaky_keeps_alive"].config())
    n = snapshot_numbers(r)
    assert n["dead"] == 0 and not r.diverged
    assert n["train_acc"] >= 0.9


def test_maxout_preset_learns_spirals():
    r = train(PRESETS["maxout_spirals"].config())
    n = snapshot_numbers(r)
    assert n["train_acc"] >= 0.95 and n["dead"] == 0
    assert r.n_params > train(PRESETS["maxout_spirals"].config().replace(
        activation="relu")).n_params
