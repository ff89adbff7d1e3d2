"""Issue 25, item 9 (projector) in a real browser, one server (sizes PRINTED, run with -s):

* Compare's "Boundaries only, large" at 1280x720: each boundary's area at least 1.5x the
  normal row's (5 activations), normal and projector mode;
* Zig-zag's segmented controls fit their columns (no cut label) at 1280x720 and 1600x1000,
  English and Chinese, projector mode (the bar of controls above the charts);
* the live player's keys while it has the focus: Space plays / pauses (the page does not
  scroll), -> steps one epoch, <- one back, Home resets; no "Replay epoch" slider.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .helpers import assert_no_exception, load, stable_value, wait_for_app
from .test_live import ROOT_JS, state, wait_state
from .test_pages import LOAD_TIMEOUT

pytestmark = pytest.mark.browser

ACTS = "acts=sigmoid-tanh-relu-leaky_relu-maxout&epochs=60&n_checkpoints=13"
SIZES_JS = """() => { const r = (ROOT_FN)(); return [...r.querySelectorAll('.row canvas')]
  .map((c) => { const b = c.getBoundingClientRect(); return [b.width, b.height]; }); }"""\
    .replace("ROOT_FN", ROOT_JS)
FIT_JS = """() => [...document.querySelectorAll('[data-testid=stButtonGroup]')].map((g) => {
  const col = g.closest('[data-testid=stColumn]') || g, c = col.getBoundingClientRect();
  return [...g.querySelectorAll('button')].filter((b) => b.innerText.trim()).map((b) => {
    const r = b.getBoundingClientRect(), t = b.querySelector('p') || b;
    return {text: b.innerText.trim(), right: r.right, col: c.right,
            cut: t.scrollWidth > t.clientWidth + 1}; }); }).flat()"""


def boundary_sizes(browser, url: str) -> list[list[float]]:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        load(page, url, timeout=LOAD_TIMEOUT)
        wait_state(page, "s.complete === '1' && s.playing === '0'", timeout=LOAD_TIMEOUT)
        wait_for_app(page, timeout=LOAD_TIMEOUT)
        out = stable_value(page, SIZES_JS)  # once the player's layout stands still
        assert_no_exception(page)
        return out
    finally:
        context.close()


@pytest.mark.parametrize("projector", ["0", "1"])
def test_large_boundaries_are_at_least_half_again_as_large(app_server: str, browser,
                                                           projector):
    base = f"{app_server}/compare?{ACTS}&projector={projector}"
    normal = boundary_sizes(browser, base)
    big = boundary_sizes(browser, base + "&big=1")
    assert len(normal) == len(big) == 5
    a_normal = min(w * h for w, h in normal)
    a_big = min(w * h for w, h in big)
    print(f"\ncompare 5 activations at 1280x720, projector={projector}: normal "
          f"{normal[0][0]:.0f}x{normal[0][1]:.0f} px, large {big[0][0]:.0f}x{big[0][1]:.0f} px, "
          f"area x{a_big / a_normal:.2f}")
    assert a_big >= 1.5 * a_normal


@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000)])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_zigzag_controls_fit(app_server: str, browser, size, lang):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        load(page, f"{app_server}/zigzag?projector=1&lang={lang}", timeout=LOAD_TIMEOUT)
        wait_for_app(page, timeout=LOAD_TIMEOUT)
        buttons = page.evaluate(FIT_JS)
        print(f"\nzigzag {size[0]}x{size[1]} {lang}: " + "; ".join(
            f"{b['text']} right {b['right']:.0f}/{b['col']:.0f}" for b in buttons))
        assert len(buttons) == 4  # two input pills, two outputs
        for b in buttons:
            assert not b["cut"] and b["right"] <= b["col"] + 0.5, b
    finally:
        context.close()


def press(page: Page, key: str) -> None:
    page.keyboard.press(key)
    page.wait_for_timeout(300)
    wait_for_app(page, timeout=LOAD_TIMEOUT)


def test_player_keys(app_server: str, page: Page):
    load(page, f"{app_server}/playground?epochs=40&n_checkpoints=5", timeout=LOAD_TIMEOUT)
    wait_state(page, "s.complete === '1' && s.playing === '0'", timeout=LOAD_TIMEOUT)
    assert not page.get_by_text("Replay epoch").count()  # one epoch control: the scrubber
    canvas = page.evaluate(f"() => {{ const c = ({ROOT_JS})().querySelector('canvas');"
                           " c.scrollIntoView({block: 'center'});"
                           " const b = c.getBoundingClientRect(); return [b.x + 30, b.y + 30]; }")
    page.mouse.click(*canvas)  # the player takes the focus
    scroll = "() => document.querySelector('[data-testid=stMain]').scrollTop + window.scrollY"
    top = page.evaluate(scroll)
    press(page, "Home")
    wait_state(page, "s.epoch === '0' && s.playing === '0'")
    press(page, "ArrowRight")  # epoch 1: between snapshots, the page computes its frame
    wait_state(page, "s.epoch === '1'", timeout=60000)
    press(page, "ArrowLeft")
    wait_state(page, "s.epoch === '0'", timeout=60000)
    page.keyboard.press(" ")
    wait_state(page, "s.playing === '1' || s.epoch === '40'", timeout=10000)
    wait_state(page, "s.playing === '0' && s.epoch === '40'", timeout=60000)  # played on
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    page.locator(".player-root select").select_option("1")  # slowly: a pause lands mid-run
    canvas = page.evaluate(f"() => {{ const b = ({ROOT_JS})().querySelector('canvas')"
                           ".getBoundingClientRect(); return [b.x + 30, b.y + 30]; }")
    page.mouse.click(*canvas)
    top = page.evaluate(scroll)
    page.keyboard.press(" ")
    wait_state(page, "s.playing === '1'", timeout=10000)
    page.keyboard.press(" ")
    wait_state(page, "s.playing === '0'", timeout=10000)
    paused = state(page)["epoch"]
    assert int(paused) < 40, paused
    assert page.evaluate(scroll) == top  # Space never scrolled the page
    help_ = page.evaluate(f"() => ({ROOT_JS})().querySelector('.keys').title")
    print(f"\nplayer keys: paused at {paused}; help: {help_}")
    assert "Space" in help_ and "Home" in help_
    assert_no_exception(page)
