"""A shared link reproduces the view: set controls, copy the URL, open it in a new browser
context (a different visitor: no cookies, no session), and see the same widget values and the
same charts (per-chart drawing signatures)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page

from explorer import ACTIVATIONS
from explorer.texts.common import TEXT as COMMON
from explorer.train import checkpoint_epochs

from .conftest import VIEWPORT
from .helpers import (
    OBSERVER_JS,
    assert_no_exception,
    chart_signatures,
    count_charts,
    expand,
    load,
    save_screenshot,
    select_option,
    set_number_input,
    set_slider,
    set_text_input,
    set_toggle,
    wait_for_app,
    wait_for_player,
    widget_values,
)
from .test_live import button, wait_state, wait_url_epoch
from .test_pages import LOAD_TIMEOUT, text, url_of

pytestmark = pytest.mark.browser


def field(name: str) -> str:
    return COMMON["en"][f"field.{name}"]


def sidebar(page: Page):
    return page.locator("[data-testid=stSidebar]")


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def set_playground(page: Page) -> dict[str, str]:
    sb = sidebar(page)
    select_option(page, field("activation"), ACTIVATIONS["tanh"].label, within=sb)
    set_number_input(page, field("seed"), 3, within=sb)
    set_text_input(page, field("hidden"), "12-8", within=sb)
    expand(page, COMMON["en"]["training"], within=sb)
    set_slider(page, field("lr"), "0.03", within=sb)
    set_toggle(page, text("playground", "show_test"), False)
    # the new run plays once and reports its end (the page then shows the end): a slider moved
    # before that report would be moved back by it, as a person's would
    wait_state(page, "s.complete === '1' && s.playing === '0'", timeout=LOAD_TIMEOUT)
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    middle = checkpoint_epochs(200, 50)[20]
    # the player's scrubber is the one epoch control (issue 25): Reset, then 20 snapshots on
    button(page, "reset").click()
    wait_state(page, "s.epoch === '0'")
    for _ in range(20):
        button(page, "stepc").click()
    wait_state(page, f"s.epoch === '{middle}'")
    wait_url_epoch(page, middle)
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    return {"activation": "tanh", "seed": "3", "hidden": "12-8", "lr": "0.03",
            "show_test": "0", "epoch": str(middle)}


def set_compare(page: Page) -> dict[str, str]:
    sb = sidebar(page)
    set_number_input(page, field("seed"), 2, within=sb)
    # the new seed's runs stream; the settings below are changed once the page drew them (a
    # change made as the stream ends can be undone by the rerun that ends it: a known race in
    # the app, not what this test is about)
    wait_for_player(page, timeout=LOAD_TIMEOUT)
    set_slider(page, text("compare", "target"), 80)
    set_toggle(page, text("compare", "log_loss"), True)
    return {"seed": "2", "target": "80", "log": "1"}


CASES = {"playground": set_playground, "compare": set_compare}


@pytest.mark.parametrize("name", list(CASES))
def test_shared_link_reproduces_the_view(app_server, browser, page, name):
    load(page, url_of(app_server, name), timeout=LOAD_TIMEOUT)
    expected_query = CASES[name](page)
    assert_no_exception(page)
    url = page.url
    query = query_of(url)
    for key, value in expected_query.items():
        assert query.get(key) == value, f"URL {url}: {key}={query.get(key)!r}, wanted {value!r}"
    values = widget_values(page)
    n = count_charts(page, timeout=30000)
    sigs = chart_signatures(page)
    assert n >= 1 and len(sigs) == n
    save_screenshot(page, f"share-{name}-sender", full_page=False)

    # a different visitor opens the copied link
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.add_init_script(OBSERVER_JS)
    try:
        other = context.new_page()
        load(other, url, timeout=LOAD_TIMEOUT)
        assert_no_exception(other)
        assert query_of(other.url) == query, "the URL changed when the link was opened"
        got = widget_values(other)
        diff = {k: (values.get(k), got.get(k)) for k in values.keys() | got.keys()
                if values.get(k) != got.get(k)}
        assert not diff, f"widgets differ (sender, receiver): {diff}"
        assert count_charts(other, timeout=30000) == n
        other_sigs = chart_signatures(other)
        differing = [i for i, (a, b) in enumerate(zip(sigs, other_sigs)) if a != b]
        save_screenshot(other, f"share-{name}-receiver", full_page=False)
        assert not differing, f"charts {differing} of {n} differ between sender and receiver"
    finally:
        context.close()
