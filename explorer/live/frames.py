"""What the browser player receives: a run record as compact, per-frame arrays (no Streamlit).

A *frame* is one recorded snapshot (a checkpoint of the record, or an extra epoch computed on
demand, see ``extra_frame``): its epoch, the decision-boundary grid and the per-layer gradient
histograms, all taken at that one epoch. The loss / accuracy history has one row per epoch; the
player draws it up to the frame's epoch, so every chart of a frame shows the same epoch.

Sizes: the boundary is quantised to one byte per grid cell (P in steps of 1/255; multiclass: a
second byte for the class), base64-encoded; a 50×50 grid with 50 frames is ~170 kB of JSON.
``payload`` is a pure function of the record (and the view options), so it is cheap to test.
"""

from __future__ import annotations

import base64
import hashlib
import math
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..charts.palette import CLASS_COLORS, SIGNED_NEG, SIGNED_POS
from ..config import TrainConfig
from ..datasets import display_names
from ..frame_stream import FrameSpec, FrameStream
from ..frame_stream import quantise as quantise
from ..network_view import MAX_UNITS, SATURATED_SHARE, NetworkView, network_view
from ..record import GRAD_BINS, RunRecord

#: digits kept for loss / accuracy values sent to the browser (5 significant digits)
SIG_DIGITS = 5
#: the network figure: thumbnail bytes one frame may carry (units drawn × T², T ≤ NET_THUMB)
NET_FRAME_BUDGET = 4000
NET_THUMB, NET_THUMB_MIN = 16, 4
#: digits kept for the network's weights, biases and activations (tooltips, link widths)
NET_DIGITS = 3


def run_id(cfg: TrainConfig, data_tag: str = "") -> str:
    """A short stable id of a run: the player keeps its position per run id."""
    q = "&".join(f"{k}={v}" for k, v in sorted(cfg.to_query(all_fields=True).items()))
    return hashlib.sha1((q + "|" + data_tag).encode()).hexdigest()[:16]


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode("ascii")


def _round(values: Sequence[float]) -> list[float | None]:
    out: list[float | None] = []
    for v in values:
        v = float(v)
        out.append(float(f"{v:.{SIG_DIGITS}g}") if math.isfinite(v) else None)
    return out


def _grad_norms(rec: RunRecord) -> dict[int, list[float]]:
    """Per checkpoint epoch: the layers' gradient norms (from the stats rows, in layer order)."""
    out: dict[int, list[float]] = {}
    for row in rec.stats_rows:
        out.setdefault(int(row["epoch"]), []).append(row["grad_norm"])
    return out


def frame_at(rec: RunRecord, epoch: int, norms: dict[int, list[float]] | None = None,
             network: bool = True, grid: bool = True) -> dict[str, Any]:
    """The frame of checkpoint ``epoch`` (which must be one of ``rec.checkpoints``);
    ``network``: with the network figure's numbers (``net_frame``); ``grid``: with the
    boundary (False: the dense stream has this epoch's, see ``dense_payload``: the frame
    carries the histograms only)."""
    if epoch not in rec.checkpoints:
        raise ValueError(f"epoch: {epoch} is not a recorded checkpoint")
    c = rec.checkpoints.index(epoch)
    norms = _grad_norms(rec) if norms is None else norms
    multi = rec.data.n_classes > 2
    return {
        "epoch": int(epoch),
        "p": _b64(quantise(rec.grid_p[c])) if grid else None,
        "cls": _b64(rec.grid_cls[c].astype(np.uint8)) if multi and grid else None,
        # per layer: [positive counts, negative counts] in the GRAD_BINS bins, and exact zeros
        "gpos": rec.grad_counts[c, :, 0].astype(np.int64).tolist(),
        "gneg": rec.grad_counts[c, :, 1].astype(np.int64).tolist(),
        "gzero": rec.grad_zero_counts[c].astype(np.int64).tolist(),
        "gnorm": _round(norms.get(int(epoch), [])),
        "net": net_frame(rec, epoch) if network and grid else None,
    }


