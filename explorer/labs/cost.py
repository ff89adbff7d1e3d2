r"""Claim 4's measurement: what one activation costs per element, forward + derivative, on the
machine that serves the page -- a protocol whose ratios agree across server starts.

**What is timed** (:func:`cost_pass`, the same code for every activation): the registry's
numpy forward ``a = f(z)`` and its derivative ``f'(z)`` from ``(z, a)``. numpy's ``exp`` is
not much dearer than ``maximum`` per element (on a vectorised build); what makes sigmoid
dear is how many passes over the array its formula needs (|z|, −, exp, +1, 1/·, the
z < 0 branch, then a(1 − a)), each allocating a temporary array.

**Protocol** (:func:`measure_cost`):

* ``n`` = :data:`COST_N` standard-normal float64 values (one fixed seed; Maxout: ``n`` units
  of k pieces), processed in blocks of :data:`COST_BLOCK` values (32 KB): a block and its
  temporaries stay in the processor's cache and below the allocator's ``mmap`` threshold, so
  the time is the arithmetic and the number of passes, not fresh-page faults, which depend on
  the server's allocation history (the main reason one server start measured 2.6× and the
  next 6.9×); a block is still large enough that numpy's per-call overhead is a small part;
* timed with the **thread's CPU clock** (:data:`clock`), so other sessions' trainings on the
  same server do not count;
* :data:`COST_WARMUP` untimed round, then :data:`COST_ROUNDS` rounds; every round times every
  activation once (ReLU, the reference, always), **interleaved** (A B C, B C A, C A B, ...:
  the order rotates, so no activation always runs first or after the same one);
* the **statistic** (:data:`STATISTIC`): per round, each time over ReLU's time *in the same
  round* (a load burst or a frequency change hits both); ``relative`` is the **median** of
  those per-round ratios and ``rel_lo`` / ``rel_hi`` their quartiles (the spread the charts
  draw); ``ns_per_element`` is the median round's time per element.

``measured_at`` (UTC seconds) travels with the table; :func:`measured_when` words its age at
display time. :func:`cost_order` computes the order the captions state, ties included.
``scripts/cost_stability.py`` runs the protocol in fresh processes and prints the spread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..activations import ACTIVATIONS, Activation
from .gallery import REFERENCE, act_param, pieces_k

#: values per activation and round; block size (values) of one timed call
COST_N, COST_BLOCK = 1 << 15, 4096
#: untimed warm-up rounds, timed rounds (the median is kept)
COST_WARMUP, COST_ROUNDS = 1, 41
#: the statistic, stated once (the captions and tests read it)
STATISTIC = "median"
#: two activations whose median ratios differ by less than this factor are ranked as tied
#: (closer than two server starts reproduce; scripts/cost_stability.py measures that)
COST_TIE = 1.2
COLUMNS = ["name", "label", "ns_per_element", "relative", "rel_lo", "rel_hi", "uses_exp",
           "rounds", "measured_at"]
#: the clock the protocol reads (seconds of this thread's CPU time); tests inject a fake one
clock: Callable[[], float] = time.thread_time
#: the wall clock that stamps a measurement and words its age (tests inject a fake one)
wall: Callable[[], float] = time.time


def cost_pass(act: Activation, z: np.ndarray, p: object) -> np.ndarray:
    """The unit of work the lesson's cost claim is about, the same code for every activation:
    the registry's forward ``a = f(z)`` and derivative ``f'(z)`` from ``(z, a)`` (plain numpy
    expressions, as the training engine's slow path calls them)."""
    a = act.f(z, p)
    return act.df(z, a, p)


def cost_inputs(act: Activation, params: Mapping[str, float] | None, n: int,
                seed: int = 0) -> np.ndarray:
    """``n`` standard-normal values (Maxout: ``n`` rows of k pieces), one fixed seed."""
    rng = np.random.default_rng(seed)
    if act.pieces:
        return rng.standard_normal((n, pieces_k(act, params)))
    return rng.standard_normal(n)


def block_timer(act: Activation, params: Mapping[str, float] | None, n: int = COST_N,
                block: int = COST_BLOCK) -> Callable[[], float]:
    """A callable returning the seconds (:data:`clock`) one :func:`cost_pass` over the ``n``
    values takes, block by block."""
    z = cost_inputs(act, params, n)
    blocks = [z[i:i + block] for i in range(0, n, max(1, block))]
    p = act_param(act, params)

    def run() -> float:
        t0 = clock()
        for b in blocks:
            cost_pass(act, b, p)
        return clock() - t0

    return run


def round_order(names: Sequence[str], r: int) -> list[str]:
    """Round ``r``'s order: ``names`` rotated by ``r`` (A B C, B C A, C A B, ...)."""
    k = r % len(names) if names else 0
    return list(names[k:]) + list(names[:k])


def summarise(times: Mapping[str, Sequence[float]], n: int) -> dict[str, dict[str, float]]:
    """Per name: ``ns`` (the median round's time per element), ``relative`` (the median of
    the per-round ratios to :data:`REFERENCE`), ``lo`` / ``hi`` (their quartiles)."""
    ref = np.asarray(times[REFERENCE], dtype=np.float64)
    out = {}
    for name, ts in times.items():
        t = np.asarray(ts, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = t / ref
        lo, mid, hi = (float(v) for v in np.quantile(ratios, [0.25, 0.5, 0.75]))
        out[name] = {"ns": float(np.median(t)) / n * 1e9, "relative": mid, "lo": lo, "hi": hi}
    return out


def measure_cost(names: Iterable[str] | None = None, params: Mapping[str, float] | None = None,
                 n: int = COST_N, rounds: int = COST_ROUNDS, warmup: int = COST_WARMUP,
                 block: int = COST_BLOCK,
                 timer: Callable[..., Callable[[], float]] | None = None,
                 now: Callable[[], float] | None = None) -> pd.DataFrame:
    """The cost benchmark on this machine (the protocol in the module docstring): one row per
    name in :data:`COLUMNS` (ReLU = 1). ``timer(act, params, n, block)`` builds the timed
    callables (default :func:`block_timer`; tests inject fake ones); ``now`` (default
    :data:`wall`) stamps ``measured_at``."""
    names = list(names) if names is not None else ACTIVATIONS.names()
    timed = list(dict.fromkeys([REFERENCE, *names]))
    make = timer or block_timer
    timers = {name: make(ACTIVATIONS[name], params, n, block) for name in timed}
    rounds = max(1, int(rounds))
    for r in range(max(0, int(warmup))):
        for name in round_order(timed, r):
            timers[name]()
    times: dict[str, list[float]] = {name: [] for name in timed}
    for r in range(rounds):
        for name in round_order(timed, r):
            times[name].append(timers[name]())
    s = summarise(times, n)
    stamp = float((now or wall)())
    rows = [{"name": name, "label": ACTIVATIONS[name].label, "ns_per_element": s[name]["ns"],
             "relative": s[name]["relative"], "rel_lo": s[name]["lo"], "rel_hi": s[name]["hi"],
             "uses_exp": ACTIVATIONS[name].uses_exp, "rounds": rounds, "measured_at": stamp}
            for name in names]
    return pd.DataFrame(rows, columns=COLUMNS)


def work(n_acts: int, n: int = COST_N, rounds: int = COST_ROUNDS,
         warmup: int = COST_WARMUP) -> float:
    """Elements evaluated by one :func:`measure_cost` of ``n_acts`` activations (ReLU added)."""
    return float(n * (rounds + warmup) * (n_acts + 1))


# ---------------------------------------------------------------------------- wording
def cost_order(cost: pd.DataFrame, tie: float = COST_TIE) -> list[list[str]]:
    """The measured order, cheapest first, as groups of labels: neighbours (by ``relative``)
    whose ratios differ by less than the factor ``tie`` share a group (a chain: each member is
    within ``tie`` of the previous one)."""
    rows = cost.sort_values(["relative", "label"], kind="stable")
    groups: list[list[str]] = []
    last = None
    for label, rel in zip(rows["label"], rows["relative"], strict=True):
        rel = float(rel)
        if groups and last is not None and last > 0 and rel < last * tie:
            groups[-1].append(str(label))
        else:
            groups.append([str(label)])
        last = rel
    return groups


def order_text(groups: Sequence[Sequence[str]]) -> str:
    """``ReLU ≈ Leaky ReLU < tanh < Sigmoid`` (≈ within a group, < between groups)."""
    return " < ".join(" ≈ ".join(g) for g in groups)


def exp_split(cost: pd.DataFrame, tie: float = COST_TIE) -> dict[str, object]:
    """Is every exp-free activation cheaper than every exp-based one (by more than ``tie``)?
    ``holds`` and ``exceptions``: the exp-based labels that are not (cheapest first)."""
    exp = cost[cost["uses_exp"].astype(bool)]
    lin = cost[~cost["uses_exp"].astype(bool)]
    if not len(exp) or not len(lin):
        return {"holds": None, "exceptions": []}
    dearest_lin = float(lin["relative"].max())
    bad = exp[exp["relative"] < dearest_lin * tie].sort_values("relative")
    return {"holds": not len(bad), "exceptions": bad["label"].tolist(),
            "dearest_lin": str(lin.loc[lin["relative"].idxmax(), "label"])}


def measured_when(measured_at: float, now: float) -> tuple[str, dict[str, object]]:
    """(kind, values) wording when the table was measured: kind "now" (under a minute ago),
    "min" (``m`` minutes) or "hours" (``h`` h ``m`` min); ``time`` is the UTC clock time."""
    age = max(0.0, float(now) - float(measured_at))
    stamp = time.strftime("%H:%M", time.gmtime(float(measured_at)))
    minutes = int(age // 60)
    if minutes < 1:
        return "now", {"time": stamp}
    if minutes < 60:
        return "min", {"time": stamp, "m": minutes}
    return "hours", {"time": stamp, "h": minutes // 60, "m": minutes % 60}
