"""Charts of the activation gallery: pure functions of DataFrames from ``explorer.labs.gallery``.

No Streamlit. Every text comes through ``t(key)`` (the page's translator; tests pass a stub),
every activation colour from ``ACTIVATION_COLORS``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from ..labs.gallery import PEAK_GRID, normal_pdf
from .core import PCT_FORMAT, fit_title, num_axis
from .palette import ACTIVATION_COLORS

T = Callable[..., str]
FONT = 13
FLAT_COLOR, PDF_COLOR, PIECE_COLOR = "#e03131", "#868e96", "#adb5bd"
#: shared y range of the small multiples (values outside are clipped)
PANEL_Y = (-2.0, 3.0)
OVERLAY_F_Y = (-2.0, 3.0)
OVERLAY_DF_Y = (-0.6, 2.0)


def _axis(title: str | None, **kw) -> alt.Axis:
    return alt.Axis(title=title, **{"labelFontSize": FONT, "titleFontSize": FONT, **kw})


def pdf_frame(mean: float, sd: float, zmax: float, height: float = 1.0, n: int = 301,
              ) -> pd.DataFrame:
    """The input density on [-zmax, zmax], scaled so that its peak is ``height``."""
    z = np.linspace(-zmax, zmax, n)
    p = normal_pdf(z, mean, sd)
    peak = normal_pdf(np.array([mean]), mean, sd)[0]
    return pd.DataFrame({"z": z, "density": height * p / peak})


def _long(curve: pd.DataFrame, t: T) -> pd.DataFrame:
    f = curve[["name", "label", "z"]].assign(value=curve["f"], curve=t("legend.f"))
    d = curve[["name", "label", "z"]].assign(value=curve["df"], curve=t("legend.df"))
    return pd.concat([f, d], ignore_index=True)


def panel_chart(curve: pd.DataFrame, t: T, pdf: pd.DataFrame | None = None,
                bands: Sequence[tuple[float, float]] = (), pieces: pd.DataFrame | None = None,
                title: str = "", subtitle: str = "", zmax: float = 6.0,
                width: int = 280, height: int = 270) -> alt.LayerChart:
    """One activation: f (solid) and f' (dashed) in its colour, the input density (grey area)
    under them, red bands where f' is flat, and (Maxout) the example lines it takes the max of.
    """
    name = str(curve["name"].iloc[0])
    color = ACTIVATION_COLORS.get(name, "#333333")
    x = alt.X("z:Q", scale=alt.Scale(domain=[-zmax, zmax], nice=False),
              axis=num_axis(t("axis.z"), tickCount=5))
    yscale = alt.Scale(domain=list(PANEL_Y), nice=False)
    layers = []
    if len(bands):
        bdf = pd.DataFrame(list(bands), columns=["lo", "hi"])
        layers.append(alt.Chart(bdf).mark_rect(color=FLAT_COLOR, opacity=0.13).encode(
            x=alt.X("lo:Q", scale=alt.Scale(domain=[-zmax, zmax], nice=False)), x2="hi:Q"))
    if pdf is not None:
        layers.append(alt.Chart(pdf).mark_area(color=PDF_COLOR, opacity=0.3, clip=True).encode(
            x=x, y=alt.Y("density:Q", scale=yscale)))
    if pieces is not None and len(pieces):
        layers.append(alt.Chart(pieces).mark_line(color=PIECE_COLOR, strokeWidth=1.2,
                                                  clip=True).encode(
            x=x, y=alt.Y("y:Q", scale=yscale), detail="piece:N"))
    long = _long(curve, t)
    layers.append(alt.Chart(long).mark_line(color=color, strokeWidth=2.6, clip=True).encode(
        x=x,
        y=alt.Y("value:Q", scale=yscale, axis=num_axis(None, tickCount=5)),
        strokeDash=alt.StrokeDash("curve:N", legend=None,
                                  scale=alt.Scale(domain=[t("legend.f"), t("legend.df")],
                                                  range=[[1, 0], [6, 3]])),
        tooltip=[alt.Tooltip("curve:N", title=t("legend.curve")),
                 alt.Tooltip("z:Q", format=".2f"),
                 alt.Tooltip("value:Q", title=t("axis.value"), format=".4f")]))
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#495057", strokeWidth=0.6) \
        .encode(y=alt.Y("y:Q", scale=yscale))
    return alt.layer(*layers, zero).properties(
        width=width, height=height,
        title=fit_title(title, width, 15, subtitle=subtitle or None, subtitle_size=12,
                        color=color, subtitleColor="#495057"))


def overlay_chart(curves: pd.DataFrame, value: str, t: T, pdf: pd.DataFrame | None = None,
                  title: str = "", zmax: float = 6.0, width: int = 560, height: int = 460,
                  ) -> alt.LayerChart:
    """All shown activations on one chart: ``value`` is "f" or "df"."""
    names = list(dict.fromkeys(curves["name"]))
    labels = [str(curves.loc[curves["name"] == n, "label"].iloc[0]) for n in names]
    domain = OVERLAY_F_Y if value == "f" else OVERLAY_DF_Y
    yscale = alt.Scale(domain=list(domain), nice=False)
    x = alt.X("z:Q", scale=alt.Scale(domain=[-zmax, zmax], nice=False),
              axis=num_axis(t("axis.z")))
    layers = []
    if pdf is not None:
        layers.append(alt.Chart(pdf).mark_area(color=PDF_COLOR, opacity=0.3, clip=True).encode(
            x=x, y=alt.Y("density:Q", scale=yscale)))
    layers.append(alt.Chart(curves).mark_line(strokeWidth=2.4, clip=True).encode(
        x=x,
        y=alt.Y(f"{value}:Q", scale=yscale,
                axis=num_axis(t("legend.f") if value == "f" else t("legend.df"))),
        color=alt.Color("label:N", sort=labels,
                        scale=alt.Scale(domain=labels,
                                        range=[ACTIVATION_COLORS.get(n, "#333") for n in names]),
                        legend=alt.Legend(title=None, labelFontSize=FONT, orient="right",
                                          labelLimit=0)),
        tooltip=[alt.Tooltip("label:N", title=t("axis.activation")),
                 alt.Tooltip("z:Q", format=".2f"),
                 alt.Tooltip(f"{value}:Q", title=t(f"legend.{value}"), format=".4f")]))
    return alt.layer(*layers).properties(width=width, height=height,
                                         title=fit_title(title, width, 16))


def share_chart(table: pd.DataFrame, t: T, width: int = 520, height: int | None = None,
                ) -> alt.LayerChart:
    """Per activation, one bar: light = share of inputs with |f'| < 5% of max, dark inside it =
    share with f' exactly 0 (a subset). The label gives both when they differ."""
    names = table["name"].tolist()
    labels = table["label"].tolist()
    kinds = [t("legend.flat"), t("legend.zero")]
    df = pd.concat([
        pd.DataFrame({"name": names, "label": labels, "kind": kinds[0], "share": table["flat"]}),
        pd.DataFrame({"name": names, "label": labels, "kind": kinds[1], "share": table["zero"]}),
    ], ignore_index=True)
    text = pd.DataFrame({"label": labels, "share": table["flat"].to_numpy(),
                         "text": [f"{100 * f:.1f}%" + (f"  (f′ = 0: {100 * z:.1f}%)"
                                                      if z >= 0.0005 else "")
                                  for f, z in zip(table["flat"], table["zero"], strict=True)]})
    height = height or 90 + 30 * len(names)
    y = alt.Y("label:N", sort=labels, axis=_axis(None, labelLimit=200))
    x = alt.X("share:Q", scale=alt.Scale(domain=[0, 1]),
              axis=_axis(t("axis.share"), format=PCT_FORMAT))
    bars = alt.Chart(df).mark_bar(height={"band": 0.75}).encode(
        y=y, x=alt.X("share:Q", stack=None, scale=alt.Scale(domain=[0, 1]),
                     axis=_axis(t("axis.share"), format=PCT_FORMAT)),
        color=alt.Color("label:N", sort=labels, legend=None,
                        scale=alt.Scale(domain=labels,
                                        range=[ACTIVATION_COLORS.get(n, "#333") for n in names])),
        opacity=alt.Opacity("kind:N", sort=kinds, scale=alt.Scale(domain=kinds, range=[0.4, 1.0]),
                            legend=alt.Legend(title=None, orient="bottom", labelFontSize=FONT,
                                              symbolFillColor="#495057",
                                              symbolStrokeColor="#495057")),
        tooltip=[alt.Tooltip("label:N", title=t("axis.activation")),
                 alt.Tooltip("kind:N", title=t("legend.kind")),
                 alt.Tooltip("share:Q", title=t("axis.share"), format=".1%")])
    labels_ = alt.Chart(text).mark_text(align="left", dx=4, fontSize=12, color="#343a40").encode(
        y=y, x=x, text="text:N")
    return alt.layer(bars, labels_).properties(
        width=width, height=height,
        title=fit_title(t("chart.flat"), width, 16))


