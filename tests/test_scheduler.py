"""The training scheduler and the background jobs under a lecture's load (issue 26): ageing
(no job waits much more than AGEING × its own time + a bound), caps on queued work, admission
by predicted bytes, cancellation of abandoned work, a bounded job table. Every figure is
counted on a fake clock, never timed."""

from __future__ import annotations

import random
import threading
from collections import OrderedDict

import pytest

from explorer import slots
from explorer.config import TrainConfig
from explorer.live import jobs
from explorer.slots import Cancelled, QueueFull, Scheduler


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def sched(clock: Clock, **kw) -> Scheduler:
    """Work counted in seconds (seconds_per_work = 1)."""
    kw = {"slots": 1, "reserved": 0, "seconds_per_work": 1.0, "ageing": 2.0, "bound": 3.0,
          "small": 0.0, **kw}
    return Scheduler(clock=clock, **kw)


# ----------------------------------------------------------------------------- order
def _big_waits_while_small_jobs_keep_coming(ageing: float, steps: int = 200) -> float | None:
    """One slot; a big job (10 s) arrives while small jobs (1 s) keep arriving, one per
    second, each run to its end: the big job's wait (None: it never started)."""
    clock = Clock()
    s = sched(clock, ageing=ageing)
    running = s.enqueue(1.0)
    big = s.enqueue(10.0)
    served_small = 0
    for _ in range(steps):
        clock.now += 1.0
        s.enqueue(1.0)  # the next student's small run
        s.release(running)
        running = next(t for t in s._running)
        if running is big:
            assert served_small > 0  # small jobs that came with it went first
            return clock.now - big.arrived
        served_small += 1
    return None


def test_small_jobs_go_first_but_a_big_one_waits_at_most_its_ageing_bound():
    wait = _big_waits_while_small_jobs_keep_coming(ageing=2.0)
    assert wait is not None
    # deadline = arrival + 2 × 10 s + 3 s; at most one small job (1 s) runs past it
    assert wait <= 2.0 * 10.0 + 3.0 + 1.0


def test_without_ageing_the_big_job_would_starve():
    # the same stream with (practically) no ageing: smallest first for ever
    assert _big_waits_while_small_jobs_keep_coming(ageing=1e9) is None


def test_jobs_arriving_together_start_smallest_first():
    clock = Clock()
    s = sched(clock)
    blocker = s.enqueue(100.0)
    works = [9.0, 0.5, 0.1, 0.2, 7.0]
    tickets = [s.enqueue(w) for w in works]
    started = []
    current = blocker
    for _ in works:
        s.release(current)
        (current,) = s._running
        started.append(current.work)
    assert started == sorted(works) and all(not t.cancelled for t in tickets)


def test_a_small_job_passes_an_overdue_big_one_only_in_the_small_lane():
    clock = Clock()
    s = sched(clock, slots=2, reserved=1, small=1.0)
    big1 = s.enqueue(5.0)  # runs in the big lane
    big2 = s.enqueue(5.0)  # waits for the big lane
    clock.now = big2.deadline + 1.0  # overdue
    small = s.enqueue(0.5)
    assert small.running and not big2.running  # the small lane was free: it takes nothing
    big3 = s.enqueue(0.9 + 4.0)  # a later big job, earlier deadline than none: waits behind
    s.release(small)
    s.release(big1)
    assert big2.running and not big3.running


# ----------------------------------------------------------------------------- memory
def test_admission_by_predicted_bytes():
    clock = Clock()
    s = sched(clock, slots=3, memory=100.0)
    a = s.enqueue(1.0, nbytes=60.0)
    b = s.enqueue(1.0, nbytes=60.0)
    c = s.enqueue(1.0, nbytes=30.0)
    assert a.running and not b.running and c.running  # 60 + 30 fit, 60 more do not
    assert s.held_bytes == 90.0
    s.release(a)
    assert b.running and s.held_bytes == 90.0
    s.release(b)
    s.release(c)
    lone = s.enqueue(1.0, nbytes=500.0)  # over the budget alone: runs, alone
    assert lone.running
    assert not s.enqueue(1.0, nbytes=1.0).running


