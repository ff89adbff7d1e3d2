"""The server's gate for full script runs (explorer/gate.py, issue 26): first come first served,
never more than its capacity inside, a big page waits only for the runs that came before it,
no hang, a closed tab leaves the queue. Checked by counting entries (threads, no timing)."""

from __future__ import annotations

import threading

import pytest

from explorer.gate import CAPACITY, Gate, Left, capacity_from_env


def _until(cond, what: str) -> None:
    ev = threading.Event()
    for _ in range(2000):
        if cond():
            return
        ev.wait(0.005)
    raise AssertionError(f"never: {what}")


def _holder(gate: Gate, release: threading.Event, log: list, name: str, **kw) -> threading.Thread:
    def body() -> None:
        try:
            with gate.run(poll=0.01, **kw):
                log.append(name)
                release.wait(30)
        except Left:
            log.append(f"{name} left")

    t = threading.Thread(target=body, daemon=True)
    t.start()
    return t


def test_runs_go_in_in_arrival_order_and_never_over_capacity():
    gate, log = Gate(capacity=1), []
    gates = {n: threading.Event() for n in "ABCDE"}
    threads = []
    for i, name in enumerate("ABCDE"):
        threads.append(_holder(gate, gates[name], log, name))
        _until(lambda i=i: gate.inside + gate.waiting == i + 1, f"{name} queued")
    assert log == ["A"] and gate.waiting == 4
    for name in "ABCDE":
        gates[name].set()
        _until(lambda name=name: log[-1] != name or name == "E", "the next one in")
    for t in threads:
        t.join(10)
    assert log == list("ABCDE")
    assert gate.peak_inside == 1 and gate.passed == 5 and gate.waited == 4 and gate.forced == 0


def test_two_inside_at_once_with_capacity_two():
    gate, log, release = Gate(capacity=2), [], threading.Event()
    threads = [_holder(gate, release, log, n) for n in "ABC"]
    _until(lambda: gate.inside == 2 and gate.waiting == 1, "two in, one waiting")
    assert sorted(log) in (["A", "B"], ["A", "C"], ["B", "C"])
    release.set()
    for t in threads:
        t.join(10)
    assert len(log) == 3 and gate.peak_inside == 2


def test_a_big_page_waits_only_for_the_runs_queued_before_it():
    """Small runs keep coming (each client queues its next one as soon as its last one ends):
    the big page goes in after the runs that were waiting when it came, not after all of
    them (a smallest-first queue would let it wait for ever)."""
    gate, order, stop = Gate(capacity=1), [], threading.Event()
    step = threading.Semaphore(0)  # each small run inside waits for one step of the test

    def client(name: str) -> None:
        while not stop.is_set():
            with gate.run(poll=0.01):
                order.append(name)
                step.acquire(timeout=5)

    clients = [threading.Thread(target=client, args=(f"s{i}",), daemon=True) for i in range(3)]
    for c in clients:
        c.start()
    _until(lambda: gate.inside == 1 and gate.waiting == 2, "three clients busy")
    for _ in range(5):  # a while of small runs
        n = len(order)
        step.release()
        _until(lambda n=n: len(order) == n + 1, "the next small run")
    ahead = gate.waiting  # the small runs waiting when the big page comes
    arrived = len(order)
    done = threading.Event()

    def big() -> None:
        with gate.run(poll=0.01):
            order.append("BIG")
            done.set()

    threading.Thread(target=big, daemon=True).start()
    _until(lambda: gate.waiting == ahead + 1, "the big page queued")
    while not done.is_set():
        step.release()
        _until(lambda: done.is_set() or gate.inside == 1, "a run inside")
        if len(order) > arrived + 10:
            break
    stop.set()
    for _ in range(10):
        step.release()
    assert done.is_set(), order
    # in before it: the one inside when it came (finished first) and those queued ahead of it
    assert order.index("BIG") - arrived <= ahead, (order, arrived, ahead)


def test_a_run_goes_in_after_max_wait_and_a_closed_tab_leaves_the_queue():
    now = [0.0]
    gate, log, release = Gate(capacity=1, max_wait=30.0, clock=lambda: now[0]), [], threading.Event()
    a = _holder(gate, release, log, "A")
    _until(lambda: gate.inside == 1, "A in")
    alive = [True]
    b = _holder(gate, release, log, "B", alive=lambda: alive[0])
    c = _holder(gate, release, log, "C")
    _until(lambda: gate.waiting == 2, "B and C waiting")
    alive[0] = False  # B's tab is closed
    _until(lambda: "B left" in log and gate.waiting == 1, "B out of the queue")
    now[0] = 31.0  # C has waited longer than max_wait: it goes in although A is inside
    _until(lambda: "C" in log, "C in over capacity")
    assert gate.forced == 1 and gate.inside == 2 and gate.left == 1
    release.set()
    for t in (a, b, c):
        t.join(10)
    assert gate.inside == 0 and gate.waiting == 0


def test_a_run_interrupted_while_it_waits_leaves_no_ticket_behind():
    gate, log, release = Gate(capacity=1), [], threading.Event()
    a = _holder(gate, release, log, "A")
    _until(lambda: gate.inside == 1, "A in")

    def interrupt(_ahead: int) -> None:
        raise KeyboardInterrupt  # (Streamlit's RerunException is a BaseException too)

    with pytest.raises(KeyboardInterrupt):
        with gate.run(poll=0.01, on_wait=interrupt):
            pass
    assert gate.waiting == 0
    release.set()
    a.join(10)
    with gate.run():  # the gate is free again
        assert gate.inside == 1
    with pytest.raises(ValueError):
        Gate(capacity=0)


def test_the_capacity_from_the_environment_is_bounded(monkeypatch):
    for raw, want in (("1", 1), ("64", 64), ("0", CAPACITY), ("65", CAPACITY), ("-1", CAPACITY),
                      ("2.5", CAPACITY), ("", CAPACITY), ("x", CAPACITY), ("٣", CAPACITY)):
        monkeypatch.setenv("AE_PAGE_RUNS", raw)
        assert capacity_from_env() == want, raw
