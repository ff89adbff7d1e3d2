"""Class mode's push (issue 28): a student's phone learns of a move of the room without asking.

A student's view is a fragment (:func:`explorer.app.classroom.room_view`). Each of its runs
registers the session here (:meth:`RoomHub.follow`) with the room's *version*, the step, round,
reveal and closing it drew. One thread per process (:class:`RoomHub`) reads each followed
room's state from the store (memory or Redis: one read per room per :data:`TICK`, however many
students follow it; at once after a move made in this process, :meth:`RoomHub.poke`) and, when
the version moved on, asks each of its students' sessions to run that fragment again, as the
browser does when a widget in it changes: Streamlit's ``AppSession.request_rerun`` with the
fragment's id, on the server's event loop (``Runtime.get_app_session``, threadsafe; the loop is
the one the Runtime's ``stopped`` future belongs to). So a phone at rest costs the server
nothing, and a move costs each phone one small fragment run, not a page.

Pushes go out in waves of :data:`WAVE` sessions, the next wave when the previous one's runs
have drawn (:meth:`RoomHub.drawn`, at the end of each view's run): a lecture hall's 300 script
runs are not started at once (300 threads taking turns on one interpreter lock would all end
late, together, each holding its run's objects meanwhile); the first phones show the new step
at once and the hall follows at the rate the process draws views.

Nothing personal is kept: a Streamlit session id, its fragment id, its query string (the room
code, the language) and page, only while that session lives (a session gone is dropped at the
next push, a room gone or closed after its last push).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..classroom import RoomState, RoomStore

#: seconds between two reads of a followed room (a move made in another process, Redis)
TICK = 0.2
#: sessions asked to rerun at once; the next wave when these have drawn (or after WAVE_WAIT)
WAVE = 10
#: seconds a wave may take before the next wave goes anyway (a phone that does not answer)
WAVE_WAIT = 2.0
#: a room no student has followed for this long is dropped (its sessions left)
FORGET = 600.0


def version(state: RoomState) -> tuple:
    """What a student's view shows of the room: it changes with the step, round, reveal, close."""
    return (state.step, state.round, state.revealed, state.closed)


#: a room that is gone (expired, unknown, or the store unreachable): its students' views say so
GONE = ("gone",)


@dataclass
class Follower:
    """A session's student view: rerun fragment ``fragment`` of page ``page`` with ``query``."""

    fragment: str
    query: str
    page: str
    drawn: tuple


class RoomHub:
    """The process's rooms followed by its students' sessions, and the thread that tells them."""

    def __init__(self, store: RoomStore,
                 rerun: Callable[[list[tuple[str, Follower]]], list[bool]] | None = None,
                 tick: float = TICK, clock: Callable[[], float] = time.monotonic,
                 thread: bool = True, settle: Callable[[], None] | None = None):
        self.store = store
        self.threaded = thread  # False: no thread (tests call check themselves)
        self.tick = tick
        self.clock = clock
        #: a wave of (session id, follower) -> per session False if gone; default: Streamlit's
        self.rerun = rerun or streamlit_rerun
        self._rooms: dict[str, dict[str, Follower]] = {}
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        #: the sessions of the wave under way, and the event set when all have drawn
        self._pending: set[str] = set()
        self._wave_done = threading.Event()
        self.wave_wait = WAVE_WAIT
        #: after a wave has drawn, until its messages are on their way (default: Streamlit's
        #: event loop takes a turn, so it sends them before the next wave's runs crowd it)
        self.settle = settle if settle is not None or rerun is not None else loop_turn
        self.pushes = 0  # sessions asked to rerun (tests count them)

    def follow(self, code: str, session: str, follower: Follower) -> None:
        """Session ``session`` shows room ``code`` at ``follower.drawn``; start the thread."""
        with self._lock:
            self._rooms.setdefault(code, {})[session] = follower
            self._seen[code] = self.clock()
            if self._thread is None and self.threaded:
                self._thread = threading.Thread(target=self._loop, name="ae-room-hub",
                                                daemon=True)
                self._thread.start()

    def drawn(self, session: str) -> None:
        """Session ``session``'s view has drawn (the end of its run): its wave is one less."""
        with self._lock:
            self._pending.discard(session)
            if not self._pending:
                self._wave_done.set()

    def poke(self) -> None:
        """A move was made in this process: look at the rooms now, not at the next tick."""
        self._wake.set()

    def followers(self, code: str) -> int:
        with self._lock:
            return len(self._rooms.get(code, {}))

    def _loop(self) -> None:
        while True:
            self._wake.wait(self.tick)
            self._wake.clear()
            try:
                self.check()
            except Exception:  # never let the thread die: the next tick tries again
                time.sleep(self.tick)

    def check(self) -> int:
        """One look at every followed room; returns the sessions asked to rerun."""
        with self._lock:
            codes = list(self._rooms)
        pushed = 0
        for code in codes:
            try:
                now = version(self.store.state(code))
            except Exception:
                now = GONE
            with self._lock:
                room = self._rooms.get(code, {})
                due = [(s, f) for s, f in room.items() if f.drawn != now]
                for _, f in due:
                    f.drawn = now  # asked once; its run registers what it drew
                stale = self.clock() - self._seen.get(code, 0.0) > FORGET
                if now == GONE or now[-1] is True or stale:  # gone/closed: after this push
                    self._rooms.pop(code, None)
                    self._seen.pop(code, None)
            pushed += self._push(code, due)
        return pushed

    def _push(self, code: str, due: list[tuple[str, Follower]]) -> int:
        gone = []
        for k in range(0, len(due), WAVE):
            wave = due[k:k + WAVE]
            with self._lock:
                self._pending = {s for s, _ in wave}
                self._wave_done.clear()
            done = self.rerun(wave)
            gone += [s for (s, _), ok in zip(wave, done) if not ok]
            with self._lock:
                self._pending -= set(gone)
                if not self._pending:
                    self._wave_done.set()
            self._wave_done.wait(self.wave_wait)
            if self.settle is not None:
                self.settle()
        if gone:
            with self._lock:
                room = self._rooms.get(code, {})
                for s in gone:
                    room.pop(s, None)
        self.pushes += len(due) - len(gone)
        return len(due) - len(gone)


