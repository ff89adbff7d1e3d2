"""Core chart builders: decision boundary, loss/accuracy curves, per-layer histograms, layer table.

Pure functions from :class:`~explorer.record.RunRecord` to Altair charts (or a display-ready
DataFrame). No Streamlit. Every title and axis label comes from ``explorer.texts.charts`` in
English or Simplified Chinese (``lang``). Default sizes fit three charts side by side on a
1600 px wide page with the sidebar open.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..record import ACT_BINS, GRAD_BINS, GRAD_LOG_HI, GRAD_LOG_LO, RunRecord
from ..texts.charts import TEXT
from .palette import ACTIVATION_COLORS, CLASS_COLORS

#: distinct colours used when two curves share an activation (Tableau 10)
DISTINCT = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac"]
POS_COLOR, NEG_COLOR, ZERO_COLOR, OUTPUT_COLOR = "#2f9e44", "#c92a2a", "#868e96", "#495057"
DIVERGED_COLOR = "#d62728"
#: the "exactly zero" bar sits left of the smallest log10|g| bin
ZERO_LO, ZERO_HI = GRAD_LOG_LO - 1.0, GRAD_LOG_LO - 0.5
FONT = 13  # axis-label font size (readable on a projector)
#: single and layered charts: ``width`` is the whole chart (axes and legends included, so it
#: fits a column), ``height`` the plotting area; rows of small charts: plain sizes ("pad")
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")
PAD = alt.AutoSizeParams(type="pad", contains="padding")

_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def ct(key: str, lang: str = "en", **fmt: Any) -> str:
    """Chart text in ``lang`` (English fallback)."""
    table = TEXT.get(lang, TEXT["en"])
    s = table.get(key, TEXT["en"].get(key, key))
    return s.format(**fmt) if fmt else s


def layer_label(layer: int, n_hidden: int, lang: str = "en") -> str:
    """"hidden 1" ... "output" (translated); ``layer`` is 1-based, output is n_hidden + 1."""
    return ct("output", lang) if layer == n_hidden + 1 else ct("hidden_n", lang, n=layer)


def fmt_sci(v: float) -> str:
    """Short scientific notation for gradient norms: 3.1e-02 -> '3.1e-2'."""
    if v is None or not math.isfinite(v):
        return "—"
    if v == 0:
        return "0"
    if 1e-2 <= abs(v) < 1e3:
        return f"{v:.3g}"
    mant, exp = f"{v:.1e}".split("e")
    return f"{mant}e{int(exp)}"


def fmt_pct(v: float, digits: int = 0) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{100 * v:.{digits}f}%"


def _ckpt(rec: RunRecord, epoch: int | None) -> int:
    return rec.checkpoints[-1] if epoch is None else rec.nearest_checkpoint(epoch)


def _axis(title: str | None, **kw: Any) -> alt.Axis:
    kw = {"labelFontSize": FONT, "titleFontSize": FONT, **kw}
    return alt.Axis(title=title, **kw)


# ------------------------------------------------------------------------------ projector
#: spec keys holding a font size (axes, legends, titles, text marks)
FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})
#: Vega-Lite's default font sizes, for charts that leave them unset
DEFAULT_FONTS = {"axis": {"labelFontSize": 10, "titleFontSize": 11},
                 "legend": {"labelFontSize": 10, "titleFontSize": 11},
                 "header": {"labelFontSize": 10, "titleFontSize": 11},
                 "title": {"fontSize": 13, "subtitleFontSize": 12},
                 "text": {"fontSize": 11}}


def scale_fonts(spec: dict[str, Any], factor: float) -> dict[str, Any]:
    """Multiply every font size in a Vega-Lite spec (a dict, changed in place and returned)
    by ``factor``: explicit sizes anywhere in the spec, and the defaults in ``config`` for
    text that has none (projector mode). Data, widths and heights are left alone."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("datasets", "data", "values"):
                    continue
                if key in FONT_KEYS and isinstance(value, (int, float)) \
                        and not isinstance(value, bool):
                    node[key] = round(value * factor, 1)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    config = spec.setdefault("config", {})
    for part, sizes in DEFAULT_FONTS.items():
        block = config.setdefault(part, {})
        for key, size in sizes.items():
            block.setdefault(key, round(size * factor, 1))
    return spec


