"""The load script's class scenario (issue 28's proof): one lecturer and many students in one
room on the Lesson page, as raw websocket sessions (``load_test.py --scenarios class``).

* The lecturer opens the Lesson page and presses "Start a class" (the sidebar button), reads
  the join link off its page (``?room=CODE``) and every student opens that link.
* The students follow the room as a browser does: the server pushes each move of the room
  to their view fragment (explorer.app.room_push: a fragment run the session receives without
  asking); the fragment's own safety-net interval (``st.fragment(run_every=...)``, 30 s) is
  rerun by each session like the browser's timer. A tap on a widget inside a fragment is
  sent as that fragment's run, as the browser sends it. Printed: the students' full page and
  fragment runs after Next (the design: one fragment run each, no page).
* The lecturer presses Next (the same widget message a browser sends: a trigger value for the
  button's element id). Per student: the time from that message to the session receiving the
  new step's question (a markdown delta with its text); p50 / p95 / max (issue target: p95 <=
  2 s, printed, not failed).
* Every student taps one answer (student ``i``: option ``i % options``); every tenth then sends
  its pill message again with another option (a forged second answer). The lecturer presses
  Reveal. The counts the room holds are read through the store (inside the server: the
  launcher's room probe calls ``explorer.app.classroom.room_store().state``; with Redis also
  from Redis directly) and off the answers chart the lecturer's page (and, with two processes,
  one student's page on each) shows after the reveal: each must equal what was cast, summing
  to exactly the number of students. A wrong count is a failure (exit code 1).
* The server's peak RSS (its process tree, target < 690 MB) and its CPU seconds per
  student-minute (while the room only polls, and over the whole class) are printed.

``--room-store redis`` runs it on a Redis store (a ``redis-server`` this script starts on a
free port, never the system one) with TWO app processes: students alternate between them,
the lecturer is on the first; both processes must show the same counts.

Sessions run on one asyncio loop in this process (300 threads would mostly measure threads).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import load_test as lt

#: the issue's targets (printed beside the measurement, never failed on)
P95_TARGET = 2.0
RSS_TARGET_MB = 690.0
#: seconds the room only polls (no move): the server's CPU per student-minute at rest
IDLE_WINDOW = 20.0

#: the launcher with a room probe: ``AE_ROOM_PROBE_DIR/request`` holds a room code; the answer
#: (``response``) is that room's state through the process's own store (the public API)
ROOM_PROBE = r"""
import os, threading, time, json
def _serve_room_probe(probe_dir):
    request = os.path.join(probe_dir, "request")
    while True:
        time.sleep(0.1)
        if not os.path.exists(request):
            continue
        with open(request) as f:
            code = f.read().strip()
        os.remove(request)
        try:
            from explorer.app import classroom
            s = classroom.room_store().state(code)
            out = {"step": s.step, "round": s.round, "revealed": s.revealed,
                   "students": s.students, "answered": s.answered,
                   "counts": [list(c) for c in s.counts] if s.counts else None,
                   "store": type(classroom.room_store()).__name__}
        except Exception as e:
            out = {"error": repr(e)}
        tmp = os.path.join(probe_dir, "response.tmp")
        with open(tmp, "w") as f:
            json.dump(out, f)
        os.replace(tmp, os.path.join(probe_dir, "response"))
