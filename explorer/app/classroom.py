"""Class mode on the Lesson page (issue 28 items 2-4): the lecturer starts a room, students
join by link, QR or code, follow the lecturer's step, answer, and see the class's answers.

The room store is :mod:`explorer.classroom`'s (one per process, chosen by ``AE_ROOM_STORE``,
from the environment or ``st.secrets``). The URL carries the room: ``?room=CODE`` (students)
and ``?room=CODE&key=KEY`` (the lecturer: every move checks the key, in constant time).
A student's view is one fragment (:func:`room_view`): the question, the answers, and after the
reveal the chart. Students do not poll: the process's :class:`~.room_push.RoomHub` reads each
followed room (one store read per room, not per student) and, when its step, round, reveal or
closing changed, runs each of its students' view fragments again (a push); so a phone at rest
costs the server nothing and the lecturer's Next one small fragment run per phone, not a page.
The fragment also runs by itself every :data:`SAFETY` seconds (a push lost while a phone
reconnected). A student is a random token, kept in a
cookie of the browser (:data:`COOKIE`): reloading the page is the same student, who has
answered already.
"""

from __future__ import annotations

import io
import re
import secrets
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ..charts.classroom import answers_chart
from ..classroom import (
    CODE_LENGTH,
    SETTING,
    RateLimit,
    RoomError,
    RoomState,
    RoomStore,
    normalise_code,
    store_from_setting,
)
from ..lesson import predict as pr
from ..texts import lookup
from ..texts.classroom import TEXT
from .display import fit, pick, show_chart, spec
from .room_push import GONE, Follower, RoomHub, this_session, version

#: seconds between the lecturer's polls of the live count of answers
POLL = 1.5
#: seconds between a student view's own runs (pushes bring every move at once; this is the
#: safety net for a push lost while the phone reconnected)
SAFETY = 30
#: the student view fragment's key (:func:`room_view`; the push reruns it by its id)
VIEW = "room_view"
#: the QR code's width on a projector (px; 220 otherwise)
QR_PROJECTOR = 300
#: answers as touch targets: at least 48 px high (WCAG 2.5.5's 44 px, Material's 48 dp)
TOUCH_CSS = """<style>
.st-key-room_answers button {min-height: 48px !important; padding: 0.4rem 1rem !important;}
.st-key-room_answers button p {font-size: 1.1rem !important;}
</style>"""
_SESSION = "_room_session"
_ERROR = "_room_error"
#: the rooms this session has joined (joining again, on every rerun, is not rate-limited)
_JOINED = "_room_joined"
#: "the class is closed" for the lecturer who just closed it
_CLOSED = "_room_closed"
#: the cookie that keeps a student's token across reloads of the page (one answer a round)
COOKIE = "ae_room_student"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: sets :data:`COOKIE` (4 h, this site only: SameSite=Lax); the token is :func:`session`'s,
#: URL-safe base64. (No "<" before a letter or "/" inside.)
COOKIE_JS = """<script>
document.cookie = "%s=%s; path=/; max-age=14400; samesite=lax";
</script>"""


def tc(key: str, lang: str, **fmt: Any) -> str:
    return lookup(TEXT, key, lang, **fmt)


#: the process's singletons (the room store, the rate limits): made once, by the first caller
_ONCE: dict[str, Any] = {}
_ONCE_GUARD = threading.RLock()  # (re-entrant: the hub is made with the store)


def _once(name: str, make: Callable[[], Any]) -> Any:
    with _ONCE_GUARD:
        if name not in _ONCE:
            _ONCE[name] = make()
        return _ONCE[name]


def _store_from_secrets() -> RoomStore:
    value = None
    try:
        value = st.secrets.get(SETTING)
    except Exception:  # no secrets file: the environment decides
        value = None
    return store_from_setting(value)


def room_store() -> RoomStore:
    """The process's one room store (``AE_ROOM_STORE`` in ``st.secrets`` or the environment)."""
    return _once("store", _store_from_secrets)


def hub() -> RoomHub:
    """The process's room hub: it pushes every move of a room to its students' views."""
    return _once("hub", lambda: RoomHub(room_store()))


