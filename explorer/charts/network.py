"""The network diagram: layers as columns, every unit a small heatmap of what it computes.

``network_chart(rec, epoch)`` is a pure function record -> Altair chart (no Streamlit), drawn
from :func:`explorer.network_view.network_view`. Each unit's thumbnail is one PNG image (a
data URL, a few hundred bytes), so a frame of the diagram is a few hundred data rows whatever
the network's size, cheap to send while the player animates.

* columns: the input features (their own thumbnails), hidden 1 … L, the output;
* a hidden or input unit: its output over the plane, teal positive, brown negative, scaled to
  its own largest |value| (a flat unit looks flat); the output: the class probability in the
  boundary chart's colours;
* links: the weights between drawn units, teal positive, brown negative, width and opacity
  growing with |w| (one scale for the whole network); Maxout: the piece of largest |w|;
* dead units greyed and crossed (✕), saturated ones framed in purple;
* at most ``MAX_UNITS`` units per layer, the rest summarised as "+k more";
* tooltip: the unit, its mean activation on the training points, range, bias, incoming
  weights, state.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from functools import partial
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..activations import ACTIVATIONS
from ..features import FEATURES
from ..network_view import MAX_UNITS, SATURATED_SHARE, THUMB, NetworkView, network_view
from ..record import RunRecord
from ..texts import lookup
from ..texts.network import TEXT
from ..texts.stats import TEXT as STATS_TEXT
from .core import FONT, PAD, ct, layer_label
from .palette import CLASS_COLORS

#: sign colours of weights and activations (brown / teal, BrBG: colour-blind safe, and not an
#: activation's or a class's colour)
POS, NEG = "#018571", "#a6611a"
DEAD_FILL, DEAD_CROSS, SAT_FRAME = "#adb5bd", "#495057", "#7048e8"
DEAD_MARK = "✕"  # drawn over a dead unit's greyed thumbnail
#: column spacing bounds (px) and thumbnail size bounds (px)
MIN_GAP, MAX_GAP = 64, 220
MIN_S, MAX_S = 14, 46
HEADER, FOOTER = 46, 22


#: Diagram text in ``lang``: ``nt(key, lang, **fmt)``
nt = partial(lookup, TEXT)


# ------------------------------------------------------------------------------ images
def _hex(c: str) -> np.ndarray:
    return np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def _blend(t: np.ndarray, colour: str) -> np.ndarray:
    """White -> ``colour`` for t in [0, 1]: (..., 3) floats 0..255."""
    c = _hex(colour)
    t = np.clip(t, 0.0, 1.0)[..., None]
    return 255.0 + t * (c - 255.0)


def diverging_rgb(v: np.ndarray) -> np.ndarray:
    """v in [-1, 1] -> brown (−1) … white (0) … teal (+1), uint8 (..., 3)."""
    v = np.nan_to_num(np.asarray(v, dtype=np.float64))
    out = np.where(v[..., None] >= 0, _blend(v, POS), _blend(-v, NEG))
    return np.rint(out).astype(np.uint8)


def probability_rgb(p: np.ndarray, k: int | None = None) -> np.ndarray:
    """Binary (k None): P(class 1) as the boundary chart (blue 0 … white ½ … orange 1, at its
    0.55 opacity on white); class k: white … that class's colour."""
    p = np.nan_to_num(np.asarray(p, dtype=np.float64))
    if k is None:
        out = np.where(p[..., None] >= 0.5, _blend(0.55 * (2 * p - 1), CLASS_COLORS[1]),
                       _blend(0.55 * (1 - 2 * p), CLASS_COLORS[0]))
    else:
        out = _blend(0.75 * p, CLASS_COLORS[k % len(CLASS_COLORS)])
    return np.rint(out).astype(np.uint8)


