"""Lecture-ready features in a real browser: saving charts (PNG and SVG), the export panel's
downloads and the settings loader, own data by file upload, 简体中文 and projector mode."""

from __future__ import annotations

import io
import json
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from explorer.charts.core import fmt_pct
from explorer.texts.common import TEXT as COMMON
from explorer.texts.network import TEXT as NET
from explorer.texts.playground import TEXT as PLAY
from explorer.upload import example_csv

from .helpers import (
    assert_no_exception,
    count_charts,
    expand,
    expect_rerun,
    load,
    save_screenshot,
    select_option,
    wait_for_app,
    wait_for_charts,
    wait_for_player,
    widget_values,
)
from .test_live import wait_state

pytestmark = pytest.mark.browser

EN, ZH = COMMON["en"], COMMON["zh"]
LOAD_TIMEOUT = 120_000
SMALL = "epochs=30&n_checkpoints=6"
#: the Playground's Vega-Lite charts: boundary, loss, accuracy, gradient histograms, network
PLAYGROUND_CHARTS = 5


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def chart_holder(page: Page, index: int = 0):
    """The element container of the ``index``-th chart (it holds the chart's toolbar)."""
    chart = page.locator("[data-testid=stVegaLiteChart]").nth(index)
    return chart.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")


def toolbar_button(page: Page, index: int, label: str):
    holder = chart_holder(page, index)
    # centred: at the top edge its toolbar would sit under the app's sticky header
    holder.evaluate("(e) => e.scrollIntoView({block: 'center'})")
    holder.hover()
    button = holder.locator(f"[data-testid=stElementToolbar] button[aria-label='{label}']")
    button.wait_for(state="visible", timeout=10_000)
    # the toolbar slides in (after a short delay in which it stands still): until it has
    # finished, the chart lies under the button's centre. Wait for no running animation in
    # the toolbar and the button still for 10 frames.
    button.evaluate("""(b) => new Promise((done) => { let last = null, still = 0;
      const bar = b.closest('[data-testid=stElementToolbar]') || b;
      const f = () => { const y = b.getBoundingClientRect().y;
        const moving = bar.getAnimations({ subtree: true }).some((a) => a.playState === 'running');
        still = y === last && !moving ? still + 1 : 0; last = y;
        if (still >= 10) done(); else requestAnimationFrame(f); }; f(); })""")
    return button


def download(page: Page, click) -> tuple[str, bytes]:
    """The file a toolbar click saves (a real mouse click: ``toolbar_button`` waits until the
    toolbar has slid in, so the button, not the chart, is under the pointer)."""
    with page.expect_download(timeout=30_000) as info:
        click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


# ----------------------------------------------------------------------------- charts
def test_every_chart_can_be_saved_as_png_and_svg(app_server: str, page: Page):
    load(page, f"{app_server}/playground?{SMALL}", timeout=LOAD_TIMEOUT)
    assert_no_exception(page)
    n = count_charts(page)
    assert n == PLAYGROUND_CHARTS
    # the live player animates a new run once, then reports its end (one rerun): wait for both
    page.wait_for_function("""() => {
      for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
        const r = h.shadowRoot && h.shadowRoot.querySelector('.player-root');
        if (r) return r.dataset.playing === "0" && r.dataset.complete === "1";
      }
      return false;
    }""", timeout=LOAD_TIMEOUT)
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    expand(page, PLAY["en"]["static_charts"])  # the player's charts as Vega-Lite: folded
    for i in range(n - 1):  # every chart has both buttons in its toolbar (the last: below)
        toolbar_button(page, i, "Download as PNG")
        toolbar_button(page, i, EN["save_svg"])
    name, png = download(page, lambda: toolbar_button(page, 0, "Download as PNG").click())
    assert name.endswith(".png") and png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 300 and height >= 250, (width, height)

    name, svg = download(page, lambda: toolbar_button(page, 0, EN["save_svg"]).click())
    assert name == "Decision_boundary_epoch_30.svg"
    root = ET.fromstring(svg)  # a well-formed, standalone SVG document
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(root.get("width")) >= 300
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Decision boundary (epoch 30)" in texts
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) > 100  # the heatmap cells

    # the loss curve too, and in Chinese the button speaks Chinese
    name, svg = download(page, lambda: toolbar_button(page, 1, EN["save_svg"]).click())
    assert name == "Loss.svg" and b"epoch" in svg
    expand(page, NET["en"]["details"])  # the detailed network diagram is folded
    toolbar_button(page, n - 1, "Download as PNG")
    toolbar_button(page, n - 1, EN["save_svg"])
    load(page, f"{app_server}/playground?{SMALL}&lang=zh", timeout=LOAD_TIMEOUT)
    wait_for_charts(page)
    expand(page, PLAY["zh"]["static_charts"])
    name, svg = download(page, lambda: toolbar_button(page, 1, ZH["save_svg"]).click())
    assert name == "损失.svg" and "轮次".encode() in svg


