"""Projector mode (URL ``projector=1``): every page renders, its charts are larger and their
fonts too, headings stay larger than body text, and demo-irrelevant controls are hidden."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.app import display
from explorer.charts import core
from explorer.texts.nav import PAGES

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
SMALL = {"epochs": "20", "n_checkpoints": "5"}
CHART_PAGES = [name for name, _icon in PAGES if name != "home"]


def run_page(name: str, query: dict[str, str]) -> AppTest:
    script = APP if name == "home" else str(ROOT / "pages" / f"{name}.py")
    at = AppTest.from_file(script, default_timeout=120)
    at.query_params.update(query)
    return at.run()


def sizes(spec, key: str) -> list[float]:
    """Every numeric ``key`` (width / height / a font size) anywhere in a spec, data excluded."""
    out = []
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in ("datasets", "data"):
                continue
            if k == key and isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(float(v))
            else:
                out += sizes(v, key)
    elif isinstance(spec, list):
        for v in spec:
            out += sizes(v, key)
    return out


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.fixture(scope="module")
def runs():
    """Every page, normal and projector (small runs)."""
    out = {}
    for name, _icon in PAGES:
        out[name] = (run_page(name, SMALL), run_page(name, {**SMALL, "projector": "1"}))
    return out


@pytest.mark.parametrize("name", [name for name, _icon in PAGES])
def test_projector_renders_every_page(runs, name):
    normal, proj = runs[name]
    for at in (normal, proj):
        assert not at.exception, [e.value for e in at.exception]
        assert not at.warning, [w.value for w in at.warning]
    assert proj.toggle(key="_projector_widget").value is True
    assert normal.toggle(key="_projector_widget").value is False
    assert any(display.PROJECTOR_CSS == h.proto.body for h in proj.get("html"))
    assert not any(display.PROJECTOR_CSS == h.proto.body for h in normal.get("html"))
    assert proj.query_params["projector"] in ("1", ["1"])
    assert len(proj.get("vega_lite_chart")) == len(normal.get("vega_lite_chart"))


@pytest.mark.parametrize("name", CHART_PAGES)
def test_projector_chart_text_is_at_least_16px(runs, name):
    normal, proj = runs[name]
    n_specs, p_specs = chart_specs(normal), chart_specs(proj)
    assert n_specs and len(n_specs) == len(p_specs)
    for i, (n, p) in enumerate(zip(n_specs, p_specs, strict=True)):
        # sizes fit a 1280x720 projector (the browser test checks the boxes); text grows
        nf = max(sizes(n, "labelFontSize") or [10])
        fonts = [f for k in ("labelFontSize", "titleFontSize", "fontSize") for f in sizes(p, k)]
        assert fonts and min(fonts) >= 16, f"{name} chart {i}: projector fonts {sorted(fonts)}"
        assert min(fonts) > nf, f"{name} chart {i}: projector fonts vs {nf}"


@pytest.mark.parametrize("name", ["playground", "compare", "vanishing", "dead_relu", "zigzag"])
def test_demo_irrelevant_controls_are_hidden(runs, name):
    normal, proj = runs[name]
    assert any(e.label == "Export" for e in normal.expander)
    assert not any(e.label == "Export" for e in proj.expander)
    assert normal.get("file_uploader") and not proj.get("file_uploader")  # settings loader
    assert len(proj.caption) < len(normal.caption)  # long explanations hidden
    intro = [e for e in proj.expander if e.label == "About this page"]
    assert intro and not any(e.label == "About this page" for e in normal.expander)


def test_headings_stay_larger_than_body_text():
    css = display.PROJECTOR_CSS

    def rem(selector: str) -> float:
        m = re.search(re.escape(selector) + r"[^{]*\{[^}]*?font-size:\s*([\d.]+)rem", css)
        assert m, selector
        return float(m.group(1))

    body = rem(".stMarkdown p")
    h1, h2, h3 = rem("[data-testid=stMain] h1"), rem("[data-testid=stMain] h2"), \
        rem("[data-testid=stMain] h3")
    assert h1 > h2 > h3 > body >= 1.3  # body larger than Streamlit's 1rem, titles larger still
    assert "[class*='st-']" not in css  # the old blanket rule that shrank the headings


def test_sidebar_starts_collapsed_in_projector_mode():
    source = Path(APP).read_text()
    assert 'initial_sidebar_state="collapsed" if projector' in source


def test_projector_junk_gets_a_notice():
    at = run_page("playground", {**SMALL, "projector": "banana"})
    assert any("projector" in w.value for w in at.warning)
    assert "projector" not in at.query_params


def test_scale_fonts_is_pure_and_complete():
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_text(fontSize=12).encode(
        alt.X("x:Q", axis=alt.Axis(labelFontSize=13, titleFontSize=13)), y="y:Q",
        text="x:Q").properties(title=alt.TitleParams("t", fontSize=15, subtitle="s",
                                                     subtitleFontSize=12), width=100)
    spec = chart.to_dict()
    out = core.scale_fonts(spec, 1.5)
    assert out is spec
    assert spec["mark"]["fontSize"] == 18
    assert spec["encoding"]["x"]["axis"]["labelFontSize"] == 19.5
    assert spec["title"]["fontSize"] == 22.5 and spec["title"]["subtitleFontSize"] == 18
    assert spec["width"] == 100  # sizes untouched
    assert spec["config"]["axis"]["labelFontSize"] == 15  # defaults for unset text
    assert spec["config"]["legend"]["titleFontSize"] == 16.5
