"""The guided lesson: one step per claim of the CS231n lesson (``CLAIMS.md``), as data.

Each :class:`Step` knows

* the configs it trains (``configs(seed)``; none for the steps that only evaluate functions
  or time them), small enough to train in a second or two (``work(seed)`` counts it with
  :meth:`TrainConfig.work`, bounded by :data:`STEP_WORK`),
* how to turn the trained records into its numbers (``run(seed, train_many)`` -> a plain dict),
* the one chart that makes the point (``chart(result, lang, width, height)``),
* its one-line verdict as ``(text key, format values)`` pairs, every number taken from the run
  (``verdict(result)``), and the predicate the verdict states (``holds(result)``), counted
  over seeds 0-4 by :func:`tally` ("holds on k of 5 seeds"; a run whose loss became NaN or
  infinite counts as diverged, never as holding),
* where to open the same setting in the lab pages (``link(seed)`` -> page, query).

Plain Python, no Streamlit: the page passes ``explorer.app.runs.records`` as ``train_many`` so that
runs are cached; tests pass :func:`explorer.train_many`.

Layout: :mod:`.base` (the :class:`Step` type, constants, formatting, the text lookup ``t``),
the steps by topic, each module building its own :class:`Step` objects (:mod:`.steps_signal`
1-6 as ``STEPS_SIGNAL``, :mod:`.steps_dead` 7-12 as ``STEPS_DEAD``, :mod:`.steps_practice`
13-14 as ``STEPS_PRACTICE``), the count over seeds (:mod:`.seeds`: "holds on k of 5 seeds",
a diverged run counted as diverged), and here the tour (:data:`STEPS`, their concatenation in order,
:func:`step`, :func:`verdict_text`), re-exporting the public names of the other modules.
"""

from __future__ import annotations

from ..config import run_label
from .base import (
    FLAT,
    LESSON_ACTS,
    RELU_FAMILY,
    SEEDS,
    SEEDS_WORK,
    STEP_WORK,
    VERDICT_SEEDS,
    Result,
    Step,
    Trainer,
    Verdict,
    flat_edge,
    no_configs,
    num,
    pct,
    query_for,
    ratio,
    signed,
    t,
    translator,
)
from .seeds import (
    DIVERGED,
    FAILS,
    HOLDS,
    Tally,
    diverged_text,
    status,
    tally,
    tally_text,
    verdict_seeds,
)
from .steps_dead import (
    BASELINE,
    DEAD_BASE,
    LARGE_LR,
    MAXOUT_BIAS,
    REVIVE_LR,
    SMALL_LR,
    STEPS_DEAD,
)
from .steps_practice import (
    PRACTICE_ACTS,
    PRACTICE_BASE,
    PRACTICE_INIT,
    STEPS_PRACTICE,
    VARIANT_SD,
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
    STEPS_SIGNAL,
    TANH_BASE,
    WIDTH,
    ZMAX,
    sigmoid_chart,
)

# ---------------------------------------------------------------------------- the tour
#: the tour: every topic module's steps, in order (1-14)
STEPS: tuple[Step, ...] = (*STEPS_SIGNAL, *STEPS_DEAD, *STEPS_PRACTICE)
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
    holds in English, shown in ``lang``); if a run diverged, that instead (a diverged run
    states no claim)."""
    if r.get("diverged"):
        return diverged_text(r, lang)
    return " ".join(t(k, lang, **{a: run_label(v, lang) if isinstance(v, str) else v
                                  for a, v in fmt.items()})
                    for k, fmt in s.verdict(r))


__all__ = [
    "BASELINE",
    "DIVERGED",
    "FAILS",
    "HOLDS",
    "SEEDS_WORK",
    "Tally",
    "VERDICT_SEEDS",
    "diverged_text",
    "status",
    "tally",
    "tally_text",
    "verdict_seeds",
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
    "PRACTICE_INIT",
    "RELU_FAMILY",
    "REVIVE_LR",
    "SAT_ACTS",
    "SAT_BASE",
    "SEEDS",
    "SIGMOID_FONT",
    "SIGMOID_TICKS",
    "SMALL_LR",
    "STEPS",
    "STEPS_DEAD",
    "STEPS_PRACTICE",
    "STEPS_SIGNAL",
    "STEP_WORK",
    "TANH_BASE",
    "VARIANT_SD",
    "WIDTH",
    "ZMAX",
    "Result",
    "Step",
    "Trainer",
    "Verdict",
    "claims_covered",
    "flat_edge",
    "no_configs",
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