def cost_chart(cost: pd.DataFrame, t: T, width: int = 520, height: int | None = None,
               ) -> alt.LayerChart:
    """Measured cost relative to ReLU, one bar per activation, log scale, rule at 1×; a black
    error bar spans the quartiles of the per-round ratios (``rel_lo`` – ``rel_hi``, where the
    table has them: :mod:`explorer.labs.cost`)."""
    df = cost.sort_values("relative").reset_index(drop=True).copy()
    names, labels = df["name"].tolist(), df["label"].tolist()
    df["text"] = [f"{v:.2f}×" if v < 10 else f"{v:.1f}×" for v in df["relative"]]
    spread = {"rel_lo", "rel_hi"} <= set(df.columns)
    top = df["rel_hi"] if spread else df["relative"]
    lo = min(0.5, float(df["relative"].min()) / 1.5)
    hi = max(2.0, float(top.max()) * 3.0)
    height = height or 90 + 30 * len(names)
    ticks = [v for v in (0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000) if lo <= v <= hi]
    scale = alt.Scale(type="log", domain=[lo, hi], nice=False)
    x = alt.X("relative:Q", scale=scale, axis=num_axis(t("axis.relative"), values=ticks,
                                                       format="~g"))
    tips = [alt.Tooltip("label:N", title=t("axis.activation")),
            alt.Tooltip("ns_per_element:Q", title=t("tip.ns"), format=".2f"),
            alt.Tooltip("relative:Q", title=t("axis.relative"), format=".2f")]
    if spread:
        tips += [alt.Tooltip("rel_lo:Q", title=t("tip.q1"), format=".2f"),
                 alt.Tooltip("rel_hi:Q", title=t("tip.q3"), format=".2f")]
    y = alt.Y("label:N", sort=labels, axis=_axis(None, labelLimit=200))
    base = alt.Chart(df).encode(y=y, x=x, tooltip=tips)
    bars = base.mark_bar(opacity=0.85).encode(
        x2=alt.datum(lo),
        color=alt.Color("label:N", sort=labels, legend=None,
                        scale=alt.Scale(domain=labels,
                                        range=[ACTIVATION_COLORS.get(n, "#333") for n in names])))
    layers = [bars]
    if spread:
        layers.append(alt.Chart(df).mark_rule(color="#212529", strokeWidth=2).encode(
            y=y, x=alt.X("rel_lo:Q", scale=scale), x2="rel_hi:Q", tooltip=tips))
    text = alt.Chart(df).mark_text(align="left", dx=4, fontSize=12, color="#343a40").encode(
        y=y, x=alt.X("rel_hi:Q" if spread else "relative:Q", scale=scale), text="text:N",
        tooltip=tips)
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#495057", strokeDash=[4, 3]) \
        .encode(x=alt.X("x:Q", scale=scale))
    return alt.layer(*layers, text, one).properties(
        width=width, height=height,
        title=fit_title(t("chart.cost"), width, 16))


