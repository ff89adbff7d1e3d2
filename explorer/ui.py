"""The one Streamlit module of the package: shared sidebar widgets, URL state, language,
cached (and live) training.

Pages call, in order::

    tr = ui.page_setup(TEXT)                         # language + projector switch, returns tr()
    cfg = ui.config_sidebar(tr, "play", BASE, SHOWN)  # widgets <-> URL <-> TrainConfig
    rec = ui.train_live(cfg, tr, draw=...)            # or ui.cached_train / cached_train_many

Every widget value is mirrored into the query string (only values that differ from the page's
base config), so a copied URL reproduces the view. A malformed parameter is reported with
``st.warning`` and replaced by its default; the page keeps working.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from .activations import ACTIVATIONS
from .config import FIELDS, MAX_WORK, Field, TrainConfig, _build, format_value, parse_value
from .datasets import DATASETS, Dataset
from .export import config_from_json, config_json, history_csv, layer_stats_csv
from .initialisers import AUTO, INITIALISERS
from .optimisers import OPTIMISERS
from .record import RunRecord
from .texts.common import FIELD_HELP_ZH
from .texts.common import TEXT as COMMON
from .train import iter_train, train, train_many
from .upload import example_csv, guess_columns, parse_upload, read_csv_columns

LANGS = {"en": "English", "zh": "简体中文"}
#: learning-rate choices of the log-scale slider (a URL value off the grid is inserted)
LR_GRID = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0,
           2.0, 3.0, 5.0, 10.0]
CACHE_ENTRIES = 32  # bounded: a record is ~1-2 MB, so the cache stays well under 100 MB
#: sidebar sections in display order
SECTIONS = {
    "data": ["dataset", "n_samples", "noise", "test_fraction", "n_classes", "seed"],
    "network": ["hidden", "activation", "leaky_slope", "elu_alpha", "maxout_k",
                "layer_activations", "init", "init_scale", "bias_init"],
    "training": ["optimizer", "lr", "momentum", "batch_size", "epochs", "l2", "n_checkpoints",
                 "grid_size"],
}


# ---------------------------------------------------------------------------- language
class Tr:
    """Translator for one page: ``tr(key, **fmt)`` looks in the page's text, then the
    shared text, in the current language, then in English; unknown keys show as the key."""

    def __init__(self, text: Mapping[str, Mapping[str, str]], lang: str) -> None:
        self.text, self.lang = text, lang

    def __call__(self, key: str, **fmt: Any) -> str:
        for table in (self.text.get(self.lang, {}), COMMON.get(self.lang, {}),
                      self.text.get("en", {}), COMMON["en"]):
            if key in table:
                s = table[key]
                return s.format(**fmt) if fmt else s
        return key

    def has(self, key: str) -> bool:
        return key in self.text.get(self.lang, {}) or key in self.text.get("en", {})

    def field_label(self, name: str) -> str:
        return self(f"field.{name}")

    def field_help(self, name: str) -> str:
        return FIELD_HELP_ZH.get(name, FIELDS[name].help) if self.lang == "zh" else \
            FIELDS[name].help


def query() -> dict[str, str]:
    """The current query string as a flat dict (last value wins)."""
    return {k: st.query_params.get(k) for k in st.query_params.keys()}


def set_query(key: str, value: str | None) -> None:
    """Write one query parameter (None removes it); no write if unchanged."""
    current = st.query_params.get(key)
    if value is None:
        if current is not None:
            del st.query_params[key]
    elif current != value:
        st.query_params[key] = value


def current_lang() -> str:
    lang = st.session_state.get("_lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def page_setup(text: Mapping[str, Mapping[str, str]]) -> Tr:
    """Language switch (URL ``lang``) and projector toggle (URL ``projector``); returns ``tr``."""
    _ensure_navigation()
    url_lang = st.query_params.get("lang", "en")
    if "_lang_widget" not in st.session_state:
        st.session_state["_lang_widget"] = url_lang if url_lang in LANGS else "en"
    lang = st.sidebar.selectbox(COMMON["en"]["language"], list(LANGS),
                                format_func=LANGS.__getitem__, key="_lang_widget")
    st.session_state["_lang"] = lang
    set_query("lang", None if lang == "en" else lang)
    tr = Tr(text, lang)
    if url_lang not in LANGS:
        st.warning(tr("url_notice") + f"\n- lang: {url_lang[:20]!r} (en, zh)")
    raw = st.query_params.get("projector", "0")
    if "_projector_widget" not in st.session_state:
        st.session_state["_projector_widget"] = raw in ("1", "true", "on")
    on = st.sidebar.toggle(tr("projector"), key="_projector_widget", help=tr("projector_help"))
    set_query("projector", "1" if on else None)
    if on:
        st.html("<style>html, body, [class*='st-'] {font-size: 1.25rem;} "
                "h1 {font-size: 3rem !important;} .stMarkdown p {font-size: 1.35rem;}</style>")
    return tr


def _ensure_navigation() -> None:
    """Run the page through streamlit_app.py's ``st.navigation``, also on a fresh server.

    Streamlit starts in its legacy "pages/ folder" mode until some run has called
    ``st.navigation``; a first visitor arriving by a deep link (``/playground?...``, the
    lecturer's link) would get the page without the app shell (legacy sidebar, narrow layout).
    Leaving that mode and rerunning makes the entry file run and route to the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def projector_mode() -> bool:
    return bool(st.session_state.get("_projector_widget", False))


def chart_scale() -> float:
    """Multiply chart sizes by this (larger in projector mode)."""
    return 1.3 if projector_mode() else 1.0


# ---------------------------------------------------------------------------- config widgets
def _wkey(page: str, name: str) -> str:
    return f"{page}.{name}"


def _widget_value(f: Field, value: Any) -> Any:
    """Config value -> the widget's representation."""
    if f.kind == "layers":
        return format_value(f, value)
    if f.kind == "acts":
        return list(value)
    return value


def _choices(name: str) -> tuple[list[str], Callable[[str], str]]:
    if name == "dataset":
        return DATASETS.names(), lambda n: (DATASETS[n].zh_label if current_lang() == "zh"
                                            else DATASETS[n].label)
    if name == "activation":
        return ACTIVATIONS.names(), lambda n: ACTIVATIONS[n].label
    if name == "init":
        return [AUTO, *INITIALISERS.names()], lambda n: (
            Tr({}, current_lang())("init.auto") if n == AUTO else INITIALISERS[n].label)
    if name == "optimizer":
        return OPTIMISERS.names(), lambda n: OPTIMISERS[n].label
    raise KeyError(name)


def _render(tr: Tr, page: str, name: str, container: Any, cfg: TrainConfig) -> Any:
    """One widget for one config field; returns its current (widget) value."""
    f = FIELDS[name]
    key = _wkey(page, name)
    label, help_ = tr.field_label(name), tr.field_help(name)
    if name in ("dataset", "activation", "init", "optimizer"):
        options, fmt = _choices(name)
        return container.selectbox(label, options, format_func=fmt, key=key, help=help_)
    if name == "lr":
        grid = sorted(set(LR_GRID) | {float(st.session_state[key])})
        return container.select_slider(label, grid, key=key, help=help_,
                                       format_func=lambda v: f"{v:g}")
    if f.kind == "layers":
        return container.text_input(label, key=key, help=help_, placeholder="16-16")
    if f.kind == "int":
        if name in ("seed", "batch_size", "n_samples", "epochs"):
            return container.number_input(label, int(f.lo), int(f.hi), step=1, key=key,
                                          help=help_)
        return container.slider(label, int(f.lo), int(f.hi), key=key, help=help_)
    if f.kind == "float":
        if name in ("init_scale", "l2"):
            return container.number_input(label, float(f.lo), float(f.hi), step=0.01,
                                          format="%.4g", key=key, help=help_)
        step = 0.01 if f.hi <= 5 else 0.1
        return container.slider(label, float(f.lo), float(f.hi), step=step, key=key,
                                help=help_)
    raise KeyError(name)


def config_sidebar(tr: Tr, page: str, base: TrainConfig, show: Sequence[str],
                   container: Any = None, sections: bool = True) -> TrainConfig:
    """Sidebar widgets for the fields in ``show``, bound to the URL.

    Fields not shown keep the value from the URL (or ``base``), so a link can still set them.
    Returns a valid TrainConfig; problems are reported in the page, never raised.
    """
    container = container or st.sidebar
    url_cfg, errors = TrainConfig.from_query(query(), base)
    if errors:
        st.warning(tr("url_notice") + "\n" + "\n".join(f"- {e}" for e in errors))
    for name in show:
        key = _wkey(page, name)
        if key not in st.session_state:
            st.session_state[key] = _widget_value(FIELDS[name], getattr(url_cfg, name))
    values = url_cfg.to_dict()
    problems: list[str] = []
    for section, names in SECTIONS.items():
        names = [n for n in names if n in show]
        if not names:
            continue
        box = container.expander(tr(section), expanded=section != "training") if sections \
            else container
        for name in names:
            if name == "layer_activations":
                values[name] = _layer_acts_widget(tr, page, box, values)
                continue
            if not _relevant(name, values):
                continue
            raw = _render(tr, page, name, box, url_cfg)
            f = FIELDS[name]
            try:
                values[name] = parse_value(f, raw) if f.kind == "layers" else raw
                if f.kind == "layers":
                    TrainConfig(hidden=values[name])  # validate widths/depth now
            except ValueError as exc:
                problems.append(str(exc).split(" (")[0])
                values[name] = getattr(url_cfg, name)
    try:
        cfg = TrainConfig(**values)
    except ValueError as exc:
        cfg, more = _build(TrainConfig, values, base)
        problems.extend(more or [str(exc)])
    if problems:
        st.warning(tr("setting_notice") + "\n" + "\n".join(f"- {p}" for p in problems))
    for name, f in FIELDS.items():
        value = getattr(cfg, name)
        set_query(name, None if value == getattr(base, name) else format_value(f, value))
    return cfg


def _relevant(name: str, values: Mapping[str, Any]) -> bool:
    """Hide widgets whose field has no effect with the current choices."""
    acts = values.get("layer_activations") or (values.get("activation"),)
    if name == "leaky_slope":
        return "leaky_relu" in acts
    if name == "elu_alpha":
        return "elu" in acts
    if name == "maxout_k":
        return "maxout" in acts
    if name == "momentum":
        return OPTIMISERS[values["optimizer"]].uses_momentum
    if name == "n_classes":
        lo, hi = DATASETS[values["dataset"]].classes
        return lo != hi
    if name == "noise":
        return DATASETS[values["dataset"]].has_noise
    if name == "n_samples":
        return DATASETS[values["dataset"]].fixed_size is None
    return True


def _layer_acts_widget(tr: Tr, page: str, box: Any, values: dict[str, Any]) -> tuple[str, ...]:
    key = _wkey(page, "layer_activations")
    current = list(st.session_state.get(key) or [])
    n = len(values["hidden"])
    on = box.toggle(tr("custom_layers"), value=bool(current), key=key + ".on",
                    help=tr.field_help("layer_activations"))
    if not on:
        st.session_state[key] = []
        return ()
    names = ACTIVATIONS.names()
    chosen = []
    for i in range(n):
        default = current[i] if i < len(current) else values["activation"]
        chosen.append(box.selectbox(tr("layer_n", n=i + 1), names,
                                    index=names.index(default) if default in names else 0,
                                    format_func=lambda a: ACTIVATIONS[a].label,
                                    key=f"{key}.{i}"))
    st.session_state[key] = chosen
    return tuple(chosen)


def apply_preset(page: str, base: TrainConfig, changes: Mapping[str, Any],
                 show: Sequence[str]) -> None:
    """Set the widgets of ``page`` to ``base`` with ``changes`` (use as on_click callback)."""
    cfg = base.replace(**changes)
    for name in show:
        st.session_state[_wkey(page, name)] = _widget_value(FIELDS[name], getattr(cfg, name))
    if "layer_activations" in show:
        st.session_state[_wkey(page, "layer_activations") + ".on"] = bool(cfg.layer_activations)
        for i, a in enumerate(cfg.layer_activations):
            st.session_state[f"{_wkey(page, 'layer_activations')}.{i}"] = a


# ---------------------------------------------------------------------------- page-level URL keys
def url_int(tr: Tr, key: str, default: int, lo: int, hi: int) -> int:
    """An integer page parameter from the URL (bad value: notice + default)."""
    raw = st.query_params.get(key)
    if raw is None:
        return default
    try:
        v = float(raw)
        if not math.isfinite(v) or v != int(v) or not lo <= v <= hi:
            raise ValueError
        return int(v)
    except ValueError:
        st.warning(tr("url_notice") + f"\n- {key}: {raw[:40]!r} (expected {lo}..{hi})")
        return default


def url_choices(tr: Tr, key: str, default: Sequence[str], allowed: Sequence[str],
                min_n: int = 1, max_n: int = 99) -> list[str]:
    """A '-'-separated list of names from the URL, each in ``allowed``."""
    raw = st.query_params.get(key)
    if raw is None:
        return list(default)
    items = [p for p in raw.split("-") if p]
    if not min_n <= len(items) <= max_n or any(i not in allowed for i in items) or \
            len(set(items)) != len(items):
        st.warning(tr("url_notice") + f"\n- {key}: {raw[:60]!r}")
        return list(default)
    return items


# ---------------------------------------------------------------------------- training + caching
def cfg_key(cfg: TrainConfig) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(cfg.to_query(all_fields=True).items()))


