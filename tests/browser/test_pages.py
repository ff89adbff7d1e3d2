"""Every page in a real browser: it loads, shows no exception, draws the expected charts, and
reacts to a control; the same page renders in Chinese.

The page list comes from ``explorer.texts.nav.PAGES``; each page needs a row in ``SPECS``
(expected number of drawn Vega-Lite charts at the default view, measured from the real page,
and one control to change). Labels are looked up in the pages' own text tables, so rewording a
label does not break the test. A screenshot of every page is saved in tests/browser/artifacts/.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from explorer import ACTIVATIONS
from explorer.texts.common import TEXT as COMMON
from explorer.texts.nav import PAGES, TITLES

from .helpers import (
    assert_no_exception,
    chart_signatures,
    count_charts,
    expect_rerun,
    load,
    main_text,
    page_heading,
    save_screenshot,
    select_option,
    set_number_input,
    set_slider,
    truncated_chart_texts,
    wait_for_player,
)

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
PAGE_NAMES = [name for name, _icon in PAGES]
PLACEHOLDER = "This page is being built"
CJK = re.compile(r"[\u4e00-\u9fff]")
LOAD_TIMEOUT = 120_000  # ms: the first page of a worker also imports the engine


def text(page_name: str, key: str) -> str:
    """English text ``key`` of a page's table (falling back to the shared table)."""
    try:
        table = importlib.import_module(f"explorer.texts.{page_name}").TEXT["en"]
    except ModuleNotFoundError:
        table = {}
    return table.get(key) or COMMON["en"][key]


def field(name: str) -> str:
    return COMMON["en"][f"field.{name}"]


def sidebar(page: Page):
    return page.locator("[data-testid=stSidebar]")


@dataclass(frozen=True)
class Spec:
    charts: int  # drawn stVegaLiteChart elements at the default view
    change: Callable[[Page], None]  # change one control (the helper waits for the rerun)
    what: str  # the change, for messages
    url_key: str | None = None  # a query key the change must write into the URL


def _language(page: Page) -> None:
    select_option(page, COMMON["en"]["language"], "简体中文", within=sidebar(page))


def _click(page: Page, selector: str) -> None:
    with expect_rerun(page):
        page.locator(selector).click()


SPECS: dict[str, Spec] = {
    "home": Spec(0, _language, "language -> 简体中文", "lang"),
    "lesson": Spec(1, lambda p: _click(p, ".st-key-lesson_next button"), "Next -> step 2",
                   "step"),
    "playground": Spec(
        5, lambda p: select_option(p, field("activation"), ACTIVATIONS["tanh"].label,
                                   within=sidebar(p)),
        "activation -> tanh", "activation"),
    "compare": Spec(7, lambda p: set_number_input(p, field("seed"), 1, within=sidebar(p)),
                    "seed -> 1", "seed"),
    "gallery": Spec(15, lambda p: set_slider(p, text("gallery", "mean"), 2.0, within=sidebar(p)),
                    "mean μ -> 2", "mean"),
    "vanishing": Spec(5, lambda p: set_slider(p, text("vanishing", "depth"), 4),
                      "depth -> 4", "depth"),
    "dead_relu": Spec(6, lambda p: set_slider(p, text("dead_relu", "leaky_slope"), 0.2),
                      "leaky slope -> 0.2", "leaky_slope"),
    "zigzag": Spec(7, lambda p: set_number_input(p, text("zigzag", "steps"), 150,
                                                 within=sidebar(p)),
                   "SGD steps -> 150", "steps"),
}


def url_of(base: str, name: str, query: str = "") -> str:
    path = "/" if name == "home" else f"/{name}"
    return base + path + (f"?{query}" if query else "")


def skip_placeholder(name: str) -> None:
    source = (REPO_ROOT / "pages" / f"{name}.py").read_text(encoding="utf-8")
    if PLACEHOLDER in source:
        pytest.skip(f"pages/{name}.py is still a placeholder")


