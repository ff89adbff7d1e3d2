"""The player's dense frames under quick payloads (issue 27), in node: a payload that arrives
while a chunk of the one before is still decoding skips that chunk (it is being decoded), so
the player must set the NEWEST payload again once the chunk is decoded. Before int3 it set
only the payload that brought the chunk, which was no longer wanted: the frames stayed short
of the end and a finished Compare run stopped at epoch 195 of 200 (tests/browser/
test_compare_player.py, the page then followed the early stop)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from explorer.config import TrainConfig
from explorer.live import frames as F
from explorer.live.assets import player_js
from explorer.train import train_many

NODE = shutil.which("node") or "/usr/bin/node"

# the module, then a Transport whose drawing is replaced by a count of the rows it could draw
HARNESS = """
globalThis.requestAnimationFrame = () => 0;
class Probe extends Transport {
  build() {}
  setDrawable(d) { this.drawnRows = denseCount(d); this.sets = (this.sets || 0) + 1; }
}
const D = JSON.parse(process.env.AE_DENSE);
const whole = { run: "r", frames: [], dense: D };
const stripped = { run: "r", frames: [],
                   dense: { ...D, chunks: D.chunks.map((c) => ({ i: c.i, n: c.n })) } };
const p = new Probe({}, { setTriggerValue() { p.resyncs = (p.resyncs || 0) + 1; } });
p.setData(whole);     // every chunk decoding...
p.setData(stripped);  // ...when the page's next payload (chunks sent before) comes
for (let k = 0; k < 50 && denseBusy(whole); k++) await new Promise((r) => setTimeout(r, 20));
await new Promise((r) => setTimeout(r, 50));
console.log(JSON.stringify({ rows: p.drawnRows ?? 0, n: D.n, resyncs: p.resyncs || 0,
                             busy: denseBusy(whole) }));
"""


@pytest.fixture(scope="module")
def dense() -> dict:
    cfg = TrainConfig(epochs=40, n_checkpoints=4, n_samples=200, grid_size=20)
    rec = train_many([cfg], frames=F.frame_spec(cfg, 2))[0]
    return F.dense_payload(rec.frames)


def test_a_chunk_decoded_after_a_newer_payload_reaches_the_player(tmp_path, dense):
    if not shutil.which(NODE):
        pytest.skip("node is not installed")
    assert [c["n"] for c in dense["chunks"]] == [32, 9]  # two chunks, both decoded async
    out = run_node(tmp_path, HARNESS, dense)
    print(f"\nrows drawable after both payloads: {out}")
    assert not out["busy"] and out["resyncs"] == 0  # (nothing was missing)
    assert out["rows"] == out["n"] == 41  # every epoch's frame, not the rows before the race


# a player that never had the chunks the page's payload lists without bytes: it asks for all
# ("resync"); if that request is lost (a run that replaced the player took it), it asks again
# 3 s on, also standing still (CI once showed a finished run's player stuck at 1 frame)
LOST_RESYNC = """
globalThis.requestAnimationFrame = () => 0;
class Probe extends Transport { build() {} setDrawable(d) { this.data = d; } }
const D = JSON.parse(process.env.AE_DENSE);
const stripped = { run: "r", frames: [], complete: true,
                   dense: { ...D, chunks: D.chunks.map((c) => ({ i: c.i, n: c.n })) } };
const asked = [];
const p = new Probe({ isConnected: true },
                    { setTriggerValue(k, v) { if (k === "resync") asked.push(v); } });
