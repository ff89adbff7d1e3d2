"""The guided lesson (explorer/lesson.py, pages/lesson.py).

(a) The steps as data: every claim of CLAIMS.md is covered, in order; each step's work is
    bounded (counted with TrainConfig.work, not timed; one seed and the five seeds its verdict
    is counted on); each step's verdict predicate holds on seeds 0-4 (the count "holds on k of
    5 seeds" itself: tests/test_lesson_seeds.py); the verdict's numbers come from the run (change the run, the text changes);
    the predicates can fail; charts build in both languages; links name a page and a query
    that page accepts.
(b) The page (AppTest): default step, ?step=N, bad step values (notice + step 1), Back / Next,
    the URL follows, Chinese, projector mode.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import pagetest
import pytest
import shared_runs

from explorer import TrainConfig, lesson
from explorer import compare as cmp
from explorer.labs import dead as dl
from explorer.labs import vanishing as vl
from explorer.labs import zigzag as zz
from explorer.texts.lesson import TEXT

ROOT = Path(__file__).resolve().parent.parent
PAGE = pagetest.page_file("lesson")
CLAIMS = ROOT.parent / "shared" / "seed" / "CLAIMS.md"
DIGIT = re.compile(r"\d")

#: the lab pages' base configs (their URLs are relative to these)
BASES = {"vanishing": vl.BASE, "zigzag": zz.NET_BASE, "compare": cmp.BASE,
         "dead_relu": dl.BASE, "playground": TrainConfig()}

def trainer(cfgs):
    """train_many, memoised for the session (steps 7/9 and 10/11 share their runs, and
    tests/test_lesson_seeds.py trains the same steps on the same seeds: tests/shared_runs.py)."""
    return shared_runs.trainer(cfgs)


def result(n: int, seed: int = 0) -> dict:
    return shared_runs.step_result(n, seed)


# ----------------------------------------------------------------------------- (a) steps
def test_every_claim_is_covered_in_order():
    claims = [c for s in lesson.STEPS for c in s.claims]
    assert claims == sorted(claims)
    n_claims = 14
    if CLAIMS.exists():  # the lesson's own table: one row per claim
        rows = re.findall(r"^\| (\d+) \|", CLAIMS.read_text(encoding="utf-8"), re.M)
        n_claims = len(rows)
    assert lesson.claims_covered() == list(range(1, n_claims + 1))
    assert len({s.name for s in lesson.STEPS}) == lesson.N_STEPS


@pytest.mark.parametrize("seed", lesson.SEEDS)
def test_each_step_is_small(seed):
    """Bounded by counting work: training (epochs x samples x multiply-adds) and the rest."""
    for s in lesson.STEPS:
        assert s.work(seed) <= lesson.STEP_WORK, (s.name, s.work(seed))
        assert s.extra_work <= 2e7, s.name
        for c in s.configs(seed):
            assert c.seed == seed and c.epochs <= 150 and c.n_checkpoints <= 31, s.name
        # the verdict is counted on VERDICT_SEEDS seeds: their work together is bounded too
        assert sum(s.work(x) for x in lesson.verdict_seeds(seed)) <= lesson.SEEDS_WORK, s.name
    total = sum(s.work(seed) for s in lesson.STEPS)
    print(f"seed {seed}: training work of the whole tour {total:.3g} "
          f"(bound per step {lesson.STEP_WORK:.3g})")


@pytest.mark.parametrize("seed", lesson.SEEDS)
@pytest.mark.parametrize("n", range(1, lesson.N_STEPS + 1),
                         ids=[s.name for s in lesson.STEPS])
def test_verdict_holds_on_seeds_0_to_4(n, seed):
    s = lesson.step(n)
    r = result(n, seed)
    assert s.holds(r), (s.name, seed, lesson.verdict_text(s, r))
    for lang in ("en", "zh"):
        text = lesson.verdict_text(s, r, lang)
        assert DIGIT.search(text) and "{" not in text, (s.name, lang, text)


def test_verdict_numbers_come_from_the_run():
    """Change a number in the run: the verdict text changes with it (no number in prose)."""
    r = result(2)
    fake = copy.deepcopy(r)
    fake["ratio"]["sigmoid"] = 1 / 1234.0
    assert "1/1,200" in lesson.verdict_text(lesson.step(2), fake)
    assert "1/1,200" not in lesson.verdict_text(lesson.step(2), r)
    r = result(6)
    fake = copy.deepcopy(r)
    fake["epochs"].update(relu=3.0, sigmoid=math.inf)
    text = lesson.verdict_text(lesson.step(6), fake)
    assert "**3**" in text and str(r["budget"]) in text  # "not within 150 epochs"
    r = result(11)
    rows = copy.deepcopy(r["rows"])
    rows[0]["dead_peak"] = 0.375
    assert "37.5" not in lesson.verdict_text(lesson.step(11), r)
    assert "38 %" in lesson.verdict_text(lesson.step(11), {**r, "rows": rows})


def test_predicates_can_fail():
    s2 = lesson.step(2)
    r = copy.deepcopy(result(2))
    r["ratio"]["sigmoid"], r["ratio"]["tanh"] = r["ratio"]["tanh"], r["ratio"]["sigmoid"]
    assert not s2.holds(r)
    r = copy.deepcopy(result(11))
    r["rows"][1]["dead_peak"] = 0.1
    assert not lesson.step(11).holds(r)
    r = copy.deepcopy(result(6))
    r["epochs"]["sigmoid"] = r["epochs"]["relu"]
    assert not lesson.step(6).holds(r)
    r = copy.deepcopy(result(8))
    r["zero_min"] = [0.99, r["zero_min"][1]]  # a weight got a gradient: not frozen
    assert not lesson.step(8).holds(r)


def test_cost_verdict_is_read_from_the_table():
    """Timings are measured, never asserted: the verdict formats whatever was measured."""
    import pandas as pd

    cost = pd.DataFrame({"name": ["sigmoid", "tanh", "relu"],
                         "label": ["Sigmoid", "tanh", "ReLU"],
                         "ns_per_element": [6.0, 4.5, 1.5], "relative": [4.0, 3.0, 1.0],
                         "uses_exp": [True, True, False]})
    r = {"cost": cost, "relative": dict(zip(cost["name"], cost["relative"], strict=True)),
         "ns": dict(zip(cost["name"], cost["ns_per_element"], strict=True)),
         "uses_exp": dict(zip(cost["name"], cost["uses_exp"], strict=True))}
    s = lesson.step(4)
    assert "**4.0×**" in lesson.verdict_text(s, r) and "6.00 vs 1.50" in lesson.verdict_text(s, r)
    assert s.holds(r)
    r["ns"]["relu"] = math.nan
    assert not s.holds(r)
    measured = result(4)
    print("measured cost (ns/element):",
          {k: round(v, 2) for k, v in measured["ns"].items()})


@pytest.mark.parametrize("n", range(1, lesson.N_STEPS + 1), ids=[s.name for s in lesson.STEPS])
def test_chart_builds_in_both_languages(n):
    s = lesson.step(n)
    r = result(n)
    specs = {lang: s.chart(r, lang, 780, 330).to_dict() for lang in ("en", "zh")}
    assert specs["en"] != specs["zh"] or n in (3, 4)  # titles are translated


@pytest.mark.parametrize("seed", [0, 3])
def test_links_open_the_same_setting(seed):
    for s in lesson.STEPS:
        page, query = s.link(seed)
        assert (ROOT / "pages" / f"{page}.py").is_file(), (s.name, page)
        assert all(isinstance(v, str) for v in query.values())
        if page in BASES:
            cfg, errors = TrainConfig.from_query(query, BASES[page])
            assert not errors, (s.name, errors)
            if s.trains:  # the link reproduces one of the step's runs (all but the activation)
                fields = ("seed", "epochs", "lr", "init", "bias_init", "n_checkpoints",
                          "hidden", "optimizer", "dataset", "n_samples")
                assert any(all(getattr(cfg, f) == getattr(c, f) for f in fields)
                           for c in s.configs(seed)), s.name


def test_text_tables_match():
    en, zh = TEXT["en"], TEXT["zh"]
    assert set(en) == set(zh)
    for key in en:
        assert pagetest.placeholders(en[key]) == pagetest.placeholders(zh[key]), key
    for s in lesson.STEPS:
        for part in ("title", "claim", "explain"):
            assert f"step.{s.name}.{part}" in en
    used = {k for s in lesson.STEPS for k, _ in s.verdict(result(lesson.STEPS.index(s) + 1))}
    assert used <= set(en)


def test_bad_step_number():
    with pytest.raises(ValueError, match="step"):
        lesson.step(0)
    with pytest.raises(ValueError, match="step"):
        lesson.step(lesson.N_STEPS + 1)


# ----------------------------------------------------------------------------- (b) the page
def run_page(query: dict[str, str] | None = None):
    return pagetest.run(PAGE, query, 180, via_app=True)


def shows_verdict(at, n: int, seed: int = 0, lang: str = "en") -> bool:
    """The page shows step n's verdict, as computed here from the same (deterministic) run."""
    expected = lesson.verdict_text(lesson.step(n), result(n, seed), lang)
    return expected in [m.value for m in at.markdown]