# ------------------------------------------------------------------------------ boundary
def boundary_chart(rec: RunRecord, epoch: int | None = None, show_test: bool = True,
                   width: int = 380, height: int = 340, title: str | None = None,
                   lang: str = "en", legend: bool = True) -> alt.Chart:
    """Probability heatmap on the record's grid plus the training (and test) points.

    Binary: diverging blue (class 0) ↔ orange (class 1) on P(class 1). Multiclass: the
    predicted class's colour, more opaque where the network is more confident. Training
    points are filled circles with a white outline; test points are diamonds with a dark
    outline. The axes are fixed to the grid, so replaying epochs never rescales them.
    """
    ep = _ckpt(rec, epoch)
    grid = rec.boundary(ep)
    gx, gy = np.asarray(rec.grid_x), np.asarray(rec.grid_y)
    dx = float(gx[1] - gx[0]) if len(gx) > 1 else 1.0
    dy = float(gy[1] - gy[0]) if len(gy) > 1 else 1.0
    grid = pd.DataFrame({"x": grid["x"].round(4), "y": grid["y"].round(4),
                         "p": grid["p"].round(3), "cls": grid["cls"]})
    xdom = [float(gx[0] - dx / 2), float(gx[-1] + dx / 2)]
    ydom = [float(gy[0] - dy / 2), float(gy[-1] + dy / 2)]
    data = rec.data
    K = data.n_classes
    names = list(data.class_names or tuple(str(i) for i in range(K)))
    colours = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(K)]
    fx, fy = data.feature_names if data.feature_names else ("x1", "x2")
    xs = alt.Scale(domain=xdom, nice=False, zero=False, padding=0)
    ys = alt.Scale(domain=ydom, nice=False, zero=False, padding=0)
    X = alt.X("x0:Q", scale=xs, axis=_axis(fx, grid=False, tickCount=5))
    Y = alt.Y("y0:Q", scale=ys, axis=_axis(fy, grid=False, tickCount=5))
    if K > 2:
        grid["class"] = [names[c] for c in grid["cls"]]
    base = alt.Chart(grid).transform_calculate(
        x0=f"datum.x - {dx / 2:.6g}", x1=f"datum.x + {dx / 2:.6g}",
        y0=f"datum.y - {dy / 2:.6g}", y1=f"datum.y + {dy / 2:.6g}")
    if K == 2:
        heat = base.mark_rect(opacity=0.55, strokeWidth=0).encode(
            X, alt.X2("x1"), Y, alt.Y2("y1"),
            color=alt.Color("p:Q", scale=alt.Scale(domain=[0, 0.5, 1],
                                                   range=[colours[0], "#ffffff", colours[1]]),
                            legend=None),
            tooltip=[alt.Tooltip("p:Q", title=ct("boundary.p1", lang), format=".2f")])
    else:
        heat = base.mark_rect(strokeWidth=0).encode(
            X, alt.X2("x1"), Y, alt.Y2("y1"),
            color=alt.Color("class:N", scale=alt.Scale(domain=names, range=colours),
                            legend=None),
            opacity=alt.Opacity("p:Q", scale=alt.Scale(domain=[1.0 / K, 1.0], range=[0.05, 0.6]),
                                legend=None),
            tooltip=[alt.Tooltip("class:N", title=ct("class", lang)),
                     alt.Tooltip("p:Q", title=ct("boundary.conf", lang), format=".2f")])
    pts = rec.points(test=show_test).round({"x": 4, "y": 4})
    pts["split"] = pts["split"].map({"train": ct("split.train", lang),
                                     "test": ct("split.test", lang)})
    splits = [ct("split.train", lang), ct("split.test", lang)][:2 if show_test else 1]
    leg = (lambda t: alt.Legend(title=t, orient="bottom", direction="horizontal",
                                labelFontSize=FONT, titleFontSize=FONT)) if legend else \
        (lambda t: None)
    points = alt.Chart(pts).mark_point(filled=True, size=42, strokeWidth=1.2, opacity=1).encode(
        alt.X("x:Q", scale=xs), alt.Y("y:Q", scale=ys),
        color=alt.Color("class:N", scale=alt.Scale(domain=names, range=colours),
                        legend=leg(ct("class", lang))),
        shape=alt.Shape("split:N", scale=alt.Scale(domain=splits,
                                                   range=["circle", "diamond"][:len(splits)]),
                        legend=leg(ct("split", lang))),
        stroke=alt.Stroke("split:N", scale=alt.Scale(domain=splits,
                                                     range=["#ffffff", "#111111"][:len(splits)]),
                          legend=None),
        tooltip=[alt.Tooltip("class:N", title=ct("class", lang)),
                 alt.Tooltip("split:N", title=ct("split", lang)),
                 alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("y:Q", format=".2f")])
    chart = alt.layer(heat, points).resolve_scale(color="independent")
    return chart.properties(
        width=width, height=height, autosize=FIT_X,
        title=title if title is not None else ct("boundary.title", lang, epoch=ep))


