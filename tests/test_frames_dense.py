"""The dense frame stream (issue 27 item 1): every epoch a frame up to DENSE_MAX epochs (beyond:
every k epochs, at least DENSE_MAX / 2 frames), the boundary quantised to 8 bits (round trip
within 1/510), the chunks' encoding inverted exactly, the payload's bytes bounded (the default
run's well under 2 MB on the wire), the budget's byte model an upper bound of what a record
keeps, and a record with the stream equal to one without it (the snapshots untouched)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from explorer.config import TrainConfig
from explorer.frame_stream import DENSE_MAX, dense_epochs, dense_stride, half, quantise
from explorer.labs import budget
from explorer.live import frames as F
from explorer.texts.live import TEXT
from explorer.train import iter_train, train, train_many

SMALL = TrainConfig(epochs=30, n_checkpoints=4, n_samples=200, grid_size=20)


def test_every_epoch_a_frame_up_to_dense_max_then_every_k():
    assert dense_epochs(200) == list(range(201))
    assert dense_epochs(DENSE_MAX) == list(range(DENSE_MAX + 1))
    for epochs in (DENSE_MAX + 1, 1500, 1999, 2000):
        e = dense_epochs(epochs)
        k = dense_stride(epochs)
        assert k >= 2 and e[0] == 0 and e[-1] == epochs
        assert DENSE_MAX // 2 <= len(e) <= DENSE_MAX + 1, (epochs, len(e))
        assert all(b - a <= k for a, b in zip(e, e[1:], strict=False))
    assert dense_epochs(1) == [0, 1]


def test_quantisation_round_trip_error_is_at_most_half_a_step():
    rng = np.random.default_rng(0)
    p = np.concatenate([rng.random(10_000), [0.0, 1.0, 0.5, 1 / 510, 1 - 1 / 510]])
    back = quantise(p) / 255.0
    assert np.max(np.abs(back - p)) <= 1 / 510 + 1e-12
    assert quantise(np.array([np.nan]))[0] == 128  # NaN: drawn as undecided (0.5)
    assert quantise(np.array([-0.2, 1.3])).tolist() == [0, 255]  # clipped
    # the diagram's numbers: float16, 3 significant digits (what its tooltips print)
    w = rng.normal(0, 3, 1000)
    assert np.max(np.abs(half(w).astype(np.float64) - w) / np.maximum(np.abs(w), 1e-3)) < 1e-3
    assert np.isinf(half(np.array([1e6]))[0])  # beyond float16: ±inf, shown as "—"


def test_the_stream_keeps_every_epoch_and_its_boundary_matches_the_snapshots():
    spec = F.frame_spec(SMALL, 2)
    rec = train_many([SMALL], frames=spec)[0]
    plain = train(SMALL)
    fs = rec.frames
    assert fs.epochs == list(range(SMALL.epochs + 1))
    assert {len(r) for r in fs.rows} == {fs.layout.row_bytes()}
    G2 = SMALL.grid_size ** 2
    for c, e in enumerate(rec.checkpoints):  # the frame of a snapshot's epoch = its boundary
        p = np.frombuffer(fs.rows[e][:G2], dtype=np.uint8)
        assert np.array_equal(p, quantise(rec.grid_p[c].astype(np.float64)))
    # recording the stream changes nothing the record held before (goldens stay valid)
    assert rec.checkpoints == plain.checkpoints
    assert np.array_equal(rec.grid_p, plain.grid_p)
    assert rec.history.equals(plain.history)
    assert rec.stats_rows == plain.stats_rows or json.dumps(rec.stats_rows, default=str) == \
        json.dumps(plain.stats_rows, default=str)
    assert plain.frames is None  # train() records no stream (the benchmarks' path)


def test_the_streams_network_part_is_the_diagrams():
    spec = F.frame_spec(SMALL, 2)
    rec = train_many([SMALL], frames=spec)[0]
    lay = rec.frames.layout
    e = rec.checkpoints[-1]
    row = np.frombuffer(rec.frames.rows[e], dtype=np.uint8)
    net = F.net_frame(rec, e)
    off = lay.grid
    img = row[off:off + lay.units * lay.thumb ** 2]
    import base64
    want = np.frombuffer(base64.b64decode(net["img"]), dtype=np.uint8)
    assert np.max(np.abs(img.astype(int) - want.astype(int))) <= 1  # the same thumbnails
    off += lay.units * lay.thumb ** 2
    floats = np.frombuffer(row[off:off + 2 * lay.n_floats].tobytes(), dtype=np.float16)
    links = floats[:sum(lay.links)].astype(np.float64)
    flat = np.concatenate([np.asarray(w, dtype=np.float64) for w in net["w"]])
    assert np.allclose(links, flat, rtol=6e-3, atol=1e-3)  # (both at ~3 significant digits)
    flags = row[off + 2 * lay.n_floats:]
    assert flags[:lay.units].tolist() == [d for layer in net["dead"] for d in layer]


def test_chunks_decode_exactly_and_growing_runs_reuse_full_chunks():
    spec = F.frame_spec(SMALL.replace(epochs=80), 2)
    rec = train_many([SMALL.replace(epochs=80)], frames=spec)[0]
    d = F.dense_payload(rec.frames)
    rows = np.vstack([F.decode_chunk(c["z"], c["n"]) for c in d["chunks"]])
    assert np.array_equal(rows, np.frombuffer(b"".join(rec.frames.rows), np.uint8)
                          .reshape(len(rec.frames.rows), -1))
    assert [c["n"] for c in d["chunks"]] == [32, 32, 17]
    assert F.dense_epochs_of(d) == list(range(81))
    # a streamed run: partial records share the encoded full chunks
    seen = []
    for part in iter_train(SMALL.replace(epochs=80), frames=spec):
        p = F.dense_payload(part.frames, bool(part.complete))
        seen.append((p["n"], len(part.frames.memo)))
    assert seen[-1] == (81, 3) and all(m <= n // 32 + 1 for n, m in seen)


def test_the_default_runs_payload_is_small():
    cfg = TrainConfig()
    rec = F.seal(train_many([cfg], frames=F.frame_spec(cfg, 2))[0])
    p = F.payload(rec, labels=TEXT["en"])
    wire = F.wire_bytes(p)
    dense = sum(len(c["z"]) for c in p["dense"]["chunks"])
    print(f"\ndefault Playground run: {wire} bytes on the wire ({dense} of them the 201 dense "
          f"frames, {rec.frames.nbytes()} bytes kept in the record)")
    assert len(F.frame_epochs(p)) == 201
    assert wire <= 2_000_000
    acts = ["sigmoid", "tanh", "relu", "leaky_relu", "maxout"]
    recs = train_many([cfg.replace(activation=a) for a in acts],
                      frames=F.frame_spec(cfg, 2, network=False))
    g = F.group_payload(recs, labels=TEXT["en"], titles=acts, colors=["#000000"] * 5)
    print(f"default Compare page (5 columns): {F.wire_bytes(g)} bytes on the wire")
    assert g["frame_epochs"] == list(range(201)) and F.wire_bytes(g) <= 2_000_000


@pytest.mark.parametrize("cfg", [TrainConfig(), TrainConfig(dataset="spiral", n_classes=3),
                                 TrainConfig(hidden=(8,), activation="maxout", epochs=50)],
                         ids=["default", "multiclass", "maxout"])
def test_the_budget_predicts_at_least_what_the_stream_keeps(cfg):
    rec = F.seal(train_many([cfg], frames=F.frame_spec(cfg, cfg.effective_classes()))[0])
    extra = budget.kept_bytes(cfg, frames=True) - budget.kept_bytes(cfg)
    kept = rec.frames.nbytes()
    print(f"\n{cfg.dataset} {cfg.hidden}: stream keeps {kept} bytes, the model says {extra:.0f}")
    assert kept <= extra <= 4 * kept
    assert budget.run_work(cfg, frames=True) > budget.run_work(cfg)
    assert rec.frames.layout.row_bytes() <= budget.frame_row_bytes(cfg)