def test_an_overdue_job_is_not_passed_for_memory():
    clock = Clock()
    s = sched(clock, slots=3, memory=100.0)
    a = s.enqueue(1.0, nbytes=50.0)
    b = s.enqueue(20.0, nbytes=60.0)  # does not fit beside a
    clock.now = b.deadline + 0.1
    c = s.enqueue(0.1, nbytes=40.0)  # would fit beside a, but b is overdue
    assert not b.running and not c.running
    s.release(a)
    assert b.running and c.running  # 60 + 40


def test_a_pages_bytes_stay_held_until_it_has_drawn():
    clock = Clock()
    s = sched(clock, slots=2, memory=100.0)
    drawn = [False]
    a = s.enqueue(1.0, nbytes=70.0)
    s.release(a, until=lambda: drawn[0])  # trained; its page still draws the records
    assert s.held_bytes == 70.0 and s.running == 0
    other = threading.Thread(target=lambda: out.append(s.enqueue(1.0, nbytes=70.0)))
    out: list[slots.Ticket] = []
    other.start()
    other.join()
    b = out[0]  # another page (another thread): does not fit beside the drawing one
    assert not b.running
    own = s.enqueue(1.0, nbytes=70.0)  # the same page's next group: its own bytes do not block
    assert own.running
    s.release(own)
    drawn[0] = True
    s.release(s.enqueue(0.0))  # (any change looks at the holds again)
    assert b.running and s.held_bytes == 70.0
    s.release(b, until=lambda: False)  # never drawn: freed after HOLD_MAX all the same
    clock.now += slots.HOLD_MAX + 1.0
    s.release(s.enqueue(0.0))
    assert s.held_bytes == 0.0


def test_a_sessions_own_held_bytes_never_make_it_wait_for_itself():
    """The stall of the reverted merge: a session's finished streamed job holds its bytes
    until its page drops the job, and the page's own script run asks for a frame's training
    meanwhile (another thread, the same session): it must not wait for its own page."""
    clock = Clock()
    s = sched(clock, slots=2, memory=100.0)
    job = s.enqueue(1.0, nbytes=70.0, session="a")  # the background job (its own thread)
    s.release(job, until=lambda: False)  # finished; the page still shows it
    out: list[slots.Ticket] = []

    def ask(session):
        out.append(s.enqueue(1.0, nbytes=70.0, session=session))

    for session in ("a", "b"):  # the same session's script run, then another session's
        th = threading.Thread(target=ask, args=(session,))
        th.start()
        th.join()
    own, other = out
    assert own.running  # its own page's bytes do not block it
    assert not other.running  # another session's page does (70 + 70 > 100)
    s.release(own)
    clock.now += slots.HOLD_MAX + 1.0
    s.release(s.enqueue(0.0))
    assert other.running and s.held_bytes == 70.0


def test_any_mix_stays_within_the_budget():
    """Random mixes of jobs (sizes, arrivals, ends): whenever two or more run, their
    predicted bytes (running and paused) fit the budget."""
    rng = random.Random(7)
    for trial in range(30):
        clock = Clock()
        s = sched(clock, slots=rng.choice([2, 3, 4]), reserved=1, small=1.0, memory=200.0)
        live: list[slots.Ticket] = []
        for _ in range(60):
            clock.now += rng.random()
            if live and rng.random() < 0.45:
                s.release(live.pop(rng.randrange(len(live))))
            else:
                try:
                    live.append(s.enqueue(rng.choice([0.1, 0.5, 3.0, 9.0]),
                                          nbytes=rng.choice([5.0, 40.0, 120.0, 190.0])))
                except QueueFull:
                    pass
            if s.running > 1:
                assert s.held_bytes <= 200.0, trial
            assert s.running <= s.slots


# ----------------------------------------------------------------------------- caps
def test_caps_per_session_and_in_total():
    clock = Clock()
    s = sched(clock, per_session=2, queue_max=4)
    s.enqueue(1.0, session="a")
    s.enqueue(1.0, session="a")
    with pytest.raises(QueueFull) as err:
        s.enqueue(1.0, session="a")
    assert err.value.per_session
    s.enqueue(1.0, session="b")
    s.enqueue(1.0, session="c")
    with pytest.raises(QueueFull) as err:
        s.enqueue(1.0, session="d")
    assert not err.value.per_session and s.waiting + s.running == 4


