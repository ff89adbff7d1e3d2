"""Charts of the dead-ReLU lab: dead share per layer over epochs, and the unit×epoch map."""

from __future__ import annotations

from functools import partial

import altair as alt
import numpy as np
import pandas as pd

from ..texts import lookup
from ..texts.dead_relu import TEXT
from .core import FIT_X, FONT, fit_title, layer_label, num_axis, pct_axis, relabel
from .palette import ACTIVATION_COLORS

ALIVE_COLOR, DEAD_COLOR, REVIVED_COLOR = "#dee2e6", "#c92a2a", "#2f9e44"
ASLEEP_COLOR, WOKE_COLOR = "#f59f00", "#8ce99a"
#: line dash per unit state in ``sleep_lines``: dead solid, asleep dashed
KIND_DASH = {"dead": [1, 0], "asleep": [6, 3]}
#: line dash per hidden layer (solid, dashed, dotted, ...)
DASHES = [[1, 0], [7, 4], [2, 3], [10, 3, 2, 3], [4, 2], [1, 3], [12, 2], [6, 2, 2, 2]]


#: This lab's chart text in ``lang``: ``dt(key, lang, **fmt)``
dt = partial(lookup, TEXT)


def _epoch_x(d: pd.DataFrame, lang: str) -> alt.X:
    """The x encoding of the dead/asleep share charts: epochs 0 to the last one of ``d``."""
    x_max = int(d["epoch"].max()) if len(d) else 1
    return alt.X("epoch:Q", scale=alt.Scale(domain=[0, max(1, x_max)], nice=False),
                 axis=num_axis(dt("chart.epoch", lang)))


def _act_color(labels: list[str], acts: list[str], lang: str, legend: dict) -> alt.Color:
    """The colour encoding of the share charts: one colour per activation (its palette's)."""
    return alt.Color("label:N", scale=alt.Scale(
        domain=labels, range=[ACTIVATION_COLORS.get(a, "#333333") for a in acts]),
        legend=alt.Legend(title=dt("chart.act", lang), **legend))


def dead_lines(curve: pd.DataFrame, lang: str = "en", width: int = 520, height: int = 300,
               title: str | None = None) -> alt.LayerChart:
    """Share of dead units of each hidden layer over epochs: colour = activation, dash = layer.

    ``curve`` is :func:`explorer.labs.dead.dead_curve` (its layer-0 "all layers" rows are not
    drawn). The y axis is fixed to 0–100 % so runs compare at a glance.
    """
    curve = relabel(curve, lang)
    d = curve[curve["layer"] > 0].copy()
    n_hidden = int(d["layer"].max()) if len(d) else 1
    d["layer_name"] = [layer_label(int(v), n_hidden, lang) for v in d["layer"]]
    acts = list(dict.fromkeys(curve["act"]))
    labels = list(dict.fromkeys(curve["label"]))
    layers = [layer_label(i, n_hidden, lang) for i in range(1, n_hidden + 1)]
    # legends at the plot's right; ``width`` is the whole chart's (legends included)
    legend = {"orient": "right", "labelFontSize": FONT, "titleFontSize": FONT, "labelLimit": 0}
    base = alt.Chart(d).encode(
        _epoch_x(d, lang),
        alt.Y("dead_frac:Q", scale=alt.Scale(domain=[0, 1]),
              axis=pct_axis(dt("chart.dead_y", lang))),
        color=_act_color(labels, acts, lang, legend),
        strokeDash=alt.StrokeDash("layer_name:N", scale=alt.Scale(
            domain=layers, range=[DASHES[i % len(DASHES)] for i in range(len(layers))]),
            legend=alt.Legend(title=dt("chart.layer", lang), symbolStrokeWidth=2, **legend)),
        detail="layer_name:N",
        tooltip=[alt.Tooltip("label:N", title=dt("chart.act", lang)),
                 alt.Tooltip("layer_name:N", title=dt("chart.layer", lang)),
                 alt.Tooltip("epoch:Q", title=dt("chart.epoch", lang)),
                 alt.Tooltip("dead_frac:Q", title=dt("chart.dead_y", lang), format=".0%"),
                 alt.Tooltip("dead_count:Q", title=dt("chart.dead_count", lang))])
    return base.mark_line(strokeWidth=2.5, clip=True).properties(
        width=width, height=height, autosize=FIT_X,
        title=fit_title(title if title is not None else dt("dead_title", lang), width,
                        FONT + 2))


