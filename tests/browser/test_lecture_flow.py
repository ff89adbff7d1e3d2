"""Lecture flow in a real browser (issue 11).

* Navigation keeps the room's settings: from pages opened with ``?lang=zh&projector=1``, every
  Home card and sidebar links that leave and reach every page open their target in Chinese with
  projector mode on (URL and widgets), and a page's own settings survive a trip to another page
  and back through the sidebar.
* Projector layout at 1280x720: on every page that trains, at least one chart lies fully in
  the first screen, no two charts overlap, no chart is drawn wider than the column holding it,
  no chart text was cut with "…", and chart text is at least 16 px. The same layout checks
  (without the first-screen one) at 1600x1000 and 1920x1080, with projector mode on and off.
* Screenshots of every page in projector mode at 1280x720 (and at 1920x1080, projector on and
  off), English and Chinese, are saved to
  tests/browser/artifacts/lecture-*.png for a person to look at.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page

from explorer.texts.common import TEXT as COMMON
from explorer.texts.nav import PAGES, TITLES
from explorer.texts.playground import TEXT as PLAY_TEXT

from .helpers import (
    assert_no_exception,
    expect_rerun,
    fonts_ready,
    load,
    save_screenshot,
    set_number_input,
    stable_value,
    truncated_chart_texts,
    wait_for_charts,
    widget_values,
)

pytestmark = pytest.mark.browser

LOAD = 180_000
NAMES = [name for name, _icon in PAGES]
TRAINING_PAGES = ["playground", "compare", "gallery", "vanishing", "zigzag", "dead_relu"]
ZH = COMMON["zh"]
PLAY = PLAY_TEXT["zh"]
LECTURE = "lang=zh&projector=1"


def url_of(base: str, name: str, query: str = LECTURE) -> str:
    return f"{base}/{'' if name == 'home' else name}?{query}"


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def page_name(url: str) -> str:
    path = urlsplit(url).path.strip("/")
    return path or "home"


def open_sidebar(page: Page) -> None:
    """Projector mode starts with the sidebar collapsed: open it (no rerun)."""
    button = page.locator("[data-testid=stExpandSidebarButton]")
    if button.count() and button.first.is_visible():
        button.first.click()
    page.locator("[data-testid=stSidebarNav]").wait_for(state="visible", timeout=10_000)


def sidebar_link(page: Page, name: str):
    title = TITLES["zh"][name]
    return page.locator("[data-testid=stSidebarNav] a").filter(has_text=title).first


def follow(page: Page, link) -> None:
    """Click a page link and wait until the target page has run (and settled)."""
    with expect_rerun(page, timeout=LOAD):
        link.click()


def assert_lecture_state(page: Page, name: str) -> None:
    """The page ``name`` shows in Chinese, in projector mode, and its URL says both."""
    assert_no_exception(page)
    assert page_name(page.url) == name, (page.url, name)
    q = query_of(page.url)
    assert q.get("lang") == "zh" and q.get("projector") == "1", (name, page.url)
    values = widget_values(page)
    assert values.get("sidebar/stSelectbox:Language / 语言") == "简体中文", (name, values)
    assert values.get(f"sidebar/stCheckbox:{ZH['projector']}") == "true", (name, values)
    nav = page.locator("[data-testid=stSidebarNav] a").all_inner_texts()
    assert any(TITLES["zh"][name] in t for t in nav), nav  # the navigation is Chinese too
    # the projector CSS is in the page: body text is drawn at the projector size (1.4rem)
    size = page.evaluate("() => Math.max(0, ...Array.from(document.querySelectorAll("
                         "'[data-testid=stMain] .stMarkdown p')).map("
                         "(p) => parseFloat(getComputedStyle(p).fontSize)))")
    assert size >= 22, (name, size)


# ----------------------------------------------------------------------------- navigation
#: Home's cards, one per leg
CARDS = [n for n in NAMES if n != "home"]


def link_legs(cards: list[str], home: str = "home") -> list[list[str]]:
    """Leg k: Home, its k-th card's page (by the card), the next card's page, Home, the card's
    page after that (by sidebar links). Together the legs follow every card once and leave and
    reach every page through the sidebar, Home's links included: 4 page visits a leg (all 72
    sidebar links walked took 80 visits for the same mechanism, issue 27's suite time)."""
    n = len(cards)
    return [[home, cards[k], cards[(k + 1) % n], home, cards[(k + 2) % n]] for k in range(n)]


LEGS = link_legs(CARDS)


def test_the_walk_follows_every_card_and_leaves_and_reaches_every_page():
    assert sorted(leg[1] for leg in LEGS) == sorted(CARDS)  # every card once
    links = [p for leg in LEGS for p in list(zip(leg, leg[1:]))[1:]]  # sidebar links only
    assert all(a != b for a, b in links)
    assert {a for a, _ in links} == {b for _, b in links} == set(NAMES)
    assert {b for a, b in links if a == "home"} == set(CARDS)  # each of Home's own links
    assert {a for a, b in links if b == "home"} == set(CARDS)  # each page's link to Home


