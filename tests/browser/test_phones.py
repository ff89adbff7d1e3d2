"""Every page on a phone (issue 25, item 8): 390x844 and 412x915, mobile and touch, a phone's
User-Agent, device scale 3.

On every page (the list of ``explorer.texts.nav.PAGES``), after the page has settled (a live
player has played its run): the sidebar is closed, nothing is wider than the screen (the
document's and the main area's scroll width <= the window's width, every chart's right edge
inside it), and a chart (a Vega-Lite chart or one of the player's canvases) fits the screen:
scrolled to, one of the page's first six charts lies wholly inside the viewport. On the
Playground, Replay keeps the player's boundary in view and it is at least 300 px wide. The figures are printed
(``pytest -s``): per page the widths, the widest chart, where the first chart is and the chart in view.

One server for the module and one browser context per phone; the pages are visited in a loop.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from explorer.texts.nav import PAGES

from .helpers import (
    OBSERVER_JS,
    assert_no_exception,
    load,
    save_screenshot,
    stable_value,
    wait_for_app,
    wait_for_charts,
    wait_for_player,
)

pytestmark = pytest.mark.browser

PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Mobile Safari/537.36")
PHONES = {"390x844": (390, 844), "412x915": (412, 915)}
LOAD_TIMEOUT = 180_000  # ms: the first visit trains the page's runs
#: pages without a chart (the home page: links only)
NO_CHART = {"home"}
#: the player's boundary on a phone is at least this wide (px)
MIN_BOUNDARY = 300

# sidebar state, widths, and every chart (Vega-Lite charts, then the player's canvases in
# their shadow roots) as [kind, left, top, width, height]
_MEASURE_JS = """
() => {
  const side = document.querySelector('[data-testid=stSidebar]');
  const sr = side ? side.getBoundingClientRect() : null;
  const main = document.querySelector('[data-testid=stMain]');
  const charts = [];
  const add = (kind, e) => {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) charts.push([kind, r.left, r.top, r.width, r.height]);
  };
  for (const el of document.querySelectorAll('[data-testid=stVegaLiteChart]')) {
    const s = el.querySelector('svg.marks, canvas');
    if (s) add('vega', s);
  }
  for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
    for (const c of (h.shadowRoot ? h.shadowRoot.querySelectorAll('canvas') : [])) add('canvas', c);
  }
  return {
    innerW: window.innerWidth, innerH: window.innerHeight,
    sidebarOpen: !!(side && side.getAttribute('data-collapsed') !== 'true' && sr.right > 1),
    docScrollW: document.scrollingElement.scrollWidth,
    mainScrollW: main ? main.scrollWidth : 0,
    charts,
  };
}
"""

# scroll the main area so that chart i (in the order above) is at the top of the view (below
# the header) and return its rectangle afterwards
_SCROLL_TO_JS = """
(i) => {
  const els = [];
  for (const el of document.querySelectorAll('[data-testid=stVegaLiteChart]')) {
    const s = el.querySelector('svg.marks, canvas');
    if (s && s.getBoundingClientRect().width > 0) els.push(s);
  }
  for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
    for (const c of (h.shadowRoot ? h.shadowRoot.querySelectorAll('canvas') : []))
      if (c.getBoundingClientRect().width > 0) els.push(c);
  }
  const e = els[i];
  const main = document.querySelector('[data-testid=stMain]');
  main.scrollTop += e.getBoundingClientRect().top - 70;
  const r = e.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom];
}
"""

_BOUNDARY_JS = """
() => {
  for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
    const c = h.shadowRoot && h.shadowRoot.querySelector('.player-root .charts canvas');
    if (c) { const r = c.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
  }
  return null;
}
"""


@pytest.fixture(params=list(PHONES), scope="module")
def phone(request, browser, warm_app):
    """A phone's browser context (one per screen size) and a page in it."""
    w, h = PHONES[request.param]
    context = browser.new_context(viewport={"width": w, "height": h}, is_mobile=True,
                                  has_touch=True, device_scale_factor=3, user_agent=PHONE_UA,
                                  locale="en-US")
    context.set_default_timeout(30000)
    context.add_init_script(OBSERVER_JS)
    try:
        yield request.param, context.new_page()
    finally:
        context.close()


def _settle(page: Page) -> dict:
    """Wait for the page to settle; its measurement (``_MEASURE_JS``) once it stands still."""
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    wait_for_player(page, timeout=LOAD_TIMEOUT)
    wait_for_charts(page, timeout=20000)
    # the player lays its canvases out after the last run: measure once nothing moves
    return stable_value(page, _MEASURE_JS)


