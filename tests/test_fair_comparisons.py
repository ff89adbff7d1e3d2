"""issue 25, "fair comparisons everywhere": one initialiser for every activation in a comparison,
the learning rate tuned per activation on seeds apart from the evaluation seeds (median over
several tuning seeds), a rule that never picks a rate whose run failed to learn, the size of the
effect stated honestly (Lesson step 6 and Compare's reference protocol), and the Vanishing
page's "same initial draws" made true.

Work is counted, never timed; every number is recomputed here from configs and seeds."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from explorer import TrainConfig, lesson, train_many
from explorer import compare as cmp
from explorer.lesson import steps_signal as sig
from explorer.texts.lesson import TEXT as LESSON_TEXT
from explorer.texts.vanishing import TEXT as VANISHING_TEXT

STEP6 = lesson.step(6)


def _epochs(cfgs: list[TrainConfig], target: float) -> dict[tuple[str, int], float]:
    out = {}
    for c, r in zip(cfgs, train_many(cfgs), strict=True):
        e = r.epochs_to(target) if r.diverged_at is None else None
        out[(c.activation, c.seed)] = math.inf if e is None else float(e)
    return out


def _median_ratio(E, act: str, seeds) -> float:
    return float(np.median([E[(act, s)] / max(E[("relu", s)], 1.0) for s in seeds]))


# ------------------------------------------------------------------------ step 6: the confound
def test_the_issue_confound_reproduces_and_the_step_uses_one_init():
    """As shipped (init=auto: ReLU He, tanh Xavier, one lr 0.1) tanh needed a median 1.31x
    ReLU's epochs over 20 seeds; with He for all, 0.89x (ReLU faster on only 8 of 20): the
    initialiser, not the activation, made most of the gap. The step now gives all one init."""
    old = cmp.BASE.replace(epochs=150, n_checkpoints=2, grid_size=10)
    seeds = range(20)
    acts = ("sigmoid", "tanh", "relu")
    E = _epochs([old.replace(seed=s, activation=a) for s in seeds for a in acts], 0.95)
    E_he = _epochs([old.replace(seed=s, activation=a, init="he_normal") for s in seeds
                    for a in acts], 0.95)
    r_auto, r_he = _median_ratio(E, "tanh", seeds), _median_ratio(E_he, "tanh", seeds)
    faster = sum(E_he[("relu", s)] < E_he[("tanh", s)] for s in seeds)
    print(f"tanh/ReLU median over 20 seeds: init=auto {r_auto:.2f}x, He for all {r_he:.2f}x "
          f"(ReLU faster on {faster} of 20); sigmoid/ReLU {_median_ratio(E, 'sigmoid', seeds):.1f}x"
          f" -> {_median_ratio(E_he, 'sigmoid', seeds):.1f}x")
    assert r_auto == pytest.approx(1.31, abs=0.01) and r_he == pytest.approx(0.89, abs=0.01)
    assert faster == 8
    # the step: one initialiser, the same for all three, and it says which
    for seed in (0, 7):
        inits = {c.resolved_init(0) for c in STEP6.configs(seed)}
        assert inits == {sig.FAST_INIT}
    assert "{init}" in LESSON_TEXT["en"]["chart.fast_sub"]
    assert "initialiser for all" in LESSON_TEXT["en"]["v.fast"]


def test_step6_learning_rates_are_the_protocols_choice_on_other_seeds():
    """FAST_LR is what Compare's protocol chooses (recomputed here), on tuning seeds the lesson
    never shows; every chosen rate learned on every tuning seed."""
    seen: list[int] = []

    def spy(cfgs, **kw):
        seen.extend(c.seed for c in cfgs)
        return train_many(cfgs, **kw)

    assert sig.fast_lrs(spy) == sig.FAST_LR
    assert set(seen) == set(cmp.tuning_seeds(0))
    assert not set(seen) & set(range(cmp.MAX_SEEDS)) and not set(seen) & set(lesson.SEEDS)
    for seed in lesson.SEEDS:
        assert {c.activation: c.lr for c in STEP6.configs(seed)} == sig.FAST_LR
    assert STEP6.work(0) <= lesson.STEP_WORK


DATA = {"default": {}, "n600_noise0.1": {"n_samples": 600, "noise": 0.1},
        "n300_noise0.15": {"n_samples": 300, "noise": 0.15}}


def _step6_over_seeds(data: dict, seeds) -> tuple[list, dict]:
    cfgs = [c.replace(**data) for s in seeds for c in STEP6.configs(s)]
    recs = train_many(cfgs)
    results = [sig._fast_compute(s, recs[3 * i:3 * i + 3]) for i, s in enumerate(seeds)]
    E = {(a, s): r["epochs"][a] for s, r in zip(seeds, results, strict=True) for a in r["epochs"]}
    return results, E


@pytest.mark.parametrize("name", list(DATA))
def test_step6_effect_size_is_honest_over_twenty_seeds(name):
    """On the default data and data settings used nowhere else: sigmoid is clearly slower than
    ReLU, tanh is within 0.7-1.6x of ReLU (the paper's 6x does not appear), nothing diverges,
    and the per-seed predicate is exactly what the verdict says."""
    seeds = range(20)
    results, E = _step6_over_seeds(DATA[name], seeds)
    holds = [STEP6.holds(r) for r in results]
    r_tanh, r_sig = _median_ratio(E, "tanh", seeds), _median_ratio(E, "sigmoid", seeds)
    print(f"step 6 on {name}: holds on {sum(holds)} of 20; median tanh/ReLU {r_tanh:.2f}x, "
          f"sigmoid/ReLU {r_sig:.2f}x")
    assert not any(r["diverged"] for r in results)
    assert 0.7 <= r_tanh <= 1.6 < cmp.LESSON_RATIO
    assert r_sig >= 1.8
    for r, h in zip(results, holds, strict=True):
        text = lesson.verdict_text(STEP6, r)
        assert ("ReLU was faster" in text) == (r["epochs"]["relu"] < r["epochs"]["tanh"])
        e = r["epochs"]
        assert h == (math.isfinite(e["relu"]) and e["relu"] < e["sigmoid"])
    assert sum(holds) == 20  # ReLU before sigmoid on every seed (tanh: shown, not claimed)


def test_step6_unreachable_target_and_divergence_are_not_claims():
    """noise 0.3: 95 % training accuracy is out of reach for every run, so no claim holds; a
    diverged run is reported as diverged, never as the claim holding."""
    results, _ = _step6_over_seeds({"n_samples": 300, "noise": 0.3}, range(3))
    for r in results:
        if not math.isfinite(r["epochs"]["relu"]):
            assert not STEP6.holds(r)
            assert "did not reach" in lesson.verdict_text(STEP6, r)
    cfgs = [c.replace(lr=10.0) if c.activation == "relu" else c for c in STEP6.configs(0)]
    cfgs = [c.replace(init_scale=10.0) for c in cfgs]
    r = sig._fast_compute(0, train_many(cfgs))
    if not r["diverged"]:  # make sure the branch is exercised whatever the engine does
        r = copy.deepcopy(r)
        r["diverged"] = [("ReLU", 1)]
        r["epochs"]["relu"] = 1.0
    assert not STEP6.holds(r)
    for lang in ("en", "zh"):
        text = lesson.verdict_text(STEP6, r, lang)
        assert lesson.diverged_text(r, lang) in text
        assert LESSON_TEXT[lang]["v.fast_tanh_slower"].split("**")[0] not in text


def test_step6_chart_shows_the_target_and_the_marks():
    r = STEP6.run(0)
    spec = STEP6.chart(r, "en", 800, 420).to_dict()
    text = str(spec)
    assert "target 95 %" in text and "He" in text
    x_max = sig.fast_charts.zoom_epochs(list(r["epochs"].values()), r["budget"])
    assert max(v for v in r["epochs"].values()) < x_max <= r["budget"] // 2  # zoomed in
    for a, e in r["epochs"].items():
        assert f"{sig.ACTIVATIONS[a].label}: {e:.0f}" in text


# ------------------------------------------------------------------------ Compare's protocol
def _runs(rows):
    return pd.DataFrame(rows, columns=cmp.TUNING_RUN_COLUMNS)


def test_rule_never_picks_a_rate_that_failed_to_learn():
    T = 0.95
    ok = dict(diverged=False, learned=True)
    rows = []
    for seed in (1000, 1001, 1002):
        # 0.3 is fastest on two seeds but fell apart on the third (reached, ended at 50.7 %)
        fell = seed == 1002
        rows.append(("relu", 0.3, seed, 3.0 if not fell else math.inf, 0.507 if fell else 0.98,
                     False, not fell))
        rows.append(("relu", 0.1, seed, 6.0, 0.97, False, True))
        rows.append(("relu", 1.0, seed, math.inf, math.nan, True, False))  # diverged
        # sigmoid: nothing learns everywhere -> no rate chosen, it keeps its own
        rows.append(("sigmoid", 0.1, seed, 40.0 if seed != 1001 else math.inf, 0.96, False,
                     seed != 1001))
    assert ok
    tuning = cmp.choose_lrs(_runs(rows))
    assert cmp.chosen_lrs(tuning) == {"relu": 0.1}
    assert cmp.unchosen(tuning) == ["sigmoid"]
    assert not (tuning["chosen"] & ~tuning["eligible"]).any()
    row = tuning.set_index(["activation", "lr"]).loc[("relu", 1.0)]
    assert row["diverged"] == 3 and not row["eligible"]
    cfgs = cmp.configs_for(TrainConfig(lr=0.05), ["sigmoid", "relu"])[0]
    assert [c.lr for c in cmp.tuned_configs(cfgs, tuning)] == [0.05, 0.1]
    # a real run that reaches the target and then collapses does not count as learned
    assert T - cmp.LEARN_SLACK > 0.507


@pytest.mark.parametrize("seed", [0, 3, 2**31 - 2, 123456])
def test_tuning_seeds_are_disjoint_from_evaluation_seeds(seed):
    cfgs = cmp.configs_for(TrainConfig(seed=seed), ["relu"])[0]
    evaluation = {c.seed for s in range(cmp.MAX_SEEDS) for c in cmp.sweep_configs(cfgs, s)}
    tuning = set(cmp.tuning_seeds(seed))
    assert len(tuning) == cmp.TUNE_SEEDS >= 3 and not tuning & evaluation


def test_protocol_on_the_issue_case():
    """Default Compare, seed 0: the old rule gave sigmoid 0.3 (one seed's 75 validation points)
    and ReLU a rate whose tuning run ended at 50.7 %. Now sigmoid gets 1.0, and every chosen
    rate learned on all three tuning seeds."""
    cfgs = cmp.protocol_configs(cmp.configs_for(cmp.BASE, ["sigmoid", "tanh", "relu"])[0])
    tuning = cmp.tune_lr(cmp.sweep_configs(cfgs, 0), 0.95, cmp.lr_grid(cmp.BASE.lr))
    lrs = cmp.chosen_lrs(tuning)
    print("protocol on default Compare:", lrs)
    assert lrs["sigmoid"] == 1.0 and set(lrs) == {"sigmoid", "tanh", "relu"}
    chosen = tuning[tuning["chosen"]]
    assert (chosen["learned"] == cmp.TUNE_SEEDS).all() and (chosen["diverged"] == 0).all()
    assert (chosen["final_acc"] >= 0.95 - cmp.LEARN_SLACK).all()
    assert len({cmp.init_name(c) for c in cfgs}) == 1


@pytest.mark.parametrize("base", [cmp.BASE.replace(epochs=60),
                                  cmp.BASE.replace(epochs=60, seed=37, n_samples=600,
                                                   noise=0.15)],
                         ids=["seeds0-4", "seeds37-41_n600_noise0.15"])
def test_protocol_verdict_holds_on_seeds_and_other_data(base):
    """The sweep under the protocol (sigmoid, tanh, ReLU; 5 seeds): ReLU vs sigmoid is a clear
    "slower" for sigmoid, ReLU vs tanh is small (median within 0.6-1.6x), nothing diverged."""
    cfgs = cmp.protocol_configs(cmp.configs_for(base, ["sigmoid", "tanh", "relu"])[0])
    tuning = cmp.tune_lr(cmp.sweep_configs(cfgs, 0), 0.95)
    tuned = cmp.tuned_configs(cfgs, tuning)
    stats = cmp.sweep_stats(cmp.sweep_runs(cmp.run_sweep(tuned, 5), 0.95),
                            ["sigmoid", "tanh", "relu"]).set_index("activation")
    print(stats[["lr", "median", "ratio_lo", "ratio_hi", "ci_lo", "ci_hi"]])
    assert stats["diverged"].sum() == 0
    assert stats.loc["sigmoid", "ci_lo"] > 1.0
    assert 0.6 <= stats.loc["tanh", "ratio_lo"] <= stats.loc["tanh", "ratio_hi"] <= 1.6


def test_protocol_texts_state_the_rule_and_the_init():
    from explorer.texts.compare import TEXT
    for lang in ("en", "zh"):
        on = TEXT[lang]["sweep.protocol_on"]
        for key in ("{init}", "{tseeds}", "{n_tune}", "{floor}", "{grid}"):
            assert key in on, (lang, key)
    assert "never chosen" in TEXT["en"]["sweep.protocol_on"]
    assert "saturating tanh" in TEXT["en"]["sweep.lesson"]


# ------------------------------------------------------------------------ Vanishing
def test_vanishing_text_no_longer_promises_the_same_draws_under_auto():
    from explorer.labs import vanishing as vl
    for lang, auto in (("en", "auto"), ("zh", "自动")):
        assert auto in VANISHING_TEXT[lang]["intro"]
        assert auto in VANISHING_TEXT[lang]["acts_help"]
    assert "same initial draws" not in VANISHING_TEXT["en"]["intro"]
    cfgs, _ = vl.build_configs(vl.BASE, ["sigmoid", "relu"], 4, 8)
    # what the text says: with auto the inits differ; one chosen initialiser is shared
    assert len({c.resolved_init(0) for c in cfgs}) == 2
    cfgs, _ = vl.build_configs(vl.BASE.replace(init="he_normal"), ["sigmoid", "relu"], 4, 8)
    assert {c.resolved_init(0) for c in cfgs} == {"he_normal"}
