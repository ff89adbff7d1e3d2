"""The Lesson's "ReLU converges faster" chart: training accuracy of each run zoomed to the epochs
where the runs reach the target, the target as a rule, and each run's epochs to the target
marked on it (the numbers the verdict quotes)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from .palette import ACTIVATION_COLORS
from .style import FIT_X

#: epochs shown past the slowest run's epochs to the target (and at least this many in all)
PAST_TARGET, MIN_EPOCHS = 1.3, 8
#: the y axis starts this far below the target (floored to 5 %): the lines enter from below
BELOW_TARGET = 0.2


def zoom_epochs(epochs_to: Sequence[float], budget: int) -> int:
    """The last epoch the chart shows: 1.3 × the slowest finite epochs to the target (at
    least ``MIN_EPOCHS``), the whole budget if no run reached it; never past the budget."""
    done = [e for e in epochs_to if math.isfinite(e)]
    if not done:
        return int(budget)
    return int(min(budget, max(MIN_EPOCHS, math.ceil(PAST_TARGET * max(done)) + 1)))


def epochs_chart(curves: pd.DataFrame, marks: pd.DataFrame, target: float, x_max: int,
                 texts: Mapping[str, str], width: int = 600, height: int = 320,
                 ) -> alt.LayerChart:
    """``curves``: activation, label, epoch, train_acc (one line per run); ``marks``:
    activation, label, epochs_to (finite rows are marked at the target), text (the mark's
    label). ``texts``: title, subtitle, x, y, target (the rule's label), tip_epochs.
    The y axis starts ``BELOW_TARGET`` under the target (the early epochs enter from below),
    the x axis ends at ``x_max`` (:func:`zoom_epochs`)."""
    shown = curves[curves["epoch"] <= x_max]
    y_lo = max(0.0, math.floor(20 * (target - BELOW_TARGET)) / 20)
    xs = alt.Scale(domain=[0, x_max], nice=False)
    ys = alt.Scale(domain=[max(0.0, y_lo), 1.0], nice=False)
    acts = list(dict.fromkeys(curves["activation"]))
    labels = [curves.loc[curves["activation"] == a, "label"].iloc[0] for a in acts]
    colour = alt.Color("label:N", scale=alt.Scale(domain=labels,
                                                  range=[ACTIVATION_COLORS[a] for a in acts]),
                       legend=alt.Legend(title=None, orient="bottom-right"))
    lines = alt.Chart(shown).mark_line(strokeWidth=2.5, clip=True, point=alt.OverlayMarkDef(
        size=18)).encode(
        x=alt.X("epoch:Q", scale=xs, axis=alt.Axis(title=texts["x"], tickMinStep=1)),
        y=alt.Y("train_acc:Q", scale=ys, axis=alt.Axis(title=texts["y"], format=".0%")),
        color=colour,
        tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("epoch:Q", title=texts["x"]),
                 alt.Tooltip("train_acc:Q", title=texts["y"], format=".1%")])
    rule_df = pd.DataFrame({"y": [target], "x": [x_max], "text": [texts["target"]]})
    rule = alt.Chart(rule_df).mark_rule(color="#343a40", strokeDash=[6, 4]).encode(
        y=alt.Y("y:Q", scale=ys))
    rule_text = alt.Chart(rule_df).mark_text(align="right", baseline="top", dx=-4, dy=4,
                                             color="#343a40").encode(
        x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys), text="text:N")
    hit = marks[marks["epochs_to"].map(math.isfinite)].assign(y=target, y0=max(0.0, y_lo))
    layers = [lines, rule, rule_text]
    if len(hit):
        layers.append(alt.Chart(hit).mark_rule(strokeDash=[2, 3], strokeWidth=1.5).encode(
            x=alt.X("epochs_to:Q", scale=xs), y=alt.Y("y0:Q", scale=ys), y2="y:Q",
            color=colour))
        layers.append(alt.Chart(hit).mark_point(filled=True, size=110, shape="diamond",
                                                opacity=1).encode(
            x=alt.X("epochs_to:Q", scale=xs), y=alt.Y("y:Q", scale=ys), color=colour,
            tooltip=[alt.Tooltip("label:N", title=""),
                     alt.Tooltip("epochs_to:Q", title=texts["tip_epochs"])]))
        for i, row in enumerate(hit.itertuples(index=False)):
            one = pd.DataFrame([{"epochs_to": row.epochs_to, "y": target, "text": row.text,
                                 "label": row.label}])
            layers.append(alt.Chart(one).mark_text(align="left", dx=6, dy=-12 - 14 * i,
                                                   fontWeight="bold").encode(
                x=alt.X("epochs_to:Q", scale=xs), y=alt.Y("y:Q", scale=ys), text="text:N",
                color=colour))
    return alt.layer(*layers).resolve_scale(color="shared").properties(
        width=width, height=height, autosize=FIT_X,
        title=alt.TitleParams(texts["title"], subtitle=texts["subtitle"], anchor="start",
                              subtitleColor="#495057"))
