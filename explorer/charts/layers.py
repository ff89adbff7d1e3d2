"""Per-layer charts and numbers: gradient and activation histograms in a row, the layer table,
a checkpoint's computed facts and its one-line summary."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..record import ACT_BINS, GRAD_BINS, GRAD_LOG_HI, RunRecord
from .palette import ACTIVATION_COLORS
from .style import (
    FONT,
    NEG_COLOR,
    OUTPUT_COLOR,
    PAD,
    POS_COLOR,
    ZERO_COLOR,
    ZERO_HI,
    ZERO_LO,
    checkpoint_at,
    ct,
    fit_title,
    fmt_num,
    fmt_pct,
    fmt_sci,
    layer_label,
    num_axis,
    pct_axis,
    plain_axis,
    tick_label_expr,
)


# ------------------------------------------------------------------------------ histograms
def log_tick_expr(step: int = 3) -> tuple[list[float], str]:
    """Tick positions and a labelExpr: '0' under the zero bar, powers of ten elsewhere."""
    ticks = [(ZERO_LO + ZERO_HI) / 2] + list(range(-3 * step, int(GRAD_LOG_HI) + 1, step))
    labels = ["0"] + [fmt_num(10.0 ** t) for t in ticks[1:]]
    return ticks, tick_label_expr(ticks, labels)


#: the underflow bin (0 < |g| < 10^GRAD_BINS[1], the first bin) is drawn this pale
UNDER_OPACITY = 0.45


def under_text() -> str:
    """The underflow bin's upper edge, "10^−9.75" (from ``GRAD_BINS``)."""
    return f"10^{float(GRAD_BINS[1]):g}".replace("-", "−")


def bin_text(lo: float, hi: float, lang: str = "en") -> str:
    """A histogram bar's range of |g|: "exactly 0", "0 < |g| < 10^−9.75" for the underflow
    bin (every smaller nonzero value is counted there), else "10^a ≤ |g| < 10^b"."""
    if lo == ZERO_LO:
        return ct("grad.zero", lang)
    if lo == float(GRAD_BINS[0]):
        return ct("grad.bin_under", lang, under=under_text())
    return f"10^{lo:g} ≤ |g| < 10^{hi:g}".replace("-", "−")


def layer_colour(rec: RunRecord, layer: int) -> str:
    """Colour of layer ``layer`` (1-based): its activation's, the output layer's after the last."""
    acts = rec.config.hidden_activations()
    return ACTIVATION_COLORS.get(acts[layer - 1], OUTPUT_COLOR) if layer <= len(acts) \
        else OUTPUT_COLOR


def grad_fractions(rec: RunRecord, epoch: int | None = None) -> pd.DataFrame:
    """Per layer and bin: fraction of the layer's weights with a positive / negative gradient
    in that log10|g| bin, plus one row per layer (bin_lo = ZERO_LO) for exact zeros."""
    gh = rec.grad_hist(epoch)
    gz = rec.grad_zeros(epoch).set_index("layer")["zeros"]
    total = gh.groupby("layer")["count"].sum() + gz
    denom = gh["layer"].map(total).clip(lower=1).to_numpy(dtype=np.float64)
    out = pd.DataFrame({"layer": gh["layer"], "bin_lo": gh["bin_lo"], "bin_hi": gh["bin_hi"],
                        "pos": gh["count_pos"] / denom, "neg": gh["count_neg"] / denom})
    zeros = pd.DataFrame({"layer": gz.index, "bin_lo": ZERO_LO, "bin_hi": ZERO_HI,
                          "pos": (gz / total.clip(lower=1)).to_numpy(dtype=np.float64),
                          "neg": 0.0})
    return pd.concat([zeros, out], ignore_index=True)


def grad_domain(rec: RunRecord, signed: bool) -> list[float]:
    """y domain of a record's gradient histograms: holds every bar of every checkpoint and
    layer, the "exactly 0" bar included (so replay keeps the y axis still and no bar is ever
    clipped). Unsigned: [0, top]; signed: [−largest negative bar, largest positive or zero
    bar] (the zero bar points up)."""
    gc = np.asarray(rec.grad_counts, dtype=np.float64)  # (C, layers, 2, bins)
    gz = np.asarray(rec.grad_zero_counts, dtype=np.float64)  # (C, layers)
    if gc.size == 0:
        return [-1.0, 1.0] if signed else [0.0, 1.0]
    total = np.maximum(gc.sum(axis=(2, 3)) + gz, 1.0)
    zeros = float((gz / total).max()) if gz.size else 0.0
    if not signed:
        m = max(float((gc.sum(axis=2) / total[:, :, None]).max()), zeros)
        return [0.0, pad_top(m)]
    share = gc / total[:, :, None, None]
    return [-pad_top(float(share[:, :, 1].max())), pad_top(max(float(share[:, :, 0].max()),
                                                                    zeros))]


