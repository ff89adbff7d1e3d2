"""Lesson steps 7-12: dead ReLUs (a large learning rate, zero initialisation, revival, Leaky
ReLU) and Maxout."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import pandas as pd

from ..charts import core
from ..charts import dead as dead_charts
from ..config import TrainConfig
from ..labs import dead as dl
from ..record import RunRecord
from .base import Result, Step, Verdict, num, pct, query_for, ratio, signed, t

# ---------------------------------------------------------------------------- 7-11 dead ReLUs
DEAD_BASE = dl.BASE.replace(epochs=30, n_checkpoints=31, grid_size=10)
SMALL_LR, LARGE_LR, REVIVE_LR = 0.1, 3.0, 2.0
#: the run of a pair drawn in the neutral colour (dead_lines colours by activation)
BASELINE = "_baseline"


def _lr_pair(seed: int) -> list[TrainConfig]:
    """ReLU at a small and at a large learning rate (steps 7 and 9 share this run)."""
    base = DEAD_BASE.replace(seed=seed, activation="relu")
    return [base.replace(lr=SMALL_LR), base.replace(lr=LARGE_LR)]


def _dead_numbers(recs: list[RunRecord]) -> Result:
    table = dl.summary(recs)
    return {"records": recs, "summary": table, "rows": table.to_dict("records")}


def _dead_compute(seed: int, recs: list[RunRecord]) -> Result:
    out = _dead_numbers(recs)
    big = recs[1]
    out["states"] = dl.unit_states(big)
    out["zero"] = dl.zero_grad_share(big)
    out["curve"] = _pair_curve(recs, [f"lr {SMALL_LR:g}", f"lr {LARGE_LR:g}"])
    return out


def map_counts(states: pd.DataFrame) -> dict[str, int]:
    """What the unit map draws: units dead in its last column, revived cells (green: dead at
    one snapshot, alive at the next) over the whole map."""
    last = states[states["epoch"] == states["epoch"].max()] if len(states) else states
    return {"dead_last": int(last["dead"].sum()), "units": int(len(last)),
            "revived": int((states["state"] == dl.REVIVED).sum())}


def layer_peak(curve: pd.DataFrame, label: str) -> dict[str, Any]:
    """The highest dead share any one hidden layer of run ``label`` reaches in ``curve``
    (:func:`explorer.labs.dead.dead_curve`, as :func:`explorer.charts.dead.dead_lines`
    draws it: layers 1..L, not the layer-0 total): share, layer, first epoch, dead and units."""
    d = curve[(curve["label"] == label) & (curve["layer"] > 0)]
    if not len(d):
        return {"peak": 0.0, "layer": 0, "epoch": 0, "dead": 0, "units": 0}
    i = d["dead_frac"].to_numpy(dtype=float).argmax()
    row = d.iloc[int(i)]
    return {"peak": float(row["dead_frac"]), "layer": int(row["layer"]),
            "epoch": int(row["epoch"]), "dead": int(row["dead_count"]),
            "units": int(row["units"])}


def _unit_map(rec: RunRecord, states: pd.DataFrame, lang: str, width: int, height: int,
              title: str) -> alt.TopLevelMixin:
    units = max(1, sum(rec.config.hidden))
    row = max(4, min(14, int((height - 40 * rec.n_hidden - 40) / units)))
    return dead_charts.unit_map(states, lang=lang, width=width - 90, row_height=row,
                                title=title)


def _dead_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    """The unit map; its title counts the green (revived) cells it draws, named for step 10."""
    n = map_counts(r["states"])["revived"]
    title = t("chart.unit_map", lang, lr=f"{LARGE_LR:g}")
    if n:
        title += t("chart.unit_map_revived", lang, n=n)
    return _unit_map(r["records"][1], r["states"], lang, width, height, title)


def _dead_verdict(r: Result) -> Verdict:
    row, m = r["rows"][1], map_counts(r["states"])
    return [("v.dead", {"lr": f"{LARGE_LR:g}", "dead": m["dead_last"], "units": m["units"],
                        "share": pct(m["dead_last"] / max(1, m["units"])),
                        "epochs": row["epochs"], "zero": pct(r["zero"])})]


def _dead_holds(r: Result) -> bool:
    return map_counts(r["states"])["dead_last"] > 0 and r["zero"] > 0


def _dead_link(lr: float, acts: Sequence[str] = ("relu",), **changes: Any
               ) -> Callable[[int], tuple[str, dict[str, str]]]:
    def link(seed: int) -> tuple[str, dict[str, str]]:
        cfg = DEAD_BASE.replace(seed=seed, lr=lr, **changes)
        return "dead_relu", {"acts": "-".join(acts), "map": acts[0], **query_for(cfg, dl.BASE)}
    return link


# 8 zero initialisation
def _zero_configs(seed: int) -> list[TrainConfig]:
    base = DEAD_BASE.replace(seed=seed, activation="relu", n_checkpoints=16)
    return [base.replace(init="zeros"), base.replace(init="he_normal")]


def _zero_compute(seed: int, recs: list[RunRecord]) -> Result:
    out = _dead_numbers(recs)
    out["frozen"] = [dl.is_frozen(row) for row in out["rows"]]
    return out


def _zero_init_compute(seed: int, recs: list[RunRecord]) -> Result:
    """Step 8: per run, the smallest share of exactly-zero weight gradients over all its
    snapshots (1.0: no weight ever got a gradient, so every weight stays 0 and every unit
    of a layer stays identical) — the verdict rests on that, not on the loss being constant
    (the output bias still learns the class balance, and a small last minibatch makes the
    loss wobble)."""
    out = _dead_numbers(recs)
    out["zero_min"] = [min(dl.zero_grad_share(r, e) for e in r.checkpoints) for r in recs]
    out["snapshots"] = [len(r.checkpoints) for r in recs]
    return out


def _zero_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    labels = [t("label.zeros", lang), t("label.he", lang)]
    return core.loss_chart(r["records"], width=width - 60, height=height - 40, labels=labels,
                           title=t("chart.zero", lang), lang=lang)


def _zero_verdict(r: Result) -> Verdict:
    z, h = r["rows"]
    return [("v.zero", {"start": num(z["loss_start"], 4), "lo": num(z["loss_min"], 4),
                        "hi": num(z["loss_max"], 4), "ln2": num(math.log(2), 4),
                        "zero": pct(r["zero_min"][0], 1), "snaps": r["snapshots"][0],
                        "epochs": z["epochs"],
                        "he_start": num(h["loss_start"], 2), "he_end": num(h["train_loss"], 2)})]


def _zero_holds(r: Result) -> bool:
    """Zero init: every weight gradient exactly 0 at every snapshot (the weights never move,
    the units stay identical); He init: not so, and its loss falls by more than 0.1."""
    z, h = r["rows"]
    return (r["zero_min"][0] == 1.0 > r["zero_min"][1] and z["diverged_at"] is None
            and h["train_loss"] < h["loss_start"] - 0.1)


# 9 large learning rate
def _pair_curve(recs: Sequence[RunRecord], labels: Sequence[str], neutral: int = 0
                ) -> pd.DataFrame:
    """dead_curve of runs of one activation, relabelled; run ``neutral`` gets the neutral
    colour (dead_lines colours by activation)."""
    frames = []
    for i, (rec, lab) in enumerate(zip(recs, labels, strict=True)):
        d = dl.dead_curve([rec])
        d["label"] = lab
        if i == neutral:
            d["act"] = BASELINE
        frames.append(d)
    return pd.concat(frames, ignore_index=True)


def _lr_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    labels = [t("label.lr", lang, lr=f"{SMALL_LR:g}"), t("label.lr", lang, lr=f"{LARGE_LR:g}")]
    curve = r["curve"].assign(label=r["curve"]["label"].map(
        dict(zip([f"lr {SMALL_LR:g}", f"lr {LARGE_LR:g}"], labels, strict=True))))
    return dead_charts.dead_lines(curve, lang=lang, width=width - 80, height=height - 60,
                                  title=t("chart.dead_lr", lang))


def lr_peaks(r: Result) -> tuple[dict[str, Any], dict[str, Any]]:
    """Step 9: the highest per-layer dead share of the small- and the large-rate run, read
    from the data its chart draws."""
    return (layer_peak(r["curve"], f"lr {SMALL_LR:g}"),
            layer_peak(r["curve"], f"lr {LARGE_LR:g}"))


def _lr_verdict(r: Result) -> Verdict:
    small, big = lr_peaks(r)
    return [("v.lr", {"big": f"{LARGE_LR:g}", "small": f"{SMALL_LR:g}",
                      "peak": pct(big["peak"]), "layer": big["layer"], "epoch": big["epoch"],
                      "dead": big["dead"], "units": big["units"],
                      "small_peak": pct(small["peak"])})]


def _lr_holds(r: Result) -> bool:
    small, big = lr_peaks(r)
    return big["peak"] > small["peak"] + 0.2


# 10 revival, 11 Leaky ReLU (one run: ReLU and Leaky ReLU at learning rate 2)
def _revive_configs(seed: int) -> list[TrainConfig]:
    base = DEAD_BASE.replace(seed=seed, lr=REVIVE_LR)
    return [base.replace(activation="relu"), base.replace(activation="leaky_relu")]


def _revive_compute(seed: int, recs: list[RunRecord]) -> Result:
    out = _dead_numbers(recs)
    out["states"] = dl.unit_states(recs[0])
    out["maps"] = sum(dl.revivals_from_maps(recs[0]).values())
    out["stats"] = sum(dl.revivals_from_stats(recs[0]).values())
    return out


def _revive_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return _unit_map(r["records"][0], r["states"], lang, width, height,
                     t("chart.unit_map", lang, lr=f"{REVIVE_LR:g}"))


def _revive_verdict(r: Result) -> Verdict:
    row = r["rows"][0]
    return [("v.revive", {"lr": f"{REVIVE_LR:g}", "revived": r["maps"],
                          "peak": pct(row["dead_peak"]), "end": pct(row["dead_end"]),
                          "epoch": row["peak_epoch"]})]


def _revive_holds(r: Result) -> bool:
    return r["maps"] > 0 and r["maps"] == r["stats"]


def _leaky_compute(seed: int, recs: list[RunRecord]) -> Result:
    """Step 10's numbers, and the whole-network dead and asleep shares every epoch (the chart
    draws them, the verdict quotes their peaks) and whether Leaky ReLU's asleep units still
    learn (``labs.dead.sleepers``: one backward pass at its asleep peak)."""
    out = _revive_compute(seed, recs)
    out["curve"] = dl.unit_curve(recs)
    out["diverged"] = [(r.label, int(r.divergence[0])) for r in recs if r.divergence]
    return out


def _leaky_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return dead_charts.sleep_lines(r["curve"], lang=lang, width=width - 80, height=height - 60,
                                   title=t("chart.dead_leaky", lang, lr=f"{REVIVE_LR:g}"))


def _leaky_verdict(r: Result) -> Verdict:
    relu, leaky = r["rows"]
    if r["diverged"]:  # a diverged run claims nothing: say so, and nothing else
        return [("v.leaky_diverged", {"runs": ", ".join(f"{a} ({e})" for a, e in r["diverged"]),
                                      "lr": f"{REVIVE_LR:g}"})]
    slope = r["records"][1].config.leaky_slope
    out: Verdict = [("v.leaky", {"lr": f"{REVIVE_LR:g}", "relu": pct(relu["dead_peak"]),
                                 "leaky": pct(leaky["dead_peak"]), "slope": f"{slope:g}",
                                 "asleep": pct(leaky["asleep_peak"]),
                                 "epoch": leaky["asleep_peak_epoch"], "woke": leaky["woke"]})]
    if leaky["sleep_units"]:
        out.append(("v.leaky_learn", {"n": leaky["sleep_units"],
                                      "learning": leaky["sleep_learning"],
                                      "epoch": int(leaky["sleep_epoch"]),
                                      "relu_n": relu["sleep_units"],
                                      "relu_learning": relu["sleep_learning"]}))
    return out


def _leaky_holds(r: Result) -> bool:
    """ReLU loses units, Leaky ReLU none, and every Leaky unit asleep at its asleep peak
    still gets a gradient; False if either run diverged (``RunRecord.divergence``)."""
    relu, leaky = r["rows"]
    if r["diverged"]:
        return False
    return (leaky["dead_peak"] == 0 < relu["dead_peak"]
            and leaky["sleep_learning"] == leaky["sleep_units"])


# ---------------------------------------------------------------------------- 12 Maxout
MAXOUT_BIAS = -2.0


def _maxout_configs(seed: int) -> list[TrainConfig]:
    base = DEAD_BASE.replace(seed=seed, bias_init=MAXOUT_BIAS, n_checkpoints=16)
    return [base.replace(activation="relu"), base.replace(activation="maxout")]


def _maxout_compute(seed: int, recs: list[RunRecord]) -> Result:
    out = _zero_compute(seed, recs)
    out["curve"] = dl.dead_curve(recs)
    return out


def maxout_peaks(r: Result) -> tuple[dict[str, Any], dict[str, Any]]:
    """Step 12: the highest per-layer dead share of ReLU and of Maxout, as its chart draws."""
    rr, mr = r["records"]
    return layer_peak(r["curve"], rr.label), layer_peak(r["curve"], mr.label)


def _maxout_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    """Left: dead share per hidden layer (the verdict's dead numbers); right: the loss."""
    plot = (width - 300) // 2  # each plot; axes, the one legend (left) and the gap beside
    dead = dead_charts.dead_lines(r["curve"], lang=lang, width=plot, height=height - 80,
                                  title=t("chart.maxout_dead", lang, bias=signed(MAXOUT_BIAS)))
    loss = core.loss_chart(r["records"], width=plot, height=height - 80, legend=False,
                           title=t("chart.maxout", lang), lang=lang)
    for c in (dead, loss):  # sized by the concatenation, not each on its own
        c.autosize = alt.Undefined
    return alt.hconcat(dead, loss, spacing=20).resolve_scale(color="independent",
                                                             strokeDash="independent")


def _maxout_verdict(r: Result) -> Verdict:
    relu, mx = r["rows"]
    rr, mr = r["records"]
    pr, pm = maxout_peaks(r)
    return [("v.maxout", {"k": mr.config.maxout_k, "p_max": mr.n_params, "p_relu": rr.n_params,
                          "times": ratio(mr.n_params, rr.n_params),
                          "dead_max": pct(pm["peak"]), "dead_relu": pct(pr["peak"]),
                          "layer": pr["layer"],
                          "loss_max": num(mx["train_loss"]),
                          "loss_relu": num(relu["train_loss"]), "bias": signed(MAXOUT_BIAS)})]


def _maxout_holds(r: Result) -> bool:
    relu, mx = r["rows"]
    rr, mr = r["records"]
    pr, pm = maxout_peaks(r)
    return (mr.n_params > rr.n_params and pm["peak"] == 0 < pr["peak"]
            and mx["train_loss"] < relu["train_loss"] and mr.divergence is None)


# ---------------------------------------------------------------------------- the steps
#: steps 7-12 of the tour, in order
STEPS_DEAD: tuple[Step, ...] = (
    Step("dead", (7,), _lr_pair, _dead_compute, _dead_chart, _dead_verdict, _dead_holds,
         _dead_link(LARGE_LR)),
    Step("zero_init", (8,), _zero_configs, _zero_init_compute, _zero_chart, _zero_verdict,
         _zero_holds, _dead_link(SMALL_LR, init="zeros", n_checkpoints=16)),
    Step("large_lr", (9,), _lr_pair, _dead_compute, _lr_chart, _lr_verdict, _lr_holds,
         _dead_link(LARGE_LR)),
    Step("revival", (10,), _revive_configs, _revive_compute, _revive_chart, _revive_verdict,
         _revive_holds, _dead_link(REVIVE_LR)),
    Step("leaky", (11,), _revive_configs, _leaky_compute, _leaky_chart, _leaky_verdict,
         _leaky_holds, _dead_link(REVIVE_LR, ("relu", "leaky_relu"))),
    Step("maxout", (12,), _maxout_configs, _maxout_compute, _maxout_chart, _maxout_verdict,
         _maxout_holds, _dead_link(SMALL_LR, ("relu", "maxout"), bias_init=MAXOUT_BIAS,
                                   n_checkpoints=16)),
)