# ----------------------------------------------------------------------------- export panel
def test_export_downloads_hold_the_numbers_shown_and_settings_load_back(
        app_server: str, page: Page, tmp_path: Path):
    load(page, f"{app_server}/playground?{SMALL}&activation=tanh&lr=0.3", timeout=LOAD_TIMEOUT)
    wait_for_charts(page)
    panel = expand(page, EN["export"])
    _name, data = download(page, lambda: panel.get_by_role(
        "button", name=EN["export_history"]).click())
    hist = pd.read_csv(io.BytesIO(data))
    last = hist.iloc[-1]
    summary = page.locator("[data-testid=stMarkdownContainer]").filter(
        has_text="Summary.").first.inner_text()
    assert (f"Epoch {int(last['epoch'])}: train accuracy {fmt_pct(last['train_acc'])}, "
            f"test accuracy {fmt_pct(last['test_acc'])}") in summary

    _name, data = download(page, lambda: panel.get_by_role(
        "button", name=EN["export_layers"]).click())
    layers = pd.read_csv(io.BytesIO(data))
    assert set(layers["epoch"]) == {0, 6, 12, 18, 24, 30}
    name, settings = download(page, lambda: panel.get_by_role(
        "button", name=EN["export_config"]).click())
    assert name == "play-settings.json"
    assert json.loads(settings)["config"]["activation"] == "tanh"

    # a different visitor loads the file: the same settings, in the URL and in the widgets
    path = tmp_path / "ae-settings.json"
    other = page.context.browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        p2 = other.new_page()
        load(p2, f"{app_server}/playground", timeout=LOAD_TIMEOUT)
        sidebar = p2.locator("[data-testid=stSidebar]")
        box = expand(p2, EN["load_config"], within=sidebar)
        path.write_bytes(settings)
        with expect_rerun(p2):
            box.locator("input[type=file]").set_input_files(str(path))
        wait_for_app(p2, timeout=LOAD_TIMEOUT)
        expect(p2).to_have_url(re.compile(r"activation=tanh"))
        q = query_of(p2.url)
        assert {k: q[k] for k in ("activation", "lr", "epochs", "n_checkpoints")} == {
            "activation": "tanh", "lr": "0.3", "epochs": "30", "n_checkpoints": "6"}
        expect(sidebar.get_by_text("Settings loaded from ae-settings.json.")).to_be_visible()
        shown = widget_values(p2)
        assert shown[f"sidebar/stSelectbox:{EN['field.activation']}"] == "tanh"
        wait_state(p2, "s.epoch === '30'", timeout=LOAD_TIMEOUT)  # the player's scrubber
        assert_no_exception(p2)
    finally:
        other.close()


