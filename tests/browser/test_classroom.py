"""Class mode in real browsers (issue 28's proof, issue 29's keyboard): one lecturer at
1280x720 and three students on phones (390x844, mobile, touch, a phone's User-Agent), one room.

One test walks a class from start to close (xdist may split a module's tests between workers,
so the room is not shared between tests):

* the lecturer starts a room on the Lesson page; two students join by the join link, the third
  first tries a guessed code (a clear message, no traceback) and then types the room's code;
  one student picks 简体中文 herself;
* the lecturer's Next moves every phone (waited for: the server pushes the move to them);
* each student taps an answer; a reload of the phone is the same student (no second vote);
  the lecturer sees the count of answers, not their split, until Reveal;
* forged links (a wrong or missing lecturer key, query parameters that would move or reveal)
  change nothing: the room's step, round and reveal stay as they were;
* Reveal: the projector's bars are the answers cast (read from the chart's marks); each phone
  shows the chart, the answer the run shows, its own answer and the class's bars;
* Vote again: a second round, both rounds side by side;
* in 中文 with the keyboard only: the lecturer's Back, Reveal, Vote again and Next (each with a
  visible focus ring) and a student's answer (Tab, Space);
* Close: every phone says the lecturer ended the class, the lecturer that it is closed.

No phone scrolls sideways (the document's scroll width <= the window's width). Screenshots
(tests/browser/artifacts/class-*.png): the student's question and reveal (English, 中文) and the
lecturer's room (QR code), question with its count, reveal and second vote (English, 中文).
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect

from explorer import lesson
from explorer.lesson import predict as pr
from explorer.texts.classroom import TEXT as CT
from explorer.texts.common import TEXT as COMMON

from .helpers import (
    OBSERVER_JS,
    assert_no_exception,
    expect_rerun,
    load,
    save_screenshot,
    wait_for_app,
    wait_for_charts,
)

pytestmark = pytest.mark.browser

LOAD = 180_000  # ms: a step's first visit trains its runs
FOLLOW = 60_000  # ms: how long a phone may take to follow the room (the server pushes each move)
LECTURER = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Mobile Safari/537.36")
N = lesson.N_STEPS
#: the steps the class visits: the lecturer starts on FIRST, Next goes to SECOND
FIRST, SECOND = 7, 8

# every chart's marks as Vega names them for screen readers: the class's answers chart is
# the one whose bars carry a "mark" (right / other); titles with their position
_MARKS_JS = """
() => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks'))
  .map((svg) => ({
    bars: Array.from(svg.querySelectorAll('[aria-roledescription=bar]'))
      .map((e) => e.getAttribute('aria-label')),
    texts: Array.from(svg.querySelectorAll('[aria-roledescription="text mark"]'))
      .map((e) => e.getAttribute('aria-label')),
    titles: Array.from(svg.querySelectorAll('[aria-roledescription=title]')).map((e) => {
      const r = e.getBoundingClientRect();
      return [e.getAttribute('aria-label'), r.left, r.top];
    }),
  }))
"""
_WIDTH_JS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
# the focused element: inside which key's container, and its focus ring
_FOCUS_JS = """
(key) => {
  const a = document.activeElement;
  if (!a || !a.closest('.st-key-' + key)) return null;
  const s = getComputedStyle(a);
  return [a.tagName, a.textContent.trim(), s.outlineStyle, s.outlineWidth];
}
"""


def plain(text: str) -> str:
    return text.replace("**", "")


def tc(key: str, lang: str, **fmt) -> str:
    return plain(CT[lang][key].format(**fmt))


def step_line(lang: str, step: int, rnd: int) -> str:
    """The phone's caption: "Step 8 of 14 · Round 1"."""
    return tc("student_step", lang, n=step, total=N) + " · " + tc("round", lang, n=rnd)


def count_line(lang: str, n: int, m: int, rnd: int) -> str:
    """The lecturer's live count: "3 of 3 answered · Round 1"."""
    return tc("answered", lang, n=n, m=m) + " · " + tc("round", lang, n=rnd)


