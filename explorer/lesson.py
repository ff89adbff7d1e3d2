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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import altair as alt
import pandas as pd

from . import compare as cmp
from .activations import ACTIVATIONS
from .charts import core
from .charts import dead as dead_charts
from .charts import gallery as gallery_charts
from .charts import vanishing as vanishing_charts
from .charts import zigzag as zigzag_charts
from .charts.palette import ACTIVATION_COLORS
from .config import FIELDS, TrainConfig, format_value, run_label
from .labs import dead as dl
from .labs import gallery as gl
from .labs import vanishing as vl
from .labs import zigzag as zz
from .record import RunRecord
from .texts import lookup
from .texts.gallery import TEXT as GALLERY_TEXT
from .texts.lesson import TEXT
from .texts.zigzag import TEXT as ZIGZAG_TEXT
from .train import train_many as _train_many

Trainer = Callable[[Sequence[TrainConfig]], list[RunRecord]]
Result = dict[str, Any]
Verdict = list[tuple[str, dict[str, Any]]]

#: the most training work (``TrainConfig.work`` summed over a step's configs) one step may do:
#: about a second on a small shared 2-core machine
STEP_WORK = 6.0e7
#: the seeds every verdict is checked on (tests) and that the page offers
SEEDS = tuple(range(5))
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

    @property
    def trains(self) -> bool:
        return bool(self.configs(0))

    def work(self, seed: int = 0) -> float:
        return float(sum(c.work() for c in self.configs(seed)))

    def run(self, seed: int = 0, train_many: Trainer | None = None) -> Result:
        cfgs = self.configs(seed)
        recs = list((train_many or _train_many)(cfgs)) if cfgs else []
        out = self.compute(seed, recs)
        out.setdefault("seed", seed)
        return out


def _none(seed: int) -> list[TrainConfig]:
    return []


# ---------------------------------------------------------------------------- 1 sigmoid
ZMAX = 6.0


def _sigmoid_compute(seed: int, recs: list[RunRecord]) -> Result:
    act = ACTIVATIONS["sigmoid"]
    peak, peak_z = gl.derivative_peak(act)
    curve = gl.curves(["sigmoid"], None, ZMAX)
    return {"curve": curve, "peak": peak, "peak_z": peak_z,
            "bands": gl.panel_bands(curve, peak, FLAT), "edge": flat_edge("sigmoid"),
            "f_min": float(curve["f"].min()), "f_max": float(curve["f"].max())}


SIGMOID_FONT = 13
SIGMOID_TICKS = [0.0, 0.25, 0.5, 0.75, 1.0]