@pytest.mark.parametrize("leg", range(len(LEGS)))
def test_sidebar_links_and_home_cards_keep_language_and_projector(app_server: str, page: Page,
                                                                  leg: int):
    """From a page opened with lang=zh&projector=1 (or reached from one), a Home card and the
    sidebar links keep both: the legs follow every card once and leave and reach every page
    through the sidebar. Home's cards link to every other page with both in their URL (also for
    a new tab)."""
    walk = LEGS[leg]
    page.set_viewport_size({"width": 1280, "height": 720})
    load(page, url_of(app_server, walk[0]), timeout=LOAD)
    open_sidebar(page)
    assert_lecture_state(page, walk[0])
    cards = page.locator("[data-testid=stMain] [data-testid=stPageLink] a")
    targets = [page_name(cards.nth(i).get_attribute("href")) for i in range(cards.count())]
    assert sorted(targets) == sorted(CARDS)
    for i in range(cards.count()):
        href = cards.nth(i).get_attribute("href")
        assert query_of(href) == {"lang": "zh", "projector": "1"}, href  # also for a new tab
    follow(page, cards.nth(targets.index(walk[1])))  # this leg's card
    open_sidebar(page)
    assert_lecture_state(page, walk[1])
    for target in walk[2:]:
        open_sidebar(page)
        follow(page, sidebar_link(page, target))
        assert_lecture_state(page, target)


def test_playground_settings_survive_compare_and_back(app_server: str, page: Page):
    """Change Playground settings, go to Compare and back through the sidebar: same view."""
    page.set_viewport_size({"width": 1280, "height": 720})
    small = LECTURE + "&epochs=30&n_checkpoints=6"
    # train the three configs first: a config trained live (streamed to the player) is another
    # feature's business; here every change must find its run in the cache
    for extra in ("", "&seed=3", "&seed=3&epochs=40"):
        load(page, url_of(app_server, "playground", small + extra), timeout=LOAD)
        page.get_by_text(PLAY["params"].split("{")[0]).first.wait_for(timeout=LOAD)
    load(page, url_of(app_server, "playground", small), timeout=LOAD)
    page.get_by_text(PLAY["params"].split("{")[0]).first.wait_for(timeout=LOAD)
    open_sidebar(page)
    set_number_input(page, ZH["field.seed"], 3)
    set_number_input(page, ZH["field.epochs"], 40)
    before_q = query_of(page.url)
    before = widget_values(page)
    assert before_q.get("seed") == "3" and before_q.get("epochs") == "40", before_q
    follow(page, sidebar_link(page, "compare"))
    assert_lecture_state(page, "compare")
    assert "seed" not in query_of(page.url)  # Compare has settings of its own
    open_sidebar(page)
    follow(page, sidebar_link(page, "playground"))
    assert_lecture_state(page, "playground")
    assert query_of(page.url) == before_q
    after = widget_values(page)
    changed = {k: (before[k], after.get(k)) for k in before if after.get(k) != before[k]}
    assert not changed, changed
    # a shared link with its own settings wins over the session's
    load(page, url_of(app_server, "playground", small + "&seed=3"), timeout=LOAD)
    assert query_of(page.url).get("seed") == "3" and "epochs=40" not in page.url


# ----------------------------------------------------------------------------- layout
#: boxes of every chart: Vega-Lite charts (their element and the drawing in it) and the plots
#: of the Playground's live player (canvases of a component), with the width of the column (or
#: main block, or the player) holding each, and every SVG text's font size
_LAYOUT_JS = """
() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const holder = (e) => e.closest('[data-testid=stColumn]')
    || e.closest('[data-testid=stMainBlockContainer]');
  const out = [];
  for (const el of document.querySelectorAll(
      '[data-testid=stMain] [data-testid=stBidiComponentIsolated]')) {
    // the live player draws its plots on canvases in its own (open) shadow root
    const width = box(el).w;
    const root = (el.shadowRoot || el).querySelector('.player-root');
    // the smallest text the player draws on its canvases (it marks it on its root)
    const fonts = root && root.dataset.minFont ? [['player text', Number(root.dataset.minFont)]]
                                                : [];
    for (const c of (el.shadowRoot || el).querySelectorAll('canvas')) {
      const b = box(c);
      if (b.w > 50 && b.h > 50) out.push({kind: 'player', box: b, drawn: b, column: width,
                                          fonts});
    }
  }
  for (const el of document.querySelectorAll('[data-testid=stMain] [data-testid=stVegaLiteChart]')) {
    const b = box(el);
    if (b.w < 2 || b.h < 2) continue;
    if (el.closest('details:not([open])')) continue;  // folded away: not on screen
    const drawing = el.querySelector('svg.marks, canvas');
    const col = holder(el);
    const colBox = box(col);
    const pad = parseFloat(getComputedStyle(col).paddingLeft || 0)
      + parseFloat(getComputedStyle(col).paddingRight || 0);
    const fonts = Array.from(el.querySelectorAll('svg.marks text'))
      .filter((t) => t.textContent.trim())
      .map((t) => [t.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(t).fontSize)]);
    out.push({kind: el.getAttribute('data-testid'), box: b,
              drawn: drawing ? box(drawing) : b, column: colBox.w - pad, fonts});
  }
  return out;
}
"""
#: the viewports each mode is checked at: one page load per mode at the first size (the
#: projector's 1280x720 first), then the window is resized (the page does not rerun: the same
#: charts laid out again, as when a lecturer resizes the browser)
VIEWPORTS = {True: [(1280, 720), (1600, 1000), (1920, 1080)],
             False: [(1600, 1000), (1920, 1080)]}


