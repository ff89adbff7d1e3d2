"""Issue 10 item 3, "it follows the animation": the live player's network figure.

Every player frame carries ``net`` (``explorer.live.frames.net_frame``), built from the same
checkpoint as the frame's boundary and histograms:

* its thumbnails decode to the unit's activation on the thumbnail grid recomputed here with
  plain numpy from the record's weight snapshot (``test_network_view.ref_forward``), to the
  byte quantisation;
* its epoch is the frame's epoch (all weights kept), its links the snapshot's weights;
* dead units (zero-init and lr-3 presets) are flagged as the record's statistics say, in
  every frame; saturated ones too;
* its size is bounded by counting (bytes of thumbnails per frame ≤ NET_FRAME_BUDGET) for a
  12 × 64 net with 7 features and 6 classes;
* every text player.js's drawNetwork reads exists in English and Chinese.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re

import numpy as np
import pytest
from test_network_view import SMALL, ref_forward, thumb_points

from explorer import TrainConfig, train
from explorer.live.assets import player_js
from explorer.live.frames import (
    NET_FRAME_BUDGET,
    NET_THUMB,
    extra_frame,
    net_frame,
    net_layout,
    net_thumb,
    payload,
)
from explorer.network_view import MAX_UNITS
from explorer.presets import PRESETS
from explorer.texts.live import TEXT

JS = player_js()  # the player's source, as the component receives it

CASES = [
    dict(activation="relu"),
    dict(activation="tanh", features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")),
    dict(activation="maxout", maxout_k=3, features=("x1", "x2", "x2sq")),
    dict(activation="prelu", layer_activations=("prelu", "elu")),
    dict(activation="relu", dataset="blobs", n_classes=3),
    dict(activation="tanh", hidden=()),
]


def decode(net):
    return np.frombuffer(base64.b64decode(net["img"]), dtype=np.uint8)


@pytest.fixture(scope="module", params=range(len(CASES)), ids=lambda i: str(CASES[i]))
def case(request):
    return train(TrainConfig(**{**SMALL, **CASES[request.param]}))


def test_frame_thumbnails_equal_the_units_activation_from_the_snapshot(case):
    p = payload(case, labels=TEXT["en"])
    T = net_thumb(case)
    P = thumb_points(case, T)
    lay = p["net"]["layers"]
    checked = 0
    for f in p["frames"]:
        net = f["net"]
        assert net["epoch"] == f["epoch"] and net["t"] == T  # one epoch for every chart
        px = decode(net)
        assert px.size == T * T * sum(len(layer["names"]) for layer in lay)
        acts = ref_forward(case, f["epoch"], P)
        means = [a.mean(axis=0) for a in ref_forward(case, f["epoch"], case.data.X_train)]
        o = 0
        for li, layer in enumerate(lay):
            assert len(layer["names"]) == min(acts[li].shape[1], MAX_UNITS)
            for j in range(len(layer["names"])):
                v = acts[li][:, j]
                q = px[o:o + T * T].reshape(T, T)[::-1].ravel().astype(np.float64)  # top = max y
                o += T * T
                if layer["kind"] == "output":
                    assert np.abs(q / 255.0 - v).max() <= 0.5 / 255 + 1e-9
                else:
                    peak = np.abs(v).max()
                    r = v / peak if peak > 0 else v * 0
                    assert np.abs(q / 127.5 - 1.0 - r).max() <= 0.5 / 127.5 + 1e-9
                # tooltip: mean activation on the training points, range over the plane
                assert net["m"][li][j] == pytest.approx(means[li][j], rel=5e-3, abs=1e-12)
                assert net["lo"][li][j] == pytest.approx(v.min(), rel=5e-3, abs=1e-12)
                assert net["hi"][li][j] == pytest.approx(v.max(), rel=5e-3, abs=1e-12)
                checked += 1
        assert o == px.size
        # links: the snapshot's weights between drawn units, 3 significant digits
        i = case.weight_epochs.index(f["epoch"])
        for li, w in enumerate(net["w"]):
            W = case.weights[i][li][0]
            src, dst = len(lay[li]["names"]), len(lay[li + 1]["names"])
            if lay[li + 1]["maxout"]:
                k = case.config.maxout_k
                Wk = W.reshape(W.shape[0], -1, k)[:src, :dst]
                W = np.take_along_axis(Wk, np.abs(Wk).argmax(-1)[..., None], -1)[..., 0]
            np.testing.assert_allclose(w, W[:src, :dst].ravel(), rtol=5e-3, atol=1e-12)
    assert checked > 0


def test_frames_of_different_epochs_carry_different_networks(case):
    """A check that can fail: the thumbnails change while the network learns."""
    p = payload(case, labels=TEXT["en"])
    first, last = p["frames"][0]["net"], p["frames"][-1]["net"]
    assert first["img"] != last["img"] and first["w"] != last["w"]


def test_zero_init_preset_every_hidden_unit_dead_in_every_frame():
    preset = next(p for p in PRESETS if p.name == "zero_init_relu")
    rec = train(TrainConfig(**{**SMALL, **preset.changes}))
    p = payload(rec, labels=TEXT["en"])
    for f in p["frames"][1:]:
        net = f["net"]
        for li, layer in enumerate(p["net"]["layers"]):
            if layer["kind"] == "hidden":
                assert net["dead"][li] == [1] * len(layer["names"])
                assert net["sat"][li] == [0] * len(layer["names"])
                assert net["dm"][li] == layer["n"] - len(layer["names"])
            else:
                assert not any(net["dead"][li])


def test_large_lr_preset_flags_exactly_the_records_dead_and_saturated_units():
    preset = next(p for p in PRESETS if p.name == "large_lr_kills_relu")
    rec = train(TrainConfig(**{**SMALL, "hidden": (12, 12), "epochs": 40, **preset.changes}))
    p = payload(rec, labels=TEXT["en"])
    total = 0
    for c, f in enumerate(p["frames"]):
        for k in range(rec.n_hidden):
            drawn = len(f["net"]["dead"][k + 1])
            dead = rec.dead[k][c]
            assert f["net"]["dead"][k + 1] == dead[:drawn].astype(int).tolist()
            assert f["net"]["dm"][k + 1] == int(np.count_nonzero(dead[drawn:]))
            total += int(dead.sum())
    assert total > 0  # the preset does kill units (else this test would prove nothing)


def test_saturated_units_are_flagged():
    rec = train(TrainConfig(**{**SMALL, "activation": "tanh", "init": "normal",
                               "init_scale": 4.0, "hidden": (8, 8)}))
    net = net_frame(rec, rec.checkpoints[-1])
    share = [rec.unit_saturated[k][-1] for k in range(2)]
    assert net["sat"][1:3] == [[int(not d and s >= 0.5) for d, s in
                                zip(net["dead"][k + 1], share[k], strict=True)]
                               for k in range(2)]
    assert sum(map(sum, net["sat"])) > 0


def test_a_12x64_network_frame_is_bounded_by_counting():
    cfg = TrainConfig(dataset="blobs", n_classes=6, hidden=(64,) * 12, epochs=2,
                      n_checkpoints=3, n_samples=120, grid_size=10,
                      features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"))
    rec = train(cfg)
    T = net_thumb(rec)
    units = 7 + 12 * MAX_UNITS + 6
    assert 4 <= T < NET_THUMB and units * T * T <= NET_FRAME_BUDGET
    net = net_frame(rec, rec.checkpoints[-1])
    assert decode(net).size == units * T * T
    links = 7 * MAX_UNITS + 11 * MAX_UNITS ** 2 + MAX_UNITS * 6  # between drawn units
    assert sum(len(w) for w in net["w"]) == links
    size = len(json.dumps(net))
    print(f"12x64 net frame: T={T}, {units} units, {links} links, {size} bytes of JSON")
    assert size < 4 / 3 * NET_FRAME_BUDGET + 10 * (links + 4 * units) + 2000
    # a small net gets the full resolution
    assert net_thumb(train(TrainConfig(**SMALL))) == NET_THUMB


def test_prefix_frame_has_the_runs_resolution_and_network():
    cfg = TrainConfig(**SMALL)
    rec = train(cfg)
    e = 7
    f = extra_frame(train(cfg.replace(epochs=e, n_checkpoints=2)), e)
    assert f["net"]["t"] == net_thumb(rec) and f["net"]["epoch"] == e
    every = train(cfg.replace(n_checkpoints=cfg.epochs + 1))
    assert f["net"]["img"] == net_frame(every, e)["img"]


def test_a_record_without_weights_has_no_network_figure():
    rec = dataclasses.replace(train(TrainConfig(**SMALL)), weight_epochs=[], weights=[],
                              alphas=[])
    p = payload(rec, labels=TEXT["en"])
    assert p["net"] is None and all(f["net"] is None for f in p["frames"])


def test_layout_texts_in_both_languages_and_every_text_the_player_reads():
    rec = train(TrainConfig(**{**SMALL, "dataset": "blobs", "n_classes": 3}))
    en, zh = net_layout(rec, "en"), net_layout(rec, "zh")
    used = set(re.findall(r'\b[TX]\["([\w.]+)"\]', JS)) | set(re.findall(r"\bT\.(\w+)\b", JS))
    assert {"title", "more", "tip.unit", "legend.dead"} <= used
    for lay in (en, zh):
        assert used <= set(lay["text"]), used - set(lay["text"])
        assert all(v for v in lay["text"].values())
    assert zh["text"]["title"] != en["text"]["title"]
    assert zh["layers"][1]["head"].startswith("隐藏层 1")
    assert en["layers"][-1]["sub"] == "3 classes" and zh["layers"][-1]["sub"] == "3 个类别"
    assert "drawNetwork(f)" in JS and "this.drawNetwork(f);" in JS
