"""WCAG 2.1 AA colours and chart names without a browser (issue 29).

Every text colour the theme and the player use has a contrast of at least 4.5:1 on the page's
white (the primary colour also on its own pale tint, where Streamlit draws the selected pills
and segmented control, and as the background of white text); every activation colour used as
text is darkened to 4.5:1 (``palette.ink``); charts get an accessible name from their titles.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from explorer.charts.a11y import describe, titles
from explorer.charts.palette import ACTIVATION_COLORS, TEXT_CONTRAST, contrast, ink

ROOT = Path(__file__).resolve().parents[1]


def tint(colour: str, alpha: float) -> str:
    """``colour`` at opacity ``alpha`` over white."""
    return "#" + "".join(f"{round(int(colour[i:i + 2], 16) * alpha + 255 * (1 - alpha)):02x}"
                         for i in (1, 3, 5))


def test_contrast_of_known_pairs() -> None:
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#ffffff") == pytest.approx(1.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the well-known AA grey


def test_theme_colours_pass() -> None:
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    primary, text = theme["primaryColor"], theme["textColor"]
    for bg in (theme["backgroundColor"], theme["secondaryBackgroundColor"], tint(primary, 0.2)):
        assert contrast(primary, bg) >= TEXT_CONTRAST, (primary, bg)
        assert contrast(text, bg) >= TEXT_CONTRAST, (text, bg)
    assert contrast("#ffffff", primary) >= TEXT_CONTRAST  # white text on a primary button
    css = (ROOT / "explorer" / "live" / "player.css").read_text()
    assert primary.lower() in css.lower()  # the player's fallback is the theme's colour


def test_player_text_colours_pass() -> None:
    css = (ROOT / "explorer" / "live" / "player.css").read_text()
    colours = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", css)
    assert len(colours) >= 4
    for c in colours:
        if c.lower() == "#ffffff":
            continue  # white: only on the primary button (tested above)
        assert contrast(c) >= TEXT_CONTRAST, c


@pytest.mark.parametrize("name", list(ACTIVATION_COLORS))
def test_activation_ink(name: str) -> None:
    colour = ACTIVATION_COLORS[name]
    out = ink(colour)
    assert contrast(out) >= TEXT_CONTRAST
    if contrast(colour) >= TEXT_CONTRAST:
        assert out == colour.lower()
    else:  # the same hue, darker: every channel scaled by one factor
        ks = [int(out[i:i + 2], 16) / max(1, int(colour[i:i + 2], 16)) for i in (1, 3, 5)]
        assert max(ks) - min(ks) < 0.02 and max(ks) < 1


def test_chart_names_from_titles() -> None:
    df = pd.DataFrame({"x": [0, 1], "y": [1, 0]})
    a = alt.Chart(df).mark_line().encode(x="x", y="y").properties(title="Loss (epoch 7)")
    b = alt.Chart(df).mark_point().encode(x="x", y="y").properties(
        title=alt.TitleParams(text=["Accuracy", "train"]))
    both = alt.hconcat(a, alt.layer(b)).properties(title="Run")
    assert titles(both) == ["Run", "Loss (epoch 7)", "Accuracy train"]
    assert describe(both, "", "Chart").description == "Run; Loss (epoch 7); Accuracy train"
    assert describe(alt.Chart(df).mark_point(), "", "图表").description == "图表"
    assert describe(a, "Data: the table below.", "Chart").description == \
        "Loss (epoch 7). Data: the table below."
    own = a.properties(description="mine")
    assert describe(own, "", "Chart").description == "mine"
    assert describe({"mark": "point"}, "", "Chart") == {"mark": "point"}
