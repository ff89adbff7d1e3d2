"""Issue 28's push (explorer.app.room_push): a room's move reaches its students' views without
their polling, one fragment run per student, on both stores (Redis: a move made by another
app process's store). The hub's Streamlit side (``streamlit_rerun``) is replaced by a recorder;
the browser walk (tests/browser/test_classroom.py) and the load script's class scenario run
the real thing."""

from __future__ import annotations

import pytest
from test_rooms import Clock, make, redis_url  # noqa: F401  (the stores' fixtures)

from explorer.app.room_push import GONE, WAVE, Follower, RoomHub, version
from explorer.classroom.redis_store import RedisStore


class Recorder:
    """Stands for Streamlit: records each wave; sessions in ``gone`` are no more."""

    def __init__(self):
        self.waves: list[list[str]] = []
        self.gone: set[str] = set()
        self.hub = None
        self.drew = True  # each session's view draws (tells the hub) as the wave is asked

    def __call__(self, wave):
        self.waves.append([s for s, _ in wave])
        if self.drew:
            for s, _ in wave:
                if s not in self.gone:
                    self.hub.drawn(s)
        return [s not in self.gone for s, _ in wave]

    @property
    def sessions(self) -> list[str]:
        return [s for w in self.waves for s in w]


def hub_on(store):
    rec = Recorder()
    hub = RoomHub(store, rerun=rec, thread=False)  # the test calls check itself
    hub.wave_wait = 3600  # a wave waits for its views (none is late here)
    rec.hub = hub
    return hub, rec


def follow_all(hub, store, code, n, prefix="s"):
    drawn = version(store.state(code))
    for i in range(n):
        hub.follow(code, f"{prefix}{i}", Follower("frag", f"room={code}", "page", drawn))


def test_a_move_reruns_each_student_view_once_in_waves(make):
    store, _ = make()
    code, key = store.create(1)
    hub, rec = hub_on(store)
    n = 2 * WAVE + 5
    follow_all(hub, store, code, n)
    assert hub.check() == 0 and rec.waves == []  # nothing moved: nobody is run
    store.goto(code, key, 2)
    assert hub.check() == n
    assert sorted(rec.sessions) == sorted(f"s{i}" for i in range(n))  # each once
    assert [len(w) for w in rec.waves] == [WAVE, WAVE, 5]
    assert hub.check() == 0  # asked once, not at every tick
    store.reveal(code, key)
    store.vote_again(code, key)
    assert hub.check() == n and len(rec.sessions) == 2 * n


def test_a_view_that_drew_an_older_state_is_run(make):
    store, _ = make()
    code, key = store.create(1)
    hub, rec = hub_on(store)
    old = version(store.state(code))
    store.goto(code, key, 3)
    hub.follow(code, "late", Follower("frag", "", "", old))  # drew step 1, the room is on 3
    hub.follow(code, "now", Follower("frag", "", "", version(store.state(code))))
    assert hub.check() == 1 and rec.sessions == ["late"]


def test_gone_sessions_are_dropped_and_closed_rooms_forgotten(make):
    store, _ = make()
    code, key = store.create(1)
    hub, rec = hub_on(store)
    follow_all(hub, store, code, 3)
    rec.gone.add("s1")
    store.goto(code, key, 2)
    assert hub.check() == 2 and hub.followers(code) == 2
    store.close(code, key)
    assert hub.check() == 2  # "the class is closed" reaches both
    assert hub.followers(code) == 0  # and the room is forgotten
    assert hub.check() == 0


def test_an_unknown_room_is_not_kept():
    hub, rec = hub_on(RoomHubStore())
    hub.follow("ACDEFG", "s", Follower("frag", "", "", GONE))
    assert hub.check() == 0 and hub.followers("ACDEFG") == 0


class RoomHubStore:
    def state(self, code):
        from explorer.classroom import RoomError
        raise RoomError("unknown")


def test_redis_a_move_in_another_process_reaches_this_ones_students(redis_url):  # noqa: F811
    import redis
    redis.Redis.from_url(redis_url).flushdb()
    lecturer_side, student_side = RedisStore(redis_url), RedisStore(redis_url)
    code, key = lecturer_side.create(1)
    hub, rec = hub_on(student_side)  # this process's hub reads its own store object
    follow_all(hub, student_side, code, 7)
    lecturer_side.goto(code, key, 4)
    assert hub.check() == 7 and len(rec.sessions) == 7