def _sample_stacks(out_path, every=0.005):
    # a sampling profiler (no py-spy here): every few ms the Python stack of every busy thread
    # (one not waiting in select/sleep/a lock); inclusive samples per function, written to
    # out_path every 2 s
    import collections, sys
    me, idle = threading.get_ident(), {"select", "wait", "sleep", "_worker", "accept", "poll",
                                       "readline", "recv", "_wait_for_tstate_lock", "get"}
    loops = {"_serve_room_probe", "serve_probe", "task"}
    counts, total, last = collections.Counter(), 0, time.monotonic()
    while True:
        time.sleep(every)
        for tid, frame in sys._current_frames().items():
            if tid == me or frame.f_code.co_name in idle:
                continue
            f, skip = frame, False
            while f is not None and not skip:  # the probes' and file watcher's loops
                skip = f.f_code.co_name in loops
                f = f.f_back
            if skip:
                continue
            total += 1
            seen, f = set(), frame
            while f is not None:
                key = f"{f.f_code.co_filename.split('site-packages/')[-1]}:{f.f_code.co_name}"
                if key not in seen:
                    seen.add(key)
                    counts[key] += 1
                f = f.f_back
        if os.path.exists(out_path + ".reset"):  # the load script starts a window
            os.remove(out_path + ".reset")
            counts.clear()
            total = 0
        if time.monotonic() - last > 2:
            last = time.monotonic()
            with open(out_path + ".tmp", "w") as fh:
                json.dump({"total": total, "top": counts.most_common(60)}, fh)
            os.replace(out_path + ".tmp", out_path)
if os.environ.get("AE_PROFILE_OUT"):
    threading.Thread(target=_sample_stacks, args=(os.environ["AE_PROFILE_OUT"],), daemon=True,
                     name="ae-profile").start()
if os.environ.get("AE_ROOM_PROBE_DIR"):
    threading.Thread(target=_serve_room_probe, args=(os.environ["AE_ROOM_PROBE_DIR"],),
                     daemon=True, name="ae-room-probe").start()