def sigmoid_chart(curve: pd.DataFrame, bands: Sequence[tuple[float, float]], peak: float,
                  lang: str = "en", width: int = 600, height: int = 360) -> alt.LayerChart:
    """σ (solid) and σ′ (dashed) on their own scale (0 to 1), the flat regions of σ′ shaded
    and a rule at σ′'s measured peak. ``curve`` is :func:`explorer.labs.gallery.curves` of
    sigmoid; ``width`` is the whole chart, ``height`` the plotting area."""
    colour = ACTIVATION_COLORS["sigmoid"]
    zmax = float(curve["z"].abs().max())
    xs = alt.Scale(domain=[-zmax, zmax], nice=False)
    ys = alt.Scale(domain=[-0.02, 1.02], nice=False)
    f_name, d_name = "σ(z)", "σ′(z)"  # formulas: the same in every language
    long = pd.concat([curve[["z"]].assign(value=curve["f"], curve=f_name),
                      curve[["z"]].assign(value=curve["df"], curve=d_name)],
                     ignore_index=True)
    axis = {"labelFontSize": SIGMOID_FONT, "titleFontSize": SIGMOID_FONT}
    layers = []
    if len(bands):
        bdf = pd.DataFrame(list(bands), columns=["lo", "hi"])
        layers.append(alt.Chart(bdf).mark_rect(color=gallery_charts.FLAT_COLOR,
                                               opacity=0.13).encode(
            x=alt.X("lo:Q", scale=xs), x2="hi:Q"))
    layers.append(alt.Chart(long).mark_line(color=colour, strokeWidth=3, clip=True).encode(
        x=alt.X("z:Q", scale=xs, axis=alt.Axis(title=t("axis.z", lang), tickCount=7, **axis)),
        y=alt.Y("value:Q", scale=ys, axis=alt.Axis(title=None, values=SIGMOID_TICKS,  # "~g" drew 0.3
                                                   labelExpr=core.tick_label_expr(SIGMOID_TICKS),
                                                   **axis)),
        strokeDash=alt.StrokeDash("curve:N", scale=alt.Scale(domain=[f_name, d_name],
                                                             range=[[1, 0], [7, 4]]),
                                  legend=alt.Legend(title=None, orient="top-left",
                                                    labelFontSize=SIGMOID_FONT,
                                                    symbolStrokeWidth=3, symbolSize=400)),
        tooltip=[alt.Tooltip("curve:N", title=t("tip.curve", lang)),
                 alt.Tooltip("z:Q", format=".2f"),
                 alt.Tooltip("value:Q", title=t("tip.value", lang), format=".4f")]))
    rule = pd.DataFrame({"y": [peak], "z": [zmax * 0.97],
                         "text": [t("chart.peak", lang, peak=f"{peak:.4g}")]})
    layers.append(alt.Chart(rule).mark_rule(color="#495057", strokeDash=[2, 3]).encode(
        y=alt.Y("y:Q", scale=ys)))
    layers.append(alt.Chart(rule).mark_text(align="right", baseline="bottom", dx=-4, dy=-3,
                                            fontSize=SIGMOID_FONT, color="#343a40").encode(
        x=alt.X("z:Q", scale=xs), y=alt.Y("y:Q", scale=ys), text="text:N"))
    return alt.layer(*layers).properties(
        width=width, height=height, autosize=core.FIT_X,
        title=alt.TitleParams(t("chart.sigmoid", lang), subtitle=t("chart.sigmoid_sub", lang,
                                                                   pct=pct(FLAT)),
                              fontSize=SIGMOID_FONT + 3, subtitleFontSize=SIGMOID_FONT,
                              anchor="start", subtitleColor="#495057"))


def _sigmoid_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return sigmoid_chart(r["curve"], r["bands"], r["peak"], lang, width, height)


def _sigmoid_verdict(r: Result) -> Verdict:
    return [("v.sigmoid", {"peak": f"{r['peak']:.4f}", "z": f"{r['peak_z']:.2g}",
                           "edge": f"{r['edge']:.1f}", "flat": pct(FLAT),
                           "lo": f"{r['f_min']:.4f}", "hi": f"{r['f_max']:.4f}",
                           "zmax": f"{ZMAX:g}"})]


def _sigmoid_holds(r: Result) -> bool:
    return r["peak"] <= 0.25 + 1e-12 and 0.0 < r["f_min"] < r["f_max"] < 1.0


# ---------------------------------------------------------------------------- 2 saturation
DEPTH, WIDTH = 8, 8
SAT_ACTS = ("sigmoid", "tanh", "relu")
SAT_BASE = vl.BASE.replace(epochs=20, n_checkpoints=3, grid_size=10)


def _sat_configs(seed: int) -> list[TrainConfig]:
    cfgs, _ = vl.build_configs(SAT_BASE.replace(seed=seed), SAT_ACTS, DEPTH, WIDTH)
    return cfgs


def _sat_compute(seed: int, recs: list[RunRecord]) -> Result:
    table = vl.ratio_table(recs)
    return {"profile": vl.depth_profile(recs), "table": table,
            "ratio": dict(zip(table["act"], table["start_ratio"], strict=True))}


def _sat_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return vanishing_charts.depth_chart(r["profile"], lang=lang, width=(width - 330) // 2,
                                        height=height - 90)


def _sat_verdict(r: Result) -> Verdict:
    q = r["ratio"]
    return [("v.saturation", {"sig": vl.fmt_ratio(q["sigmoid"]), "tanh": vl.fmt_ratio(q["tanh"]),
                              "relu": vl.fmt_ratio(q["relu"]), "depth": DEPTH})]


def _sat_holds(r: Result) -> bool:
    q = r["ratio"]
    return q["sigmoid"] < vl.VANISH_RATIO and q["sigmoid"] < min(q["tanh"], q["relu"])