def limits() -> dict[str, RateLimit]:
    """Per-session rate limits of this process: joins, answers, rooms started."""
    return _once("limits", lambda: {"join": RateLimit(10, 60.0), "answer": RateLimit(20, 60.0),
                                    "create": RateLimit(5, 600.0)})


def _cookie_token() -> str | None:
    """The student token this browser kept in :data:`COOKIE` (None: none, or not a token)."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser (AppTest)
        return None
    return value if isinstance(value, str) and _TOKEN.fullmatch(value) else None


def session() -> str:
    """This browser's random token (nothing personal: not stored beyond the room): the one its
    cookie kept, so a reload of the page is the same student, else a new one."""
    if _SESSION not in st.session_state:
        st.session_state[_SESSION] = _cookie_token() or secrets.token_urlsafe(12)
    return st.session_state[_SESSION]


def remember_student() -> None:
    """Keep this session's token in the browser's cookie (a reload then answers as the same
    student: one answer a round, one student counted)."""
    token = session()
    if _cookie_token() != token and _TOKEN.fullmatch(token):
        st.html(COOKIE_JS % (COOKIE, token), unsafe_allow_javascript=True)


def error_text(exc: Exception, lang: str) -> str:
    if isinstance(exc, RoomError):
        return tc(f"err.{exc.reason}", lang, n=CODE_LENGTH)
    return tc("err.store", lang, error=type(exc).__name__)


def from_url() -> tuple[str | None, str | None]:
    """The room code and lecturer key the URL carries (None where absent)."""
    code, key = st.query_params.get("room"), st.query_params.get("key")
    return (code or None), (key or None)


def page_url(query: dict[str, str]) -> str:
    """This page's address with ``query`` (the host the browser used)."""
    try:
        parts = urlsplit(st.context.url or "")
        base = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else "/lesson"
    except Exception:  # no browser (AppTest)
        base = "/lesson"
    return f"{base}?{urlencode(query)}"


def qr_png(text: str) -> bytes:
    import segno
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


# ---------------------------------------------------------------------------- the lecturer
def start(step: int) -> None:
    """"Start a class" (a callback): a new room on ``step``; the lecturer's URL gets its key."""
    st.session_state.pop(_ERROR, None)
    if not limits()["create"].allow(session()):
        st.session_state[_ERROR] = RoomError("rate")
        return
    try:
        code, key = room_store().create(step)
    except Exception as exc:  # RoomError or the store unreachable: a message, no traceback
        st.session_state[_ERROR] = exc
        return
    st.query_params["room"], st.query_params["key"] = code, key


def lecturer(code: str | None, key: str | None) -> str | None:
    """The room code if the URL's key is this room's lecturer key, else None."""
    if not code or not key:
        return None
    try:
        return normalise_code(code) if room_store().is_lecturer(code, key) else None
    except Exception:
        return None


def _act(op: Callable[..., Any], *args: Any) -> None:
    try:
        op(*args)
    except Exception as exc:
        st.session_state[_ERROR] = exc
    hub().poke()  # a lecturer's move: the students of this process are told at once


def _close(code: str, key: str) -> None:
    try:
        room_store().close(code, key)
        st.session_state[_CLOSED] = True
    except Exception as exc:
        st.session_state[_ERROR] = exc
    hub().poke()
    for k in ("room", "key"):
        st.query_params.pop(k, None)


def show_error(lang: str) -> None:
    """The message of a refused room operation, or "The class is closed." after Close."""
    exc = st.session_state.pop(_ERROR, None)
    if exc is not None:
        st.warning(error_text(exc, lang), icon=":material/warning:")
    if st.session_state.pop(_CLOSED, False):
        st.info(tc("closed_note", lang), icon=":material/door_front:")


