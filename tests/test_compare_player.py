"""Compare's player (explorer/live/frames.group_payload, pages/compare.py): one transport for
every column. Each run's frames are that run's snapshots (the same bytes as its own player
would get), the transport's timeline is the union of the runs' snapshot epochs, a run that
diverged early keeps its last snapshot, and the page sends the player every column, the URL's
epoch and the "boundaries only, large" view."""

from __future__ import annotations

import json

import pagetest
import pytest
from streamlit.testing.v1 import AppTest  # noqa: TC002 (annotations only)

from explorer import ACTIVATIONS, TrainConfig, train
from explorer import compare as cmp
from explorer.charts.palette import ACTIVATION_COLORS
from explorer.live import frames
from explorer.live.frames import decode_p, group_payload, payload
from explorer.texts.compare import TEXT as CMP_TEXT
from explorer.texts.live import TEXT

SMALL = dict(epochs=30, n_checkpoints=4, n_samples=200, hidden=(8,))


@pytest.fixture(scope="module")
def recs():
    return [train(TrainConfig(activation=a, **SMALL)) for a in ("relu", "tanh", "sigmoid")]


def group(recs, **kw):
    return group_payload(recs, labels=TEXT["en"], titles=[r.label_for("en") for r in recs],
                         colors=[ACTIVATION_COLORS[r.config.activation] for r in recs], **kw)


def test_each_column_gets_its_own_runs_frames(recs):
    g = group(recs, seek=20, seek_nonce=2)
    assert g["group"] is True and len(g["runs"]) == 3
    assert g["frame_epochs"] == g["checkpoints"] == recs[0].checkpoints == [0, 10, 20, 30]
    assert g["seek"] == {"epoch": 20, "nonce": 2} and g["complete"]
    for r, p in zip(recs, g["runs"], strict=True):
        own = payload(r, labels=TEXT["en"], network=False)
        assert p["run"] == own["run"] == frames.run_id(r.config)
        assert [f["p"] for f in p["frames"]] == [f["p"] for f in own["frames"]]
        assert p["history"] == own["history"]
        assert p["title"] == r.label_for("en")
        assert p["color"] == ACTIVATION_COLORS[r.config.activation]
        assert all(f["net"] is None for f in p["frames"]) and p["net"] is None
    # the columns really differ (the test can fail): one seed, different activations
    assert g["runs"][0]["frames"][-1]["p"] != g["runs"][1]["frames"][-1]["p"]
    # another set of columns is another run for the player (it keeps a position per run)
    assert group(recs[:2])["run"] != g["run"]
    json.loads(json.dumps(g))


def test_a_run_that_stops_early_keeps_its_last_snapshot():
    """Leaky ReLU at lr 10 diverges: its column has fewer snapshots; the timeline is the
    union (the other column's), so the player shows the diverged run's last one after it."""
    cfg = TrainConfig(epochs=20, n_checkpoints=5, grid_size=10)
    ok = train(cfg.replace(activation="relu"))
    bad = train(cfg.replace(activation="leaky_relu", lr=10.0))
    assert bad.diverged and bad.checkpoints[-1] < ok.checkpoints[-1]
    g = group([ok, bad])
    assert g["frame_epochs"] == ok.checkpoints
    assert [f["epoch"] for f in g["runs"][1]["frames"]] == bad.checkpoints
    assert g["epochs_done"] == ok.epochs_done


def test_in_between_frames_join_each_column(recs):
    extra = [[frames.extra_frame(train(r.config.prefix(15).replace(n_checkpoints=2)), 15)]
             for r in recs]
    g = group(recs, extras=extra)
    assert g["frame_epochs"] == [0, 10, 15, 20, 30]
    for r, p in zip(recs, g["runs"], strict=True):
        f15 = next(f for f in p["frames"] if f["epoch"] == 15)
        assert f15["p"] == extra[recs.index(r)][0]["p"]
        assert decode_p(f15).shape == (r.config.grid_size ** 2,)


def test_titles_and_colours_must_match_the_runs(recs):
    with pytest.raises(ValueError):
        group_payload(recs, labels=TEXT["en"], titles=["a"], colors=["#000000"])
    with pytest.raises(ValueError):
        group_payload([], labels=TEXT["en"], titles=[], colors=[])


# ----------------------------------------------------------------------------- the page
def players(at: AppTest) -> list[dict]:
    return [json.loads(n.proto.json or "{}") for n in at._tree
            if getattr(n, "type", "") == "bidi_component"]


def run_compare(query: dict[str, str]) -> AppTest:
    return pagetest.run(pagetest.page_file("compare"), query, 180)


QUERY = {"acts": "relu-tanh-sigmoid", "epochs": "40", "n_checkpoints": "5", "n_samples": "200"}


def test_the_page_sends_every_column_to_one_player():
    at = run_compare({**QUERY, "epoch": "20"})
    pagetest.no_errors(at)
    (g,) = players(at)
    assert g["group"] and [p["title"] for p in g["runs"]] == ["ReLU", "tanh", "Sigmoid"]
    assert g["seek"]["epoch"] == 20  # the URL's epoch: the player stands there
    assert g["options"]["big"] is False
    # every epoch a frame (issue 27: the dense frames), the snapshots as before
    assert g["frame_epochs"] == list(range(41))
    assert g["checkpoints"] == cmp.checkpoint_options(cmp.BASE.replace(epochs=40,
                                                                       n_checkpoints=5))
    assert all(p["dense"]["n"] == 41 for p in g["runs"])
    # the boundaries are the player's now: the columns keep only their histograms, and the
    # curves section its two charts
    assert len(at.get("vega_lite_chart")) == 3 + 2


def test_boundaries_only_large_is_in_the_url():
    at = run_compare({**QUERY, "big": "1"})
    pagetest.no_errors(at)
    assert players(at)[0]["options"]["big"] is True
    toggle = next(t for t in at.toggle if t.label == CMP_TEXT["en"]["big"])
    assert toggle.value is True
    toggle.set_value(False).run()
    assert players(at)[0]["options"]["big"] is False
    assert "big" not in pagetest.query_params(at)


def test_projector_mode_sizes_the_player_for_the_room():
    at = run_compare({**QUERY, "projector": "1", "lang": "zh"})
    pagetest.no_errors(at)
    opts = players(at)[0]["options"]
    assert opts["min_font"] >= 16 and opts["scale"] > 1 and opts["max_height"] > 0
    assert [p["title"] for p in players(at)[0]["runs"]] == [
        ACTIVATIONS[a].label_for("zh") for a in ("relu", "tanh", "sigmoid")]
    assert players(at)[0]["labels"]["play"] == TEXT["zh"]["play"]


def test_new_columns_play_from_the_start_a_shared_link_stands_still():
    """The first view (a link) stands at its epoch; another set of runs in the session (a
    changed setting) plays from epoch 0, as the Playground's new runs do."""
    at = run_compare(QUERY)
    pagetest.no_errors(at)
    assert players(at)[0]["options"]["autoplay"] is False
    first = players(at)[0]["run"]
    at.sidebar.number_input(key=next(k for k in at.session_state
                                     if str(k).endswith("compare.seed"))).set_value(3).run()
    pagetest.no_errors(at)
    assert players(at)[0]["run"] != first and players(at)[0]["options"]["autoplay"] is True
    at.run()  # the same runs again: no new animation
    assert players(at)[0]["options"]["autoplay"] is False