def png_data_url(rgb: np.ndarray) -> str:
    """(h, w, 3) uint8 -> a PNG ``data:`` URL (8-bit RGB, no filter, zlib level 6)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[r].tobytes() for r in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def unit_rgb(view: NetworkView, layer: int, values: np.ndarray, index: int) -> np.ndarray:
    """The thumbnail's pixels (T, T, 3), the top row the largest y (values are x fastest,
    y increasing)."""
    T = len(view.grid_x)
    kind = view.layers[layer].kind
    if kind == "output":
        rgb = probability_rgb(values, None if view.binary else index)
    else:
        peak = float(np.max(np.abs(values))) if values.size else 0.0
        rgb = diverging_rgb(values / peak if peak > 0 and math.isfinite(peak) else values * 0)
    return rgb.reshape(len(view.grid_y), T, 3)[::-1]


# ------------------------------------------------------------------------------ text helpers
def _num(v: float) -> str:
    if not math.isfinite(v):
        return "—"
    if v == 0:
        return "0"
    return f"{v:.3g}" if 1e-3 <= abs(v) < 1e4 else f"{v:.2e}"


def _vec(w: np.ndarray, limit: int = 8) -> str:
    w = np.ravel(w)
    parts = [_num(float(x)) for x in w[:limit]]
    more = f" … (+{w.size - limit})" if w.size > limit else ""
    return ", ".join(parts) + more


def _weights_text(u: Any, lang: str) -> tuple[str, str]:
    if u.w_in is None:
        return "—", "—"
    if u.w_in.ndim == 2:  # Maxout: one column per piece
        k = u.w_in.shape[1]
        ws = "; ".join(f"{nt('piece', lang, n=i + 1)}: {_vec(u.w_in[:, i], 6)}" for i in range(k))
        bs = "; ".join(_num(float(b)) for b in np.ravel(u.bias))
        return ws, bs
    return _vec(u.w_in), _num(float(np.ravel(u.bias)[0]))


# ------------------------------------------------------------------------------ player texts
def layer_heads(view: NetworkView, li: int, lang: str = "en") -> tuple[str, str]:
    """Layer ``li``'s header and sub-header ("hidden 1 · ReLU", "16 units"), as the chart
    draws them (the live player's network figure uses these)."""
    lay, n_hidden = view.layers[li], len(view.layers) - 2
    if lay.kind == "input":
        return nt("inputs", lang), nt("n_features", lang, n=lay.n_units)
    if lay.kind == "output":
        return ct("output", lang), (ct("boundary.p1", lang) if view.binary
                                    else nt("n_classes", lang, n=lay.n_units))
    act = ACTIVATIONS[lay.activation].label_for(lang)
    return f"{layer_label(li, n_hidden, lang)} · {act}", nt("n_units", lang, n=lay.n_units)


def unit_texts(view: NetworkView, li: int, u: Any, lang: str = "en") -> tuple[str, str]:
    """A unit's tooltip name and what it computes ("hidden 1, unit 3", "ReLU")."""
    lay, n_hidden = view.layers[li], len(view.layers) - 2
    if lay.kind == "input":
        return FEATURES[u.name].label, nt(f"feature.{u.name}", lang)
    if lay.kind == "output":
        return ct("output", lang), (nt("out.binary", lang) if view.binary
                                    else nt("out.class", lang, k=u.index))
    return (nt("unit_name", lang, layer=layer_label(li, n_hidden, lang), n=u.label),
            ACTIVATIONS[lay.activation].label_for(lang))


# ------------------------------------------------------------------------------ the chart
def network_chart(rec: RunRecord, epoch: int | None = None, width: int = 900,
                  height: int = 360, lang: str = "en", max_units: int = MAX_UNITS,
                  thumb: int = THUMB, view: NetworkView | None = None,
                  font_scale: float = 1.0, min_font: float = 0.0) -> alt.LayerChart:
    """The diagram at the checkpoint nearest ``epoch`` (last if None); see the module
    docstring. ``width`` bounds the drawing's width, ``height`` its body (the thumbnails
    shrink to fit, between MIN_S and MAX_S px). The layer texts are data (their sizes too,
    which a projector's spec scaling does not reach): ``font_scale`` multiplies them, and the
    room they take, and ``min_font`` is their smallest size (projector mode: 1.3 and 16)."""
    view = view or network_view(rec, epoch, size=thumb, max_units=max_units)
    layers = view.layers
    n_cols = len(layers)
    rows = max(len(lay.units) for lay in layers)
    fs = max(1.0, font_scale)

    def font(size: float) -> float:
        return round(max(size * font_scale, min_font), 1)

    header = HEADER * max(fs, (font(FONT) + font(FONT - 2)) / (2 * FONT - 2))
    left = 58 * fs  # room for the feature labels
    gap_x = min(MAX_GAP, max(MIN_GAP, (width - left - MAX_S) / max(1, n_cols - 1)))
    S = int(min(MAX_S, max(MIN_S, height / rows * 0.78), 0.6 * gap_x))
    pitch = S + max(4, S // 4)
    body = rows * pitch
    W = int(left + gap_x * (n_cols - 1) + max(S / 2 + 8, 40 * fs))  # room for "P(class 1)"
    H = int(header + body + FOOTER * fs)
    n_hidden = len(layers) - 2

    units_rows, over, texts = [], [], []
    pos: dict[tuple[int, int], tuple[float, float]] = {}
    for li, lay in enumerate(layers):
        x = left + li * gap_x
        top = header + (body - len(lay.units) * pitch) / 2
        if lay.kind == "input":
            head, sub = nt("inputs", lang), nt("n_features", lang, n=lay.n_units)
        elif lay.kind == "output":
            head = ct("output", lang)
            sub = ct("boundary.p1", lang) if view.binary else nt("n_classes", lang,
                                                                  n=lay.n_units)
        else:
            head = f"{layer_label(li, n_hidden, lang)} · {ACTIVATIONS[lay.activation].label_for(lang)}"
            sub = nt("n_units", lang, n=lay.n_units)
        texts.append(_text(x, header / 2 - 6 * header / HEADER, head, font(FONT), "#212529"))
        texts.append(_text(x, header / 2 + 9 * header / HEADER, sub, font(FONT - 2),
                           "#868e96"))
        if lay.hidden_more:
            text = nt("more", lang, k=lay.hidden_more)
            if lay.dead_more:
                text += " · " + nt("more_dead", lang, d=lay.dead_more)
            texts.append(_text(x, top + len(lay.units) * pitch + 10 * fs, text, font(FONT - 1),
                               "#495057"))
        for u in lay.units:
            y = top + u.index * pitch + pitch / 2
            pos[(li, u.index)] = (x, y)
            ws, bs = _weights_text(u, lang)
            if lay.kind == "input":
                name, what, state = FEATURES[u.name].label, nt(f"feature.{u.name}", lang), "—"
            elif lay.kind == "output":
                name = ct("output", lang)
                what = nt("out.binary", lang) if view.binary else nt("out.class", lang,
                                                                      k=u.index)
                state = "—"
            else:
                name = nt("unit_name", lang, layer=layer_label(li, n_hidden, lang), n=u.label)
                what = ACTIVATIONS[lay.activation].label_for(lang)
                state = nt("state.dead" if u.dead else "state.saturated" if u.saturated
                           else "state.alive", lang)
            vals = u.values
            units_rows.append({
                "x": x, "y": y, "url": png_data_url(unit_rgb(view, li, vals, u.index)),
                "label": u.label if lay.kind == "input" else "",
                "unit": name, "what": what, "mean": _num(u.mean_act),
                "range": f"{_num(float(np.min(vals)))} … {_num(float(np.max(vals)))}",
                "bias": bs, "weights": ws, "state": state,
                "sat": f"{100 * u.sat_share:.0f}%" if lay.kind == "hidden" else "—"})
            box = {"x": x - S / 2, "x2": x + S / 2, "y": y - S / 2, "y2": y + S / 2}
            if u.dead:  # greyed, and crossed by a ✕ in the text layer (above the image)
                over.append({**box, "kind": "dead", "fill": DEAD_FILL, "fo": 0.75,
                             "stroke": DEAD_CROSS, "sw": 1.0})
                texts.append(_text(x, y, DEAD_MARK, int(S * 0.9), DEAD_CROSS))
            elif u.saturated:
                over.append({**box, "kind": "saturated", "fill": SAT_FRAME, "fo": 0.0,
                             "stroke": SAT_FRAME, "sw": 3.0})

    links = _links(view, pos, S)

    xs = alt.Scale(domain=[0, W], nice=False, zero=False, padding=0)
    ys = alt.Scale(domain=[0, H], nice=False, zero=False, padding=0, reverse=True)
    X = alt.X("x:Q", scale=xs, axis=None)
    Y = alt.Y("y:Q", scale=ys, axis=None)
    box2 = (X, alt.X2("x2:Q"), Y, alt.Y2("y2:Q"))
    udf = pd.DataFrame(units_rows)
    half = S / 2 + 1
    udf = udf.assign(bx=udf["x"] - half, bx2=udf["x"] + half, by=udf["y"] - half,
                     by2=udf["y"] + half)
    # six layers: links, thumbnail frames, thumbnails, dead/saturated marks, texts, labels
    parts = []
    if links:
        parts.append(alt.Chart(pd.DataFrame(links)).mark_rule(strokeCap="round").encode(
            *box2,
            color=alt.Color("sign:N", scale=alt.Scale(domain=["+", "-"], range=[POS, NEG]),
                            legend=None),
            strokeWidth=alt.StrokeWidth("sw:Q", scale=None),
            opacity=alt.Opacity("op:Q", scale=None),
            tooltip=[alt.Tooltip("w:Q", title="w", format=".3g")]))
    tip = _tooltip(lang)
    parts.append(alt.Chart(udf).mark_rect(fill="#ffffff", stroke="#ced4da", strokeWidth=1)
                 .encode(alt.X("bx:Q", scale=xs, axis=None), alt.X2("bx2:Q"),
                         alt.Y("by:Q", scale=ys, axis=None), alt.Y2("by2:Q")))
    parts.append(alt.Chart(udf).mark_image(width=S, height=S, aspect=False).encode(
        X, Y, url="url:N", tooltip=tip))
    if over:
        parts.append(alt.Chart(pd.DataFrame(over)).mark_rect().encode(
            *box2, fill=alt.Fill("fill:N", scale=None, legend=None),
            fillOpacity=alt.FillOpacity("fo:Q", scale=None),
            stroke=alt.Stroke("stroke:N", scale=None),
            strokeWidth=alt.StrokeWidth("sw:Q", scale=None)))
    parts.append(alt.Chart(pd.DataFrame(texts)).mark_text(baseline="middle").encode(
        X, Y, text="text:N", size=alt.Size("size:Q", scale=None),
        color=alt.Color("colour:N", scale=None)))
    inputs = udf[udf["label"] != ""]
    if len(inputs):
        parts.append(alt.Chart(inputs).mark_text(
            fontSize=FONT, align="right", baseline="middle", dx=-(S / 2 + 6),  # a spec size
            color="#343a40").encode(X, Y, text="label:N"))
    return alt.layer(*parts).properties(width=W, height=H, autosize=PAD,
                                        title=_title(rec, view, lang)) \
        .configure_view(stroke=None)


def _links(view: NetworkView, pos: dict[tuple[int, int], tuple[float, float]], S: int
           ) -> list[dict[str, Any]]:
    """One rule per finite weight between drawn units: sign colour, width and opacity growing
    with |w| (one scale for the whole network)."""
    layers, n_cols = view.layers, len(view.layers)
    links: list[dict[str, Any]] = []
    wmax = max((float(np.max(np.abs(L))) for L in view.links if L.size), default=0.0)
    wmax = wmax if wmax > 0 and math.isfinite(wmax) else 1.0
    for li in range(1, n_cols):
        A = view.links[li - 1]
        src, dst = layers[li - 1].units, layers[li].units
        for a, su in enumerate(src):
            x0, y0 = pos[(li - 1, su.index)]
            for b, du in enumerate(dst):
                w = float(A[a, b])
                if not math.isfinite(w):
                    continue
                x1, y1 = pos[(li, du.index)]
                r = abs(w) / wmax
                links.append({"x": x0 + S / 2, "y": y0, "x2": x1 - S / 2, "y2": y1,
                              "sign": "+" if w >= 0 else "-", "w": round(w, 4),
                              "sw": round(0.3 + 3.2 * r, 2), "op": round(0.12 + 0.7 * r, 3)})
    return links


def _tooltip(lang: str) -> list[alt.Tooltip]:
    """A unit's tooltip (its texts in ``lang``)."""
    return [alt.Tooltip("unit:N", title=nt("tip.unit", lang)),
            alt.Tooltip("what:N", title=nt("tip.what", lang)),
            alt.Tooltip("mean:N", title=nt("tip.mean", lang)),
            alt.Tooltip("range:N", title=nt("tip.range", lang)),
            alt.Tooltip("bias:N", title=nt("tip.bias", lang)),
            alt.Tooltip("weights:N", title=nt("tip.weights", lang)),
            alt.Tooltip("state:N", title=nt("tip.state", lang)),
            alt.Tooltip("sat:N", title=nt("tip.saturated", lang))]


def _title(rec: RunRecord, view: NetworkView, lang: str) -> Any:
    """The diagram's epoch, and in a subtitle how the weights were thinned if they were."""
    title: Any = nt("title", lang, epoch=view.epoch)
    if view.epoch != view.requested or len(rec.weight_epochs) < len(rec.checkpoints):
        title = alt.TitleParams(title, subtitle=nt(
            "thinned", lang, kept=len(rec.weight_epochs), total=len(rec.checkpoints),
            epoch=view.epoch), subtitleFontSize=FONT - 1)
    return title


def _text(x: float, y: float, text: str, size: float, colour: str) -> dict[str, Any]:
    return {"x": x, "y": y, "text": text, "size": size, "colour": colour}


def caption(lang: str = "en") -> str:
    """The diagram's legend in words (its constants filled in); a saturated point is worded
    by the statistics' one definition (``point.saturated``, as the layer table)."""
    return nt("caption", lang, share=f"{100 * SATURATED_SHARE:g}%",
              point=lookup(STATS_TEXT, "point.saturated", lang))