# ----------------------------------------------------------------------------- own data
def test_upload_a_csv_and_train_on_it(app_server: str, page: Page, tmp_path: Path):
    load(page, f"{app_server}/playground?{SMALL}", timeout=LOAD_TIMEOUT)
    sidebar = page.locator("[data-testid=stSidebar]")
    with expect_rerun(page):
        sidebar.get_by_role("radio", name=EN["source.upload"]).click()
    expect(page).to_have_url(re.compile(r"data=upload"))
    expect(page.locator("[data-testid=stAlertContentInfo]")).to_contain_text(EN["upload_wait"])
    assert page.locator("[data-testid=stVegaLiteChart]").count() == 0
    # the built-in data widgets are gone while an upload is the source
    assert sidebar.get_by_text(EN["field.dataset"], exact=True).count() == 0

    good = tmp_path / "moons.csv"
    good.write_bytes(example_csv())
    with expect_rerun(page):
        sidebar.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(
            str(good))
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    assert count_charts(page) == PLAYGROUND_CHARTS
    assert_no_exception(page)
    expect(sidebar.get_by_text("150 training and 50 test points, 2 classes",
                               exact=False)).to_be_visible()
    boundary = page.locator("[data-testid=stVegaLiteChart]").first
    expect(boundary.locator("svg.marks text").filter(has_text=re.compile(r"^x$"))).to_have_count(1)
    save_screenshot(page, "lecture-upload")

    bad = tmp_path / "bad.csv"
    bad.write_text("x,y,label\n1,2,a\n3,,b\n4,5,a\n")
    with expect_rerun(page):
        sidebar.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(
            str(bad))
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    expect(page.locator("[data-testid=stAlertContentError]").first).to_contain_text(
        "missing values")
    assert page.locator("[data-testid=stVegaLiteChart]").count() == 0


def test_hidden_widgets_come_back_showing_their_values(app_server: str, page: Page):
    """Widgets hidden for a while (data widgets during an upload, the noise slider for a data
    set without noise, the replay slider while no run exists) show the value the page uses
    when they come back (Streamlit 1.67 would show their first option: see state.widget_key)."""
    url = f"{app_server}/playground?{SMALL}&dataset=circles&noise=0.1&epoch=12"
    # the run trained first (a new run streams and plays: the view it ends at races the clicks
    # below), then the link opened afresh: a cached run, a new session at the link's epoch
    load(page, url, timeout=LOAD_TIMEOUT)
    wait_for_player(page, timeout=LOAD_TIMEOUT)
    load(page, url, timeout=LOAD_TIMEOUT)
    sidebar = page.locator("[data-testid=stSidebar]")

    def shown() -> dict[str, str]:
        values = widget_values(page)
        return {k.split(":", 1)[1]: v for k, v in values.items()
                if k.split(":", 1)[1] in (EN["field.dataset"], EN["field.noise"])}

    before = shown()
    assert before == {EN["field.dataset"]: "Circles", EN["field.noise"]: "0.10"}
    with expect_rerun(page):
        sidebar.get_by_role("radio", name=EN["source.upload"]).click()
    assert EN["field.dataset"] not in shown()
    with expect_rerun(page):
        sidebar.get_by_role("radio", name=EN["source.builtin"]).click()
    wait_for_charts(page)
    assert shown() == before
    title = page.locator("[data-testid=stVegaLiteChart] svg.marks .role-title-text text").first
    expect(title).to_have_text("Decision boundary (epoch 12)")

    select_option(page, EN["field.dataset"], "Iris (PCA 2-D)", within=sidebar)
    assert EN["field.noise"] not in shown()
    select_option(page, EN["field.dataset"], "Circles", within=sidebar)
    assert shown()[EN["field.noise"]] == "0.10"
    assert "noise=0.1" in page.url


