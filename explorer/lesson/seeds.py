"""A step's verdict over several seeds: "holds on k of 5 seeds" (the statuses, the seeds
counted and the tally are :mod:`explorer.verdicts`', shared with the presets).

Plain Python, no Streamlit: :func:`tally` takes the trainer (``explorer.app.runs.records`` on
the page: every seed's runs are cached like the shown one's) or a ready ``status_of(seed)``
(the page's cache of per-seed statuses).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..config import run_label
from ..verdicts import DIVERGED, FAILS, HOLDS, Tally, verdict_seeds
from .base import Result, Step, Trainer, t

__all__ = ["DIVERGED", "FAILS", "HOLDS", "Tally", "diverged_text", "status", "tally",
           "tally_text", "verdict_seeds"]


def status(s: Step, r: Result) -> str:
    """One seed's status: ``diverged`` if any run of ``r`` diverged, else ``holds`` /
    ``fails`` by the step's predicate."""
    if r.get("diverged"):
        return DIVERGED
    return HOLDS if s.holds(r) else FAILS


def tally(s: Step, seed: int, train_many: Trainer | None = None,
          status_of: Callable[[int], str] | None = None,
          seeds: Sequence[int] | None = None,
          changes: Mapping[str, Any] | None = None) -> Tally:
    """Step ``s``'s status on ``seeds`` (default :func:`verdict_seeds` of ``seed``), each from
    ``status_of(seed)`` or from running the step with ``train_many`` (and config ``changes``).
    A step whose numbers do not depend on the seed (``s.seeded`` False) is computed once."""
    if seeds is None:
        seeds = verdict_seeds(seed)
    seeds = tuple(int(x) for x in seeds)
    if seed not in seeds:
        seeds = (seed, *seeds[:-1]) if seeds else (seed,)
    if status_of is None:
        def status_of(x: int) -> str:
            return status(s, s.run(x, train_many, changes))
    if not s.seeded:
        one = status_of(seed)
        return Tally((seed,), (one,), seed, seeded=False)
    return Tally(seeds, tuple(status_of(x) for x in seeds), seed)


def _seed_list(seeds: Sequence[int]) -> str:
    """0, 1, 2, 3, 4 -> "0–4"; other lists comma-separated."""
    seeds = list(seeds)
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]}–{seeds[-1]}"
    return ", ".join(str(x) for x in seeds)


def tally_text(tl: Tally, lang: str = "en") -> str:
    """The tally as text: "Holds on k of 5 seeds (0–4; this run is seed 2)." plus the seeds
    where it diverged or does not show (one line in ``lang``)."""
    if not tl.seeded:
        return t("tally_unseeded", lang)
    parts = [t("tally", lang, k=tl.k, n=tl.n, seeds=_seed_list(tl.seeds), seed=tl.shown)]
    if tl.where(FAILS):
        parts.append(t("tally_fails", lang, seeds=", ".join(map(str, tl.where(FAILS)))))
    if tl.where(DIVERGED):
        parts.append(t("tally_diverged", lang, seeds=", ".join(map(str, tl.where(DIVERGED)))))
    return " ".join(parts)


def diverged_text(r: Result, lang: str = "en") -> str:
    """What the page says instead of the verdict when a run of ``r`` diverged ("" if none)."""
    runs = r.get("diverged") or []
    if not runs:
        return ""
    return t("v.diverged", lang, runs="; ".join(
        t("v.diverged_run", lang, run=run_label(label, lang), epoch=epoch)
        for label, epoch in runs))