# ------------------------------------------------------------------------------ curves
def _series_colours(records: Sequence[RunRecord], labels: Sequence[str]) -> list[str]:
    acts = [r.config.activation if not r.config.layer_activations else None for r in records]
    if None not in acts and len(set(acts)) == len(acts):
        return [ACTIVATION_COLORS[a] for a in acts]  # type: ignore[index]
    return [DISTINCT[i % len(DISTINCT)] for i in range(len(labels))]


def _unique(labels: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return out


def curves_frame(records: Sequence[RunRecord], labels: Sequence[str], metric: str,
                 lang: str = "en") -> pd.DataFrame:
    """Long table epoch, run, curve (train/test, translated), value — finite values only."""
    frames = []
    for rec, lab in zip(records, labels, strict=True):
        h = rec.history
        for split in ("train", "test"):
            col = f"{split}_{metric}"
            frames.append(pd.DataFrame({"epoch": h["epoch"].to_numpy(), "run": lab,
                                        "curve": ct(f"split.{split}", lang),
                                        "value": h[col].to_numpy(dtype=np.float64)}))
    df = pd.concat(frames, ignore_index=True) if frames else \
        pd.DataFrame(columns=["epoch", "run", "curve", "value"])
    return df[np.isfinite(df["value"].to_numpy(dtype=np.float64))].reset_index(drop=True)


def loss_chart(records: RunRecord | Sequence[RunRecord], log_scale: bool = False,
               marker_epoch: int | None = None, metric: str = "loss", width: int = 420,
               height: int = 300, title: str | None = None, lang: str = "en",
               labels: Sequence[str] | None = None, legend: bool = True) -> alt.Chart:
    """Training (solid) and test (dashed) curves, one colour per run's activation.

    ``metric`` is "loss" or "acc". A grey rule marks ``marker_epoch`` (the replayed epoch);
    a red rule marks each run's divergence epoch. ``labels`` overrides the run names.
    """
    if metric not in ("loss", "acc"):
        raise ValueError(f"metric: {metric!r} is not 'loss' or 'acc'")
    recs = [records] if isinstance(records, RunRecord) else list(records)
    labs = _unique(list(labels) if labels is not None else [r.label for r in recs])
    colours = _series_colours(recs, labs)
    df = curves_frame(recs, labs, metric, lang)
    if metric == "loss" and log_scale:
        df["value"] = df["value"].clip(lower=1e-12)
    splits = [ct("split.train", lang), ct("split.test", lang)]
    x_max = max([r.config.epochs for r in recs] + [1])
    xs = alt.Scale(domain=[0, x_max], nice=False)
    if metric == "acc":
        ys = alt.Scale(domain=[0, 1])
        y_title, y_fmt = ct("acc", lang), ".0%"
    elif log_scale:
        ys = alt.Scale(type="log")
        y_title, y_fmt = ct("loss.log", lang), ".3~g"
    else:
        ys = alt.Scale(zero=True)
        y_title, y_fmt = ct("loss", lang), ".3~g"
    leg = (lambda t: alt.Legend(title=t, orient="bottom", direction="horizontal",
                                labelFontSize=FONT, titleFontSize=FONT, labelLimit=200)) \
        if legend else (lambda t: None)
    lines = alt.Chart(df).mark_line(strokeWidth=2.2, clip=True).encode(
        alt.X("epoch:Q", scale=xs, axis=_axis(ct("epoch", lang))),
        alt.Y("value:Q", scale=ys, axis=_axis(y_title, format=y_fmt)),
        color=alt.Color("run:N", scale=alt.Scale(domain=labs, range=colours),
                        legend=leg(ct("run", lang))),
        strokeDash=alt.StrokeDash("curve:N", scale=alt.Scale(domain=splits,
                                                             range=[[1, 0], [6, 4]]),
                                  legend=leg(ct("curve", lang))),
        detail="run:N",
        tooltip=[alt.Tooltip("run:N", title=ct("run", lang)),
                 alt.Tooltip("curve:N", title=ct("curve", lang)),
                 alt.Tooltip("epoch:Q", title=ct("epoch", lang)),
                 alt.Tooltip("value:Q", title=y_title, format=".4g")])
    layers: list[alt.Chart] = [lines]
    if marker_epoch is not None:
        mk = pd.DataFrame({"epoch": [int(marker_epoch)],
                           "text": [ct("marker", lang, epoch=int(marker_epoch))]})
        rule = alt.Chart(mk).mark_rule(color="#555555", strokeDash=[3, 3], strokeWidth=1.5)
        layers.append(rule.encode(alt.X("epoch:Q", scale=xs)))
    div = [(r.diverged_at, lab) for r, lab in zip(recs, labs, strict=True)
           if r.diverged_at is not None]
    if div:
        dd = pd.DataFrame({"epoch": [d for d, _ in div],
                           "text": [ct("diverged", lang, epoch=d) for d, _ in div]})
        rule = alt.Chart(dd).mark_rule(color=DIVERGED_COLOR, strokeWidth=2)
        text = alt.Chart(dd).mark_text(color=DIVERGED_COLOR, align="right", baseline="top",
                                       dx=-4, dy=4, fontSize=FONT, fontWeight="bold")
        layers += [rule.encode(alt.X("epoch:Q", scale=xs)),
                   text.encode(alt.X("epoch:Q", scale=xs), alt.YValue(0), text="text:N")]
    default_title = ct("loss.title" if metric == "loss" else "acc.title", lang)
    return alt.layer(*layers).properties(
        width=width, height=height, autosize=FIT_X, title=default_title if title is None else title)


# ------------------------------------------------------------------------------ histograms
def _log_tick_expr(step: int = 3) -> tuple[list[float], str]:
    """Tick positions and a labelExpr: '0' under the zero bar, powers of ten elsewhere."""
    ticks = [(ZERO_LO + ZERO_HI) / 2] + list(range(-3 * step, int(GRAD_LOG_HI) + 1, step))
    labels = ["0"] + [("1" if t == 0 else "10" + str(t).translate(_SUP)) for t in ticks[1:]]
    expr = "''"
    for t, lab in reversed(list(zip(ticks, labels, strict=True))):
        expr = f"abs(datum.value - ({t})) < 0.01 ? '{lab}' : ({expr})"
    return ticks, expr


def _layer_colour(rec: RunRecord, layer: int) -> str:
    acts = rec.config.hidden_activations()
    return ACTIVATION_COLORS.get(acts[layer - 1], OUTPUT_COLOR) if layer <= len(acts) \
        else OUTPUT_COLOR


def grad_fractions(rec: RunRecord, epoch: int | None = None) -> pd.DataFrame:
    """Per layer and bin: fraction of the layer's weights with a positive / negative gradient
    in that log10|g| bin, plus one row per layer (bin_lo = ZERO_LO) for exact zeros."""
    gh = rec.grad_hist(epoch)
    gz = rec.grad_zeros(epoch).set_index("layer")["zeros"]
    total = gh.groupby("layer")["count"].sum() + gz
    denom = gh["layer"].map(total).clip(lower=1).to_numpy(dtype=np.float64)
    out = pd.DataFrame({"layer": gh["layer"], "bin_lo": gh["bin_lo"], "bin_hi": gh["bin_hi"],
                        "pos": gh["count_pos"] / denom, "neg": gh["count_neg"] / denom})
    zeros = pd.DataFrame({"layer": gz.index, "bin_lo": ZERO_LO, "bin_hi": ZERO_HI,
                          "pos": (gz / total.clip(lower=1)).to_numpy(dtype=np.float64),
                          "neg": 0.0})
    return pd.concat([zeros, out], ignore_index=True)


def _grad_ymax(rec: RunRecord, signed: bool) -> float:
    """Largest non-zero-gradient bar over every checkpoint and layer (so replay keeps the y
    axis still). The "exactly 0" bar does not set the scale: it is clipped at the top and its
    share is printed in each chart's subtitle."""
    gc = np.asarray(rec.grad_counts, dtype=np.float64)  # (C, layers, 2, bins)
    gz = np.asarray(rec.grad_zero_counts, dtype=np.float64)  # (C, layers)
    if gc.size == 0:
        return 1.0
    total = np.maximum(gc.sum(axis=(2, 3)) + gz, 1.0)
    bars = gc if signed else gc.sum(axis=2, keepdims=True)
    m = float((bars / total[:, :, None, None]).max())
    return min(1.0, max(0.05, m * 1.08))


def grad_hist_row(rec: RunRecord, epoch: int | None = None, signed: bool = False,
                  width_per_layer: int = 150, height: int = 160, lang: str = "en",
                  y_max: float | None = None, total_width: int | None = None,
                  max_width: int = 150) -> alt.HConcatChart:
    """One small histogram of weight gradients per layer, in a row, on shared axes.

    x: log10|g| in the fixed bins of ``record.GRAD_BINS`` (the same for every run and epoch)
    plus a grey bar at the far left for gradients that are exactly 0. y: share of the layer's
    weights (one scale for the whole row, constant over the record's checkpoints unless
    ``y_max`` is given). ``signed``: positive gradients up (green), negative down (red).
    Each title names the layer and its gradient norm; the subtitle the share of exact zeros.
    ``total_width`` (pixels for the whole row) overrides ``width_per_layer`` so that deep
    networks still fit (each chart between 64 and ``max_width`` px wide; larger in projector
    mode).
    """
    ep = _ckpt(rec, epoch)
    fr = grad_fractions(rec, ep)
    stats = rec.stats_at(ep).set_index("layer")
    n_layers = int(fr["layer"].max())
    if total_width is not None:
        width_per_layer = fit_width(n_layers, total_width, hi=max_width)
    ymax = y_max if y_max is not None else _grad_ymax(rec, signed)
    ticks, expr = _log_tick_expr(3 if width_per_layer >= 110 else 6)
    xs = alt.Scale(domain=[ZERO_LO, float(GRAD_BINS[-1])], nice=False, zero=False)
    ys = alt.Scale(domain=[-ymax, ymax] if signed else [0, ymax], nice=False)
    charts = []
    for layer in range(1, n_layers + 1):
        d = fr[fr["layer"] == layer]
        zero_share = float(d.loc[d["bin_lo"] == ZERO_LO, "pos"].sum())
        is_zero = d["bin_lo"] == ZERO_LO
        colour = _layer_colour(rec, layer)
        if signed:
            rows = pd.concat([
                pd.DataFrame({"bin_lo": d["bin_lo"], "bin_hi": d["bin_hi"], "y": d["pos"],
                              "share": d["pos"],
                              "sign": np.where(is_zero, ct("grad.zero", lang),
                                               ct("grad.pos", lang))}),
                pd.DataFrame({"bin_lo": d["bin_lo"][~is_zero], "bin_hi": d["bin_hi"][~is_zero],
                              "y": -d["neg"][~is_zero], "share": d["neg"][~is_zero],
                              "sign": ct("grad.neg", lang)})], ignore_index=True)
            cdom = [ct("grad.pos", lang), ct("grad.neg", lang), ct("grad.zero", lang)]
            crange = [POS_COLOR, NEG_COLOR, ZERO_COLOR]
        else:
            rows = pd.DataFrame({"bin_lo": d["bin_lo"], "bin_hi": d["bin_hi"],
                                 "y": d["pos"] + d["neg"], "share": d["pos"] + d["neg"],
                                 "sign": np.where(is_zero, ct("grad.zero", lang),
                                                  ct("grad.pos", lang) + "+" +
                                                  ct("grad.neg", lang))})
            cdom = [ct("grad.pos", lang) + "+" + ct("grad.neg", lang), ct("grad.zero", lang)]
            crange = [colour, ZERO_COLOR]
        rows = rows[rows["share"] > 0].assign(zero=0.0)
        first = layer == 1
        y_axis = _axis(ct("grad.frac.signed" if signed else "grad.frac", lang) if first
                       else None, format=".0%", labels=first, ticks=first, tickCount=4,
                       domain=False)
        norm = float(stats.loc[layer, "grad_norm"]) if layer in stats.index else float("nan")
        name = layer_label(layer, n_layers - 1, lang)
        title = alt.TitleParams([name, ct("grad.norm", lang, norm=fmt_sci(norm))],
                                subtitle=ct("grad.zeros", lang, pct=fmt_pct(zero_share)),
                                fontSize=FONT, subtitleFontSize=FONT - 1, anchor="start",
                                subtitleColor="#555555", limit=width_per_layer + 4)
        bars = alt.Chart(rows).mark_rect(clip=True).encode(
            alt.X("bin_lo:Q", scale=xs, axis=_axis(None, values=ticks, labelExpr=expr,
                                                   grid=False, labelOverlap=False,
                                                   labelFontSize=FONT - 2)),
            alt.X2("bin_hi"), alt.Y("y:Q", scale=ys, axis=y_axis), alt.Y2("zero"),
            color=alt.Color("sign:N", scale=alt.Scale(domain=cdom, range=crange), legend=None),
            tooltip=[alt.Tooltip("sign:N", title=ct("grad.sign", lang)),
                     alt.Tooltip("bin_lo:Q", title="log10|g| ≥", format=".2f"),
                     alt.Tooltip("share:Q", title=ct("grad.frac", lang), format=".1%")])
        layer_chart = bars
        if signed:
            axis0 = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#333333").encode(
                alt.Y("y:Q", scale=ys))
            layer_chart = alt.layer(bars, axis0)
        charts.append(layer_chart.properties(width=width_per_layer, height=height, title=title))
    row = alt.hconcat(*charts, spacing=8)
    return row.properties(autosize=PAD, title=alt.TitleParams(ct("grad.axis", lang), orient="bottom",
                                                anchor="middle", fontSize=FONT,
                                                fontWeight="normal"))


