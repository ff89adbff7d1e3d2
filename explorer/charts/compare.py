"""Charts of the Compare page: a column's per-layer gradient histograms (stacked vertically so
they fit a narrow column, on axes shared by every column), the seed sweep's strip plot of
epochs to target, and the median ratios to ReLU. Pure functions, no Streamlit.

The decision boundary, loss/accuracy curves and per-layer table come from ``charts.core``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..activations import ACTIVATIONS
from ..record import GRAD_BINS, GRAD_LOG_HI, RunRecord
from ..texts import lookup
from ..texts.compare import TEXT
from .core import (
    FONT,
    OUTPUT_COLOR,
    ZERO_COLOR,
    ZERO_HI,
    ZERO_LO,
    ct,
    fit_title,
    fmt_num,
    fmt_pct,
    fmt_sci,
    grad_fractions,
    layer_label,
    pad_top,
    pct_axis,
    tick_label_expr,
)
from .palette import ACTIVATION_COLORS

LESSON_RATIO = 6.0
#: width = the whole chart (axes included), height = the plot area (Streamlit would otherwise
#: shrink a single-view chart's plot to fit both into the given size)
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")
PAD = alt.AutoSizeParams(type="pad", contains="padding")


#: Compare-page text in ``lang``: ``t(key, lang, **fmt)``
t = partial(lookup, TEXT)


def _axis(title: str | None, **kw: Any) -> alt.Axis:
    return alt.Axis(title=title, **{"labelFontSize": FONT, "titleFontSize": FONT, **kw})


def _grad_ticks() -> tuple[list[float], str]:
    """Ticks every 3 decades plus '0' under the exactly-zero bar (fits a narrow column)."""
    ticks = [(ZERO_LO + ZERO_HI) / 2] + [float(v) for v in range(-9, int(GRAD_LOG_HI) + 1, 3)]
    labels = ["0"] + [fmt_num(10.0 ** v) for v in ticks[1:]]
    return ticks, tick_label_expr(ticks, labels)


# ------------------------------------------------------------------------------ gradients
def grad_hist_column(rec: RunRecord, epoch: int | None = None,
                     y_max: float | Mapping[int, float] = 1.0,
                     width: int = 200, height_per_layer: int = 78, lang: str = "en",
                     ) -> alt.VConcatChart:
    """The record's weight-gradient histograms, one small chart per layer, stacked (input
    layer on top, output at the bottom). x: log10|g| over the fixed ``GRAD_BINS`` plus a grey
    bar for exact zeros; y: share of the layer's weights, top ``y_max`` (one value, or one per
    layer; pass the same to every column so they compare; a top below one of this record's
    bars, the "exactly 0" bar included, grows to hold it: no bar is ever clipped). Titles:
    layer and gradient norm; subtitles: dead and saturated units (hidden layers) or the share
    of exact zeros (output); both wrap to ``width``."""
    ep = rec.checkpoints[-1] if epoch is None else rec.nearest_checkpoint(epoch)
    fr = grad_fractions(rec, ep)
    stats = rec.stats_at(ep).set_index("layer")
    n_hidden = rec.n_hidden
    n_layers = int(fr["layer"].max())
    ticks, expr = _grad_ticks()
    xs = alt.Scale(domain=[ZERO_LO, float(GRAD_BINS[-1])], nice=False, zero=False)
    acts = rec.config.hidden_activations()
    charts = []
    for layer in range(1, n_layers + 1):
        d = fr[fr["layer"] == layer]
        top = y_max.get(layer, 1.0) if isinstance(y_max, Mapping) else y_max
        is_zero = (d["bin_lo"] == ZERO_LO).to_numpy()
        share = (d["pos"] + d["neg"]).to_numpy(dtype=np.float64)
        own = float(share.max()) if share.size else 0.0
        ys = alt.Scale(domain=[0, top if top >= own else pad_top(own)], nice=False)
        colour = ACTIVATION_COLORS.get(acts[layer - 1], OUTPUT_COLOR) if layer <= n_hidden \
            else OUTPUT_COLOR
        rows = pd.DataFrame({"bin_lo": d["bin_lo"].to_numpy(), "bin_hi": d["bin_hi"].to_numpy(),
                             "share": share, "zero": 0.0,
                             "kind": np.where(is_zero, "zero", "g")})
        rows = rows[rows["share"] > 0]
        last = layer == n_layers
        row = stats.loc[layer] if layer in stats.index else None
        norm = float(row["grad_norm"]) if row is not None else float("nan")
        if layer <= n_hidden and row is not None:
            spec = ACTIVATIONS[acts[layer - 1]]
            dead = "—" if spec.pieces else f"{int(row['dead_count'])}/{int(row['units'])}"
            sat = "—" if spec.saturating == "no" else fmt_pct(float(row["saturated_frac"]))
            sub = t("chart.layer_sub", lang, dead=dead, sat=sat)
        else:
            sub = t("chart.layer_sub_out", lang, zero=fmt_pct(float(share[is_zero].sum())))
        title = fit_title(
            t("chart.layer", lang, layer=layer_label(layer, n_hidden, lang), norm=fmt_sci(norm)),
            width, FONT - 1, subtitle=sub, subtitle_size=FONT - 2,
            subtitleColor="#555555", offset=2)
        x_axis = _axis(t("chart.grad_x", lang) if last else None, values=ticks, labelExpr=expr,
                       grid=False, labelOverlap=False, labels=last, ticks=last,
                       labelFontSize=FONT - 2, titleFontSize=FONT - 2, titleLimit=0)
        bars = alt.Chart(rows).mark_rect(clip=True).encode(
            alt.X("bin_lo:Q", scale=xs, axis=x_axis), alt.X2("bin_hi"),
            alt.Y("share:Q", scale=ys, axis=pct_axis(None, tickCount=2,
                                                      labelFontSize=FONT - 2)),
            alt.Y2("zero"),
            color=alt.Color("kind:N", scale=alt.Scale(domain=["g", "zero"],
                                                      range=[colour, ZERO_COLOR]), legend=None),
            tooltip=[alt.Tooltip("bin_lo:Q", title="log10|g| ≥", format=".2f"),
                     alt.Tooltip("share:Q", title=ct("grad.frac", lang), format=".1%")])
        charts.append(bars.properties(width=width, height=height_per_layer, title=title))
    return alt.vconcat(*charts, spacing=12).properties(
        autosize=PAD, title=fit_title(t("chart.grad_title", lang, epoch=ep), width, FONT))


# ------------------------------------------------------------------------------ seed sweep
def _nice_ticks(hi: float) -> list[float]:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if hi / step <= 6:
            return [float(v) for v in np.arange(0, hi + 1e-9, step)]
    return [0.0, float(hi)]


def _row_axis(labels: Sequence[str]) -> tuple[list[int], str]:
    """Axis values and a labelExpr naming row ``i`` by ``labels[i]`` (quantitative rows)."""
    return list(range(len(labels))), tick_label_expr(range(len(labels)), labels)


def sweep_chart(strip: pd.DataFrame, stats: pd.DataFrame, acts: Sequence[str], epochs: int,
                target: str, width: int = 760, height: int | None = None, lang: str = "en",
                ) -> alt.LayerChart:
    """Strip plot: one dot per (activation, seed) at its epochs to target, runs that never got
    there in a shaded "never" band right of the epoch budget; a black mark shows each
    activation's median (in the band if the median run never got there) and a grey bar the
    middle half. ``strip`` comes from :func:`explorer.compare.strip_frame` with ``never_x`` =
    :func:`never_x` (epochs). Rows are activations (top to bottom in ``acts`` order)."""
    labels = [ACTIVATIONS[a].label_for(lang) for a in acts]
    colours = [ACTIVATION_COLORS[a] for a in acts]
    row = {a: i for i, a in enumerate(acts)}
    nx = never_x(epochs)
    hi = nx + 0.07 * epochs
    ticks = [v for v in _nice_ticks(epochs) if v <= epochs] + [nx]
    never = t("chart.never", lang)
    xexpr = tick_label_expr(ticks, [fmt_num(v) if v <= epochs else never for v in ticks])
    xs = alt.Scale(domain=[0, hi], nice=False)
    ys = alt.Scale(domain=[-0.6, len(acts) - 0.4], reverse=True, nice=False, zero=False)
    yvals, yexpr = _row_axis(labels)
    height = height or max(140, 40 * len(acts))
    d = strip[strip["activation"].isin(row)].copy()
    d["label"] = d["activation"].map(dict(zip(acts, labels, strict=True)))
    d["row"] = d["activation"].map(row) + d["jitter"]
    d["shown"] = [f"{v:.0f}" if math.isfinite(v) else never for v in d["epochs_to"]]
    y_axis = _axis(None, values=yvals, labelExpr=yexpr, grid=False, domain=False, ticks=False,
                   labelLimit=170)
    band = pd.DataFrame({"x0": [epochs * 1.015], "x1": [hi]})
    shade = alt.Chart(band).mark_rect(color="#e9ecef").encode(
        alt.X("x0:Q", scale=xs), alt.X2("x1"))
    budget = alt.Chart(pd.DataFrame({"x": [epochs]})).mark_rule(
        color="#868e96", strokeDash=[4, 3]).encode(alt.X("x:Q", scale=xs))
    dots = alt.Chart(d).mark_circle(size=70, opacity=0.85, stroke="#ffffff", strokeWidth=0.8,
                                    ).encode(
        alt.X("x:Q", scale=xs, axis=_axis(t("chart.sweep_x", lang), values=ticks,
                                          labelExpr=xexpr, grid=True)),
        alt.Y("row:Q", scale=ys, axis=y_axis),
        color=alt.Color("label:N", scale=alt.Scale(domain=labels, range=colours), legend=None),
        tooltip=[alt.Tooltip("label:N", title=t("chart.activation", lang)),
                 alt.Tooltip("seed:Q", title=t("chart.seed", lang)),
                 alt.Tooltip("shown:N", title=t("chart.epochs", lang)),
                 alt.Tooltip("final_acc:Q", title=t("chart.final_acc", lang), format=".1%")])
    st = stats[stats["activation"].isin(row)].copy()
    st["label"] = st["activation"].map(dict(zip(acts, labels, strict=True)))
    st["row"] = st["activation"].map(row).astype(np.float64)
    st["y0"], st["y1"] = st["row"] - 0.38, st["row"] + 0.38

    def pos(v: float) -> float:
        return nx if not math.isfinite(v) else float(v)

    st["m"] = [pos(v) for v in st["median"]]
    st["lo"] = [pos(v) for v in st["q25"]]
    st["hi"] = [pos(v) for v in st["q75"]]
    st["shown"] = [never if not math.isfinite(v) else f"{v:g}" for v in st["median"]]
    iqr = alt.Chart(st).mark_rule(strokeWidth=6, opacity=0.3, color="#212529").encode(
        alt.X("lo:Q", scale=xs), alt.X2("hi"), alt.Y("row:Q", scale=ys))
    med = alt.Chart(st).mark_rule(color="#212529", strokeWidth=3).encode(
        alt.X("m:Q", scale=xs), alt.Y("y0:Q", scale=ys), alt.Y2("y1"),
        tooltip=[alt.Tooltip("label:N", title=t("chart.activation", lang)),
                 alt.Tooltip("shown:N", title=t("chart.median", lang))])
    return alt.layer(shade, budget, iqr, dots, med).properties(
        width=width, height=height, autosize=FIT_X,
        title=fit_title(t("chart.sweep_title", lang, target=target), width, FONT + 1))


def never_x(epochs: int) -> float:
    """Where runs that never reached the target sit on the strip plot."""
    return float(epochs) * 1.08


def ratio_chart(stats: pd.DataFrame, ref: str, width: int = 360, height: int | None = None,
                lang: str = "en") -> alt.LayerChart:
    """Each activation's median ratio to ``ref`` on a log scale: a bar from 1× to the median
    (a lighter bar over the whole range when censoring leaves the median a bound), a thin
    whisker for the interval over seeds, rules at 1× and at the lesson's ~6× (ReLU vs tanh).
    Unbounded ends are drawn to the chart's edge; ``stats`` comes from
    :func:`explorer.compare.sweep_stats` (ratio_lo, ratio_hi, ci_lo, ci_hi)."""
    from ..compare import format_bounds, format_interval
    s = stats[(stats["activation"] != ref) & (stats["n_ratio"] > 0)].copy()
    acts = list(s["activation"])
    labels = [ACTIVATIONS[a].label_for(lang) for a in acts]
    colours = [ACTIVATION_COLORS[a] for a in acts]
    finite = [float(v) for c in ("ratio_lo", "ratio_hi", "ci_lo", "ci_hi") for v in s[c]
              if math.isfinite(v) and v > 0]
    top = min(1e3, max([LESSON_RATIO * 2.5] + [v * 2.0 for v in finite]))
    bottom = max(1e-3, min([0.25] + [v / 1.6 for v in finite]))

    def clip(v: float) -> float:
        return float(min(top, max(bottom, v)))

    s["label"] = labels
    s["row"] = np.arange(len(acts), dtype=np.float64)
    s["y0"], s["y1"] = s["row"] - 0.3, s["row"] + 0.3
    decided = (s["ratio_lo"] == s["ratio_hi"]).to_numpy()
    s["x0"] = [1.0 if d else clip(lo) for d, lo in zip(decided, s["ratio_lo"], strict=True)]
    s["x1"] = [clip(hi) for hi in s["ratio_hi"]]
    s["c0"] = [clip(v) for v in s["ci_lo"]]
    s["c1"] = [clip(v) for v in s["ci_hi"]]
    s["opacity"] = np.where(decided, 0.9, 0.35)
    s["shown"] = [format_bounds(lo, hi) for lo, hi in zip(s["ratio_lo"], s["ratio_hi"],
                                                          strict=True)]
    s["interval"] = [format_interval(lo, hi) for lo, hi in zip(s["ci_lo"], s["ci_hi"],
                                                               strict=True)]
    s["tx"] = [max(a, b) for a, b in zip(s["x0"], s["x1"], strict=True)]
    xs = alt.Scale(type="log", domain=[bottom, top], nice=False)
    ys = alt.Scale(domain=[-0.9, max(1, len(acts)) - 0.4], reverse=True, nice=False, zero=False)
    yvals, yexpr = _row_axis(labels)
    height = height or max(120, 38 * max(1, len(acts)) + 24)
    tips = [alt.Tooltip("label:N", title=t("chart.activation", lang)),
            alt.Tooltip("shown:N", title=t("chart.ratio", lang)),
            alt.Tooltip("interval:N", title=t("chart.ci", lang))]
    base = alt.Chart(s)
    whisker = base.mark_rule(color="#343a40", strokeWidth=1.5).encode(
        alt.X("c0:Q", scale=xs), alt.X2("c1"), alt.Y("row:Q", scale=ys), tooltip=tips)
    bars = base.mark_rect().encode(
        alt.X("x0:Q", scale=xs, axis=_axis(t("chart.ratio_x", lang, ref=ACTIVATIONS[ref].label_for(lang)),
                                           values=_log_ticks(bottom, top),
                                           labelExpr=tick_label_expr(_log_ticks(bottom, top)))),
        alt.X2("x1"),
        alt.Y("y0:Q", scale=ys, axis=_axis(None, values=yvals, labelExpr=yexpr, grid=False,
                                           domain=False, ticks=False, labelLimit=170)),
        alt.Y2("y1"),
        color=alt.Color("label:N", scale=alt.Scale(domain=labels or ["-"],
                                                   range=colours or ["#999999"]), legend=None),
        opacity=alt.Opacity("opacity:Q", scale=None), tooltip=tips)
    text = base.mark_text(align="left", dx=5, dy=-12, fontSize=FONT, fontWeight="bold").encode(
        alt.X("tx:Q", scale=xs), alt.Y("row:Q", scale=ys), text="shown:N")
    rules = pd.DataFrame({"x": [1.0, LESSON_RATIO], "y": [-1.45, -1.45],
                          "text": [ACTIVATIONS[ref].label_for(lang), t("chart.lesson", lang)]})
    rule = alt.Chart(rules).mark_rule(color="#495057", strokeDash=[4, 3]).encode(
        alt.X("x:Q", scale=xs))
    rules["align"] = ["left", "right"]  # the lesson's label left of its rule: no overflow
    rule_text = [alt.Chart(rules[rules["align"] == al]).mark_text(
        align=al, baseline="top", dx=3 if al == "left" else -3, dy=-6, fontSize=FONT - 1,
        lineBreak="\n", color="#495057").encode(
        alt.X("x:Q", scale=xs), alt.Y("y:Q", scale=ys), text="text:N") for al in ("left", "right")]
    return alt.layer(rule, bars, whisker, text, *rule_text).properties(
        width=width, height=height, autosize=FIT_X,
        title=fit_title(t("chart.ratio_title", lang, ref=ACTIVATIONS[ref].label_for(lang)), width,
                        FONT + 1))


def _log_ticks(lo: float, hi: float) -> list[float]:
    cands = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    return [float(c) for c in cands if lo <= c <= hi]