"""


def room_probe(server: lt.Server, code: str, timeout: float = 20.0) -> dict:
    """The room's state as the server's own store holds it ({} if it does not answer)."""
    d = server.probe_dir.parent / "room_probe"
    response = d / "response"
    response.unlink(missing_ok=True)
    (d / "request.tmp").write_text(code)
    (d / "request.tmp").replace(d / "request")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if response.exists():
            return json.loads(response.read_text())
        time.sleep(0.05)
    return {}


def start_server(port: int, log_dir: Path, store: str, profile: bool = False) -> lt.Server:
    """An app process on ``port`` with the room store ``store`` and the room probe; with
    ``profile`` also the stack sampler (``log_dir/profile.json``)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / "room_probe").mkdir(exist_ok=True)
    env = {"AE_ROOM_STORE": store, "AE_ROOM_PROBE_DIR": str(log_dir / "room_probe")}
    if profile:
        env["AE_PROFILE_OUT"] = str(log_dir / "profile.json")
    server = lt.Server(port, log_dir, env=env, launcher=ROOM_PROBE + lt.LAUNCHER)
    server.start()
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A private ``redis-server`` on a free port (no persistence), stopped by ``stop``."""

    def __init__(self, log_dir: Path, port: int = 0) -> None:
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log_dir / "redis.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> None:
        exe = shutil.which("redis-server") or "/usr/bin/redis-server"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no"], stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        import redis
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_timeout=1).ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server on {self.port} did not answer")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# ----------------------------------------------------------------------------- a session


class Session:
    """One websocket session of a tab on the Lesson page (nothing drawn): keeps the elements
    it was sent, reruns its polling fragments at their interval like the browser, follows the
    query string the server writes, and sends widget messages (button triggers, a pill)."""

    def __init__(self, base_url: str, page: str, query: dict[str, str]) -> None:
        self.ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        self.page, self.query = page, urlencode(query)
        self.page_hash = ""
        self.elements: dict[tuple[int, ...], object] = {}
        self.element_fragment: dict[tuple[int, ...], str] = {}  # path -> its fragment's id
        self.fragments: dict[str, float] = {}
        self.watched: dict[str, float] = {}  # text -> first time a markdown showed it
        self.errors: list[str] = []
        self.full_runs = 0  # full script runs finished (fragment runs not counted)
        self.fragment_runs = 0  # fragment runs finished (polls, pushes, taps in a fragment)
        self.polls = 0
        self.closed = False
        self._ws = None
        self._tasks: list[asyncio.Task] = []
        self._finished = asyncio.Event()
        self._gen = 0

    async def open(self, timeout: float) -> None:
        from websockets.asyncio.client import connect
        self._ws = await asyncio.wait_for(
            connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                    open_timeout=timeout, ping_interval=None), timeout)
        self._tasks.append(asyncio.create_task(self._read()))
        await self.rerun()

    async def close(self) -> None:
        self.closed = True
        for t in self._tasks:
            t.cancel()
        if self._ws is not None:
            await self._ws.close()

    async def rerun(self, widget_states: list | None = None, fragment_id: str = "") -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = self.page
        if self.page_hash:
            msg.rerun_script.page_script_hash = self.page_hash
        if fragment_id:
            msg.rerun_script.fragment_id = fragment_id
            msg.rerun_script.is_auto_rerun = not widget_states
        for ws in widget_states or []:
            msg.rerun_script.widget_states.widgets.append(ws)
        if not fragment_id or widget_states:  # a full run, or a tap in a fragment
            self._finished.clear()
        await self._ws.send(msg.SerializeToString())

    async def wait_run(self, timeout: float) -> bool:
        """Until the full run started by the last ``rerun`` has finished."""
        try:
            await asyncio.wait_for(self._finished.wait(), timeout)
            return True
        except TimeoutError:
            return False

    def watch(self, text: str) -> None:
        self.watched.setdefault(text, 0.0)

    def widget(self, kind: str, key: str):
        """The last ``kind`` element ("button", "button_group") whose id carries ``key``."""
        for el in self.elements.values():
            if el.WhichOneof("type") == kind and getattr(el, kind).id.endswith(key):
                return getattr(el, kind)
        return None

    def fragment_of(self, widget_id: str) -> str:
        """The id of the fragment a widget was drawn in ("" outside any): a browser sends a
        tap on it as a run of that fragment."""
        for path, el in self.elements.items():
            kind = el.WhichOneof("type")
            if kind in ("button", "button_group") and getattr(el, kind).id == widget_id:
                return self.element_fragment.get(path, "")
        return ""

    def charts(self) -> list:
        return [el.vega_lite_chart for el in self.elements.values()
                if el.WhichOneof("type") == "vega_lite_chart"]

    def markdowns(self) -> list[str]:
        return [el.markdown.body for el in self.elements.values()
                if el.WhichOneof("type") == "markdown"]

    async def click(self, key: str) -> bool:
        from streamlit.proto.WidgetStates_pb2 import WidgetState
        button = self.widget("button", key)
        if button is None:
            return False
        await self.rerun([WidgetState(id=button.id, trigger_value=True)],
                         self.fragment_of(button.id))
        return True

    async def choose(self, key: str, option: int, group=None) -> bool:
        from streamlit.proto.WidgetStates_pb2 import WidgetState
        group = group or self.widget("button_group", key)
        if group is None or not 0 <= option < len(group.options):
            return False
        ws = WidgetState(id=group.id)
        ws.string_array_value.data.append(group.options[option].content)
        await self.rerun([ws], self.fragment_of(group.id))
        return True

    async def _poll(self, fid: str, interval: float, gen: int) -> None:
        """The browser's timer for a fragment with run_every: a rerun of it every interval."""
        while not self.closed and self._gen == gen and fid in self.fragments:
            await asyncio.sleep(interval)
            if self.closed or self._gen != gen or fid not in self.fragments:
                return
            self.polls += 1
            try:
                await self.rerun(fragment_id=fid)
            except Exception as e:
                self.errors.append(f"poll: {type(e).__name__}: {e}")
                return

    async def _read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        try:
            async for data in self._ws:
                now = time.monotonic()
                fm = ForwardMsg()
                fm.ParseFromString(data)
                kind = fm.WhichOneof("type")
                if os.environ.get("AE_CLASS_DEBUG"):
                    print(f"{now:.2f} {id(self) % 1000} {kind} "
                          f"{fm.script_finished if kind == 'script_finished' else ''}")
                if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    el = fm.delta.new_element
                    self.elements[tuple(fm.metadata.delta_path)] = el
                    self.element_fragment[tuple(fm.metadata.delta_path)] = fm.delta.fragment_id
                    what = el.WhichOneof("type")
                    if what == "exception":
                        self.errors.append(f"exception: {el.exception.type}: "
                                           f"{el.exception.message}")
                    elif what == "markdown" and self.watched:
                        for text, seen in self.watched.items():
                            if not seen and text in el.markdown.body:
                                self.watched[text] = now
                elif kind == "navigation":  # the page this run is on (st.navigation)
                    self.page_hash = fm.navigation.page_script_hash or self.page_hash
                elif kind == "new_session" and not fm.metadata.run.fragment_ids:
                    self.fragments.clear()  # a full run registers its fragments again
                    self.elements.clear()  # and sends every element again
                    self.element_fragment.clear()
                    self._gen += 1
                elif kind == "page_info_changed":
                    self.query = fm.page_info_changed.query_string
                elif kind == "auto_rerun":
                    fid = fm.auto_rerun.fragment_id
                    self.fragments[fid] = fm.auto_rerun.interval
                    self._tasks.append(asyncio.create_task(
                        self._poll(fid, fm.auto_rerun.interval, self._gen)))
                elif kind == "stop_auto_rerun":
                    for fid in fm.stop_auto_rerun.fragment_ids:
                        self.fragments.pop(fid, None)
                elif kind == "script_finished":
                    status = fm.script_finished
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue
                    if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                        self.full_runs += 1
                        self._finished.set()
                    elif status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                        self.fragment_runs += 1
                        self._finished.set()  # (a tap's fragment run; pushes set it too)
                    elif status != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                        self.errors.append(ForwardMsg.ScriptFinishedStatus.Name(status))
                        self._finished.set()
        except asyncio.CancelledError:
            raise
        except Exception as e:
            if not self.closed:
                self.errors.append(f"socket: {type(e).__name__}: {e}")
        finally:
            self._finished.set()


