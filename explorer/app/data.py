"""Data in and out of a page: the data source (built-in data set or an uploaded CSV) and the
export panel (CSV / JSON downloads of the runs shown and their settings).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import streamlit as st

from ..config import FIELDS, TrainConfig
from ..datasets import Dataset
from ..export import config_json, history_csv, layer_stats_csv
from ..record import RunRecord
from ..safetext import escape_md, shorten
from ..upload import (
    MAX_BYTES,
    MAX_CLASSES,
    MAX_MB,
    MAX_ROWS,
    example_csv,
    guess_columns,
    parse_upload,
    read_csv_columns,
)
from . import memo, state
from .display import projector_mode
from .lang import Tr, url_value
from .state import VIEWER_KEYS, query, widget_key

__all__ = ["BUILTIN_DATA_FIELDS", "SOURCES", "data_source", "export_panel", "uploading"]

def export_panel(tr: Tr, records: RunRecord | Sequence[RunRecord], cfg: TrainConfig,
                 page: str, container: Any = None) -> None:
    """Download buttons: history and per-layer statistics as CSV, the settings as JSON.

    Not shown in projector mode (nothing to download during a demo).
    """
    if projector_mode():
        return
    box = (container or st).expander(tr("export"), icon=":material/download:")
    extra = {k: v for k, v in query().items() if k not in FIELDS and k not in VIEWER_KEYS}
    c1, c2, c3 = box.columns(3)
    # the files of a shared run are built once (memo): a warm visit writes no CSV
    c1.download_button(tr("export_history"), memo.value(history_csv, records), f"{page}-history.csv",
                       "text/csv", key=f"{page}.dl.history", on_click="ignore",
                       help=tr("export_history_help"), icon=":material/table:")
    c2.download_button(tr("export_layers"), memo.value(layer_stats_csv, records), f"{page}-layers.csv",
                       "text/csv", key=f"{page}.dl.layers", on_click="ignore",
                       help=tr("export_layers_help"), icon=":material/stacked_bar_chart:")
    c3.download_button(tr("export_config"), config_json(cfg, extra), f"{page}-settings.json",
                       "application/json", key=f"{page}.dl.config", on_click="ignore",
                       help=tr("export_config_help"), icon=":material/settings:")
    box.caption(tr("export_charts"))



# ---------------------------------------------------------------------------- own data
SOURCES = ("builtin", "upload")


def data_source(tr: Tr, page: str, cfg: TrainConfig, container: Any = None) -> Dataset | None:
    """Built-in data set or an uploaded CSV (URL ``data=upload``).

    Returns the uploaded Dataset (split and standardised with ``cfg``'s test fraction and
    seed), or None for the built-in data (and while no usable file is uploaded: then
    :func:`uploading` is True and the page has nothing to train). The file is parsed with
    pandas only (never executed or unpickled) and lives only in this session.
    """
    box = container or st.sidebar
    key = f"{page}.source"
    # the widget gets a fresh key after runs without it (see widget_key), seeded with the
    # source chosen before; the choice itself is kept in ``{key}.value`` (uploading() reads it)
    wkey = widget_key(key)
    if wkey not in st.session_state:
        if key + ".value" in st.session_state:
            st.session_state[wkey] = st.session_state[key + ".value"]
        else:
            raw = st.query_params.get("data")
            if raw is not None and raw not in SOURCES[1:]:
                state.lasting_warning("data", "builtin",
                                      tr("url_notice") + f"\n- data: {url_value(raw)} (data=upload)")
            st.session_state[wkey] = "upload" if raw == "upload" else "builtin"
            st.session_state[key + ".from_url"] = raw == "upload"
    source = box.segmented_control(tr("data_source"), list(SOURCES), key=wkey,
                                   format_func=lambda s: tr(f"source.{s}"),
                                   help=tr("data_source_help")) or "builtin"
    state.lasting_warning("data", source)  # a bad ``data`` in the URL: noticed until changed
    st.session_state[key + ".value"] = source
    state.set_query("data", "upload" if source == "upload" else None)
    if source != "upload":
        return None
    up = box.file_uploader(tr("upload_file"), type=["csv", "txt"], key=f"{page}.csv",
                           help=tr("upload_help", rows=MAX_ROWS, classes=MAX_CLASSES, mb=MAX_MB,
                                   bytes=f"{MAX_BYTES:,}"))
    box.download_button(tr("upload_example"), example_csv(), "example.csv", "text/csv",
                        key=f"{page}.csv.example", on_click="ignore",
                        icon=":material/download:")
    if up is None:
        link = st.session_state.get(key + ".from_url")
        st.info(tr("upload_wait") + (" " + tr("upload_link") if link else ""),
                icon=":material/upload_file:")
        return None
    raw = up.getvalue()
    frame, errors = read_csv_columns(raw, tr.lang)
    if frame is None:
        for e in errors:
            st.error(escape_md(e))
        return None
    box.caption(tr("upload_encoding", encoding=frame.attrs.get("encoding", "UTF-8")))
    guess = guess_columns(frame) or tuple(frame.columns[:3])
    cols = list(frame.columns)
    name = shorten  # a column name in a drop-down: plain text, one line, at most 60 characters
    x_col = box.selectbox(tr("upload_x"), cols, index=cols.index(guess[0]), key=f"{page}.csv.x",
                          format_func=name)
    y_col = box.selectbox(tr("upload_y"), cols, index=cols.index(guess[1]), key=f"{page}.csv.y",
                          format_func=name)
    label = box.selectbox(tr("upload_label"), cols, index=cols.index(guess[2]),
                          key=f"{page}.csv.label", format_func=name)
    digest = hashlib.sha256(raw).hexdigest()
    memo_key = (digest, x_col, y_col, label, cfg.test_fraction, cfg.seed, tr.lang)
    memo = st.session_state.setdefault("_uploads", OrderedDict())
    if memo_key not in memo:
        memo[memo_key] = parse_upload(raw, x_col, y_col, label, cfg.test_fraction, cfg.seed,
                                      lang=tr.lang, frame=frame)
        while len(memo) > 4:
            memo.popitem(last=False)
    data, errors = memo[memo_key]
    for e in errors:
        st.error(escape_md(e))
    if data is not None:
        box.caption(tr("upload_ok", n_train=len(data.y_train), n_test=len(data.y_test),
                       k=data.n_classes))
    return data


def uploading(page: str) -> bool:
    """True when the page's data source (see :func:`data_source`) is an uploaded file; can be
    asked before ``data_source`` is drawn (then the URL's ``data`` decides)."""
    key = widget_key(f"{page}.source", mark=False)
    if key in st.session_state:  # (the widget's state: changed by a click before this run)
        return st.session_state[key] == "upload"
    if f"{page}.source.value" in st.session_state:
        return st.session_state[f"{page}.source.value"] == "upload"
    return st.query_params.get("data") == "upload"


#: config fields that describe the built-in data (not shown while training on an upload)
BUILTIN_DATA_FIELDS = ("dataset", "n_samples", "noise", "n_classes")