def _cfg_from_key(key: tuple[tuple[str, str], ...]) -> TrainConfig:
    cfg, errors = TrainConfig.from_query(dict(key))
    if errors:
        raise ValueError("; ".join(errors))
    return cfg


_PRIMED: dict[tuple, RunRecord] = {}
_DONE: OrderedDict[tuple, None] = OrderedDict()
_LOCKS: dict[tuple, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _train_cached(key: tuple[tuple[str, str], ...]) -> RunRecord:
    primed = _PRIMED.pop(key, None)
    return primed if primed is not None else train(_cfg_from_key(key))


@st.cache_data(max_entries=CACHE_ENTRIES // 2, show_spinner=False)
def _train_many_cached(keys: tuple[tuple[tuple[str, str], ...], ...]) -> list[RunRecord]:
    return train_many([_cfg_from_key(k) for k in keys])


def cached_train(cfg: TrainConfig) -> RunRecord:
    """Train (or fetch from the shared cache) one config."""
    return _train_cached(cfg_key(cfg))


def cached_train_many(cfgs: Sequence[TrainConfig], progress: Any = None) -> list[RunRecord]:
    """Train several configs together (stacked where possible), cached as one entry."""
    return _train_many_cached(tuple(cfg_key(c) for c in cfgs))


def _lock(key: tuple) -> threading.Lock:
    with _LOCKS_GUARD:
        if len(_LOCKS) > 256:
            for k in [k for k, lk in _LOCKS.items() if not lk.locked()]:
                del _LOCKS[k]
        return _LOCKS.setdefault(key, threading.Lock())


def train_live(cfg: TrainConfig, tr: Tr, draw: Callable[[RunRecord], None] | None = None,
               every: int = 5) -> RunRecord:
    """Train with a progress bar, calling ``draw(partial_record)`` every few checkpoints.

    The finished record goes into the shared cache; a second visitor with the same config
    gets it at once, and one who arrives while it trains waits for it instead of training.
    """
    key = cfg_key(cfg)
    lock = _lock(key)
    if not lock.acquire(blocking=False):
        with st.spinner(tr("waiting_other")):
            lock.acquire()
    try:
        if key in _DONE:
            _DONE.move_to_end(key)
            return _train_cached(key)
        bar = st.progress(0.0, text=tr("training_progress", epoch=0, total=cfg.epochs))
        rec = None
        for rec in iter_train(cfg, every=every):
            bar.progress(min(1.0, rec.epochs_done / cfg.epochs),
                         text=tr("training_progress", epoch=rec.epochs_done, total=cfg.epochs))
            if draw is not None and not rec.complete:
                draw(rec)
        _PRIMED[key] = rec
        out = _train_cached(key)
        _PRIMED.pop(key, None)
        _DONE[key] = None
        while len(_DONE) > CACHE_ENTRIES:
            _DONE.popitem(last=False)
        bar.empty()
        return out
    finally:
        lock.release()


def train_on_data(cfg: TrainConfig, data: Dataset) -> RunRecord:
    """Train on given (uploaded) data; cached per session only (the data never leave it)."""
    n_train = len(data.y_train)
    max_epochs = max(1, int(MAX_WORK // (n_train * cfg.macs_per_sample())))
    if cfg.epochs > max_epochs:  # the bound of TrainConfig, applied to the uploaded size
        st.warning(f"epochs: {cfg.epochs} epochs on {n_train} uploaded points is too much work "
                   f"for one run; using {max_epochs}")
        cfg = cfg.replace(epochs=max_epochs)
    store = st.session_state.setdefault("_upload_runs", OrderedDict())
    key = (cfg_key(cfg), id(data))
    if key not in store:
        store[key] = train(cfg, data)
        while len(store) > 4:
            store.popitem(last=False)
    return store[key]


def show_divergence(tr: Tr, rec: RunRecord) -> None:
    if rec.diverged_at is not None:
        st.error(tr("diverged", epoch=rec.diverged_at))


# ---------------------------------------------------------------------------- export / import
def export_panel(tr: Tr, records: RunRecord | Sequence[RunRecord], cfg: TrainConfig,
                 page: str, container: Any = None) -> None:
    """Download buttons: history and per-layer statistics as CSV, the settings as JSON."""
    box = (container or st).expander(tr("export"), icon=":material/download:")
    extra = {k: v for k, v in query().items() if k not in FIELDS}
    c1, c2, c3 = box.columns(3)
    c1.download_button(tr("export_history"), history_csv(records), f"{page}-history.csv",
                       "text/csv", key=f"{page}.dl.history", on_click="ignore")
    c2.download_button(tr("export_layers"), layer_stats_csv(records), f"{page}-layers.csv",
                       "text/csv", key=f"{page}.dl.layers", on_click="ignore")
    c3.download_button(tr("export_config"), config_json(cfg, extra), f"{page}-settings.json",
                       "application/json", key=f"{page}.dl.config", on_click="ignore")
    box.caption(tr("export_charts"))


def config_loader(tr: Tr, page: str, base: TrainConfig, show: Sequence[str],
                  container: Any = None) -> None:
    """Upload a settings JSON: sets the widgets (and so the URL) of this page.

    Call it before ``config_sidebar`` (it sets widget state, which Streamlit allows only
    before the widgets are drawn in a run).
    """
    box = container or st.sidebar
    up = box.file_uploader(tr("load_config"), type=["json"], key=f"{page}.cfgfile",
                           help=tr("load_config_help"))
    if up is None:
        st.session_state.pop(f"{page}.cfgfile.done", None)
        return
    marker = (up.name, up.size)
    if st.session_state.get(f"{page}.cfgfile.done") == marker:
        return
    cfg, page_keys, errors = config_from_json(up.getvalue(), base)
    if errors:
        st.warning(tr("load_config_bad") + "\n" + "\n".join(f"- {e}" for e in errors))
    apply_preset(page, base, {n: getattr(cfg, n) for n in FIELDS}, show)
    for k, v in page_keys.items():
        set_query(k, v)
    st.session_state[f"{page}.cfgfile.done"] = marker
    st.rerun()


# ---------------------------------------------------------------------------- own data
def data_source(tr: Tr, page: str, cfg: TrainConfig, container: Any = None) -> Dataset | None:
    """Built-in data set or an uploaded CSV (URL ``data=upload``).

    Returns the uploaded Dataset (split and standardised with ``cfg``'s test fraction and
    seed), or None for the built-in data. The file is parsed with pandas only (never executed
    or unpickled) and lives only in this session.
    """
    box = container or st.sidebar
    key = f"{page}.source"
    if key not in st.session_state:
        st.session_state[key] = "upload" if st.query_params.get("data") == "upload" else "builtin"
    source = box.segmented_control(tr("data_source"), ["builtin", "upload"], key=key,
                                   format_func=lambda s: tr(f"source.{s}")) or "builtin"
    set_query("data", "upload" if source == "upload" else None)
    if source != "upload":
        return None
    up = box.file_uploader(tr("upload_file"), type=["csv", "txt"], key=f"{page}.csv",
                           help=tr("upload_help"))
    box.download_button(tr("upload_example"), example_csv(), "example.csv", "text/csv",
                        key=f"{page}.csv.example", on_click="ignore")
    if up is None:
        st.info(tr("upload_wait") + " " + tr("upload_link"))
        return None
    raw = up.getvalue()
    frame, errors = read_csv_columns(raw, tr.lang)
    if frame is None:
        for e in errors:
            st.error(e)
        return None
    guess = guess_columns(frame) or tuple(frame.columns[:3])
    cols = list(frame.columns)
    x_col = box.selectbox(tr("upload_x"), cols, index=cols.index(guess[0]), key=f"{page}.csv.x")
    y_col = box.selectbox(tr("upload_y"), cols, index=cols.index(guess[1]), key=f"{page}.csv.y")
    label = box.selectbox(tr("upload_label"), cols, index=cols.index(guess[2]),
                          key=f"{page}.csv.label")
    digest = hashlib.sha256(raw).hexdigest()
    memo_key = (digest, x_col, y_col, label, cfg.test_fraction, cfg.seed, tr.lang)
    memo = st.session_state.setdefault("_uploads", OrderedDict())
    if memo_key not in memo:
        memo[memo_key] = parse_upload(raw, x_col, y_col, label, cfg.test_fraction, cfg.seed,
                                      lang=tr.lang)
        while len(memo) > 4:
            memo.popitem(last=False)
    data, errors = memo[memo_key]
    for e in errors:
        st.error(e)
    if data is not None:
        box.caption(tr("upload_ok", n_train=len(data.y_train), n_test=len(data.y_test),
                       k=data.n_classes))
    return data