def chart_counts(charts: list) -> list[int] | None:
    """The per-option counts of the class-answers chart among ``charts`` (its data has the
    columns answer / count / mark; one round), None if no such chart."""
    import pyarrow as pa

    for chart in charts:
        for ds in chart.datasets:
            try:
                table = pa.ipc.open_stream(ds.data.data).read_all()
            except Exception:
                continue
            if {"answer", "count", "mark"} <= set(table.column_names):
                return [int(v) for v in table.column("count").to_pylist()]
        spec = json.loads(chart.spec or "{}")
        for ds in (spec.get("datasets") or {}).values():  # data inlined in the spec
            if ds and {"answer", "count", "mark"} <= set(ds[0]):
                return [int(r["count"]) for r in ds]
    return None


# ----------------------------------------------------------------------------- the class


@dataclass
class ClassResult:
    store: str
    students: int
    processes: int
    join_seconds: float = 0.0
    next_latency: list[float] = field(default_factory=list)  # per student that saw it
    next_missing: int = 0
    lecturer_next: float = 0.0  # the lecturer's own run after Next
    next_cpu: float = 0.0  # server CPU seconds per student from Next until all followed
    reveal_latency: list[float] = field(default_factory=list)
    reveal_missing: int = 0
    cast: list[int] = field(default_factory=list)
    forged: int = 0
    counts: dict[str, list[int] | None] = field(default_factory=dict)  # where -> counts
    rss_peak_mb: list[float] = field(default_factory=list)  # per process
    idle_cpu: float = 0.0  # CPU s per student-minute while only polling
    total_cpu: float = 0.0  # over the whole class
    idle_polls: float = 0.0  # polls per second the students sent while idle
    idle_runs: float = 0.0  # script runs per second the students' sessions had while idle
    next_runs: tuple[int, int] = (0, 0)  # the students' (full page, fragment) runs after Next
    cpu_per_poll: float = 0.0  # server CPU seconds per poll while idle
    load: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)  # AE_CLASS_PROFILE=1: where CPU went
    memory: list[str] = field(default_factory=list)  # the servers' own report after the joins

    @property
    def counts_ok(self) -> bool:
        return bool(self.counts) and all(c == self.cast for c in self.counts.values()) \
            and sum(self.cast) == self.students


