"""Core chart builders: decision boundary, loss/accuracy curves, per-layer histograms, layer table.

Pure functions from :class:`~explorer.record.RunRecord` to Altair charts (or a display-ready
DataFrame). No Streamlit. Every title and axis label comes from ``explorer.texts.charts`` in
English or Simplified Chinese (``lang``). Default sizes fit three charts side by side on a
1600 px wide page with the sidebar open.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..config import run_label
from ..datasets import display_names
from ..record import ACT_BINS, GRAD_BINS, GRAD_LOG_HI, GRAD_LOG_LO, RunRecord
from ..texts import NO_BREAK_BEFORE, lookup
from ..texts.charts import TEXT
from .palette import ACTIVATION_COLORS, CLASS_COLORS, NEUTRAL_INK, SIGNED_NEG, SIGNED_POS

#: distinct colours used when two curves share an activation (Tableau 10)
DISTINCT = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac"]
POS_COLOR, NEG_COLOR, ZERO_COLOR, OUTPUT_COLOR = SIGNED_POS, SIGNED_NEG, "#868e96", "#495057"
#: divergence rules and labels: neutral (red would read as ReLU)
DIVERGED_COLOR = NEUTRAL_INK
#: the "exactly zero" bar sits left of the smallest log10|g| bin
ZERO_LO, ZERO_HI = GRAD_LOG_LO - 1.0, GRAD_LOG_LO - 0.5
FONT = 13  # axis-label font size (readable on a projector)
#: single and layered charts: ``width`` is the whole chart (axes and legends included, so it
#: fits a column), ``height`` the plotting area; rows of small charts: plain sizes ("pad")
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")
PAD = alt.AutoSizeParams(type="pad", contains="padding")



#: Chart text in ``lang``: ``ct(key, lang, **fmt)``
ct = partial(lookup, TEXT)


def layer_label(layer: int, n_hidden: int, lang: str = "en") -> str:
    """"hidden 1" ... "output" (translated); ``layer`` is 1-based, output is n_hidden + 1."""
    return ct("output", lang) if layer == n_hidden + 1 else ct("hidden_n", lang, n=layer)


#: the one number format of every chart (axis labels, titles, tables): plain decimals
#: (at most 3 significant digits) from PLAIN_LO up to PLAIN_HI, ``m×10ⁿ`` (``10ⁿ`` for powers
#: of ten) outside; negative numbers with the minus sign "−" (as Vega draws them)
PLAIN_LO, PLAIN_HI = 1e-2, 1e4
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
#: d3 format of percentages (shares of weights, units, inputs) on every chart axis
PCT_FORMAT = ".0%"


def _sup(n: int) -> str:
    return ("⁻" if n < 0 else "") + "".join(SUPERSCRIPTS[int(c)] for c in str(abs(n)))


def fmt_num(v: float | None, digits: int = 3) -> str:
    """The charts' one number format: 0.0228 -> '0.0228', 2500 -> '2500', 3.1e-5 ->
    '3.1×10⁻⁵', 1e-3 -> '10⁻³', -0.5 -> '−0.5'; non-finite -> '—'. The Vega expression
    :data:`NUM_EXPR` draws axis labels the same way."""
    if v is None or not math.isfinite(v):
        return "—"
    if v == 0:
        return "0"
    sign = "−" if v < 0 else ""
    a = abs(float(v))
    if PLAIN_LO <= a < PLAIN_HI:
        return sign + f"{float(f'{a:.{digits}g}'):g}"
    e = math.floor(math.log10(a) + 1e-9)
    mant = float(f"{a / 10.0 ** e:.2g}")
    if mant >= 10:
        mant, e = mant / 10, e + 1
    if abs(mant - 1) < 1e-9:
        return f"{sign}10{_sup(e)}"
    return f"{sign}{mant:g}×10{_sup(e)}"


def fmt_sci(v: float) -> str:
    """Gradient norms in the one number format (:func:`fmt_num`): 3.1e-02 -> '0.031',
    3.1e-05 -> '3.1×10⁻⁵'."""
    return fmt_num(v)


def _num_expr(x: str) -> str:
    """Vega expression formatting the number ``x`` like :func:`fmt_num`."""
    a = f"abs({x})"
    e = f"floor(log({a}) / LN10 + 1e-9)"
    m = f"({a} / pow(10, {e}))"
    digits = "[" + ",".join(f"'{c}'" for c in SUPERSCRIPTS) + "]"
    sup = (f"(({e}) < 0 ? '⁻' : '') + (abs({e}) >= 10 ? {digits}[floor(abs({e}) / 10)] : '')"
           f" + {digits}[abs({e}) % 10]")
    sign = f"(({x}) < 0 ? '−' : '')"
    return (f"({x}) == 0 ? '0' : ({a} >= {PLAIN_LO} && {a} < {PLAIN_HI} ? "
            f"{sign} + format({a}, '.3~r') : (abs({m} - 1) < 0.005 ? {sign} + '10' + {sup} : "
            f"{sign} + format({m}, '.2~r') + '×10' + {sup}))")


#: labelExpr of every numeric (non-percent) chart axis: the format of :func:`fmt_num`
NUM_EXPR = _num_expr("datum.value")
_LABEL_EXPRS: set[str] = {NUM_EXPR}


def tick_label_expr(values: Sequence[float], labels: Sequence[str] | None = None) -> str:
    """labelExpr naming each tick ``values[i]`` by ``labels[i]`` (default: :func:`fmt_num`);
    other values get no label. Every chart's hand-placed ticks go through here."""
    labels = [fmt_num(v) for v in values] if labels is None else list(labels)
    expr = "''"
    for v, lab in reversed(list(zip(values, labels, strict=True))):
        lab = str(lab).replace("\\", "").replace("'", "\\'")
        expr = f"abs(datum.value - ({float(v):.6g})) < 1e-6 * max(1, abs({float(v):.6g})) " \
               f"? '{lab}' : ({expr})"
    _LABEL_EXPRS.add(expr)
    return expr