def _inside(rect: list[float], w: int, h: int) -> bool:
    left, top, right, bottom = rect
    return left >= -0.5 and top >= -0.5 and right <= w + 0.5 and bottom <= h + 0.5


def test_every_page_fits_a_phone(phone, warm_app: str) -> None:
    name, page = phone
    problems: list[str] = []
    print(f"\n{name}: page | sidebar | scrollWidth doc/main vs innerWidth | charts | widest "
          "| first chart at load -> scrolled to")
    for page_name, _icon in PAGES:
        load(page, f"{warm_app}/{page_name if page_name != 'home' else ''}",
             timeout=LOAD_TIMEOUT)
        m = _settle(page)
        assert_no_exception(page)
        w, h = m["innerW"], m["innerH"]
        charts = m["charts"]
        widest = max(charts, key=lambda c: c[3]) if charts else None
        first = charts[0] if charts else None
        shown, which = None, None
        for i in range(min(len(charts), 6)):  # the first chart (in page order) that fits
            shown = page.evaluate(_SCROLL_TO_JS, i)
            if _inside(shown, w, h):
                which = charts[i]
                break
        save_screenshot(page, f"phone-{name}-{page_name}", full_page=False)
        print(f"  {page_name:11s} | {'open' if m['sidebarOpen'] else 'closed'} | "
              f"{m['docScrollW']}/{m['mainScrollW']} vs {w} | {len(charts)} | "
              + (f"{widest[0]} {widest[3]:.0f}x{widest[4]:.0f}" if widest else "-") + " | "
              + (f"first {first[0]} at y {first[2]:.0f}; fully in view scrolled to: "
                 + (f"{which[0]} {which[3]:.0f}x{which[4]:.0f}" if which else "NONE")
                 if first else "-"))
        if m["sidebarOpen"]:
            problems.append(f"{page_name}: the sidebar is open")
        if m["docScrollW"] > w or m["mainScrollW"] > w:
            problems.append(f"{page_name}: scroll width {m['docScrollW']}/{m['mainScrollW']} "
                            f"> {w}")
        wide = [c for c in charts if c[1] < -0.5 or c[1] + c[3] > w + 0.5]
        if wide:
            problems.append(f"{page_name}: {len(wide)} chart(s) run off the side, e.g. "
                            f"{wide[0][0]} at x {wide[0][1]:.0f}, {wide[0][3]:.0f} px wide")
        if page_name not in NO_CHART and which is None:
            problems.append(f"{page_name}: no chart fully in view ({first})")
    assert not problems, "\n".join(problems)


def test_replay_keeps_the_player_in_view(phone, warm_app: str) -> None:
    """The Playground's player on a phone: the boundary as wide as the screen (>= 300 px), the
    charts stacked, and Replay scrolls the boundary back into view."""
    name, page = phone
    load(page, f"{warm_app}/playground", timeout=LOAD_TIMEOUT)
    w, h = PHONES[name]
    canvases = _settle(page)["charts"]
    player = [c for c in canvases if c[0] == "canvas"]
    assert len(player) >= 3, canvases
    bound, loss = player[0], player[1]
    print(f"\n{name}: player boundary {bound[3]:.0f}x{bound[4]:.0f}, loss curve at y "
          f"{loss[2]:.0f} (boundary at y {bound[2]:.0f})")
    assert bound[3] >= MIN_BOUNDARY and bound[1] + bound[3] <= w + 0.5
    assert loss[2] >= bound[2] + bound[4] - 0.5, "the player's charts are not stacked"
    page.locator("[data-testid=stMain]").evaluate("(m) => { m.scrollTop = m.scrollHeight; }")
    assert not _inside(page.evaluate(_BOUNDARY_JS), w, h)  # scrolled away from it
    page.locator(".player-root button.replay").dispatch_event("click")  # (no scrolling to it)
    page.wait_for_function(f"""() => {{
      const b = ({_BOUNDARY_JS})();
      return b && b[1] >= -0.5 && b[3] <= {h} + 0.5;
    }}""", timeout=10000, polling=100)
    shown = page.evaluate(_BOUNDARY_JS)
    print(f"  after Replay: boundary at y {shown[1]:.0f}..{shown[3]:.0f} of {h}")
    save_screenshot(page, f"phone-{name}-replay", full_page=False)
    assert _inside(shown, w, h)
