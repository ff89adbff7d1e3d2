#!/usr/bin/env python
"""Load test: a lecture hall opens the same links at once.

Starts its own Streamlit server (``--port``, default 8616), then runs scenarios of concurrent
sessions (default 20) on the Playground and Compare defaults and prints a summary table:

* ``cold``: N identical sessions at once on a fresh server (everything trains now),
* ``warm``: N identical sessions again (the shared cache should answer all of them),
* ``distinct``: N sessions with N different seeds (nothing to share: the worst case),
* ``wave`` (issue 14): 30 distinct Compare and 30 distinct Playground links at the same
  moment, and meanwhile a few *small visitors* (a new small Playground run every few
  seconds): prints the slowest page, the small visitors' latency (goal < 5 s), the peak RSS
  and the RSS a few seconds after the wave next to the level before it (taken after one
  visit of each default link), whether it came back (``--back-mb``), and what the server
  itself holds then (``Server.probe``: its RSS, the bytes of every st.cache_data function,
  the sessions kept for a reconnect; ``--wave-probe`` can also trim and clear them, to see
  what held the memory). ``--wave-later S`` reads the RSS again S seconds after the wave,
  after one more visit (past ``server.disconnectedSessionTTL`` the kept sessions are gone);
  ``--waves 2`` sends a second wave of new links,
* ``heavy`` (issue 14): the heaviest links the URL bounds allow on every page (e.g. every
  activation, 12 × 64 units, 2000 points, grid 100, 100 snapshots, 2000 epochs; Compare with
  six activations and a 20-seed sweep), one at a time, then three at once: time, the
  server's CPU and RSS above the level before each,

* ``class`` (issue 28): a lecturer and ``--students`` students in one room on the Lesson
  page (memory store, or ``--room-store redis``: two app processes on a private Redis); see
  scripts/load_class.py,

* ``visits`` (issue 27): every page's default link, opened twice (it trains, then it is
  warm), then by N visitors at once: the server's CPU seconds per warm visit (goal 0.15 s),
  with the load average beside (other processes share the cores),
* ``heavywave`` (issue 26): 30 distinct heavy-but-allowed links (HEAVY_LINKS of Vanishing,
  Dead ReLUs, Compare, Playground, new seeds) started within a second, every other one as a
  browser tab (``--heavy-agent``): the peak RSS of the server with its baseline (< 690 MB),
* ``starve`` (issue 26): a Compare page alone, then while 3 clients keep opening small
  Playground runs, then alone again: the ratio to the mean alone time (target <= 3) and how
  long its training waited for a slot as the scheduler counted it,
* ``abandon`` (issue 26): 20 sessions (streamed Playground runs and Compare pages) close
  their socket after 1.5 s: the server's CPU over the next 10 s (< 2 s) and the jobs and
  trainings it still holds then (0),

with errors, median and slowest time to a finished run, the number of training runs the
engine actually did (counted by a hook, see below), and the server's peak resident memory
(VmRSS summed over the server's process tree, polled every 50 ms). The exit code is 1 if any
session failed or the peak memory went over ``--max-rss-mb`` (690 MB by default, the memory
of a Community Cloud app).

Sessions are raw Streamlit websocket clients by default (``/_stcore/stream``, BackMsg /
ForwardMsg protobufs: the same messages a browser tab sends and receives, without drawing):
20 Chromium tabs on a 2-core machine would mostly measure Chromium. ``--browser`` runs the
sessions as Playwright pages instead (Debian's /usr/bin/chromium, a few pages per context) and
waits for ``data-test-script-state=notRunning`` and drawn charts.

Training is counted without touching explorer/: the server is started by a tiny launcher that
wraps ``explorer.train._Trainer.__init__`` (every training path builds one per stack of models)
and appends one line per stack to a log file this script reads.

Usage::

    python scripts/load_test.py                 # 20 websocket sessions, playground + compare
    python scripts/load_test.py --sessions 10 --pages playground --browser
    python scripts/load_test.py --scenarios heavy wave   # issue 14: heavy links, 60-session wave
    python scripts/load_test.py --scenarios wave --wave-later 70 --waves 2   # memory after it
    python scripts/load_test.py --scenarios visits   # issue 27: server CPU per warm visit
    AE_WATCHER=auto python scripts/load_test.py --scenarios visits   # with the file watcher
    python scripts/load_test.py --scenarios heavywave starve abandon   # issue 26
    python scripts/load_test.py --scenarios class --room-store both  # issue 28: a class
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 8616
MAX_RSS_MB = 690.0
#: charts a default view draws at least (a complete page); None: do not check. (Compare's
#: boundaries are its player's: 5 columns of histograms + 2 curves.)
EXPECTED_CHARTS = {"playground": 4, "compare": 7, "vanishing": 3, "dead_relu": 3}

# The server launcher: count training stacks into $AE_TRAIN_LOG, then run `streamlit run`.
LAUNCHER = r"""
import os, sys, threading, time
log_path = os.environ["AE_TRAIN_LOG"]
lock = threading.Lock()
def note(kind, n, epochs):
    with lock, open(log_path, "a") as f:
        f.write(f"{time.time():.3f} {kind} models={n} epochs={epochs}\n")
import explorer.train  # noqa: the package re-exports a function named train
T = sys.modules["explorer.train"]
if hasattr(T, "_Trainer"):
    original = T._Trainer.__init__
    def counting_init(self, cfgs, *args, **kwargs):
        cfgs = list(cfgs)
        note("stack", len(cfgs), cfgs[0].epochs if cfgs else 0)
        return original(self, cfgs, *args, **kwargs)
    T._Trainer.__init__ = counting_init
else:  # fall back to the public functions (before explorer.app.runs imports them)
    for name in ("train", "iter_train", "train_many"):
        fn = getattr(T, name)
        def wrapped(*a, _fn=fn, _name=name, **k):
            first = a[0] if a else None
            n = len(first) if isinstance(first, (list, tuple)) else 1
            note(_name, n, getattr(first, "epochs", 0))
            return _fn(*a, **k)
        setattr(T, name, wrapped)
if os.environ.get("AE_GC_AFTER_TRAIN") == "1":  # experiment: free training garbage at once
    import gc
    for name in ("train", "train_many"):
        def collected(*a, _fn=getattr(T, name), **k):
            try:
                return _fn(*a, **k)
            finally:
                gc.collect()
        setattr(T, name, collected)
if os.environ.get("AE_NO_LIVE_DRAW") == "1":  # experiment: no partial redraws while training
    import explorer.app.runs as U
    _live = U.train_live
    def train_live_without_frames(cfg, tr, draw=None, *args, **kwargs):
        return _live(cfg, tr, None, *args, **kwargs)
    U.train_live = train_live_without_frames
