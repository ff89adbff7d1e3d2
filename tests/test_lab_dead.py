"""Dead-ReLU lab: the science (zero init freezes at ln 2, Leaky ReLU never dies, a large
learning rate kills ReLUs, revivals match the maps), the tables, verdict and charts built
from the runs, the text table, and the page."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pagetest
import pandas as pd
import pytest
import shared_runs
from pagetest import placeholders

from explorer import TrainConfig, train_many
from explorer.charts import core
from explorer.charts import dead as charts
from explorer.charts.palette import ACTIVATION_COLORS
from explorer.labs import dead as lab
from explorer.texts.dead_relu import TEXT

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
LN2 = math.log(2)


def _preset_runs(name, acts=lab.DEFAULT_ACTS, **more):
    base = lab.BASE.replace(**lab.PRESETS[name], **more)
    cfgs, _ = lab.build_configs(base, acts)
    return dict(zip(acts, train_many(cfgs), strict=True))


@pytest.fixture(scope="module")
def large_lr():
    return shared_runs.memo(f"{__name__}.large_lr", lambda: _preset_runs("large_lr"))


@pytest.fixture(scope="module")
def zero_init():
    return shared_runs.memo(f"{__name__}.zero_init", lambda: _preset_runs("zero_init"))


# ---------------------------------------------------------------------------- the science
def test_zero_init_relu_stays_at_ln2(zero_init):
    """W = 0: every hidden output is 0 and every weight gradient exactly 0; the loss of the
    balanced binary task stays at ln 2 (only the output bias jitters with mini-batches)."""
    rec = zero_init["relu"]
    assert np.bincount(rec.data.y_train).tolist() == [150, 150]
    loss = rec.history["train_loss"].to_numpy()
    assert len(loss) == rec.config.epochs + 1
    assert np.abs(loss - LN2).max() < 1e-3
    for ep in rec.checkpoints:
        assert lab.zero_grad_share(rec, ep) == 1.0
    assert (lab.hidden_stats(rec)["dead_frac"] == 1.0).all()
    for act, r in zero_init.items():  # every activation with f(0) = 0 is frozen the same way
        assert lab.is_frozen(lab.summary([r]).iloc[0]), act


def test_zero_init_full_batch_is_exactly_ln2():
    """With full batches the balanced data give the output bias a zero gradient too."""
    cfgs, _ = lab.build_configs(lab.BASE.replace(init="zeros", batch_size=2000, epochs=20),
                                ["relu"])
    (rec,) = train_many(cfgs)
    assert np.abs(rec.history["train_loss"].to_numpy() - LN2).max() < 1e-12


@pytest.mark.parametrize("preset", list(lab.PRESETS))
def test_leaky_relu_never_reports_dead_units(preset):
    runs = _preset_runs(preset, acts=("relu", "leaky_relu"))
    leaky = runs["leaky_relu"]
    assert (lab.hidden_stats(leaky)["dead_count"] == 0).all()
    assert sum(lab.revivals_from_stats(leaky).values()) == 0


def test_large_lr_kills_relu_units(large_lr):
    """SGD with lr = 3 on moons: measured 41% of the ReLU units dead at the peak (seed 0)."""
    s = lab.summary(list(large_lr.values())).set_index("act")
    healthy = lab.summary(list(_preset_runs("healthy", acts=("relu",)).values()))
    assert s.loc["relu", "dead_peak"] > 0.3
    assert s.loc["relu", "dead_peak"] > healthy.loc[0, "dead_peak"] + 0.25
    assert s.loc["leaky_relu", "dead_peak"] == 0
    assert pd.isna(s.loc["relu", "diverged_at"])


@pytest.mark.parametrize("seed", [1, 2])
def test_large_lr_kills_relu_units_other_seeds(seed):
    runs = _preset_runs("large_lr", acts=("relu", "leaky_relu"), seed=seed)
    s = lab.summary(list(runs.values())).set_index("act")
    assert s.loc["relu", "dead_peak"] > 0.25
    assert s.loc["leaky_relu", "dead_peak"] == 0


def test_negative_bias_starts_with_dead_relus():
    runs = _preset_runs("neg_bias", acts=("relu", "leaky_relu"))
    s = lab.summary(list(runs.values())).set_index("act")
    assert s.loc["relu", "dead_start"] > 0.25
    assert s.loc["leaky_relu", "dead_start"] == 0


def test_revivals_agree_with_the_dead_maps(large_lr):
    rec = large_lr["relu"]
    from_maps = lab.revivals_from_maps(rec)
    assert from_maps == lab.revivals_from_stats(rec)
    assert sum(from_maps.values()) > 0  # the lesson's claim 10: some come back
    states = lab.unit_states(rec)
    assert (states["state"] == lab.REVIVED).sum() == sum(from_maps.values())
    assert states["dead"].sum() == sum(rec.dead_map(li).sum() for li in (1, 2))


# ---------------------------------------------------------------------------- tables
def test_summary_and_dead_curve_match_the_record(large_lr):
    rec = large_lr["relu"]
    s = lab.summary([rec]).iloc[0]
    h = lab.hidden_stats(rec)
    per = h.groupby("epoch")["dead_count"].sum() / 32
    assert s.dead_peak == pytest.approx(per.max())
    assert s.peak_epoch == per.idxmax()
    assert s.dead_end == pytest.approx(per.iloc[-1])
    curve = lab.dead_curve(list(large_lr.values()))
    assert list(dict.fromkeys(curve["act"])) == list(lab.DEFAULT_ACTS)
    total = curve[(curve["act"] == "relu") & (curve["layer"] == 0)].set_index("epoch")
    assert np.allclose(total["dead_frac"], per.loc[total.index])


def test_unit_states_cells(large_lr):
    rec = large_lr["relu"]
    st = lab.unit_states(rec)
    assert len(st) == len(rec.checkpoints) * 32
    assert (st["e_next"] > st["epoch"]).all()
    assert set(st["state"]) <= {lab.ALIVE, lab.DEAD, lab.REVIVED}  # a ReLU never only sleeps


def test_presets_round_trip_through_the_url():
    for name, changes in lab.PRESETS.items():
        cfg = lab.BASE.replace(**changes)
        assert lab.preset_of(cfg) == name
        back, errors = TrainConfig.from_query(cfg.to_query(base=lab.BASE), lab.BASE)
        assert not errors and back == cfg
    assert lab.preset_of(lab.BASE) is None


def test_verdict_items(large_lr, zero_init):
    cfg = lab.BASE.replace(**lab.PRESETS["large_lr"])
    table = lab.summary(list(large_lr.values()))
    items = dict(lab.verdict_items(table, cfg)[1:2])
    relu = table.set_index("act").loc["relu"]
    assert items["v.dead"]["peak"] == f"{100 * relu.dead_peak:.0f}%"
    assert items["v.dead"]["revived"] == relu.revived
    keys = [k for k, _ in lab.verdict_items(table, cfg)]
    # Leaky ReLU is never dead, but some of its units fall asleep (z ≤ 0 everywhere): the
    # verdict says so instead of "never dead" (issue 12)
    assert keys[0] == "v.setting" and "v.asleep" in keys
    leaky = table.set_index("act").loc["leaky_relu"]
    assert leaky.dead_peak == 0 and leaky.asleep_peak > 0
    # ... and whether those asleep units still learn (issue 25): every one gets a gradient
    learn = dict(lab.verdict_items(table, cfg))["v.asleep_learn"]
    assert learn["learning"] == learn["n"] == leaky.sleep_units > 0
    # ELU and Maxout diverge at lr 3: both said so, each with its epoch and cause
    div = [(k, a["act"], a["epoch"]) for k, a in lab.verdict_items(table, cfg)
           if k in ("v.diverged", "v.blowup")]
    assert [(a, e) for _, a, e in div] == [("ELU", large_lr["elu"].divergence[0]),
                                           ("Maxout", large_lr["maxout"].divergence[0])]
    zcfg = lab.BASE.replace(**lab.PRESETS["zero_init"])
    zkeys = [k for k, _ in lab.verdict_items(lab.summary(list(zero_init.values())), zcfg)]
    assert zkeys == ["v.setting"] + ["v.frozen_ln2"] * 4 + ["v.why_zero"]


def test_loss_cap(large_lr, zero_init):
    recs = list(large_lr.values())
    cap = lab.loss_cap(recs)
    blown = lab.over_cap(recs, cap)
    # ELU's loss blows up and then becomes NaN: a diverged run, named by the page's
    # divergence note (issue 25), not by the capped-axis note
    assert cap is not None and "ReLU" not in blown and "ELU" not in blown
    assert "ELU" in [label for label, _, _ in lab.diverged_runs(recs)]
    assert lab.loss_cap(list(zero_init.values())) is None


# ---------------------------------------------------------------------------- charts
def test_dead_lines_spec(large_lr):
    spec = charts.dead_lines(lab.dead_curve(list(large_lr.values())), lang="zh").to_dict()
    enc = spec["encoding"]
    assert enc["y"]["scale"]["domain"] == [0, 1]
    assert enc["color"]["scale"]["domain"] == ["ReLU", "Leaky ReLU", "ELU", "Maxout"]
    assert enc["color"]["scale"]["range"] == [ACTIVATION_COLORS[a] for a in lab.DEFAULT_ACTS]
    assert enc["strokeDash"]["scale"]["domain"] == ["隐藏层 1", "隐藏层 2"]
    assert spec["title"]["text"] == TEXT["zh"]["dead_title"]
    assert spec["autosize"]["type"] == "fit-x"  # fills its column, never wider (issue 11)


def test_unit_map_spec(large_lr):
    rec = large_lr["relu"]
    spec = charts.unit_map(lab.unit_states(rec), title="x").to_dict()
    assert len(spec["vconcat"]) == rec.n_hidden
    block = spec["vconcat"][0]
    assert block["encoding"]["color"]["scale"]["range"] == [
        charts.ALIVE_COLOR, charts.DEAD_COLOR, charts.REVIVED_COLOR]
    assert block["height"] == 16 * 9


def test_cap_loss_axis(large_lr):
    def y_scales(spec):  # one plot, or train | test small multiples
        return [p["layer"][0]["encoding"]["y"]["scale"] for p in spec.get("hconcat", [spec])]

    recs = list(large_lr.values())
    for split in (False, True):
        chart = charts.cap_loss_axis(core.loss_chart(recs, split=split), 4.0)
        scales = y_scales(chart.to_dict())
        assert len(scales) == (2 if split else 1)
        assert all(s["domain"] == [0.0, 4.0] for s in scales)
        unchanged = charts.cap_loss_axis(core.loss_chart(recs, split=split), None)
        assert all("domain" not in s for s in y_scales(unchanged.to_dict()))


# ---------------------------------------------------------------------------- text table

def test_text_table_complete_in_both_languages():
    assert set(TEXT["en"]) == set(TEXT["zh"])
    for key, en in TEXT["en"].items():
        assert placeholders(en) == placeholders(TEXT["zh"][key]), key
    assert all(re.search(r"[\u4e00-\u9fff]", v) for k, v in TEXT["zh"].items()
               if k not in ("preset.large_lr",) and re.search(r"[a-z]{4,}", TEXT["en"][k]))


# ---------------------------------------------------------------------------- the page
def _page(query=None):
    return pagetest.run(pagetest.page_file("dead_relu"), query, 60, via_app=True)


def test_page_defaults():
    at = _page()
    assert not at.exception and not at.warning
    # dead lines, loss, dead and asleep lines (Leaky ReLU is chosen), map, 2 histogram rows
    assert len(at.get("vega_lite_chart")) == 6
    assert any("no unit was ever dead" in m.value for m in at.markdown)


def test_page_presets_set_the_url():
    at = _page()
    at.button(key="dead.preset.large_lr").click().run()
    assert not at.exception
    assert at.query_params["lr"] == "3"
    text = " ".join(m.value for m in at.markdown)
    assert "of the hidden units were dead at epoch" in text
    at.button(key="dead.preset.zero_init").click().run()
    assert not at.exception
    assert at.query_params["init"] == "zeros" and "lr" not in at.query_params
    assert "= ln 2" in " ".join(m.value for m in at.markdown)


def test_page_changed_controls():
    at = _page({"acts": "relu-leaky_relu", "map": "leaky_relu", "leaky_slope": "0.2",
                "bias_init": "-2"})
    assert not at.exception and not at.warning
    assert at.selectbox(key="dead.map").value == "leaky_relu"
    assert at.slider(key="dead.leaky_slope").value == 0.2
    at.multiselect(key="dead.acts").set_value(["relu", "elu"]).run()
    assert not at.exception
    assert at.query_params["acts"] == "relu-elu"
    assert at.selectbox(key="dead.map").value == "relu"


def test_page_in_chinese():
    at = _page({"lang": "zh", "init": "zeros"})
    assert not at.exception
    assert at.title[0].value == TEXT["zh"]["title"]
    assert any("ln 2" in m.value and "完全没有学习" in m.value for m in at.markdown)


def test_page_bad_url_values_fall_back():
    at = _page({"acts": "relu-relu", "map": "nope", "lr": "abc", "leaky_slope": "7"})
    assert not at.exception
    assert at.warning
    assert at.multiselect(key="dead.acts").value == list(lab.DEFAULT_ACTS)
