"""What the server keeps after a wave of links (issue 14): caches bounded by pickled bytes (the
link a class keeps opening stays in), no session keeping a page's namespace (its records,
charts, payload) alive, and a collection once the trainings have stopped. Bytes and entries
are counted, never timed."""

from __future__ import annotations

import gc
import pickle
import re
import threading
import tomllib
import types
from pathlib import Path

import pytest
from streamlit.runtime.caching import cache_data_api

from explorer import compare as cmp
from explorer.app import runs
from explorer.config import TrainConfig
from explorer.train import train, train_many
from tests.pagetest import ROOT, page_file, run

PAGES = ["playground", "compare", "vanishing", "dead_relu", "zigzag", "gallery", "lesson"]


def _cached_bytes(name: str) -> int:
    """Pickled bytes st.cache_data holds for the functions named ``name`` (the last part of the
    display name: ``link`` is not ``wave_link``)."""
    total = 0
    for stats in cache_data_api._data_caches.get_stats().values():
        total += sum(s.byte_length for s in stats if s.cache_name.rsplit(".", 1)[-1] == name)
    return total


# ----------------------------------------------------------------------------- the caches
def test_a_shared_cache_is_bounded_by_bytes_and_keeps_the_link_in_use():
    calls: list[int] = []

    @runs.shared_cache(max_bytes=1_000_000, max_entries=100)
    def wave_link(seed: int) -> bytes:
        calls.append(seed)
        return bytes(200_000 + seed)  # ~200 KB pickled, all different

    wave_link.clear()
    wave_link(0)  # the lecturer's link
    for seed in range(1, 40):  # a wave of distinct links while the class keeps opening link 0
        wave_link(seed)
        wave_link(0)
        assert _cached_bytes("wave_link") <= 1_000_000
    assert calls.count(0) == 1  # trained once, served from the cache ever after
    assert sorted(set(calls)) == list(range(40))
    assert _cached_bytes("wave_link") > 600_000  # the bound is used, not left empty
    calls.clear()
    wave_link(1)  # an old link of the wave was pushed out: trained again (the same value)
    assert calls == [1]


def test_a_shared_cache_is_bounded_by_entries_too():
    calls: list[int] = []

    @runs.shared_cache(max_bytes=10**9, max_entries=3)
    def small_link(seed: int) -> int:
        calls.append(seed)
        return seed

    small_link.clear()
    for seed in range(5):
        small_link(seed)
    small_link(4)
    small_link(0)
    assert calls == [0, 1, 2, 3, 4, 0]  # only the last 3 were kept


def test_the_training_caches_have_their_byte_bounds():
    assert runs.train_one_cached._info.max_size_bytes == runs.RUN_CACHE_BYTES
    assert runs.train_group_cached._info.max_size_bytes == runs.RUNS_CACHE_BYTES
    assert runs.train_one_cached._info.max_entries == runs.CACHE_ENTRIES
    # everything the training caches can hold after a wave: well under the peak's headroom
    assert runs.RUN_CACHE_BYTES + runs.RUNS_CACHE_BYTES <= 48 * 2**20


def test_a_lecture_worth_of_default_links_fits_the_bounds():
    """The caches must still serve a lecture: several default links fit at once."""
    playground = len(pickle.dumps(train(TrainConfig())))
    compare = len(pickle.dumps(train_many(cmp.configs_for(cmp.BASE, cmp.DEFAULT_ACTS)[0])))
    assert 8 * playground <= runs.RUN_CACHE_BYTES
    assert 4 * compare <= runs.RUNS_CACHE_BYTES


def test_every_page_cache_is_a_bounded_shared_cache():
    """No page (nor the Streamlit layer, explorer/app) decorates with a bare st.cache_data:
    each cache is ``runs.shared_cache`` with a byte bound."""
    sources = [*sorted((ROOT / "pages").glob("*.py")),
               *sorted((ROOT / "explorer" / "app").glob("*.py"))]
    found = 0
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"@st\.cache_(data|resource)", text), path
        for m in re.finditer(r"@(?:runs\.)?shared_cache\(([^,]+),", text):
            found += 1
            allowed = {"runs.PAGE_CACHE_BYTES", "PAGE_CACHE_BYTES"}
            if path.name == "runs.py":  # the training caches themselves (bounds tested above)
                allowed |= {"RUN_CACHE_BYTES", "RUNS_CACHE_BYTES"}
            assert m.group(1).strip() in allowed, (path, m.group(0))
    assert found >= 7  # compare (2), zigzag, lesson, gallery (2), the player's step frames


