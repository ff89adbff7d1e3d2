"""issue 28 items 2-4 and 6: class mode on the Lesson page (AppTest; the in-process store,
shared by every AppTest run of this process like by every session of one server).

A lecturer starts a class (code and key in the lecturer's URL, the join link and QR shown);
students join by the link, answer (once a round), follow Next; Reveal shows the run and the
class's answers; Vote again opens round 2; a student's forged lecturer link (wrong key) only
follows; unknown and closed rooms show a message, never a traceback.
"""

from __future__ import annotations

import pagetest
import pytest

from explorer import lesson, train_many
from explorer.app import classroom as app_classroom
from explorer.classroom import CODE_ALPHABET
from explorer.lesson import predict as pr
from explorer.texts.classroom import TEXT as CT
from explorer.texts.predict import TEXT as PT

PAGE = pagetest.page_file("lesson")


def run(query):
    at = pagetest.run(PAGE, query, 180, via_app=True)
    pagetest.no_errors(at)
    return at


def button(at, label):
    return next(b for b in at.button if b.label == label)


def texts(at):
    return [m.value for m in at.markdown]


@pytest.fixture
def room():
    """A class started by the lecturer on step 7: (lecturer AppTest, code, key)."""
    at = run({"step": "7"})
    assert not any(b.label in (CT["en"]["reveal"],) for b in at.button)
    button(at, CT["en"]["start"]).click().run()
    pagetest.no_errors(at)
    q = pagetest.query_params(at)
    code, key = q["room"], q["key"]
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert at.get("imgs") or at.get("image"), "no QR code"
    assert any(f"room={code}" in t and "key=" not in t for t in texts(at))  # students' link
    return at, code, key


def test_a_class_from_start_to_vote_again(room):
    lect, code, key = room
    assert not lect.get("vega_lite_chart")  # the run waits for Reveal
    q = pr.question_text("dead")
    assert any(q in t for t in texts(lect))
    students = [run({"room": code}) for _ in range(3)]
    # the lecturer keeps the seed and predict switches; a phone in the room has neither
    def switches(at):
        return [w.label for w in [*at.sidebar.selectbox, *at.sidebar.toggle]]
    seed, pred = "Seed", pr.tp("predict_toggle", "en")
    assert seed in switches(lect) and pred in switches(lect)
    assert seed not in switches(students[0]) and pred not in switches(students[0])
    for i, s in enumerate(students):
        assert len(s.pills) == 1 and s.pills[0].options == pr.option_labels("dead")
        s.pills[0].set_value(i % 2).run()
        pagetest.no_errors(s)
        assert s.success and not s.pills  # answered: no second tap offered
    assert app_classroom.room_store().state(code).answered == 3
    lect.run()
    assert any("**3** of 3" in t for t in texts(lect))
    button(lect, CT["en"]["reveal"]).click().run()
    pagetest.no_errors(lect)
    charts = lect.get("vega_lite_chart")
    assert len(charts) == 2  # the step's chart and the class's answers
    state = app_classroom.room_store().state(code)
    assert state.counts[0][:4] == (2, 1, 0, 0) and sum(state.counts[0]) == 3
    r = lesson.step(7).run(0, train_many)
    assert pr.reveal_text("dead", r, None) in texts(lect)
    s = students[0]
    s.run()
    pagetest.no_errors(s)
    assert len(s.get("vega_lite_chart")) == 2 and pr.measured_text("dead", r) in texts(s)
    # Vote again: round 2, the students can answer again
    button(lect, CT["en"]["again"]).click().run()
    assert app_classroom.room_store().state(code).round == 2 and not lect.get("vega_lite_chart")
    s.run()
    assert len(s.pills) == 1
    s.pills[0].set_value(3).run()
    button(lect, CT["en"]["reveal"]).click().run()
    counts = app_classroom.room_store().state(code).counts
    assert len(counts) == 2 and counts[1][3] == 1
    # Next moves the room; a student follows
    button(lect, "Next").click().run()
    assert app_classroom.room_store().state(code).step == 8
    s.run()
    assert any(pr.question_text("zero_init") in t for t in texts(s))


def test_a_forged_lecturer_link_changes_nothing(room):
    lect, code, key = room
    before = app_classroom.room_store().state(code)
    for bad in ("x" * len(key), key[:-1] + ("A" if key[-1] != "A" else "B")):
        s = run({"room": code, "key": bad, "step": "9"})
        assert s.warning and CT["en"]["err.key"] in [w.value for w in s.warning]
        assert not any(b.label in (CT["en"]["reveal"], CT["en"]["again"], CT["en"]["close"])
                       for b in s.button)
    after = app_classroom.room_store().state(code)  # they joined as students, nothing more
    assert (after.step, after.round, after.revealed, after.answered) == (
        before.step, before.round, before.revealed, before.answered) == (7, 1, False, 0)
    assert after.students == before.students + 2


def test_unknown_bad_and_closed_codes_give_a_message():
    s = run({"room": "ACDEFG"})
    assert CT["en"]["err.unknown"] in [w.value for w in s.warning]
    s = run({"room": "hello world"})
    assert CT["en"]["err.bad_code"].format(n=6) in [w.value for w in s.warning]
    assert s.text_input  # a field for another code


def test_closing_ends_it_for_everyone(room):
    lect, code, key = room
    s = run({"room": code})
    button(lect, CT["en"]["close"]).click().run()
    pagetest.no_errors(lect)
    assert "room" not in pagetest.query_params(lect)
    s.run()
    assert CT["en"]["err.closed"] in [w.value for w in s.warning]


def test_student_view_in_chinese(room):
    _, code, _ = room
    i18n = pytest.importorskip("test_i18n")
    s = run({"room": code, "lang": "zh"})
    assert s.pills[0].options == pr.option_labels("dead", "zh")
    leaks = sorted({f"{kind}: {found} in {text[:120]!r}"
                    for kind, text in i18n.visible_strings(s)
                    if (found := i18n.english_in(text))})
    assert not leaks, leaks
    assert PT["zh"]["p.dead.q"].split("{")[0] in " ".join(texts(s))


def test_answers_chart_draws_the_counts():
    from explorer.charts.classroom import answers_chart

    labels = pr.option_labels("dead")
    chart = answers_chart(labels, [(0, 1, 2, 0, 0), (3, 0, 0, 1, 0)], (1,), ["1", "2"], "n")
    rows = [list(d) for d in chart.to_dict()["datasets"].values()]
    assert [[r["count"] for r in d] for d in rows] == [[0, 1, 2, 0], [3, 0, 0, 1]]
    assert all([r["mark"] for r in d] == ["other", "right", "other", "other"] for d in rows)
    assert all([r["answer"] for r in d] == labels for d in rows)
