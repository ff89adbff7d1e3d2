"""issue 28 item 1: a prediction on every Lesson step (explorer.lesson.predict).

(a) every step has one question with 2-5 answers, texts in English and 简体中文 with every
    placeholder filled, and the question and its answers do not depend on the run (nothing
    measured is written into them);
(b) for every step on seeds 0-4, the answer the step marks right is what its run shows: an
    oracle here reads it independently (from the chart's data or the records, not through
    ``predict``); the same on seeds and a data setting the lesson does not list (7, and the
    noisy setting on seeds 12 and 40, where a run diverges: then no answer is right);
(c) the ranges' edges (a range includes its lower edge), ties, NaN; the reveal text.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from explorer import lesson, train_many
from explorer.labs import dead as dl
from explorer.lesson import predict as pr
from explorer.lesson import steps_dead as sd
from explorer.lesson import steps_practice as sp
from explorer.lesson import steps_signal as ss
from explorer.texts.predict import TEXT

NOISY = {"n_samples": 300, "noise": 0.3}
#: (seed, config changes) beyond the lesson's seeds 0-4
BEYOND = [(7, {}), (12, NOISY), (40, NOISY)]
_RUNS: dict[tuple, list] = {}
_RESULTS: dict[tuple, dict] = {}


def trainer(cfgs):
    key = tuple(cfgs)
    if key not in _RUNS:
        _RUNS[key] = train_many(cfgs)
    return _RUNS[key]


def result(n: int, seed: int = 0, changes: dict | None = None) -> dict:
    s = lesson.step(n)
    key = (n, seed if s.seeded else 0, tuple(sorted((changes or {}).items())))
    if key not in _RESULTS:
        _RESULTS[key] = s.run(key[1], trainer, changes or None)
    return _RESULTS[key]


# ----------------------------------------------------------------------------- oracles
def _bucket(v, edges):
    return sum(v >= e for e in edges)


def _first_reach(curves, act, target):
    d = curves[(curves["activation"] == act) & (curves["train_acc"] >= target)]
    return float(d["epoch"].min()) if len(d) else math.inf


def _dead_peak(curve, label):
    d = curve[(curve["label"] == label) & (curve["layer"] > 0)]
    return float(d["dead_frac"].max()) if len(d) else 0.0


def oracle(name: str, r: dict) -> set[int]:
    """What the run shows, read from the chart's data or the records (not via predict)."""
    if name == "sigmoid":
        peak = float(r["curve"]["df"].max())  # the chart's σ′ curve
        d = [abs(math.log(peak / v)) for v in pr.SIGMOID_SLOPES]
        return {int(np.argmin(d))}
    if name == "saturation":
        p = r["profile"]
        g = p[(p["act"] == "sigmoid") & (p["phase"] == "start")].sort_values("layer")
        g = g["grad_norm"].to_numpy()
        return {_bucket(g[-1] / g[0], pr.SAT_EDGES)}
    if name == "zigzag":
        p, c = (r["runs"][k].steps_to_opt for k in ("positive", "centred"))
        p, c = (math.inf if v is None else v for v in (p, c))
        return {2} if p == c else ({0} if p < c else {1})
    if name == "cost":
        t = r["cost"].set_index("name")["ns_per_element"]
        return {ss.COST_ACTS.index(t.idxmin())}
    if name == "tanh":
        d = r["table"]
        deep = d[(d["activation"] == "tanh") & (d["layer"] > 1)]["per_sample"].mean()
        return {_bucket(float(deep), pr.SHARE_EDGES_TANH)}
    if name == "relu_fast":
        e = [_first_reach(r["curves"], a, ss.FAST_TARGET) for a in ss.FAST_ACTS]
        lo = min(e)
        return {3} if math.isinf(lo) else {i for i, v in enumerate(e) if v == lo}
    if name == "dead":
        s = r["states"]
        last = s[s["epoch"] == s["epoch"].max()]
        return {_bucket(last["dead"].sum() / len(last), pr.SHARE_EDGES_DEAD)}
    if name == "zero_init":
        rec = r["records"][0]
        moved = any(dl.zero_grad_share(rec, e) < 1.0 for e in rec.checkpoints)
        return {0} if moved else {1}
    if name == "large_lr":
        d = (_dead_peak(r["curve"], f"lr {sd.LARGE_LR:g}")
             - _dead_peak(r["curve"], f"lr {sd.SMALL_LR:g}"))
        return {1} if d > pr.LR_SAME else ({2} if d < -pr.LR_SAME else {0})
    if name == "revival":
        return {1} if (dl.unit_states(r["records"][0])["state"] == dl.REVIVED).any() else {0}
    if name == "leaky":
        v = dl.summary(r["records"]).iloc[1]["dead_peak"]
        return {0} if v == 0 else ({1} if v < pr.LEAKY_EDGE else {2})
    if name == "maxout":
        relu, mx = (_dead_peak(r["curve"], rec.label) > 0 for rec in r["records"])
        return {{(True, False): 0, (False, True): 1, (True, True): 2, (False, False): 3}[
            (relu, mx)]}
    if name == "practice":
        loss = [float(rec.final()["train_loss"]) for rec in r["records"]]
        acts = [rec.config.activation for rec in r["records"]]
        hi = max(loss)
        return {sp.PRACTICE_ACTS.index(a) for a, v in zip(acts, loss) if v == hi}
    if name == "variants":
        neg = any(r["tails"][n][0] > 0 for n in r["names"])
        pos = any(r["tails"][n][1] > 0 for n in r["names"])
        return {1} if pos else ({0} if neg else {2})
    raise AssertionError(f"no oracle for {name}")