def main(page: Page):
    return page.locator("[data-testid=stMain]")


def wait_text(page: Page, text: str, timeout: float = FOLLOW) -> None:
    """Wait until the main area shows ``text`` (a phone following the room), then settles."""
    expect(main(page)).to_contain_text(text, timeout=timeout)
    wait_for_app(page, timeout=LOAD)
    assert_no_exception(page)


def class_bars(page: Page, labels: list[str]) -> list[list[int]]:
    """The class's answers as drawn: per round (panel), the count at each answer's bar, read
    from the chart's marks (a bar and the number written at it must agree)."""
    wait_for_charts(page, timeout=30_000)
    charts = [c for c in page.evaluate(_MARKS_JS) if any("mark: " in b for b in c["bars"])]
    assert len(charts) == 1, f"{len(charts)} charts of the class's answers"
    fields = [dict(p.split(": ", 1) for p in b.split("; ")) for b in charts[0]["bars"]]
    assert len(fields) % len(labels) == 0, fields
    rounds = []
    for r in range(len(fields) // len(labels)):
        panel = fields[r * len(labels):(r + 1) * len(labels)]
        assert [f["answer"] for f in panel] == labels, panel
        rounds.append([int(next(v for k, v in f.items() if k not in ("answer", "mark")))
                       for f in panel])
    written = [int(dict(p.split(": ", 1) for p in t.split("; "))["count"])
               for t in charts[0]["texts"]]
    assert written == [c for r in rounds for c in r], (written, rounds)
    return rounds


def right_marked(page: Page) -> set[str]:
    charts = [c for c in page.evaluate(_MARKS_JS) if any("mark: " in b for b in c["bars"])]
    fields = [dict(p.split(": ", 1) for p in b.split("; ")) for b in charts[0]["bars"]]
    return {f["answer"] for f in fields if f["mark"] == "right"}


def fits_phone(page: Page, what: str) -> None:
    scroll, inner = page.evaluate(_WIDTH_JS)
    print(f"  {what}: scrollWidth {scroll} vs innerWidth {inner}")
    assert scroll <= inner, f"{what}: the phone scrolls sideways ({scroll} > {inner})"


def tab_to(page: Page, key: str, back: bool = False, tries: int = 80) -> list:
    """Press Tab (Shift+Tab) until the focus is inside ``.st-key-<key>``; its focus ring."""
    for _ in range(tries):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        found = page.evaluate(_FOCUS_JS, key)
        if found:
            assert found[2] != "none" and found[3] not in ("0px", ""), \
                f"{key}: no visible focus ring {found}"
            return found
    pytest.fail(f"Tab never reached {key}")


def press_enter(page: Page, key: str, back: bool = False) -> None:
    tab_to(page, key, back)
    with expect_rerun(page, timeout=LOAD):
        page.keyboard.press("Enter")


def pills(page: Page):
    return page.locator(".st-key-room_answers button")


def tap_answer(page: Page, i: int, label: str, lang: str) -> None:
    with expect_rerun(page, timeout=LOAD):
        pills(page).nth(i).tap()
    wait_text(page, tc("sent", lang, answer=label))
    assert pills(page).count() == 0, "a second answer is offered"


def shoot(page: Page, name: str) -> None:
    wait_for_charts(page, timeout=30_000)
    print(f"  screenshot {save_screenshot(page, f'class-{name}')}")


@pytest.fixture(scope="module")
def screens(browser, warm_app):
    """The lecturer's page (1280x720) and three phones' pages, each its own context."""
    contexts = []

    def context(**kw):
        c = browser.new_context(locale="en-US", **kw)
        c.set_default_timeout(30_000)
        c.set_default_navigation_timeout(LOAD)
        c.add_init_script(OBSERVER_JS)
        contexts.append(c)
        return c.new_page()

    try:
        lecturer = context(viewport=LECTURER)
        phones = [context(viewport=PHONE, is_mobile=True, has_touch=True,
                          device_scale_factor=2, user_agent=PHONE_UA) for _ in range(3)]
        yield warm_app, lecturer, phones
    finally:
        for c in contexts:
            c.close()


def test_a_class_on_a_projector_and_three_phones(screens) -> None:
    url, lect, (s1, s2, s3) = screens
    t0 = time.monotonic()
    q7, q8 = (lesson.step(n).name for n in (FIRST, SECOND))
    en8, zh8 = pr.option_labels(q8, "en"), pr.option_labels(q8, "zh")
    en7, zh7 = pr.option_labels(q7, "en"), pr.option_labels(q7, "zh")

    # ---------------------------------------------------------------- the lecturer starts
    load(lect, f"{url}/lesson?step={FIRST}&projector=1", timeout=LOAD)  # the projector
    lect.locator("[data-testid=stExpandSidebarButton]").click()  # (folded in projector mode)
    with expect_rerun(lect, timeout=LOAD):
        lect.get_by_role("button", name=CT["en"]["start"]).click()
    lect.locator("[data-testid=stSidebarCollapseButton] button").click()
    assert_no_exception(lect)
    query = dict(parse_qsl(urlsplit(lect.url).query))
    code, key = query["room"], query["key"]
    assert len(code) == 6 and key
    link = main(lect).locator(f"a[href*='room={code}']").first.get_attribute("href")
    assert "key=" not in link, f"the students' link carries the lecturer key: {link}"
    assert main(lect).locator("[data-testid=stImage] img").count() >= 1, "no QR code"
    shoot(lect, "lecturer-start-en")

    # ---------------------------------------------------------------- three phones join
    load(s1, link, timeout=LOAD)
    load(s2, link, timeout=LOAD)  # she picks her own language: 简体中文
    s2.locator("[data-testid=stExpandSidebarButton]").tap()
    combo = s2.locator(f"[data-testid=stSidebar] input[aria-label='{COMMON['en']['language']}']")
    # (on a phone the box is read-only: a list to pick from; react-aria's list opens on a
    # pointer press, which Playwright's tap() does not send)
    combo.click()
    with expect_rerun(s2, timeout=LOAD):
        s2.get_by_role("option", name="简体中文", exact=True).click()
    s2.locator("[data-testid=stSidebarCollapseButton] button").tap()
    guessed = "ACDEFG" if code != "ACDEFG" else "CDEFGH"
    load(s3, f"{url}/lesson?room={guessed}", timeout=LOAD)  # a guessed code
    assert_no_exception(s3)
    expect(s3.locator("[data-testid=stAlertContentWarning]")).to_contain_text(
        CT["en"]["err.unknown"])
    s3.locator("[data-testid=stTextInput] input").fill(code.lower())  # typed, any case
    with expect_rerun(s3, timeout=LOAD):
        s3.get_by_role("button", name=CT["en"]["join"]).tap()
    for page, lang in ((s1, "en"), (s2, "zh"), (s3, "en")):
        wait_text(page, step_line(lang, FIRST, 1))
        assert pills(page).count() == len(en7)
    wait_text(lect, count_line("en", 0, 3, 1))

    # ---------------------------------------------------------------- Next moves the room
    moved = time.monotonic()
    with expect_rerun(lect, timeout=LOAD):
        lect.locator(".st-key-lesson_next button").click()
    for page, lang in ((s1, "en"), (s2, "zh"), (s3, "en")):
        wait_text(page, step_line(lang, SECOND, 1))
    print(f"\nthe three phones showed the new step {time.monotonic() - moved:.1f} s after Next")
    assert [pills(s1).nth(i).inner_text() for i in range(len(en8))] == en8
    assert [pills(s2).nth(i).inner_text() for i in range(len(zh8))] == zh8
    fits_phone(s1, "question")
    shoot(s1, "phone-question-en")

    # ---------------------------------------------------------------- each taps an answer
    round1 = [0, 0, 1]
    for page, lang, i in ((s1, "en", 0), (s2, "zh", 0), (s3, "en", 1)):
        tap_answer(page, i, pr.option_labels(q8, lang)[i], lang)
    load(s1, link, timeout=LOAD)  # a reload is the same student: answered, no second vote
    wait_text(s1, tc("sent", "en", answer=en8[0]))
    assert pills(s1).count() == 0
    wait_text(lect, count_line("en", 3, 3, 1))  # three answered of three joined
    assert not main(lect).locator("[data-testid=stVegaLiteChart]").count(), \
        "the projector shows a chart before Reveal"
    assert CT["en"]["class_answers"] not in main(lect).inner_text()
    shoot(lect, "lecturer-question-en")

    # ---------------------------------------------------------------- forged links
    forged = s3.context.new_page()
    for query in (f"room={code}&key={key[:-1]}{'A' if key[-1] != 'A' else 'B'}&step=12",
                  f"room={code}&key=&step=9&reveal=1&again=1&next=1&close=1",
                  f"room={code.lower()}&step=1&projector=1"):
        load(forged, f"{url}/lesson?{query}", timeout=LOAD)
        assert_no_exception(forged)
        wait_text(forged, step_line("en", SECOND, 1))  # the room as it was: step 8, round 1
        for label in ("reveal", "again", "close"):
            assert not forged.get_by_role("button", name=CT["en"][label]).count()
        assert not forged.locator(".st-key-lesson_next, .st-key-lesson_back").count()
        assert not forged.locator("[data-testid=stVegaLiteChart]").count(), "revealed"
        assert tc("sent", "en", answer=en8[1]) in plain(main(forged).inner_text())
    forged.close()
    with expect_rerun(lect, timeout=LOAD):  # the lecturer's view: the room unchanged
        lect.reload()
    wait_text(lect, count_line("en", 3, 3, 1))
    expect(lect.get_by_role("button", name=CT["en"]["reveal"])).to_be_enabled()
    expect(lect.locator(".st-key-lesson_nav input[role=combobox]")).to_have_value(
        re.compile(rf"^{SECOND} / {N}"))

    # ---------------------------------------------------------------- Reveal
    with expect_rerun(lect, timeout=LOAD):
        lect.get_by_role("button", name=CT["en"]["reveal"]).click()
    assert class_bars(lect, en8) == [[round1.count(i) for i in range(len(en8))]]
    right = right_marked(lect)  # green: the answer the run shows, as the verdict says
    shown = pr.tp("p.or", "en").join(x for x in en8 if x in right)
    assert right and plain(pr.tp("p.answer", "en", answer=shown)) in main(lect).inner_text()
    shoot(lect, "lecturer-reveal-en")
    for page, lang, mine in ((s1, "en", 0), (s2, "zh", 0), (s3, "en", 1)):
        labels = pr.option_labels(q8, lang)
        expect(main(page).locator("[data-testid=stVegaLiteChart]")).to_have_count(
            2, timeout=FOLLOW)  # the step's chart and the class's answers
        wait_for_app(page, timeout=LOAD)
        assert class_bars(page, labels) == [[round1.count(i) for i in range(len(labels))]]
        text = plain(main(page).inner_text())
        said = {labels[i] for i in range(len(labels)) if en8[i] in right}
        answer = pr.tp("p.or", lang).join(sorted(said, key=labels.index))
        expected = (tc("your_result", lang, guess=labels[mine], answer=answer))
        assert expected in text, (expected, text[:600])
        fits_phone(page, f"reveal ({lang})")
    shoot(s1, "phone-reveal-en")
    shoot(s2, "phone-reveal-zh")

    # ---------------------------------------------------------------- Vote again
    with expect_rerun(lect, timeout=LOAD):
        lect.get_by_role("button", name=CT["en"]["again"]).click()
    round2 = [1, 0, 1]
    for page, lang, i in ((s1, "en", 1), (s2, "zh", 0), (s3, "en", 1)):
        wait_text(page, step_line(lang, SECOND, 2))
        tap_answer(page, i, pr.option_labels(q8, lang)[i], lang)
    wait_text(lect, count_line("en", 3, 3, 2))
    with expect_rerun(lect, timeout=LOAD):
        lect.get_by_role("button", name=CT["en"]["reveal"]).click()
    both = [[r.count(i) for i in range(len(en8))] for r in (round1, round2)]
    assert class_bars(lect, en8) == both
    titles = next(c["titles"] for c in lect.evaluate(_MARKS_JS)
                  if any("mark: " in b for b in c["bars"]))
    panels = [t for t in titles if any(tc("round", "en", n=r) in t[0] for r in (1, 2))]
    assert len(panels) == 2 and panels[0][1] < panels[1][1] and abs(panels[0][2] - panels[1][2]) < 4, \
        f"the rounds are not side by side: {panels}"
    shoot(lect, "lecturer-again-en")
    wait_text(s3, step_line("en", SECOND, 2))
    expect(main(s3).locator("[data-testid=stVegaLiteChart]")).to_have_count(2, timeout=FOLLOW)
    assert class_bars(s3, en8) == both
    fits_phone(s3, "two rounds")

    # ---------------------------------------------------------------- 中文, keyboard only
    load(lect, lect.url + "&lang=zh", timeout=LOAD)  # the lecturer's own link, in 中文
    press_enter(lect, "lesson_back", back=True)  # Back: the room goes to step 7
    for page, lang in ((s1, "en"), (s2, "zh"), (s3, "en")):
        wait_text(page, step_line(lang, FIRST, 1))
    # a student answers with the keyboard: Tab to an answer, Space
    ring = tab_to(s1, "room_answers")
    first = en7.index(ring[1])
    with expect_rerun(s1, timeout=LOAD):
        s1.keyboard.press("Space")
    wait_text(s1, tc("sent", "en", answer=en7[first]))
    tap_answer(s2, 1, zh7[1], "zh")
    tap_answer(s3, 1, en7[1], "en")
    wait_text(lect, count_line("zh", 3, 3, 1))
    shoot(lect, "lecturer-question-zh")
    press_enter(lect, "room_reveal")
    assert class_bars(lect, zh7) == [[[first, 1, 1].count(i) for i in range(len(zh7))]]
    shoot(lect, "lecturer-reveal-zh")
    press_enter(lect, "room_again", back=True)
    wait_text(lect, count_line("zh", 0, 3, 2))
    for page, lang in ((s1, "en"), (s2, "zh"), (s3, "en")):
        wait_text(page, step_line(lang, FIRST, 2))
        tap_answer(page, 1, pr.option_labels(q7, lang)[1], lang)
    wait_text(lect, count_line("zh", 3, 3, 2))
    press_enter(lect, "room_reveal", back=True)
    assert class_bars(lect, zh7)[1] == [3 if i == 1 else 0 for i in range(len(zh7))]
    shoot(lect, "lecturer-again-zh")
    wait_text(s2, step_line("zh", FIRST, 2))
    expect(main(s2).locator("[data-testid=stVegaLiteChart]")).to_have_count(2, timeout=FOLLOW)
    fits_phone(s2, "two rounds (zh)")
    shoot(s2, "phone-again-zh")
    press_enter(lect, "lesson_next", back=True)  # Next: back to step 8, as it was left
    wait_text(s3, step_line("en", SECOND, 2))

    # ---------------------------------------------------------------- Close
    with expect_rerun(lect, timeout=LOAD):
        lect.get_by_role("button", name=CT["zh"]["close"]).click()
    assert_no_exception(lect)
    assert "room" not in dict(parse_qsl(urlsplit(lect.url).query))
    expect(main(lect)).to_contain_text(CT["zh"]["closed_note"])
    for page, lang in ((s1, "en"), (s2, "zh"), (s3, "en")):
        wait_text(page, CT[lang]["err.closed"])
        assert pills(page).count() == 0
    load(s3, link, timeout=LOAD)  # the link itself: closed
    wait_text(s3, CT["en"]["err.closed"])
    print(f"the class took {time.monotonic() - t0:.0f} s")
