"""The data of a chart as tables (WCAG 2.1 AA, issue 29: every chart's numbers as text).

A chart drawn on a canvas or as an SVG tells a screen reader nothing of its numbers; the page
shows them under the chart as tables. They are read from the chart's own Vega-Lite spec (the
data frames its builder made, as Streamlit sends them to the browser), never computed a
second time, so a table always says what the chart draws:

- one table per data set of the chart, its columns those the chart shows as numbers or
  words (a field with an axis, legend or tooltip title, the text of a text mark) named by
  the chart's own titles (already in the page language); a data set of decoration only (a
  band, a rule, a diagram's lines) is left out;
- data sets with the same columns drawn in different titled parts of the chart (the
  histogram of each layer) become one table with a column naming the part;
- a table over :data:`MAX_ROWS` rows keeps every ``step``-th row (``ChartTable.step``): the
  page says so (a boundary's grid of class probabilities is thinned this way).

Also the live player's numbers (:func:`player_table`): its canvases draw the record's history
and per-layer statistics, which the record keeps as tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from ..datasets import display_names
from ..record import RunRecord
from .style import ct, layer_label

__all__ = ["MAX_ROWS", "ChartTable", "boundary_table", "chart_tables", "player_table",
           "spec_frames", "thin"]

#: at most this many rows per table (a few thousand: a boundary's grid is thinned)
MAX_ROWS = 2000
_PARTS = ("layer", "hconcat", "vconcat", "concat")
_HISTORY = ("epoch", "train_loss", "test_loss", "train_acc", "test_acc")
#: the names of :func:`chart_tables` in English (a page passes its language's)
_LABELS = {"part": "part", "text": "label", "x": "x", "y": "y", "color": "colour",
           "value": "value"}


@dataclass(frozen=True)
class ChartTable:
    """One table of a chart's data: ``frame`` holds every ``step``-th of its ``rows`` rows;
    ``part``: the title of the part of the chart that draws it ("" for the whole chart)."""

    frame: pd.DataFrame
    rows: int
    step: int
    part: str


def thin(frame: pd.DataFrame, max_rows: int = MAX_ROWS) -> tuple[pd.DataFrame, int]:
    """(every ``step``-th row of ``frame``, ``step``): at most ``max_rows`` rows, the first
    one always kept (step 1: the whole frame)."""
    step = max(1, math.ceil(len(frame) / max(1, max_rows)))
    out = frame.iloc[::step] if step > 1 else frame
    return out.reset_index(drop=True), step


def _text(title: Any) -> str:
    if isinstance(title, str):
        return " ".join(title.split())
    if isinstance(title, (list, tuple)):
        return " ".join(_text(t) for t in title).strip()
    if isinstance(title, Mapping):
        return _text(title.get("text"))
    return ""


def _decoded(data: Any) -> pd.DataFrame | None:
    """A data set of the spec: Arrow IPC bytes (Streamlit's conversion) or a list of rows."""
    if isinstance(data, (bytes, bytearray)):
        return pa.ipc.open_stream(pa.py_buffer(bytes(data))).read_all().to_pandas()
    if isinstance(data, list) and all(isinstance(r, Mapping) for r in data):
        return pd.DataFrame(data)
    return None


def spec_frames(spec: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The data sets of a Vega-Lite spec by name (a top-level ``data.values`` as "")."""
    out: dict[str, pd.DataFrame] = {}
    for name, data in (spec.get("datasets") or {}).items():
        frame = _decoded(data)
        if frame is not None:
            out[str(name)] = frame
    top = spec.get("data")
    if isinstance(top, Mapping) and "values" in top:
        frame = _decoded(top["values"])
        if frame is not None:
            out[""] = frame
    return out


def _uses(view: Mapping[str, Any], data: str | None, part: str, top: bool,
          out: dict[str | None, dict[str, Any]]) -> None:
    """For each data set: the fields the views drawing it encode ({field: its first
    channel, a tooltip's last}), the fields its ``calculate`` transforms make ({new field: expression}) and the
    titles of the parts that draw it. Under None, for the whole chart: the title of each field
    and of each channel (the first a view gives: a layer sharing an axis has none)."""
    own = view.get("data")
    if isinstance(own, Mapping):
        data = str(own["name"]) if "name" in own else "" if "values" in own else data
    title = "" if top else _text(view.get("title"))
    part = title or part
    chart = out.setdefault(None, {"fields": {}, "channels": {}})
    if data is not None and (view.get("encoding") is not None or view.get("transform")):
        use = out.setdefault(data, {"fields": {}, "parts": [], "calc": {}})
        if part not in use["parts"]:
            use["parts"].append(part)
        for t in view.get("transform") or ():
            if isinstance(t, Mapping) and isinstance(t.get("calculate"), str):
                use["calc"].setdefault(str(t.get("as")), t["calculate"])
        for channel, enc in (view.get("encoding") or {}).items():
            for e in enc if isinstance(enc, list) else [enc]:
                if not isinstance(e, Mapping) or not isinstance(e.get("field"), str):
                    continue
                name = _text(e.get("title")) or _text((e.get("axis") or {}).get("title")) \
                    or _text((e.get("legend") or {}).get("title"))
                if use["fields"].get(e["field"], "tooltip") == "tooltip":
                    use["fields"][e["field"]] = channel  # (a tooltip's: no channel title)
                if name:
                    chart["fields"].setdefault(e["field"], name)
                    if channel != "tooltip":
                        chart["channels"].setdefault(channel, name)
    for key in _PARTS:
        for child in view.get(key) or ():
            if isinstance(child, Mapping):
                _uses(child, data, part, False, out)
    for key in ("spec",):  # (facet, repeat)
        if isinstance(view.get(key), Mapping):
            _uses(view[key], data, part, False, out)


def _reads(expression: str, column: str) -> bool:
    """True if a Vega expression reads the data's ``column``."""
    return any(f in expression for f in (f"datum.{column}", f"datum['{column}']",
                                         f'datum["{column}"]'))


def _titles(frame: pd.DataFrame, use: Mapping[str, Any], chart: Mapping[str, Any],
            labels: Mapping[str, str]) -> dict[str, str]:
    """{column: name} of the columns of ``frame`` the chart shows as numbers or words: a
    field with a title (its own, its axis' or legend's, or its channel's in another layer),
    a column a titled computed field is made of (a boundary cell's corners: the point's
    coordinate), and the text a text mark writes."""
    out: dict[str, str] = {}
    for c in frame.columns:
        channel = use["fields"].get(c)
        name = chart["fields"].get(c) or (chart["channels"].get(channel) if channel else "")
        if not name:
            name = next((chart["fields"].get(f) or chart["channels"].get(
                use["fields"].get(f, ""), "") for f, expr in use["calc"].items()
                if _reads(expr, str(c)) and (chart["fields"].get(f) or chart["channels"].get(
                    use["fields"].get(f, "")))), "")
        if not name and channel == "text":
            name = labels["text"]
        if name:
            out[c] = name
    return out


def _named(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The columns ``names`` of ``frame``, renamed (a name two columns share: numbered)."""
    cols = [c for c in frame.columns if c in names]
    seen: dict[str, int] = {}
    out_names = []
    for c in cols:
        seen[names[c]] = seen.get(names[c], 0) + 1
        out_names.append(names[c] if seen[names[c]] == 1 else f"{names[c]} ({seen[names[c]]})")
    out = frame[cols].copy()
    out.columns = out_names
    return out


def chart_tables(spec: Mapping[str, Any], labels: Mapping[str, str] | None = None,
                 max_rows: int = MAX_ROWS) -> list[ChartTable]:
    """The tables of a chart's data (see the module's docstring), in the order the chart
    draws them: the columns it shows (:func:`_titles`); a data set with none (a band, a rule,
    a diagram's lines) is no table, unless no data set has one: then the encoded columns of
    the first, named by their channel. ``labels``: the names (in the page language) of
    ``part`` (the column that says which part of the chart drew a row), ``text`` (a text
    mark's) and of the channels ``x``, ``y``, ``color`` and ``value`` (any other)."""
    labels = {**_LABELS, **(labels or {})}
    frames = spec_frames(spec)
    uses: dict[str | None, dict[str, Any]] = {}
    _uses(spec, None, "", True, uses)
    chart = uses.pop(None, {"fields": {}, "channels": {}})
    groups: dict[tuple, list[tuple[str, pd.DataFrame]]] = {}
    for name, use in uses.items():
        if name not in frames or frames[name].empty:
            continue
        frame = _named(frames[name], _titles(frames[name], use, chart, labels))
        if frame.columns.empty:
            continue
        part = use["parts"][0] if len(use["parts"]) == 1 else ""
        groups.setdefault(tuple(frame.columns), []).append((part, frame))
    if not groups:  # nothing titled: the first data set's encoded columns, by channel
        for name, use in uses.items():
            if name in frames and not frames[name].empty and use["fields"]:
                names = {c: labels.get(ch, labels["value"]) for c, ch in use["fields"].items()}
                groups[("",)] = [("", _named(frames[name], names))]
                break
    out = []
    for members in groups.values():
        parts = [p for p, _ in members]
        if len(members) > 1 and all(parts) and len(set(parts)) == len(parts):
            frame = pd.concat([f.assign(**{labels["part"]: p}).pipe(_first, labels["part"])
                               for p, f in members], ignore_index=True)
            out.append(_table(frame, "", max_rows))
        else:
            out += [_table(f, p, max_rows) for p, f in members]
    return out


def _first(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[[column] + [c for c in frame.columns if c != column]]


def _table(frame: pd.DataFrame, part: str, max_rows: int) -> ChartTable:
    shown, step = thin(frame, max_rows)
    return ChartTable(shown, len(frame), step, part)


def player_table(records: RunRecord | Sequence[RunRecord], lang: str = "en",
                 max_rows: int = MAX_ROWS) -> ChartTable:
    """The live player's numbers: per epoch, the training and test loss and accuracy, and at
    each snapshot every layer's gradient norm ‖g‖ (one block of rows per run when several,
    with the run's name), the columns named in ``lang``."""
    recs = [records] if isinstance(records, RunRecord) else list(records)
    names = {"epoch": ct("epoch", lang), **{k: ct(f"table.{k}", lang) for k in _HISTORY[1:]}}
    blocks = []
    for rec in recs:
        frame = rec.history[list(_HISTORY)]
        stats = rec.layer_stats
        if not stats.empty:
            norms = stats.pivot_table(index="epoch", columns="layer", values="grad_norm",
                                      aggfunc="first")
            norms.columns = [ct("table.grad_norm", lang,
                                layer=layer_label(int(c), rec.n_hidden, lang))
                             for c in norms.columns]
            frame = frame.merge(norms.reset_index(), on="epoch", how="left")
        frame = frame.rename(columns=names)
        if len(recs) > 1:
            frame.insert(0, ct("run", lang), rec.label_for(lang))
        blocks.append(frame)
    return _table(pd.concat(blocks, ignore_index=True), "", max_rows)


def boundary_table(records: RunRecord | Sequence[RunRecord], lang: str = "en",
                   max_rows: int = MAX_ROWS) -> ChartTable:
    """The player's decision boundary at each run's last snapshot: per grid point x1, x2, the
    predicted class and P(class 1) for two classes (else the highest class probability, the
    boundary's shading), one block of rows per run when several (``RunRecord.boundary``)."""
    recs = [records] if isinstance(records, RunRecord) else list(records)
    blocks = []
    for rec in recs:
        grid = rec.boundary()
        names = display_names(rec.data, lang)[1] or tuple(str(i) for i in range(rec.data.n_classes))
        p = ct("boundary.p1" if rec.data.n_classes == 2 else "boundary.conf", lang)
        frame = pd.DataFrame({"x1": grid["x"], "x2": grid["y"],
                              ct("table.class", lang): [names[int(i)] for i in grid["cls"]],
                              p: grid["p"]})
        if len(recs) > 1:
            frame.insert(0, ct("run", lang), rec.label_for(lang))
        epoch = int(rec.checkpoints[-1]) if rec.checkpoints else 0
        frame.insert(int(len(recs) > 1), ct("epoch", lang), epoch)
        blocks.append(frame)
    return _table(pd.concat(blocks, ignore_index=True), "", max_rows)