def overlap(a: dict, b: dict) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(0.0, w) * max(0.0, h)


def layout(page: Page, before: list[dict] | None = None) -> list[dict]:
    """The boxes once every chart is drawn, the web fonts are in (Vega lays titles out again
    then) and the boxes stood still for a few reads (after a resize: until they left the
    previous size's layout ``before`` and stood still: the columns reflow, the charts and the
    player follow)."""
    wait_for_charts(page, timeout=30_000)
    fonts_ready(page)
    return stable_value(page, _LAYOUT_JS, differs_from=before, timeout=15_000)


def check_layout(page: Page, charts: list[dict], where: str, projector: bool) -> None:
    """No two charts overlap, none is wider than its column, projector text >= 16 px, no
    chart text cut with "…"."""
    assert charts, f"{where}: no chart drawn"
    for i, a in enumerate(charts):
        for b in charts[i + 1:]:
            assert overlap(a["box"], b["box"]) < 1, f"{where}: charts overlap {a['box']} {b['box']}"
            assert overlap(a["drawn"], b["drawn"]) < 1, \
                f"{where}: drawings overlap {a['drawn']} {b['drawn']}"
        assert a["drawn"]["w"] <= a["column"] + 1, \
            f"{where}: chart {a['drawn']['w']:.0f} px wide in a {a['column']:.0f} px column " \
            f"(at x={a['box']['x']:.0f}, y={a['box']['y']:.0f})"
        if projector:  # (Vega-Lite's SVG texts; the player's smallest canvas text)
            small = [(t, s) for t, s in a["fonts"] if s < 16]
            assert not small, f"{where}: chart text under 16 px: {small[:6]}"
    cut = truncated_chart_texts(page)
    assert not cut, f"{where}: chart texts cut with '…': {cut}"


@pytest.mark.parametrize("projector", [True, False], ids=["projector", "plain"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", TRAINING_PAGES)
def test_training_page_layout(app_server: str, page: Page, name: str, lang: str,
                              projector: bool):
    sizes = VIEWPORTS[projector]
    page.set_viewport_size({"width": sizes[0][0], "height": sizes[0][1]})
    load(page, url_of(app_server, name, f"lang={lang}&projector={int(projector)}"),
         timeout=LOAD)
    assert_no_exception(page)
    charts = None
    for k, (width, height) in enumerate(sizes):
        if k:
            page.set_viewport_size({"width": width, "height": height})
        charts = layout(page, charts)
        where = f"{name} {lang} {width}x{height} projector={projector}"
        if (width, height, projector) == (1280, 720, True):
            save_screenshot(page, f"lecture-{name}-{lang}-1280x720", full_page=False)
            first = [c for c in charts if c["box"]["y"] >= 0 and c["box"]["x"] >= 0
                     and c["box"]["y"] + c["box"]["h"] <= height
                     and c["box"]["x"] + c["box"]["w"] <= width]
            assert first, f"{where}: no chart fully in the first screen: " + str(
                [(round(c["box"]["y"]), round(c["box"]["h"])) for c in charts])
        check_layout(page, charts, where, projector)
        if width == 1920:
            save_screenshot(page, f"lecture-{name}-{lang}-1920x1080-"
                            f"{'projector' if projector else 'plain'}", full_page=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_in_projector_mode(app_server: str, page: Page, lang: str):
    """Home's card titles are larger than their descriptions in projector mode."""
    page.set_viewport_size({"width": 1280, "height": 720})
    load(page, url_of(app_server, "home", f"lang={lang}&projector=1"), timeout=LOAD)
    assert_no_exception(page)
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-testid=stMain] [data-testid=stVerticalBlock] [data-testid=stPageLink]'))
        .map((l) => { const card = l.closest('[data-testid=stVerticalBlock]');
          const cap = card.querySelector('[data-testid=stCaptionContainer]');
          return [parseFloat(getComputedStyle(l.querySelector('p')).fontSize),
                  cap ? parseFloat(getComputedStyle(cap).fontSize) : 0]; })""")
    assert sizes and all(title > text for title, text in sizes), sizes
    save_screenshot(page, f"lecture-home-{lang}-1280x720", full_page=False)
