"""A prediction before every Lesson step (issue 28): one question with 2-5 one-tap answers,
the right one computed from the run the step shows, never written into the text.

Each :class:`Question` has

* ``options``: the answers as ``(text key, format values)`` pairs (:mod:`explorer.texts.predict`;
  a ``name`` value is an activation, shown by its label in the reader's language),
* ``answer(result)``: the indices of the options the run shows (one, or several on an exact
  tie; none when a run diverged: a diverged run states nothing, so no guess is right),
* ``measured(result)``: the measurement the reveal shows beside the guess, as ``(key, fmt)``.

A share or a factor is asked as ranges (:func:`bucket`): the edges are data here, the labels are
formatted from them, and a range includes its lower edge and excludes its upper one ("10 % to
40 %" is 0.10 <= v < 0.40; the last range, "70 % or more", includes 0.70).

Plain Python, no Streamlit: :func:`right` and the texts are what the page and a class room use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..activations import ACTIVATIONS
from ..labs import zigzag as zz
from ..texts import lookup
from ..texts.predict import TEXT
from . import steps_dead as sd
from . import steps_practice as sp
from . import steps_signal as ss
from .base import Result, pct, ratio, signed
from .seeds import diverged_text

Option = tuple[str, dict[str, Any]]
#: the "text key" of an answer that is an activation (its label, no table text)
ACT = "act"

#: Prediction text in ``lang``: ``tp(key, lang, **fmt)``
tp = partial(lookup, TEXT)


@dataclass(frozen=True)
class Question:
    step: str
    options: tuple[Option, ...]
    answer: Callable[[Result], tuple[int, ...]]
    measured: Callable[[Result], Option]
    #: format values of the question text (the step's constants: a learning rate, a depth)
    fmt: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 2 <= len(self.options) <= 5:
            raise ValueError(f"Question {self.step}: 2-5 answers, not {len(self.options)}")


# ---------------------------------------------------------------------------- ranges
def bucket(v: float, edges: Sequence[float]) -> int | None:
    """The range of ``v`` among ``len(edges) + 1`` ranges split at ``edges`` (ascending): range
    i is ``edges[i-1] <= v < edges[i]``; None for NaN (an infinite value is in an end range)."""
    if v is None or math.isnan(v):
        return None
    return sum(1 for e in edges if v >= e)


def range_options(edges: Sequence[float], fmt: Callable[[float], str], unit: str
                  ) -> tuple[Option, ...]:
    """The options of :func:`bucket`'s ranges: "below 10 %", "10 % to 40 %", "70 % or more"
    (``unit`` "share" or "times": the text keys ``p.<unit>.lt / .range / .ge``)."""
    out: list[Option] = [(f"p.{unit}.lt", {"hi": fmt(edges[0])})]
    out += [(f"p.{unit}.range", {"lo": fmt(lo), "hi": fmt(hi)})
            for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    out.append((f"p.{unit}.ge", {"lo": fmt(edges[-1])}))
    return tuple(out)


def _times(v: float) -> str:
    return f"{v:g}×"


def _one(i: int | None) -> tuple[int, ...]:
    return () if i is None else (i,)


def _argmin(values: Sequence[float]) -> tuple[int, ...]:
    """Every index of the smallest finite value (several on an exact tie); none if none is finite."""
    ok = [v for v in values if math.isfinite(v)]
    if not ok:
        return ()
    lo = min(ok)
    return tuple(i for i, v in enumerate(values) if v == lo)


def _act(name: str) -> Option:
    """An activation as an answer: shown by its label in the reader's language."""
    return (ACT, {"name": name})


# ---------------------------------------------------------------------------- 1 sigmoid
SIGMOID_SLOPES = (1.0, 0.5, 0.25, 0.1)


def _sigmoid_answer(r: Result) -> tuple[int, ...]:
    """The slope option nearest to σ′'s measured peak (by ratio)."""
    d = [abs(math.log(r["peak"] / v)) for v in SIGMOID_SLOPES]
    return _argmin(d)


# ---------------------------------------------------------------------------- 2 saturation
#: how many times smaller the first hidden layer's gradient is than the output layer's
SAT_EDGES = (1.0, 10.0, 1000.0)


