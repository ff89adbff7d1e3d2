"""issue 28 item 5: the room store, one test module for both stores (explorer.classroom).

Every test runs on the in-process store and on the Redis store; the Redis one talks to a real
``redis-server`` (Debian's package): in CI the one ``.ci/run`` starts and stops
(``AE_TEST_REDIS_URL``; each pytest worker on a database of its own), else one started here on a
free port with no persistence and stopped after the module. Expiry is driven by the stores' clock (no
waiting). Concurrency: many threads answering at once give exact counts, a student answering
from many threads at once is counted once, and two store objects on one Redis (two app
processes) see the same counts.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time

import pytest

from explorer.classroom import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_OPTIONS,
    Limits,
    MemoryStore,
    RateLimit,
    RoomError,
    normalise_code,
    store_from_setting,
)
from explorer.classroom.redis_store import RedisStore

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


class Clock:
    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(400):  # wait until it answers (a wait, not an assertion on time)
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            time.sleep(0.025)
    return False


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    given = os.environ.get("AE_TEST_REDIS_URL")
    if given:  # .ci/run's server; a database per xdist worker (gw0 -> 1, gw1 -> 2, ...)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        url = f"{given.rstrip('/')}/{1 + int(worker[2:] or 0) % 15}"
        if not _answers(url):
            pytest.fail(f"AE_TEST_REDIS_URL={given} does not answer")
        yield url
        return
    if not os.path.exists(REDIS):
        if os.environ.get("AE_REQUIRE_REDIS"):  # CI: missing is an error, not a skip
            pytest.fail(f"{REDIS} is missing (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    import redis

    port = _free_port()
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(400):  # wait until it answers (a wait, not an assertion on time)
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None:
                pytest.fail("redis-server exited at start")
            time.sleep(0.025)
    else:
        proc.kill()
        pytest.fail("redis-server did not answer")
    yield url
    proc.terminate()
    proc.wait(20)


@pytest.fixture(params=["memory", "redis"])
def make(request):
    """make(limits=None) -> (store, clock); a Redis store on a flushed database."""
    def build(limits: Limits | None = None, clock: Clock | None = None):
        clock = clock or Clock()
        if request.param == "memory":
            return MemoryStore(limits, clock), clock
        url = request.getfixturevalue("redis_url")
        return RedisStore(url, limits, clock), clock
    if request.param == "redis":
        import redis
        redis.Redis.from_url(request.getfixturevalue("redis_url")).flushdb()
    build.kind = request.param
    return build


def reason(fn, *args) -> str:
    with pytest.raises(RoomError) as e:
        fn(*args)
    return e.value.reason


# ----------------------------------------------------------------------------- rooms
def test_create_and_codes(make):
    s, _ = make()
    code, key = s.create()
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert not set(CODE_ALPHABET) & set("BIOSZL0125") and len(key) >= 20
    st = s.state(code)
    assert (st.step, st.round, st.revealed, st.students, st.answered, st.counts) == (
        1, 1, False, 0, 0, None)
    assert s.state(code.lower()[:3] + " " + code.lower()[3:]).code == code  # as typed
    assert s.is_lecturer(code, key) and not s.is_lecturer(code, key + "x")
    assert not s.is_lecturer(code, "") and not s.is_lecturer(code, None)
    assert reason(s.state, "ABC") == "bad_code" and reason(s.state, "AAAAA1") == "bad_code"
    other = "".join(CODE_ALPHABET[(CODE_ALPHABET.index(c) + 1) % len(CODE_ALPHABET)]
                    for c in code)
    assert reason(s.state, other) == "unknown"
    assert reason(s.join, other, "s1") == "unknown"
    assert reason(s.create, 0) == "bad_step"


def test_join_answer_once_and_reveal(make):
    s, _ = make()
    code, key = s.create(3)
    assert s.join(code, "a").students == 1
    assert s.join(code, "a").students == 1  # again: no change
    s.join(code, "b")
    assert reason(s.answer, code, "zz", 3, 1, 0) == "not_joined"
    assert s.answer(code, "a", 3, 1, 2) is True
    assert s.answer(code, "a", 3, 1, 0) is False  # one answer a round: the first stays
    assert s.my_answer(code, "a", 3, 1) == 2 and s.my_answer(code, "b", 3, 1) is None
    st = s.state(code)
    assert st.answered == 1 and st.counts is None  # the split stays hidden until Reveal
    assert reason(s.answer, code, "b", 2, 1, 0) == "moved_on"
    assert reason(s.answer, code, "b", 3, 2, 0) == "moved_on"
    for bad in (-1, MAX_OPTIONS, "1", 1.0, True, None):
        assert reason(s.answer, code, "b", 3, 1, bad) == "bad_option"
    s.answer(code, "b", 3, 1, 2)
    st = s.reveal(code, key)
    assert st.revealed and st.counts == ((0, 0, 2, 0, 0),)
    assert sum(st.counts[0]) == st.answered == 2
    s.join(code, "c")
    assert reason(s.answer, code, "c", 3, 1, 1) == "revealed"


def test_vote_again_and_moving(make):
    s, _ = make()
    code, key = s.create()
    for i in range(4):
        s.join(code, f"s{i}")
        s.answer(code, f"s{i}", 1, 1, i % 2)
    s.reveal(code, key)
    st = s.vote_again(code, key)
    assert (st.round, st.revealed, st.answered, st.counts) == (2, False, 0, None)
    for i in range(4):
        assert s.answer(code, f"s{i}", 1, 2, 1)
    st = s.reveal(code, key)
    assert st.counts == ((2, 2, 0, 0, 0), (0, 4, 0, 0, 0))  # both rounds, side by side
    assert reason(s.vote_again, code, key) == "rounds"
    st = s.goto(code, key, 2)
    assert (st.step, st.round, st.revealed, st.answered) == (2, 1, False, 0)
    s.answer(code, "s0", 2, 1, 3)
    back = s.goto(code, key, 1)  # Back: step 1 as it was left
    assert back.revealed and back.round == 2
    assert back.counts == ((2, 2, 0, 0, 0), (0, 4, 0, 0, 0))
    assert s.goto(code, key, 2).answered == 1


def test_only_the_lecturer_key_moves_the_room(make):
    s, _ = make()
    code, key = s.create()
    other, okey = s.create()
    s.join(code, "a")
    before = s.state(code)
    for bad in ("", "x", key[:-1], okey, key + " ", None, 12):
        assert reason(s.goto, code, bad, 5) == "key"
        assert reason(s.reveal, code, bad) == "key"
        assert reason(s.vote_again, code, bad) == "key"
        assert reason(s.close, code, bad) == "key"
    assert s.state(code) == before
    s.goto(code, key, 5)
    assert s.state(code).step == 5 and s.state(other).step == 1


def test_close_ends_it_for_everyone(make):
    s, _ = make()
    code, key = s.create()
    s.join(code, "a")
    s.close(code, key)
    for fn, args in [(s.state, (code,)), (s.join, (code, "b")),
                     (s.answer, (code, "a", 1, 1, 0)), (s.reveal, (code, key)),
                     (s.close, (code, key))]:
        assert reason(fn, *args) == "closed"


def test_bounds_and_expiry(make):
    limits = Limits(rooms=3, students=2, idle=100.0)
    s, clock = make(limits)
    codes = [s.create() for _ in range(3)]
    assert reason(s.create) == "rooms_full"
    s.close(*codes[0])
    code, key = s.create()  # a closed room frees its place
    s.join(code, "a")
    s.join(code, "b")
    assert reason(s.join, code, "c") == "full"
    assert s.join(code, "a").students == 2  # a student already in may come back
    clock.t += 99.0
    s.answer(code, "a", 1, 1, 0)  # activity keeps it
    clock.t += 99.0
    assert s.state(code).answered == 1
    assert reason(s.state, codes[1][0]) == "unknown"  # idle 198 s > 100 s: expired
    clock.t += 100.0
    assert reason(s.state, code) == "unknown"
    assert len({s.create()[0] for _ in range(3)}) == 3  # expired rooms free their places


def test_nothing_personal_is_kept(make):
    s, _ = make()
    code, key = s.create()
    s.join(code, "session-token")
    st = s.state(code)
    assert "session-token" not in repr(st) and key not in repr(st)
    if make.kind == "redis":
        dump = b" ".join(k + b" " + repr(s.client.dump(k)).encode() for k in s.client.keys())
    else:
        dump = repr(vars(s)).encode()
    assert key.encode() not in dump  # only the key's digest is stored


# ----------------------------------------------------------------------------- concurrency
def test_threads_answering_at_once_count_exactly(make):
    s, _ = make()
    code, key = s.create()
    n = 300
    for i in range(n):
        s.join(code, f"s{i}")
    barrier = threading.Barrier(30)
    results = []

    def student(block):
        barrier.wait()
        for i in block:
            results.append(s.answer(code, f"s{i}", 1, 1, i % 4))
            results.append(s.answer(code, f"s{i}", 1, 1, (i + 1) % 4))  # a second tap
    threads = [threading.Thread(target=student, args=(range(k, n, 30),)) for k in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == n and results.count(False) == n
    st = s.reveal(code, key)
    assert st.counts[0] == tuple(sum(1 for i in range(n) if i % 4 == o) for o in range(5))
    assert sum(st.counts[0]) == st.answered == n


def test_one_student_many_threads_counted_once(make):
    s, _ = make()
    code, key = s.create()
    s.join(code, "a")
    barrier = threading.Barrier(16)
    got = []

    def tap(o):
        barrier.wait()
        got.append(s.answer(code, "a", 1, 1, o % 3))
    threads = [threading.Thread(target=tap, args=(o,)) for o in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got.count(True) == 1
    assert sum(s.reveal(code, key).counts[0]) == 1


def test_two_processes_on_one_redis_see_the_same_counts(redis_url):
    import redis
    redis.Redis.from_url(redis_url).flushdb()
    a, b = RedisStore(redis_url), RedisStore(redis_url)
    code, key = a.create()
    for i in range(100):
        (a if i % 2 else b).join(code, f"s{i}")
        (a if i % 3 else b).answer(code, f"s{i}", 1, 1, i % 5)
    assert a.state(code).answered == b.state(code).answered == 100
    assert b.reveal(code, key).counts == a.state(code).counts
    assert sum(a.state(code).counts[0]) == 100


# ----------------------------------------------------------------------------- the rest
def test_rate_limit_per_session():
    clock = Clock(0.0)
    rl = RateLimit(burst=3, window=10.0, clock=clock)
    assert [rl.allow("a") for _ in range(4)] == [True, True, True, False]
    assert rl.allow("b")  # per session
    clock.t = 10.5
    assert rl.allow("a")
    small = RateLimit(burst=1, window=10.0, clock=clock, max_sessions=5)
    for i in range(20):
        small.allow(f"s{i}")
    assert len(small._seen) == 5  # bounded


def test_store_from_setting(redis_url, monkeypatch):
    monkeypatch.delenv("AE_ROOM_STORE", raising=False)
    assert isinstance(store_from_setting(), MemoryStore)
    assert isinstance(store_from_setting("memory"), MemoryStore)
    monkeypatch.setenv("AE_ROOM_STORE", redis_url)
    assert isinstance(store_from_setting(), RedisStore)
    with pytest.raises(ValueError, match="AE_ROOM_STORE"):
        store_from_setting("mysql://x")


def test_normalise_code():
    assert normalise_code(" acd-efg ") == "ACDEFG"
    for bad in (None, "", "ACDEF", "ACDEFGH", "ACDEF0", "ACDEFB", 123456):
        with pytest.raises(RoomError):
            normalise_code(bad)
