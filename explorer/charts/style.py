"""What every chart shares: its text lookup, number formats, axes, title wrapping, sizes and
the projector mode's font scaling (``explorer.charts.core`` re-exports all of it)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

import altair as alt

from ..record import GRAD_LOG_LO, RunRecord
from ..texts import NO_BREAK_BEFORE, lookup
from ..texts.charts import TEXT
from .palette import NEUTRAL_INK, SIGNED_NEG, SIGNED_POS

#: distinct colours used when two curves share an activation (Tableau 10)
DISTINCT = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac"]
POS_COLOR, NEG_COLOR, ZERO_COLOR, OUTPUT_COLOR = SIGNED_POS, SIGNED_NEG, "#868e96", "#495057"
#: divergence rules and labels: neutral (red would read as ReLU)
DIVERGED_COLOR = NEUTRAL_INK
#: the "exactly zero" bar sits left of the smallest log10|g| bin
ZERO_LO, ZERO_HI = GRAD_LOG_LO - 1.0, GRAD_LOG_LO - 0.5
FONT = 13  # axis-label font size (readable on a projector)
#: single and layered charts: ``width`` is the whole chart (axes and legends included, so it
#: fits a column), ``height`` the plotting area; rows of small charts: plain sizes ("pad")
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")
PAD = alt.AutoSizeParams(type="pad", contains="padding")



#: Chart text in ``lang``: ``ct(key, lang, **fmt)``
ct = partial(lookup, TEXT)


def layer_label(layer: int, n_hidden: int, lang: str = "en") -> str:
    """"hidden 1" ... "output" (translated); ``layer`` is 1-based, output is n_hidden + 1."""
    return ct("output", lang) if layer == n_hidden + 1 else ct("hidden_n", lang, n=layer)


#: the one number format of every chart (axis labels, titles, tables): plain decimals
#: (at most 3 significant digits) from PLAIN_LO up to PLAIN_HI, ``m×10ⁿ`` (``10ⁿ`` for powers
#: of ten) outside; negative numbers with the minus sign "−" (as Vega draws them)
PLAIN_LO, PLAIN_HI = 1e-2, 1e4
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
#: d3 format of percentages (shares of weights, units, inputs) on every chart axis
PCT_FORMAT = ".0%"


def superscript(n: int) -> str:
    """``n`` in superscript digits: -5 -> "⁻⁵"."""
    return ("⁻" if n < 0 else "") + "".join(SUPERSCRIPTS[int(c)] for c in str(abs(n)))


def fmt_num(v: float | None, digits: int = 3) -> str:
    """The charts' one number format: 0.0228 -> '0.0228', 2500 -> '2500', 3.1e-5 ->
    '3.1×10⁻⁵', 1e-3 -> '10⁻³', -0.5 -> '−0.5'; non-finite -> '—'. The Vega expression
    :data:`NUM_EXPR` draws axis labels the same way."""
    if v is None or not math.isfinite(v):
        return "—"
    if v == 0:
        return "0"
    sign = "−" if v < 0 else ""
    a = abs(float(v))
    if PLAIN_LO <= a < PLAIN_HI:
        return sign + f"{float(f'{a:.{digits}g}'):g}"
    e = math.floor(math.log10(a) + 1e-9)
    mant = float(f"{a / 10.0 ** e:.2g}")
    if mant >= 10:
        mant, e = mant / 10, e + 1
    if abs(mant - 1) < 1e-9:
        return f"{sign}10{superscript(e)}"
    return f"{sign}{mant:g}×10{superscript(e)}"


def fmt_sci(v: float) -> str:
    """Gradient norms in the one number format (:func:`fmt_num`): 3.1e-02 -> '0.031',
    3.1e-05 -> '3.1×10⁻⁵'."""
    return fmt_num(v)


def num_expr(x: str) -> str:
    """Vega expression formatting the number ``x`` like :func:`fmt_num`."""
    a = f"abs({x})"
    e = f"floor(log({a}) / LN10 + 1e-9)"
    m = f"({a} / pow(10, {e}))"
    digits = "[" + ",".join(f"'{c}'" for c in SUPERSCRIPTS) + "]"
    sup = (f"(({e}) < 0 ? '⁻' : '') + (abs({e}) >= 10 ? {digits}[floor(abs({e}) / 10)] : '')"
           f" + {digits}[abs({e}) % 10]")
    sign = f"(({x}) < 0 ? '−' : '')"
    return (f"({x}) == 0 ? '0' : ({a} >= {PLAIN_LO} && {a} < {PLAIN_HI} ? "
            f"{sign} + format({a}, '.3~r') : (abs({m} - 1) < 0.005 ? {sign} + '10' + {sup} : "
            f"{sign} + format({m}, '.2~r') + '×10' + {sup}))")


#: labelExpr of every numeric (non-percent) chart axis: the format of :func:`fmt_num`
NUM_EXPR = num_expr("datum.value")
LABEL_EXPRS: set[str] = {NUM_EXPR}


def tick_label_expr(values: Sequence[float], labels: Sequence[str] | None = None) -> str:
    """labelExpr naming each tick ``values[i]`` by ``labels[i]`` (default: :func:`fmt_num`);
    other values get no label. Every chart's hand-placed ticks go through here."""
    labels = [fmt_num(v) for v in values] if labels is None else list(labels)
    expr = "''"
    for v, lab in reversed(list(zip(values, labels, strict=True))):
        lab = str(lab).replace("\\", "").replace("'", "\\'")
        expr = f"abs(datum.value - ({float(v):.6g})) < 1e-6 * max(1, abs({float(v):.6g})) " \
               f"? '{lab}' : ({expr})"
    LABEL_EXPRS.add(expr)
    return expr