if os.environ.get("AE_PROBE_DIR"):  # what holds the memory (Server.probe): read from inside
    import ctypes, gc, json
    probe_dir = os.environ["AE_PROBE_DIR"]
    def rss_mb():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    def trim():
        gc.collect()
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except OSError:
            pass
    def session_mgr():
        from streamlit.runtime import Runtime
        return Runtime.instance()._session_mgr
    def report(step):
        from streamlit.runtime.caching import cache_data_api
        cached = {}
        for stats in cache_data_api._data_caches.get_stats().values():
            for st in stats:
                cached[st.cache_name] = cached.get(st.cache_name, 0) + st.byte_length
        from streamlit.runtime import Runtime
        from streamlit.runtime.stats import safe_sizeof
        mgr = session_mgr()
        stored = mgr._session_storage.list()
        media = Runtime.instance().media_file_mgr._storage
        files = getattr(media, "_files_by_id", {}).copy()
        J = sys.modules.get("explorer.live.jobs")
        R = sys.modules.get("explorer.app.runs")
        sched = getattr(R, "SCHEDULER", None)
        return {"step": step, "rss_mb": rss_mb(), "cached": cached,
                "jobs": J.held() if J is not None and hasattr(J, "held") else -1,
                "sched_running": getattr(sched, "running", -1),
                "sched_waiting": getattr(sched, "waiting", -1),
                "sched_cancelled": getattr(sched, "cancelled", -1),
                "sched_waits": list(getattr(sched, "waits", ())),
                "active": len(mgr.list_active_sessions()), "stored": len(stored),
                "state_bytes": sum(safe_sizeof(i.session.session_state) for i in stored),
                "media_bytes": sum(len(f.content) for f in files.values())}
    def serve_probe():
        request = os.path.join(probe_dir, "request")
        while True:
            time.sleep(0.1)
            if not os.path.exists(request):
                continue
            with open(request) as f:
                steps = f.read().split()
            os.remove(request)
            out = []
            for step in steps:
                try:
                    if step == "caches":  # every st.cache_data entry
                        import streamlit as st
                        st.cache_data.clear()
                    elif step == "sessions":  # sessions kept for a reconnect (disconnected)
                        storage = session_mgr()._session_storage
                        for info in storage.list():
                            storage.delete(info.session.id)
                            info.session.shutdown()
                    if step != "report":
                        trim()
                    out.append(report(step))
                except Exception as e:
                    out.append({"step": step, "error": repr(e)})
            tmp = os.path.join(probe_dir, "response.tmp")
            with open(tmp, "w") as f:
                json.dump(out, f)
            os.replace(tmp, os.path.join(probe_dir, "response"))
    threading.Thread(target=serve_probe, daemon=True, name="ae-probe").start()
