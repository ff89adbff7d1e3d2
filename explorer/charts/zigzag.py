"""Charts of the zig-zag lab: pure functions of DataFrames from ``explorer.labs.zigzag``.

No Streamlit. Texts come through ``t(key)`` (the page's translator; tests pass a stub). The
all-positive inputs are drawn in the sigmoid colour, the zero-centred ones in the tanh colour
(they are the outputs of those activations), as on every other page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd

from ..labs.zigzag import KIND_ACTIVATION, QUADRANTS, W_STAR
from .core import fit_title, num_axis, pct_axis
from .palette import ACTIVATION_COLORS

T = Callable[..., str]
FONT = 13
#: banded loss shading, light (low) to mid grey (high), so the coloured paths stand out
LOSS_SHADES = ["#ffffff", "#f1f3f5", "#e3e6ea", "#d3d7dc", "#c2c7cd", "#b0b6bd", "#9ea5ad",
               "#8c939c"]


def _axis(title: str | None, **kw) -> alt.Axis:
    return alt.Axis(title=title, **{"labelFontSize": FONT, "titleFontSize": FONT, **kw})


def _title(text: str, subtitle: str = "", width: float = 420) -> alt.TitleParams:
    """Title and subtitle wrapped to the chart's ``width`` (never cut with "…")."""
    return fit_title(text, width, 16, subtitle=subtitle or None, subtitle_size=12,
                     subtitleColor="#495057")


def _legend() -> alt.Legend:
    """Legends sit right above the plot (the input kinds' names are long)."""
    return alt.Legend(title=None, orient="top", labelFontSize=FONT, labelLimit=0,
                      direction="vertical")


def kind_scale(kinds: Sequence[str], t: T) -> alt.Scale:
    return alt.Scale(domain=[t(f"kind.{k}") for k in kinds],
                     range=[ACTIVATION_COLORS[KIND_ACTIVATION[k]] for k in kinds])


def contour_chart(grid: pd.DataFrame, path: pd.DataFrame, kind: str, t: T,
                  box: Sequence[float], title: str = "", subtitle: str = "",
                  width: int = 500, height: int = 550) -> alt.LayerChart:
    """The loss over (w0, w1) as banded shading (darker = higher, log scale), the SGD path
    in the kind's colour, the start (0, 0) and the optimum w*."""
    color = ACTIVATION_COLORS[KIND_ACTIVATION[kind]]
    w0_lo, w0_hi, w1_lo, w1_hi = box
    xs = alt.Scale(domain=[w0_lo, w0_hi], nice=False, zero=False)
    ys = alt.Scale(domain=[w1_lo, w1_hi], nice=False, zero=False)
    heat = alt.Chart(grid).mark_rect(strokeWidth=0).encode(
        x=alt.X("w0:Q", scale=xs, axis=num_axis("w₀", labelFontSize=FONT, titleFontSize=FONT)),
        x2="w0_hi:Q",
        y=alt.Y("w1:Q", scale=ys, axis=num_axis("w₁", labelFontSize=FONT, titleFontSize=FONT)),
        y2="w1_hi:Q",
        color=alt.Color("log_loss:Q", scale=alt.Scale(type="quantize", range=LOSS_SHADES,
                                                      nice=True, zero=False),
                        legend=alt.Legend(title=t("legend.loss"), orient="right",
                                          labelFontSize=11, titleFontSize=11,
                                          format=".1f")),
        tooltip=[alt.Tooltip("w0:Q", format=".2f"), alt.Tooltip("w1:Q", format=".2f"),
                 alt.Tooltip("loss:Q", title=t("legend.loss_raw"), format=".3g")])
    p = path[path["kind"] == kind]
    line = alt.Chart(p).mark_line(color=color, strokeWidth=1.6, clip=True).encode(
        x=alt.X("w0:Q", scale=xs), y=alt.Y("w1:Q", scale=ys), order="step:Q")
    dots = alt.Chart(p).mark_circle(color=color, size=14, opacity=0.9, clip=True).encode(
        x=alt.X("w0:Q", scale=xs), y=alt.Y("w1:Q", scale=ys),
        tooltip=[alt.Tooltip("step:Q", title=t("axis.step")),
                 alt.Tooltip("w0:Q", format=".3f"), alt.Tooltip("w1:Q", format=".3f")])
    marks = pd.DataFrame({"w0": [0.0, W_STAR[0]], "w1": [0.0, W_STAR[1]],
                          "what": [t("mark.start"), t("mark.opt")]})
    pts = alt.Chart(marks).mark_point(filled=True, size=220, stroke="white",
                                      strokeWidth=1.5).encode(
        x=alt.X("w0:Q", scale=xs), y=alt.Y("w1:Q", scale=ys),
        shape=alt.Shape("what:N", scale=alt.Scale(domain=[t("mark.start"), t("mark.opt")],
                                                  range=["circle", "diamond"]),
                        legend=alt.Legend(title=None, orient="top", labelFontSize=FONT,
                                          labelLimit=0)),
        color=alt.value("#c2255c"), tooltip=[alt.Tooltip("what:N", title=t("tip.mark"))])
    return alt.layer(heat, line, dots, pts).resolve_scale(color="independent").properties(
        width=width, height=height, title=_title(title, subtitle, width))