def test_the_thread_pushes_a_poked_move():
    """The hub's own thread: follow starts it; a poke makes it look at once."""
    import threading

    from explorer.classroom import MemoryStore
    store = MemoryStore()
    code, key = store.create(1)
    got = threading.Event()

    def rerun(wave):
        got.set()
        return [True] * len(wave)

    hub = RoomHub(store, rerun=rerun, tick=3600)  # no tick: only the poke can wake it
    hub.follow(code, "s", Follower("frag", "", "", version(store.state(code))))
    store.goto(code, key, 2)
    hub.poke()
    assert got.wait(30)


def test_a_wave_that_does_not_draw_lets_the_next_go():
    """A phone that never draws its view (gone mid-run) holds its wave only WAVE_WAIT."""
    from explorer.classroom import MemoryStore
    store = MemoryStore()
    code, key = store.create(1)
    hub, rec = hub_on(store)
    hub.wave_wait = 0.01
    rec.drew = False
    follow_all(hub, store, code, WAVE + 1)
    store.goto(code, key, 2)
    assert hub.check() == WAVE + 1 and [len(w) for w in rec.waves] == [WAVE, 1]


def test_the_next_wave_waits_for_the_views_of_the_last():
    """The second wave is asked only after every view of the first has drawn (the views draw
    on other threads, later, as script runs do)."""
    import threading

    from explorer.classroom import MemoryStore
    store = MemoryStore()
    code, key = store.create(1)
    asked: list[list[str]] = []
    drawn: list[str] = []
    undrawn_at_ask: list[int] = []

    def draw(sessions):
        for s in sessions:
            drawn.append(s)
            hub.drawn(s)

    def rerun(wave):
        undrawn_at_ask.append(sum(len(w) for w in asked) - len(drawn))
        asked.append([s for s, _ in wave])
        threading.Thread(target=draw, args=([s for s, _ in wave],)).start()
        return [True] * len(wave)

    hub = RoomHub(store, rerun=rerun, thread=False)
    hub.wave_wait = 3600
    follow_all(hub, store, code, 2 * WAVE + 3)
    store.goto(code, key, 2)
    assert hub.check() == 2 * WAVE + 3
    assert [len(w) for w in asked] == [WAVE, WAVE, 3]
    assert undrawn_at_ask == [0, 0, 0]  # no wave was asked while one of the last had not drawn
    hub.drawn("nobody")  # (a view of no wave: nothing happens)


@pytest.mark.parametrize("closed", [False, True])
def test_version_changes_with_what_a_student_sees(closed):
    from explorer.classroom import RoomState
    a = RoomState("ACDEFG", 2, 1, False, 10, 3, closed=closed)
    b = RoomState("ACDEFG", 2, 1, False, 10, 9, closed=closed)  # more answered: same view
    assert version(a) == version(b)
    assert version(a) != version(RoomState("ACDEFG", 3, 1, False, 10, 3, closed=closed))
    assert version(a) != version(RoomState("ACDEFG", 2, 2, False, 10, 3, closed=closed))
    assert version(a) != version(RoomState("ACDEFG", 2, 1, True, 10, 3, closed=closed))


def test_a_call_on_the_event_loop_returns_its_result_and_a_stopped_loop_leaves_nothing_unawaited():
    """room_push.on_loop: the result from a running loop; a loop that never runs the call
    (a server stopping) gives a timeout and no 'coroutine never awaited' RuntimeWarning."""
    import asyncio
    import concurrent.futures
    import gc
    import threading
    import warnings

    from explorer.app.room_push import on_loop

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        assert on_loop(loop, lambda: 6 * 7, timeout=10) == 42
        with pytest.raises(ZeroDivisionError):
            on_loop(loop, lambda: 1 / 0, timeout=10)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
    idle = asyncio.new_event_loop()  # never runs
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(concurrent.futures.TimeoutError):
            on_loop(idle, lambda: 1, timeout=0.01)
        idle.close()
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
