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

import ctypes
import functools
import gc
import hashlib
import json
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st

from .activations import ACTIVATIONS
from .charts.core import FONT_KEYS, projector_spec
from .config import FIELDS, Field, TrainConfig, build_config, format_value, parse_value
from .datasets import DATASETS, Dataset
from .export import config_from_json, config_json, history_csv, layer_stats_csv
from .features import FEATURES
from .initialisers import AUTO, INITIALISERS
from .optimisers import OPTIMISERS
from .record import RunRecord
from .safetext import escape_md, shorten
from .safetext import user_text as _user_text
from .slots import Scheduler
from .texts import LANGS
from .texts.common import FIELD_HELP_ZH, NOTICE_ZH, NOTICE_ZH_SAFE, OPTION_ZH
from .texts.common import TEXT as COMMON
from .train import iter_train, train_many
from .upload import example_csv, guess_columns, parse_upload, read_csv_columns

#: URL values of ``projector`` that are understood (anything else gets a notice and means off)
PROJECTOR_VALUES = ("0", "1", "true", "false", "on", "off")
#: factor for chart sizes and chart fonts in projector mode
PROJECTOR_SCALE = 1.3
#: Projector mode: larger body text, headings kept clearly larger than the body (h1 > h2 > h3 >
#: body), larger widget labels; the page uses the full width.
PROJECTOR_CSS = """<style>
[data-testid=stMain] .stMarkdown p, [data-testid=stMain] .stMarkdown li,
[data-testid=stMain] [data-testid=stAlertContainer] p {font-size: 1.4rem !important;
  line-height: 1.5 !important;}
[data-testid=stMain] [data-testid=stCaptionContainer],
[data-testid=stMain] [data-testid=stCaptionContainer] p {font-size: 1.15rem !important;}
[data-testid=stMain] [data-testid=stWidgetLabel] p {font-size: 1.2rem !important;}
[data-testid=stMain] h1 {font-size: 3.2rem !important; line-height: 1.2 !important;}
[data-testid=stMain] h2 {font-size: 2.4rem !important; line-height: 1.25 !important;}
[data-testid=stMain] h3 {font-size: 1.9rem !important; line-height: 1.3 !important;}
[data-testid=stMain] [data-testid=stTable] table {font-size: 1.2rem;}
[data-testid=stMain] button p, [data-testid=stMain] [data-testid=stExpander] summary p
  {font-size: 1.15rem !important;}
[data-testid=stMain] [data-testid=stSliderThumbValue],
[data-testid=stMain] [data-testid=stSliderTickBar] {font-size: 1rem !important;}
[data-testid=stMainBlockContainer] {padding-left: 2rem; padding-right: 2rem; max-width: 100%;}
[data-testid=stMainBlockContainer] {padding-top: 3.75rem; padding-bottom: 3rem;}
[data-testid=stMain] h1 {font-size: 2.5rem !important; padding: 0.1rem 0 0.2rem !important;}
[data-testid=stMain] [data-testid=stPageLink] p {font-size: 1.7rem !important;
  font-weight: 600 !important; line-height: 1.3 !important;}
</style>"""
#: smallest chart font (px) in projector mode: axis labels, titles and legends stay readable
#: from the back of a lecture hall
PROJECTOR_MIN_FONT = 16
#: width (px) of the main area in projector mode on the usual 1280x720 projector (sidebar
#: collapsed, 2rem padding each side): pages size their columns' charts for it
PROJECTOR_MAIN_PX = 1200
#: learning-rate choices of the log-scale slider (a URL value off the grid is inserted)
LR_GRID = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0,
           2.0, 3.0, 5.0, 10.0]
