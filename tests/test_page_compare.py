"""The Compare page (AppTest): default run, selection, replay, seed sweep, bad URLs, Chinese."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pagetest
from streamlit.testing.v1 import AppTest

from explorer import compare as cmp
from explorer.texts.compare import TEXT

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "compare.py")
APP = str(ROOT / "streamlit_app.py")
#: small enough for the test suite, same page logic
QUICK = {"epochs": "40", "n_checkpoints": "10", "grid_size": "20"}


def run_page(query: dict[str, str] | None = None) -> AppTest:
    return pagetest.run(PAGE, query, 120)


qp = pagetest.query_params


no_errors = pagetest.no_errors


def summary(at: AppTest):
    return pagetest.page_dataframes(at)[0].value


def specs(at: AppTest) -> str:
    """Every chart spec, decoded (non-ASCII text readable)."""
    return " ".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False)
                    for c in at.get("vega_lite_chart"))


def titles(at: AppTest) -> list[str]:
    """Every chart's title as one line (a long title is wrapped into a list of lines)."""
    out = []
    for c in at.get("vega_lite_chart"):
        t = json.loads(c.proto.spec).get("title")
        t = t.get("text") if isinstance(t, dict) else t
        out.append(" ".join(t) if isinstance(t, list) else str(t))
    return out


def player(at: AppTest) -> dict:
    """The data of Compare's player (one transport for every column)."""
    (node,) = [n for n in at._tree if getattr(n, "type", "") == "bidi_component"]
    return json.loads(node.proto.json)


def n_charts(at: AppTest) -> int:
    return len(at.get("vega_lite_chart"))


def test_default_run_through_the_app_shell():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    t = time.perf_counter()
    at.switch_page("pages/compare.py")
    at.run()
    elapsed = time.perf_counter() - t
    no_errors(at)
    assert not at.warning
    assert at.title[0].value == TEXT["en"]["title"]
    # 5 columns x gradient histograms + loss + accuracy (the boundaries are the player's)
    assert n_charts(at) == 5 + 2
    table = summary(at)
    assert list(table[TEXT["en"]["th.label"]]) == ["Sigmoid", "tanh", "ReLU", "Leaky ReLU",
                                                    "Maxout"]
    assert at.multiselect[0].value == list(cmp.DEFAULT_ACTS)
    verdict = at.info[0].value
    assert "training accuracy" in verdict and "epochs" in verdict
    assert qp(at).get("acts") is None  # defaults stay out of the URL
    assert elapsed < 30, elapsed  # measured ~1-2 s on 2 cores; generous for a loaded CI box


def test_default_verdict_is_computed_from_the_runs():
    at = run_page()
    no_errors(at)
    table = summary(at)
    eps = dict(zip(table[TEXT["en"]["th.label"]],
                   table[TEXT["en"]["th.epochs_to"].format(target=95)], strict=True))
    verdict = at.info[0].value
    assert f"ReLU reached 95% training accuracy in {eps['ReLU']} epochs" in verdict
    # the default settings make sigmoid clearly slower than ReLU on this toy task
    assert "Sigmoid" in verdict and "slower" in verdict


def test_changing_the_selection_changes_the_columns():
    at = run_page(QUICK)
    no_errors(at)
    at.multiselect[0].set_value(["tanh", "relu", "elu"]).run()
    no_errors(at)
    assert n_charts(at) == 3 + 2
    assert list(summary(at)[TEXT["en"]["th.label"]]) == ["tanh", "ReLU", "ELU"]
    assert qp(at)["acts"] == "tanh-relu-elu"
    # one activation is not a comparison: a notice, and the previous columns stay
    at.multiselect[0].set_value(["relu"]).run()
    no_errors(at)
    assert any(TEXT["en"]["acts_count"] in w.value for w in at.warning)
    assert list(summary(at)[TEXT["en"]["th.label"]]) == ["tanh", "ReLU", "ELU"]