def test_disconnected_sessions_are_kept_for_less_than_streamlits_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    ttl = config["server"]["disconnectedSessionTTL"]
    assert 0 < ttl < 120


def test_the_shared_server_watches_no_source_files():
    """Streamlit's file watcher (its default, "auto") checks every module's path after each
    script run: more server CPU per warm visit than the page itself (scripts/load_test.py
    --scenarios visits, AE_WATCHER=auto to compare). The shipped config turns it off, and the
    load script measures the shipped config."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["runOnSave"] is False
    script = (ROOT / "scripts" / "load_test.py").read_text(encoding="utf-8")
    assert '"--server.fileWatcherType", "none"' not in script


# ----------------------------------------------------------------------------- the sessions
def _page_namespaces(*roots: object, limit: int = 400_000) -> set[str]:
    """Page scripts (pages/*.py) whose namespace is reachable from ``roots`` through the
    objects they refer to (a function's globals are checked, not walked)."""
    found: set[str] = set()
    seen: set[int] = set()
    todo = list(roots)
    while todo and len(seen) < limit:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (types.ModuleType, type)):
            continue
        seen.add(id(obj))
        if isinstance(obj, types.FunctionType):
            path = str(obj.__globals__.get("__file__", ""))
            if Path(path).parent.name == "pages":
                found.add(Path(path).name)
            todo.extend([obj.__closure__ or (), obj.__defaults__ or (),
                         obj.__kwdefaults__ or {}])
            continue
        if isinstance(obj, dict) and "__builtins__" in obj:  # a module's namespace
            if Path(str(obj.get("__file__", ""))).parent.name == "pages":
                found.add(Path(str(obj["__file__"])).name)
            continue
        todo.extend(gc.get_referents(obj))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_a_session_keeps_no_page_namespace(page):
    """Streamlit keeps a session's widget functions (format_func, callbacks) and fragments
    after the run, for a disconnected session too; a function of the page script would keep
    the page's records, charts and payload alive with it."""
    at = run(page_file(page))
    assert not at.exception, [e.value for e in at.exception]
    assert _page_namespaces(at._session_state, at._fragment_storage) == set()


def test_the_namespace_check_can_fail():
    at = run(page_file("zigzag"))
    page_globals = {"__file__": str(ROOT / "pages" / "zigzag.py"), "__builtins__": {}}
    leak = types.FunctionType((lambda v: v).__code__, page_globals)
    at.session_state["leak"] = {"format_func": leak}
    assert _page_namespaces(at._session_state, at._fragment_storage) == {"zigzag.py"}


# ----------------------------------------------------------------------------- the collector
class _Busy:
    running = 0
    waiting = 0


def test_the_idle_collector_runs_once_the_trainings_stopped(monkeypatch):
    # only this thread's trims count: a background training of an earlier test in the same
    # worker may end (and trim) meanwhile
    me = threading.get_ident()
    trims: list[int] = []
    monkeypatch.setattr(runs, "release_memory",
                        lambda: trims.append(1) if threading.get_ident() == me else None)
    sched = _Busy()
    idle = runs.IdleCollector(sched, after=3600.0)
    idle.poke()  # a training ended: a quiet-spell timer waits
    timer = idle._timer
    assert timer is not None and timer.is_alive()
    idle.poke()  # another ended: the timer starts again
    assert not timer.is_alive() or timer.finished.is_set()
    idle._timer.cancel()
    sched.running = 1  # (what the timer calls) a training runs: nothing collected
    idle._collect()
    assert idle.runs == 0 and trims == []
    sched.running, sched.waiting = 0, 1
    idle._collect()
    assert idle.runs == 0
    sched.waiting = 0
    idle._collect()  # quiet: one collection and one trim
    assert idle.runs == 1 and trims == [1]


def test_every_training_slot_pokes_the_collector(monkeypatch):
    pokes: list[int] = []
    monkeypatch.setattr(runs.IDLE, "poke", lambda: pokes.append(1))
    with runs.training_slot(1.0):
        pass
    assert pokes == [1]