def sat_factor(r: Result) -> float:
    """Step 2: output layer's gradient norm / sigmoid's first hidden layer's, at the start."""
    q = r["ratio"]["sigmoid"]
    return 1.0 / q if q > 0 else math.inf


# ---------------------------------------------------------------------------- 3 zig-zag
def _zig_answer(r: Result) -> tuple[int, ...]:
    """0: all-positive inputs reached w* in fewer steps, 1: zero-centred did, 2: a tie or
    neither within the budget (a run that never reached it took more than one that did)."""
    p, c = (math.inf if v is None else v for v in (r["steps"]["positive"], r["steps"]["centred"]))
    if p == c:
        return (2,)
    return (0,) if p < c else (1,)


def _zig_measured(r: Result) -> Option:
    n = r["steps"]
    return ("p.m.zigzag", {"pos": _steps(n["positive"]),
                           "cen": _steps(n["centred"]), "budget": zz.DEFAULT_STEPS})


def _steps(n: int | None) -> str:
    return str(n) if n is not None else "—"


# ---------------------------------------------------------------------------- 4 cost
def _cost_answer(r: Result) -> tuple[int, ...]:
    return _argmin([r["ns"][a] for a in ss.COST_ACTS])


def _cost_measured(r: Result) -> Option:
    return ("p.m.cost", {"sig": f"{r['ns']['sigmoid']:.2f}", "tanh": f"{r['ns']['tanh']:.2f}",
                         "relu": f"{r['ns']['relu']:.2f}"})


# ---------------------------------------------------------------------------- 5 tanh
SHARE_EDGES_TANH = (0.1, 0.5, 0.9)


# ---------------------------------------------------------------------------- 6 ReLU is faster
def _fast_answer(r: Result) -> tuple[int, ...]:
    """The activation(s) that reached the target in the fewest epochs; the last option if none
    reached it within the budget."""
    got = _argmin([r["epochs"][a] for a in ss.FAST_ACTS])
    return got or (len(ss.FAST_ACTS),)


def _fast_measured(r: Result) -> Option:
    e = r["epochs"]
    return ("p.m.fast", {k: _epochs(e[a])
                         for k, a in (("sig", "sigmoid"), ("tanh", "tanh"), ("relu", "relu"))}
            | {"budget": r["budget"]})


def _epochs(e: float) -> str:
    return f"{e:.0f}" if math.isfinite(e) else "—"


# ---------------------------------------------------------------------------- 7 dead
SHARE_EDGES_DEAD = (0.1, 0.4, 0.7)


def dead_share(r: Result) -> tuple[int, int]:
    """Step 7: dead units at the end of the large-rate run and its hidden units (the unit map's
    last column)."""
    m = sd.map_counts(r["states"])
    return m["dead_last"], m["units"]


def _dead_measured(r: Result) -> Option:
    dead, units = dead_share(r)
    return ("p.m.dead", {"share": pct(dead / max(1, units)), "dead": dead, "units": units})


# ---------------------------------------------------------------------------- 8 zero init
def _zero_answer(r: Result) -> tuple[int, ...]:
    """0: the weights learn (some weight gradient is not 0), 1: they stay exactly 0."""
    return (1,) if r["zero_min"][0] == 1.0 else (0,)


def _zero_measured(r: Result) -> Option:
    return ("p.m.zero", {"zero": pct(r["zero_min"][0], 1), "snaps": r["snapshots"][0]})


# ---------------------------------------------------------------------------- 9 large rate
#: a change of the worst layer's dead share within ± this counts as "about the same"
LR_SAME = 0.2


def _lr_answer(r: Result) -> tuple[int, ...]:
    small, big = sd.lr_peaks(r)
    d = big["peak"] - small["peak"]
    return (1,) if d > LR_SAME else ((2,) if d < -LR_SAME else (0,))


def _lr_measured(r: Result) -> Option:
    small, big = sd.lr_peaks(r)
    return ("p.m.lr", {"big": pct(big["peak"]), "small": pct(small["peak"]),
                       "big_lr": f"{sd.LARGE_LR:g}", "small_lr": f"{sd.SMALL_LR:g}"})


# ---------------------------------------------------------------------------- 10 revival
def _revive_measured(r: Result) -> Option:
    return ("p.m.revive", {"n": r["maps"]})


# ---------------------------------------------------------------------------- 11 Leaky
LEAKY_EDGE = 0.1


