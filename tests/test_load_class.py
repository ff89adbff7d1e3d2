"""The load script's class scenario end to end, small (issue 28): 1 lecturer + 5 students on a
server of its own (memory store). It starts a Streamlit server and trains the Lesson's step 2
once, so it takes 20-60 s on the shared 2-core machine: a module of its own, to run by hand
(``AE_LOAD_TESTS=1 pytest tests/test_load_class.py``; the README's suite skips it: CI's time).
The full class is ``python scripts/load_test.py
--scenarios class`` (300 students; ``--room-store redis`` / ``both``)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not os.environ.get("AE_LOAD_TESTS"),
                                reason="by hand: AE_LOAD_TESTS=1 (servers of its own, 30-60 s)")

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture(scope="module")
def lc():
    sys.path.insert(0, str(SCRIPTS))
    import load_class
    return load_class


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_small_class_end_to_end(lc, capsys):
    """1 lecturer + 5 students on one server (memory store): every student follows Next, and
    the room's counts (store and the lecturer's page after Reveal) equal what was cast."""
    r = lc.class_scenario("memory", 5, _free_port(), timeout=120, idle=1.0, pause=0.2)
    lc.print_class(r)
    out = capsys.readouterr().out
    assert not r.errors, out
    n = lc.step_question(2)[1]  # student i taps option i % n
    assert r.cast == [sum(i % n == k for i in range(5)) for k in range(n)], out
    assert r.forged == 1, out
    assert r.counts_ok and set(r.counts) == {"lecturer's page",
                                             "store in process 1 (MemoryStore)"}, out
    assert len(r.next_latency) == 5 and len(r.reveal_latency) == 5, out
    assert "counts OK" in out and "p95" in out


@pytest.mark.skipif(not Path("/usr/bin/redis-server").exists(), reason="no redis-server")
def test_small_class_on_redis_and_two_processes(lc, capsys):
    """The same with a private redis-server and two app processes (students alternate): the
    store in each process, Redis itself, the lecturer's page and a student's page on each
    process all hold exactly the answers cast."""
    port = _free_port()
    r = lc.class_scenario("redis", 4, port, timeout=120, idle=1.0, pause=0.2)
    lc.print_class(r)
    out = capsys.readouterr().out
    assert not r.errors, out
    assert r.processes == 2 and sum(r.cast) == 4 and r.counts_ok, out
    assert set(r.counts) == {"lecturer's page", "store in process 1 (RedisStore)",
                             "store in process 2 (RedisStore)",
                             "a student's page on process 1", "a student's page on process 2",
                             "Redis, read by this script"}, out