def fit_width(n_charts: int, total_width: int, lo: int = 64, hi: int = 150,
              axis: int = 70, spacing: int = 8) -> int:
    """Width of each of ``n_charts`` small charts in a row that should span ``total_width``."""
    return int(max(lo, min(hi, (total_width - axis) / max(1, n_charts) - spacing)))


def act_hist_row(rec: RunRecord, epoch: int | None = None, width_per_layer: int = 150,
                 height: int = 140, lang: str = "en") -> alt.HConcatChart:
    """Histogram of each hidden layer's activation values (``record.ACT_BINS``), shared axes."""
    ep = _ckpt(rec, epoch)
    ah = rec.act_hist(ep)
    tot = ah.groupby("layer")["count"].transform("sum").clip(lower=1)
    ah = ah.assign(share=ah["count"] / tot, zero=0.0)
    ymax = min(1.0, max(0.05, float(ah["share"].max()) * 1.08)) if len(ah) else 1.0
    xs = alt.Scale(domain=[float(ACT_BINS[0]), float(ACT_BINS[-1])], nice=False)
    ys = alt.Scale(domain=[0, ymax], nice=False)
    charts = []
    n_hidden = rec.n_hidden
    for layer in range(1, n_hidden + 1):
        d = ah[(ah["layer"] == layer) & (ah["share"] > 0)]
        first = layer == 1
        charts.append(alt.Chart(d).mark_rect(color=_layer_colour(rec, layer)).encode(
            alt.X("bin_lo:Q", scale=xs, axis=_axis(None, tickCount=4)), alt.X2("bin_hi"),
            alt.Y("share:Q", scale=ys, axis=_axis(ct("act.frac", lang) if first else None,
                                                  format=".0%", labels=first, ticks=first,
                                                  tickCount=4)),
            alt.Y2("zero"),
            tooltip=[alt.Tooltip("bin_lo:Q", format=".2f"),
                     alt.Tooltip("share:Q", title=ct("act.frac", lang), format=".1%")],
        ).properties(width=width_per_layer, height=height,
                     title=alt.TitleParams(layer_label(layer, n_hidden, lang), fontSize=FONT,
                                           anchor="start")))
    return alt.hconcat(*charts, spacing=8).properties(
        autosize=PAD, title=alt.TitleParams(ct("act.axis", lang), orient="bottom", anchor="middle",
                              fontSize=FONT, fontWeight="normal"))