p.setData(stripped);
const first = asked.length, t0 = p.resyncAt;
p.data = stripped;
p.tick(t0 + 1000);
const soon = asked.length;
p.tick(t0 + 3500);
console.log(JSON.stringify({ first, soon, later: asked.length, playing: p.playing }));
"""


def run_node(tmp_path, harness: str, dense: dict) -> dict:
    module = tmp_path / "probe.mjs"
    src = player_js()
    module.write_text(src[:src.index("export default")] + harness, encoding="utf-8")
    r = subprocess.run([NODE, str(module)], capture_output=True, text=True, timeout=60,
                       env={"AE_DENSE": json.dumps(dense), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_a_lost_resync_is_asked_again_while_the_player_stands_still(tmp_path, dense):
    if not shutil.which(NODE):
        pytest.skip("node is not installed")
    out = run_node(tmp_path, LOST_RESYNC, dense)
    assert out == {"first": 1, "soon": 1, "later": 2, "playing": False}, out


def _strip_script():
    import streamlit as st

    from explorer.app import player as live

    out = live.only_new(st.session_state["payload"], "player")
    st.session_state.setdefault("log", []).append(
        [bool(c.get("z")) for c in out["dense"]["chunks"]])


def test_a_training_runs_tail_chunk_is_sent_whole_every_time():
    """Chunks sent before go without bytes, but a training run's last chunk always has them
    (the player may never have seen the payload that first brought it)."""
    from streamlit.testing.v1 import AppTest

    chunks = [{"i": 0, "n": 32, "z": "a"}, {"i": 32, "n": 5, "z": "b"}]
    live = {"run": "r", "complete": False, "dense": {"chunks": chunks}}
    at = AppTest.from_function(_strip_script)
    at.session_state["payload"] = live
    at.run(timeout=60)
    at.run(timeout=60)  # the same poll again: the tail keeps its bytes
    at.session_state["payload"] = {**live, "complete": True}
    at.run(timeout=60)  # complete: everything was sent before
    assert not at.exception
    assert at.session_state["log"] == [[True, True], [False, True], [False, False]]


def test_a_finished_runs_last_frame_is_whole_before_any_chunk_is_decoded():
    """A finished run opens at its end: its last snapshot's frame carries the boundary (and
    the network), so the player draws the end at once; every other snapshot the dense
    stream covers carries its histograms only. A run still training: none whole."""
    from explorer.texts.live import TEXT
    from explorer.train import iter_train

    cfg = TrainConfig(epochs=40, n_checkpoints=5, n_samples=200, grid_size=20)
    spec = F.frame_spec(cfg, 2)
    rec = train_many([cfg], frames=spec)[0]
    p = F.payload(rec, labels=TEXT["en"])
    whole = [f["epoch"] for f in p["frames"] if f["p"] is not None]
    assert whole == [40] and p["frames"][-1]["net"] is not None
    part = next(r for r in iter_train(cfg, every=1, frames=spec) if r.epochs_done == 20)
    q = F.payload(part, labels=TEXT["en"])
    assert not q["complete"] and all(f["p"] is None for f in q["frames"])


def _resync_in_page_run():
    import streamlit as st

    from explorer.app import player as live

    calls = st.session_state.setdefault("calls", [])

    def component(**kw):  # the browser's "resync" comes with this run (once)
        calls.append(sum(1 for c in kw["data"]["dense"]["chunks"] if c.get("z")))
        return {"resync": "r"} if len(calls) == 1 else {}

    live._COMPONENT, real = component, live._COMPONENT
    try:
        chunks = [{"i": 0, "n": 32, "z": "a"}, {"i": 32, "n": 5, "z": "b"}]
        live.mount({"run": "r", "complete": True, "dense": {"chunks": chunks}}, "player")
    finally:
        live._COMPONENT = real


def test_a_resync_that_arrives_with_a_run_of_the_page_reruns_it_without_an_error():
    """A resync the browser sent while the page reran arrives in a full run, where a
    fragment-scoped rerun is an error (Streamlit): the page reruns and sends every chunk."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_resync_in_page_run)
    at.session_state["player.sent"] = {("r", 0, 32): True, ("r", 32, 5): True}
    at.run(timeout=60)
    assert not at.exception, at.exception
    assert at.session_state["calls"] == [0, 2]  # stripped, then every chunk with its bytes
