"""Smoke test of scripts/load_test.py: its pieces, and a two-session run on a server of its own
(which also checks that the training-count hook still finds the engine's training entry)."""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "scripts" / "load_test.py"


@pytest.fixture(scope="module")
def lt():
    spec = importlib.util.spec_from_file_location("load_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module
    spec.loader.exec_module(module)
    return module


def test_rss_of_own_process_tree(lt):
    pid = os.getpid()
    assert pid in lt.tree_pids(pid)
    assert lt.tree_pids(1)[0] == 1
    kb = lt.rss_kb(pid)
    assert 10_000 < kb < 10_000_000  # a Python with numpy: tens of MB, not 0, not 10 GB
    assert lt.rss_kb(2**22 + 12345) == 0  # no such process
    sampler = lt.RssSampler(pid, every=0.01)
    sampler.start()
    for _ in range(2000):  # until it has sampled (a loaded machine may be slow to run it)
        if sampler.peak_kb:
            break
        time.sleep(0.01)
    sampler.stop()
    assert sampler.peak_kb >= kb * 0.5
    assert sampler.mark() > 0


def test_concurrent_start_and_table(lt, capsys):
    starts = []

    def session(i):
        starts.append(time.monotonic())
        return lt.Outcome(seconds=0.1 * (i + 1), charts=4)

    out = lt.run_concurrently(session, 5)
    assert [o.seconds for o in out] == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])
    assert max(starts) - min(starts) < 0.5  # all released by the barrier together
    rows = [lt.Row("cold", "playground", 20, 0, 1.0, 2.0, 1, 1, 1, 3, 300.0),
            lt.Row("distinct", "playground", 20, 0, 5.0, 9.0, 20, 20, 20, 0, 400.0)]
    lt.print_table(rows, 200.0, 400.0, "websocket")
    text = capsys.readouterr().out
    assert "peak 400 MB" in text and "distinct" in text
    (line,) = lt.cache_savings(rows)
    assert "20 identical links -> 1 networks" in line and "20 networks" in line


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_sessions_end_to_end(lt, capsys):
    code = lt.main(["--port", str(_free_port()), "--sessions", "2", "--pages", "playground",
                    "--scenarios", "cold", "warm", "--timeout", "120"])
    out = capsys.readouterr().out
    assert code == 0, out
    cold = next(line for line in out.splitlines() if line.startswith("cold "))
    warm = next(line for line in out.splitlines() if line.startswith("warm "))
    # columns: scenario page sessions errors median slowest trainings models ...
    assert cold.split()[2:4] == ["2", "0"] and cold.split()[7] == "1", cold  # trained once
    assert warm.split()[3] == "0" and warm.split()[7] == "0", warm  # served from the cache


def test_wave_and_heavy_reports_print_the_figures(lt, capsys):
    w = lt.Wave(sessions=60, errors=0, slowest=42.0, slowest_page="compare",
                visitor=[1.5, 3.25], visitor_errors=0, peak_mb=600.0, after_mb=300.0,
                baseline_mb=250.0, by_page={"compare": (30, 20.0, 42.0),
                                            "playground": (30, 5.0, 9.0)})
    lt.print_wave(w)
    later = lt.Wave(sessions=60, errors=0, slowest=42.0, slowest_page="compare", visitor=[1.0],
                    visitor_errors=0, peak_mb=600.0, after_mb=400.0, baseline_mb=250.0,
                    settle=10.0, later_mb=290.0, later=70.0,
                    probe=[{"step": "report", "rss_mb": 290.0, "active": 0, "stored": 1,
                            "cached": {"explorer.app.runs.train_one_cached": 12 * 2**20,
                                       "explorer.app.runs.train_group_cached": 24 * 2**20},
                            "state_bytes": 0, "media_bytes": 0}])
    lt.print_wave(later, back_mb=60.0)
    lt.print_heavy([("vanishing", "depth=12", 7.5, 120.0, "", 3.25, "Capped: ..."),
                    ("compare", "hidden=2", 2.0, 30.0, "", 1.0, "")])
    text = capsys.readouterr().out
    assert "60 sessions at once, 0 errors; slowest page compare 42.0 s" in text
    assert "1.5, 3.2 s (slowest 3.2 s" in text and "peak 600 MB" in text and "+50 MB" in text
    assert "after 400 MB (+150 MB, 10 s after the wave): NOT back (more than +60 MB" in text
    assert "70 s after the wave (after one more visit): 290 MB (+40 MB): back near" in text
    assert "st.cache_data 36.0 MB (explorer.app.runs.train_group_cached 24.0, " in text
    assert "7.5 s  cpu   3.2 s  + 120 MB  depth=12  [capped]" in text
    assert "slowest page alone: vanishing 7.5 s (cpu 3.2 s)" in text


def test_cpu_seconds_of_own_process_grow_with_work(lt):
    pid = os.getpid()
    before = lt.cpu_seconds(pid)
    x = 0
    for i in range(3_000_000):  # some CPU work, counted in clock ticks
        x += i * i
    assert x > 0 and lt.cpu_seconds(pid) > before >= 0.0
    assert lt.cpu_seconds(2**22 + 12345) == 0.0  # no such process


def test_heavy_links_cover_every_training_page(lt):
    pages = {p for p, _q in lt.HEAVY_LINKS}
    assert {"vanishing", "dead_relu", "compare", "playground", "zigzag", "gallery",
            "lesson"} <= pages
    compare = [q for p, q in lt.HEAVY_LINKS if p == "compare"]
    assert all(q.get("sweep") == "1" and q.get("seeds") == "20" for q in compare)
    assert all(len(q["acts"].split("-")) == 6 for q in compare)  # Compare's most
    acts = lt.known_acts().split("-")
    from explorer import ACTIVATIONS
    assert sorted(acts) == sorted(ACTIVATIONS.names())  # every activation, each once