def streamlit_rerun(wave: list[tuple[str, Follower]]) -> list[bool]:
    """Ask each Streamlit session of ``wave`` to run its fragment again, on the event loop,
    and wait until the loop has taken the requests (a wave's runs start before the next
    wave's). Per session False if it is gone."""
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return [False] * len(wave)
    runtime = Runtime.instance()
    loop = runtime.stopped.get_loop()  # the Runtime's event loop (stopped is its Future)
    if not loop.is_running():
        return [False] * len(wave)

    def request() -> list[bool]:
        out = []
        for session_id, follower in wave:
            session = runtime.get_app_session(session_id)
            ok = session is not None and session.has_fragment(follower.fragment)
            if ok:
                session.request_rerun(ClientState(
                    query_string=follower.query, page_script_hash=follower.page,
                    fragment_id=follower.fragment, is_auto_rerun=True))
            out.append(ok)
        return out

    try:
        return on_loop(loop, request, timeout=10)
    except Exception:
        return [True] * len(wave)  # the loop did not answer in time: keep them, try later


def loop_turn() -> None:
    """Wait until Streamlit's event loop has run once more (it sends the queued messages)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return
    loop = Runtime.instance().stopped.get_loop()
    if not loop.is_running():
        return
    for _ in range(2):  # (the flush is scheduled by the first turn, done by the second)
        try:
            on_loop(loop, lambda: None, timeout=2)
        except Exception:
            return


def on_loop(loop: asyncio.AbstractEventLoop, fn: Callable[[], object], timeout: float):
    """``fn()`` called on the event loop ``loop`` from another thread, its result (or its
    exception, or TimeoutError). A plain callback, not a coroutine: a loop that stops before
    running it leaves no coroutine never awaited (a RuntimeWarning) behind."""
    fut: concurrent.futures.Future = concurrent.futures.Future()

    def call() -> None:
        if fut.set_running_or_notify_cancel():
            try:
                fut.set_result(fn())
            except BaseException as e:  # handed to the waiting thread
                fut.set_exception(e)

    loop.call_soon_threadsafe(call)
    try:
        return fut.result(timeout=timeout)
    finally:
        fut.cancel()  # (not run yet: it never will be)


def this_session(key: str) -> tuple[str, str, str, str] | None:
    """(session id, the id of fragment ``key`` (``st.fragment(key=...)``), query string, page
    hash) of the Streamlit script run calling it; None outside one (AppTest: no push)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    runtime = Runtime.instance()
    if runtime.get_app_session(ctx.session_id) is None or not runtime.stopped.get_loop() \
            .is_running():  # (AppTest: a session the server does not serve)
        return None
    try:
        ids = ctx.fragment_storage.resolve_target(key)
    except Exception:  # no such fragment registered in this run
        return None
    return (ctx.session_id, ids[0], ctx.query_string, ctx.page_script_hash) if ids else None