def _sat_link(seed: int) -> tuple[str, dict[str, str]]:
    return "vanishing", query_for(SAT_BASE.replace(seed=seed), vl.BASE)


# ---------------------------------------------------------------------------- 3 zig-zag
def _zig_compute(seed: int, recs: list[RunRecord]) -> Result:
    runs = {k: zz.run_neuron(k, zz.DEFAULT_LR, zz.DEFAULT_STEPS, seed) for k in zz.INPUT_KINDS}
    box = zz.bounds(runs)
    grids = {k: zz.loss_grid(k, seed, "linear", box) for k in zz.INPUT_KINDS}
    return {"runs": runs, "box": box, "grids": grids, "paths": zz.path_frame(runs),
            "same": {k: zz.same_sign_fraction(r.updates) for k, r in runs.items()},
            "steps": {k: r.steps_to_opt for k, r in runs.items()}}


def _zig_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    tr = translator(ZIGZAG_TEXT, lang)
    side = int(min((width - 24) / 2 - 175, height - 40))
    panels = []
    for k in zz.INPUT_KINDS:
        n = r["steps"][k]
        sub = (t("chart.zig_reached", lang, n=n) if n is not None
               else t("chart.zig_missed", lang, n=zz.DEFAULT_STEPS))
        panels.append(zigzag_charts.contour_chart(
            r["grids"][k], r["paths"], k, tr, r["box"], title=tr(f"kind.{k}"), subtitle=sub,
            width=side, height=side))
    return alt.hconcat(*panels, spacing=24).resolve_scale(color="independent",
                                                           shape="independent")


def _steps_text(n: int | None) -> str:
    return str(n) if n is not None else "—"


def _zig_verdict(r: Result) -> Verdict:
    s, n = r["same"], r["steps"]
    p, c = n["positive"], n["centred"]
    return [("v.zigzag", {"pos_same": pct(s["positive"]), "cen_same": pct(s["centred"]),
                          "pos_steps": _steps_text(p), "cen_steps": _steps_text(c),
                          "ratio": ratio(p, c) if p is not None and c is not None else "—",
                          "budget": zz.DEFAULT_STEPS})]


def _zig_holds(r: Result) -> bool:
    p, c = r["steps"]["positive"], r["steps"]["centred"]
    return (r["same"]["positive"] == 1.0 and r["same"]["centred"] < 0.8 and c is not None
            and (p is None or p > c))


def _zig_link(seed: int) -> tuple[str, dict[str, str]]:
    return "zigzag", query_for(zz.NET_BASE.replace(seed=seed), zz.NET_BASE)


# ---------------------------------------------------------------------------- 4 cost of exp
COST_ACTS = ("sigmoid", "tanh", "relu")


def _cost_compute(seed: int, recs: list[RunRecord]) -> Result:
    cost = gl.measure_cost(COST_ACTS)
    return {"cost": cost, "relative": dict(zip(cost["name"], cost["relative"], strict=True)),
            "ns": dict(zip(cost["name"], cost["ns_per_element"], strict=True)),
            "uses_exp": dict(zip(cost["name"], cost["uses_exp"], strict=True))}


def _cost_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return gallery_charts.cost_chart(core.relabel(r["cost"], lang), translator(GALLERY_TEXT, lang),
                                     width=width - 20, height=min(height, 100 + 70 * len(r["cost"])))


def _cost_verdict(r: Result) -> Verdict:
    rel, ns = r["relative"], r["ns"]
    return [("v.cost", {"sig": f"{rel['sigmoid']:.1f}×", "tanh": f"{rel['tanh']:.1f}×",
                        "sig_ns": f"{ns['sigmoid']:.2f}", "relu_ns": f"{ns['relu']:.2f}"})]


def _cost_holds(r: Result) -> bool:
    """What the lesson states is not a timing here (timings are not asserted): sigmoid and
    tanh use exp, ReLU does not, and every cost was measured (finite, positive)."""
    ok = all(math.isfinite(v) and v > 0 for v in r["ns"].values())
    return ok and r["uses_exp"]["sigmoid"] and not r["uses_exp"]["relu"]