def lecturer_bar(code: str, key: str, step: int, lang: str) -> RoomState | None:
    """The room strip: code, join link and QR (folded once students are in), the live count
    of answers, Reveal / Vote again / Close. The room follows the lecturer's step. None (and
    the message) if the room is gone or the store cannot be reached."""
    store = room_store()
    try:
        state = store.state(code)
        if state.step != step:
            state = store.goto(code, key, step)
            hub().poke()
    except Exception as exc:
        st.warning(error_text(exc, lang), icon=":material/warning:")
        return None
    join = page_url({"room": code})
    with st.expander(tc("room", lang, code=code), expanded=state.students == 0,
                     icon=":material/groups:"):
        cols = st.columns([1, 2])
        # the QR code large on a projector (scanned from the back of the room)
        cols[0].image(qr_png(join), caption=tc("scan", lang), width=pick(220, QR_PROJECTOR))
        cols[1].markdown(f"## {code}")
        cols[1].markdown(tc("join_here", lang, url=join, code=code))
        cols[1].caption(tc("lecturer_link", lang))
        cols[1].code(page_url({"room": code, "key": key}), language=None)
    row = st.columns([3, 1.2, 1.2, 1.2], vertical_alignment="center")
    with row[0]:
        _live_count(code, state.round, lang)
    row[1].button(tc("reveal", lang), key="room_reveal", on_click=_act,
                  args=(store.reveal, code, key), disabled=state.revealed, type="primary",
                  width="stretch")
    row[2].button(tc("again", lang), key="room_again", on_click=_act,
                  args=(store.vote_again, code, key), disabled=not state.revealed,
                  width="stretch")
    row[3].button(tc("close", lang), key="room_close", on_click=_close, args=(code, key),
                  width="stretch")
    show_error(lang)
    return state


@st.fragment(run_every=POLL)
def _live_count(code: str, round_: int, lang: str) -> None:
    """How many answered (not their split: that waits for Reveal), refreshed by polling."""
    try:
        s = room_store().state(code)
    except Exception as exc:
        st.caption(error_text(exc, lang))
        return
    st.markdown(f"{tc('answered', lang, n=s.answered, m=s.students)} · "
                f"{tc('round', lang, n=s.round)}")


def class_answers(name: str, state: RoomState, result: dict, lang: str, width: int) -> None:
    """The class's answers (each round side by side) beside the answer the run shows, the
    whole chart ``width`` px wide."""
    if not state.counts:
        return
    labels = pr.option_labels(name, lang)
    titles = [tc("round", lang, n=r + 1) for r in range(len(state.counts))]
    # a built spec shared by every session showing these counts (a reveal reruns the whole
    # class at once: one Altair build for the room, not one per student)
    chart = spec(answers_chart, labels, state.counts, pr.right(name, result), titles,
                 tc("axis.answers", lang), width=width)
    st.markdown(f"**{tc('class_answers', lang)}** · {tc('right_note', lang)}")
    show_chart(chart, width="content")


# ---------------------------------------------------------------------------- students
def _answer(code: str, step: int, round_: int, widget: str) -> None:
    option = st.session_state.get(widget)
    if option is None:
        return
    if not limits()["answer"].allow(session()):
        st.session_state[_ERROR] = RoomError("rate")
        return
    _act(room_store().answer, code, session(), step, round_, int(option))


def join(code: str, lang: str) -> RoomState | None:
    """Join the room (a session's first join of a room is rate-limited, not the joins of its
    reruns); on failure the message and a field for another code."""
    joined = st.session_state.setdefault(_JOINED, set())
    try:
        if code not in joined and not limits()["join"].allow(session()):
            raise RoomError("rate")
        state = room_store().join(code, session())
        joined.add(code)
        return state
    except Exception as exc:
        st.warning(error_text(exc, lang), icon=":material/warning:")
    code_form("room_join", tc("other_code", lang), lang)
    return None


def _open_room(field: str) -> None:
    """"Join" (a callback): the typed code goes into the URL; the page opens that room."""
    typed = "".join(str(st.session_state.get(field) or "").split()).upper()
    st.query_params.pop("key", None)
    st.query_params["room"] = typed[:CODE_LENGTH + 4]


def code_form(key: str, label: str, lang: str, box: Any = st) -> None:
    """A field for a room's code and "Join": the page opens that room as a student (a code
    is checked when joining: a wrong one gets its message and this field again)."""
    with box.form(key, border=False):
        st.text_input(label, max_chars=CODE_LENGTH + 4, key=f"{key}.code")
        st.form_submit_button(tc("join", lang), icon=":material/login:", on_click=_open_room,
                              args=(f"{key}.code",))