def pad_top(m: float) -> float:
    """A y-axis top a little above the largest bar ``m`` (a share, so at most 1)."""
    return max(m, min(1.0, max(0.05, m * 1.08)))


def grad_hist_row(rec: RunRecord, epoch: int | None = None, signed: bool = False,
                  width_per_layer: int = 150, height: int = 160, lang: str = "en",
                  y_max: float | None = None, total_width: int | None = None,
                  max_width: int = 150) -> alt.HConcatChart:
    """One small histogram of weight gradients per layer, in a row, on shared axes.

    x: log10|g| in the fixed bins of ``record.GRAD_BINS`` (the same for every run and epoch)
    plus a grey bar at the far left for gradients that are exactly 0. y: share of the layer's
    weights (one scale for the whole row, constant over the record's checkpoints unless
    ``y_max`` is given). ``signed``: positive gradients up (green), negative down (red).
    Each title names the layer and its gradient norm; the subtitle the share of exact zeros.
    ``total_width`` (pixels for the whole row) overrides ``width_per_layer`` so that deep
    networks still fit (each chart between 64 and ``max_width`` px wide; larger in projector
    mode).
    """
    ep = checkpoint_at(rec, epoch)
    fr = grad_fractions(rec, ep)
    stats = rec.stats_at(ep).set_index("layer")
    n_layers = int(fr["layer"].max())
    if total_width is not None:
        width_per_layer = fit_width(n_layers, total_width, hi=max_width)
    ydom = grad_domain(rec, signed)
    if y_max is not None:  # a caller's shared top; grown if a bar of this record is higher
        ydom = [min(ydom[0], -y_max), max(ydom[1], y_max)] if signed \
            else [0.0, max(ydom[1], y_max)]
    ticks, expr = log_tick_expr(3 if width_per_layer >= 110 else 6)
    xs = alt.Scale(domain=[ZERO_LO, float(GRAD_BINS[-1])], nice=False, zero=False)
    ys = alt.Scale(domain=ydom, nice=False)
    charts = []
    for layer in range(1, n_layers + 1):
        d = fr[fr["layer"] == layer]
        zero_share = float(d.loc[d["bin_lo"] == ZERO_LO, "pos"].sum())
        is_zero = d["bin_lo"] == ZERO_LO
        colour = layer_colour(rec, layer)
        if signed:
            rows = pd.concat([
                pd.DataFrame({"bin_lo": d["bin_lo"], "bin_hi": d["bin_hi"], "y": d["pos"],
                              "share": d["pos"],
                              "sign": np.where(is_zero, ct("grad.zero", lang),
                                               ct("grad.pos", lang))}),
                pd.DataFrame({"bin_lo": d["bin_lo"][~is_zero], "bin_hi": d["bin_hi"][~is_zero],
                              "y": -d["neg"][~is_zero], "share": d["neg"][~is_zero],
                              "sign": ct("grad.neg", lang)})], ignore_index=True)
            cdom = [ct("grad.pos", lang), ct("grad.neg", lang), ct("grad.zero", lang)]
            crange = [POS_COLOR, NEG_COLOR, ZERO_COLOR]
        else:
            rows = pd.DataFrame({"bin_lo": d["bin_lo"], "bin_hi": d["bin_hi"],
                                 "y": d["pos"] + d["neg"], "share": d["pos"] + d["neg"],
                                 "sign": np.where(is_zero, ct("grad.zero", lang),
                                                  ct("grad.pos", lang) + "+" +
                                                  ct("grad.neg", lang))})
            cdom = [ct("grad.pos", lang) + "+" + ct("grad.neg", lang), ct("grad.zero", lang)]
            crange = [colour, ZERO_COLOR]
        rows = rows[rows["share"] > 0].assign(zero=0.0)
        # the first bin also holds every smaller nonzero |g| (an underflow bin): drawn pale
        rows["under"] = rows["bin_lo"] == float(GRAD_BINS[0])
        rows["bin"] = [bin_text(lo, hi, lang) for lo, hi in zip(rows["bin_lo"], rows["bin_hi"],
                                                                strict=True)]
        first = layer == 1
        y_axis = pct_axis(ct("grad.frac.signed" if signed else "grad.frac", lang) if first
                          else None, labels=first, ticks=first, tickCount=4, domain=False)
        norm = float(stats.loc[layer, "grad_norm"]) if layer in stats.index else float("nan")
        name = layer_label(layer, n_layers - 1, lang)
        title = fit_title([name, ct("grad.norm", lang, norm=fmt_sci(norm))], width_per_layer,
                          FONT, subtitle=ct("grad.zeros", lang, pct=fmt_pct(zero_share)),
                          subtitle_size=FONT - 1, subtitleColor="#555555")
        bars = alt.Chart(rows).mark_rect(clip=True).encode(
            alt.X("bin_lo:Q", scale=xs, axis=plain_axis(None, values=ticks, labelExpr=expr,
                                                   grid=False, labelOverlap=False,
                                                   labelFontSize=FONT - 2)),
            alt.X2("bin_hi"), alt.Y("y:Q", scale=ys, axis=y_axis), alt.Y2("zero"),
            color=alt.Color("sign:N", scale=alt.Scale(domain=cdom, range=crange), legend=None),
            opacity=alt.condition("datum.under", alt.value(UNDER_OPACITY), alt.value(1.0)),
            tooltip=[alt.Tooltip("sign:N", title=ct("grad.sign", lang)),
                     alt.Tooltip("bin:N", title="|g|"),
                     alt.Tooltip("share:Q", title=ct("grad.frac", lang), format=".1%")])
        layer_chart = bars
        if signed:
            axis0 = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#333333").encode(
                alt.Y("y:Q", scale=ys))
            layer_chart = alt.layer(bars, axis0)
        charts.append(layer_chart.properties(width=width_per_layer, height=height, title=title))
    row = alt.hconcat(*charts, spacing=8)
    row_w = n_layers * (width_per_layer + 8) + 40
    return row.properties(autosize=PAD, title=fit_title(
        ct("grad.axis", lang, under=under_text()), row_w, FONT, orient="bottom", anchor="middle",
        fontWeight="normal"))