# ------------------------------------------------------------------------------ dense frames
#: frames per compressed chunk of the dense stream (a growing run re-encodes only its last)
CHUNK = 32


def frame_spec(cfg: TrainConfig, n_classes: int, network: bool = True) -> FrameSpec:
    """What a page's trainer records for its player (``frame_stream``): the boundary every
    epoch, and with ``network`` the diagram's thumbnails and numbers (Playground; Compare
    draws boundaries and curves only)."""
    return FrameSpec(thumb=thumb_size(cfg, n_classes) if network else 0, max_units=MAX_UNITS,
                     sat_share=SATURATED_SHARE)


def encode_chunk(rows: Sequence[bytes], level: int = 6) -> str:
    """One chunk of frame rows for the wire: each row minus the row before it, bytewise mod
    256 (the first as it is: neighbouring epochs differ little, so the differences are mostly
    small), deflated (zlib) and base64-encoded; ``decode_chunk`` and the player invert it."""
    a = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), -1)
    d = a.copy()
    d[1:] -= a[:-1]  # (uint8: wraps mod 256)
    return base64.b64encode(zlib.compress(d.tobytes(), level)).decode("ascii")


def decode_chunk(z: str, n: int) -> np.ndarray:
    """Inverse of ``encode_chunk``: (n, row bytes) uint8."""
    d = np.frombuffer(zlib.decompress(base64.b64decode(z)), dtype=np.uint8).reshape(n, -1)
    return np.cumsum(d, axis=0, dtype=np.uint8)


def trim(stream: FrameStream, last: int) -> FrameStream:
    """The frames of ``stream`` up to epoch ``last`` (its full chunks' encodings shared)."""
    keep = sum(1 for e in stream.epochs if e <= last)
    return FrameStream(stream.layout, stream.stride, stream.epochs[:keep], stream.rows[:keep],
                       stream.memo)


def dense_payload(stream: FrameStream | None, complete: bool = True) -> dict | None:
    """The dense frames for the player: the row layout, the epochs (``stride``, count ``n``,
    the ``last`` one) and the rows in chunks of ``CHUNK`` (``i``: first row, ``n`` rows,
    ``z``: ``encode_chunk``). A chunk is encoded once (``FrameStream.memo``): every full one,
    and the last one of a ``complete`` run; a growing run's last chunk anew each time, fast
    (zlib level 1)."""
    if stream is None or not stream.rows:
        return None
    chunks = []
    for i0 in range(0, len(stream.rows), CHUNK):
        rows = stream.rows[i0:i0 + CHUNK]
        key = (i0, len(rows))
        z = stream.memo.get(key)
        if z is None:
            final = complete or len(rows) == CHUNK
            z = encode_chunk(rows, 6 if final else 1)
            if final:
                stream.memo[key] = z
        chunks.append({"i": i0, "n": len(rows), "z": z})
    return {"layout": stream.layout.to_json(), "stride": int(stream.stride),
            "n": len(stream.rows), "last": int(stream.epochs[-1]), "chunks": chunks}


def seal(rec: RunRecord) -> RunRecord:
    """Encode a complete record's chunks now (before it is cached: every later payload of it
    reuses them)."""
    if rec.frames is not None and rec.complete:
        dense_payload(rec.frames)
    return rec


def dense_epochs_of(dense: Mapping[str, Any] | None) -> list[int]:
    """The epochs of a ``dense_payload``'s rows (row i: i·stride, the last: ``last``)."""
    if not dense:
        return []
    n, k = int(dense["n"]), int(dense["stride"])
    return [i * k for i in range(n - 1)] + [int(dense["last"])]


def wire_bytes(p: Mapping[str, Any]) -> int:
    """Bytes of a payload as the component sends it (compact JSON, as Streamlit's
    ``json.dumps``; the websocket adds only its frame header)."""
    import json

    return len(json.dumps(p).encode("utf-8"))