#: polled from the document's start: the most copies of each sidebar widget label seen at once,
#: and whether a player was seen with its run incomplete (streaming)
COPIES_JS = """(() => { window.__aeCopies = {}; window.__aeStreamed = false;
  setInterval(() => {
    for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
      const r = h.shadowRoot && h.shadowRoot.querySelector('.player-root');
      if (r && r.dataset.complete === '0') window.__aeStreamed = true;
    }
    const n = {};
    for (const l of document.querySelectorAll('[data-testid=stSidebar] [data-testid=stWidgetLabel]'))
      n[l.textContent.trim()] = (n[l.textContent.trim()] || 0) + 1;
    for (const [k, v] of Object.entries(n))
      window.__aeCopies[k] = Math.max(window.__aeCopies[k] || 0, v);
  }, 40); })();"""


def test_a_streamed_runs_end_keeps_every_widget_in_place(app_server: str, page: Page):
    """A new run streams to the player; the page's run after it draws the same widgets, with
    the link's values: no second copy next to a stale one for a person (or a test) to act on,
    no first option (the browser loses widget values over a fragment's runs: see
    state.widget_key)."""
    # (a run that trains for seconds: the player gets its partial records)
    url = (f"{app_server}/playground?lang=zh&activation=tanh&dataset=circles&noise=0.15"
           "&seed=4711&optimizer=adam&hidden=32-32-32&epochs=200&n_samples=2000&batch_size=8")
    page.add_init_script(COPIES_JS)
    load(page, url, timeout=LOAD_TIMEOUT)
    wait_for_player(page, timeout=LOAD_TIMEOUT)
    assert count_charts(page, timeout=30000) == PLAYGROUND_CHARTS  # the page's own run
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    after = widget_values(page)
    assert page.evaluate("window.__aeStreamed"), "the run did not stream (cached?)"
    copies = page.evaluate("window.__aeCopies")
    assert len(copies) >= 15 and max(copies.values()) == 1, copies
    load(page, url, timeout=LOAD_TIMEOUT)  # the cached run, as a new visitor sees the link
    assert widget_values(page) == after


# ----------------------------------------------------------------------------- projector, zh
def _font_px(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate(
        "(e) => parseFloat(getComputedStyle(e).fontSize)")


def test_projector_mode_in_chinese(app_server: str, page: Page):
    load(page, f"{app_server}/compare?lang=zh&projector=1&{SMALL}", timeout=LOAD_TIMEOUT)
    wait_for_charts(page)
    assert_no_exception(page)
    # the sidebar starts collapsed, the page uses the width
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_attribute("data-collapsed") == "true"
    h1 = _font_px(page, "[data-testid=stMain] h1")
    h3 = _font_px(page, "[data-testid=stMain] h3")
    body = _font_px(page, "[data-testid=stMain] [data-testid=stAlertContainer] p")
    assert h1 > h3 > body >= 21, (h1, h3, body)  # body ≥ 1.3rem, headings larger still
    assert page.locator("[data-testid=stExpander] summary").filter(
        has_text=EN["export"]).count() == 0
    assert page.get_by_text("关于本页").count() == 1  # the intro, collapsed
    # chart text: at least 16 px in projector mode (issue 11), larger than without it; the
    # charts fit the projector's width instead of growing (test_lecture_flow checks the boxes)
    fonts_js = """() => Array.from(document.querySelectorAll(
        '[data-testid=stVegaLiteChart] svg.marks text')).filter((t) => t.textContent.trim())
        .map((t) => parseFloat(getComputedStyle(t).fontSize))"""
    proj_fonts = page.evaluate(fonts_js)
    load(page, f"{app_server}/compare?lang=zh&{SMALL}", timeout=LOAD_TIMEOUT)
    wait_for_charts(page)
    normal_fonts = page.evaluate(fonts_js)
    assert proj_fonts and min(proj_fonts) >= 16, sorted(set(proj_fonts))[:5]
    assert normal_fonts and min(proj_fonts) > min(normal_fonts), (min(proj_fonts),
                                                                   min(normal_fonts))
    assert _font_px(page, "[data-testid=stMain] [data-testid=stAlertContainer] p") < body