def step_box(at):
    return next(s for s in at.selectbox if s.label == TEXT["en"]["step_select"]
                or s.label == TEXT["zh"]["step_select"])


def test_page_opens_at_step_one_and_walks():
    at = run_page()
    pagetest.no_errors(at)
    assert not at.warning
    assert step_box(at).value == 1
    assert len(at.get("vega_lite_chart")) == 1
    assert shows_verdict(at, 1)
    back = next(b for b in at.button if b.label == TEXT["en"]["back"])
    assert back.disabled
    next(b for b in at.button if b.label == TEXT["en"]["next"]).click().run()
    pagetest.no_errors(at)
    assert step_box(at).value == 2
    assert pagetest.query_params(at).get("step") == "2"
    assert shows_verdict(at, 2) and not shows_verdict(at, 1)
    next(b for b in at.button if b.label == TEXT["en"]["back"]).click().run()
    assert step_box(at).value == 1 and "step" not in pagetest.query_params(at)


def test_step_in_the_url():
    at = run_page({"step": "14"})
    pagetest.no_errors(at)
    assert step_box(at).value == 14
    nxt = next(b for b in at.button if b.label == TEXT["en"]["next"])
    assert nxt.disabled
    assert len(at.get("vega_lite_chart")) == 1


@pytest.mark.parametrize("raw", ["abc", "0", "15", "2.5", "-1"])
def test_bad_step_in_the_url(raw):
    at = run_page({"step": raw})
    pagetest.no_errors(at)
    assert at.warning and "step" in at.warning[0].value
    assert step_box(at).value == 1
    assert len(at.get("vega_lite_chart")) == 1