def test_cap_on_queued_seconds():
    clock = Clock()
    s = sched(clock, queue_seconds=10.0)
    s.enqueue(100.0)  # runs (a job alone is never refused)
    s.enqueue(6.0)
    with pytest.raises(QueueFull):
        s.enqueue(5.0)
    s.enqueue(4.0)
    assert s.waiting == 2


# ----------------------------------------------------------------------------- cancellation
def test_a_cancelled_waiting_job_leaves_the_queue(monkeypatch):
    monkeypatch.setattr(slots, "CHECK_EVERY", 0.001)
    clock = Clock()
    s = sched(clock)
    first = s.enqueue(1.0)
    gone = s.enqueue(0.5)
    s.cancel(gone)
    assert s.waiting == 0 and s.cancelled == 1
    with pytest.raises(Cancelled):
        s.wait(gone)
    alive = [True]
    left = s.enqueue(0.5)
    alive[0] = False  # its session closed the tab
    with pytest.raises(Cancelled):
        s.wait(left, alive=lambda: alive[0])
    assert s.waiting == 0 and s.cancelled == 2
    s.release(first)
    assert s.running == 0


def test_a_cancelled_running_job_stops_at_its_next_pause():
    clock = Clock()
    s = sched(clock)
    t = s.enqueue(1.0)
    assert s.pause(t) is False  # nobody waits: go on
    s.cancel(t)
    with pytest.raises(Cancelled):
        s.pause(t)
    s.release(t)
    assert s.running == 0 and s.held_bytes == 0
    u = s.enqueue(1.0)
    with pytest.raises(Cancelled):
        s.pause(u, alive=lambda: False)


def test_place_and_estimate():
    clock = Clock()
    s = sched(clock)
    s.enqueue(5.0)
    clock.now = 2.0
    waiting = [s.enqueue(w) for w in (1.0, 2.0, 3.0)]
    assert [s.place(t)[0] for t in waiting] == [1, 2, 3]
    assert s.place(waiting[2]) == (3, pytest.approx(3.0 + 1.0 + 2.0))
    assert s.outlook(10.0)[0] == 4
    s.release(s._running[0])
    assert s.place(waiting[0]) == (0, pytest.approx(0.0)) or waiting[0].running


# ----------------------------------------------------------------------------- jobs
CFG = TrainConfig(hidden=(4,), epochs=3, n_checkpoints=2, grid_size=10)


class Gate:
    """A slot factory whose jobs wait in a scheduler with one slot held by the test."""

    def __init__(self) -> None:
        self.sched = Scheduler(slots=1, reserved=0)
        self.blocker = self.sched.enqueue(1e12)

    def __call__(self, alive=None, on_wait=None):
        return self.sched.slot(1.0, alive=alive, on_wait=on_wait)


def _done(job: jobs.Job) -> None:
    for _ in range(4000):  # a safety net against a hang, not a timing assertion
        if job.done:
            return
        threading.Event().wait(0.005)
    raise AssertionError("the job never ended")


@pytest.fixture
def table(monkeypatch):
    """An empty job table of 3; jobs on a fake clock (the reaper thread sees it too)."""
    monkeypatch.setattr(jobs, "_JOBS", OrderedDict())
    monkeypatch.setattr(jobs, "MAX_JOBS", 3)
    monkeypatch.setattr(slots, "CHECK_EVERY", 0.005)
    return Clock()


def test_the_job_table_stays_bounded(table):
    gate = Gate()
    started = [jobs.start(("k", i), CFG, gate, session=i, session_alive=lambda s: True,
                          clock=table) for i in range(5)]
    assert all(j is not None for j in started[:3]) and started[3:] == [None, None]
    assert jobs.held() == 3
    assert jobs.start(("k", 0), CFG, gate) is started[0]  # the same key: the same job
    for j in started[:3]:
        j.cancel()
    for j in started[:3]:
        _done(j)
    assert all(isinstance(j.error, Cancelled) for j in started[:3])
    assert jobs.start(("k", 9), CFG, gate) is not None  # finished ones make room
    assert jobs.held() <= 3


