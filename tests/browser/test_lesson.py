"""The Lesson page in a real browser: walked end to end in English and 简体中文 in projector mode
at 1280x720 (each step shows its chart and a verdict with a computed number), the arrow keys
move between steps, and ``?step=N`` opens step N (a bad value: notice + step 1)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect

from explorer import lesson
from explorer.texts.lesson import TEXT

from .helpers import alerts, assert_no_exception, count_charts, expect_rerun, load, wait_for_app

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 180_000
PROJECTOR = {"width": 1280, "height": 720}
N = lesson.N_STEPS
DIGIT = re.compile(r"\d")


def step_in_url(page: Page) -> int:
    return int(dict(parse_qsl(urlsplit(page.url).query)).get("step", "1"))


def shown_step(page: Page) -> int:
    """The step the selector shows ("3 / 14 · ..." or "第 3 / 14 步 · ...")."""
    value = page.locator(".st-key-lesson_nav input[role=combobox]").input_value()
    m = re.search(r"(\d+) / (\d+)", value)
    assert m and int(m.group(2)) == N, value
    return int(m.group(1))


def verdict(page: Page) -> str:
    return page.locator(".st-key-lesson_verdict").inner_text().strip()


def chart_boxes(page: Page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-testid=stVegaLiteChart]')).map((e) => {
          const r = e.getBoundingClientRect();
          return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
        })""")


def check_step(page: Page, n: int, lang: str) -> str:
    assert_no_exception(page)
    assert shown_step(page) == n
    assert step_in_url(page) == n
    assert count_charts(page, timeout=30_000) == 1, f"step {n} ({lang}): not one chart"
    text = verdict(page)
    assert DIGIT.search(text), f"step {n} ({lang}): no number in the verdict {text!r}"
    box = chart_boxes(page)[0]
    size = page.viewport_size
    print(f"{lang} step {n:2d}: chart {box['left']:.0f},{box['top']:.0f} – "
          f"{box['right']:.0f},{box['bottom']:.0f} in {size['width']}x{size['height']}; "
          f"verdict: {text[:90]}")
    assert box["right"] <= size["width"] and box["bottom"] <= size["height"], \
        f"step {n} ({lang}): the chart is not above the fold"
    return text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_the_lesson_in_projector_mode(app_server: str, page: Page, lang: str):
    page.set_viewport_size(PROJECTOR)
    load(page, f"{app_server}/lesson?lang={lang}&projector=1", timeout=LOAD_TIMEOUT)
    t = TEXT[lang]
    back = page.locator(".st-key-lesson_back button")
    nxt = page.locator(".st-key-lesson_next button")
    expect(back).to_be_disabled()
    expect(nxt).to_have_text(re.compile(re.escape(t["next"])))
    seen = [check_step(page, 1, lang)]
    for n in range(2, N + 1):
        with expect_rerun(page, timeout=LOAD_TIMEOUT):
            nxt.click()
        seen.append(check_step(page, n, lang))
    expect(nxt).to_be_disabled()
    assert len(set(seen)) == N, "two steps show the same verdict"
    with expect_rerun(page, timeout=LOAD_TIMEOUT):
        back.click()
    assert shown_step(page) == N - 1


def test_arrow_keys_move_between_steps(app_server: str, page: Page):
    load(page, f"{app_server}/lesson?step=3", timeout=LOAD_TIMEOUT)
    assert shown_step(page) == 3
    first = verdict(page)
    with expect_rerun(page, timeout=LOAD_TIMEOUT):
        page.keyboard.press("ArrowRight")
    assert shown_step(page) == 4 and step_in_url(page) == 4
    assert verdict(page) != first and count_charts(page, timeout=30_000) == 1
    for expected in (3, 2):
        with expect_rerun(page, timeout=LOAD_TIMEOUT):
            page.keyboard.press("ArrowLeft")
        assert shown_step(page) == expected and step_in_url(page) == expected
    assert verdict(page) and count_charts(page, timeout=30_000) == 1
    # not while a widget has the focus: the arrows belong to the widget then
    page.locator(".st-key-lesson_nav input[role=combobox]").focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    wait_for_app(page)
    assert step_in_url(page) == 2


@pytest.mark.parametrize("n", [1, 7, N])
def test_step_in_the_url_opens_that_step(app_server: str, page: Page, n: int):
    load(page, f"{app_server}/lesson?step={n}&lang=zh", timeout=LOAD_TIMEOUT)
    assert_no_exception(page)
    assert shown_step(page) == n
    assert count_charts(page, timeout=30_000) == 1
    assert DIGIT.search(verdict(page))
    assert not alerts(page)


@pytest.mark.parametrize("raw", ["abc", "99"])
def test_bad_step_in_the_url(app_server: str, page: Page, raw: str):
    load(page, f"{app_server}/lesson?step={raw}", timeout=LOAD_TIMEOUT)
    assert_no_exception(page)
    notes = alerts(page)
    assert notes and "step" in notes[0], notes
    assert shown_step(page) == 1
    assert count_charts(page, timeout=30_000) == 1


def test_open_in_keeps_language_and_projector(app_server: str, page: Page):
    load(page, f"{app_server}/lesson?step=9&lang=zh&projector=1", timeout=LOAD_TIMEOUT)
    link = page.locator(".st-key-lesson_link a").first
    href = link.get_attribute("href")
    query = dict(parse_qsl(urlsplit(href).query))
    assert urlsplit(href).path.split("/")[-1] == "dead_relu", href
    assert query.get("lang") == "zh" and query.get("projector") == "1", query
    assert query.get("lr") == "3", query
