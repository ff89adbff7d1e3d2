"""The class's answers as bars (issue 28): one panel per voting round, the answer the run
shows in green, every count written at its bar."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

RIGHT_COLOR, OTHER_COLOR = "#2b8a3e", "#adb5bd"


def answers_chart(labels: Sequence[str], counts: Sequence[Sequence[int]],
                  right: Sequence[int], round_titles: Sequence[str], x_title: str,
                  width: int = 300, bar: int = 28) -> alt.TopLevelMixin:
    """``counts[r][i]``: answers for option ``i`` in round ``r`` (only the first
    ``len(labels)`` options are drawn); ``right``: the options the run shows."""
    panels = []
    top = max([1, *(max(c[:len(labels)], default=0) for c in counts)])
    for r, row in enumerate(counts):
        df = pd.DataFrame({"answer": list(labels), "count": [int(v) for v in row[:len(labels)]],
                           "mark": ["right" if i in right else "other"
                                    for i in range(len(labels))]})
        base = alt.Chart(df).encode(
            y=alt.Y("answer:N", sort=list(labels), title=None,
                    axis=alt.Axis(labelLimit=260, labelFontSize=14) if r == 0 else None),
            x=alt.X("count:Q", title=x_title, scale=alt.Scale(domain=[0, top * 1.15]),
                    axis=alt.Axis(tickMinStep=1, format="d")))
        bars = base.mark_bar().encode(color=alt.Color(
            "mark:N", scale=alt.Scale(domain=["right", "other"], range=[RIGHT_COLOR, OTHER_COLOR]),
            legend=None))
        text = base.mark_text(align="left", dx=4, fontSize=14).encode(text="count:Q")
        panels.append(alt.layer(bars, text).properties(width=width, height=alt.Step(bar),
                                                       title=round_titles[r]))
    return alt.hconcat(*panels, spacing=16) if len(panels) > 1 else panels[0]
