"""WCAG 2.1 AA in a real browser (issue 29).

* axe-core (``axe-playwright-python``, which ships it) finds no violation of the WCAG 2.0 / 2.1 /
  2.2 A and AA rules on any page (``explorer.texts.nav.PAGES``) in English and 中文, normal and
  projector mode, at 1600x1000, 1280x720 and on a phone (390x844, mobile, touch): ``MODES``
  pairs them so that each pair of screen, language and mode is seen on every page. One browser
  context per screen size; the pages are visited in a loop over small runs (short epochs in the
  URL) with ``prefers-reduced-motion`` (nothing plays, so nothing is waited for: the player
  stands at its last epoch, the state axe reads). The violations are printed by rule and page.
* The keyboard alone drives the Playground: the first Tab reaches the skip link, Enter puts the
  focus on the player, Home / → / Space reset, step and play, every player button shows a focus
  ring, and the canvases' accessible names follow the epoch once the player stands still. The
  Lesson's Next and Back work from the keyboard.
* With ``prefers-reduced-motion: reduce`` a new run does not play by itself: the player stands at
  the last epoch with Play ready.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from playwright.sync_api import Page

from explorer.texts.live import TEXT as LIVE
from explorer.texts.nav import PAGES

from .conftest import VIEWPORT
from .helpers import OBSERVER_JS, assert_no_exception, load, wait_for_app, wait_for_player

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 180_000
SMALL = "epochs=20&n_checkpoints=5&seed=29"  # small runs: every page trains little
#: the WCAG rule sets axe checks (2.0, 2.1 and 2.2, levels A and AA)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Mobile Safari/537.36")
SCREENS = {
    "1600x1000": dict(viewport=VIEWPORT),
    "1280x720": dict(viewport={"width": 1280, "height": 720}),
    "390x844": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                    device_scale_factor=2, user_agent=PHONE_UA),
}
#: (language, projector) per screen: a pairwise design. Every page is checked in each language,
#: each mode and at each screen size, and every two of screen, language and mode meet on every
#: page (6 visits a page instead of all 12: the suite's time, issue 27)
MODES = {
    "1600x1000": [("en", False), ("zh", True)],
    "1280x720": [("zh", False), ("en", True)],
    "390x844": [("en", False), ("zh", True)],
}

# the player's root (in the component's shadow root): its data-* marks and the names of its
# canvases, or null
_PLAYER_JS = """
() => {
  for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
    const r = h.shadowRoot && h.shadowRoot.querySelector('.player-root');
    if (r) return {epoch: r.dataset.epoch, playing: r.dataset.playing, frames: r.dataset.frames,
                   complete: r.dataset.complete,
                   focused: h.shadowRoot.activeElement === r,
                   names: Array.from(r.querySelectorAll('canvas[role=img]'))
                     .map((c) => c.getAttribute('aria-label')),
                   scrub: r.querySelector('.scrub').getAttribute('aria-label')};
  }
  return null;
}
"""


def player(page: Page) -> dict | None:
    return page.evaluate(_PLAYER_JS)


def wait_player(page: Page, js: str, timeout: float = 60_000) -> None:
    """Wait until ``js`` (an expression over ``r``, the player's root) holds."""
    page.wait_for_function(
        "() => { for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]'))"
        " { const r = h.shadowRoot && h.shadowRoot.querySelector('.player-root');"
        f" if (r && r.__player && r.__player.data) return ({js}); }} return false; }}",
        timeout=timeout)


def page_url(base: str, name: str, query: str) -> str:
    return f"{base}/{'' if name == 'home' else name}?{query}"


def test_the_modes_meet_in_every_pair() -> None:
    """MODES: every screen sees both languages and both modes, every language both modes."""
    visits = [(screen, lang, on) for screen, modes in MODES.items() for lang, on in modes]
    assert {s for s, _, _ in visits} == set(SCREENS)
    for i, j in ((0, 1), (0, 2), (1, 2)):
        firsts, seconds = {v[i] for v in visits}, {v[j] for v in visits}
        assert {(v[i], v[j]) for v in visits} == {(a, b) for a in firsts for b in seconds}
    assert {lang for _, lang, _ in visits} == {"en", "zh"} and {on for *_, on in visits} == {
        False, True}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_axe_violations(browser, warm_app: str, axe, screen: str) -> None:
    """Every page in this screen size's languages and modes: no WCAG A / AA violation."""
    context = browser.new_context(locale="en-US", reduced_motion="reduce", **SCREENS[screen])
    context.set_default_timeout(60_000)
    context.add_init_script(OBSERVER_JS)
    found: dict[str, dict[str, int]] = defaultdict(dict)
    lines = []
    try:
        page = context.new_page()
        for name, _icon in PAGES:
            for lang, projector in MODES[screen]:
                query = SMALL + f"&lang={lang}" + ("&projector=1" if projector else "")
                load(page, page_url(warm_app, name, query), timeout=LOAD_TIMEOUT)
                wait_for_player(page)
                assert_no_exception(page)
                where = f"{name} {lang}{' projector' if projector else ''} {screen}"
                result = axe.run(page, options=AXE_OPTIONS).response
                for v in result["violations"]:
                    found[v["id"]][where] = len(v["nodes"])
                    lines += [f"{v['id']} ({v['impact']}) on {where}: {n['target']}"
                              for n in v["nodes"][:3]]
                print(f"{where}: {len(result['violations'])} violations, "
                      f"{len(result.get('passes', []))} passes", flush=True)
    finally:
        context.close()
    for rule, pages in found.items():
        print(f"{rule}: " + ", ".join(f"{p} ({n})" for p, n in pages.items()))
    assert not found, "axe found WCAG violations:\n" + "\n".join(lines)


def _shadow_focus_ring(page: Page) -> list:
    """[tag, outline style, outline width] of the element focused inside the player."""
    return page.evaluate("""() => {
      for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
        const a = h.shadowRoot && h.shadowRoot.activeElement;
        if (a) { const s = getComputedStyle(a);
                 return [a.tagName + '.' + a.className, s.outlineStyle, s.outlineWidth]; }
      }
      return null;
    }""")


def test_keyboard_drives_player_and_lesson(page: Page, app_server: str) -> None:
    """Tab, Enter, Home, →, Space on the Playground; Enter on the Lesson's Next and Back."""
    L = LIVE["en"]
    # every epoch a snapshot: a step needs no training on the server
    load(page, f"{app_server}/playground?epochs=10&n_checkpoints=11&seed=29",
         timeout=LOAD_TIMEOUT)
    wait_for_player(page)
    assert_no_exception(page)
    page.keyboard.press("Tab")  # the first stop: the skip link, before header and sidebar
    skip = page.evaluate("() => [document.activeElement.id, document.activeElement.textContent]")
    assert skip == ["ae-skip", "Skip to the player"], skip
    page.keyboard.press("Enter")
    assert player(page)["focused"], "Enter on the skip link did not focus the player"
    page.keyboard.press("Home")
    wait_player(page, "r.dataset.epoch === '0' && r.dataset.playing === '0'")
    page.keyboard.press("ArrowRight")
    wait_player(page, "r.dataset.epoch === '1'")
    names = player(page)["names"]
    assert player(page)["scrub"] == L["a11y_scrub"]
    assert any(n.startswith("Decision boundary, epoch 1 of 10, test accuracy ") for n in names), names
    assert any(n.startswith("Network diagram") for n in names), names
    page.keyboard.press("Space")  # plays to the end, then stands still
    wait_player(page, "r.dataset.epoch === '10' && r.dataset.playing === '0'")
    names = player(page)["names"]
    assert all("epoch 10 of 10" in n for n in names), names
    # the bar's controls: each shows a focus ring when the keyboard reaches it
    page.keyboard.press("Tab")
    ring = _shadow_focus_ring(page)
    assert ring and ring[1] != "none" and ring[2] != "0px", ring

    # the Lesson: Next and Back by the keyboard alone (Tab to them, Enter)
    load(page, f"{app_server}/lesson?step=2", timeout=LOAD_TIMEOUT)
    for key, want, tab in (("lesson_next", 3, "Tab"), ("lesson_back", 2, "Shift+Tab")):
        for _ in range(80):
            page.keyboard.press(tab)
            if page.evaluate(f"() => !!document.activeElement.closest('.st-key-{key}')"):
                break
        else:
            pytest.fail(f"Tab never reached the Lesson's {key} button")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"[?&]step={want}(&|$)"), timeout=LOAD_TIMEOUT)
        wait_for_app(page, timeout=LOAD_TIMEOUT)
        assert page.locator(".st-key-lesson_verdict").inner_text().strip(), "no verdict text"