# ------------------------------------------------------------------------------ table
def layer_table(rec: RunRecord, epoch: int | None = None, lang: str = "en") -> pd.DataFrame:
    """Per layer at a checkpoint: gradient norm, dead %, saturated %, same-sign % (strings,
    translated column names; "—" where a statistic does not apply, e.g. dead output units)."""
    st = rec.stats_at(epoch)
    n_hidden = rec.n_hidden
    rows = []
    for r in st.itertuples(index=False):
        layer = int(r.layer)
        hidden = layer <= n_hidden
        dead = f"{fmt_pct(r.dead_frac)} ({int(r.dead_count)}/{int(r.units)})" if hidden else "—"
        sat = fmt_pct(r.saturated_frac) if hidden else "—"
        rows.append({ct("layer", lang): layer_label(layer, n_hidden, lang),
                     ct("units", lang): int(r.units),
                     ct("grad_norm", lang): fmt_sci(float(r.grad_norm)),
                     ct("dead", lang): dead,
                     ct("saturated", lang): sat,
                     ct("same_sign", lang): fmt_pct(float(r.same_sign_frac))})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ numbers
def snapshot_numbers(rec: RunRecord, epoch: int | None = None) -> dict[str, Any]:
    """The numbers a one-line summary of a checkpoint needs (all computed from the record).

    Keys: epoch, train_acc, test_acc, train_loss, dead, hidden_units, first_norm, last_norm,
    ratio (first-layer / output-layer gradient norm; nan if the output norm is 0),
    saturated (mean saturated share over hidden layers), revived.
    """
    ep = _ckpt(rec, epoch)
    h = rec.history
    row = h[h["epoch"] <= ep].iloc[-1] if len(h) else None
    st = rec.stats_at(ep)
    hidden = st[st["layer"] <= rec.n_hidden]
    first = float(st.loc[st["layer"] == 1, "grad_norm"].iloc[0])
    last = float(st.loc[st["layer"] == rec.n_hidden + 1, "grad_norm"].iloc[0])
    return {
        "epoch": ep,
        "train_acc": float(row["train_acc"]) if row is not None else float("nan"),
        "test_acc": float(row["test_acc"]) if row is not None else float("nan"),
        "train_loss": float(row["train_loss"]) if row is not None else float("nan"),
        "dead": int(hidden["dead_count"].sum()),
        "hidden_units": int(hidden["units"].sum()),
        "first_norm": first, "last_norm": last,
        "ratio": first / last if last > 0 else float("nan"),
        "saturated": float(hidden["saturated_frac"].mean()) if len(hidden) else 0.0,
        "revived": int(hidden["revived"].sum()) if len(hidden) else 0,
    }


