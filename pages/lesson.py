"""Lesson: a guided tour through the lesson's claims, one step per claim (explorer.lesson).

Each step trains (or measures) its small real run on arrival (cached), shows the one chart
that makes the point and a verdict computed from that run. Back / Next, the step selector and
the arrow keys move between steps; the step is in the URL (``?step=N``), the seed too
(``?seed=S``, 0-4); each verdict says on how many of seeds 0-4 it holds (a diverged run counts
as diverged), the shown seed's runs among them.
"""

import streamlit as st

from explorer import lesson
from explorer.app import classroom, display, lang, memo, predict, runs, state
from explorer.lesson.predict import tp
from explorer.texts.lesson import TEXT
from explorer.texts.nav import nav_title

PAGE = "lesson"
N = lesson.N_STEPS
tr = state.page_setup(TEXT)
projector = display.projector_mode()

#: the box the step's chart must fit (width, height in px, axes and legends included)
SIZE = {False: (720, 400), True: (780, 290)}  # projector: the chart ends above 720 px
#: larger verdict text; a quieter link in projector mode (the page links there are headings)
CSS = """<style>
.st-key-lesson_verdict p {font-size: %s !important; line-height: 1.4 !important;}
.st-key-lesson_text p {font-size: %s !important;}
.st-key-lesson_nav [data-testid=stSelectbox] input, .st-key-lesson_nav [data-testid=stSelectbox] div {font-size: %s !important;}
.st-key-lesson_link [data-testid=stPageLink] p {font-size: %s !important;
  font-weight: 500 !important;}
</style>"""
#: Back / Next on the arrow keys (not while typing in a widget); installed once per tab.
#: (No "<" before a letter or "/" inside: the HTML sanitiser would drop the script.)
KEYS_JS = """<script>
(() => {
  if (window.__aeLessonKeys) return;
  window.__aeLessonKeys = true;
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const which = e.key === 'ArrowRight' ? 'next' : (e.key === 'ArrowLeft' ? 'back' : '');
    if (!which) return;
    const el = e.target;
    if (el && el.closest && (el.isContentEditable
        || el.closest('input, textarea, select, [role=slider], [role=listbox], [role=combobox]')))
      return;
    const button = document.querySelector('.st-key-lesson_' + which + ' button');
    if (!button || button.disabled) return;
    e.preventDefault();
    button.click();
  });
})();
</script>"""


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 64)
def measured(n: int, seed: int) -> dict:
    """A step without training (function evaluations, a timing): computed once per server."""
    return lesson.step(n).run(seed)


def run_step(n: int, seed: int) -> dict:
    s = lesson.step(n)
    if s.trains:
        return s.run(seed, runs.records)
    return measured(n, seed)


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 64)
def step_run(n: int, seed: int) -> dict:
    """run_step kept once per server for the reveals (a trained step's result from its cached
    runs still takes a tenth of a second or more to derive, and a room's reveal reruns every
    phone at once)."""
    return run_step(n, seed)


def step_chart(n: int, seed: int, lang: str, width: int, height: int):
    """Step n's chart of its run on ``seed`` (pure: memo.value keeps it for every visitor)."""
    return lesson.step(n).chart(run_step(n, seed), lang, width, height)


def step_verdict(n: int, seed: int, lang: str) -> tuple[str, str]:
    """Step n's verdict text on ``seed`` and its status there."""
    s, result = lesson.step(n), run_step(n, seed)
    return lesson.verdict_text(s, result, lang), lesson.status(s, result)


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 256)
def seed_status(n: int, seed: int) -> str:
    """Step n's status on one seed ("holds", "fails", "diverged"): its runs trained through
    runs.records (cached like the shown seed's), the small status kept once per server."""
    return lesson.status(lesson.step(n), run_step(n, seed))


# ---------------------------------------------------------------------------- state
room_code, room_key = classroom.from_url()
teacher = classroom.lecturer(room_code, room_key)
step_key = state.view_widget(tr, PAGE, "step")
seed_key = state.view_widget(tr, PAGE, "seed")
predict_key = state.view_widget(tr, PAGE, "predict")
if teacher or not room_code:  # (a student's phone: the room decides, no seed or predict switch)
    st.sidebar.selectbox(tr("seed"), list(lesson.SEEDS), key=seed_key, help=tr("seed_help"))
    st.sidebar.toggle(tp("predict_toggle", tr.lang), key=predict_key,
                      help=tp("predict_help", tr.lang))
seed = int(st.session_state[seed_key])
n = int(st.session_state[step_key])
state.write_view(PAGE, seed=seed, predict=bool(st.session_state[predict_key]))

# ---------------------------------------------------------------------------- class mode
if room_code:
    seed = lesson.SEEDS[0]  # a class sees one run: the lesson's first seed, on every phone


def show_step(i: int, result: dict) -> None:
    """A student's phone: the step's chart sized to it, and its verdict."""
    # the built spec shared by every phone (a reveal reruns the whole class at once)
    display.show_chart(display.spec(step_chart, i, seed, tr.lang, display.fit(360), 300),
                       width="content")
    st.markdown(lesson.verdict_text(lesson.step(i), result, tr.lang))