def test_url_selection_and_activation_parameters():
    at = run_page({**QUICK, "acts": "relu-leaky_relu", "leaky_slope": "0.2"})
    no_errors(at)
    assert not at.warning
    assert at.multiselect[0].value == ["relu", "leaky_relu"]
    slope = [s for s in at.slider if s.label == "Leaky slope α"]
    assert slope and slope[0].value == 0.2
    assert "Maxout pieces k" not in [s.label for s in at.slider]
    slope[0].set_value(0.3).run()
    no_errors(at)
    assert qp(at)["leaky_slope"] == "0.3"


def test_replay_moves_every_column():
    at = run_page({**QUICK, "epoch": "12"})
    no_errors(at)
    assert at.session_state["compare.epoch"] == 13  # the snapshot nearest 12 (0..40 in 10)
    assert titles(at).count("Weight gradients (epoch 13)") == 5  # every column's histograms
    assert player(at)["seek"]["epoch"] == 13  # and the player's boundaries
    nonce = player(at)["seek"]["nonce"]
    # the player's scrubber is the one epoch control: its report moves every column
    assert all(s.key != "compare.epoch" for s in at.select_slider)
    at.session_state["compare.player"] = {"epoch": {"epoch": 40, "run": "r", "n": 1,
                                                    "playing": False}}
    at.run()
    no_errors(at)
    assert titles(at).count("Weight gradients (epoch 40)") == 5
    assert player(at)["seek"] == {"epoch": 40, "nonce": nonce}  # (it stands there already)
    assert qp(at).get("epoch") is None  # the last epoch is the default


def test_seed_sweep_runs_with_two_seeds():
    at = run_page({**QUICK, "acts": "sigmoid-relu", "seeds": "2", "sweep": "1",
                   "target": "90"})
    no_errors(at)
    assert n_charts(at) == 2 + 2 + 2  # + strip plot + ratio chart
    assert at.number_input(key="compare.seeds").value == 2
    assert at.toggle(key="compare.sweep").value is True
    sweep_table = pagetest.page_dataframes(at)[-1].value
    assert list(sweep_table[TEXT["en"]["sweep.th.runs"]]) == ["2", "2"]
    assert len(at.success) == 1
    # turning it off keeps the default page fast: no sweep charts
    at.toggle(key="compare.sweep").set_value(False).run()
    no_errors(at)
    assert n_charts(at) == 2 + 2
    assert qp(at).get("sweep") is None


def test_bad_url_gives_notice_and_defaults():
    at = run_page({"acts": "foo-relu", "seeds": "999", "target": "2", "epoch": "x"})
    no_errors(at)
    text = "\n".join(w.value for w in at.warning)
    for key in ("acts", "seeds", "target", "epoch"):
        assert f"- {key}:" in text, key
    assert at.multiselect[0].value == list(cmp.DEFAULT_ACTS)
    assert [s.value for s in at.slider if s.label == TEXT["en"]["target"]] == [95]
    assert at.number_input(key="compare.seeds").value == cmp.DEFAULT_SEEDS
    q = qp(at)
    assert "acts" not in q and "seeds" not in q and "target" not in q
    assert n_charts(at) == 5 + 2


def test_bad_config_value_in_url():
    at = run_page({"lr": "abc", "hidden": "0-99"})
    no_errors(at)
    assert at.warning
    assert n_charts(at) == 5 + 2


def test_divergence_is_reported_in_its_column_only():
    at = run_page({"optimizer": "sgd", "lr": "5", "epochs": "20", "acts": "relu-maxout",
                   "n_checkpoints": "5", "grid_size": "20"})
    no_errors(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Diverged at epoch")
    assert n_charts(at) == 2 + 2  # both columns still drawn
    table = summary(at)
    div = dict(zip(table[TEXT["en"]["th.label"]], table[TEXT["en"]["th.diverged_at"]],
                   strict=True))
    assert div["ReLU"] == "—" and div["Maxout"] != "—"


def test_chinese():
    at = run_page({**QUICK, "lang": "zh", "sweep": "1", "seeds": "2", "acts": "tanh-relu"})
    no_errors(at)
    assert at.title[0].value == TEXT["zh"]["title"]
    assert TEXT["zh"]["th.label"] in summary(at).columns
    assert "权重梯度" in specs(at) and "从未" in specs(at)
    assert player(at)["labels"]["play"] == "▶ 播放"  # the player speaks the page's language