def _pct(v: float) -> str:
    return "—" if v is None or not math.isfinite(v) else f"{100 * v:.1f}%"


def _param_text(row: pd.Series, t: T) -> str:
    kind = row["param_kind"]
    if kind == "pieces":
        return t("param.pieces", k=int(row["param_value"]))
    if kind == "learned":
        return t("param.learned", a=row["param_value"])
    if kind == "value":
        return str(row["parameters"])
    return t("val.none")


def _peak_text(peak: float, z: float, edge: float) -> str:
    # a peak at the end of the search grid is a supremum approached as z goes that way
    where = (("z → +∞" if z > 0 else "z → −∞") if abs(z) >= edge else f"z = {z:.2f}")
    return f"{peak:.4f} ({where})"


def properties_frame(table: pd.DataFrame, t: T) -> pd.DataFrame:
    """The registry's properties (``Activation.properties()``), translated, with the
    parameter value in use."""
    words = {"yes": t("val.yes"), "no": t("val.no"), "both": t("val.both"),
             "negative": t("val.negative"), "none": t("val.none")}
    out = pd.DataFrame({t("col.label"): table["label"]})
    out[t("col.parameters")] = [_param_text(r, t) for _, r in table.iterrows()]
    for key in ("range", "zero-centred", "saturating", "zero side", "monotonic", "can die",
                "max |f'|"):
        if key not in table:  # a table from before the zero-side property
            continue
        out[t(f"col.{key}")] = [words.get(v, v) for v in table[key]]
    return out


def measured_frame(table: pd.DataFrame, cost: pd.DataFrame | None, t: T,
                   edge: float = float(PEAK_GRID[-1])) -> pd.DataFrame:
    """The computed numbers: measured max |f'| and where, flat and zero-gradient shares of the
    input distribution, measured cost. ``edge``: a peak found at the end of the search grid is
    a supremum approached as z → ∞."""
    out = pd.DataFrame({t("col.label"): table["label"]})
    out[t("col.peak")] = [_peak_text(p, z, edge)
                          for p, z in zip(table["peak"], table["peak_z"], strict=True)]
    out[t("col.flat")] = [_pct(v) for v in table["flat"]]
    out[t("col.zero")] = [_pct(v) for v in table["zero"]]
    if cost is not None:
        c = cost.set_index("name")
        out[t("col.ns")] = [f"{c.loc[n, 'ns_per_element']:.2f}" if n in c.index else "—"
                            for n in table["name"]]
        out[t("col.relative")] = [f"{c.loc[n, 'relative']:.2f}×" if n in c.index else "—"
                                  for n in table["name"]]
    return out
