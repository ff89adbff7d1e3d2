"""Charts of the vanishing-gradient lab: per-layer gradient norm against depth, one line per
activation, at the start and after training (two panels on one shared log scale)."""

from __future__ import annotations

import math
from functools import partial

import altair as alt
import numpy as np
import pandas as pd

from ..config import run_label
from ..texts import lookup
from ..texts.vanishing import TEXT
from .core import FONT, fit_title, fmt_num, layer_label, num_axis, relabel, text_px, tick_label_expr
from .palette import ACTIVATION_COLORS

#: This lab's chart text in ``lang``: ``vt(key, lang, **fmt)``
vt = partial(lookup, TEXT)


def plottable(profile: pd.DataFrame) -> pd.DataFrame:
    """Rows of a depth profile that a log scale can show (finite, > 0)."""
    g = profile["grad_norm"].to_numpy(dtype=np.float64)
    return profile[np.isfinite(g) & (g > 0)]


def depth_chart(profile: pd.DataFrame, lang: str = "en", width: int = 500, height: int = 320,
                total_width: int | None = None) -> alt.HConcatChart:
    """Gradient norm of each layer (x: hidden 1 … output) on a log y axis, one coloured line
    per activation; left panel epoch 0, right panel the last snapshot, same y scale.

    ``profile`` is :func:`explorer.labs.vanishing.depth_profile`. Zero or non-finite norms are
    left out (a log scale cannot show them; the page says which). ``width`` is one panel's
    plot; ``total_width`` (if given) the whole chart's, both panels, axes and the legend at
    the right included.
    """
    profile = relabel(profile, lang)
    d = plottable(profile).copy()
    n_hidden = int(profile["n_hidden"].max()) if len(profile) else 1
    order = [layer_label(i, n_hidden, lang) for i in range(1, n_hidden + 2)]
    d["layer_name"] = [layer_label(int(v), n_hidden, lang) for v in d["layer"]]
    acts = list(dict.fromkeys(profile["act"]))
    labels = list(dict.fromkeys(profile["label"]))
    colours = [ACTIVATION_COLORS.get(a, "#333333") for a in acts]
    if total_width is not None:
        legend_w = max([text_px(x, FONT) for x in labels + [vt("chart.act", lang)]] + [0]) + 40
        width = int(max(120, (total_width - legend_w - 24 - 2 * 70) / 2))
    vals = d["grad_norm"].to_numpy(dtype=np.float64)
    # whole decades, with a little room around the data
    k_lo = math.floor(math.log10(float(vals.min()) / 1.5)) if len(vals) else -6
    k_hi = math.ceil(math.log10(float(vals.max()) * 1.5)) if len(vals) else 0
    ticks = [10.0 ** k for k in range(k_lo, k_hi + 1)]
    ys = alt.Scale(type="log", domain=[ticks[0], ticks[-1]], nice=False)
    colour = alt.Color("label:N", scale=alt.Scale(domain=labels, range=colours),
                       legend=alt.Legend(title=vt("chart.act", lang), orient="right",
                                         labelFontSize=FONT, titleFontSize=FONT,
                                         symbolStrokeWidth=3, labelLimit=0))
    panels = []
    end_epoch = int(profile.loc[profile["phase"] == "end", "epoch"].max()) if len(profile) else 0
    for phase, title in (("start", vt("chart.start", lang)),
                         ("end", vt("chart.end", lang, epoch=end_epoch))):
        p = d[d["phase"] == phase]
        first = phase == "start"
        base = alt.Chart(p).encode(
            alt.X("layer_name:N", sort=order, scale=alt.Scale(domain=order),
                  axis=alt.Axis(title=vt("chart.x", lang), labelAngle=-40, labelFontSize=FONT,
                                titleFontSize=FONT)),
            alt.Y("grad_norm:Q", scale=ys,
                  axis=num_axis(vt("chart.y", lang) if first else None, values=ticks,
                                labelExpr=tick_label_expr(ticks, [fmt_num(v) for v in ticks]),
                                grid=False)),
            colour, detail="label:N",
            tooltip=[alt.Tooltip("label:N", title=vt("chart.act", lang)),
                     alt.Tooltip("layer_name:N", title=vt("chart.x", lang)),
                     alt.Tooltip("grad_norm:Q", title=vt("chart.norm", lang), format=".3e")])
        grid = alt.Chart(pd.DataFrame({"v": ticks})).mark_rule(
            color="#dddddd", strokeWidth=1).encode(alt.Y("v:Q", scale=ys))
        chart = alt.layer(grid, base.mark_line(strokeWidth=2.5),
                          base.mark_point(filled=True, size=60))
        panels.append(chart.properties(width=width, height=height,
                                       title=fit_title(title, width, FONT + 2)))
    return alt.hconcat(*panels, spacing=24).resolve_scale(y="shared", color="shared")


def dropped_points(profile: pd.DataFrame, lang: str = "en") -> list[str]:
    """'ReLU, hidden 3, after training' for every norm a log scale cannot draw."""
    keep = plottable(profile).index
    out = []
    for r in profile.drop(index=keep).itertuples(index=False):
        phase = vt("chart.start" if r.phase == "start" else "chart.end", lang, epoch=r.epoch)
        out.append(f"{run_label(r.label, lang)}, {layer_label(int(r.layer), int(r.n_hidden), lang)}, {phase}")
    return out

