"""Smoke tests for the browser harness.

The real app's home page is checked, and the helpers themselves (select_option, set_slider,
chart_signature, expect_rerun, ...) are exercised against a throwaway harness app shipped in
``tests/browser/harness_app/`` (a selectbox "Function", number input "Points", sliders
"Amplitude" and sidebar "Width", select_slider "Learning rate", 40-option selectbox
"Activation", two Altair charts, a "Boom" button that raises), served on a port of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ARTIFACTS_DIR, serve
from .helpers import (
    assert_no_exception,
    chart_signature,
    chart_signatures,
    count_charts,
    expect_rerun,
    load,
    save_screenshot,
    select_option,
    set_number_input,
    set_slider,
)

pytestmark = pytest.mark.browser

HARNESS_DIR = Path(__file__).resolve().parent / "harness_app"


@pytest.fixture(scope="module")
def harness_server() -> Iterator[str]:
    """The harness app on a server of its own (module scope: one start for these tests)."""
    with serve(HARNESS_DIR, ARTIFACTS_DIR / "streamlit-harness.log") as (url, _pid):
        yield url


def test_home_page_loads(app_server, page):
    load(page, app_server)
    assert_no_exception(page)
    assert "Activation Explorer" in page.title()


def _status(page) -> str:
    return page.locator("[data-testid=stMarkdown]").filter(has_text="fn=").inner_text()


def test_select_option_changes_chart_signature(harness_server, page):
    load(page, harness_server)
    assert count_charts(page) == 2
    before = chart_signature(page)
    per_chart = chart_signatures(page)
    assert len(per_chart) == 2

    select_option(page, "Function", "cos")
    assert "fn=cos" in _status(page)
    changed = chart_signature(page)
    assert changed != before

    select_option(page, "Function", "sin")
    assert "fn=sin" in _status(page)
    assert chart_signature(page) == before  # same drawing, same signature
    assert_no_exception(page)


def test_long_selectbox_and_sidebar_selectbox(harness_server, page):
    load(page, harness_server)
    select_option(page, "Activation", "act37")  # beyond the virtualised first screenful
    assert "act=act37" in _status(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    select_option(page, "Language / 语言", "中文", within=sidebar)
    assert "lang=中文" in _status(page)


def test_number_input_and_sliders(harness_server, page):
    load(page, harness_server)
    before = chart_signature(page)
    set_number_input(page, "Points", 120)
    assert "n=120" in _status(page)
    set_slider(page, "Amplitude", 2.5)
    assert "amp=2.5" in _status(page)
    set_slider(page, "Amplitude", 0.5)  # the minimum: commits from above
    assert "amp=0.5" in _status(page)
    set_slider(page, "Width", 7, within=page.locator("[data-testid=stSidebar]"))
    assert "width=7" in _status(page)
    set_slider(page, "Learning rate", "0.003")
    assert "lr=0.003" in _status(page)
    assert chart_signature(page) != before
    assert_no_exception(page)


def test_assert_no_exception_sees_errors_and_screenshot(harness_server, page):
    load(page, harness_server)
    path = save_screenshot(page, "harness home")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with expect_rerun(page):
        page.get_by_role("button", name="Boom").click()
    with pytest.raises(AssertionError, match="boom on purpose"):
        assert_no_exception(page)


def test_slow_rerun_is_waited_for(harness_server, page):
    load(page, harness_server)
    select_option(page, "Delay", "2")  # the script sleeps 2 s under st.spinner
    assert "delay=2" in _status(page)
    before = chart_signature(page)
    select_option(page, "Function", "square")  # also slow now
    assert "fn=square" in _status(page)
    assert count_charts(page) == 2
    assert chart_signature(page) != before
    assert_no_exception(page)