if room_code and not teacher:  # a student (or a link with a wrong key): follow the room
    if room_key:
        st.warning(classroom.tc("err.key", tr.lang))
    classroom.student_view(room_code, tr.lang, N, lambda i: lesson.step(i).name,
                           lambda i: step_run(i, seed), show_step)
    st.stop()

st.html(CSS % (("1.5rem", "1.15rem", "1.3rem", "1.15rem") if projector
              else ("1.2rem", "1rem", "1rem", "1rem")))
st.title(tr("title"))
if not projector:
    display.intro(tr("intro"), tr("about_page"))


options = lang.labels({i: tr("step_option", n=i, total=N,
                              title=tr(f"step.{lesson.step(i).name}.title"))
                       for i in range(1, N + 1)})
nav = st.container(key="lesson_nav").columns([1.2, 6, 1.2], vertical_alignment="bottom")
nav[0].button(tr("back"), key="lesson_back", on_click=state.nudge, args=(step_key, -1, 1, N),
              disabled=n <= 1, icon=":material/arrow_back:", width="stretch")
n = int(nav[1].selectbox(tr("step_select"), list(range(1, N + 1)), key=step_key,
                         format_func=options, label_visibility="collapsed"))
nav[2].button(tr("next"), key="lesson_next", on_click=state.nudge, args=(step_key, 1, 1, N),
              disabled=n >= N, icon=":material/arrow_forward:", width="stretch")
state.write_view(PAGE, step=n)
if not room_code:
    st.sidebar.button(classroom.tc("start", tr.lang), key="room_start", on_click=classroom.start,
                      args=(n,), help=classroom.tc("start_help", tr.lang),
                      icon=":material/groups:")
    classroom.join_form(tr.lang)
    classroom.show_error(tr.lang)

# ---------------------------------------------------------------------------- the step
step = lesson.step(n)
guess = None
room = classroom.lecturer_bar(teacher, room_key, n, tr.lang) if teacher else None
if room is not None and not room.revealed:  # the room answers first: the run stays hidden
    st.markdown(predict.question_markdown(step.name, tr.lang))
    st.html(KEYS_JS, unsafe_allow_javascript=True)
    st.stop()
if room is None and st.session_state[predict_key]:  # predict first: hidden until the guess
    answered, guess = predict.ask(step.name, n, seed, tr.lang)
    if not answered:
        st.html(KEYS_JS, unsafe_allow_javascript=True)
        st.stop()
    reveal_box = st.container(border=True)
verdict_box = st.container(border=True, key="lesson_verdict")
left, right = st.columns([2, 1], gap="medium")
with right:
    claims = ", ".join(str(c) for c in step.claims)
    st.caption(tr("claim_n" if len(step.claims) == 1 else "claims_n", claims=claims))
    # projector mode: the count over seeds beside the chart, so the chart stays above the fold
    side_tally = st.empty() if projector else None
    with st.container(key="lesson_text"):
        st.markdown(f"**{tr('lesson_says')}:** {tr(f'step.{step.name}.claim')}")
        if projector:  # the lecturer explains; the room reads the chart and the verdict
            st.expander(tr("how_to_read"), icon=":material/info:").markdown(
                tr(f"step.{step.name}.explain"))
        else:
            st.markdown(tr(f"step.{step.name}.explain"))
    page, query = step.link(seed)
    with st.container(key="lesson_link"):
        state.page_link(page, label=tr("open_in", page=nav_title(page, tr.lang)),
                        icon=":material/open_in_new:", help=tr("open_help"),
                     query_params={**query, **state.lecture_query()})
    display.note(tr("keys_hint"))

with left:
    width, height = SIZE[projector]
    width = display.fit(width)  # a phone: the chart as wide as the screen
    try:
        with st.spinner(tr("working")):
            chart = display.spec(step_chart, n, seed, tr.lang, width, height)
            verdict, shown = memo.value(step_verdict, n, seed, tr.lang)
    except ValueError as exc:  # a config the engine refuses: say so, keep the page alive
        st.error(tr("failed", error=exc))
        st.stop()
    display.show_chart(chart, width="content")

if room is not None or st.session_state[predict_key]:
    result = step_run(n, seed)  # the reveal reads the run itself (cached: no retraining)
if room is not None:
    with verdict_box:
        st.markdown(predict.answer_markdown(step.name, result, tr.lang))
        classroom.class_answers(step.name, room, result, tr.lang, SIZE[projector][0])
elif st.session_state[predict_key]:
    with reveal_box:
        predict.reveal(step.name, n, seed, result, guess, tr.lang)
with verdict_box:
    st.markdown(verdict)
    with st.spinner(tr("tally_working")):
        tally = lesson.tally(step, seed, status_of=lambda x: shown if x == seed
                             else seed_status(n, x))
if side_tally is None:
    with verdict_box, st.container(key="lesson_tally"):
        st.markdown(lesson.tally_text(tally, tr.lang))
else:
    with side_tally.container(key="lesson_tally"):
        st.markdown(lesson.tally_text(tally, tr.lang))

st.html(KEYS_JS, unsafe_allow_javascript=True)