def _leaky_answer(r: Result) -> tuple[int, ...]:
    """Leaky ReLU's highest dead share: 0 none, 1 some but below LEAKY_EDGE, 2 LEAKY_EDGE or more."""
    v = r["rows"][1]["dead_peak"]
    return (0,) if v == 0 else ((1,) if v < LEAKY_EDGE else (2,))


def _leaky_measured(r: Result) -> Option:
    relu, leaky = r["rows"]
    return ("p.m.leaky", {"leaky": pct(leaky["dead_peak"]), "relu": pct(relu["dead_peak"])})


# ---------------------------------------------------------------------------- 12 Maxout
def _maxout_answer(r: Result) -> tuple[int, ...]:
    """Which loses units (a hidden layer's dead share above 0 at some snapshot): 0 ReLU only,
    1 Maxout only, 2 both, 3 neither."""
    pr, pm = (p["peak"] > 0 for p in sd.maxout_peaks(r))
    return ((2,) if pm else (0,)) if pr else ((1,) if pm else (3,))


def _maxout_measured(r: Result) -> Option:
    pr, pm = sd.maxout_peaks(r)
    return ("p.m.maxout", {"relu": pct(pr["peak"]), "max": pct(pm["peak"])})


# ---------------------------------------------------------------------------- 13 practice
def _practice_answer(r: Result) -> tuple[int, ...]:
    """The activation(s) with the highest final training loss (a NaN loss is a diverged run:
    no answer then, see :func:`right`)."""
    return _argmin([-r["loss"][a] for a in sp.PRACTICE_ACTS])


def _practice_measured(r: Result) -> Option:
    loss = r["loss"]
    worst = max(sp.PRACTICE_ACTS, key=loss.__getitem__)
    best = min(sp.PRACTICE_ACTS, key=loss.__getitem__)
    return ("p.m.practice", {"name": worst, "loss": f"{loss[worst]:.3f}", "best": best,
                             "best_loss": f"{loss[best]:.3f}"})


# ---------------------------------------------------------------------------- 14 variants
def _variants_answer(r: Result) -> tuple[int, ...]:
    """0: where a variant saturates, only on the negative side; 1: some also on the positive
    side; 2: none saturates (share of N(0, sd²) inputs on a flat tail, ``tail_shares``)."""
    tails = r["tails"]
    if any(tails[n][1] > 0 for n in r["names"]):
        return (1,)
    return (0,) if sp.one_sided(r) else (2,)


def _variants_measured(r: Result) -> Option:
    neg = sp.one_sided(r)
    return ("p.m.variants", {"m": len(neg), "n": len(r["names"]),
                             "pos": sum(r["tails"][n][1] > 0 for n in r["names"])})


# ---------------------------------------------------------------------------- the questions
def _range_q(step: str, value: Callable[[Result], float], edges: Sequence[float],
             fmt: Callable[[float], str], unit: str, measured: Callable[[Result], Option],
             **qfmt: Any) -> Question:
    return Question(step, range_options(edges, fmt, unit),
                    lambda r: _one(bucket(value(r), edges)), measured, qfmt)


def _keys(step: str, n: int) -> tuple[Option, ...]:
    return tuple((f"p.{step}.o{i}", {}) for i in range(n))


