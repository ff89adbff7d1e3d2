"""On a phone, a legend on the right of a chart goes below it (charts.style.phone_spec; drawn so
by display.show_chart when the browser is a phone's): the plot keeps the phone's width."""

from __future__ import annotations

import copy

from explorer.charts import core


def _legends(node, out):
    if isinstance(node, dict):
        if isinstance(node.get("legend"), dict):
            out.append(node["legend"])
        for v in node.values():
            _legends(v, out)
    elif isinstance(node, list):
        for v in node:
            _legends(v, out)
    return out


def test_right_legends_go_below_and_the_shared_spec_is_untouched():
    spec = {"layer": [{"encoding": {"color": {"field": "run", "legend": {"orient": "right",
                                                                          "title": "run"}},
                                    "strokeDash": {"field": "curve",
                                                   "legend": {"title": "curve"}},
                                    "shape": {"field": "s", "legend": {"orient": "top"}},
                                    "size": {"field": "z", "legend": None}}}],
            "datasets": {"d": [{"run": "a"}]}}
    before = copy.deepcopy(spec)
    out = core.phone_spec(spec)
    assert spec == before  # (the cached spec is shared by every session)
    enc = out["layer"][0]["encoding"]
    assert enc["color"]["legend"] == {"orient": "bottom", "direction": "vertical", "title": "run"}
    assert enc["strokeDash"]["legend"]["orient"] == "bottom"  # (no orient: right by default)
    assert enc["shape"]["legend"] == {"orient": "top"}  # a legend above stays there
    assert enc["size"]["legend"] is None
    assert out["datasets"] is spec["datasets"]  # the data not copied
    assert out["config"]["legend"]["orient"] == "bottom"


def test_every_right_legend_of_a_real_chart_moves():
    import altair as alt
    import pandas as pd

    df = pd.DataFrame({"epoch": [0, 1, 0, 1], "loss": [1.0, 0.5, 1.0, 0.7],
                       "run": ["a", "a", "b", "b"]})
    chart = alt.Chart(df).mark_line().encode(
        x="epoch:Q", y="loss:Q",
        color=alt.Color("run:N", legend=alt.Legend(orient="right")))
    legends = _legends(core.phone_spec(chart.to_dict()), [])
    assert legends and all(lg["orient"] == "bottom" for lg in legends)