def test_chinese_and_projector():
    at = run_page({"step": "9", "lang": "zh", "projector": "1"})
    pagetest.no_errors(at)
    assert not at.warning
    assert shows_verdict(at, 9, lang="zh")
    assert step_box(at).value == 9
    assert any(b.label == TEXT["zh"]["next"] for b in at.button)
    assert len(at.get("vega_lite_chart")) == 1


def test_seed_in_the_url():
    at = run_page({"step": "2", "seed": "3"})
    pagetest.no_errors(at)
    assert shows_verdict(at, 2, seed=3) and not shows_verdict(at, 2, seed=0)
    bad = run_page({"seed": "9"})
    assert bad.warning and "seed" in bad.warning[0].value


@pytest.mark.parametrize("n", range(1, lesson.N_STEPS + 1), ids=[s.name for s in lesson.STEPS])
def test_every_step_in_chinese_has_no_english(n):
    """Every visible string of every step in lang=zh (the collector of test_i18n)."""
    i18n = pytest.importorskip("test_i18n")
    at = run_page({"step": str(n), "lang": "zh"})
    pagetest.no_errors(at)
    assert shows_verdict(at, n, lang="zh") or n == 4  # step 4's timing is re-measured
    leaks = sorted({f"{kind}: {found} in {text[:120]!r}"
                    for kind, text in i18n.visible_strings(at)
                    if (found := i18n.english_in(text))})
    assert not leaks, "\n".join(leaks)