def sleep_lines(curve: pd.DataFrame, lang: str = "en", width: int = 520, height: int = 300,
                title: str | None = None) -> alt.Chart:
    """Share of all hidden units that are dead (solid) and asleep (dashed) every epoch, colour
    = activation: Leaky ReLU's asleep units beside ReLU's dead ones. ``curve`` is
    :func:`explorer.labs.dead.unit_curve`; y fixed to 0–100 %."""
    d = relabel(curve, lang).copy()
    d["kind_name"] = [dt(f"kind.{k}", lang) for k in d["kind"]]
    acts = list(dict.fromkeys(d["act"]))
    labels = list(dict.fromkeys(d["label"]))
    kinds = [k for k in KIND_DASH if (d["kind"] == k).any()]
    legend = {"orient": "right", "labelFontSize": FONT, "titleFontSize": FONT, "labelLimit": 0}
    return alt.Chart(d).mark_line(strokeWidth=2.5, clip=True).encode(
        _epoch_x(d, lang),
        alt.Y("share:Q", scale=alt.Scale(domain=[0, 1]),
              axis=pct_axis(dt("chart.units_y", lang))),
        color=_act_color(labels, acts, lang, legend),
        strokeDash=alt.StrokeDash("kind_name:N", scale=alt.Scale(
            domain=[dt(f"kind.{k}", lang) for k in kinds],
            range=[KIND_DASH[k] for k in kinds]),
            legend=alt.Legend(title=dt("chart.state", lang), symbolStrokeWidth=2, **legend)),
        detail="kind_name:N",
        tooltip=[alt.Tooltip("label:N", title=dt("chart.act", lang)),
                 alt.Tooltip("kind_name:N", title=dt("chart.state", lang)),
                 alt.Tooltip("epoch:Q", title=dt("chart.epoch", lang)),
                 alt.Tooltip("share:Q", title=dt("chart.units_y", lang), format=".0%"),
                 alt.Tooltip("count:Q", title=dt("chart.count", lang))],
    ).properties(width=width, height=height, autosize=FIT_X,
                 title=fit_title(title if title is not None else dt("sleep_title", lang),
                                 width, FONT + 2))


def unit_map(states: pd.DataFrame, lang: str = "en", width: int = 520, row_height: int = 9,
             title: str | None = None) -> alt.VConcatChart:
    """Unit × epoch map, one block per hidden layer: grey alive, red dead, green revived,
    amber asleep (not dead: Leaky ReLU), light green woke up.

    ``states`` is :func:`explorer.labs.dead.unit_states`; each cell spans from its snapshot to
    the next one, so uneven snapshot spacing still draws a continuous strip.
    """
    n_hidden = int(states["layer"].max()) if len(states) else 1
    x_max = int(states["e_next"].max()) if len(states) else 1
    names = {"alive": dt("state.alive", lang), "dead": dt("state.dead", lang),
             "revived": dt("state.revived", lang), "asleep": dt("state.asleep", lang),
             "woke": dt("state.woke", lang)}
    colors = {"alive": ALIVE_COLOR, "dead": DEAD_COLOR, "revived": REVIVED_COLOR,
              "asleep": ASLEEP_COLOR, "woke": WOKE_COLOR}
    # asleep / woke only in a map that has them (Leaky ReLU): a ReLU's asleep units are dead
    shown = ["alive", "dead", "revived"] + [k for k in ("asleep", "woke")
                                            if (states["state"] == k).any()]
    dom = [names[k] for k in shown]
    xs = alt.Scale(domain=[0, max(1, x_max)], nice=False)
    blocks = []
    for li in range(1, n_hidden + 1):
        d = states[states["layer"] == li].copy()
        d["state_name"] = d["state"].map(names)
        units = int(d["unit"].max()) if len(d) else 1
        last = li == n_hidden
        step = max(1, int(np.ceil(units / 8)))
        label_units = [u for u in range(1, units + 1) if (u - 1) % step == 0]
        block = alt.Chart(d[["epoch", "e_next", "unit", "state_name"]]).mark_rect(
            strokeWidth=0).encode(
            alt.X("epoch:Q", scale=xs, axis=num_axis(
                dt("chart.epoch", lang) if last else None, labels=last, ticks=last)),
            alt.X2("e_next"),
            alt.Y("unit:O", sort="ascending", scale=alt.Scale(paddingInner=0.08),
                  axis=alt.Axis(title=dt("chart.unit", lang), values=label_units,
                                labelFontSize=FONT - 2, titleFontSize=FONT - 1)),
            color=alt.Color("state_name:N", scale=alt.Scale(
                domain=dom, range=[colors[k] for k in shown]),
                legend=alt.Legend(title=dt("chart.state", lang), orient="top",
                                  direction="horizontal", labelFontSize=FONT,
                                  titleFontSize=FONT)),
            tooltip=[alt.Tooltip("unit:O", title=dt("chart.unit", lang)),
                     alt.Tooltip("epoch:Q", title=dt("chart.epoch", lang)),
                     alt.Tooltip("state_name:N", title=dt("chart.state", lang))],
        ).properties(width=width, height=units * row_height,
                     title=fit_title(dt("chart.layer_units", lang,
                                        layer=layer_label(li, n_hidden, lang), units=units),
                                     width, FONT))
        blocks.append(block)
    out = alt.vconcat(*blocks, spacing=6).resolve_scale(color="shared", x="shared")
    if title is not None:
        out = out.properties(title=fit_title(title, width, FONT + 2))
    return out


def cap_loss_axis(chart: alt.LayerChart, top: float | None) -> alt.LayerChart:
    """Fix the y axis of a ``core.loss_chart`` to [0, top] (its lines are clipped), so a run
    that blows up does not flatten the others. ``top=None`` or a chart of another shape:
    returned unchanged."""
    if top is None:
        return chart
    panels = chart.hconcat if isinstance(chart, alt.HConcatChart) else [chart]
    for panel in panels:  # one plot, or core.loss_chart's train | test panels
        try:
            panel.layer[0].encoding.y["scale"]["domain"] = [0.0, float(top)]
        except (AttributeError, IndexError, KeyError, TypeError):
            pass
    return chart
