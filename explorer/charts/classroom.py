"""The class's answers as bars (issue 28): one panel per voting round, side by side, the answer
the run shows in green, every count written at its bar.

``width`` is the whole chart's (the answers' labels, every panel, their counts): the panels
share what the labels leave, so the chart fits a phone (340 px) as it fills a projector.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from .style import PAD, text_px

RIGHT_COLOR, OTHER_COLOR = "#2b8a3e", "#adb5bd"
#: gap between two rounds' panels, room for a count written after the longest bar (px)
SPACING, COUNT_PX = 16, 28
#: the answers' labels take at most this share of the width (longer ones wrap: labelLimit)
LABEL_SHARE = 0.45


def panel_width(labels: Sequence[str], rounds: int, width: int, font: int = 14
                ) -> tuple[int, int]:
    """``(label width, width of one round's panel)`` so that the labels, ``rounds`` panels
    and their gaps take ``width`` px; a panel is at least 60 px wide."""
    label = int(min(LABEL_SHARE * width, max([text_px(t, font) for t in labels] or [0]) + 12))
    panel = (width - label - SPACING * (rounds - 1) - COUNT_PX * rounds) // max(1, rounds)
    return label, max(60, int(panel))


def answers_chart(labels: Sequence[str], counts: Sequence[Sequence[int]],
                  right: Sequence[int], round_titles: Sequence[str], x_title: str,
                  width: int = 340, bar: int = 28, font: int = 14) -> alt.TopLevelMixin:
    """``counts[r][i]``: answers for option ``i`` in round ``r`` (only the first
    ``len(labels)`` options are drawn); ``right``: the options the run shows."""
    panels = []
    top = max([1, *(max(c[:len(labels)], default=0) for c in counts)])
    label_px, panel_px = panel_width(labels, len(counts), width, font)
    for r, row in enumerate(counts):
        df = pd.DataFrame({"answer": list(labels), "count": [int(v) for v in row[:len(labels)]],
                           "mark": ["right" if i in right else "other"
                                    for i in range(len(labels))]})
        base = alt.Chart(df).encode(
            y=alt.Y("answer:N", sort=list(labels), title=None,
                    axis=alt.Axis(labelLimit=label_px, labelFontSize=font) if r == 0
                    else None),
            x=alt.X("count:Q", title=x_title, scale=alt.Scale(domain=[0, top * 1.15]),
                    axis=alt.Axis(tickMinStep=1, format="d")))
        bars = base.mark_bar().encode(color=alt.Color(
            "mark:N", scale=alt.Scale(domain=["right", "other"], range=[RIGHT_COLOR, OTHER_COLOR]),
            legend=None))
        text = base.mark_text(align="left", dx=4, fontSize=font).encode(text="count:Q")
        panels.append(alt.layer(bars, text).properties(width=panel_px, height=alt.Step(bar),
                                                       title=round_titles[r]))
    chart = alt.hconcat(*panels, spacing=SPACING) if len(panels) > 1 else panels[0]
    return chart.properties(autosize=PAD)