def join_form(lang: str) -> None:
    """The Lesson page outside a class: join one by typing its code (the sidebar)."""
    code_form("room_join_code", tc("join_code", lang), lang, st.sidebar)


def _follow(code: str, drawn: tuple) -> None:
    """Register this session's view of room ``code`` (showing ``drawn``) for the pushes."""
    me = this_session(VIEW)
    if me is not None:
        session_id, fragment, query, page = me
        hub().follow(code, session_id, Follower(fragment, query, page, drawn))


def _drawn() -> None:
    """This session's view has drawn: the hub's next wave may go."""
    me = this_session(VIEW)
    if me is not None:
        hub().drawn(me[0])


def student_view(code: str, lang: str, n_steps: int, step_name: Callable[[int], str],
                 run_step: Callable[[int], dict], show_step: Callable[[int, dict], None]
                 ) -> None:
    """A student's phone: join (once a page run), then the room's view (:func:`room_view`)."""
    state = join(code, lang)
    if state is None:
        return
    remember_student()
    st.html(TOUCH_CSS)  # (the answers' touch targets: once a page, not on every move)
    room_view(state.code, lang, n_steps, step_name, run_step, show_step)


@st.fragment(key=VIEW, run_every=SAFETY)
def room_view(code: str, lang: str, n_steps: int, step_name: Callable[[int], str],
              run_step: Callable[[int], dict], show_step: Callable[[int, dict], None]
              ) -> None:
    """The room as a student sees it (:func:`draw_view`), run again by the push on every move
    of the room (and by a tap); its end tells the hub."""
    try:
        draw_view(code, lang, n_steps, step_name, run_step, show_step)
    finally:
        _drawn()


def draw_view(code: str, lang: str, n_steps: int, step_name: Callable[[int], str],
              run_step: Callable[[int], dict], show_step: Callable[[int, dict], None]
              ) -> None:
    """The question and the answers to tap; after Reveal the step's chart (``show_step``),
    the answer the run shows, their own answer and the class's answers."""
    try:
        state = room_store().state(code)
    except Exception as exc:  # closed, expired, the store unreachable: a message
        _follow(code, GONE)
        st.warning(error_text(exc, lang), icon=":material/warning:")
        return
    _follow(code, version(state))
    name = step_name(state.step)
    try:  # (the room may close between two reads: a message, never a traceback)
        mine = room_store().my_answer(code, session(), state.step, state.round)
    except Exception as exc:
        st.warning(error_text(exc, lang), icon=":material/warning:")
        return
    labels = pr.option_labels(name, lang)
    widget = f"room_answer.{code}.{state.step}.{state.round}"
    asking = mine is None and not state.revealed
    # few elements: each is a message per phone on every move of the room (one markdown for
    # the step line and the question; the touch CSS is the page's, drawn once)
    line = (tc("student_step", lang, n=state.step, total=n_steps) + " · "
            + tc("round", lang, n=state.round)
            + (" · " + tc("wait_question", lang) if asking else ""))
    st.markdown(f"{line}\n\n### {pr.question_text(name, lang)}")
    if asking:
        st.container(key="room_answers").pills(
            pr.question_text(name, lang), list(range(len(labels))), key=widget,
            format_func=labels.__getitem__, label_visibility="collapsed",
            on_change=_answer, args=(code, state.step, state.round, widget))
    elif not state.revealed:
        st.success(tc("sent", lang, answer=labels[mine]), icon=":material/check:")
    show_error(lang)
    if not state.revealed:
        return
    result = run_step(state.step)
    ok = pr.right(name, result)
    answer = pr.tp("p.or", lang).join(labels[i] for i in ok)
    if not ok:
        st.info(tc("no_answer_right", lang))
    elif mine is None:
        st.info(tc("your_result_none", lang, answer=answer))
    else:
        (st.success if mine in ok else st.info)(tc("your_result", lang, guess=labels[mine],
                                                   answer=answer))
    st.markdown(pr.measured_text(name, result, lang))
    show_step(state.step, result)
    class_answers(name, state, result, lang, fit(360))
