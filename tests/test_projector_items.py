"""Issue 25, item 9 (projector), without a browser: the learning-rate rule on the curves
(Altair and the live player's payload), the network diagram's unit count (every unit of a
16-16 net, its dead ones included), the Zig-zag controls' short labels, one epoch control
on Playground and Compare, the player's keys in its code and help, JS files <= 400 lines.
The sizes in a real browser: tests/browser/test_projector_view.py."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from explorer import TrainConfig, train
from explorer.charts import core
from explorer.charts import network as net_chart
from explorer.live.assets import MODULES
from explorer.live.frames import group_payload, lr_marks, payload
from explorer.network_view import MAX_UNITS, network_view
from explorer.presets import PRESETS
from explorer.texts.live import TEXT as LIVE
from explorer.texts.zigzag import TEXT as ZZ

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "explorer" / "live" / "js"
SMALL = dict(n_samples=120, epochs=30, n_checkpoints=7, grid_size=16)


def rule_layers(spec: dict, colour: str) -> list[dict]:
    """Every rule layer drawn in ``colour`` (nested layers and concatenations included)."""
    out = []

    def walk(node):
        if isinstance(node, dict):
            mark = node.get("mark")
            if isinstance(mark, dict) and mark.get("type") == "rule" and \
                    mark.get("color") == colour:
                out.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


def texts(spec: dict) -> list[str]:
    return [r["text"] for rows in spec.get("datasets", {}).values() for r in rows
            if isinstance(r, dict) and isinstance(r.get("text"), str)]


# ------------------------------------------------------------------ the learning-rate rule
@pytest.fixture(scope="module")
def changed():
    return train(TrainConfig(**SMALL, lr=0.1, lr_changes=((10, 3.0), (20, 0.5))))


@pytest.mark.parametrize("metric", ["loss", "acc"])
def test_the_curves_mark_every_learning_rate_change(changed, metric):
    spec = core.loss_chart(changed, metric=metric, marker_epoch=15).to_dict()
    rules = rule_layers(spec, core.LR_COLOR)
    assert len(rules) == 1
    epochs = sorted({r["epoch"] for rows in spec["datasets"].values() for r in rows
                    if "text" in r and "lr" in str(r["text"])})
    assert epochs == [10, 20]
    assert {"lr → 3", "lr → 0.5"} <= set(texts(spec))
    zh = core.loss_chart(changed, metric=metric, lang="zh").to_dict()
    assert "学习率 → 3" in texts(zh)


def test_a_run_without_changes_has_no_rule():
    rec = train(TrainConfig(**SMALL))
    spec = core.loss_chart(rec).to_dict()
    assert not rule_layers(spec, core.LR_COLOR)
    assert core.lr_changes([rec]) == [] and lr_marks(rec) == []


def test_several_runs_share_one_rule_per_change(changed):
    other = train(changed.config.replace(activation="tanh"))
    spec = core.loss_chart([changed, other], split=True).to_dict()
    assert core.lr_changes([changed, other]) == [(10, 3.0), (20, 0.5)]
    assert "lr → 3" in texts(spec)  # labels in the first panel
    assert len(rule_layers(spec, core.LR_COLOR)) == 2  # a rule in each panel


def test_the_players_payload_carries_the_changes(changed):
    p = payload(changed, labels=LIVE["en"])
    assert p["lr_changes"] == [[10, 3.0], [20, 0.5]]
    assert p["labels"]["lr_rule"].format(lr="3") == "lr → 3"
    g = group_payload([changed, changed], labels=LIVE["zh"], titles=["a", "b"],
                      colors=["#000000", "#111111"])
    assert all(r["lr_changes"] == [[10, 3.0], [20, 0.5]] for r in g["runs"])
    curves = (JS / "curves.js").read_text()
    assert "curveLr(p, ctx, ax, d.lr_changes" in curves and "lr_changes" in curves
    for lang in LIVE:
        assert "{lr}" in LIVE[lang]["lr_rule"]


# ------------------------------------------------------------------ the network diagram
def test_a_16_16_net_shows_every_unit_and_its_dead_one():
    assert MAX_UNITS >= TrainConfig().hidden[0] == 16
    rec = train(PRESETS["large_lr_kills_relu"].config().replace(n_checkpoints=10))
    assert rec.config.hidden == (16, 16)
    seen_dead = 0
    for epoch in rec.checkpoints:
        view = network_view(rec, epoch)
        c = rec.checkpoints.index(view.epoch)
        for lay in view.layers[1:-1]:
            assert len(lay.units) == lay.n_units == 16 and lay.hidden_more == 0
            flags = rec.dead_map(lay.layer)[c]
            assert [u.dead for u in lay.units] == list(flags)  # every dead unit drawn
            seen_dead += int(flags.sum())
        spec = net_chart.network_chart(rec, view=view).to_dict()
        images = [r for layer in spec["layer"] if layer["mark"]["type"] == "image"
                  for r in spec["datasets"][layer["data"]["name"]]]
        assert len(images) == 2 + 16 + 16 + 1
        assert not any("more" in t for t in texts(spec))  # no "+k more"
    assert seen_dead > 0


def test_a_wider_layer_says_how_many_more_and_how_many_of_them_are_dead():
    rec = train(TrainConfig(**SMALL, hidden=(24,), init="normal", init_scale=3.0,
                            bias_init=-2.0))
    view = network_view(rec)
    lay = view.layers[1]
    assert len(lay.units) == MAX_UNITS and lay.hidden_more == 24 - MAX_UNITS
    c = rec.checkpoints.index(view.epoch)
    assert lay.dead_more == int(np.count_nonzero(rec.dead_map(1)[c][MAX_UNITS:]))
    spec = net_chart.network_chart(rec, view=view).to_dict()
    assert any(t.startswith(f"+{24 - MAX_UNITS}") for t in texts(spec))


# ------------------------------------------------------------------ zig-zag, epoch control, keys
def test_zigzag_controls_have_short_labels_and_the_charts_the_full_ones():
    for lang, t in ZZ.items():
        for k in ("positive", "centred"):
            assert len(t[f"kind_short.{k}"]) <= len(t[f"kind.{k}"])
        for o in ("linear", "sigmoid"):
            assert len(t[f"out.{o}"]) <= 23, (lang, t[f"out.{o}"])
    assert ZZ["en"]["kind_short.positive"] == "all-positive (sigmoid)"
    page = (ROOT / "pages" / "zigzag.py").read_text()
    assert 'tr(f"kind_short.{k}")' in page


@pytest.mark.parametrize("page", ["playground", "compare"])
def test_one_epoch_control_the_players_scrubber(page):
    source = (ROOT / "pages" / f"{page}.py").read_text()
    assert "select_slider(tr(\"epoch\")" not in source and "epoch_help" not in source
    from explorer.app import state

    key = "play" if page == "playground" else "compare"
    assert "epoch" in state.views()[key]  # the epoch stays in the URL (shared links)


def test_the_players_keys_are_in_its_code_and_help():
    transport = (JS / "transport.js").read_text()
    for key in ('" ":', "ArrowRight:", "ArrowLeft:", "Home:"):
        assert key in transport
    assert "e.preventDefault()" in transport and "tabIndex = 0" in transport
    for lang, t in LIVE.items():
        help_ = t["keys_help"]
        assert "Home" in help_ and "←" in help_ and "→" in help_, lang
        assert all(k in t for k in ("play_help", "pause_help", "reset_help"))


def test_every_player_js_file_is_at_most_400_lines():
    for name in MODULES:
        n = len((JS / name).read_text().splitlines())
        print(f"{name}: {n} lines")
        assert n <= 400, name


def test_compare_big_view_lays_out_a_grid():
    group = (JS / "group.js").read_text()
    assert re.search(r"bigGrid\(w, n, s, gap\)", group)
    assert 'flexWrap = big ? "wrap"' in group