def fit_width(n_charts: int, total_width: int, lo: int = 64, hi: int = 150,
              axis: int = 70, spacing: int = 8) -> int:
    """Width of each of ``n_charts`` small charts in a row that should span ``total_width``."""
    return int(max(lo, min(hi, (total_width - axis) / max(1, n_charts) - spacing)))


def act_hist_row(rec: RunRecord, epoch: int | None = None, width_per_layer: int = 150,
                 height: int = 140, lang: str = "en") -> alt.HConcatChart:
    """Histogram of each hidden layer's activation values (``record.ACT_BINS``), shared axes."""
    ep = checkpoint_at(rec, epoch)
    ah = rec.act_hist(ep)
    tot = ah.groupby("layer")["count"].transform("sum").clip(lower=1)
    ah = ah.assign(share=ah["count"] / tot, zero=0.0)
    ymax = pad_top(float(ah["share"].max())) if len(ah) else 1.0  # holds every bar
    xs = alt.Scale(domain=[float(ACT_BINS[0]), float(ACT_BINS[-1])], nice=False)
    ys = alt.Scale(domain=[0, ymax], nice=False)
    charts = []
    n_hidden = rec.n_hidden
    for layer in range(1, n_hidden + 1):
        d = ah[(ah["layer"] == layer) & (ah["share"] > 0)]
        first = layer == 1
        charts.append(alt.Chart(d).mark_rect(color=layer_colour(rec, layer)).encode(
            alt.X("bin_lo:Q", scale=xs, axis=num_axis(None, tickCount=4)), alt.X2("bin_hi"),
            alt.Y("share:Q", scale=ys, axis=pct_axis(ct("act.frac", lang) if first else None,
                                                     labels=first, ticks=first,
                                                     tickCount=4)),
            alt.Y2("zero"),
            tooltip=[alt.Tooltip("bin_lo:Q", format=".2f"),
                     alt.Tooltip("share:Q", title=ct("act.frac", lang), format=".1%")],
        ).properties(width=width_per_layer, height=height,
                     title=fit_title(layer_label(layer, n_hidden, lang), width_per_layer, FONT)))
    return alt.hconcat(*charts, spacing=8).properties(
        autosize=PAD, title=fit_title(ct("act.axis", lang), n_hidden * (width_per_layer + 8) + 40,
                                      FONT, orient="bottom", anchor="middle",
                                      fontWeight="normal"))