def test_every_page_has_a_row():
    missing = [n for n in PAGE_NAMES if n not in SPECS]
    assert not missing, f"add a row to SPECS for {missing} (charts measured from the real page)"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_loads_draws_reacts_and_speaks_chinese(app_server, page, name):
    skip_placeholder(name)
    spec = SPECS[name]
    load(page, url_of(app_server, name), timeout=LOAD_TIMEOUT)
    assert_no_exception(page)
    assert page.title() and page_heading(page), "the page has no title"
    n = count_charts(page, timeout=30000)
    total = page.locator("[data-testid=stVegaLiteChart]").count()
    assert total == n, f"{total - n} of {total} charts were not drawn"
    assert n == spec.charts, f"{name}: {n} charts drawn, expected {spec.charts}"
    save_screenshot(page, f"page-{name}")

    # one control changes the view (and the URL)
    before_sigs = chart_signatures(page)
    before_text = main_text(page)
    spec.change(page)
    assert_no_exception(page)
    if spec.url_key:
        assert re.search(rf"[?&]{re.escape(spec.url_key)}=", page.url), (
            f"{spec.what}: the URL {page.url} does not record {spec.url_key!r}")
    if spec.charts:
        wait_for_player(page)  # a new run plays first; its charts come when it stands still
        after = count_charts(page, timeout=30000)
        assert after >= 1, f"{spec.what}: no charts drawn after the change"
        after_sigs = chart_signatures(page)
        changed = sum(a != b for a, b in zip(before_sigs, after_sigs)) + abs(
            len(after_sigs) - len(before_sigs))
        assert changed, f"{spec.what}: none of the {len(after_sigs)} charts changed"
        # redrawn after the web font loaded: a text Vega had to shorten is cut off for everyone
        cut = truncated_chart_texts(page)
        assert not cut, f"{name}: chart texts cut off with '…': {cut[:5]}"
    else:
        assert main_text(page) != before_text, f"{spec.what}: the page did not change"
    save_screenshot(page, f"page-{name}-changed", full_page=False)

    # the default view in Chinese (its runs are cached by now)
    load(page, url_of(app_server, name, "lang=zh"), timeout=LOAD_TIMEOUT)
    assert_no_exception(page)
    heading = page_heading(page)
    assert CJK.search(heading), f"{name}: title {heading!r} is not Chinese"
    nav = page.locator("[data-testid=stSidebarNav]").inner_text()
    assert TITLES["zh"][name] in nav, f"navigation does not show {TITLES['zh'][name]!r}"
    assert count_charts(page, timeout=30000) == spec.charts
    save_screenshot(page, f"page-{name}-zh", full_page=False)


def _layout_problems(page: Page, name: str) -> list[str]:
    problems = []
    nav = page.locator("[data-testid=stSidebarNav]").inner_text()
    if TITLES["en"][name] not in nav or "streamlit app" in nav.lower():
        problems.append(f"navigation shows {nav.split()!r}, not the app's page titles")
    width = page.locator("[data-testid=stMainBlockContainer]").bounding_box()["width"]
    if width < 1000:
        problems.append(f"main area is {width:.0f} px wide: the wide layout is not applied")
    return problems


def test_deep_link_is_the_first_visit(fresh_server, page):
    """A shared link opened on a server nobody has visited yet (after a restart or a Community
    Cloud wake-up) shows the app as usual: page config (wide layout) and named navigation."""
    name = "playground"
    load(page, url_of(fresh_server, name, "activation=tanh"), timeout=LOAD_TIMEOUT)
    assert_no_exception(page)
    first = _layout_problems(page, name)
    save_screenshot(page, "first-visit-deep-link", full_page=False)
    # after someone opened the home page the same link works (Streamlit then knows the app
    # uses st.navigation): so a failure above is about the first visit only
    load(page, fresh_server + "/", timeout=LOAD_TIMEOUT)
    load(page, url_of(fresh_server, name, "activation=tanh"), timeout=LOAD_TIMEOUT)
    assert not _layout_problems(page, name)
    assert not first, "first visit through a deep link: " + "; ".join(first)