def test_reduced_motion_does_not_autoplay(browser, warm_app: str) -> None:
    """prefers-reduced-motion: a new run stands at its last epoch, Play ready, from the first
    frame on (a run that played would be seen playing: 61 snapshots take 2 s at 30 a second);
    Play then plays it."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", reduced_motion="reduce")
    context.add_init_script(OBSERVER_JS)
    try:
        page = context.new_page()
        page.goto(f"{warm_app}/playground?epochs=60&n_checkpoints=61&seed=2929")
        wait_player(page, "r.dataset.epoch !== undefined", timeout=LOAD_TIMEOUT)
        first = player(page)
        assert first["playing"] == "0", f"the new run plays by itself: {first}"
        wait_player(page, "r.dataset.complete === '1'", timeout=LOAD_TIMEOUT)
        wait_for_app(page, timeout=LOAD_TIMEOUT)
        play = page.locator("[data-testid=stBidiComponentIsolated]").first.locator("button.play")
        state = player(page)
        assert (state["epoch"], state["playing"]) == ("60", "0"), state
        assert play.inner_text() == LIVE["en"]["play"]  # Play ready
        assert all("epoch 60 of 60" in n for n in state["names"]), state["names"]
        play.click()
        wait_player(page, "r.dataset.playing === '1'")  # Play plays
        wait_player(page, "r.dataset.playing === '0' && r.dataset.epoch === '60'")
    finally:
        context.close()