# ------------------------------------------------------------------------------ table
def layer_table(rec: RunRecord, epoch: int | None = None, lang: str = "en") -> pd.DataFrame:
    """Per layer at a checkpoint: gradient norm, dead %, saturated %, same-sign % (strings,
    translated column names; "—" where a statistic does not apply, e.g. dead output units)."""
    st = rec.stats_at(epoch)
    n_hidden = rec.n_hidden
    rows = []
    for r in st.itertuples(index=False):
        layer = int(r.layer)
        hidden = layer <= n_hidden
        dead = f"{fmt_pct(r.dead_frac)} ({int(r.dead_count)}/{int(r.units)})" if hidden else "—"
        sat = fmt_pct(r.saturated_frac) if hidden else "—"
        asleep = (f"{fmt_pct(r.asleep_frac)} ({int(r.asleep_count)}/{int(r.units)})"
                  if hidden and "asleep_frac" in st and math.isfinite(float(r.asleep_frac))
                  else "—")  # NaN: the activation cannot sleep (explorer.record)
        same = fmt_pct(float(r.same_sign_frac))
        if "same_sign_chance" in st and math.isfinite(float(r.same_sign_chance)):
            # read against the chance level 2^(1−d) of the layer's fan-in d (record.py)
            same = ct("same_sign_cell", lang, v=same, c=fmt_pct(float(r.same_sign_chance)))
        rows.append({ct("layer", lang): layer_label(layer, n_hidden, lang),
                     ct("units", lang): int(r.units),
                     ct("grad_norm", lang): fmt_sci(float(r.grad_norm)),
                     ct("dead", lang): dead,
                     ct("asleep", lang): asleep,
                     ct("saturated", lang): sat,
                     ct("same_sign", lang): same})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ numbers
def snapshot_numbers(rec: RunRecord, epoch: int | None = None) -> dict[str, Any]:
    """The numbers a one-line summary of a checkpoint needs (all computed from the record).

    Keys: epoch, train_acc, test_acc, train_loss, dead, hidden_units, first_norm, last_norm,
    ratio (first-layer / output-layer gradient norm; nan if the output norm is 0),
    saturated (mean saturated share over hidden layers), revived.
    """
    ep = checkpoint_at(rec, epoch)
    h = rec.history
    row = h[h["epoch"] <= ep].iloc[-1] if len(h) else None
    st = rec.stats_at(ep)
    hidden = st[st["layer"] <= rec.n_hidden]
    first = float(st.loc[st["layer"] == 1, "grad_norm"].iloc[0])
    last = float(st.loc[st["layer"] == rec.n_hidden + 1, "grad_norm"].iloc[0])
    return {
        "epoch": ep,
        "train_acc": float(row["train_acc"]) if row is not None else float("nan"),
        "test_acc": float(row["test_acc"]) if row is not None else float("nan"),
        "train_loss": float(row["train_loss"]) if row is not None else float("nan"),
        "dead": int(hidden["dead_count"].sum()),
        "hidden_units": int(hidden["units"].sum()),
        "first_norm": first, "last_norm": last,
        "ratio": first / last if last > 0 else float("nan"),
        "saturated": float(hidden["saturated_frac"].mean()) if len(hidden) else 0.0,
        "revived": int(hidden["revived"].sum()) if len(hidden) else 0,
    }


def ratio_text(ratio: float, first: float, last: float, lang: str = "en") -> str:
    """"first-layer gradient norm is 1/800 of the output layer's" (or ×, or exactly 0)."""
    if last == 0 and first == 0:
        return ct("sum.all_zero", lang)
    if first == 0:
        return ct("sum.first_zero", lang)
    if not math.isfinite(ratio):
        return ""
    if 0.8 <= ratio <= 1.25:
        return ct("sum.ratio_eq", lang)
    if ratio < 1:
        inv = 1.0 / ratio
        n = f"{inv:.2g}" if inv < 100 else f"{float(f'{inv:.2g}'):.0f}"
        return ct("sum.ratio_lt", lang, n=n)
    return ct("sum.ratio_gt", lang, x=f"{ratio:.2g}")


def summary_line(rec: RunRecord, epoch: int | None = None, lang: str = "en") -> str:
    """One sentence of computed facts about a checkpoint (accuracy, dead units, saturation,
    revivals, first-layer vs output gradient norm)."""
    n = snapshot_numbers(rec, epoch)
    sep = ct("sum.sep", lang)
    parts = [ct("sum.acc", lang, epoch=n["epoch"], train=fmt_pct(n["train_acc"]),
                test=fmt_pct(n["test_acc"])),
             ct("sum.dead", lang, dead=n["dead"], units=n["hidden_units"])]
    if n["revived"]:
        parts.append(ct("sum.revived", lang, n=n["revived"]))
    if n["saturated"] >= 0.005:
        parts.append(ct("sum.saturated", lang, pct=fmt_pct(n["saturated"])))
    ratio = ratio_text(n["ratio"], n["first_norm"], n["last_norm"], lang)
    if ratio:
        parts.append(ratio)
    return sep.join(parts) + ct("sum.end", lang)