def distance_chart(path: pd.DataFrame, kinds: Sequence[str], t: T, tol: float,
                   width: int = 420, height: int = 330) -> alt.LayerChart:
    """‖w − w*‖ against the step, log scale, with the tolerance line."""
    df = path[path["kind"].isin(kinds)].copy()
    df["kind_label"] = [t(f"kind.{k}") for k in df["kind"]]
    floor = tol / 100
    df["distance"] = df["distance"].clip(lower=floor)
    top = max(1.0, float(df["distance"].max()) * 1.5)
    lines = alt.Chart(df).mark_line(strokeWidth=2, clip=True).encode(
        x=alt.X("step:Q", axis=num_axis(t("axis.step"))),
        y=alt.Y("distance:Q", scale=alt.Scale(type="log", domain=[floor, top], nice=False),
                axis=num_axis(t("axis.distance"))),
        color=alt.Color("kind_label:N", scale=kind_scale(kinds, t), legend=_legend()),
        tooltip=[alt.Tooltip("kind_label:N", title=t("axis.inputs")),
                 alt.Tooltip("step:Q", title=t("axis.step")),
                 alt.Tooltip("distance:Q", title=t("axis.distance"), format=".3g")])
    rule = alt.Chart(pd.DataFrame({"y": [tol]})).mark_rule(color="#c2255c",
                                                          strokeDash=[5, 4]).encode(y="y:Q")
    return alt.layer(lines, rule).properties(width=width, height=height,
                                             title=_title(t("chart.distance"),
                                                          t("chart.distance_sub", tol=tol),
                                                          width))


def quadrant_chart(quadrants: pd.DataFrame, kinds: Sequence[str], t: T, width: int = 420,
                   height: int = 330) -> alt.LayerChart:
    """Share of the per-sample updates (Δw0, Δw1) in each sign quadrant, per input kind."""
    df = quadrants[quadrants["kind"].isin(kinds)].copy()
    df["kind_label"] = [t(f"kind.{k}") for k in df["kind"]]
    df["text"] = [f"{100 * v:.0f}%" for v in df["frac"]]
    order = [t(f"kind.{k}") for k in kinds]
    base = alt.Chart(df).encode(
        x=alt.X("quadrant:N", sort=list(QUADRANTS), axis=_axis(t("axis.quadrant"), labelAngle=0,
                                                               labelFontSize=15)),
        xOffset=alt.XOffset("kind_label:N", sort=order),
        y=alt.Y("frac:Q", scale=alt.Scale(domain=[0, 1]), axis=pct_axis(t("axis.share"))))
    bars = base.mark_bar().encode(
        color=alt.Color("kind_label:N", scale=kind_scale(kinds, t), sort=order,
                        legend=_legend()),
        tooltip=[alt.Tooltip("kind_label:N", title=t("axis.inputs")),
                 alt.Tooltip("quadrant:N", title=t("axis.quadrant")),
                 alt.Tooltip("frac:Q", title=t("axis.share"), format=".1%")])
    text = base.mark_text(dy=-7, fontSize=12, color="#343a40").encode(text="text:N")
    return alt.layer(bars, text).properties(width=width, height=height,
                                            title=_title(t("chart.quadrants"),
                                                         t("chart.quadrants_sub"), width))


