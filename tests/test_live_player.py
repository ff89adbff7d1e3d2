"""The data the live player receives (explorer/live/frames.py): every frame's arrays come from
one epoch of the record, prefix runs give exact in-between epochs, epoch 0 is the seed's
initial weights, and every text the player shows exists in both languages."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from explorer import TrainConfig, train
from explorer.live import frames
from explorer.live.assets import player_js
from explorer.live.frames import decode_cls, decode_p, extra_frame, payload
from explorer.texts.live import TEXT
from explorer.train import iter_train

JS = player_js()  # the player's source, as the component receives it
SMALL = TrainConfig(epochs=20, n_checkpoints=5, n_samples=200, hidden=(8, 8))


@pytest.fixture(scope="module")
def rec():
    return train(SMALL)


@pytest.fixture(scope="module")
def every_epoch():
    """The same run with a snapshot at every epoch (the reference for in-between frames)."""
    return train(SMALL.replace(n_checkpoints=21))


def test_every_frame_comes_from_one_epoch(rec):
    p = payload(rec, labels=TEXT["en"])
    assert frames.frame_epochs(p) == rec.checkpoints == [0, 5, 10, 15, 20]
    stats = rec.layer_stats
    for c, f in enumerate(p["frames"]):
        e = f["epoch"]
        assert e == rec.checkpoints[c]
        # boundary: the record's grid at this checkpoint, to the byte quantisation
        assert np.abs(decode_p(f) - rec.grid_p[c].astype(np.float64)).max() <= 0.5 / 255 + 1e-9
        # histograms and zero counts: exactly the record's at this checkpoint
        assert f["gpos"] == rec.grad_counts[c, :, 0].tolist()
        assert f["gneg"] == rec.grad_counts[c, :, 1].tolist()
        assert f["gzero"] == rec.grad_zero_counts[c].tolist()
        gh = rec.grad_hist(e)
        assert sum(map(sum, f["gpos"])) + sum(map(sum, f["gneg"])) == int(gh["count"].sum())
        norms = stats.loc[stats["epoch"] == e, "grad_norm"].to_numpy()
        np.testing.assert_allclose(f["gnorm"], norms, rtol=1e-4)
    # the history the curves are drawn from: one row per epoch, the record's values
    h = p["history"]
    assert h["epoch"] == list(range(rec.epochs_done + 1))
    np.testing.assert_allclose(h["train_loss"], rec.history["train_loss"], rtol=1e-4)
    np.testing.assert_allclose(h["test_acc"], rec.history["test_acc"], rtol=1e-4)


def test_frames_differ_between_epochs(rec):
    """A check that can fail: frames of different epochs carry different boundaries."""
    p = payload(rec, labels=TEXT["en"])
    ps = [f["p"] for f in p["frames"]]
    assert len(set(ps)) == len(ps)


def test_prefix_run_gives_the_exact_in_between_epoch(rec, every_epoch):
    for e in (1, 7, 13):
        prefix = train(SMALL.replace(epochs=e, n_checkpoints=2))
        f = extra_frame(prefix, e)
        ref = frames.frame_at(every_epoch, e)
        assert f["p"] == ref["p"] and f["gpos"] == ref["gpos"] and f["gneg"] == ref["gneg"]
        assert f["gzero"] == ref["gzero"]
        np.testing.assert_array_equal(prefix.history.to_numpy(),
                                      every_epoch.history.iloc[:e + 1].to_numpy())
    with pytest.raises(ValueError):
        extra_frame(rec, 7)  # not a prefix run that ends at 7


def test_extra_frames_merge_in_epoch_order(rec):
    prefix = train(SMALL.replace(epochs=7, n_checkpoints=2))
    p = payload(rec, labels=TEXT["en"], extra=[extra_frame(prefix, 7)])
    assert frames.frame_epochs(p) == [0, 5, 7, 10, 15, 20]
    assert p["checkpoints"] == [0, 5, 10, 15, 20]  # "+1 snapshot" still steps by checkpoints
    assert frames.next_epoch(p, 5) == 6 and frames.next_epoch(p, 20) is None
    assert frames.next_checkpoint(p, 7) == 10 and frames.next_checkpoint(p, 20) is None


def test_reset_frame_is_the_fresh_run_initial_state(rec):
    """Epoch 0 of any run of a seed is the same network: the boundary Reset shows equals a
    fresh run's first frame (other epochs count, other snapshots), and another seed differs."""
    fresh = train(SMALL.replace(epochs=3, n_checkpoints=2))
    a, b = frames.frame_at(rec, 0), frames.frame_at(fresh, 0)
    assert a["p"] == b["p"] and a["gpos"] == b["gpos"]
    other = train(SMALL.replace(epochs=3, n_checkpoints=2, seed=1))
    assert frames.frame_at(other, 0)["p"] != a["p"]


