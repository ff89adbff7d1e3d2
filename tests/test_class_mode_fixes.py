"""Class mode's fixes found in the browser walk (tests/browser/test_classroom.py, issue 28).

* A student's page runs again on every move of the room (it follows the lecturer) and on every
  tap: joining again on those runs is not a new join and is not rate-limited (10 joins a
  minute used to turn a student following a quick lecturer into "Too many taps").
* Closing the class tells the lecturer so ("The class is closed.").
* The class's answers chart fits the width it is given (a phone's 340 px with both rounds),
  its counts drawn as cast.
* A student joins by typing the code on the Lesson page (no link, no QR needed).
"""

from __future__ import annotations

import pagetest

from explorer.app import classroom as app_classroom
from explorer.charts.classroom import answers_chart, panel_width
from explorer.charts.style import text_px
from explorer.lesson import predict as pr
from explorer.texts.classroom import TEXT as CT

PAGE = pagetest.page_file("lesson")


def run(query):
    at = pagetest.run(PAGE, query, 180, via_app=True)
    pagetest.no_errors(at)
    return at


def warnings(at):
    return [w.value for w in at.warning]


def test_a_student_following_the_room_is_not_rate_limited():
    store = app_classroom.room_store()
    code, key = store.create(8)
    s = run({"room": code})
    burst = app_classroom.limits()["join"].burst
    for i in range(burst + 3):  # every move of the room runs the student's page again
        store.goto(code, key, 9 if i % 2 == 0 else 8)
        s.run()
        pagetest.no_errors(s)
        assert CT["en"]["err.rate"] not in warnings(s), f"rate-limited at run {i + 2}"
        assert not s.text_input, "the student was sent back to the code field"
    assert store.state(code).students == 1


def test_closing_tells_the_lecturer():
    lect = run({"step": "8"})
    next(b for b in lect.button if b.label == CT["en"]["start"]).click().run()
    code = pagetest.query_params(lect)["room"]
    next(b for b in lect.button if b.label == CT["en"]["close"]).click().run()
    pagetest.no_errors(lect)
    assert CT["en"]["closed_note"] in [i.value for i in lect.info]
    assert "room" not in pagetest.query_params(lect)
    s = run({"room": code})
    assert CT["en"]["err.closed"] in warnings(s)
    lect.run()  # said once, not on every run after
    assert CT["en"]["closed_note"] not in [i.value for i in lect.info]


def _widths(chart) -> list[int]:
    spec = chart.to_dict()
    panels = spec.get("hconcat", [spec])
    return [p["width"] for p in panels]


def test_the_answers_chart_fits_its_width():
    for lang in ("en", "zh"):
        labels = pr.option_labels("dead", lang)
        for rounds, width in ((1, 340), (2, 340), (2, 780)):
            counts = [(3, 1, 0, 2, 0)] * rounds
            chart = answers_chart(labels, counts, (1,), [str(r) for r in range(rounds)], "n",
                                  width=width)
            spec = chart.to_dict()
            assert spec["autosize"]["type"] == "pad"
            label, panel = panel_width(labels, rounds, width)
            assert _widths(chart) == [panel] * rounds
            assert label >= min(0.45 * width, max(text_px(t, 14) for t in labels))
            total = label + rounds * (panel + 28) + 16 * (rounds - 1)
            assert total <= width, (lang, rounds, width, total)
            rows = [list(d) for d in spec["datasets"].values()]
            assert all([r["count"] for r in d] == [3, 1, 0, 2] for d in rows)
    # a wide screen gives the panels the room: wider than a phone's
    assert panel_width(labels, 2, 780)[1] > 2 * panel_width(labels, 2, 340)[1]


def test_a_student_joins_by_typing_the_code_on_the_lesson_page():
    """No link, no QR: the Lesson page's sidebar takes the code (any case, spaces)."""
    code, _ = app_classroom.room_store().create(8)
    at = run({})
    field = next(t for t in at.sidebar.text_input if t.label == CT["en"]["join_code"])
    field.input(f" {code[:3].lower()} {code[3:]} ")
    next(b for b in at.sidebar.button if b.label == CT["en"]["join"]).click().run()
    pagetest.no_errors(at)
    assert pagetest.query_params(at)["room"] == code
    assert at.pills and at.pills[0].options == pr.option_labels("zero_init")
    assert app_classroom.room_store().state(code).students == 1
    # a guessed code: the message, and the field again
    guessed = "ACDEFG" if code != "ACDEFG" else "CDEFGH"
    at = run({})
    next(t for t in at.sidebar.text_input if t.label == CT["en"]["join_code"]).input(guessed)
    next(b for b in at.sidebar.button if b.label == CT["en"]["join"]).click().run()
    pagetest.no_errors(at)
    assert CT["en"]["err.unknown"] in warnings(at) and at.text_input