def is_shared_format(axis: dict[str, Any]) -> bool:
    """True when an axis (a Vega-Lite axis dict) labels its numbers with the charts' one
    format: :data:`NUM_EXPR`, a :func:`tick_label_expr`, or the percent format."""
    if axis.get("labelExpr") is not None:
        return axis["labelExpr"] in _LABEL_EXPRS
    return axis.get("format") == PCT_FORMAT


def num_axis(title: str | None, **kw: Any) -> alt.Axis:
    """A numeric axis labelled in the one number format."""
    return _axis(title, **{"labelExpr": NUM_EXPR, **kw})


def pct_axis(title: str | None, **kw: Any) -> alt.Axis:
    """A share axis (0–100 %)."""
    return _axis(title, **{"format": PCT_FORMAT, **kw})


# ------------------------------------------------------------------------------ titles
def _wide(ch: str) -> bool:
    o = ord(ch)
    return (0x1100 <= o <= 0x115F or 0x2E80 <= o <= 0xA4CF or 0xAC00 <= o <= 0xD7A3
            or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFF60
            or 0xFFE0 <= o <= 0xFFE6)


#: estimated advance of one character, in ems (CJK characters are about twice as wide).
#: Measured in Chromium with the charts' font (Source Sans): Latin 0.40–0.47 em (bold
#: included), CJK 1.0 em; rounded up so that an estimated line is never narrower than drawn
EM_LATIN, EM_WIDE = 0.5, 1.05


def text_px(text: str, size: float) -> float:
    """Estimated width in pixels of ``text`` at font size ``size`` (conservative)."""
    return size * sum(EM_WIDE if _wide(c) else EM_LATIN for c in text)


