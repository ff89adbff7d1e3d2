"""Core chart builders: decision boundary, loss/accuracy curves, per-layer histograms, layer table.

Pure functions from :class:`~explorer.record.RunRecord` to Altair charts (or a display-ready
DataFrame). No Streamlit. Every title and axis label comes from ``explorer.texts.charts`` in
the page's language (``lang``). Default sizes fit three charts side by side on a 1600 px wide
page with the sidebar open. The boundary and the curves are built here; what all charts share
(text, number formats, axes, titles, projector fonts) is in :mod:`.style`, the per-layer charts
and numbers in :mod:`.layers`; this module re-exports both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..config import run_label
from ..datasets import display_names
from ..record import RunRecord
from ..texts import DEFAULT_LANG
from .layers import (
    act_hist_row,
    fit_width,
    grad_domain,
    grad_fractions,
    grad_hist_row,
    layer_colour,
    layer_table,
    log_tick_expr,
    pad_top,
    ratio_text,
    snapshot_numbers,
    summary_line,
)
from .palette import ACTIVATION_COLORS, CLASS_COLORS
from .style import (
    DEFAULT_FONTS,
    DISTINCT,
    DIVERGED_COLOR,
    EM_LATIN,
    EM_WIDE,
    FIT_X,
    FONT,
    FONT_KEYS,
    LABEL_EXPRS,
    LIMIT_KEYS,
    NEG_COLOR,
    NUM_EXPR,
    OUTPUT_COLOR,
    PAD,
    PCT_FORMAT,
    PLAIN_HI,
    PLAIN_LO,
    POS_COLOR,
    PROJECTOR_FACTOR,
    PROJECTOR_MIN_FONT,
    SUPERSCRIPTS,
    ZERO_COLOR,
    ZERO_HI,
    ZERO_LO,
    checkpoint_at,
    ct,
    fit_title,
    fmt_num,
    fmt_pct,
    fmt_sci,
    is_shared_format,
    is_wide,
    layer_label,
    num_axis,
    num_expr,
    pct_axis,
    phone_spec,
    plain_axis,
    projector_spec,
    scale_fonts,
    superscript,
    text_px,
    tick_label_expr,
    wrap_text,
)


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
    ep = checkpoint_at(rec, epoch)
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
    if lang == DEFAULT_LANG or col not in frame:
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
        layers += lr_change_layers(recs, xs, x_max, lang, labels_too=first)
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


def lr_changes(recs: Sequence[RunRecord]) -> list[tuple[int, float]]:
    """Every (epoch, new learning rate) of the runs' ``lr_changes`` within their epochs, once
    each, by epoch (the curves' rules; the live player's come from ``frames.payload``)."""
    return sorted({(int(e), float(x)) for r in recs for e, x in r.config.lr_changes
                   if 0 < e <= r.config.epochs})


def lr_change_layers(recs: Sequence[RunRecord], xs: alt.Scale, x_max: int, lang: str,
                     labels_too: bool = True) -> list[alt.Chart]:
    """A rule where the learning rate changed ("lr → 3"), and its label in a row below the
    divergence labels (so the two never overlap), placed as those are."""
    changes = lr_changes(recs)
    if not changes:
        return []
    dd = pd.DataFrame({"epoch": [e for e, _ in changes],
                       "text": [ct("lr_rule", lang, lr=f"{x:g}") for _, x in changes]})
    out: list[alt.Chart] = [alt.Chart(dd).mark_rule(color=LR_COLOR, strokeWidth=1.5).encode(
        alt.X("epoch:Q", scale=xs))]
    if not labels_too:
        return out
    below = sum(r.diverged_at is not None for r in recs)  # the divergence labels' rows
    for i, row in enumerate(dd.itertuples(index=False)):
        right_half = row.epoch > x_max / 2
        out.append(alt.Chart(dd.iloc[[i]]).mark_text(
            color=LR_COLOR, align="right" if right_half else "left", baseline="top",
            dx=-5 if right_half else 5, dy=4 + (below + i) * DIVERGED_ROW, fontSize=FONT - 1,
            fontWeight="bold").encode(alt.X("epoch:Q", scale=xs), alt.YValue(0),
                                      text="text:N"))
    return out


#: the learning-rate change rules' colour (violet: no activation's, class's or curve's)
LR_COLOR = "#7048e8"

#: vertical distance (px) between stacked divergence labels: more than their font size,
#: also in projector mode (fonts ×1.3, at least 16 px)
DIVERGED_ROW = 22

#: ``core`` is the charts' entry point: its own builders and, re-exported, those of ``style`` and
#: ``layers`` (callers import them all from here)
__all__ = [
    "DEFAULT_FONTS",
    "DISTINCT",
    "DIVERGED_COLOR",
    "DIVERGED_ROW",
    "EM_LATIN",
    "EM_WIDE",
    "FIT_X",
    "FONT",
    "FONT_KEYS",
    "LABEL_EXPRS",
    "LIMIT_KEYS",
    "NEG_COLOR",
    "NUM_EXPR",
    "OUTPUT_COLOR",
    "PAD",
    "PCT_FORMAT",
    "PLAIN_HI",
    "PLAIN_LO",
    "POS_COLOR",
    "PROJECTOR_FACTOR",
    "PROJECTOR_MIN_FONT",
    "SPLIT_RUNS",
    "SUPERSCRIPTS",
    "ZERO_COLOR",
    "ZERO_HI",
    "ZERO_LO",
    "act_hist_row",
    "boundary_chart",
    "checkpoint_at",
    "ct",
    "curves_frame",
    "fit_title",
    "fit_width",
    "fmt_num",
    "fmt_pct",
    "fmt_sci",
    "grad_domain",
    "grad_fractions",
    "grad_hist_row",
    "is_shared_format",
    "is_wide",
    "layer_colour",
    "layer_label",
    "layer_table",
    "log_tick_expr",
    "loss_chart",
    "num_axis",
    "num_expr",
    "pad_top",
    "pct_axis",
    "phone_spec",
    "plain_axis",
    "projector_spec",
    "ratio_text",
    "relabel",
    "scale_fonts",
    "snapshot_numbers",
    "summary_line",
    "superscript",
    "text_px",
    "tick_label_expr",
    "wrap_text",
]