from streamlit.web.cli import main
sys.argv = ["streamlit", "run", "streamlit_app.py", *sys.argv[1:]]
sys.exit(main())
"""


# ----------------------------------------------------------------------------- the server


class Server:
    """``streamlit run streamlit_app.py`` in its own process group, with a training log."""

    def __init__(self, port: int, log_dir: Path, gc_after_train: bool = False,
                 no_live_draw: bool = False, env: dict[str, str] | None = None,
                 launcher: str = LAUNCHER) -> None:
        self.port = port
        self.env, self.launcher = env or {}, launcher  # (scripts/load_class.py's class)
        self.gc_after_train = gc_after_train
        self.no_live_draw = no_live_draw
        self.url = f"http://127.0.0.1:{port}"
        self.train_log = log_dir / "train.log"
        self.server_log = log_dir / "server.log"
        self.probe_dir = log_dir / "probe"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> None:
        self.train_log.write_text("")
        self.probe_dir.mkdir(exist_ok=True)
        env = dict(os.environ, AE_TRAIN_LOG=str(self.train_log), PYTHONUNBUFFERED="1",
                   AE_PROBE_DIR=str(self.probe_dir),
                   AE_GC_AFTER_TRAIN="1" if self.gc_after_train else "0",
                   AE_NO_LIVE_DRAW="1" if self.no_live_draw else "0", **self.env,
                   PYTHONPATH=os.pathsep.join(
                       p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p))
        cmd = [sys.executable, "-c", self.launcher,
               "--server.headless", "true", "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
        # the shipped .streamlit/config.toml's file watcher ("none"), or AE_WATCHER's (to compare)
        if os.environ.get("AE_WATCHER"):
            cmd += ["--server.fileWatcherType", os.environ["AE_WATCHER"]]
        with open(self.server_log, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"server not healthy within {timeout} s:\n{self.tail()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.server_log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def probe(self, *steps: str, timeout: float = 30.0) -> list[dict]:
        """Ask the server itself (the launcher's probe thread), one result per step: "report"
        (its RSS, the bytes every st.cache_data function holds, active and stored sessions),
        "trim" (gc + malloc_trim first), "caches" (clear every st.cache_data first), "sessions"
        (drop the disconnected sessions kept for a reconnect first). [] if it does not answer."""
        import json

        response = self.probe_dir / "response"
        response.unlink(missing_ok=True)
        (self.probe_dir / "request.tmp").write_text(" ".join(steps))
        (self.probe_dir / "request.tmp").replace(self.probe_dir / "request")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if response.exists():
                return json.loads(response.read_text())
            time.sleep(0.1)
        return []

    def trainings(self) -> list[tuple[int, int]]:
        """(models, epochs) of every training stack so far."""
        out = []
        for line in self.train_log.read_text().splitlines():
            parts = dict(p.split("=") for p in line.split()[2:])
            out.append((int(parts["models"]), int(parts["epochs"])))
        return out


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants (from /proc/<pid>/stat parent ids)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def rss_kb(pid: int) -> int:
    """VmRSS of one process in kB (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssSampler(threading.Thread):
    """Polls the summed VmRSS of a process tree; ``peak_mb`` / ``mark()`` for phases."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_kb = 0
        self.phase_peak_kb = 0
        self.last_kb = 0
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            kb = sum(rss_kb(p) for p in tree_pids(self.pid))
            self.last_kb = kb
            self.peak_kb = max(self.peak_kb, kb)
            self.phase_peak_kb = max(self.phase_peak_kb, kb)
            time.sleep(self.every)

    def mark(self) -> float:
        """Peak (MB) since the previous mark."""
        peak = self.phase_peak_kb / 1024
        self.phase_peak_kb = self.last_kb
        return peak

    def stop(self) -> None:
        self._stop.set()


# ----------------------------------------------------------------------------- sessions


@dataclass
class Outcome:
    seconds: float = 0.0
    error: str = ""
    charts: int = 0
    received: int = 0  # bytes of ForwardMsgs (websocket sessions)
    trained: bool = False  # showed the training progress bar (this session trained)
    waited: bool = False  # showed the "same run is being trained for another visitor" spinner
    alerts: list[str] = field(default_factory=list)
    left: bool = False  # closed the socket on purpose (``leave_after``)


#: the User-Agent of a session that acts as a browser (``--agent browser``): the app then
#: trains the player's run in a background job and streams it to a polling fragment, as for
#: a real tab (``explorer.app.runs.browser_session``); this client polls like one
BROWSER_AGENT = "Mozilla/5.0 (load test; a websocket client polling like a browser tab)"


def ws_session(base_url: str, page: str, query: dict[str, str], timeout: float,
               agent: str = "", leave_after: float | None = None) -> Outcome:
    """One raw websocket session: run ``page`` with ``query`` to the end of its script run
    (``agent``: its User-Agent, e.g. BROWSER_AGENT; ``leave_after``: close the socket after
    that many seconds, as a student who closes the tab; ``error`` stays empty then)."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    out = Outcome()
    t0 = time.monotonic()
    ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    leave = t0 + leave_after if leave_after is not None else math.inf
    try:
        with connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout,
                     user_agent_header=agent or None) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = urlencode(query)
            msg.rerun_script.page_name = page
            ws.send(msg.SerializeToString())
            deadline = t0 + timeout
            slots: dict[tuple[int, ...], str] = {}  # element now at each delta path
            auto: dict[str, float] = {}  # fragments the browser would rerun: id -> interval
            page_hash = ""
            while True:
                if time.monotonic() >= leave:
                    out.left = True
                    break
                try:
                    data = ws.recv(timeout=max(0.05, min(deadline, leave) - time.monotonic()))
                except TimeoutError:
                    if time.monotonic() >= leave:
                        out.left = True
                        break
                    raise
                out.received += len(data)
                fm = ForwardMsg()
                fm.ParseFromString(data)
                kind = fm.WhichOneof("type")
                if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    el = fm.delta.new_element
                    what = el.WhichOneof("type")
                    slots[tuple(fm.metadata.delta_path)] = what  # replaces what was there
                    if what == "exception":
                        out.error = f"exception: {el.exception.type}: {el.exception.message}"
                    elif what == "progress":
                        out.trained = True
                    elif what == "spinner" and "another visitor" in el.spinner.text:
                        out.waited = True
                    elif what == "alert" and el.alert.format in (Alert.ERROR, Alert.WARNING):
                        out.alerts.append(el.alert.body[:120])
                elif kind == "new_session":
                    page_hash = fm.new_session.page_script_hash or page_hash
                elif kind == "auto_rerun":  # st.fragment(run_every=...): the browser polls it
                    auto[fm.auto_rerun.fragment_id] = fm.auto_rerun.interval
                elif kind == "stop_auto_rerun":
                    for fid in fm.stop_auto_rerun.fragment_ids:
                        auto.pop(fid, None)
                elif kind == "script_finished":
                    status = fm.script_finished
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        slots.clear()  # st.rerun(): the page starts again
                        auto.clear()  # (a full run registers its fragments again)
                        continue
                    if status not in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                      ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                        out.error = out.error or ForwardMsg.ScriptFinishedStatus.Name(status)
                        break
                    if not auto:
                        break
                    # like the browser: rerun the polling fragment (a page that trains in
                    # the background streams its frames this way, then reruns itself)
                    fid, interval = next(iter(auto.items()))
                    time.sleep(max(0.0, min(interval, leave - time.monotonic())))
                    if time.monotonic() >= leave:
                        continue
                    msg = BackMsg()
                    msg.rerun_script.query_string = urlencode(query)
                    msg.rerun_script.page_name = page
                    msg.rerun_script.page_script_hash = page_hash
                    msg.rerun_script.fragment_id = fid
                    msg.rerun_script.is_auto_rerun = True
                    ws.send(msg.SerializeToString())
            # charts on the finished page (a live-drawn chart replaces itself in its slot)
            out.charts = sum(kind == "vega_lite_chart" for kind in slots.values())
    except Exception as e:  # connection refused, timeout, closed socket: a failed session
        out.error = f"{type(e).__name__}: {e}"
    out.seconds = time.monotonic() - t0
    return out


def browser_sessions(base_url: str, page: str, queries: list[dict[str, str]], timeout: float,
                     per_context: int = 5) -> list[Outcome]:
    """The sessions as Chromium pages (a few per context), all opened at once."""
    sys.path.insert(0, str(REPO_ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT, find_chromium
    from tests.browser.helpers import OBSERVER_JS, assert_no_exception, count_charts

    outcomes = [Outcome() for _ in queries]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            pages = []
            contexts = []
            for i, _q in enumerate(queries):
                if i % per_context == 0:
                    ctx = browser.new_context(viewport=VIEWPORT)
                    ctx.add_init_script(OBSERVER_JS)
                    contexts.append(ctx)
                pages.append(contexts[-1].new_page())
            t0 = time.monotonic()
            for pg, q in zip(pages, queries):  # start every navigation before waiting
                url = f"{base_url}/{page}" + (f"?{urlencode(q)}" if q else "")
                pg.evaluate("url => { window.location.href = url; }", url)
            for pg, out in zip(pages, outcomes):
                try:
                    pg.wait_for_function(
                        """() => { const a = document.querySelector('[data-testid=stApp]');
                          return a && a.getAttribute('data-test-script-state') === 'notRunning'
                            && a.getAttribute('data-test-connection-state') === 'CONNECTED'
                            && !document.querySelector('[data-stale=true]')
                            && document.querySelector('[data-testid=stMain] h1'); }""",
                        timeout=timeout * 1000, polling=100)
                    out.seconds = time.monotonic() - t0
                    assert_no_exception(pg)
                    pg.bring_to_front()  # a background tab may not draw its charts
                    out.charts = count_charts(pg, timeout=60000)
                except Exception as e:
                    out.seconds = time.monotonic() - t0
                    out.error = f"{type(e).__name__}: {str(e)[:200]}"
            for ctx in contexts:
                ctx.close()
        finally:
            browser.close()
    return outcomes


def tally_pages(links: Sequence[tuple[str, object]], outs: Sequence[Outcome],
                ) -> tuple[int, list[str], dict[str, list[float]]]:
    """Sessions that failed (an error, or fewer charts than their page draws), what failed,
    and the seconds of each page's sessions."""
    errors, notes = 0, []
    by_page: dict[str, list[float]] = {}
    for (page, _q), o in zip(links, outs, strict=True):
        expected = EXPECTED_CHARTS.get(page)
        problem = o.error or (f"{o.charts} charts" if expected and o.charts < expected else "")
        if problem:
            errors += 1
            notes.append(f"{page}: {problem}")
        by_page.setdefault(page, []).append(o.seconds)
    return errors, notes, by_page


def run_concurrently(fn: Callable[[], Outcome], n: int) -> list[Outcome]:
    """Start ``n`` sessions at the same moment (a barrier), wait for all."""
    barrier = threading.Barrier(n)
    results: list[Outcome | None] = [None] * n

    def worker(i: int) -> None:
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results  # type: ignore[return-value]


# ----------------------------------------------------------------------------- scenarios


@dataclass
class Row:
    scenario: str
    page: str
    sessions: int
    errors: int
    median: float
    slowest: float
    trainings: int
    models: int
    trained: int
    waited: int
    peak_mb: float
    mb_per_session: float = 0.0
    notes: list[str] = field(default_factory=list)


def scenario(server: Server, sampler: RssSampler, name: str, page: str,
             queries: list[dict[str, str]], timeout: float, browser: bool) -> Row:
    before = len(server.trainings())
    if browser:
        outcomes = browser_sessions(server.url, page, queries, timeout)
    else:
        outcomes = run_concurrently(lambda i: ws_session(server.url, page, queries[i], timeout),
                                    len(queries))
    time.sleep(0.3)
    stacks = server.trainings()[before:]
    notes = []
    expected = EXPECTED_CHARTS.get(page)
    errors = 0
    for i, o in enumerate(outcomes):
        problem = o.error
        if not problem and expected is not None and o.charts < expected:
            problem = f"{o.charts} charts drawn, expected at least {expected}"
        if problem:
            errors += 1
            notes.append(f"session {i}: {problem}")
        for a in o.alerts:
            notes.append(f"session {i} alert: {a}")
    times = [o.seconds for o in outcomes]
    return Row(name, page, len(outcomes), errors, statistics.median(times), max(times),
               len(stacks), sum(m for m, _e in stacks), sum(o.trained for o in outcomes),
               sum(o.waited for o in outcomes), sampler.mark(),
               statistics.mean(o.received for o in outcomes) / 2**20, notes)


# ----------------------------------------------------------------------------- the lecture-hall wave
#: the heaviest links the URL bounds allow on the pages that train several models (issue 14)
WORST = {"n_samples": "2000", "test_fraction": "0.1", "batch_size": "2000", "grid_size": "100",
         "n_checkpoints": "100", "epochs": "2000"}
ALL_ACTS = ("sigmoid-tanh-relu-leaky_relu-prelu-elu-selu-gelu-silu-mish-softplus-identity-"
            "maxout")
DEEP = "-".join(["128"] * 12)  # the most layers and units the URL allows
#: six activations (Compare's most) with the most weights (Maxout with 5 pieces)
SIX = "sigmoid-tanh-gelu-mish-selu-maxout"
SWEEP = {"sweep": "1", "seeds": "20", "protocol": "1"}
HEAVY_LINKS = [
    ("vanishing", {**WORST, "acts": ALL_ACTS, "depth": "12", "width": "64"}),  # the issue's link
    ("vanishing", {**WORST, "acts": ALL_ACTS, "depth": "12", "width": "128"}),
    ("vanishing", {**WORST, "acts": ALL_ACTS, "depth": "2", "width": "128", "batch_size": "1"}),
    ("dead_relu", {**WORST, "acts": ALL_ACTS, "hidden": DEEP}),
    ("dead_relu", {**WORST, "acts": ALL_ACTS, "hidden": "128-128", "batch_size": "1"}),
    ("compare", {**WORST, "acts": SIX, "hidden": DEEP, "maxout_k": "5", **SWEEP}),
    ("compare", {**WORST, "acts": SIX, "hidden": "64-64", "maxout_k": "5", "batch_size": "1",
                 **SWEEP}),
    ("compare", {**WORST, "acts": SIX, "hidden": "16-16", "epochs": "2000", **SWEEP}),
    ("playground", {**WORST, "hidden": DEEP, "activation": "maxout", "maxout_k": "5"}),
    ("playground", {**WORST, "hidden": "128-128", "activation": "gelu", "batch_size": "1"}),
    ("zigzag", {**WORST, "hidden": DEEP, "steps": "5000"}),
    ("zigzag", {**WORST, "hidden": "128-128", "batch_size": "1", "steps": "5000"}),
    ("gallery", {}),
    *(("lesson", {"step": str(k)}) for k in range(1, 15)),
]
#: seconds after its last training the server collects its garbage (explorer.app.runs.IDLE_AFTER)
IDLE_SECONDS = 3.0
#: the student who opens a small Playground run while the wave is being served
SMALL_VISITOR = {"hidden": "8", "epochs": "50", "n_checkpoints": "11"}


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root``'s process tree so far (every thread)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        except (OSError, IndexError, ValueError):
            continue
    return total / tick


def known_acts() -> str:
    """ALL_ACTS restricted to the activations the app has (the registry may grow or shrink)."""
    sys.path.insert(0, str(REPO_ROOT))
    from explorer import ACTIVATIONS

    names = [a for a in ALL_ACTS.split("-") if a in ACTIVATIONS]
    names += [a for a in ACTIVATIONS.names() if a not in names]
    return "-".join(names)


@dataclass
class Wave:
    sessions: int
    errors: int
    slowest: float
    slowest_page: str
    visitor: list[float]
    visitor_errors: int
    peak_mb: float
    after_mb: float
    baseline_mb: float
    by_page: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    settle: float = 0.0
    #: the server's own view after the wave (Server.probe): RSS, cached bytes, sessions
    probe: list[dict] = field(default_factory=list)
    #: the RSS ``later`` seconds after the wave, after one more small visit (0: not read)
    later_mb: float = 0.0
    later: float = 0.0


def wave(server: Server, sampler: RssSampler, n_compare: int, n_playground: int,
         visitors: int, every: float, timeout: float, settle: float = 10.0,
         probe: tuple[str, ...] = ("report",), later: float = 0.0,
         first_seed: int = 2000) -> Wave:
    """``n_compare`` distinct Compare links and ``n_playground`` distinct Playground links at
    the same moment; meanwhile ``visitors`` small Playground runs, one every ``every`` seconds
    (each distinct: a new config, so it must be trained). The RSS is read again ``settle``
    seconds after the last session ended; then the server is asked the ``probe`` steps (see
    ``Server.probe``: "caches" and "sessions" clear what they name, to see what held the
    memory). The level before is taken after one visit of each page's default link (the
    modules a page imports and its default runs are there before any lecture). With ``later``
    the RSS is read once more ``later`` seconds after the wave, after one more small visit:
    the disconnected sessions a server keeps for a reconnect
    (``server.disconnectedSessionTTL``) are dropped when a session comes or goes after their
    time, as the next student's visit does."""
    for page in ("playground", "compare"):
        ws_session(server.url, page, {}, timeout)
    time.sleep(1.0)
    base = sampler.last_kb / 1024
    sampler.mark()
    acts = ["relu", "tanh", "sigmoid", "elu", "leaky_relu", "gelu"]
    jobs: list[tuple[str, dict[str, str]]] = []
    for i in range(max(n_compare, n_playground)):
        if i < n_compare:
            jobs.append(("compare", {"seed": str(first_seed + i)}))
        if i < n_playground:
            jobs.append(("playground", {"seed": str(first_seed + 1000 + i),
                                        "activation": acts[i % 6]}))
    results: list[Outcome | None] = [None] * len(jobs)
    visits: list[Outcome] = []
    stop = threading.Event()

    def visitor() -> None:
        for k in range(visitors):
            if stop.wait(every):
                return
            visits.append(ws_session(server.url, "playground",
                                     {**SMALL_VISITOR, "seed": str(first_seed + 7000 + k)},
                                     timeout))

    vt = threading.Thread(target=visitor, daemon=True)
    vt.start()
    outs = run_concurrently(lambda i: ws_session(server.url, jobs[i][0], jobs[i][1], timeout),
                            len(jobs))
    for i, o in enumerate(outs):
        results[i] = o
    stop.set()
    vt.join()
    peak = sampler.mark()
    time.sleep(settle)
    after = sampler.last_kb / 1024
    later_mb = 0.0
    if later > 0:
        time.sleep(max(0.0, later - settle))
        visits.append(ws_session(server.url, "playground",
                                 {**SMALL_VISITOR, "seed": str(first_seed + 7999)}, timeout))
        time.sleep(1.0 + IDLE_SECONDS)  # the server collects once its trainings have stopped
        later_mb = sampler.last_kb / 1024
    probed = server.probe(*probe) if probe else []
    errors, notes, by_page = tally_pages(jobs, outs)
    worst = max(range(len(outs)), key=lambda i: outs[i].seconds)
    v_err = sum(bool(v.error) or v.charts < EXPECTED_CHARTS["playground"] for v in visits)
    for v in visits:
        if v.error:
            notes.append(f"small visitor: {v.error}")
    return Wave(len(jobs), errors, outs[worst].seconds, jobs[worst][0],
                [v.seconds for v in visits], v_err, peak, after, base,
                {p: (len(t), statistics.median(t), max(t)) for p, t in by_page.items()}, notes,
                settle, probed, later_mb, later)


def print_wave(w: Wave, back_mb: float = 60.0) -> None:
    print()
    print(f"wave: {w.sessions} sessions at once, {w.errors} errors; slowest page "
          f"{w.slowest_page} {w.slowest:.1f} s")
    for page, (n, med, top) in w.by_page.items():
        print(f"  {page:10s} {n:3d} sessions: median {med:.1f} s, slowest {top:.1f} s")
    vis = ", ".join(f"{t:.1f}" for t in w.visitor) or "-"
    print(f"  small visitor (new Playground run {SMALL_VISITOR} during the wave): {vis} s"
          f" (slowest {max(w.visitor, default=float('nan')):.1f} s, {w.visitor_errors} errors)")
    def verdict(mb: float) -> str:
        return ("back near the level before" if mb - w.baseline_mb <= back_mb else
                f"NOT back (more than +{back_mb:.0f} MB held)")

    print(f"  RSS: before {w.baseline_mb:.0f} MB, peak {w.peak_mb:.0f} MB, "
          f"after {w.after_mb:.0f} MB ({w.after_mb - w.baseline_mb:+.0f} MB, {w.settle:.0f} s "
          f"after the wave): " + verdict(w.after_mb))
    if w.later:
        print(f"  RSS {w.later:.0f} s after the wave (after one more visit): {w.later_mb:.0f} MB "
              f"({w.later_mb - w.baseline_mb:+.0f} MB): " + verdict(w.later_mb))
    for p in w.probe:
        if "error" in p:
            print(f"  server probe {p['step']}: {p['error']}")
            continue
        cached = sorted(p["cached"].items(), key=lambda kv: -kv[1])
        top = ", ".join(f"{name} {b / 2**20:.1f}" for name, b in cached[:4] if b) or "none"
        print(f"  server after {PROBE_TEXT.get(p['step'], p['step'])}: RSS {p['rss_mb']:.0f} MB; "
              f"st.cache_data {sum(p['cached'].values()) / 2**20:.1f} MB ({top}); "
              f"sessions {p['active']} active, {p['stored']} kept for a reconnect "
              f"(their session state {p.get('state_bytes', 0) / 2**20:.1f} MB); "
              f"media files {p.get('media_bytes', 0) / 2**20:.1f} MB")
    for note in w.notes[:10]:
        print(f"  [wave] {note}")


#: what each Server.probe step did before it reported
PROBE_TEXT = {"report": "the wave", "trim": "gc + malloc_trim",
              "caches": "clearing every st.cache_data", "sessions": "dropping kept sessions"}


def heavy(server: Server, sampler: RssSampler, timeout: float,
          together: int = 3) -> list[tuple[str, str, float, float, str, float, str]]:
    """Each of HEAVY_LINKS alone (wall time, the server's CPU seconds, RSS peak above the
    level before, a "capped" notice if the page showed one), then ``together`` of the heaviest
    at once with different seeds."""
    rows = []
    acts = known_acts()
    links = [(p, {**q, "acts": acts} if q.get("acts") == ALL_ACTS else q) for p, q in HEAVY_LINKS]
    pid = server.proc.pid if server.proc is not None else os.getpid()

    def shown(q: dict[str, str]) -> str:  # what differs from WORST (the full list: "all")
        return " ".join(f"{k}={'all' if v == acts else v}" for k, v in q.items()
                        if WORST.get(k) != v) or "(defaults)"

    for page, q in links:
        time.sleep(0.5)  # the level before: after the previous page's memory is trimmed
        before, cpu0 = sampler.last_kb / 1024, cpu_seconds(pid)
        sampler.mark()
        o = ws_session(server.url, page, q, timeout)
        capped = next((a for a in o.alerts if a.lower().startswith(("capped", "已限制"))), "")
        rows.append((page, shown(q), o.seconds, sampler.mark() - before, o.error,
                     cpu_seconds(pid) - cpu0, capped))
    before, cpu0 = sampler.last_kb / 1024, cpu_seconds(pid)
    sampler.mark()
    page, q = links[0]
    outs = run_concurrently(lambda i: ws_session(server.url, page, {**q, "seed": str(50 + i)},
                                                 timeout), together)
    rows.append((page, f"{together} at once (seeds 50..)", max(o.seconds for o in outs),
                 sampler.mark() - before, "; ".join(o.error for o in outs if o.error),
                 cpu_seconds(pid) - cpu0, ""))
    return rows


def print_heavy(rows: list[tuple[str, str, float, float, str, float, str]]) -> None:
    print()
    print("heaviest allowed links, one at a time (wall s, server CPU s, RSS above the level "
          "before):")
    for page, q, secs, mb, err, cpu, capped in rows:
        print(f"  {page:10s} {secs:6.1f} s  cpu {cpu:5.1f} s  +{mb:4.0f} MB  {q[:90]}"
              + ("  [capped]" if capped else "") + (f"  ERROR {err}" if err else ""))
    if rows:
        worst = max(rows[:-1] or rows, key=lambda r: r[2])
        print(f"  slowest page alone: {worst[0]} {worst[2]:.1f} s (cpu {worst[5]:.1f} s); "
              f"largest RSS rise alone: +{max(r[3] for r in rows[:-1] or rows):.0f} MB")


# ----------------------------------------------------------------------------- warm visits
#: every page with the link a class opens (issue 27: each warm visit <= 0.15 s of server CPU)
VISIT_PAGES = ("home", "playground", "compare", "vanishing", "zigzag", "dead_relu", "gallery",
               "lesson")
WARM_VISIT_CPU = 0.15


@dataclass
class Visits:
    page: str
    sessions: int
    errors: int
    first_cpu: float  # the link's first visit (trains), server CPU seconds
    second_cpu: float  # its second visit (builds what the first left to build)
    cpu_per_visit: float  # the n visitors at once, server CPU per visit
    median: float
    slowest: float
    trainings: int  # training stacks during the n visits (0: all were warm)
    load: tuple[float, float, float]
    notes: list[str] = field(default_factory=list)


def warm_visits(server: Server, pages: Sequence[str], n: int, timeout: float,
                ) -> list[Visits]:
    """Per page: open its default link twice (it trains, then it is warm), then ``n``
    visitors open it at once; the server's CPU time (/proc, its process tree) over those
    visits divided by ``n``."""
    pid = server.proc.pid
    out = []
    for page in pages:
        name = "" if page == "home" else page
        cpu = []
        for _ in range(2):
            c0 = cpu_seconds(pid)
            o = ws_session(server.url, name, {}, timeout)
            time.sleep(0.3)  # (work left after the script's end: its messages, the collector)
            cpu.append(cpu_seconds(pid) - c0)
            if o.error:
                break
        before = len(server.trainings())
        c0 = cpu_seconds(pid)
        outcomes = run_concurrently(lambda i, p=name: ws_session(server.url, p, {}, timeout), n)
        time.sleep(0.3)
        used = cpu_seconds(pid) - c0
        notes = [f"session {i}: {o.error}" for i, o in enumerate(outcomes) if o.error]
        times = [o.seconds for o in outcomes]
        out.append(Visits(page, n, len(notes), cpu[0], cpu[-1], used / n,
                          statistics.median(times), max(times),
                          len(server.trainings()) - before, os.getloadavg(), notes))
        print(f"{page:10s} warm visits done: {out[-1].cpu_per_visit:.3f} s CPU per visit",
              flush=True)
    return out


def print_visits(rows: list[Visits], goal: float = WARM_VISIT_CPU) -> None:
    print()
    print(f"warm visits: server CPU per visit, {rows[0].sessions if rows else 0} visitors at "
          f"once on one cached link per page (goal <= {goal:.2f} s); 2 cores shared, load "
          f"average (1, 5, 15 min) beside each row")
    print(f"  {'page':10s} {'1st visit':>9s} {'2nd visit':>9s} {'per warm':>9s} "
          f"{'median':>7s} {'slowest':>7s} {'trained':>7s} {'errors':>6s}  load")
    for r in rows:
        mark = "" if r.cpu_per_visit <= goal else "  over the goal"
        print(f"  {r.page:10s} {r.first_cpu:8.2f}s {r.second_cpu:8.3f}s "
              f"{r.cpu_per_visit:8.3f}s {r.median:6.2f}s {r.slowest:6.2f}s {r.trainings:7d} "
              f"{r.errors:6d}  {' '.join(f'{x:.1f}' for x in r.load)}{mark}")
# ----------------------------------------------------------------------------- issue 26
#: the heavy wave's link kinds: the heaviest allowed links of the pages that train several
#: models or stream a big run (every link a different seed: nothing shared)
HEAVY_WAVE_PAGES = ("vanishing", "dead_relu", "compare", "playground")


def heavy_wave_links(n: int, first_seed: int = 3000) -> list[tuple[str, dict[str, str]]]:
    """``n`` distinct heavy-but-allowed links, the HEAVY_LINKS of HEAVY_WAVE_PAGES in turn."""
    acts = known_acts()
    kinds = [(p, {**q, "acts": acts} if q.get("acts") == ALL_ACTS else q)
             for p, q in HEAVY_LINKS if p in HEAVY_WAVE_PAGES]
    return [(kinds[i % len(kinds)][0], {**kinds[i % len(kinds)][1], "seed": str(first_seed + i)})
            for i in range(n)]


@dataclass
class HeavyWave:
    sessions: int
    errors: int
    spread: float  # seconds between the first and the last session's start
    baseline_mb: float
    peak_mb: float
    by_page: dict[str, tuple[int, float, float]]
    notes: list[str] = field(default_factory=list)
    probe: list[dict] = field(default_factory=list)


def heavy_wave(server: Server, sampler: RssSampler, n: int, timeout: float,
               agent: str = "mixed") -> HeavyWave:
    """``n`` distinct heavy links (heavy_wave_links) opened at the same moment; the peak RSS
    of the server's process tree during the wave (the level before: after one visit of the
    Playground's and Compare's default links). ``agent``: "plain" (synchronous training in
    the session's script), "browser" (background jobs polled like a tab) or "mixed"."""
    for page in ("playground", "compare"):
        ws_session(server.url, page, {}, timeout)
    time.sleep(1.0)
    base = sampler.last_kb / 1024
    sampler.mark()
    links = heavy_wave_links(n)
    starts: list[float] = [0.0] * n

    def one(i: int) -> Outcome:
        starts[i] = time.monotonic()
        ua = {"plain": "", "browser": BROWSER_AGENT}.get(agent, BROWSER_AGENT if i % 2 else "")
        return ws_session(server.url, links[i][0], links[i][1], timeout, agent=ua)

    outs = run_concurrently(one, n)
    peak = sampler.mark()
    errors, notes, by_page = tally_pages(links, outs)
    return HeavyWave(n, errors, max(starts) - min(starts), base, peak,
                     {p: (len(t), statistics.median(t), max(t)) for p, t in by_page.items()},
                     notes, server.probe("report"))


def print_heavy_wave(w: HeavyWave, max_mb: float = MAX_RSS_MB) -> None:
    print()
    print(f"heavy wave: {w.sessions} distinct heavy links started within {w.spread:.2f} s, "
          f"{w.errors} errors")
    for page, (n, med, top) in w.by_page.items():
        print(f"  {page:10s} {n:3d} sessions: median {med:.1f} s, slowest {top:.1f} s")
    ok = "OK" if w.peak_mb < max_mb else "OVER"
    print(f"  HEAVYWAVE peak RSS {w.peak_mb:.0f} MB (level before {w.baseline_mb:.0f} MB, "
          f"target < {max_mb:.0f} MB including it): {ok}")
    for p in w.probe:
        if "error" not in p:
            print(f"  server after it: RSS {p['rss_mb']:.0f} MB, jobs held {p.get('jobs', -1)}")
    for note in w.notes[:10]:
        print(f"  [heavy wave] {note}")


#: the big page of the starvation scenario (a Compare link) and the small runs around it
STARVE_BIG = ("compare", {})
STARVE_SMALL = SMALL_VISITOR


@dataclass
class Starve:
    alone: float  # the big page alone, seconds (the mean of a run before and one after)
    loaded: float  # the big page while the small clients keep coming
    smalls: int  # small runs served meanwhile
    clients: int
    errors: int
    notes: list[str] = field(default_factory=list)
    #: the big page's training in the queue: (predicted seconds, seconds it waited for its
    #: slot) of the biggest job started while the small clients came (the server's own count)
    queued: tuple[float, float] | None = None

    @property
    def ratio(self) -> float:
        return self.loaded / self.alone if self.alone > 0 else math.inf


def starvation(server: Server, clients: int, timeout: float, lead: float = 2.0,
               first_seed: int = 5000) -> Starve:
    """A big page's time alone, then the same kind of page (a new seed) while ``clients``
    clients keep opening small Playground runs one after the other (each a new config), then
    alone once more: the "alone" time is the mean of the two, measured in this run on this
    (noisy) machine, so the ratio compares like with like."""
    page, q = STARVE_BIG
    ws_session(server.url, "playground", {}, timeout)  # the modules are loaded
    first = ws_session(server.url, page, {**q, "seed": str(first_seed)}, timeout)
    stop = threading.Event()
    served: list[Outcome] = []
    seeds = iter(range(first_seed + 100, first_seed + 100_000))
    lock = threading.Lock()

    def client() -> None:
        while not stop.is_set():
            with lock:
                seed = next(seeds)
            served.append(ws_session(server.url, "playground",
                                     {**STARVE_SMALL, "seed": str(seed)}, timeout))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    time.sleep(lead)
    before = len(next((p.get("sched_waits", []) for p in server.probe("report")), []))
    loaded = ws_session(server.url, page, {**q, "seed": str(first_seed + 1)}, timeout)
    n_served = len(served)
    waits = next((p.get("sched_waits", []) for p in server.probe("report")), [])[before:]
    big = max(waits, default=None, key=lambda w: w[0])
    stop.set()
    for t in threads:
        t.join(timeout)
    time.sleep(1.0)
    second = ws_session(server.url, page, {**q, "seed": str(first_seed + 2)}, timeout)
    outs = [first, loaded, second, *served]
    notes = [o.error for o in outs if o.error]
    return Starve((first.seconds + second.seconds) / 2, loaded.seconds, n_served, clients,
                  len(notes), notes, None if big is None else (big[1], big[2]))


def print_starvation(s: Starve, max_ratio: float = 3.0) -> None:
    print()
    print(f"starvation: {STARVE_BIG[0]} alone {s.alone:.2f} s (mean of before and after); "
          f"while {s.clients} clients kept opening small Playground runs ({s.smalls} served "
          f"meanwhile): {s.loaded:.2f} s")
    verdict = "OK" if s.ratio <= max_ratio else "OVER"
    print(f"  STARVE ratio {s.ratio:.2f} (target <= {max_ratio:.0f}): {verdict}; "
          f"{s.errors} errors")
    if s.queued is not None:
        sys.path.insert(0, str(REPO_ROOT))
        from explorer.slots import AGEING, WAIT_BOUND

        own, waited = s.queued
        print(f"  its training waited {waited:.2f} s for a slot (predicted {own:.2f} s of work; "
              f"the scheduler's bound: {AGEING:g} x that + {WAIT_BOUND:g} s, plus one small job)")
    for note in s.notes[:5]:
        print(f"  [starvation] {note}")


#: what the abandoned sessions open: the Playground's run streamed to a tab (a background
#: job) and Compare pages trained in the session's own script run
ABANDON_LINKS = (("playground", {"hidden": "64-64", "epochs": "1500"}, True),
                 ("compare", {"epochs": "800"}, False))


@dataclass
class Abandon:
    sessions: int
    leave_after: float
    cpu_after: float  # server CPU seconds from the moment the last one left, over ``watch``
    watch: float
    jobs_held: int  # the server's job table ``watch`` seconds after they left
    running: int  # trainings still running / waiting then
    waiting: int
    cancelled: int
    errors: int
    notes: list[str] = field(default_factory=list)


def abandon(server: Server, n: int, leave_after: float, watch: float, timeout: float,
            first_seed: int = 7000) -> Abandon:
    """``n`` sessions on distinct links (ABANDON_LINKS in turn) that all close their socket
    after ``leave_after`` seconds; the server's CPU from the moment the last one left over the
    next ``watch`` seconds, and then what it still holds (Server.probe)."""
    pid = server.proc.pid if server.proc is not None else os.getpid()
    ws_session(server.url, "playground", {}, timeout)
    cancelled0 = next((p.get("sched_cancelled", 0) for p in server.probe("report")), 0)

    def one(i: int) -> Outcome:
        page, q, browser = ABANDON_LINKS[i % len(ABANDON_LINKS)]
        return ws_session(server.url, page, {**q, "seed": str(first_seed + i)}, timeout,
                          agent=BROWSER_AGENT if browser else "", leave_after=leave_after)

    outs = run_concurrently(one, n)
    cpu0 = cpu_seconds(pid)
    time.sleep(watch)
    cpu = cpu_seconds(pid) - cpu0
    probe = server.probe("report")
    p = probe[0] if probe else {}
    notes = [o.error for o in outs if o.error]
    notes += [f"session {i} finished before it left" for i, o in enumerate(outs) if not o.left]
    return Abandon(n, leave_after, cpu, watch, p.get("jobs", -1), p.get("sched_running", -1),
                   p.get("sched_waiting", -1), p.get("sched_cancelled", 0) - cancelled0,
                   sum(bool(o.error) for o in outs), notes)


def print_abandon(a: Abandon, max_cpu: float = 2.0) -> None:
    print()
    print(f"abandon: {a.sessions} sessions left after {a.leave_after:.1f} s; server CPU over "
          f"the {a.watch:.0f} s after they left: {a.cpu_after:.2f} s; then jobs held "
          f"{a.jobs_held}, trainings running {a.running}, waiting {a.waiting} "
          f"({a.cancelled} cancelled by the scheduler)")
    ok = a.cpu_after < max_cpu and a.jobs_held == 0 and a.running == 0 and a.waiting == 0
    print(f"  ABANDON cpu {a.cpu_after:.2f} s (target < {max_cpu:.0f}), jobs held "
          f"{a.jobs_held} (target 0): {'OK' if ok else 'OVER'}; {a.errors} errors")
    for note in a.notes[:5]:
        print(f"  [abandon] {note}")


def print_table(rows: list[Row], baseline_mb: float, peak_mb: float, mode: str) -> None:
    head = ["scenario", "page", "sessions", "errors", "median s", "slowest s", "trainings",
            "models", "trained", "waited", "peak MB", "MB sent/session"]
    body = [[r.scenario, r.page, str(r.sessions), str(r.errors), f"{r.median:.2f}",
             f"{r.slowest:.2f}", str(r.trainings), str(r.models), str(r.trained),
             str(r.waited), f"{r.peak_mb:.0f}", f"{r.mb_per_session:.1f}"] for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
    print()
    print(f"load test ({mode} sessions): server idle {baseline_mb:.0f} MB, peak {peak_mb:.0f} MB")
    print(line)
    print("-" * len(line))
    for b in body:
        print("  ".join(c.ljust(w) for c, w in zip(b, widths)))
    print("trainings = training stacks the engine built (one stack trains several models at "
          "once); models = networks trained;\ntrained / waited = sessions that showed the "
          "progress bar / the 'being trained for another visitor' spinner.")


def cache_savings(rows: list[Row]) -> list[str]:
    """One line per page: identical links vs distinct links."""
    out = []
    for page in dict.fromkeys(r.page for r in rows):
        by = {r.scenario: r for r in rows if r.page == page}
        cold, warm, distinct = by.get("cold"), by.get("warm"), by.get("distinct")
        if not (cold and distinct):
            continue
        text = (f"{page}: {cold.sessions} identical links -> {cold.models} networks trained "
                f"(slowest {cold.slowest:.1f} s); {distinct.sessions} distinct links -> "
                f"{distinct.models} networks (slowest {distinct.slowest:.1f} s)")
        if warm:
            text += f"; repeat visit: {warm.models} trained, slowest {warm.slowest:.2f} s"
        out.append(text)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=DEFAULT_PORT)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--pages", nargs="+", default=["playground", "compare"])
    ap.add_argument("--scenarios", nargs="+", default=["cold", "warm", "distinct"],
                    choices=["cold", "warm", "distinct", "wave", "heavy", "visits", "heavywave",
                             "starve", "abandon", "class"],
                    help="wave: distinct Compare + Playground links at once with small "
                         "visitors; heavy: the heaviest allowed lab links; visits: server CPU "
                         "per warm visit of every page (--visit-pages, --sessions visitors); "
                         "issue 26: heavywave (distinct heavy links at once: peak RSS), starve "
                         "(a big page while small runs keep coming), abandon (sessions that "
                         "leave); class: a lecturer and --students students in one room "
                         "(scripts/load_class.py)")
    ap.add_argument("--students", type=int, default=300, help="class: students in the room")
    ap.add_argument("--room-store", choices=["memory", "redis", "both"], default="memory",
                    help="class: the in-process store (one app process) or Redis (a private "
                         "redis-server, two app processes)")
    ap.add_argument("--class-idle", type=float, default=20.0,
                    help="class: seconds the room only polls (CPU per student-minute at rest)")
    ap.add_argument("--visit-pages", nargs="+", default=list(VISIT_PAGES),
                    choices=list(VISIT_PAGES))
    ap.add_argument("--heavy-sessions", type=int, default=30)
    ap.add_argument("--heavy-agent", choices=["plain", "browser", "mixed"], default="mixed",
                    help="heavy wave sessions: synchronous, browser-like (background jobs) "
                         "or every other one")
    ap.add_argument("--starve-clients", type=int, default=3)
    ap.add_argument("--abandon-sessions", type=int, default=20)
    ap.add_argument("--abandon-after", type=float, default=1.5)
    ap.add_argument("--abandon-watch", type=float, default=10.0)
    ap.add_argument("--wave-compare", type=int, default=30)
    ap.add_argument("--wave-playground", type=int, default=30)
    ap.add_argument("--visitors", type=int, default=4,
                    help="small Playground runs opened during the wave")
    ap.add_argument("--visitor-every", type=float, default=5.0, help="seconds between them")
    ap.add_argument("--wave-timeout", type=float, default=900.0)
    ap.add_argument("--wave-settle", type=float, default=10.0,
                    help="seconds after the wave before its RSS is read again")
    ap.add_argument("--waves", type=int, default=1,
                    help="waves one after the other (new links each time): does the memory "
                         "after the second come back to where the first left it?")
    ap.add_argument("--wave-later", type=float, default=0.0,
                    help="also read the RSS this many seconds after the wave, after one more "
                         "small visit (longer than the server's disconnectedSessionTTL: the "
                         "sessions kept for a reconnect are gone then)")
    ap.add_argument("--back-mb", type=float, default=60.0,
                    help="memory counts as back if the RSS after the wave is at most this "
                         "many MB above the level before it")
    ap.add_argument("--wave-probe", nargs="*", default=["report"],
                    choices=["report", "trim", "caches", "sessions"],
                    help="ask the server after the wave (in this order): report = its RSS, "
                         "cached bytes and sessions; trim = gc + malloc_trim first; caches = "
                         "clear every st.cache_data first; sessions = drop the sessions kept "
                         "for a reconnect first (the last two change the server's state)")
    ap.add_argument("--small-visitor-max", type=float, default=5.0,
                    help="goal for the small visitor's latency, seconds (printed, not failed)")
    ap.add_argument("--browser", action="store_true",
                    help="Chromium pages (Playwright) instead of websocket clients")
    ap.add_argument("--timeout", type=float, default=180.0, help="per session, seconds")
    ap.add_argument("--max-rss-mb", type=float, default=MAX_RSS_MB)
    ap.add_argument("--gc-after-training", action="store_true",
                    help="experiment: gc.collect() after every train/train_many in the server")
    ap.add_argument("--no-live-draw", action="store_true",
                    help="experiment: runs.train_live draws no partial frames while training")
    args = ap.parse_args(argv)
    class_failed = 0
    if "class" in args.scenarios:  # its own servers (and Redis): scripts/load_class.py
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import load_class

        class_failed = load_class.run(args)
        args.scenarios = [s for s in args.scenarios if s != "class"]
        if not args.scenarios:
            return class_failed

    with tempfile.TemporaryDirectory(prefix="ae-load-") as tmp:
        server = Server(args.port, Path(tmp), args.gc_after_training, args.no_live_draw)
        t_start = time.monotonic()
        server.start()
        sampler = RssSampler(server.proc.pid)
        sampler.start()
        time.sleep(0.5)
        baseline = sampler.mark()
        rows: list[Row] = []
        waves: list[Wave] = []
        heavy_rows: list[tuple[str, str, float, float, str, float, str]] = []
        visit_rows: list[Visits] = []
        issue26: list[Callable[[], None]] = []  # printers of the issue-26 scenarios
        failed26 = 0
        page_scenarios = [n for n in args.scenarios if n in ("cold", "warm", "distinct")]
        try:
            if "heavy" in args.scenarios:
                heavy_rows = heavy(server, sampler, args.wave_timeout)
                print_heavy(heavy_rows)
            if "visits" in args.scenarios:
                visit_rows = warm_visits(server, args.visit_pages, args.sessions, args.timeout)
            if "heavywave" in args.scenarios:
                hw = heavy_wave(server, sampler, args.heavy_sessions, args.wave_timeout,
                                args.heavy_agent)
                failed26 += hw.errors
                issue26.append(lambda hw=hw: print_heavy_wave(hw, args.max_rss_mb))
                issue26[-1]()
            if "starve" in args.scenarios:
                sv = starvation(server, args.starve_clients, args.timeout)
                failed26 += sv.errors
                issue26.append(lambda sv=sv: print_starvation(sv))
                issue26[-1]()
            if "abandon" in args.scenarios:
                ab = abandon(server, args.abandon_sessions, args.abandon_after,
                             args.abandon_watch, args.timeout)
                failed26 += ab.errors
                issue26.append(lambda ab=ab: print_abandon(ab))
                issue26[-1]()
            for _ in range(args.waves if "wave" in args.scenarios else 0):
                waves.append(wave(server, sampler, args.wave_compare, args.wave_playground,
                                  args.visitors, args.visitor_every, args.wave_timeout,
                                  args.wave_settle, tuple(args.wave_probe),
                                  args.wave_later, first_seed=2000 + 100 * len(waves)))
                print_wave(waves[-1], args.back_mb)
            for page in args.pages if page_scenarios else []:
                for name in page_scenarios:
                    if name == "distinct":
                        queries = [{"seed": str(1000 + i)} for i in range(args.sessions)]
                    else:
                        queries = [{} for _ in range(args.sessions)]
                    row = scenario(server, sampler, name, page, queries, args.timeout,
                                   args.browser)
                    rows.append(row)
                    print(f"{page:10s} {name:8s} done: {row.errors} errors, slowest "
                          f"{row.slowest:.2f} s, {row.models} networks trained, "
                          f"peak {row.peak_mb:.0f} MB", flush=True)
        finally:
            sampler.stop()
            log_tail = server.tail()
            server.stop()
        peak = sampler.peak_kb / 1024
        if rows:
            print_table(rows, baseline, peak, "browser" if args.browser else "websocket")
        else:
            print(f"\nserver idle {baseline:.0f} MB, peak {peak:.0f} MB")
        if heavy_rows:
            print_heavy(heavy_rows)
        if visit_rows:
            print_visits(visit_rows)
        for show in issue26:
            show()
        for w in waves:
            print_wave(w, args.back_mb)
            if w.visitor and max(w.visitor) > args.small_visitor_max:
                print(f"NOTE: a small visitor waited {max(w.visitor):.1f} s "
                      f"(goal {args.small_visitor_max:.0f} s)")
        for line in cache_savings(rows):
            print("cache:", line)
        for r in rows:
            for note in r.notes[:10]:
                print(f"  [{r.page}/{r.scenario}] {note}")
        for v in visit_rows:
            for note in v.notes[:10]:
                print(f"  [{v.page}/visits] {note}")
        print(f"total wall time {time.monotonic() - t_start:.1f} s")
        failed = sum(r.errors for r in rows) + sum(w.errors + w.visitor_errors for w in waves) \
            + sum(bool(h[4]) for h in heavy_rows) + sum(v.errors for v in visit_rows) + failed26
        ok = failed == 0 and peak <= args.max_rss_mb and not class_failed
        if failed:
            print(f"FAIL: {failed} sessions failed; server log tail:\n{log_tail}")
        if peak > args.max_rss_mb:
            print(f"FAIL: peak memory {peak:.0f} MB > {args.max_rss_mb:.0f} MB")
        print("OK" if ok else "NOT OK")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
