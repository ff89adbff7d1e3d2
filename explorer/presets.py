"""Lecture presets: one click sets a page's controls to a configuration that shows one claim.

A preset is a name (its title and description are texts of ``explorer/texts/presets.py``), and the
config fields it changes relative to the page's base config. Every page may use them (e.g.
``explorer.app.sidebar.apply_preset(page, BASE, PRESETS["sigmoid_vanishes"].changes, SHOWN)`` as a button's
``on_click``). No preset states a measured number: the page words what the run it shows did
with :func:`facts` and :attr:`Preset.verdict_key` (a text of ``explorer/texts/playground.py``).
Each preset's *point* is a predicate on those facts (:attr:`Preset.point`). The page counts
it over :func:`verdict_seeds` (five seeds, the shown run's among them) and says "holds on k of
5 seeds" (:func:`tally`), so the lecture does not depend on one lucky seed or on a machine's
rounding (the learning-rate-3 runs are chaotic: reruns can part ways late). A diverged run
(``RunRecord.divergence``: NaN/inf, or a loss that ends blown up) never holds: its verdict
says it diverged (``verdict.diverged``) and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .config import TrainConfig
from .labs import dead as dead_lab
from .record import BLOWN_UP, BLOWUP, RunRecord
from .registry import Registry
from .texts import DEFAULT_LANG, lookup
from .texts.presets import TEXT
from .verdicts import DIVERGED, FAILS, HOLDS, Tally, verdict_seeds


def facts(rec: RunRecord) -> dict[str, Any]:
    """What a run did, for a preset's verdict and point (all read from the record).

    units (hidden), dead0 / dead_end / dead_peak (hidden units dead at the first snapshot,
    the last, the most at any snapshot) and peak_epoch; acc0 / acc_end (training accuracy)
    and loss_end / loss_min (training loss); ratio0 / ratio_end (first hidden layer's
    gradient norm ÷ the output layer's, at the first / last snapshot; nan if the output's
    is 0); norm_max (largest layer gradient norm at the last snapshot); diverged_at (the
    engine's NaN/inf epoch); diverged / div_epoch / div_cause (``RunRecord.divergence``: NaN,
    inf or a blown-up loss); revived / woke (dead → alive, asleep → awake, every epoch);
    asleep_peak / asleep_end / asleep_epoch (asleep hidden units, counts; ``explorer.record``);
    sleep_units / sleep_learning / sleep_epoch (asleep units at the asleep peak snapshot, and
    how many of them get a nonzero gradient: ``labs.dead.sleepers``); epochs_done; n_params;
    k (Maxout pieces)."""
    dead, eps = [], []
    for e in rec.checkpoints:
        st = rec.stats_at(e)
        dead.append(int(st.loc[st["layer"] <= rec.n_hidden, "dead_count"].sum()))
        eps.append(int(e))

    def ratio(epoch: int) -> float:
        st = rec.stats_at(epoch)
        out = float(st.loc[st["layer"] == rec.n_hidden + 1, "grad_norm"].iloc[0])
        first = float(st.loc[st["layer"] == 1, "grad_norm"].iloc[0])
        return first / out if out > 0 else math.nan

    h = rec.history
    st_end = rec.stats_at(eps[-1])
    uh = rec.unit_history
    per = (uh.groupby("epoch")[["asleep_count", "woke", "revived"]].sum() if len(uh)
           else pd.DataFrame({"asleep_count": [0], "woke": [0], "revived": [0]}, index=[0]))
    sl = dead_lab.sleepers(rec)
    div = rec.divergence
    i_peak = max(range(len(dead)), key=lambda i: (dead[i], -i))
    return {
        "units": int(sum(rec.config.hidden)), "dead0": dead[0], "dead_end": dead[-1],
        "dead_peak": dead[i_peak], "peak_epoch": eps[i_peak],
        "acc0": float(h["train_acc"].iloc[0]), "acc_end": float(h["train_acc"].iloc[-1]),
        "loss0": float(h["train_loss"].iloc[0]),
        "loss_end": float(h["train_loss"].iloc[-1]), "loss_min": float(h["train_loss"].min()),
        "ratio0": ratio(eps[0]), "ratio_end": ratio(eps[-1]),
        "norm_max": float(st_end["grad_norm"].max()),
        "diverged_at": rec.diverged_at, "epochs_done": rec.epochs_done,
        "diverged": div is not None, "div_epoch": div[0] if div else None,
        "div_cause": div[1] if div else None,
        "revived": int(per["revived"].iloc[-1]), "woke": int(per["woke"].iloc[-1]),
        "asleep_peak": int(per["asleep_count"].max()),
        "asleep_epoch": int(per["asleep_count"].idxmax()),
        "asleep_end": int(per["asleep_count"].iloc[-1]),
        "sleep_units": int(sl["asleep"]), "sleep_learning": int(sl["learning"]),
        "sleep_epoch": sl["epoch"],
        "n_params": int(rec.n_params), "k": int(rec.config.maxout_k),
        "slope": float(rec.config.leaky_slope),
    }


def _pct(v: float) -> str:
    return "—" if not math.isfinite(v) else f"{100 * v:.1f}%"


def _times(v: float) -> str:
    """A ratio far below 1 as "1/1400" (two significant digits), else "0.25"."""
    if not math.isfinite(v):
        return "—"
    if v == 0:
        return "0"
    if v < 0.1:
        return f"1/{float(f'{1 / v:.2g}'):g}"
    return f"{v:.2f}"


def verdict_args(rec: RunRecord) -> dict[str, Any]:
    """:func:`facts` formatted for the verdict texts (same keys, display strings)."""
    f = facts(rec)
    return {**f, "acc0": _pct(f["acc0"]), "acc_end": _pct(f["acc_end"]),
            "loss_end": f"{f['loss_end']:.3g}", "loss_min": f"{f['loss_min']:.3g}",
            "ratio0": _times(f["ratio0"]), "ratio_end": _times(f["ratio_end"]),
            "norm_max": f"{f['norm_max']:.3g}", "slope": f"{f['slope']:g}"}


@dataclass(frozen=True)
class Preset:
    name: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    claims: tuple[int, ...] = ()  # rows of /work/shared/seed/CLAIMS.md it demonstrates
    #: the preset's point as a predicate on :func:`facts` (must hold on seeds 0-4)
    point: Callable[[dict[str, Any]], bool] = field(default=lambda f: True, compare=False)
    #: the playground text that words the shown run (a function of the facts: it picks one of
    #: several keys where the outcome differs between seeds)
    verdict_key: Callable[[dict[str, Any]], str] = field(default=lambda f: "", compare=False)

    @property
    def label(self) -> str:
        return self.title()

    def title(self, lang: str = DEFAULT_LANG) -> str:
        """The preset's button label in ``lang`` (``explorer/texts/presets.py``)."""
        return lookup(TEXT, f"{self.name}.title", lang)

    def description(self, lang: str = DEFAULT_LANG) -> str:
        """What the preset shows, in ``lang``."""
        return lookup(TEXT, f"{self.name}.description", lang)

    def config(self, base: TrainConfig | None = None) -> TrainConfig:
        """The preset applied to ``base`` (default: the global defaults)."""
        return (base or TrainConfig()).replace(**dict(self.changes))

    def matches(self, cfg: TrainConfig, base: TrainConfig | None = None) -> bool:
        """Is ``cfg`` this preset applied to ``base``, on any seed (the verdict is counted over
        seeds, so another seed is the same preset)?"""
        want = self.config(base)
        return cfg.replace(seed=want.seed) == want

    def verdict(self, rec: RunRecord) -> tuple[str, dict[str, Any]]:
        """(text key, format arguments) describing what ``rec`` did, or ("", {}) if none; a
        diverged run gets ``verdict.diverged`` / ``verdict.blowup`` (its epoch), nothing else."""
        f = facts(rec)
        if f["diverged"]:
            key = "verdict.blowup" if f["div_cause"] == BLOWN_UP else "verdict.diverged"
            return key, {"epoch": f["div_epoch"], "factor": f"{BLOWUP:g}"}
        key = self.verdict_key(f)
        return key, (verdict_args(rec) if key else {})

    def holds(self, rec: RunRecord) -> bool:
        """Does the run show this preset's point? Never for a diverged run."""
        f = facts(rec)
        return not f["diverged"] and bool(self.point(f))

    def status(self, rec: RunRecord) -> str:
        """One seed's status: ``DIVERGED``, ``HOLDS`` or ``FAILS``."""
        if rec.divergence is not None:
            return DIVERGED
        return HOLDS if self.holds(rec) else FAILS

    def tally(self, shown: RunRecord, others: Sequence[RunRecord]) -> Tally:
        """The point over the shown run and ``others`` (the same config on the other
        :func:`verdict_seeds`), in seed order."""
        recs = sorted([shown, *others], key=lambda r: r.config.seed)
        return Tally(tuple(r.config.seed for r in recs), tuple(self.status(r) for r in recs),
                     shown.config.seed)