def ratio_text(ratio: float, first: float, last: float, lang: str = "en") -> str:
    """"first-layer gradient norm is 1/800 of the output layer's" (or ×, or exactly 0)."""
    if last == 0 and first == 0:
        return ct("sum.all_zero", lang)
    if first == 0:
        return ct("sum.first_zero", lang)
    if not math.isfinite(ratio):
        return ""
    if 0.8 <= ratio <= 1.25:
        return ct("sum.ratio_eq", lang)
    if ratio < 1:
        inv = 1.0 / ratio
        n = f"{inv:.2g}" if inv < 100 else f"{float(f'{inv:.2g}'):.0f}"
        return ct("sum.ratio_lt", lang, n=n)
    return ct("sum.ratio_gt", lang, x=f"{ratio:.2g}")


def summary_line(rec: RunRecord, epoch: int | None = None, lang: str = "en") -> str:
    """One sentence of computed facts about a checkpoint (accuracy, dead units, saturation,
    revivals, first-layer vs output gradient norm)."""
    n = snapshot_numbers(rec, epoch)
    sep = "；" if lang == "zh" else "; "
    parts = [ct("sum.acc", lang, epoch=n["epoch"], train=fmt_pct(n["train_acc"]),
                test=fmt_pct(n["test_acc"])),
             ct("sum.dead", lang, dead=n["dead"], units=n["hidden_units"])]
    if n["revived"]:
        parts.append(ct("sum.revived", lang, n=n["revived"]))
    if n["saturated"] >= 0.005:
        parts.append(ct("sum.saturated", lang, pct=fmt_pct(n["saturated"])))
    ratio = ratio_text(n["ratio"], n["first_norm"], n["last_norm"], lang)
    if ratio:
        parts.append(ratio)
    return sep.join(parts) + ("。" if lang == "zh" else ".")


class LiveThrottle:
    """Wrap a ``draw(partial_record)`` callback so a live run redraws only now and then.

    A frame is drawn when ``interval`` seconds of real time have passed since the last one
    *and* at least ``cost_factor`` times as long as that frame took to draw (a busy server
    draws less often instead of queueing frames); no frame is drawn while ``busy()`` says other
    runs are training. Quick runs finish before the first frame and are not slowed at all.
    """

    def __init__(self, draw: Any, interval: float = 0.6, busy: Any = None,
                 clock: Any = time.perf_counter, cost_factor: float = 4.0) -> None:
        self.draw, self.interval, self.busy, self.clock = draw, interval, busy, clock
        self.cost_factor = cost_factor
        self.next: float | None = None
        self.calls = 0

    def __call__(self, rec: RunRecord) -> None:
        now = self.clock()
        if self.next is None:
            self.next = now + self.interval
            return
        if now < self.next or (self.busy is not None and self.busy()):
            return
        self.calls += 1
        self.draw(rec)
        done = self.clock()
        self.next = done + max(self.interval, self.cost_factor * (done - now))