def is_shared_format(axis: dict[str, Any]) -> bool:
    """True when an axis (a Vega-Lite axis dict) labels its numbers with the charts' one
    format: :data:`NUM_EXPR`, a :func:`tick_label_expr`, or the percent format."""
    if axis.get("labelExpr") is not None:
        return axis["labelExpr"] in LABEL_EXPRS
    return axis.get("format") == PCT_FORMAT


def num_axis(title: str | None, **kw: Any) -> alt.Axis:
    """A numeric axis labelled in the one number format."""
    return plain_axis(title, **{"labelExpr": NUM_EXPR, **kw})


def pct_axis(title: str | None, **kw: Any) -> alt.Axis:
    """A share axis (0–100 %)."""
    return plain_axis(title, **{"format": PCT_FORMAT, **kw})


# ------------------------------------------------------------------------------ titles
def is_wide(ch: str) -> bool:
    """True for a full-width character (CJK, Hangul, full-width forms): about 1 em wide."""
    o = ord(ch)
    return (0x1100 <= o <= 0x115F or 0x2E80 <= o <= 0xA4CF or 0xAC00 <= o <= 0xD7A3
            or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFF60
            or 0xFFE0 <= o <= 0xFFE6)


#: estimated advance of one character, in ems (CJK characters are about twice as wide).
#: Measured in Chromium with the charts' font (Source Sans): Latin 0.40–0.47 em (bold
#: included), CJK 1.0 em; rounded up so that an estimated line is never narrower than drawn
EM_LATIN, EM_WIDE = 0.5, 1.05


def text_px(text: str, size: float) -> float:
    """Estimated width in pixels of ``text`` at font size ``size`` (conservative)."""
    return size * sum(EM_WIDE if is_wide(c) else EM_LATIN for c in text)