# ----------------------------------------------------------------------------- (a) questions
def test_every_step_has_a_question():
    assert set(pr.QUESTIONS) == {s.name for s in lesson.STEPS}
    for s in lesson.STEPS:
        q = pr.question(s.name)
        assert 2 <= len(q.options) <= 5, s.name
        for lang in ("en", "zh"):
            texts = [pr.question_text(s.name, lang), *pr.option_labels(s.name, lang)]
            assert all(t.strip() and "{" not in t and "}" not in t for t in texts), texts
            labels = pr.option_labels(s.name, lang)
            assert len(set(labels)) == len(labels), labels
    with pytest.raises(ValueError):
        pr.question("nope")
    with pytest.raises(ValueError):
        pr.Question("x", (("a", {}),), lambda r: (0,), lambda r: ("a", {}))


def test_question_texts_hold_no_measured_number():
    """The question and the answers are functions of the step alone: no result goes in, and
    the table's question and answer texts have no digit but 0 (constants come in as fields)."""
    for lang in ("en", "zh"):
        for key, value in TEXT[lang].items():
            if key.startswith("p.") and (key.endswith(".q") or re.search(r"\.o\d$", key)):
                assert not re.search(r"[1-9]", value), (lang, key, value)


# ----------------------------------------------------------------------------- (b) the runs
@pytest.mark.parametrize("seed", lesson.SEEDS)
@pytest.mark.parametrize("n", range(1, lesson.N_STEPS + 1), ids=[s.name for s in lesson.STEPS])
def test_right_answer_is_what_the_run_shows(n, seed):
    s = lesson.step(n)
    r = result(n, seed)
    assert not r["diverged"], (s.name, seed, r["diverged"])
    got = pr.right(s.name, r)
    assert got and all(0 <= i < len(pr.question(s.name).options) for i in got)
    assert set(got) == oracle(s.name, r), (s.name, seed, got)
    for lang in ("en", "zh"):  # names shown as labels, never as registry keys
        assert "_" not in pr.measured_text(s.name, r, lang).replace("**", "")
    print(f"{s.name} seed {seed}: {[pr.option_labels(s.name)[i] for i in got]} — "
          f"{pr.measured_text(s.name, r)}")


@pytest.mark.parametrize("seed, changes", BEYOND, ids=["seed7", "noisy12", "noisy40"])
@pytest.mark.parametrize("n", range(1, lesson.N_STEPS + 1), ids=[s.name for s in lesson.STEPS])
def test_right_answer_beyond_the_listed_seeds(n, seed, changes):
    s = lesson.step(n)
    if not s.trains and changes:
        return  # no data: the same as seed 7's
    r = result(n, seed, changes)
    got = pr.right(s.name, r)
    if r["diverged"]:  # nothing is claimed from a diverged run: no answer is right
        assert got == ()
        assert TEXT["en"]["p.no_answer"] in pr.reveal_text(s.name, r, 0)
        assert pr.measured_text(s.name, r) == lesson.diverged_text(r)
        return
    assert set(got) == oracle(s.name, r), (s.name, seed, changes, got)


def test_the_noisy_setting_has_a_diverged_step():
    """The 'beyond' cases really exercise a diverged run (the issue-25 Leaky run)."""
    assert result(11, 12, NOISY)["diverged"]


# ----------------------------------------------------------------------------- (c) edges
def test_bucket_edges():
    e = (0.1, 0.4, 0.7)
    assert [pr.bucket(v, e) for v in (0.0, 0.0999, 0.1, 0.3999, 0.4, 0.7, 1.0)] == [
        0, 0, 1, 1, 2, 3, 3]
    assert pr.bucket(math.inf, e) == 3 and pr.bucket(-math.inf, e) == 0
    assert pr.bucket(math.nan, e) is None
    assert len(pr.range_options(e, lesson.pct, "share")) == 4