def wrap_text(text: str, width: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` px at font size ``size``: at spaces
    in Latin text, between any two CJK characters (never before CJK punctuation)."""
    out: list[str] = []
    for para in str(text).split("\n"):
        tokens: list[str] = []
        for part in para.split(" "):  # words; CJK runs split into single characters
            buf = ""
            for c in part:
                if _wide(c) and c not in NO_BREAK_BEFORE:
                    if buf:
                        tokens.append(buf)
                    buf = c
                elif _wide(c):
                    buf += c
                else:
                    if buf and _wide(buf[-1]) and c not in ",.;:)":
                        tokens.append(buf)
                        buf = ""
                    buf += c
            if buf:
                tokens.append(buf)
            tokens.append(" ")
        line = ""
        for tok in tokens[:-1] if tokens else []:
            trial = line + tok
            if line.strip() and text_px(trial.rstrip(), size) > width:
                out.append(line.rstrip())
                line = "" if tok == " " else tok
            else:
                line = trial
        out.append(line.rstrip())
    return [ln for ln in out if ln] or [""]


def fit_title(text: str | Sequence[str], width: float, size: float = FONT,
              subtitle: str | Sequence[str] | None = None, subtitle_size: float | None = None,
              **kw: Any) -> alt.TitleParams:
    """A chart title (and subtitle) wrapped into lines that fit ``width`` px: never cut with
    "…" (no ``limit``). ``text`` may already be a list of lines; each is wrapped."""
    def lines(t: str | Sequence[str], s: float) -> list[str] | str:
        parts = [t] if isinstance(t, str) else list(t)
        out = [ln for p in parts for ln in wrap_text(p, width, s)]
        return out[0] if len(out) == 1 else out

    sub_size = subtitle_size if subtitle_size is not None else size - 1
    extra: dict[str, Any] = {"anchor": "start", "limit": 0, **kw}
    if subtitle:
        extra.update(subtitle=lines(subtitle, sub_size), subtitleFontSize=sub_size)
    return alt.TitleParams(lines(text, size), fontSize=size, **extra)


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


#: spec keys holding a text width limit (scaled with the fonts so nothing gets cut sooner)
LIMIT_KEYS = frozenset({"limit", "labelLimit", "titleLimit"})
#: smallest chart text in projector mode (px): readable from the back of a lecture room
PROJECTOR_MIN_FONT = 16
#: chart font factor in projector mode (charts are drawn this much larger too)
PROJECTOR_FACTOR = 1.3


def scale_fonts(spec: dict[str, Any], factor: float, floor: float = 0) -> dict[str, Any]:
    """Multiply every font size in a Vega-Lite spec (a dict, changed in place and returned)
    by ``factor``, and raise it to at least ``floor`` px: explicit sizes anywhere in the spec,
    and the defaults in ``config`` for text that has none (projector mode). Text width
    limits grow by the same factor; data, widths and heights are left alone."""

    def size(value: float) -> float:
        return round(max(value * factor, floor), 1)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("datasets", "data", "values"):
                    continue
                if key in FONT_KEYS and isinstance(value, (int, float)) \
                        and not isinstance(value, bool):
                    node[key] = size(value)
                elif key in LIMIT_KEYS and isinstance(value, (int, float)) \
                        and not isinstance(value, bool) and value > 0:
                    node[key] = round(value * max(factor, 1.0), 1)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    config = spec.setdefault("config", {})
    for part, sizes in DEFAULT_FONTS.items():
        block = config.setdefault(part, {})
        for key, default in sizes.items():
            block.setdefault(key, size(default))
    return spec


def projector_spec(chart: Any, factor: float = PROJECTOR_FACTOR,
                   min_font: float = PROJECTOR_MIN_FONT) -> dict[str, Any]:
    """The projector-mode version of a chart (an Altair chart or a Vega-Lite spec dict): every
    text ``factor`` times larger and at least ``min_font`` px. Pages draw charts through
    ``ui.show_chart``, which applies this in projector mode."""
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return scale_fonts(spec, factor, floor=min_font)


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
    feature_names, class_names = display_names(data, lang)
    names = list(class_names or tuple(str(i) for i in range(K)))
    colours = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(K)]
    fx, fy = feature_names if feature_names else ("x1", "x2")
    xs = alt.Scale(domain=xdom, nice=False, zero=False, padding=0)
    ys = alt.Scale(domain=ydom, nice=False, zero=False, padding=0)
    X = alt.X("x0:Q", scale=xs, axis=num_axis(fx, grid=False, tickCount=5))
    Y = alt.Y("y0:Q", scale=ys, axis=num_axis(fy, grid=False, tickCount=5))
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
    pts["class"] = [names[i] for i in pts["label"]]  # in the page language
    pts["split"] = pts["split"].map({"train": ct("split.train", lang),
                                     "test": ct("split.test", lang)})
    splits = [ct("split.train", lang), ct("split.test", lang)][:2 if show_test else 1]
    leg = (lambda t: alt.Legend(title=t, orient="right", direction="vertical",
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
        title=_short_title(title if title is not None else ct("boundary.title", lang, epoch=ep),
                           width))


def _short_title(title: Any, width: float, size: float = 13) -> Any:
    """A plain title string as it is when it fits on one line, else wrapped
    (:func:`fit_title`); TitleParams and lists are left alone."""
    if isinstance(title, str) and len(wrap_text(title, width, size)) > 1:
        return fit_title(title, width, size)
    return title


# ------------------------------------------------------------------------------ curves
def _series_colours(records: Sequence[RunRecord], labels: Sequence[str]) -> list[str]:
    acts = [r.config.activation if not r.config.layer_activations else None for r in records]
    if None not in acts and len(set(acts)) == len(acts):
        return [ACTIVATION_COLORS[a] for a in acts]  # type: ignore[index]
    return [DISTINCT[i % len(DISTINCT)] for i in range(len(labels))]


def relabel(frame: pd.DataFrame, lang: str, col: str = "label") -> pd.DataFrame:
    """``frame`` with its run labels (column ``col``, in English as the engine and the cached
    results write them) shown in ``lang`` (:func:`explorer.config.run_label`)."""
    if lang == "en" or col not in frame:
        return frame
    return frame.assign(**{col: [run_label(str(v), lang) for v in frame[col]]})


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


#: a loss chart with more runs than this draws train and test in two panels by default
SPLIT_RUNS = 2


def loss_chart(records: RunRecord | Sequence[RunRecord], log_scale: bool = False,
               marker_epoch: int | None = None, metric: str = "loss", width: int = 420,
               height: int = 300, title: str | None = None, lang: str = "en",
               labels: Sequence[str] | None = None, legend: bool = True,
               split: bool | None = None) -> alt.Chart:
    """Training (solid) and test (dashed) curves, one colour per run's activation.

    ``metric`` is "loss" or "acc". A grey rule marks ``marker_epoch`` (the replayed epoch);
    a dark rule and a label (one row per run, never overlapping) mark each run's divergence.
    ``labels`` overrides the run names. ``split``: train and test in two small panels side by
    side on one y scale (default: when there are more than :data:`SPLIT_RUNS` runs, so ten
    lines never tangle in one plot). The legend sits next to the plot: above it for one run
    (train / test), at its right for several. ``width`` is the whole chart's.
    """
    if metric not in ("loss", "acc"):
        raise ValueError(f"metric: {metric!r} is not 'loss' or 'acc'")
    recs = [records] if isinstance(records, RunRecord) else list(records)
    labs = _unique(list(labels) if labels is not None else [r.label_for(lang) for r in recs])
    colours = _series_colours(recs, labs)
    split = len(recs) > SPLIT_RUNS if split is None else bool(split)
    df = curves_frame(recs, labs, metric, lang)
    if metric == "loss" and log_scale:
        df["value"] = df["value"].clip(lower=1e-12)
    splits = [ct("split.train", lang), ct("split.test", lang)]
    x_max = max([r.config.epochs for r in recs] + [1])
    xs = alt.Scale(domain=[0, x_max], nice=False)
    if metric == "acc":
        ys = alt.Scale(domain=[0, 1])
        y_title = ct("acc", lang)
        y_axis = pct_axis(y_title)
    elif log_scale:
        ys = alt.Scale(type="log")
        y_title = ct("loss.log", lang)
        y_axis = num_axis(y_title)
    else:
        ys = alt.Scale(zero=True)
        y_title = ct("loss", lang)
        y_axis = num_axis(y_title)
    many = len(recs) > 1
    legend_w = max([text_px(lab, FONT) for lab in labs + [ct("run", lang)]] + [0]) + 34 \
        if legend and many else 0

    def leg(t: str, show: bool = True) -> alt.Legend | None:
        if not (legend and show):
            return None
        if many:
            return alt.Legend(title=t, orient="right", labelFontSize=FONT, titleFontSize=FONT,
                              labelLimit=0)
        return alt.Legend(title=None, orient="top", direction="horizontal",
                          labelFontSize=FONT, labelLimit=0, offset=4)

    def panel(data: pd.DataFrame, first: bool, with_dash: bool) -> list[alt.Chart]:
        lines = alt.Chart(data).mark_line(strokeWidth=2.2, clip=True).encode(
            alt.X("epoch:Q", scale=xs, axis=num_axis(ct("epoch", lang))),
            alt.Y("value:Q", scale=ys, axis=y_axis if first else
                  num_axis(None, labels=False) if metric == "loss" else
                  pct_axis(None, labels=False)),
            color=alt.Color("run:N", scale=alt.Scale(domain=labs, range=colours),
                            legend=leg(ct("run", lang), many)),
            strokeDash=alt.StrokeDash("curve:N", scale=alt.Scale(domain=splits,
                                                                 range=[[1, 0], [6, 4]]),
                                      legend=leg(ct("curve", lang), with_dash)),
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
        layers += _divergence_layers(recs, labs, xs, x_max, lang, labels_too=first)
        return layers

    default_title = ct("loss.title" if metric == "loss" else "acc.title", lang)
    shown_title = default_title if title is None else title
    shown_title = _short_title(shown_title, width)
    if not split:
        return alt.layer(*panel(df, True, True)).properties(
            width=width, height=height, autosize=FIT_X, title=shown_title)
    spacing, y_axis_w = 10, 58
    pw = int(max(80, (width - y_axis_w - legend_w - spacing) / 2))
    panels = []
    for i, name in enumerate(splits):
        sub = df[df["curve"] == name]
        panels.append(alt.layer(*panel(sub, i == 0, False)).properties(
            width=pw, height=height, title=fit_title(name, pw, FONT)))
    return alt.hconcat(*panels, spacing=spacing).resolve_scale(y="shared").properties(
        autosize=PAD, title=shown_title)


def _divergence_layers(recs: Sequence[RunRecord], labs: Sequence[str], xs: alt.Scale,
                       x_max: int, lang: str, labels_too: bool = True) -> list[alt.Chart]:
    """A rule at each run's divergence epoch, and its label in a row of its own (stacked from
    the top of the plot, so two labels never overlap), left of the rule in the right half of
    the plot, right of it in the left half (never over the axis). Neutral colour."""
    div = [(r.diverged_at, lab) for r, lab in zip(recs, labs, strict=True)
           if r.diverged_at is not None]
    if not div:
        return []
    key = "diverged.run" if len(recs) > 1 else "diverged"
    dd = pd.DataFrame({"epoch": [d for d, _ in div],
                       "text": [ct(key, lang, epoch=d, run=lab) for d, lab in div]})
    out: list[alt.Chart] = [alt.Chart(dd).mark_rule(color=DIVERGED_COLOR, strokeWidth=1.5,
                                                    strokeDash=[6, 2]).encode(
        alt.X("epoch:Q", scale=xs))]
    if not labels_too:
        return out
    for i, row in enumerate(dd.itertuples(index=False)):
        right_half = row.epoch > x_max / 2
        out.append(alt.Chart(dd.iloc[[i]]).mark_text(
            color=DIVERGED_COLOR, align="right" if right_half else "left", baseline="top",
            dx=-5 if right_half else 5, dy=4 + i * DIVERGED_ROW, fontSize=FONT - 1,
            fontWeight="bold").encode(alt.X("epoch:Q", scale=xs), alt.YValue(0),
                                      text="text:N"))
    return out


#: vertical distance (px) between stacked divergence labels: more than their font size,
#: also in projector mode (fonts ×1.3, at least 16 px)
DIVERGED_ROW = 22


# ------------------------------------------------------------------------------ histograms
def _log_tick_expr(step: int = 3) -> tuple[list[float], str]:
    """Tick positions and a labelExpr: '0' under the zero bar, powers of ten elsewhere."""
    ticks = [(ZERO_LO + ZERO_HI) / 2] + list(range(-3 * step, int(GRAD_LOG_HI) + 1, step))
    labels = ["0"] + [fmt_num(10.0 ** t) for t in ticks[1:]]
    return ticks, tick_label_expr(ticks, labels)


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


def _grad_domain(rec: RunRecord, signed: bool) -> list[float]:
    """y domain of a record's gradient histograms: holds every bar of every checkpoint and
    layer, the "exactly 0" bar included (so replay keeps the y axis still and no bar is ever
    clipped). Unsigned: [0, top]; signed: [−largest negative bar, largest positive or zero
    bar] (the zero bar points up)."""
    gc = np.asarray(rec.grad_counts, dtype=np.float64)  # (C, layers, 2, bins)
    gz = np.asarray(rec.grad_zero_counts, dtype=np.float64)  # (C, layers)
    if gc.size == 0:
        return [-1.0, 1.0] if signed else [0.0, 1.0]
    total = np.maximum(gc.sum(axis=(2, 3)) + gz, 1.0)
    zeros = float((gz / total).max()) if gz.size else 0.0
    if not signed:
        m = max(float((gc.sum(axis=2) / total[:, :, None]).max()), zeros)
        return [0.0, _pad_top(m)]
    share = gc / total[:, :, None, None]
    return [-_pad_top(float(share[:, :, 1].max())), _pad_top(max(float(share[:, :, 0].max()),
                                                                    zeros))]


def _pad_top(m: float) -> float:
    """A y-axis top a little above the largest bar ``m`` (a share, so at most 1)."""
    return max(m, min(1.0, max(0.05, m * 1.08)))


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
    ydom = _grad_domain(rec, signed)
    if y_max is not None:  # a caller's shared top; grown if a bar of this record is higher
        ydom = [min(ydom[0], -y_max), max(ydom[1], y_max)] if signed \
            else [0.0, max(ydom[1], y_max)]
    ticks, expr = _log_tick_expr(3 if width_per_layer >= 110 else 6)
    xs = alt.Scale(domain=[ZERO_LO, float(GRAD_BINS[-1])], nice=False, zero=False)
    ys = alt.Scale(domain=ydom, nice=False)
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
        y_axis = pct_axis(ct("grad.frac.signed" if signed else "grad.frac", lang) if first
                          else None, labels=first, ticks=first, tickCount=4, domain=False)
        norm = float(stats.loc[layer, "grad_norm"]) if layer in stats.index else float("nan")
        name = layer_label(layer, n_layers - 1, lang)
        title = fit_title([name, ct("grad.norm", lang, norm=fmt_sci(norm))], width_per_layer,
                          FONT, subtitle=ct("grad.zeros", lang, pct=fmt_pct(zero_share)),
                          subtitle_size=FONT - 1, subtitleColor="#555555")
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
    row_w = n_layers * (width_per_layer + 8) + 40
    return row.properties(autosize=PAD, title=fit_title(
        ct("grad.axis", lang), row_w, FONT, orient="bottom", anchor="middle",
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
    ymax = _pad_top(float(ah["share"].max())) if len(ah) else 1.0  # holds every bar
    xs = alt.Scale(domain=[float(ACT_BINS[0]), float(ACT_BINS[-1])], nice=False)
    ys = alt.Scale(domain=[0, ymax], nice=False)
    charts = []
    n_hidden = rec.n_hidden
    for layer in range(1, n_hidden + 1):
        d = ah[(ah["layer"] == layer) & (ah["share"] > 0)]
        first = layer == 1
        charts.append(alt.Chart(d).mark_rect(color=_layer_colour(rec, layer)).encode(
            alt.X("bin_lo:Q", scale=xs, axis=num_axis(None, tickCount=4)), alt.X2("bin_hi"),
            alt.Y("share:Q", scale=ys, axis=pct_axis(ct("act.frac", lang) if first else None,
                                                     labels=first, ticks=first,
                                                     tickCount=4)),
            alt.Y2("zero"),
            tooltip=[alt.Tooltip("bin_lo:Q", format=".2f"),
                     alt.Tooltip("share:Q", title=ct("act.frac", lang), format=".1%")],
        ).properties(width=width_per_layer, height=height,
                     title=fit_title(layer_label(layer, n_hidden, lang), width_per_layer, FONT)))
    return alt.hconcat(*charts, spacing=8).properties(
        autosize=PAD, title=fit_title(ct("act.axis", lang), n_hidden * (width_per_layer + 8) + 40,
                                      FONT, orient="bottom", anchor="middle",
                                      fontWeight="normal"))


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
        asleep = (f"{fmt_pct(r.asleep_frac)} ({int(r.asleep_count)}/{int(r.units)})"
                  if hidden and "asleep_frac" in st else "—")
        same = fmt_pct(float(r.same_sign_frac))
        if "same_sign_chance" in st and math.isfinite(float(r.same_sign_chance)):
            # read against the chance level 2^(1−d) of the layer's fan-in d (record.py)
            same = ct("same_sign_cell", lang, v=same, c=fmt_pct(float(r.same_sign_chance)))
        rows.append({ct("layer", lang): layer_label(layer, n_hidden, lang),
                     ct("units", lang): int(r.units),
                     ct("grad_norm", lang): fmt_sci(float(r.grad_norm)),
                     ct("dead", lang): dead,
                     ct("asleep", lang): asleep,
                     ct("saturated", lang): sat,
                     ct("same_sign", lang): same})
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
    sep = ct("sum.sep", lang)
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
    return sep.join(parts) + ct("sum.end", lang)