def wrap_text(text: str, width: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` px at font size ``size``: at spaces
    in Latin text, between any two CJK characters (never before CJK punctuation)."""
    out: list[str] = []
    for para in str(text).split("\n"):
        tokens: list[str] = []
        for part in para.split(" "):  # words; CJK runs split into single characters
            buf = ""
            for c in part:
                if is_wide(c) and c not in NO_BREAK_BEFORE:
                    if buf:
                        tokens.append(buf)
                    buf = c
                elif is_wide(c):
                    buf += c
                else:
                    if buf and is_wide(buf[-1]) and c not in ",.;:)":
                        tokens.append(buf)
                        buf = ""
                    buf += c
            if buf:
                tokens.append(buf)
            tokens.append(" ")
        line = ""
        for tok in tokens[:-1] if tokens else []:
            trial = line + tok
            if line.strip() and text_px(trial.rstrip(), size) > width:
                out.append(line.rstrip())
                line = "" if tok == " " else tok
            else:
                line = trial
        out.append(line.rstrip())
    return [ln for ln in out if ln] or [""]


def fit_title(text: str | Sequence[str], width: float, size: float = FONT,
              subtitle: str | Sequence[str] | None = None, subtitle_size: float | None = None,
              **kw: Any) -> alt.TitleParams:
    """A chart title (and subtitle) wrapped into lines that fit ``width`` px: never cut with
    "…" (no ``limit``). ``text`` may already be a list of lines; each is wrapped."""
    def lines(t: str | Sequence[str], s: float) -> list[str] | str:
        parts = [t] if isinstance(t, str) else list(t)
        out = [ln for p in parts for ln in wrap_text(p, width, s)]
        return out[0] if len(out) == 1 else out

    sub_size = subtitle_size if subtitle_size is not None else size - 1
    extra: dict[str, Any] = {"anchor": "start", "limit": 0, **kw}
    if subtitle:
        extra.update(subtitle=lines(subtitle, sub_size), subtitleFontSize=sub_size)
    return alt.TitleParams(lines(text, size), fontSize=size, **extra)


def fmt_pct(v: float, digits: int = 0) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{100 * v:.{digits}f}%"


def checkpoint_at(rec: RunRecord, epoch: int | None) -> int:
    """The checkpoint shown for ``epoch``: the nearest one, the last for ``None``."""
    return rec.checkpoints[-1] if epoch is None else rec.nearest_checkpoint(epoch)


def plain_axis(title: str | None, **kw: Any) -> alt.Axis:
    """An axis in the charts' font size, labels as given in ``kw``."""
    kw = {"labelFontSize": FONT, "titleFontSize": FONT, **kw}
    return alt.Axis(title=title, **kw)


# ------------------------------------------------------------------------------ projector
#: spec keys holding a font size (axes, legends, titles, text marks)
FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})
#: Vega-Lite's default font sizes, for charts that leave them unset
DEFAULT_FONTS = {"axis": {"labelFontSize": 10, "titleFontSize": 11},
                 "legend": {"labelFontSize": 10, "titleFontSize": 11},
                 "header": {"labelFontSize": 10, "titleFontSize": 11},
                 "title": {"fontSize": 13, "subtitleFontSize": 12},
                 "text": {"fontSize": 11}}


#: spec keys holding a text width limit (scaled with the fonts so nothing gets cut sooner)
LIMIT_KEYS = frozenset({"limit", "labelLimit", "titleLimit"})
#: smallest chart text in projector mode (px): readable from the back of a lecture room
PROJECTOR_MIN_FONT = 16
#: chart font factor in projector mode (charts are drawn this much larger too)
PROJECTOR_FACTOR = 1.3


def scale_fonts(spec: dict[str, Any], factor: float, floor: float = 0) -> dict[str, Any]:
    """Multiply every font size in a Vega-Lite spec (a dict, changed in place and returned)
    by ``factor``, and raise it to at least ``floor`` px: explicit sizes anywhere in the spec,
    and the defaults in ``config`` for text that has none (projector mode). Text width
    limits grow by the same factor; data, widths and heights are left alone."""

    def size(value: float) -> float:
        return round(max(value * factor, floor), 1)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("datasets", "data", "values"):
                    continue
                if key in FONT_KEYS and isinstance(value, (int, float)) \
                        and not isinstance(value, bool):
                    node[key] = size(value)
                elif key in LIMIT_KEYS and isinstance(value, (int, float)) \
                        and not isinstance(value, bool) and value > 0:
                    node[key] = round(value * max(factor, 1.0), 1)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    config = spec.setdefault("config", {})
    for part, sizes in DEFAULT_FONTS.items():
        block = config.setdefault(part, {})
        for key, default in sizes.items():
            block.setdefault(key, size(default))
    return spec


def projector_spec(chart: Any, factor: float = PROJECTOR_FACTOR,
                   min_font: float = PROJECTOR_MIN_FONT) -> dict[str, Any]:
    """The projector-mode version of a chart (an Altair chart or a Vega-Lite spec dict): every
    text ``factor`` times larger and at least ``min_font`` px. Pages draw charts through
    ``explorer.app.display.show_chart``, which applies this in projector mode."""
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return scale_fonts(spec, factor, floor=min_font)


def phone_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec laid out for a phone's narrow screen: every legend placed on the right
    of its chart goes below it (on a 340 px wide chart a legend on the right left the plot
    about 90 px). A copy: the spec (shared by the cache of built views) is not changed."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            legend = out.get("legend")
            if isinstance(legend, dict) and str(legend.get("orient", "right")).endswith("right"):
                out["legend"] = {**legend, "orient": "bottom", "direction": "vertical"}
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out = walk({k: v for k, v in spec.items() if k != "datasets"})
    if "datasets" in spec:
        out["datasets"] = spec["datasets"]
    config = dict(out.get("config") or {})
    config["legend"] = {**(config.get("legend") or {}), "orient": "bottom",
                        "direction": "vertical"}
    out["config"] = config
    return out