def _cost_link(seed: int) -> tuple[str, dict[str, str]]:
    return "gallery", {"acts": "-".join(COST_ACTS)}


# ---------------------------------------------------------------------------- 5 tanh
TANH_BASE = zz.NET_BASE.replace(epochs=40, n_checkpoints=9, grid_size=10)


def _tanh_configs(seed: int) -> list[TrainConfig]:
    return zz.net_configs(TANH_BASE.replace(seed=seed))


def _tanh_compute(seed: int, recs: list[RunRecord]) -> Result:
    table = zz.same_sign_layers(recs)
    return {"table": table, "net": zz.net_verdict(table), "edge": flat_edge("tanh"),
            "sig_edge": flat_edge("sigmoid")}


def _tanh_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    tr = translator(ZIGZAG_TEXT, lang)
    return zigzag_charts.layer_chart(core.relabel(r["table"], lang), "per_sample", tr,
                                     tr("chart.sample"),
                                     tr("chart.sample_sub"), width=width - 20, height=height)


def _tanh_verdict(r: Result) -> Verdict:
    n = r["net"]
    return [("v.tanh", {"sig": f"{n['sigmoid_deep']:.0f} %", "tanh": f"{n['tanh_deep']:.0f} %",
                        "edge": f"{r['edge']:.1f}", "flat": pct(FLAT)})]


def _tanh_holds(r: Result) -> bool:
    n = r["net"]
    return n["tanh_deep"] < 10.0 < 90.0 < n["sigmoid_deep"] and math.isfinite(r["edge"])


def _tanh_link(seed: int) -> tuple[str, dict[str, str]]:
    return "zigzag", query_for(TANH_BASE.replace(seed=seed), zz.NET_BASE)


# ---------------------------------------------------------------------------- 6 ReLU is faster
FAST_ACTS = ("sigmoid", "tanh", "relu")
FAST_TARGET = 0.95
FAST_BASE = cmp.BASE.replace(epochs=150, n_checkpoints=6, grid_size=10)


def _fast_configs(seed: int) -> list[TrainConfig]:
    cfgs, _ = cmp.configs_for(FAST_BASE.replace(seed=seed), FAST_ACTS)
    return cfgs


def _epochs_to(rec: RunRecord, target: float) -> float:
    e = rec.epochs_to(target)
    return float(e) if e is not None else math.inf


def _fast_compute(seed: int, recs: list[RunRecord]) -> Result:
    return {"records": recs, "epochs": {r.config.activation: _epochs_to(r, FAST_TARGET)
                                        for r in recs},
            "budget": recs[0].config.epochs}


def _acc_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return core.loss_chart(r["records"], metric="acc", width=width - 60, height=height - 60,
                           title=t("chart.acc", lang), lang=lang)


def _epochs_text(e: float, lang: str = "en") -> str:
    return f"{e:.0f}" if math.isfinite(e) else "—"


def _fast_verdict(r: Result) -> Verdict:
    e = r["epochs"]
    key = "v.fast" if math.isfinite(e["sigmoid"]) else "v.fast_never"
    return [(key, {"target": f"{100 * FAST_TARGET:.0f} %", "relu": _epochs_text(e["relu"]),
                   "tanh": _epochs_text(e["tanh"]), "sig": _epochs_text(e["sigmoid"]),
                   "r_tanh": ratio(e["tanh"], e["relu"]), "r_sig": ratio(e["sigmoid"], e["relu"]),
                   "budget": r["budget"]})]


def _fast_holds(r: Result) -> bool:
    e = r["epochs"]
    return math.isfinite(e["relu"]) and e["relu"] < e["tanh"] and e["relu"] < e["sigmoid"]


def _fast_link(seed: int) -> tuple[str, dict[str, str]]:
    q = query_for(FAST_BASE.replace(seed=seed), cmp.BASE)
    return "compare", {"acts": "-".join(FAST_ACTS), "target": f"{100 * FAST_TARGET:.0f}", **q}


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
    return out