def seed_configs(cfg: TrainConfig) -> list[TrainConfig]:
    """``cfg`` on the other verdict seeds (the shown one left out: its run is the page's)."""
    return [cfg.replace(seed=s) for s in verdict_seeds(cfg.seed) if s != cfg.seed]


PRESETS: Registry[Preset] = Registry("preset")

# Point: first-layer gradient norm below 1/100 of the output layer's at epoch 0, and the net
# does not learn (training accuracy at most 60 % at the end).
PRESETS.register(Preset(
    "sigmoid_vanishes",
    {"activation": "sigmoid", "hidden": (16, 16, 16, 16, 16, 16)},
    claims=(1, 2),
    point=lambda f: f["ratio0"] < 0.01 and f["acc_end"] <= 0.6,
    verdict_key=lambda f: "verdict.sigmoid_vanishes",
))
# Point: every hidden unit dead from the first snapshot to the last, every layer's gradient
# norm exactly 0, training accuracy at most 60 %.
PRESETS.register(Preset(
    "zero_init_relu",
    {"init": "zeros"},
    claims=(8,),
    point=lambda f: (f["dead0"] == f["dead_end"] == f["units"] and f["norm_max"] == 0
                     and f["acc_end"] <= 0.6),
    verdict_key=lambda f: "verdict.zero_init_relu",
))
# Point: at most 1/8 of the hidden units dead at epoch 0, at least half of them at the end.
# Whether the survivors still fit the data differs between seeds (the verdict says which).
PRESETS.register(Preset(
    "large_lr_kills_relu",
    {"activation": "relu", "lr": 3.0},
    claims=(7, 9, 10),
    point=lambda f: f["dead0"] <= f["units"] / 8 and f["dead_end"] >= f["units"] / 2,
    verdict_key=lambda f: ("verdict.large_lr_stuck" if f["acc_end"] <= 0.6
                           else "verdict.large_lr_survive"),
))
# Point (a diverged run never holds): no dead unit at the end, every unit asleep at the asleep
# peak still gets a nonzero gradient (it learns through α), and the net trains (final training
# loss at most half its start). Learning rate 2.5, not 3: at 3 a Leaky ReLU net diverges more
# often, while at 2.5 ReLU still loses units (tests/test_presets_seeds.py).
PRESETS.register(Preset(
    "leaky_keeps_alive",
    {"activation": "leaky_relu", "leaky_slope": 0.01, "lr": 2.5},
    claims=(11,),
    point=lambda f: (f["dead_end"] == 0 and f["sleep_learning"] == f["sleep_units"]
                     and f["loss_end"] <= f["loss0"] / 2),
    verdict_key=lambda f: ("verdict.leaky_asleep" if f["sleep_units"] > 0
                           else "verdict.leaky_asleep_between" if f["asleep_peak"] > 0
                           else "verdict.leaky_keeps_alive"),
))
# Point: training accuracy at least 95 % at the end and no dead unit.
PRESETS.register(Preset(
    "maxout_spirals",
    {"dataset": "spiral", "activation": "maxout", "maxout_k": 2, "epochs": 300},
    claims=(12,),
    point=lambda f: f["acc_end"] >= 0.95 and f["dead_end"] == 0,
    verdict_key=lambda f: "verdict.maxout_spirals",
))


def matching_preset(cfg: TrainConfig, base: TrainConfig | None = None) -> Preset | None:
    """The preset whose configuration ``cfg`` is, on any seed (None if it is none of them)."""
    for p in PRESETS:
        if p.matches(cfg, base):
            return p
    return None