# ------------------------------------------------------------------------------ the network
def net_thumb(rec: RunRecord) -> int:
    """Thumbnail pixels per side in the player: the largest T ≤ NET_THUMB whose thumbnails
    (every drawn unit, T² bytes each) fit NET_FRAME_BUDGET (at least NET_THUMB_MIN). Depends
    only on the network's shape, so a prefix run's frame has the run's resolution."""
    return thumb_size(rec.config, rec.data.n_classes)


def thumb_size(cfg: TrainConfig, k: int) -> int:
    """``net_thumb`` of a config whose data have ``k`` classes."""
    widths = [len(cfg.features), *cfg.hidden, 1 if k == 2 else k]
    units = sum(min(w, MAX_UNITS) for w in widths)
    return max(NET_THUMB_MIN, min(NET_THUMB, math.isqrt(NET_FRAME_BUDGET // units)))


def _sig(values: Any) -> Any:
    """Nested numbers to NET_DIGITS significant digits (None for NaN / ±inf)."""
    a = np.asarray(values, dtype=np.float64)
    if a.ndim == 0:
        v = float(a)
        return float(f"{v:.{NET_DIGITS}g}") if math.isfinite(v) else None
    return [_sig(v) for v in a]


def net_pixels(view: NetworkView) -> np.ndarray:
    """Every drawn unit's thumbnail as bytes, units in layer order, each T×T row-major with
    the top row the largest y: inputs and hidden units v/max|v| in [-1, 1] as
    round((v + 1)·127.5) (128 = 0), outputs the probability as ``quantise``."""
    T = len(view.grid_x)
    out = []
    for lay in view.layers:
        for u in lay.units:
            v = np.asarray(u.values, dtype=np.float64)
            if lay.kind == "output":
                q = quantise(v)
            else:
                peak = float(np.max(np.abs(v))) if v.size else 0.0
                r = v / peak if peak > 0 and math.isfinite(peak) else np.zeros_like(v)
                q = np.clip(np.rint((np.nan_to_num(r) + 1.0) * 127.5), 0, 255).astype(np.uint8)
            out.append(q.reshape(len(view.grid_y), T)[::-1].ravel())
    return np.concatenate(out) if out else np.zeros(0, np.uint8)


def net_frame(rec: RunRecord, epoch: int) -> dict[str, Any] | None:
    """The network figure's numbers at checkpoint ``epoch`` (None if the record keeps no
    weights), from ``network_view``: the epoch of the weights used (the nearest kept), the
    thumbnails (``net_pixels``, base64), the links between drawn units per layer (src-major),
    and per layer, per drawn unit: bias, mean activation on the training points, range over
    the plane, dead and saturated flags; the dead units not drawn per layer."""
    if not rec.weight_epochs:
        return None
    view = network_view(rec, epoch, size=net_thumb(rec))
    lays = view.layers
    return {
        "epoch": int(view.epoch),
        "t": int(len(view.grid_x)),
        "img": _b64(net_pixels(view)),
        "w": [_sig(np.ravel(L)) for L in view.links],
        "b": [[None if u.bias is None else _sig(u.bias) for u in lay.units] for lay in lays],
        "m": [[_sig(u.mean_act) for u in lay.units] for lay in lays],
        "lo": [[_sig(np.min(u.values)) for u in lay.units] for lay in lays],
        "hi": [[_sig(np.max(u.values)) for u in lay.units] for lay in lays],
        "dead": [[int(u.dead) for u in lay.units] for lay in lays],
        "sat": [[int(u.saturated) for u in lay.units] for lay in lays],
        "dm": [int(lay.dead_more) for lay in lays],
    }


def net_layout(rec: RunRecord, lang: str = "en") -> dict[str, Any] | None:
    """What of the network figure is the same in every frame: per layer its kind, header,
    drawn units' names (tooltip), labels (inputs) and how many units it has; colours and texts
    in ``lang``. None if the record keeps no weights."""
    if not rec.weight_epochs:
        return None
    from ..charts import network as nc
    from ..texts.network import TEXT as NT

    view = network_view(rec, rec.weight_epochs[-1], size=2)
    layers = []
    for li, lay in enumerate(view.layers):
        head, sub = nc.layer_heads(view, li, lang)
        names, whats = zip(*(nc.unit_texts(view, li, u, lang) for u in lay.units), strict=True)
        layers.append({"kind": lay.kind, "head": head, "sub": sub, "n": int(lay.n_units),
                       "names": list(names), "what": list(whats),
                       "labels": [u.label if lay.kind == "input" else "" for u in lay.units],
                       "maxout": bool(lay.kind == "hidden" and nc.ACTIVATIONS[
                           lay.activation].pieces)})
    table = NT.get(lang, NT["en"])
    keys = ("title", "thinned_one", "more", "more_dead", "tip.unit", "tip.what", "tip.mean",
            "tip.range", "tip.bias", "tip.weights", "tip.weights_maxout", "tip.state",
            "state.dead", "state.saturated", "state.alive", "legend.dead", "legend.saturated",
            "legend.links")
    return {"layers": layers, "binary": bool(view.binary),
            "colors": {"pos": nc.POS, "neg": nc.NEG, "dead": nc.DEAD_FILL,
                       "cross": nc.DEAD_CROSS, "sat": nc.SAT_FRAME},
            "text": {k: table.get(k, NT["en"][k]) for k in keys}}


def extra_frame(prefix: RunRecord, epoch: int) -> dict[str, Any]:
    """The frame at ``epoch`` from a *prefix run*: the same config trained for ``epoch``
    epochs (its last checkpoint). Training is deterministic and snapshots never change the
    weights, so this equals the frame a run that recorded ``epoch`` would have."""
    if prefix.epochs_done != epoch or prefix.checkpoints[-1] != epoch:
        raise ValueError(f"epoch: the prefix run ends at {prefix.epochs_done}, not {epoch}")
    return frame_at(prefix, epoch)


def decode_p(frame: Mapping[str, Any]) -> np.ndarray:
    """Inverse of the boundary encoding: P per grid cell as float64 (for tests and checks)."""
    return np.frombuffer(base64.b64decode(frame["p"]), dtype=np.uint8) / 255.0


def decode_cls(frame: Mapping[str, Any]) -> np.ndarray | None:
    if frame.get("cls") is None:
        return None
    return np.frombuffer(base64.b64decode(frame["cls"]), dtype=np.uint8).astype(np.int64)


def lr_marks(rec: RunRecord) -> list[list[float]]:
    """[epoch, new learning rate] of each change of the run's rate (the curves draw a rule
    "lr → 3" there, as ``charts.core.lr_change_layers`` does)."""
    return [[int(e), float(x)] for e, x in rec.config.lr_changes if 0 < e <= rec.config.epochs]


def payload(rec: RunRecord, *, labels: Mapping[str, str], show_test: bool = True,
            log_scale: bool = False, signed: bool = False, seek: int | None = None,
            seek_nonce: int = 0, autoplay: bool = False, extra: Sequence[dict] = (),
            data_tag: str = "", scale: float = 1.0, min_font: float = 0.0,
            cache: dict[int, dict[str, Any]] | None = None, lang: str = "en",
            head: RunRecord | None = None, head_epoch: int = 0,
            network: bool = True) -> dict[str, Any]:
    """Everything the player draws, from one record.

    ``labels``: the player's texts in the page language (see ``explorer.texts.live``).
    ``seek``: an epoch to show (the page's slider or the URL; the player moves there when
    ``seek_nonce`` changes). ``autoplay``: start playing from epoch 0 once loaded. ``extra``:
    frames of epochs between checkpoints (``extra_frame``), merged into the frame list.
    ``cache``: epoch -> frame, reused across calls (a training's growing partial records).
    ``lang``: the language of the network figure's texts (``net``).
    ``scale`` grows the charts and their text; ``min_font``: no text smaller (px; projector).
    ``head``: a run that equals ``rec`` up to ``head_epoch`` (the run a learning-rate change
    continues, ``TrainConfig.with_lr_from``): while ``rec`` is still behind that epoch, the
    frames and history up to there are ``head``'s (the same numbers), so the player can stand
    at ``head_epoch`` while the new run trains.
    ``network``: with the network figure (``net_layout`` and every frame's ``net_frame``).
    """
    if head is not None and rec.epochs_done < head_epoch <= head.epochs_done:
        out = payload(head, labels=labels, show_test=show_test, log_scale=log_scale,
                      signed=signed, seek=seek, seek_nonce=seek_nonce, autoplay=autoplay,
                      extra=extra, data_tag=data_tag, scale=scale, min_font=min_font,
                      lang=lang)
        out["frames"] = [f for f in out["frames"] if f["epoch"] <= head_epoch]
        out["dense"] = dense_payload(trim(head.frames, head_epoch)) if head.frames else None
        out["checkpoints"] = [e for e in out["checkpoints"] if e <= head_epoch]
        out["history"] = {k: v[:head_epoch + 1] for k, v in out["history"].items()}
        out.update(run=run_id(rec.config, data_tag), complete=False, lr_changes=lr_marks(rec),
                   epochs_total=int(rec.epochs_total or rec.config.epochs),
                   epochs_done=int(head_epoch), diverged_at=None)
        return out
    d = rec.data
    K = d.n_classes
    h = rec.history
    norms = _grad_norms(rec)
    dense = dense_payload(rec.frames, bool(rec.complete))
    # a checkpoint the dense stream has: its histograms only (the boundary and network once),
    # but a finished run's last one whole: a link opened at the end draws it at once, before
    # the dense chunks are decoded
    last = {rec.checkpoints[-1]} if rec.complete and rec.checkpoints else set()
    covered = set(dense_epochs_of(dense)) - last
    if cache is None:
        frames = [frame_at(rec, e, norms, network, e not in covered) for e in rec.checkpoints]
    else:  # a training's partial records: each checkpoint's frame is encoded once
        for e in rec.checkpoints:
            if e not in cache:
                cache[e] = frame_at(rec, e, norms, network, e not in covered)
        frames = [cache[e] for e in rec.checkpoints]
    have = {f["epoch"] for f in frames}
    for f in extra:
        if f["epoch"] not in have and 0 <= f["epoch"] <= rec.epochs_done:
            frames.append(dict(f))
            have.add(f["epoch"])
    frames.sort(key=lambda f: f["epoch"])
    gx, gy = np.asarray(rec.grid_x), np.asarray(rec.grid_y)
    features, classes = display_names(d, lang)  # the page language's names
    names = list(classes or tuple(str(i) for i in range(K)))
    pts = {"x": _round(d.X_train[:, 0]), "y": _round(d.X_train[:, 1]),
           "label": d.y_train.astype(int).tolist()}
    tpts = ({"x": _round(d.X_test[:, 0]), "y": _round(d.X_test[:, 1]),
             "label": d.y_test.astype(int).tolist()} if show_test else None)
    L = rec.n_hidden + 1
    return {
        "run": run_id(rec.config, data_tag),
        "complete": bool(rec.complete),
        "epochs_total": int(rec.epochs_total or rec.config.epochs),
        "epochs_done": int(rec.epochs_done),
        "diverged_at": rec.diverged_at,
        "n_classes": int(K),
        "class_names": names,
        "colors": [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(K)],
        "features": list(features or ("x1", "x2")),
        "grid": {"nx": int(len(gx)), "ny": int(len(gy)),
                 "x0": float(gx[0]), "x1": float(gx[-1]), "y0": float(gy[0]), "y1": float(gy[-1])},
        "points": pts, "test_points": tpts,
        "history": {"epoch": h["epoch"].astype(int).tolist(),
                    "train_loss": _round(h["train_loss"]), "test_loss": _round(h["test_loss"]),
                    "train_acc": _round(h["train_acc"]), "test_acc": _round(h["test_acc"])},
        "checkpoints": [int(e) for e in rec.checkpoints],
        "lr_changes": lr_marks(rec),
        "frames": frames,
        "dense": dense,
        "grad_bins": [float(b) for b in GRAD_BINS],
        "layer_names": [labels.get("layer_output", "output") if li == L else
                        labels.get("layer_hidden", "hidden {n}").format(n=li)
                        for li in range(1, L + 1)],
        "options": {"show_test": bool(show_test), "log_scale": bool(log_scale),
                    "signed": bool(signed), "autoplay": bool(autoplay), "scale": float(scale),
                    "min_font": float(min_font)},
        "signed_colors": [SIGNED_POS, SIGNED_NEG],  # the static histograms' colours
        "seek": None if seek is None else {"epoch": int(seek), "nonce": int(seek_nonce)},
        "labels": dict(labels),
        "net": net_layout(rec, lang) if network else None,
    }


def group_payload(recs: Sequence[RunRecord], *, labels: Mapping[str, str],
                  titles: Sequence[str], colors: Sequence[str], log_scale: bool = False,
                  seek: int | None = None, seek_nonce: int = 0,
                  extras: Sequence[Sequence[dict]] | None = None, scale: float = 1.0,
                  min_font: float = 0.0, big: bool = False, max_height: int = 0,
                  autoplay: bool = False, lang: str = "en",
                  caches: dict | None = None) -> dict[str, Any]:
    """What Compare's player (one transport for several runs) draws: each run's ``payload``
    without the network (boundaries, histories, snapshots) with its title and colour, and
    the transport's view of all of them: the union of their snapshot epochs, complete when all
    are. ``big``: boundaries only, as large as the width allows; ``max_height``: the
    boundaries' height at most (px, 0: no limit). ``extras[i]``: run i's frames between
    snapshots (``extra_frame``). ``autoplay``: play from epoch 0 once loaded (a new set of
    runs in the session)."""
    if not (len(recs) == len(titles) == len(colors)) or not recs:
        raise ValueError("group_payload: one title and one colour per run, at least one run")
    runs = []
    for i, rec in enumerate(recs):
        p = payload(rec, labels=labels, show_test=True, log_scale=log_scale, scale=scale,
                    min_font=min_font, lang=lang, network=False,
                    extra=extras[i] if extras else (),
                    cache=None if caches is None else caches.setdefault(i, {}))
        p.update(title=str(titles[i]), color=str(colors[i]))
        runs.append(p)
    epochs = sorted({e for p in runs for e in frame_epochs(p)})
    run = group_run([p["run"] for p in runs])
    return {
        "group": True, "run": run, "runs": runs,
        "complete": all(p["complete"] for p in runs),
        "epochs_total": max(p["epochs_total"] for p in runs),
        "epochs_done": max(p["epochs_done"] for p in runs),
        "checkpoints": sorted({e for p in runs for e in p["checkpoints"]}),
        "frame_epochs": epochs,
        "options": {"log_scale": bool(log_scale), "autoplay": bool(autoplay), "scale": float(scale),
                    "min_font": float(min_font), "big": bool(big),
                    "max_height": int(max_height)},
        "seek": None if seek is None else {"epoch": int(seek), "nonce": int(seek_nonce)},
        "labels": dict(labels),
    }


def group_run(run_ids: Sequence[str]) -> str:
    """The id of runs shown together by one player (``group_payload``'s ``run``)."""
    return hashlib.sha1("|".join(run_ids).encode()).hexdigest()[:16]


def frame_epochs(p: Mapping[str, Any]) -> list[int]:
    """The epochs the player of one run's payload can show: its dense frames' and its
    checkpoint and extra frames' (those with a boundary), in order."""
    own = {int(f["epoch"]) for f in p["frames"] if f.get("p") is not None}
    return sorted(own | set(dense_epochs_of(p.get("dense"))))


def next_epoch(p: Mapping[str, Any], epoch: int) -> int | None:
    """The epoch ``Step +1 epoch`` goes to (None at the end); the player does the same."""
    return epoch + 1 if epoch + 1 <= int(p["epochs_done"]) else None


def next_checkpoint(p: Mapping[str, Any], epoch: int) -> int | None:
    """The first checkpoint after ``epoch`` (``Step +1 checkpoint``), None at the end."""
    later = [e for e in p["checkpoints"] if e > epoch]
    return later[0] if later else None