def _unit_map(rec: RunRecord, states: pd.DataFrame, lang: str, width: int, height: int,
              title: str) -> alt.TopLevelMixin:
    units = max(1, sum(rec.config.hidden))
    row = max(4, min(14, int((height - 40 * rec.n_hidden - 40) / units)))
    return dead_charts.unit_map(states, lang=lang, width=width - 90, row_height=row,
                                title=title)


def _dead_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return _unit_map(r["records"][1], r["states"], lang, width, height,
                     t("chart.unit_map", lang, lr=f"{LARGE_LR:g}"))


def _dead_verdict(r: Result) -> Verdict:
    row = r["rows"][1]
    return [("v.dead", {"lr": f"{LARGE_LR:g}", "dead": row["dead_end_count"],
                        "units": row["units"], "share": pct(row["dead_end"]),
                        "epochs": row["epochs"], "zero": pct(r["zero"])})]


def _dead_holds(r: Result) -> bool:
    return r["rows"][1]["dead_end_count"] > 0 and r["zero"] > 0


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


def _zero_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    labels = [t("label.zeros", lang), t("label.he", lang)]
    return core.loss_chart(r["records"], width=width - 60, height=height - 40, labels=labels,
                           title=t("chart.zero", lang), lang=lang)


def _zero_verdict(r: Result) -> Verdict:
    z, h = r["rows"]
    return [("v.zero", {"start": num(z["loss_start"], 4), "lo": num(z["loss_min"], 4),
                        "hi": num(z["loss_max"], 4), "ln2": num(math.log(2), 4),
                        "zero": pct(z["zero_grad_end"]), "epochs": z["epochs"],
                        "he_start": num(h["loss_start"], 2), "he_end": num(h["train_loss"], 2)})]


def _zero_holds(r: Result) -> bool:
    z, h = r["rows"]
    return r["frozen"][0] and not r["frozen"][1] and h["train_loss"] < h["loss_start"] - 0.1


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
    return dead_charts.dead_lines(_pair_curve(r["records"], labels), lang=lang,
                                  width=width - 80, height=height - 60,
                                  title=t("chart.dead_lr", lang))


def _lr_verdict(r: Result) -> Verdict:
    small, big = r["rows"]
    return [("v.lr", {"big": f"{LARGE_LR:g}", "small": f"{SMALL_LR:g}",
                      "peak": pct(big["dead_peak"]), "epoch": big["peak_epoch"],
                      "small_peak": pct(small["dead_peak"])})]


def _lr_holds(r: Result) -> bool:
    small, big = r["rows"]
    return big["dead_peak"] > small["dead_peak"] + 0.2


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


def _leaky_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return dead_charts.dead_lines(dl.dead_curve(r["records"]), lang=lang, width=width - 80,
                                  height=height - 60,
                                  title=t("chart.dead_leaky", lang, lr=f"{REVIVE_LR:g}"))


def _leaky_verdict(r: Result) -> Verdict:
    relu, leaky = r["rows"]
    slope = r["records"][1].config.leaky_slope
    return [("v.leaky", {"lr": f"{REVIVE_LR:g}", "relu": pct(relu["dead_peak"]),
                         "leaky": pct(leaky["dead_peak"]), "slope": f"{slope:g}",
                         "relu_loss": num(relu["train_loss"]),
                         "leaky_loss": num(leaky["train_loss"])})]


def _leaky_holds(r: Result) -> bool:
    relu, leaky = r["rows"]
    return leaky["dead_peak"] == 0 < relu["dead_peak"]


# ---------------------------------------------------------------------------- 12 Maxout
MAXOUT_BIAS = -2.0


def _maxout_configs(seed: int) -> list[TrainConfig]:
    base = DEAD_BASE.replace(seed=seed, bias_init=MAXOUT_BIAS, n_checkpoints=16)
    return [base.replace(activation="relu"), base.replace(activation="maxout")]


def _maxout_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return core.loss_chart(r["records"], width=width - 60, height=height - 40,
                           title=t("chart.maxout", lang, bias=signed(MAXOUT_BIAS)), lang=lang)