def sweep_chart(sweep: pd.DataFrame, kinds: Sequence[str], t: T, budget: int,
                width: int = 420, height: int = 330) -> alt.LayerChart:
    """Steps to reach w* for several seeds; runs that never reached it are drawn at the step
    budget, faded, labelled "—"."""
    df = sweep[sweep["kind"].isin(kinds)].copy()
    df["kind_label"] = [t(f"kind.{k}") for k in df["kind"]]
    df["reached"] = df["steps"].notna()
    df["shown"] = df["steps"].fillna(budget)
    df["text"] = [f"{v:.0f}" if ok else "—" for v, ok in zip(df["steps"], df["reached"],
                                                              strict=True)]
    order = [t(f"kind.{k}") for k in kinds]
    base = alt.Chart(df).encode(
        x=alt.X("seed:O", axis=_axis(t("axis.seed"), labelAngle=0)),
        xOffset=alt.XOffset("kind_label:N", sort=order),
        y=alt.Y("shown:Q", axis=num_axis(t("axis.steps"))))
    bars = base.mark_bar().encode(
        color=alt.Color("kind_label:N", scale=kind_scale(kinds, t), sort=order,
                        legend=_legend()),
        opacity=alt.condition("datum.reached", alt.value(1.0), alt.value(0.3)),
        tooltip=[alt.Tooltip("kind_label:N", title=t("axis.inputs")),
                 alt.Tooltip("seed:O", title=t("axis.seed")),
                 alt.Tooltip("text:N", title=t("axis.steps"))])
    text = base.mark_text(dy=-7, fontSize=11, color="#343a40").encode(text="text:N")
    return alt.layer(bars, text).properties(width=width, height=height,
                                            title=_title(t("chart.sweep"),
                                                         t("chart.sweep_sub"), width))


def layer_chart(table: pd.DataFrame, value: str, t: T, title: str, subtitle: str = "",
                width: int = 560, height: int = 360) -> alt.LayerChart:
    """Grouped bars per layer: the same-sign share (``value`` = per_sample or per_batch)
    for each activation of the real-network runs."""
    df = table.copy()
    names = list(dict.fromkeys(df["activation"]))
    labels = [str(df.loc[df["activation"] == n, "label"].iloc[0]) for n in names]
    layer_names = list(dict.fromkeys(df.sort_values("layer")["layer_name"]))
    df["layer_label"] = [t("layer.output") if n == "output" else
                         t("layer.hidden", n=n.split()[-1]) for n in df["layer_name"]]
    layer_order = [t("layer.output") if n == "output" else t("layer.hidden", n=n.split()[-1])
                   for n in layer_names]
    df["text"] = [f"{100 * v:.0f}%" for v in df[value]]
    base = alt.Chart(df).encode(
        x=alt.X("layer_label:N", sort=layer_order, axis=_axis(None, labelAngle=0)),
        xOffset=alt.XOffset("label:N", sort=labels),
        y=alt.Y(f"{value}:Q", scale=alt.Scale(domain=[0, 1]),
                axis=pct_axis(t("axis.same_sign"))))
    bars = base.mark_bar().encode(
        color=alt.Color("label:N", sort=labels,
                        scale=alt.Scale(domain=labels,
                                        range=[ACTIVATION_COLORS.get(n, "#333") for n in names]),
                        legend=alt.Legend(title=None, orient="top", labelFontSize=FONT,
                                          labelLimit=0)),
        tooltip=[alt.Tooltip("label:N", title=t("axis.activation")),
                 alt.Tooltip("layer_label:N", title=t("axis.layer")),
                 alt.Tooltip(f"{value}:Q", title=t("axis.same_sign"), format=".1%")])
    text = base.mark_text(dy=-7, fontSize=12, color="#343a40").encode(text="text:N")
    return alt.layer(bars, text).properties(width=width, height=height,
                                            title=_title(title, subtitle, width))