def test_answers_follow_the_numbers():
    """The answer moves when the measurement does (the functions can fail)."""
    r = dict(result(7, 0))
    states = r["states"].copy()
    last = states["epoch"] == states["epoch"].max()
    for dead, want in [(0, 0), (len(states[last]), 3)]:
        states.loc[last, "dead"] = False
        states.loc[states[last].index[:dead], "dead"] = True
        assert pr.right("dead", {**r, "states": states}) == (want,)
    f = dict(result(6, 0))
    assert pr.right("relu_fast", {**f, "epochs": {"sigmoid": 5.0, "tanh": 5.0,
                                                  "relu": 9.0}}) == (0, 1)
    assert pr.right("relu_fast", {**f, "epochs": dict.fromkeys(ss.FAST_ACTS, math.inf)}) == (3,)
    z = dict(result(3, 0))
    assert pr.right("zigzag", {**z, "steps": {"positive": None, "centred": None}}) == (2,)
    assert pr.right("zigzag", {**z, "steps": {"positive": 5, "centred": None}}) == (0,)


def test_reveal_text():
    r = result(7, 0)
    ok = pr.right("dead", r)[0]
    labels = pr.option_labels("dead")
    yes = pr.reveal_text("dead", r, ok)
    assert labels[ok] in yes and TEXT["en"]["p.right"] in yes
    measured = pr.measured_text("dead", r)
    assert measured in yes and re.search(r"\d+ %", measured)
    wrong = (ok + 1) % len(labels)
    no = pr.reveal_text("dead", r, wrong)
    assert f"**{labels[wrong]}**" in no and f"**{labels[ok]}**" in no
    assert TEXT["en"]["p.right"] not in no
    assert labels[ok] in pr.reveal_text("dead", r, None)
    zh = pr.reveal_text("dead", r, ok, "zh")
    assert TEXT["zh"]["p.right"] in zh and pr.option_labels("dead", "zh")[ok] in zh
    # an out-of-range guess (a forged value) is not shown as a guess
    assert "You said" not in pr.reveal_text("dead", r, 99)


# ----------------------------------------------------------------------------- (d) the page
def test_page_asks_first_then_reveals_the_guess_beside_the_run():
    import pagetest

    at = pagetest.run(pagetest.page_file("lesson"), {"step": "7", "predict": "1"}, 180,
                      via_app=True)
    pagetest.no_errors(at)
    assert not at.get("vega_lite_chart"), "the run is shown before the guess"
    pills = at.pills
    assert len(pills) == 1
    assert pills[0].options == pr.option_labels("dead")
    assert pagetest.query_params(at).get("predict") == "1"
    r = lesson.step(7).run(0, trainer)
    guess = (pr.right("dead", r)[0] + 1) % 4
    pills[0].set_value(guess).run()
    pagetest.no_errors(at)
    assert len(at.get("vega_lite_chart")) == 1
    shown = [m.value for m in at.markdown]
    assert pr.reveal_text("dead", r, guess) in shown
    assert lesson.verdict_text(lesson.step(7), r) in shown
    assert at.pills[0].disabled
    # Guess again: the question again, the run hidden
    next(b for b in at.button if b.label == TEXT["en"]["predict_again"]).click().run()
    assert not at.get("vega_lite_chart") and at.pills[0].value is None
    # Show without guessing: the run, and the answer it shows
    next(b for b in at.button if b.label == TEXT["en"]["predict_skip"]).click().run()
    assert len(at.get("vega_lite_chart")) == 1
    assert pr.reveal_text("dead", r, None) in [m.value for m in at.markdown]


def test_page_without_predict_shows_the_run_at_once():
    import pagetest

    at = pagetest.run(pagetest.page_file("lesson"), {"step": "2", "lang": "zh"}, 180,
                      via_app=True)
    pagetest.no_errors(at)
    assert not at.pills and len(at.get("vega_lite_chart")) == 1
    assert "predict" not in pagetest.query_params(at)


@pytest.mark.parametrize("n", [6, 13])
def test_page_predicting_in_chinese_has_no_english(n):
    """Question, activation answers, reveal: all in Chinese (the collector of test_i18n)."""
    import pagetest

    i18n = pytest.importorskip("test_i18n")
    at = pagetest.run(pagetest.page_file("lesson"), {"step": str(n), "predict": "1",
                                                     "lang": "zh"}, 180, via_app=True)
    pagetest.no_errors(at)
    name = lesson.step(n).name
    assert at.pills[0].options == pr.option_labels(name, "zh")
    for phase in ("ask", "reveal"):
        leaks = sorted({f"{kind}: {found} in {text[:120]!r}"
                        for kind, text in i18n.visible_strings(at)
                        if (found := i18n.english_in(text))})
        assert not leaks, (phase, leaks)
        if phase == "ask":
            at.pills[0].set_value(0).run()
            pagetest.no_errors(at)
    assert pr.reveal_text(name, result(n, 0), 0, "zh") in [m.value for m in at.markdown]
