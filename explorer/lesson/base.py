"""The lesson's common parts: the step type, its constants, text and number formatting."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import altair as alt

from ..activations import ACTIVATIONS
from ..config import FIELDS, TrainConfig, format_value
from ..labs import gallery as gl
from ..record import RunRecord
from ..texts import lookup
from ..texts.lesson import TEXT
from ..train import train_many as _train_many
from ..verdicts import VERDICT_SEEDS

Trainer = Callable[[Sequence[TrainConfig]], list[RunRecord]]
Result = dict[str, Any]
Verdict = list[tuple[str, dict[str, Any]]]

#: the most training work (``TrainConfig.work`` summed over a step's configs) one step may do
#: on one seed: about a second on a small shared 2-core machine
STEP_WORK = 6.0e7
#: the seeds every verdict is checked on (tests) and that the page offers
SEEDS = tuple(range(VERDICT_SEEDS))
#: the most training work of one step over its VERDICT_SEEDS seeds (each seed's runs are one
#: cached group of ``runs.records``; the page trains them once per server)
SEEDS_WORK = VERDICT_SEEDS * STEP_WORK
#: share of the derivative's peak below which an activation counts as flat (saturated)
FLAT = gl.FLAT_FRACTION
#: the ReLU family (claim 13)
RELU_FAMILY = ("relu", "leaky_relu", "elu")
#: the further variants (claim 14): every registered activation the lesson does not discuss
LESSON_ACTS = ("sigmoid", "tanh", "relu", "leaky_relu", "maxout")


#: Lesson text in ``lang``: ``t(key, lang, **fmt)``
t = partial(lookup, TEXT)


def translator(text: Mapping[str, Mapping[str, str]], lang: str) -> Callable[..., str]:
    """``t(key, **fmt)`` over another page's text table (the lab charts take one)."""
    return partial(lookup, text, lang=lang)


# ---------------------------------------------------------------------------- formatting
def pct(v: float, digits: int = 0) -> str:
    return "—" if v is None or not math.isfinite(v) else f"{100 * v:.{digits}f} %"


def num(v: float, digits: int = 3) -> str:
    return "—" if v is None or not math.isfinite(v) else f"{v:.{digits}f}"


def ratio(a: float, b: float) -> str:
    """a / b as "5.8×" (2 significant digits; "—" if undefined)."""
    if not (math.isfinite(a) and math.isfinite(b)) or b <= 0:
        return "—"
    r = a / b
    return f"{r:.2g}×" if r < 10 else f"{r:.0f}×"


def signed(v: float) -> str:
    """A number for text, with a real minus sign: -2 -> "−2"."""
    return f"{v:g}".replace("-", "−")


def query_for(cfg: TrainConfig, base: TrainConfig) -> dict[str, str]:
    """URL parameters that turn a page's ``base`` config into ``cfg`` (config fields only)."""
    return {n: format_value(f, getattr(cfg, n)) for n, f in FIELDS.items()
            if getattr(cfg, n) != getattr(base, n)}


def flat_edge(name: str, zmax: float = 20.0) -> float:
    """The smallest |z| from which |f'| stays below ``FLAT`` × its peak (sigmoid 4.4...)."""
    act = ACTIVATIONS[name]
    peak, _ = gl.derivative_peak(act)
    curve = gl.curves([name], None, zmax, n=40001)
    bands = gl.panel_bands(curve, peak, FLAT)
    edges = [min(abs(lo), abs(hi)) for lo, hi in bands if lo * hi > 0 or lo == hi]
    return float(min(edges)) if edges else math.inf


# ---------------------------------------------------------------------------- the step type
@dataclass(frozen=True)
class Step:
    name: str
    claims: tuple[int, ...]
    #: seed -> the configs to train together (empty for steps without training)
    configs: Callable[[int], list[TrainConfig]]
    #: (seed, records) -> the step's numbers (a plain dict; ``records`` as trained)
    compute: Callable[[int, list[RunRecord]], Result]
    chart: Callable[[Result, str, int, int], alt.TopLevelMixin]
    verdict: Callable[[Result], Verdict]
    holds: Callable[[Result], bool]
    #: seed -> (page file name, query parameters) of the lab page showing the same setting
    link: Callable[[int], tuple[str, dict[str, str]]]
    #: work that is not training (function evaluations, timed calls), counted in elements
    extra_work: float = 0.0
    tags: tuple[str, ...] = field(default=())
    #: False: the numbers do not depend on the seed (function evaluations, a timing), so the
    #: verdict is computed once, not counted over seeds
    seeded: bool = True

    @property
    def trains(self) -> bool:
        return bool(self.configs(0))

    def work(self, seed: int = 0) -> float:
        return float(sum(c.work() for c in self.configs(seed)))

    def run(self, seed: int = 0, train_many: Trainer | None = None,
            changes: Mapping[str, Any] | None = None) -> Result:
        """The step's numbers on ``seed``; ``changes`` (config fields, e.g. another data set)
        apply to every config. ``out["diverged"]`` lists ``(run label, epoch)`` of every run
        that diverged (:attr:`explorer.record.RunRecord.divergence`, the one definition: its
        numbers then state no claim)."""
        cfgs = [c.replace(**changes) if changes else c for c in self.configs(seed)]
        recs = list((train_many or _train_many)(cfgs)) if cfgs else []
        out = self.compute(seed, recs)
        out.setdefault("seed", seed)
        out.setdefault("diverged", [(r.label, r.divergence[0]) for r in recs
                                    if r.divergence])
        return out


def no_configs(seed: int) -> list[TrainConfig]:
    """The configs of a step that trains nothing: none."""
    return []