def _maxout_verdict(r: Result) -> Verdict:
    relu, mx = r["rows"]
    rr, mr = r["records"]
    return [("v.maxout", {"k": mr.config.maxout_k, "p_max": mr.n_params, "p_relu": rr.n_params,
                          "times": ratio(mr.n_params, rr.n_params),
                          "dead_max": pct(mx["dead_peak"]), "dead_relu": pct(relu["dead_peak"]),
                          "loss_max": num(mx["train_loss"]),
                          "loss_relu": num(relu["train_loss"]), "bias": signed(MAXOUT_BIAS)})]


def _maxout_holds(r: Result) -> bool:
    relu, mx = r["rows"]
    rr, mr = r["records"]
    return (mr.n_params > rr.n_params and mx["dead_peak"] == 0 < relu["dead_peak"]
            and mx["train_loss"] < relu["train_loss"] and mr.diverged_at is None)


# ---------------------------------------------------------------------------- 13 in practice
PRACTICE_ACTS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")
PRACTICE_BASE = cmp.BASE.replace(epochs=60, n_checkpoints=7, grid_size=10)


def _practice_configs(seed: int) -> list[TrainConfig]:
    cfgs, _ = cmp.configs_for(PRACTICE_BASE.replace(seed=seed), PRACTICE_ACTS)
    return cfgs


def _practice_compute(seed: int, recs: list[RunRecord]) -> Result:
    loss = {r.config.activation: float(r.final()["train_loss"]) for r in recs}
    best = min(RELU_FAMILY, key=lambda a: loss[a])
    return {"records": recs, "loss": loss, "best": best,
            "labels": {r.config.activation: r.label for r in recs}}


def _practice_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return core.loss_chart(r["records"], log_scale=True, width=width - 60, height=height - 60,
                           title=t("chart.practice", lang), lang=lang)


def _practice_verdict(r: Result) -> Verdict:
    loss, best = r["loss"], r["best"]
    return [("v.practice", {"epochs": PRACTICE_BASE.epochs, "best": r["labels"][best],
                            "best_loss": num(loss[best]), "tanh": num(loss["tanh"]),
                            "sig": num(loss["sigmoid"]),
                            "times": ratio(loss["sigmoid"], loss[best])})]


def _practice_holds(r: Result) -> bool:
    loss = r["loss"]
    return max(loss[a] for a in RELU_FAMILY) < loss["sigmoid"]


def _practice_link(seed: int) -> tuple[str, dict[str, str]]:
    q = query_for(PRACTICE_BASE.replace(seed=seed), cmp.BASE)
    return "compare", {"acts": "-".join(PRACTICE_ACTS), **q}


# ---------------------------------------------------------------------------- 14 variants
def variant_names() -> list[str]:
    """Every registered activation the lesson itself does not discuss (ELU, SELU, ...)."""
    return [n for n in ACTIVATIONS.names() if n not in LESSON_ACTS]


VARIANT_SD = 3.0


def _variants_compute(seed: int, recs: list[RunRecord]) -> Result:
    names = variant_names()
    table = gl.summary(["relu", *names], None, 0.0, VARIANT_SD)
    zero = dict(zip(table["name"], table["zero"], strict=True))
    return {"names": names, "curves": gl.curves(["relu", *names], None, 4.0),
            "zero": zero, "labels": dict(zip(table["name"], table["label"], strict=True))}


def _variants_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    tr = translator(GALLERY_TEXT, lang)
    return gallery_charts.overlay_chart(core.relabel(r["curves"], lang), "f", tr,
                                        title=t("chart.variants", lang),
                                        zmax=4.0, width=width - 20, height=height + 40)


def _variants_verdict(r: Result) -> Verdict:
    z = r["zero"]
    worst = max(r["names"], key=lambda n: z[n])
    fmt = {"n": len(r["names"]), "relu": pct(z["relu"]), "worst": r["labels"][worst],
           "worst_zero": pct(z[worst], 1), "sd": f"{VARIANT_SD:g}"}
    return [("v.variants" if z[worst] > 0 else "v.variants_none", fmt)]


def _variants_holds(r: Result) -> bool:
    z = r["zero"]
    return len(r["names"]) >= 8 and all(z[n] < z["relu"] for n in r["names"])


def _variants_link(seed: int) -> tuple[str, dict[str, str]]:
    return "gallery", {"acts": "-".join(["relu", *variant_names()]), "view": "overlay"}


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