def test_a_job_whose_sessions_left_is_cancelled_and_released(table):
    gate = Gate()
    present = {"a": True}
    job = jobs.start(("gone", 1), CFG, gate, session="a", session_alive=present.get,
                     clock=table)
    kept = jobs.start(("kept", 1), CFG, gate, session="b", session_alive=lambda s: True,
                      clock=table)
    table.now = jobs.GONE + 0.1
    assert jobs.reap() == []  # the session is still there
    kept.touch("b")
    present["a"] = False  # the tab closed
    job.touch("a")  # (its last poll)
    assert jobs.reap() == []  # first seen gone: not yet, a reconnect may come
    table.now += jobs.GONE / 2
    assert jobs.reap() == []
    table.now += jobs.GONE
    assert jobs.reap() == [job]
    _done(job)
    assert isinstance(job.error, Cancelled) and job.latest is None and job.updates == 0
    assert gate.sched.waiting == 1 and jobs.get(("gone", 1)) is None  # only `kept` waits
    kept.cancel()
    _done(kept)


def test_a_late_poll_or_a_reconnect_never_cancels_a_shown_job(table):
    """The stall behind the reverted merge's browser timeouts: on a loaded server the page's
    poll came late (or its socket reconnected, Streamlit keeping the session id) and the
    reaper cancelled a job the page still showed; the page's next poll then started it
    again from epoch 0 (the player back at the start: no progress), as often as that
    happened. Now only sessions gone for GONE s in a row cancel a job."""
    gate = Gate()
    present = {"a": True}
    job = jobs.start(("shown", 1), CFG, gate, session="a", session_alive=present.get,
                     clock=table)
    # (the module's reaper thread reaps too, on the same fake clock: the job's flag counts)
    table.now += 1000.0  # no poll for a long while (the fragment is late): the tab is open
    jobs.reap()
    assert not job.cancelled
    present["a"] = False  # the socket drops ...
    jobs.reap()
    table.now += jobs.GONE * 0.9
    jobs.reap()
    present["a"] = True  # ... and reconnects (the same session id) within GONE s
    jobs.reap()
    present["a"] = False  # a second drop counts from its own start, not the first one's
    jobs.reap()
    table.now += jobs.GONE * 0.9
    jobs.reap()
    assert not job.cancelled and jobs.get(("shown", 1)) is job
    table.now += jobs.GONE * 0.2
    jobs.reap()
    assert job.cancelled and jobs.get(("shown", 1)) is None  # gone GONE s in a row
    _done(job)


def test_a_job_refused_by_a_full_queue_is_started_anew(table):
    """A streamed job that ended with QueueFull was handed to every later page of its
    config (and polled for ever, so never dropped): that config never trained again."""
    full = Scheduler(slots=1, reserved=0, queue_max=1)
    full.enqueue(1e12)  # the queue is full
    job = jobs.start(("full", 1), CFG, lambda alive=None, on_wait=None: full.slot(1.0),
                     session="a", session_alive=lambda s: True, clock=table)
    _done(job)
    assert isinstance(job.error, QueueFull) and job.failed()
    free = Scheduler(slots=1, reserved=0)
    again = jobs.start(("full", 1), CFG, lambda alive=None, on_wait=None: free.slot(1.0),
                       session="a", session_alive=lambda s: True, clock=table)
    assert again is not job
    _done(again)
    assert again.error is None and not again.failed() and again.latest.complete
    jobs.pop(("full", 1), job)  # an old page's pop leaves the new job alone
    assert jobs.get(("full", 1)) is again
    jobs.pop(("full", 1), again)
    assert jobs.get(("full", 1)) is None