def say(text: str) -> None:
    print(f"  class {time.strftime('%H:%M:%S')} {text} (load {loadavg()})", flush=True)


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def pct(xs: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of xs; nan if empty."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(q * len(s) + 0.5)) - 1))]


def step_question(n: int, lang: str = "en") -> tuple[str, int]:
    """Lesson step n's question text and number of answer options (explorer.lesson)."""
    sys.path.insert(0, str(lt.REPO_ROOT))
    from explorer import lesson
    from explorer.lesson import predict as pr
    name = lesson.step(n).name
    return pr.question_text(name, lang), len(pr.option_labels(name, lang))


async def run_class(servers: list[lt.Server], n_students: int, timeout: float,
                    result: ClassResult, idle: float = IDLE_WINDOW, join_batch: int = 25,
                    redis_url: str = "", pause: float = 1.0) -> None:
    """The class on ``servers`` (the lecturer on the first, student i on server i % n);
    ``pause``: the seconds left between the phases."""
    answer_spread = min(3.0, 0.01 * n_students)  # seconds over which the answers come
    pids = [s.proc.pid for s in servers]
    cpu0 = sum(lt.cpu_seconds(p) for p in pids)
    t_class = time.monotonic()
    lecturer = Session(servers[0].url, "lesson", {"step": "1"})
    await lecturer.open(timeout)
    await lecturer.wait_run(timeout)
    if not await lecturer.click("room_start") or not await lecturer.wait_run(timeout):
        result.errors.append("lecturer: no 'Start a class' button / run")
        return
    room = dict(parse_qsl(lecturer.query))
    code = room.get("room", "")
    join = next((m.group(0) for md in lecturer.markdowns()
                 for m in [re.search(r"\S*\?room=[A-Z]{6}\b", md)] if m), "")
    if not code or not join or "key" not in room:
        result.errors.append(f"lecturer: no room in its URL {lecturer.query!r} or no join "
                             f"link in {lecturer.markdowns()}")
        return
    join_query = dict(parse_qsl(urlsplit(join.strip("*")).query))
    page = urlsplit(join.strip("*")).path.strip("/") or "lesson"
    q1, _ = step_question(1)
    q2, n_options = step_question(2)

    # the students open the join link, a batch at a time (a class joins over some seconds)
    students = [Session(servers[i % len(servers)].url, page, join_query)
                for i in range(n_students)]
    t0 = time.monotonic()
    for b in range(0, n_students, join_batch):
        batch = students[b:b + join_batch]
        for s in batch:
            s.watch(q1)
            s.watch(q2)
        await asyncio.gather(*(s.open(timeout) for s in batch), return_exceptions=True)
        await asyncio.gather(*(s.wait_run(timeout) for s in batch))
    result.join_seconds = time.monotonic() - t0
    say(f"{n_students} students joined room {code} in {result.join_seconds:.1f} s")
    for k, server in enumerate(servers):  # what the sessions hold (the launcher's probe)
        rep = (server.probe("report") or [{}])[0]
        result.memory.append(
            f"process {k + 1} after the joins: RSS {rep.get('rss_mb', 0):.0f} MB, "
            f"{rep.get('active', '?')} active sessions, their session state "
            f"{rep.get('state_bytes', 0) / 2**20:.1f} MB")
    not_in = [i for i, s in enumerate(students) if not s.watched.get(q1)]
    if not_in:
        result.errors.append(f"{len(not_in)} students do not show step 1's question "
                             f"(first: {not_in[:5]}; {students[not_in[0]].errors[:2]})")
    # at rest: every student polls, nothing moves
    await asyncio.sleep(2 * pause)
    profiles = [s.probe_dir.parent / "profile.json" for s in servers]
    for prof in profiles:  # (AE_CLASS_PROFILE=1) the stacks of the window at rest alone
        prof.with_suffix(".json.reset").touch()
    polls0, c0, w0 = sum(s.polls for s in students), sum(lt.cpu_seconds(p) for p in pids), \
        time.monotonic()
    runs0 = sum(s.fragment_runs + s.full_runs for s in students)
    await asyncio.sleep(idle)
    if any(prof.exists() for prof in profiles):
        await asyncio.sleep(2.5)  # the sampler's next write
        for prof in profiles:
            if prof.exists():
                shutil.copy(prof, prof.with_name("profile_rest.json"))
    span = time.monotonic() - w0
    used = sum(lt.cpu_seconds(p) for p in pids) - c0
    result.idle_cpu = used / (n_students * span / 60)
    result.idle_polls = (sum(s.polls for s in students) - polls0) / span
    result.idle_runs = (sum(s.fragment_runs + s.full_runs for s in students) - runs0) / span
    result.cpu_per_poll = used / max(1, result.idle_polls * span)
    result.load.append(f"at rest {loadavg()}")
    say(f"at rest: {result.idle_runs:.1f} student runs/s ({result.idle_polls:.1f} polls/s), "
        f"{result.idle_cpu:.3f} s CPU per student-minute; the lecturer presses Next")

    # Next: the lecturer's button; per student the time until step 2's question arrives
    c_next = sum(lt.cpu_seconds(p) for p in pids)
    for prof in profiles:  # (AE_CLASS_PROFILE=1) the stacks from Next until all followed
        prof.with_suffix(".json.reset").touch()
    full0 = sum(s.full_runs for s in students)
    frag0 = sum(s.fragment_runs for s in students)
    t_next = time.monotonic()
    await lecturer.click("lesson_next")

    async def lecturer_run() -> None:  # the lecturer's own page, timed beside the students
        await lecturer.wait_run(timeout)
        result.lecturer_next = time.monotonic() - t_next

    lecturer_done = asyncio.create_task(lecturer_run())
    deadline = t_next + timeout
    while time.monotonic() < deadline and not all(s.watched[q2] for s in students):
        await asyncio.sleep(0.05)
    await lecturer_done
    if any(prof.exists() for prof in profiles):
        await asyncio.sleep(2.5)  # the sampler's next write
        for prof in profiles:
            if prof.exists():
                shutil.copy(prof, prof.with_name("profile_next.json"))
    seen = [s.watched[q2] - t_next for s in students if s.watched[q2]]
    result.next_latency, result.next_missing = seen, n_students - len(seen)
    result.next_cpu = (sum(lt.cpu_seconds(p) for p in pids) - c_next) / n_students
    result.next_runs = (sum(s.full_runs for s in students) - full0,
                        sum(s.fragment_runs for s in students) - frag0)
    result.load.append(f"after Next {loadavg()}")
    say(f"Next: {len(seen)} of {n_students} students on step 2, p95 {pct(seen, 0.95):.2f} s; "
        f"they answer")
    await asyncio.sleep(pause)

    # every student answers once (student i: option i % n), spread over a few seconds
    result.cast = [0] * n_options
    async def answer(i: int, s: Session) -> None:
        await asyncio.sleep(answer_spread * i / n_students)
        group = s.widget("button_group", f"room_answer.{code}.2.1")
        if group is None:
            s.errors.append("no answer buttons on step 2")
            return
        if await s.choose("", i % n_options, group):
            result.cast[i % n_options] += 1
        await s.wait_run(timeout)
        if i % 10 == 0:  # a forged second answer: the old pill's message, another option
            result.forged += 1
            await s.choose("", (i + 1) % n_options, group)
            await s.wait_run(timeout)
    await asyncio.gather(*(answer(i, s) for i, s in enumerate(students)))
    await asyncio.sleep(2 * pause)

    say("answers sent; the lecturer presses Reveal")
    # Reveal: the lecturer's page then shows the class's answers; so does every student's
    for s in students:
        s.watched.clear()
        s.elements.clear()
    t_rev = time.monotonic()
    await lecturer.click("room_reveal")
    await lecturer.wait_run(timeout)
    deadline = t_rev + timeout
    got: dict[int, float] = {}
    while time.monotonic() < deadline and len(got) < n_students:
        for i, s in enumerate(students):
            if i not in got and any(el.WhichOneof("type") == "vega_lite_chart"
                                    for el in list(s.elements.values())):
                if chart_counts(s.charts()) is not None:
                    got[i] = time.monotonic() - t_rev
        await asyncio.sleep(0.1)
    result.reveal_latency = sorted(got.values())
    result.reveal_missing = n_students - len(got)
    result.load.append(f"after Reveal {loadavg()}")
    say(f"Reveal: {len(got)} of {n_students} students show the class's answers")
    await asyncio.sleep(pause)
    result.counts["lecturer's page"] = chart_counts(lecturer.charts())
    for k, server in enumerate(servers):
        st = room_probe(server, code)
        if "error" in st or not st:
            result.errors.append(f"room probe of process {k + 1}: {st or 'no answer'}")
        counts = st.get("counts")
        result.counts[f"store in process {k + 1} ({st.get('store', '?')})"] = \
            counts[0][:n_options] if counts else None
        if len(servers) > 1:
            i = next((i for i in range(k, n_students, len(servers)) if i in got), None)
            result.counts[f"a student's page on process {k + 1}"] = \
                chart_counts(students[i].charts()) if i is not None else None
    if redis_url:
        result.counts["Redis, read by this script"] = redis_counts(redis_url, code, n_options)
    result.total_cpu = (sum(lt.cpu_seconds(p) for p in pids) - cpu0) / \
        (n_students * (time.monotonic() - t_class) / 60)
    await lecturer.click("room_close")
    await lecturer.wait_run(timeout)
    errs = [f"student {i}: {e}" for i, s in enumerate(students) for e in s.errors]
    result.errors += [f"lecturer: {e}" for e in lecturer.errors] + errs[:10]
    if len(errs) > 10:
        result.errors.append(f"... {len(errs) - 10} more student errors")
    await asyncio.gather(*(s.close() for s in [lecturer, *students]), return_exceptions=True)


def warm_steps(server: lt.Server, timeout: float) -> None:
    """Steps 1 and 2 once, without a room (their runs trained before the class comes)."""
    for k in (1, 2):
        lt.ws_session(server.url, "lesson", {"step": str(k)}, timeout)


def class_scenario(store: str, n_students: int, port: int, timeout: float,
                   idle: float = IDLE_WINDOW, pause: float = 1.0) -> ClassResult:
    """One class: ``store`` "memory" (one process) or "redis" (a private redis-server, two
    app processes on it)."""
    result = ClassResult(store, n_students, 2 if store == "redis" else 1)
    profile = os.environ.get("AE_CLASS_PROFILE") == "1"  # the servers' busy stacks, sampled
    with tempfile.TemporaryDirectory(prefix="ae-class-") as tmp:
        tmp_path = Path(tmp)
        redis_server = None
        servers: list[lt.Server] = []
        samplers: list[lt.RssSampler] = []
        try:
            setting = "memory"
            if store == "redis":
                redis_server = RedisServer(tmp_path)
                redis_server.start()
                setting = redis_server.url
            for k in range(result.processes):
                servers.append(start_server(port + k, tmp_path / f"app{k + 1}", setting,
                                            profile))
                samplers.append(lt.RssSampler(servers[-1].proc.pid))
                samplers[-1].start()
            for s in servers:
                warm_steps(s, timeout)
            result.load.append(f"start {loadavg()}")
            asyncio.run(run_class(servers, n_students, timeout, result, idle,
                                  redis_url=redis_server.url if redis_server else "",
                                  pause=pause))
        except Exception as e:
            result.errors.append(f"{type(e).__name__}: {e}")
        finally:
            for s in samplers:
                s.stop()
            result.rss_peak_mb = [s.peak_kb / 1024 for s in samplers]
            for s in servers:
                for name, what in (("profile_rest.json", "at rest"),
                                   ("profile_next.json", "from Next until all followed"),
                                   ("profile.json", "the whole class")):
                    prof = s.probe_dir.parent / name
                    if not prof.exists():
                        continue
                    data = json.loads(prof.read_text())
                    result.profile.append(f"process :{s.port}, {what}: {data['total']} busy "
                                          f"samples:")
                    result.profile += [f"  {100 * c / max(1, data['total']):5.1f} %  {name}"
                                       for name, c in data["top"][:40]]
                if result.errors:
                    result.errors.append(f"server :{s.port} log tail:\n{s.tail(15)}")
                s.stop()
            if redis_server is not None:
                redis_server.stop()
    return result


def redis_counts(url: str, code: str, n: int) -> list[int] | None:
    """The room's counts read from Redis by this process (a RedisStore of its own)."""
    sys.path.insert(0, str(lt.REPO_ROOT))
    from explorer.classroom import store_from_setting
    counts = store_from_setting(url).state(code).counts
    return list(counts[0][:n]) if counts else None


def print_class(r: ClassResult) -> None:
    where = "one process" if r.processes == 1 else f"{r.processes} processes"
    print()
    print(f"class: 1 lecturer + {r.students} students, {r.store} store, {where}; "
          f"students joined in {r.join_seconds:.1f} s")
    lat = r.next_latency
    print(f"  Next -> new step on a student's page: min {min(lat, default=float('nan')):.2f} s, "
          f"p50 {pct(lat, 0.5):.2f} s, p95 "
          f"{pct(lat, 0.95):.2f} s, max {max(lat, default=float('nan')):.2f} s "
          f"({len(lat)} of {r.students} students; target p95 <= {P95_TARGET:.0f} s); the "
          f"lecturer's own page ran {r.lecturer_next:.2f} s; server CPU {r.next_cpu:.3f} s per "
          f"student until all followed; the students' runs: {r.next_runs[0]} full page, "
          f"{r.next_runs[1]} fragment")
    rev = r.reveal_latency
    print(f"  Reveal -> class's answers on a student's page: p50 {pct(rev, 0.5):.2f} s, p95 "
          f"{pct(rev, 0.95):.2f} s, max {max(rev, default=float('nan')):.2f} s "
          f"({len(rev)} of {r.students} students)")
    print(f"  answers cast: {r.cast} (sum {sum(r.cast)}); {r.forged} forged second answers "
          f"sent (must not count)")
    for where_, counts in r.counts.items():
        ok = "ok" if counts == r.cast else "WRONG"
        print(f"    {where_:40s} {counts} sum {sum(counts) if counts else '-'}  {ok}")
    peaks = ", ".join(f"{mb:.0f} MB" for mb in r.rss_peak_mb)
    print(f"  server RSS peak: {peaks} (target < {RSS_TARGET_MB:.0f} MB per process)")
    for line in r.memory:
        print(f"    {line}")
    print(f"  server CPU per student-minute: {r.idle_cpu:.3f} s at rest "
          f"({r.idle_runs:.1f} student runs/s, {r.idle_polls:.1f} of them polls), "
          f"{r.total_cpu:.3f} s over the whole class")
    print(f"  load average (1, 5, 15 min): {'; '.join(r.load)}")
    for line in r.profile:
        print(f"  [profile] {line}")
    for e in r.errors[:20]:
        print(f"  [class] {e}")
    print(f"  counts {'OK' if r.counts_ok else 'WRONG'}")


def run(args) -> int:
    """``load_test.py --scenarios class``: 0 if every count is right."""
    stores = ["memory", "redis"] if args.room_store == "both" else [args.room_store]
    failed = 0
    for store in stores:
        r = class_scenario(store, args.students, args.port, args.timeout, args.class_idle)
        print_class(r)
        failed += not r.counts_ok or bool(r.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--room-store", choices=["memory", "redis", "both"], default="memory")
    ap.add_argument("--port", type=int, default=lt.DEFAULT_PORT)
    ap.add_argument("--timeout", type=float, default=180.0)
    ap.add_argument("--class-idle", type=float, default=IDLE_WINDOW)
    sys.exit(run(ap.parse_args()))