def test_tiny_wave_end_to_end(lt, capsys):
    code = lt.main(["--port", str(_free_port()), "--scenarios", "wave", "--wave-compare", "1",
                    "--wave-playground", "2", "--visitors", "1", "--visitor-every", "0.5",
                    "--wave-timeout", "300"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "wave: 3 sessions at once, 0 errors" in out
    line = next(x for x in out.splitlines() if "small visitor" in x)
    assert "0 errors" in line and "RSS: before" in out
    # the server's own report (the launcher's probe): what the caches hold, the sessions kept
    probe = next(x for x in out.splitlines() if "server after the wave: RSS" in x)
    assert "explorer.app.runs.train_group_cached" in probe and "kept for a reconnect" in probe


def test_issue26_scenarios_links_and_reports(lt, capsys):
    links = lt.heavy_wave_links(30)
    assert len({(p, tuple(sorted(q.items()))) for p, q in links}) == 30  # all distinct
    assert {p for p, _q in links} == set(lt.HEAVY_WAVE_PAGES)
    vanishing = next(q for p, q in links if p == "vanishing")  # the issue's link, at maxima
    assert (vanishing["depth"], vanishing["width"], vanishing["n_samples"],
            vanishing["batch_size"], vanishing["grid_size"], vanishing["n_checkpoints"],
            vanishing["epochs"]) == ("12", "64", "2000", "2000", "100", "100", "2000")
    assert sorted(vanishing["acts"].split("-")) == sorted(lt.known_acts().split("-"))
    lt.print_heavy_wave(lt.HeavyWave(30, 0, 0.4, 300.0, 612.0, {"vanishing": (8, 20.0, 41.5)},
                                     probe=[{"step": "report", "rss_mb": 350.0, "jobs": 0}]))
    lt.print_heavy_wave(lt.HeavyWave(30, 1, 0.4, 300.0, 979.0, {}, ["compare: 2 charts"]))
    lt.print_starvation(lt.Starve(alone=1.3, loaded=3.25, smalls=40, clients=3, errors=0,
                                  queued=(0.65, 1.5)))
    lt.print_starvation(lt.Starve(alone=1.3, loaded=110.0, smalls=225, clients=3, errors=0))
    lt.print_abandon(lt.Abandon(20, 1.5, 0.25, 10.0, 0, 0, 0, 17, 0))
    lt.print_abandon(lt.Abandon(20, 1.5, 44.0, 10.0, 20, 2, 0, 0, 0))
    text = capsys.readouterr().out
    assert "30 distinct heavy links started within 0.40 s, 0 errors" in text
    assert "HEAVYWAVE peak RSS 612 MB (level before 300 MB, target < 690 MB including it): OK" \
        in text and "HEAVYWAVE peak RSS 979 MB" in text and ": OVER" in text
    assert "vanishing    8 sessions: median 20.0 s, slowest 41.5 s" in text
    assert "STARVE ratio 2.50 (target <= 3): OK" in text and "STARVE ratio 84.62" in text
    assert "its training waited 1.50 s for a slot (predicted 0.65 s of work" in text
    assert "ABANDON cpu 0.25 s (target < 2), jobs held 0 (target 0): OK" in text
    assert "ABANDON cpu 44.00 s (target < 2), jobs held 20 (target 0): OVER" in text


def test_a_session_can_leave_early(lt):
    """``leave_after`` closes the socket on time, with no error (against a server that
    accepts the websocket and never answers)."""
    import socket as so

    from websockets.sync.server import serve

    def handler(ws):
        for _ in ws:  # read and never answer
            pass

    with so.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with serve(handler, "127.0.0.1", port, subprotocols=["streamlit"]) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        out = lt.ws_session(f"http://127.0.0.1:{port}", "playground", {}, timeout=30.0,
                            agent=lt.BROWSER_AGENT, leave_after=0.2)
        server.shutdown()
    assert out.left and out.error == "" and out.seconds < 30.0


# ----------------------------------------------------------------------------- class (issue 28)
@pytest.fixture(scope="module")
def lc(lt):
    sys.path.insert(0, str(SCRIPT.parent))
    import load_class
    return load_class


def test_class_quantiles_and_chart_counts(lc):
    import json

    from streamlit.proto.VegaLiteChart_pb2 import VegaLiteChart

    assert lc.pct([3.0, 1.0, 2.0, 4.0], 0.5) == 2.0 and lc.pct([3.0, 1.0, 2.0, 4.0], 0.95) == 4.0
    assert lc.pct([5.0], 0.95) == 5.0 and lc.pct([], 0.5) != lc.pct([], 0.5)  # nan
    chart = VegaLiteChart(spec=json.dumps({"datasets": {"d1": [
        {"answer": "a", "count": 3, "mark": "right"}, {"answer": "b", "count": 0,
                                                        "mark": "other"}]}}))
    other = VegaLiteChart(spec=json.dumps({"datasets": {"d0": [{"x": 1, "y": 2}]}}))
    assert lc.chart_counts([other, chart]) == [3, 0]
    assert lc.chart_counts([other]) is None
    r = lc.ClassResult("memory", 4, 1, cast=[1, 3], counts={"store": [1, 3], "page": [1, 3]})
    assert r.counts_ok
    r.counts["page"] = [2, 3]  # one doubled
    assert not r.counts_ok
    r = lc.ClassResult("memory", 5, 1, cast=[1, 3], counts={"store": [1, 3]})
    assert not r.counts_ok  # the cast answers do not add up to the students