def test_a_paused_job_counts_once_against_its_sessions_cap():
    """A paused job stands in the waiting list and the paused list: it counted twice
    against the per-session cap, so a session refused its work (QueueFull) too early."""
    clock = Clock()
    s = sched(clock, slots=1, per_session=3)
    running = s.enqueue(100.0, session="a")
    with s._cv:  # it pauses for an earlier job (what pause() does, without blocking)
        s._running.remove(running)
        running.running = False
        s._paused.append(running)
        s._waiting.append(running)
    s.enqueue(1.0, session="a")  # 2 of 3
    s.enqueue(1.0, session="a")  # 3 of 3
    with pytest.raises(QueueFull):
        s.enqueue(1.0, session="a")


def test_a_finished_job_nobody_polls_is_dropped(table):
    free = Scheduler(slots=1, reserved=0)
    job = jobs.start(("fin", 1), CFG, lambda alive=None, on_wait=None: free.slot(1.0),
                     session="a", session_alive=lambda s: True, clock=table)
    _done(job)
    assert job.error is None and job.latest is not None and job.latest.complete
    table.now = 100.0
    job.touch("a")
    table.now += jobs.HOLD / 2
    assert jobs.reap() == []  # still shown
    table.now += jobs.HOLD
    assert jobs.reap() == [job]
    assert jobs.held() == 0


def test_a_running_job_stops_between_epochs_once_cancelled(table):
    free = Scheduler(slots=1, reserved=0)
    cfg = CFG.replace(epochs=50)
    seen: list[int] = []

    def pause(ticket, alive):
        seen.append(1)
        if len(seen) == 2:
            jobs.get(("run", 1)).cancel()

    job = jobs.start(("run", 1), cfg, lambda alive=None, on_wait=None: free.slot(1.0), pause,
                     session="a", session_alive=lambda s: True, clock=table)
    _done(job)
    assert isinstance(job.error, Cancelled) and len(seen) == 2 < cfg.epochs
    assert free.running == 0


def test_a_paused_job_resumes_past_an_overdue_one_that_waits_for_its_memory():
    """The deadlock of a first heavy wave: a paused job holds memory that an overdue job
    waits for; the paused one must go on (it adds no memory), and the queue never stalls."""
    clock = Clock()
    s = sched(clock, slots=2, reserved=1, small=1.0, memory=100.0)
    p = s.enqueue(50.0, nbytes=60.0)  # a big page, running
    small = s.enqueue(0.5, nbytes=30.0)  # the small lane
    x = s.enqueue(5.0, nbytes=60.0)  # waits: memory (60 + 30 + 60 > 100) and the big lane
    clock.now = x.deadline + 1.0  # overdue
    s.release(small)
    q = s.enqueue(0.2, nbytes=10.0)  # a small one: earlier deadline than p's
    # p pauses for it by hand (what pause() does, without blocking this thread)
    with s._cv:
        s._running.remove(p)
        p.running = False
        s._paused.append(p)
        s._waiting.append(p)
        s._grant()
    assert q.running
    s.release(q)
    assert p.running and not x.running  # p resumes; x waits for p's memory
    s.release(p)
    assert x.running


def test_a_new_streamed_run_replaces_the_sessions_unfinished_one(table):
    gate = Gate()
    first = jobs.start(("s", 1), CFG, gate, session="a", one_per_session=True, clock=table)
    other = jobs.start(("s", 2), CFG, gate, session="b", one_per_session=True, clock=table)
    second = jobs.start(("s", 3), CFG, gate, session="a", one_per_session=True, clock=table)
    _done(first)
    assert isinstance(first.error, Cancelled) and jobs.get(("s", 1)) is None
    assert jobs.get(("s", 2)) is other and jobs.get(("s", 3)) is second
    assert not other.cancelled and not second.cancelled
    other.cancel()
    second.cancel()


def test_the_queue_is_shown_in_every_language():
    from explorer.app import runs
    from explorer.app.lang import Tr
    from explorer.texts import LANGS

    for lang in LANGS:
        text = runs.queue_note(Tr({}, lang), 3, 12.4)
        assert "3" in text and "12" in text and "{" not in text, (lang, text)
        assert runs.queue_note(Tr({}, lang), 1, 0.01).count("1") >= 2  # "about 1 s", never 0
    busy = Tr({}, "en")("queue_full", waiting=64)
    assert "64" in busy and "busy" in busy