QUESTIONS: dict[str, Question] = {q.step: q for q in (
    Question("sigmoid", tuple(("p.value", {"v": f"{v:g}"}) for v in SIGMOID_SLOPES),
             _sigmoid_answer, lambda r: ("p.m.sigmoid", {"peak": f"{r['peak']:.4f}"})),
    _range_q("saturation", sat_factor, SAT_EDGES, _times, "times",
             lambda r: ("p.m.saturation", {"times": ratio(1.0, r["ratio"]["sigmoid"])}),
             depth=ss.DEPTH),
    Question("zigzag", _keys("zigzag", 3), _zig_answer, _zig_measured,
             {"budget": zz.DEFAULT_STEPS}),
    Question("cost", tuple(_act(a) for a in ss.COST_ACTS), _cost_answer, _cost_measured),
    _range_q("tanh", lambda r: r["net"]["tanh_deep"] / 100.0, SHARE_EDGES_TANH, pct, "share",
             lambda r: ("p.m.tanh", {"tanh": f"{r['net']['tanh_deep']:.0f} %",
                                     "sig": f"{r['net']['sigmoid_deep']:.0f} %"})),
    Question("relu_fast", (*(_act(a) for a in ss.FAST_ACTS), ("p.relu_fast.none", {})),
             _fast_answer, _fast_measured,
             {"target": pct(ss.FAST_TARGET), "budget": ss.FAST_BASE.epochs}),
    _range_q("dead", lambda r: dead_share(r)[0] / max(1, dead_share(r)[1]), SHARE_EDGES_DEAD,
             pct, "share", _dead_measured, lr=f"{sd.LARGE_LR:g}",
             units=sum(sd.DEAD_BASE.hidden), epochs=sd.DEAD_BASE.epochs),
    Question("zero_init", _keys("zero_init", 2), _zero_answer, _zero_measured),
    Question("large_lr", _keys("large_lr", 3), _lr_answer, _lr_measured,
             {"big": f"{sd.LARGE_LR:g}", "small": f"{sd.SMALL_LR:g}", "pts": pct(LR_SAME)}),
    Question("revival", _keys("revival", 2), lambda r: (1,) if r["maps"] > 0 else (0,),
             _revive_measured, {"lr": f"{sd.REVIVE_LR:g}"}),
    Question("leaky", (("p.leaky.o0", {}), ("p.leaky.o1", {"hi": pct(LEAKY_EDGE)}),
                       ("p.share.ge", {"lo": pct(LEAKY_EDGE)})),
             _leaky_answer, _leaky_measured, {"lr": f"{sd.REVIVE_LR:g}"}),
    Question("maxout", _keys("maxout", 4), _maxout_answer, _maxout_measured,
             {"bias": signed(sd.MAXOUT_BIAS)}),
    Question("practice", tuple(_act(a) for a in sp.PRACTICE_ACTS), _practice_answer,
             _practice_measured, {"epochs": sp.PRACTICE_BASE.epochs}),
    Question("variants", _keys("variants", 3), _variants_answer, _variants_measured),
)}


def question(step: str) -> Question:
    if step not in QUESTIONS:
        raise ValueError(f"question: no question for step {step!r}")
    return QUESTIONS[step]


def right(step: str, r: Result) -> tuple[int, ...]:
    """The options step ``step``'s run ``r`` shows (none if a run of it diverged)."""
    if r.get("diverged"):
        return ()
    return question(step).answer(r)


# ---------------------------------------------------------------------------- texts
#: format fields whose value is an activation's name (shown by its label in the reader's language)
ACT_FIELDS = ("name", "best")


def _fill(fmt: dict[str, Any], lang: str) -> dict[str, Any]:
    return {k: ACTIVATIONS[v].label_for(lang) if k in ACT_FIELDS else v for k, v in fmt.items()}


def question_text(step: str, lang: str = "en") -> str:
    q = question(step)
    return tp(f"p.{step}.q", lang, **q.fmt)


def option_labels(step: str, lang: str = "en") -> list[str]:
    q = question(step)
    return [_fill(fmt, lang)["name"] if k == ACT else tp(k, lang, **q.fmt, **_fill(fmt, lang))
            for k, fmt in q.options]


def measured_text(step: str, r: Result, lang: str = "en") -> str:
    """What the run shows, as one line (a diverged run: that, and nothing else)."""
    if r.get("diverged"):
        return diverged_text(r, lang)
    key, fmt = question(step).measured(r)
    return tp(key, lang, **_fill(fmt, lang))


def reveal_text(step: str, r: Result, guess: int | None, lang: str = "en") -> str:
    """The reveal: the guess beside the measurement ("You said 10 % to 40 %. The run: 53 % dead
    (17 of 32). Right." / "... The run shows: 40 % to 70 %.")."""
    labels = option_labels(step, lang)
    ok = right(step, r)
    parts = []
    if guess is not None and 0 <= guess < len(labels):
        parts.append(tp("p.you_said", lang, guess=labels[guess]))
    parts.append(tp("p.the_run", lang, measured=measured_text(step, r, lang)))
    if not ok:
        parts.append(tp("p.no_answer", lang))
    elif guess in ok:
        parts.append(tp("p.right", lang))
    else:
        parts.append(tp("p.wrong" if guess is not None else "p.answer", lang,
                        answer=tp("p.or", lang).join(labels[i] for i in ok)))
    return " ".join(parts)