CACHE_ENTRIES = 32  # bounded: a record is ~1-2 MB, so the cache stays well under 100 MB
#: pickled bytes the shared training caches keep (least recently used out first): one run
#: (``cached_train``) and the runs of one page (``cached_train_many``). A link a class keeps
#: opening stays in; a wave of distinct links pushes the oldest out, so after it the memory is
#: back within these bounds of where it was. A default Playground run pickles to ~1 MB, a
#: default Compare page to ~5 MB, the heaviest links to ~15-25 MB (a value over the bound is
#: kept alone, with a warning in the server log).
RUN_CACHE_BYTES = 12 * 2**20
RUNS_CACHE_BYTES = 24 * 2**20
#: the same for a page's own small caches (seed sweep tables, Zig-zag's toy, lesson steps)
PAGE_CACHE_BYTES = 8 * 2**20
#: sidebar sections in display order
SECTIONS = {
    "data": ["dataset", "n_samples", "noise", "test_fraction", "n_classes", "seed"],
    "network": ["features", "hidden", "activation", "leaky_slope", "elu_alpha", "maxout_k",
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


def notice_line(tr: Tr, text: str) -> str:
    """One line of a settings notice in the page language (the engine reports in English)."""
    if tr.lang != "zh":
        return text
    for pattern, template in NOTICE_ZH:
        m = re.match(pattern, text)
        if m:
            parts = {k: v or "" for k, v in m.groupdict().items()}
            if "safe" in parts:
                parts["safe"] = NOTICE_ZH_SAFE if parts["safe"] else ""
            return template.format(**parts)
    m = re.match(r"^(\w+): (.*?) is not allowed", text)  # unknown wording: name and value
    return f"{m.group(1)}: {m.group(2)}" if m else text


def notice(tr: Tr, key: str, lines: Sequence[str]) -> None:
    """``st.warning`` with the heading ``tr(key)`` and one bullet per line (each line shown
    literally: the user's values in it are escaped, see :func:`user_text`)."""
    st.warning(tr(key) + "\n" + "\n".join(f"- {escape_md(shorten(notice_line(tr, e), 400))}"
                                          for e in lines))


def user_text(text: object, limit: int | None = 60) -> str:
    """A user's text (URL value, CSV cell, column name) ready to be echoed in a message:
    on one line, at most ``limit`` characters then "…", Markdown/HTML escaped."""
    return _user_text(text, limit)


def url_value(raw: object, limit: int = 40) -> str:
    """A URL value quoted in a notice: ``'...'``, shortened and escaped."""
    return escape_md(repr(shorten(raw, limit)))


def query() -> dict[str, str]:
    """The current query string as a flat dict (last value wins)."""
    return {k: st.query_params.get(k) for k in st.query_params.keys()}


def set_query(key: str, value: str | None) -> None:
    """Write one query parameter (None removes it); no write if unchanged. The page's query
    (without the lecture keys) is remembered in the session, see :func:`page_setup`."""
    current = st.query_params.get(key)
    if value is None:
        if current is not None:
            del st.query_params[key]
    elif current != value:
        st.query_params[key] = value
    _remember_query()


# ---------------------------------------------------------------------------- lecture state
#: URL keys that belong to the room, not to one page: kept on every page of the session
LECTURE_KEYS = ("lang", "projector")
#: session keys: the lecture state, each page's last query, the page of the last run
_S_LANG, _S_PROJECTOR, _S_QUERIES, _S_PAGE = "_ae_lang", "_ae_projector", "_ae_queries", "_ae_page"


def _page_id() -> str:
    """The running page (its script hash; the main script's when run on its own)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx is not None else ""


def _arrived() -> bool:
    """True on the first run of a page in this session or after coming from another page."""
    return st.session_state.get(_S_PAGE) != _page_id()


def _remember_query() -> None:
    if _S_PAGE not in st.session_state:  # before page_setup (e.g. a test calling set_query)
        return
    st.session_state.setdefault(_S_QUERIES, {})[_page_id()] = {
        k: v for k, v in query().items() if k not in LECTURE_KEYS}


def _projector_on(raw: str | None) -> bool:
    return raw in ("1", "true", "on")


def lecture_state() -> tuple[str, bool]:
    """(language, projector mode) for this run, also before the page's widgets are drawn
    (the app shell titles the navigation with it).

    On arriving at a page the URL decides if it names the value (a shared link opens exactly
    its view), else the session (the sidebar's links carry no query string); within a page the
    widgets decide.
    """
    ss = st.session_state
    url_lang, url_proj = st.query_params.get("lang"), st.query_params.get("projector")
    if _arrived() or "_lang_widget" not in ss:
        lang = url_lang if url_lang in LANGS else ss.get(_S_LANG, "en")
    else:
        lang = ss["_lang_widget"]
    if _arrived() or "_projector_widget" not in ss:
        on = _projector_on(url_proj) if url_proj is not None else ss.get(_S_PROJECTOR, False)
    else:
        on = bool(ss["_projector_widget"])
    return (lang if lang in LANGS else "en"), on


def lecture_query(lang: str | None = None, projector: bool | None = None) -> dict[str, str]:
    """The lecture keys for a link (``st.page_link(..., query_params=...)``): the current
    language and projector mode, as the URL spells them (defaults left out)."""
    lang = lang if lang is not None else st.session_state.get(_S_LANG, current_lang())
    on = projector if projector is not None else projector_mode()
    return {**({"lang": lang} if lang != "en" else {}), **({"projector": "1"} if on else {})}


def page_link(page: str, label: str, *, query_params: Mapping[str, str] | None = None,
              **kwargs) -> None:
    """``st.page_link`` to ``pages/<page>.py``, also when this script runs on its own.

    Inside the app shell (``streamlit_app.py``'s ``st.navigation``) this is Streamlit's page
    link; a page run by itself (``streamlit run pages/x.py``, or one page under AppTest) has
    no navigation to look the target up in, so the link is a plain relative URL instead.
    """
    from urllib.parse import urlencode

    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(f"pages/{page}.py", label=label, query_params=query_params, **kwargs)
    except StreamlitPageNotFoundError:
        qs = f"?{urlencode(dict(query_params))}" if query_params else ""
        st.markdown(f"[{escape_md(label)}](/{page}{qs})")


def current_lang() -> str:
    lang = st.session_state.get("_lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def list_sep(lang: str | None = None) -> str:
    """The separator of a list of names in ``lang`` (default: the current language)."""
    return "、" if (lang or current_lang()) == "zh" else ", "


def joined(items: Iterable[str], lang: str | None = None) -> str:
    """Names as one list in ``lang`` ("ReLU、tanh" in Chinese, "ReLU, tanh" in English)."""
    return list_sep(lang).join(items)


def page_setup(text: Mapping[str, Mapping[str, str]]) -> Tr:
    """Language switch (URL ``lang``) and projector toggle (URL ``projector``); returns ``tr``.

    The lecture state (language, projector) and every page's own settings live in the session
    as well as in the URL: arriving at a page by a link without its settings (the sidebar's
    navigation) puts the page's last query of this session back into the URL, so its widgets
    come back as they were left; a link with settings (a shared one) opens exactly those.
    """
    _ensure_navigation()
    st.session_state["_run"] = st.session_state.get("_run", 0) + 1  # see widget_key
    arrived = _arrived()
    lang, on = lecture_state()
    url_lang = st.query_params.get("lang", "en")
    raw = st.query_params.get("projector", "0")
    if arrived:
        st.session_state["_lang_widget"] = lang
        st.session_state["_projector_widget"] = on
        own = {k: v for k, v in query().items() if k not in LECTURE_KEYS}
        saved = st.session_state.get(_S_QUERIES, {}).get(_page_id())
        if not own and saved:
            for k, v in saved.items():
                st.query_params[k] = v
    st.session_state[_S_PAGE] = _page_id()
    lang = st.sidebar.selectbox(COMMON["en"]["language"], list(LANGS),
                                format_func=LANGS.__getitem__, key="_lang_widget")
    st.session_state["_lang"] = st.session_state[_S_LANG] = lang
    set_query("lang", None if lang == "en" else lang)
    tr = Tr(text, lang)
    st.sidebar.html(SVG_SAVE_JS % json.dumps(tr("save_svg")), unsafe_allow_javascript=True)
    if url_lang not in LANGS:
        st.warning(tr("url_notice") + f"\n- lang: {url_value(url_lang, 20)} (en, zh)")
    if raw not in PROJECTOR_VALUES:
        st.warning(tr("url_notice") + f"\n- projector: {url_value(raw, 20)} (1, 0)")
    on = st.sidebar.toggle(tr("projector"), key="_projector_widget", help=tr("projector_help"))
    st.session_state[_S_PROJECTOR] = on
    set_query("projector", "1" if on else None)
    shell = st.session_state.get("_ae_shell")  # what the app shell drew the navigation with
    if shell is not None and shell != (lang, on) and \
            st.session_state.get("_ae_shell_fix") != (_page_id(), lang, on):
        st.session_state["_ae_shell_fix"] = (_page_id(), lang, on)  # once: never a loop
        st.session_state["_run"] -= 1  # the rerun continues this run (see widget_key)
        st.rerun()
    if on:
        st.html(PROJECTOR_CSS)
    return tr


#: "Save as SVG" for every chart. Streamlit 1.67 draws charts with vega-embed's own menu turned
#: off (its toolbar offers "Download as PNG" only), but the chart is an SVG in the page: this
#: fixed script (no user input in it) adds a button next to Streamlit's that saves that SVG.
#: Idempotent: installed once per browser tab, the label follows the page language. (No "<"
#: directly before a letter or "/" in it: the HTML sanitiser would drop the whole script.)
SVG_SAVE_JS = """<script>
window.__aeSvgLabel = %s;
(() => {
  if (window.__aeSvgSave) return;
  window.__aeSvgSave = true;
  const name = (svg) => {
    const t = svg.querySelector('.role-title-text text, .role-title text');
    const base = (t ? t.textContent : 'chart').trim().replace(/[^\\w\\u4e00-\\u9fff-]+/g, '_')
      .replace(/^_+|_+$/g, '').slice(0, 60) || 'chart';
    return base + '.svg';
  };
  const save = (holder) => {
    const svg = holder.querySelector('[data-testid=stVegaLiteChart] svg.marks');
    if (!svg) return;
    const copy = svg.cloneNode(true);
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
    const text = '<?xml version="1.0" encoding="utf-8"?>\\n'
      + new XMLSerializer().serializeToString(copy);
    const url = URL.createObjectURL(new Blob([text], {type: 'image/svg+xml'}));
    const a = document.createElement('a');
    a.href = url; a.download = name(svg); document.body.appendChild(a); a.click();
    setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
  };
  const decorate = () => {
    for (const bar of document.querySelectorAll('[data-testid=stElementToolbarButtonContainer]')) {
      const holder = bar.closest('[data-testid=stElementContainer]');
      if (!holder || !holder.querySelector('[data-testid=stVegaLiteChart] svg.marks')) continue;
      const old = bar.querySelector('.ae-save-svg');
      if (old) { old.setAttribute('aria-label', window.__aeSvgLabel);
                 old.title = window.__aeSvgLabel; continue; }
      const like = bar.querySelector('button');
      const wrap = document.createElement('div');
      wrap.setAttribute('data-testid', 'stElementToolbarButton');
      const b = document.createElement('button');
      b.type = 'button'; b.className = (like ? like.className : '') + ' ae-save-svg';
      b.setAttribute('kind', 'elementToolbar');
      b.setAttribute('aria-label', window.__aeSvgLabel); b.title = window.__aeSvgLabel;
      b.textContent = 'SVG';
      b.style.fontSize = '0.7rem'; b.style.fontWeight = '700'; b.style.width = 'auto';
      b.style.padding = '0 0.35rem';
      b.addEventListener('click', (e) => { e.stopPropagation(); save(holder); });
      wrap.appendChild(b);
      const png = Array.from(bar.children).find((c) => c.querySelector(
        'button[aria-label="Download as PNG"]'));
      bar.insertBefore(wrap, png ? png.nextSibling : bar.firstChild);
    }
  };
  new MutationObserver(decorate).observe(document.body, {childList: true, subtree: true});
  decorate();
})();
</script>"""


def show_titled_navigation() -> None:
    """Let ``st.navigation`` draw the sidebar navigation.

    ``.streamlit/config.toml`` sets ``client.showSidebarNavigation = false`` so that a cold
    server's first run, which Streamlit makes in its legacy ``pages/`` folder mode, shows no
    navigation of raw file names ("streamlit app", "dead relu"); the entry file calls this before
    ``st.navigation``, which then draws the titled pages. Streamlit leaves that legacy mode after
    the first ``st.navigation`` call, so the option stays on for the life of the process.
    """
    from streamlit import config

    if config.get_option("client.showSidebarNavigation") is False:
        config.set_option("client.showSidebarNavigation", True, "explorer.ui")


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
    return PROJECTOR_SCALE if projector_mode() else 1.0


def px(size: float) -> int:
    """A chart size in pixels, scaled for projector mode."""
    return int(round(size * chart_scale()))


def show_chart(chart: Any, container: Any = None, **kwargs: Any) -> Any:
    """``st.altair_chart``; in projector mode every font of the chart is enlarged too.

    The font scaling works on the Vega-Lite spec (explicit axis/legend/title/text sizes and
    the config defaults), which Streamlit builds with its own Altair conversion; if that
    private helper ever moves, the chart is drawn unscaled rather than not at all.
    """
    box = container if container is not None else st
    if not projector_mode():
        return box.altair_chart(chart, **kwargs)
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # pragma: no cover - a future Streamlit
        return box.altair_chart(chart, **kwargs)
    spec = projector_spec(_convert_altair_to_vega_lite_spec(chart), PROJECTOR_SCALE)
    return box.vega_lite_chart(spec=floor_fonts(spec, PROJECTOR_MIN_FONT), **kwargs)


def floor_fonts(spec: dict[str, Any], least: float) -> dict[str, Any]:
    """Raise every font size of a Vega-Lite spec (explicit, and the ``config`` defaults that
    :func:`~explorer.charts.core.scale_fonts` fills in) to at least ``least`` px."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("datasets", "data", "values"):
                    continue
                if key in FONT_KEYS and isinstance(value, (int, float)) \
                        and not isinstance(value, bool):
                    node[key] = max(value, least)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return spec


def pick(normal: Any, projector: Any) -> Any:
    """``projector`` in projector mode, else ``normal`` (sizes and layouts that differ)."""
    return projector if projector_mode() else normal


def header(title: str, intro_text: str, label: str) -> None:
    """The page's title and explanation. In projector mode the explanation is folded under
    ``label`` next to the title (one row: the charts start high on a 720 px projector)."""
    if not projector_mode():
        st.title(title)
        st.markdown(intro_text)
        return
    left, right = st.columns([3, 2], vertical_alignment="center")
    left.title(title)
    right.expander(label, icon=":material/info:").markdown(intro_text)


def fold(label: str, icon: str = ":material/notes:") -> Any:
    """A container for text the lecturer explains anyway: folded under ``label`` in
    projector mode, a plain container otherwise."""
    return st.expander(label, icon=icon) if projector_mode() else st.container()


def table(frame: Any, container: Any = None, **kwargs: Any) -> Any:
    """``st.dataframe`` without the index; in projector mode a static ``st.table``, whose text
    follows the page's (larger) font instead of the grid's fixed canvas font."""
    box = container if container is not None else st
    if projector_mode():
        return box.table(frame, hide_index=True)
    return box.dataframe(frame, hide_index=True, **kwargs)


def intro(text: str, label: str) -> None:
    """A page's explanation: shown in full, or collapsed under ``label`` in projector mode."""
    if projector_mode():
        st.expander(label, icon=":material/info:").markdown(text)
    else:
        st.markdown(text)


def note(text: str, container: Any = None) -> None:
    """A long explanatory caption: hidden in projector mode (the lecturer explains)."""
    if not projector_mode():
        (container if container is not None else st).caption(text)


# ---------------------------------------------------------------------------- config widgets
def _wkey(page: str, name: str) -> str:
    return f"{page}.{name}"


def page_widget(page: str, name: str, initial: Any) -> str:
    """Session key of a page-level widget, seeded once from the URL.

    ``initial`` is the value (or a function returning it, called only when seeding, so a bad
    URL value is reported once); the key is fresh if the widget was not drawn in the previous
    run (see ``widget_key``).
    """
    key = widget_key(f"{page}.{name}")
    if key not in st.session_state:
        st.session_state[key] = initial() if callable(initial) else initial
    return key


def widget_key(key: str, mark: bool = True) -> str:
    """The session key to draw the widget known as ``key`` with in this run.

    Streamlit 1.67 shows a keyed widget that is drawn again after a run without it (hidden
    while it does not apply, e.g. the data widgets during an upload, the noise slider for a
    data set without noise) with its first option, while the script receives the value from
    the session state. A widget that missed the previous run therefore gets a fresh key
    (``key#1``, ``key#2``, ...) and its value from the URL, like on a first visit; a widget
    drawn in every run keeps ``key``. ``mark=False`` only looks the key up (for callbacks,
    which run before the script).
    """
    run = st.session_state.get("_run", 0)
    seen = st.session_state.setdefault("_key_seen", {})
    gens = st.session_state.setdefault("_key_gen", {})
    if mark:
        last = seen.get(key)
        if last is not None and last < run - 1:
            gens[key] = gens.get(key, 0) + 1
        seen[key] = run
    gen = gens.get(key, 0)
    return key if gen == 0 else f"{key}#{gen}"


def _widget_value(f: Field, value: Any) -> Any:
    """Config value -> the widget's representation."""
    if f.kind == "layers":
        return format_value(f, value)
    if f.kind in ("acts", "features"):
        return list(value)
    return value


def _choices(name: str) -> tuple[list[str], Callable[[str], str]]:
    lang = current_lang()  # captured: the format functions must not read the session later
    if name == "dataset":
        return DATASETS.names(), lambda n: (DATASETS[n].zh_label if lang == "zh"
                                            else DATASETS[n].label)
    if name == "activation":
        return ACTIVATIONS.names(), lambda n: ACTIVATIONS[n].label_for(lang)
    if name == "init":
        auto = Tr({}, lang)("init.auto")
        return [AUTO, *INITIALISERS.names()], lambda n: (
            auto if n == AUTO else option_label("init", n, INITIALISERS[n].label, lang))
    if name == "optimizer":
        return OPTIMISERS.names(), lambda n: option_label("opt", n, OPTIMISERS[n].label, lang)
    raise KeyError(name)


def labels(mapping: Mapping[Any, str]) -> Callable[[Any], str]:
    """A widget's ``format_func`` showing ``mapping[value]`` (else the value as text).

    Pages pass this (or another function of this package) to a widget, never a function
    defined in the page script: Streamlit keeps a widget's ``format_func`` and callbacks in the
    session after the run, and a function of the page script keeps the page's whole namespace
    alive with it (its records, charts and player payload, several MB) for as long as the
    session is kept, a disconnected one too (``server.disconnectedSessionTTL``)."""
    return functools.partial(_label_of, dict(mapping))


def _label_of(mapping: Mapping[Any, str], value: Any) -> str:
    return mapping.get(value, str(value))


def activation_labels(names: Iterable[str], lang: str) -> Callable[[Any], str]:
    """``labels`` of these activations in ``lang``."""
    return labels({n: ACTIVATIONS[n].label_for(lang) for n in names})


def nudge(key: str, delta: int, lo: int, hi: int) -> None:
    """A button's callback: add ``delta`` to the integer widget state ``key``, kept in
    [lo, hi] (a page passes this instead of a function of its own, see :func:`labels`)."""
    st.session_state[key] = min(hi, max(lo, int(st.session_state[key]) + delta))


def player_step(cfgs: Sequence[TrainConfig], stores: Sequence[str],
                done: Sequence[int]) -> Callable[[int], bool]:
    """The ``on_need`` of a live player of the runs ``cfgs`` (trained to ``done`` epochs, their
    extra frames kept in the session under ``stores``): Step +1 epoch between snapshots
    prepares every run's frame of epoch ``need`` (True: the page reruns and shows it). The
    player's fragment keeps it in the session, so it is a function of this module, not of
    the page (see :func:`labels`)."""
    return functools.partial(_player_step, tuple(cfgs), tuple(stores), tuple(done))


def _player_step(cfgs: Sequence[TrainConfig], stores: Sequence[str], done: Sequence[int],
                 need: int) -> bool:
    from .live import component as live  # (it imports this module)

    if not done or not 0 < need <= max(done):
        return False
    for cfg, store, epochs in zip(cfgs, stores, done, strict=True):
        if need <= epochs:
            live.extra_frames(cfg, store, need)
    return True


def option_label(kind: str, name: str, label: str, lang: str | None = None) -> str:
    """A registry entry's label in ``lang`` (default: the current language); ``OPTION_ZH``
    holds the Chinese, English (and names without a translation) use the registry's label."""
    lang = lang or current_lang()
    return OPTION_ZH.get(f"{kind}.{name}", label) if lang == "zh" else label


def _render(tr: Tr, page: str, name: str, container: Any, cfg: TrainConfig) -> Any:
    """One widget for one config field (value from ``cfg`` unless the session has one);
    returns its current (widget) value."""
    f = FIELDS[name]
    key = widget_key(_wkey(page, name))
    if key not in st.session_state:  # (the rate widget shows the newest rate of the run)
        value = cfg.lr_changes[-1][1] if name == "lr" and cfg.lr_changes else getattr(cfg, name)
        st.session_state[key] = _widget_value(f, value)
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
    if f.kind == "features":
        return container.multiselect(label, FEATURES.names(), key=key, help=help_,
                                     format_func=lambda n: FEATURES[n].label)
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
        notice(tr, "url_notice", errors)
    if "layer_activations" in show and _wkey(page, "layer_activations") not in st.session_state:
        st.session_state[_wkey(page, "layer_activations")] = list(url_cfg.layer_activations)
    values = url_cfg.to_dict()
    problems: list[str] = []
    for section, names in SECTIONS.items():
        names = [n for n in names if n in show]
        if not names:
            continue
        box = container.expander(tr(section), expanded=True) if sections \
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
        cfg, more = build_config(TrainConfig, values, base)
        problems.extend(more or [str(exc)])
    if problems:
        notice(tr, "setting_notice", problems)
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
    on_key = widget_key(key + ".on")
    if on_key not in st.session_state:
        st.session_state[on_key] = bool(current)
    on = box.toggle(tr("custom_layers"), key=on_key, help=tr.field_help("layer_activations"))
    if not on:
        st.session_state[key] = []
        return ()
    names = ACTIVATIONS.names()
    chosen = []
    for i in range(n):
        layer_key = widget_key(f"{key}.{i}")
        default = current[i] if i < len(current) else values["activation"]
        if st.session_state.get(layer_key) not in names:
            st.session_state[layer_key] = default if default in names else names[0]
        chosen.append(box.selectbox(tr("layer_n", n=i + 1), names, key=layer_key,
                                    format_func=lambda a: ACTIVATIONS[a].label_for(tr.lang)))
    st.session_state[key] = chosen
    return tuple(chosen)


def apply_preset(page: str, base: TrainConfig, changes: Mapping[str, Any],
                 show: Sequence[str]) -> None:
    """Set the widgets of ``page`` to ``base`` with ``changes`` (use as on_click callback).

    The URL gets every field too, so widgets hidden until now (which will be drawn with a
    fresh key, see :func:`widget_key`) start from the preset's values as well.
    """
    cfg = base.replace(**changes)
    for name in show:
        if name == "layer_activations":
            st.session_state[_wkey(page, name)] = list(cfg.layer_activations)
            continue
        st.session_state[widget_key(_wkey(page, name), mark=False)] = \
            _widget_value(FIELDS[name], getattr(cfg, name))
    if "layer_activations" in show:
        key = _wkey(page, "layer_activations")
        st.session_state[widget_key(key + ".on", mark=False)] = bool(cfg.layer_activations)
        for i, a in enumerate(cfg.layer_activations):
            st.session_state[widget_key(f"{key}.{i}", mark=False)] = a
    for name, f in FIELDS.items():
        value = getattr(cfg, name)
        set_query(name, None if value == getattr(base, name) else format_value(f, value))


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
        st.warning(tr("url_notice") + f"\n- {key}: {url_value(raw)} ({lo}–{hi})")
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
        st.warning(tr("url_notice") + f"\n- {key}: {url_value(raw, 60)}")
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


def _glibc() -> Any:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not Linux/glibc: nothing to tune
        return None


_LIBC = _glibc()
if _LIBC is not None:
    # Streamlit runs every session in its own thread; glibc gives threads separate malloc
    # arenas whose freed memory is rarely returned, so a lecture hall of sessions inflates the
    # server's resident memory. Two arenas (M_ARENA_MAX = -8) keep it near what is in use.
    _LIBC.mallopt(-8, 2)


def _release_memory() -> None:
    """Return freed heap memory to the OS after a training (glibc's malloc_trim)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


#: at most this many trainings run at once in the server process (the rest wait): bounds the
#: CPU and the memory of a shared Community Cloud app (≤ 2 cores, ~1 GB) under a class's load.
#: One of them only ever runs small jobs (see explorer/slots.py): a student with a small run
#: is served within a small job's time even while a wave of big pages waits.
TRAINING_SLOTS = 2
SMALL_SLOTS = 1
SCHEDULER = Scheduler(TRAINING_SLOTS, SMALL_SLOTS)


def job_work(cfgs: TrainConfig | Sequence[TrainConfig]) -> float:
    """The work of training these configs (multiply-adds, ``labs.budget.run_work``)."""
    from .labs.budget import run_work

    return float(sum(run_work(c) for c in ([cfgs] if isinstance(cfgs, TrainConfig) else cfgs)))


@contextmanager
def training_slot(work: float | None = None) -> Iterator[Any]:
    """Hold one of the TRAINING_SLOTS while training (smallest ``work`` first; unknown work
    counts as big). Yields the ticket, for :func:`yield_slot`."""
    try:
        with SCHEDULER.slot(work) as ticket:
            yield ticket
    finally:
        _release_memory()
        IDLE.poke()


#: seconds without a training after which the server collects its garbage once
IDLE_AFTER = 3.0


class IdleCollector:
    """Once the trainings have stopped for ``after`` seconds: ``gc.collect()`` and
    ``malloc_trim``, once per quiet spell.

    The app turns off Streamlit's full collection after every script run (it would cost the
    live player's fragment reruns most of their time, see .streamlit/config.toml), so the
    cyclic garbage of a wave of page runs (charts, tables) would wait for Python's own
    thresholds and its freed heap for the next training's trim. Each training ends with
    :meth:`poke`; the collection runs when no training has started or ended for ``after``
    seconds (a lecture hall's wave is over) and no training runs or waits."""

    def __init__(self, scheduler: Scheduler, after: float) -> None:
        self.scheduler, self.after = scheduler, after
        self.runs = 0  # collections so far (tests count them)
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def poke(self) -> None:
        """A training ended: (re)start the quiet-spell timer."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.after, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def _collect(self) -> None:
        with self._lock:
            self._timer = None
        if self.scheduler.running or self.scheduler.waiting:
            return  # a training still runs: its end pokes again
        gc.collect()
        _release_memory()
        self.runs += 1


IDLE = IdleCollector(SCHEDULER, IDLE_AFTER)


def slot_for(cfg: TrainConfig) -> Callable[[], Any]:
    """A ``training_slot`` factory with ``cfg``'s work (for code that takes a factory)."""
    work = job_work(cfg)
    return lambda: training_slot(work)


def yield_slot(ticket: Any) -> None:
    """Between two epochs of a long training: let a waiting smaller job have the slot first."""
    SCHEDULER.pause(ticket)


def others_training() -> bool:
    """True while another training runs besides the caller's (live frames then pause)."""
    return SCHEDULER.running > 1


_PRIMED: dict[tuple, RunRecord] = {}
_DONE: OrderedDict[tuple, None] = OrderedDict()
_LOCKS: dict[tuple, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def shared_cache(max_bytes: int, max_entries: int,
                 ttl: float | None = None) -> Callable[[Callable], Any]:
    """``st.cache_data`` shared by every session and bounded twice: at most ``max_entries``
    values and at most ``max_bytes`` pickled bytes (Streamlit's ``max_size``: the least
    recently used value goes first; reading one counts as use), and kept at most ``ttl``
    seconds if given. Every cache of the app's pages and of this module uses it, so the memory
    a wave of distinct links leaves behind is bounded by bytes, not by a count of values of
    any size."""
    return st.cache_data(max_entries=max_entries, max_size=int(max_bytes), ttl=ttl,
                         show_spinner=False)


@shared_cache(RUN_CACHE_BYTES, CACHE_ENTRIES)
def _train_cached(key: tuple[tuple[str, str], ...]) -> RunRecord:
    primed = _PRIMED.pop(key, None)
    if primed is not None:
        return primed
    cfg = _cfg_from_key(key)
    with training_slot(job_work(cfg)) as ticket:  # (train_many of one = train, with pauses)
        return train_many([cfg], progress=lambda _f: yield_slot(ticket))[0]


@shared_cache(RUNS_CACHE_BYTES, CACHE_ENTRIES // 2)
def _train_many_cached(keys: tuple[tuple[tuple[str, str], ...], ...]) -> list[RunRecord]:
    cfgs = [_cfg_from_key(k) for k in keys]
    with training_slot(job_work(cfgs)) as ticket:
        return train_many(cfgs, progress=lambda _f: yield_slot(ticket))


def cached_train(cfg: TrainConfig) -> RunRecord:
    """Train (or fetch from the shared cache) one config."""
    return _train_cached(cfg_key(cfg))


def cached_train_many(cfgs: Sequence[TrainConfig]) -> list[RunRecord]:
    """Train several configs together (stacked where possible), cached as one entry.

    Models whose temporary arrays would not fit one stack's memory (``budget.STACK_MEMORY``:
    deep, wide networks on many points) are trained in consecutive groups, each cached and each
    in its own training slot (a small job waiting for a slot gets it between two groups); every
    record is the same as when stacked."""
    from .labs.budget import stack_groups

    keys = [cfg_key(c) for c in cfgs]
    groups = stack_groups(cfgs)
    if len(groups) <= 1:
        return _train_many_cached(tuple(keys))
    out: list[RunRecord | None] = [None] * len(cfgs)
    for group in groups:
        for i, rec in zip(group, _train_many_cached(tuple(keys[i] for i in group)),
                          strict=True):
            out[i] = rec
    return out  # type: ignore[return-value]


def budget_notice(tr: Tr, reduced: Mapping[str, tuple[int, int]], n: int,
                  draws_boundary: bool = False) -> None:
    """The "capped" notice of a page whose settings ``budget.fit`` reduced ({field: (asked,
    used)}), for ``n`` networks (``draws_boundary``: the page draws the reduced grid)."""
    if not reduced:
        return
    lines = [tr("capped_models", asked=asked, used=used) if name == "models" else
             tr("capped_grid" if name == "grid_size" and not draws_boundary else "capped_item",
                name=tr.field_label(name), asked=asked, used=used)
             for name, (asked, used) in reduced.items()]
    head = tr("page_capped_one") if n == 1 else tr("page_capped", n=n)
    st.warning(head + "\n" + "\n".join(f"- {line}" for line in lines),
               icon=":material/speed:")


def train_error(tr: Tr, exc: Exception) -> None:
    """A training that raised: a short message instead of a traceback (the page stops)."""
    st.error(tr("train_error", reason=user_text(str(exc), 120)))
    st.stop()


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
        with training_slot(job_work(cfg)) as ticket:
            for rec in iter_train(cfg, every=every):
                yield_slot(ticket)  # a smaller job waiting goes first
                bar.progress(min(1.0, rec.epochs_done / cfg.epochs),
                             text=tr("training_progress", epoch=rec.epochs_done,
                                     total=cfg.epochs))
                if draw is not None and not rec.complete:
                    draw(rec)
        out = store_trained(cfg, rec)
        bar.empty()
        return out
    finally:
        lock.release()


def trained(cfg: TrainConfig) -> bool:
    """True if ``cfg``'s record was trained and stored in the shared cache (``train_live`` or
    ``store_trained``): the live player then replays it instead of training it again."""
    return cfg_key(cfg) in _DONE


def store_trained(cfg: TrainConfig, rec: RunRecord) -> RunRecord:
    """Put a complete record trained elsewhere (the live player's background job) into the
    shared cache, as ``train_live`` does; returns the cached record."""
    key = cfg_key(cfg)
    _PRIMED[key] = rec
    out = _train_cached(key)
    _PRIMED.pop(key, None)
    _DONE[key] = None
    while len(_DONE) > CACHE_ENTRIES:
        _DONE.popitem(last=False)
    return out


def train_on_data(cfg: TrainConfig, data: Dataset, tr: Tr | None = None) -> RunRecord:
    """Train on given (uploaded) data; cached per session only (the data never leave it)."""
    tr = tr or Tr({}, current_lang())
    n_train = len(data.y_train)
    max_epochs = cfg.max_epochs(n_train)
    if cfg.epochs > max_epochs:  # the bound of TrainConfig, applied to the uploaded size
        st.warning(tr("upload_epochs_cut", epochs=cfg.epochs, n=n_train, max=max_epochs))
        cfg = cfg.replace(epochs=max_epochs)
    store = st.session_state.setdefault("_upload_runs", OrderedDict())
    key = (cfg_key(cfg), id(data))
    if key not in store:
        with training_slot(job_work(cfg)) as ticket:  # (work from cfg's own sizes: a guess)
            store[key] = train_many([cfg], data, progress=lambda _f: yield_slot(ticket))[0]
        while len(store) > 4:
            store.popitem(last=False)
    return store[key]


def show_divergence(tr: Tr, rec: RunRecord) -> None:
    if rec.diverged_at is not None:
        st.error(tr("diverged", epoch=rec.diverged_at))


# ---------------------------------------------------------------------------- export / import
#: URL keys that belong to the viewer, not to the view (not saved in a settings file)
VIEWER_KEYS = ("lang", "projector", "data")


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
    c1.download_button(tr("export_history"), history_csv(records), f"{page}-history.csv",
                       "text/csv", key=f"{page}.dl.history", on_click="ignore",
                       help=tr("export_history_help"), icon=":material/table:")
    c2.download_button(tr("export_layers"), layer_stats_csv(records), f"{page}-layers.csv",
                       "text/csv", key=f"{page}.dl.layers", on_click="ignore",
                       help=tr("export_layers_help"), icon=":material/stacked_bar_chart:")
    c3.download_button(tr("export_config"), config_json(cfg, extra), f"{page}-settings.json",
                       "application/json", key=f"{page}.dl.config", on_click="ignore",
                       help=tr("export_config_help"), icon=":material/settings:")
    box.caption(tr("export_charts"))


def config_loader(tr: Tr, page: str, base: TrainConfig, show: Sequence[str],
                  container: Any = None) -> None:
    """Upload a settings JSON: sets the widgets (and so the URL) of this page.

    Call it before ``config_sidebar`` (it sets widget state, which Streamlit allows only
    before the widgets are drawn in a run). Every config field of the file goes into the URL
    (shown fields also into their widgets), and the page's own keys (``acts``, ``epoch``, ...)
    replace the current ones: their widgets are reset so the page reads them from the URL
    again. Hidden in projector mode.
    """
    if projector_mode():
        return
    errors = st.session_state.pop(f"{page}.cfgfile.errors", None)
    if errors:  # from the file loaded in the previous run
        notice(tr, "load_config_bad", errors)
    box = (container or st.sidebar).expander(tr("load_config"), icon=":material/upload_file:")
    up = box.file_uploader(tr("load_config"), type=["json"], key=f"{page}.cfgfile",
                           help=tr("load_config_help"), label_visibility="collapsed")
    if up is None:
        st.session_state.pop(f"{page}.cfgfile.done", None)
        return
    marker = (up.name, up.size, up.file_id)
    if st.session_state.get(f"{page}.cfgfile.done") == marker:
        box.caption(tr("load_config_done", name=up.name))
        return
    cfg, page_keys, errors = config_from_json(up.getvalue(), base)
    if errors:
        st.session_state[f"{page}.cfgfile.errors"] = errors
    apply_preset(page, base, {n: getattr(cfg, n) for n in FIELDS}, show)
    for name, f in FIELDS.items():
        value = getattr(cfg, name)
        set_query(name, None if value == getattr(base, name) else format_value(f, value))
        if name not in show:  # a page-level widget for a config field (e.g. a slope slider)
            st.session_state.pop(widget_key(_wkey(page, name), mark=False), None)
    page_keys = {k: v for k, v in page_keys.items() if k not in VIEWER_KEYS and k not in FIELDS}
    for k in [k for k in query() if k not in FIELDS and k not in VIEWER_KEYS]:
        if k not in page_keys:
            set_query(k, None)
    for k, v in page_keys.items():
        set_query(k, v[:200])
    for k in set(page_keys) | {"epoch"}:
        st.session_state.pop(widget_key(_wkey(page, k), mark=False), None)
    st.session_state[f"{page}.cfgfile.done"] = marker
    st.session_state["_run"] -= 1  # the rerun continues this run (see widget_key)
    st.rerun()


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
    # the widget gets a fresh key after runs without it (a streamed run's fragment runs: see
    # widget_key), seeded with the source chosen before; the choice itself is kept in
    # ``{key}.value`` (uploading() reads it)
    wkey = widget_key(key)
    if wkey not in st.session_state:
        if key + ".value" in st.session_state:
            st.session_state[wkey] = st.session_state[key + ".value"]
        else:
            raw = st.query_params.get("data")
            if raw is not None and raw not in SOURCES[1:]:
                st.warning(tr("url_notice") + f"\n- data: {url_value(raw)} (data=upload)")
            st.session_state[wkey] = "upload" if raw == "upload" else "builtin"
            st.session_state[key + ".from_url"] = raw == "upload"
    source = box.segmented_control(tr("data_source"), list(SOURCES), key=wkey,
                                   format_func=lambda s: tr(f"source.{s}"),
                                   help=tr("data_source_help")) or "builtin"
    st.session_state[key + ".value"] = source
    set_query("data", "upload" if source == "upload" else None)
    if source != "upload":
        return None
    up = box.file_uploader(tr("upload_file"), type=["csv", "txt"], key=f"{page}.csv",
                           help=tr("upload_help"))
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
