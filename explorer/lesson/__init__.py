"""The guided lesson: one step per claim of the CS231n lesson (``CLAIMS.md``), as data.

Each :class:`Step` knows

* the configs it trains (``configs(seed)``; none for the steps that only evaluate functions
  or time them), small enough to train in a second or two (``work(seed)`` counts it with
  :meth:`TrainConfig.work`, bounded by :data:`STEP_WORK`),
* how to turn the trained records into its numbers (``run(seed, train_many)`` -> a plain dict),
* the one chart that makes the point (``chart(result, lang, width, height)``),
* its one-line verdict as ``(text key, format values)`` pairs, every number taken from the run
  (``verdict(result)``), and the predicate the verdict states (``holds(result)``; the tests
  check it on seeds 0-4),
* where to open the same setting in the lab pages (``link(seed)`` -> page, query).

Plain Python, no Streamlit: the page passes ``ui.cached_train_many`` as ``train_many`` so that
runs are cached; tests pass :func:`explorer.train_many`.

Layout: :mod:`.base` (the :class:`Step` type, constants, formatting, the text lookup ``t``),
the steps by topic (:mod:`.steps_signal` 1-6, :mod:`.steps_dead` 7-12,
:mod:`.steps_practice` 13-14), and here the tour (:data:`STEPS`, :func:`step`,
:func:`verdict_text`), re-exporting the public names of the other modules.
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import run_label
from ..labs import gallery as gl
from ..labs import zigzag as zz
from .base import (
    FLAT,
    LESSON_ACTS,
    RELU_FAMILY,
    SEEDS,
    STEP_WORK,
    Result,
    Step,
    Trainer,
    Verdict,
    _none,
    flat_edge,
    num,
    pct,
    query_for,
    ratio,
    signed,
    t,
    translator,
)
from .steps_dead import (
    BASELINE,
    DEAD_BASE,
    LARGE_LR,
    MAXOUT_BIAS,
    REVIVE_LR,
    SMALL_LR,
    _dead_chart,
    _dead_compute,
    _dead_holds,
    _dead_link,
    _dead_verdict,
    _leaky_chart,
    _leaky_holds,
    _leaky_verdict,
    _lr_chart,
    _lr_holds,
    _lr_pair,
    _lr_verdict,
    _maxout_chart,
    _maxout_configs,
    _maxout_holds,
    _maxout_verdict,
    _revive_chart,
    _revive_compute,
    _revive_configs,
    _revive_holds,
    _revive_verdict,
    _zero_chart,
    _zero_compute,
    _zero_configs,
    _zero_holds,
    _zero_verdict,
)
from .steps_practice import (
    PRACTICE_ACTS,
    PRACTICE_BASE,
    VARIANT_SD,
    _practice_chart,
    _practice_compute,
    _practice_configs,
    _practice_holds,
    _practice_link,
    _practice_verdict,
    _variants_chart,
    _variants_compute,
    _variants_holds,
    _variants_link,
    _variants_verdict,
    variant_names,
)
from .steps_signal import (
    COST_ACTS,
    DEPTH,
    FAST_ACTS,
    FAST_BASE,
    FAST_TARGET,
    SAT_ACTS,
    SAT_BASE,
    SIGMOID_FONT,
    SIGMOID_TICKS,
    TANH_BASE,
    WIDTH,
    ZMAX,
    _acc_chart,
    _cost_chart,
    _cost_compute,
    _cost_holds,
    _cost_link,
    _cost_verdict,
    _fast_compute,
    _fast_configs,
    _fast_holds,
    _fast_link,
    _fast_verdict,
    _sat_chart,
    _sat_compute,
    _sat_configs,
    _sat_holds,
    _sat_link,
    _sat_verdict,
    _sigmoid_chart,
    _sigmoid_compute,
    _sigmoid_holds,
    _sigmoid_verdict,
    _tanh_chart,
    _tanh_compute,
    _tanh_configs,
    _tanh_holds,
    _tanh_link,
    _tanh_verdict,
    _zig_chart,
    _zig_compute,
    _zig_holds,
    _zig_link,
    _zig_verdict,
    sigmoid_chart,
)


# ---------------------------------------------------------------------------- the tour
def _fixed(page: str, query: dict[str, str]) -> Callable[[int], tuple[str, dict[str, str]]]:
    return lambda seed: (page, dict(query))


STEPS: tuple[Step, ...] = (
    Step("sigmoid", (1,), _none, _sigmoid_compute, _sigmoid_chart, _sigmoid_verdict,
         _sigmoid_holds, _fixed("gallery", {"acts": "sigmoid"}), extra_work=4e4),
    Step("saturation", (2,), _sat_configs, _sat_compute, _sat_chart, _sat_verdict, _sat_holds,
         _sat_link),
    Step("zigzag", (3,), _none, _zig_compute, _zig_chart, _zig_verdict, _zig_holds, _zig_link,
         extra_work=2 * zz.DEFAULT_STEPS + 2 * 60 * 60 * zz.N_SAMPLES),
    Step("cost", (4,), _none, _cost_compute, _cost_chart, _cost_verdict, _cost_holds,
         _cost_link, extra_work=4 * gl.COST_N * gl.COST_NUMBER * gl.COST_REPEATS),
    Step("tanh", (5,), _tanh_configs, _tanh_compute, _tanh_chart, _tanh_verdict, _tanh_holds,
         _tanh_link),
    Step("relu_fast", (6,), _fast_configs, _fast_compute, _acc_chart, _fast_verdict,
         _fast_holds, _fast_link),
    Step("dead", (7,), _lr_pair, _dead_compute, _dead_chart, _dead_verdict, _dead_holds,
         _dead_link(LARGE_LR)),
    Step("zero_init", (8,), _zero_configs, _zero_compute, _zero_chart, _zero_verdict,
         _zero_holds, _dead_link(SMALL_LR, init="zeros", n_checkpoints=16)),
    Step("large_lr", (9,), _lr_pair, _dead_compute, _lr_chart, _lr_verdict, _lr_holds,
         _dead_link(LARGE_LR)),
    Step("revival", (10,), _revive_configs, _revive_compute, _revive_chart, _revive_verdict,
         _revive_holds, _dead_link(REVIVE_LR)),
    Step("leaky", (11,), _revive_configs, _revive_compute, _leaky_chart, _leaky_verdict,
         _leaky_holds, _dead_link(REVIVE_LR, ("relu", "leaky_relu"))),
    Step("maxout", (12,), _maxout_configs, _zero_compute, _maxout_chart, _maxout_verdict,
         _maxout_holds, _dead_link(SMALL_LR, ("relu", "maxout"), bias_init=MAXOUT_BIAS,
                                   n_checkpoints=16)),
    Step("practice", (13,), _practice_configs, _practice_compute, _practice_chart,
         _practice_verdict, _practice_holds, _practice_link),
    Step("variants", (14,), _none, _variants_compute, _variants_chart, _variants_verdict,
         _variants_holds, _variants_link, extra_work=1e6),
)
N_STEPS = len(STEPS)


def step(n: int) -> Step:
    """Step ``n`` (1-based)."""
    if not 1 <= n <= N_STEPS:
        raise ValueError(f"step: {n} is not in 1–{N_STEPS}")
    return STEPS[n - 1]


def claims_covered() -> list[int]:
    return sorted({c for s in STEPS for c in s.claims})


def verdict_text(s: Step, r: Result, lang: str = "en") -> str:
    """The step's verdict as one line of text in ``lang`` (run names, which the cached result
    holds in English, shown in ``lang``)."""
    return " ".join(t(k, lang, **{a: run_label(v, lang) if isinstance(v, str) else v
                                  for a, v in fmt.items()})
                    for k, fmt in s.verdict(r))


__all__ = [
    "BASELINE",
    "COST_ACTS",
    "DEAD_BASE",
    "DEPTH",
    "FAST_ACTS",
    "FAST_BASE",
    "FAST_TARGET",
    "FLAT",
    "LARGE_LR",
    "LESSON_ACTS",
    "MAXOUT_BIAS",
    "N_STEPS",
    "PRACTICE_ACTS",
    "PRACTICE_BASE",
    "RELU_FAMILY",
    "REVIVE_LR",
    "Result",
    "SAT_ACTS",
    "SAT_BASE",
    "SEEDS",
    "SIGMOID_FONT",
    "SIGMOID_TICKS",
    "SMALL_LR",
    "STEPS",
    "STEP_WORK",
    "Step",
    "TANH_BASE",
    "Trainer",
    "VARIANT_SD",
    "Verdict",
    "WIDTH",
    "ZMAX",
    "claims_covered",
    "flat_edge",
    "num",
    "pct",
    "query_for",
    "ratio",
    "sigmoid_chart",
    "signed",
    "step",
    "t",
    "translator",
    "variant_names",
    "verdict_text",
]