def test_partial_records_stream_consistent_frames():
    seen = []
    for part in iter_train(SMALL):
        p = payload(part, labels=TEXT["en"], autoplay=True)
        assert all(e <= p["epochs_done"] for e in frames.frame_epochs(p))
        assert len(p["history"]["epoch"]) == p["epochs_done"] + 1
        seen.append((p["complete"], len(p["frames"])))
    assert seen[-1] == (True, 5) and not seen[0][0]
    assert [n for _, n in seen[:-1]] == [1, 2, 3, 4, 5]


def test_multiclass_frames_carry_the_class():
    r = train(TrainConfig(dataset="blobs", n_classes=3, epochs=5, n_checkpoints=2,
                          n_samples=150, hidden=(8,)))
    p = payload(r, labels=TEXT["zh"])
    f = p["frames"][-1]
    np.testing.assert_array_equal(decode_cls(f), r.grid_cls[-1])
    assert p["n_classes"] == 3 and len(p["colors"]) == 3
    assert p["layer_names"] == ["隐藏层 1", "输出层"]
    assert decode_cls(payload(train(SMALL.replace(epochs=2)), labels=TEXT["en"])["frames"][0]) \
        is None


def test_payload_is_compact_json(rec):
    p = payload(rec, labels=TEXT["en"], seek=10, seek_nonce=3)
    text = json.dumps(p)
    json.loads(text)
    G = rec.config.grid_size
    n = len(rec.checkpoints)
    # the boundary grids dominate: about 4/3 bytes (base64) per cell and frame
    assert len(text) < 2 * G * G * n + 60_000
    assert p["seek"] == {"epoch": 10, "nonce": 3}
    assert frames.run_id(rec.config) == p["run"] != frames.run_id(rec.config.replace(seed=1))


def test_quantise_bounds():
    q = frames.quantise(np.array([0.0, 1.0, 0.5, np.nan, -1.0, 2.0]))
    assert q.tolist() == [0, 255, 128, 128, 0, 255]


def test_every_player_text_exists_in_both_languages():
    used = set(re.findall(r"\b(?:L|labels)\.(\w+)\b(?!\s*\()", JS))  # (not a .map() call)
    assert used, "no texts found in player.js"
    for lang in ("en", "zh"):
        missing = used - set(TEXT[lang])
        assert not missing, (lang, missing)
    assert set(TEXT["en"]) == set(TEXT["zh"])


def test_a_continued_run_stands_on_the_run_it_continues(rec):
    """A rate changed at epoch e: while the new run is behind e, its payload is the old run's
    frames and history up to e (the same numbers), under the new run's id; once past e, the
    new run's own frames, and those up to e equal the old ones."""
    e = 10
    new_cfg = SMALL.with_lr_from(e, 0.9)
    parts = list(iter_train(new_cfg))
    early = next(p for p in parts if p.epochs_done < e)
    p = payload(early, labels=TEXT["en"], head=rec, head_epoch=e, seek=e, seek_nonce=4)
    assert p["run"] == frames.run_id(new_cfg) != frames.run_id(SMALL)
    assert frames.frame_epochs(p) == [0, 5, 10] and p["epochs_done"] == e
    assert not p["complete"] and p["seek"] == {"epoch": e, "nonce": 4}
    assert len(p["history"]["epoch"]) == e + 1
    done = payload(parts[-1], labels=TEXT["en"], head=rec, head_epoch=e)
    old = payload(rec, labels=TEXT["en"])
    assert done["complete"] and frames.frame_epochs(done) == frames.frame_epochs(old)
    for a, b in zip(done["frames"], old["frames"], strict=True):
        assert (a["p"] == b["p"]) == (a["epoch"] <= e), a["epoch"]
    assert done["history"]["train_loss"][:e + 1] == old["history"]["train_loss"][:e + 1]
    assert p["frames"] == old["frames"][:3]
