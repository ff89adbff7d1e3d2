"""Page state: the URL (query string) and the lecture state (language, projector mode) that
every page of a session shares, widget keys that survive a run without the widget, and the
page-level URL values read back with a notice for a bad one.

Every widget value is mirrored into the query string (only values that differ from the page's
base config), so a copied URL reproduces the view. A malformed parameter is reported with
``st.warning`` and replaced by its default; the page keeps working. The warning lasts
(:func:`lasting_warning`): the page rewrites the URL without the bad value, so the reruns that
follow (a streamed run's end-of-run rerun among them) show it again from the session until the
user changes that setting.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from .. import compare as cmp
from .. import lesson
from ..activations import ACTIVATIONS
from ..config import FIELDS
from ..labs import dead, gallery, vanishing, zigzag
from ..safetext import escape_md
from .display import PROJECTOR_CSS, PROJECTOR_VALUES, SVG_SAVE_JS, accessibility, projector_mode
from .lang import COMMON, LANGS, Tr, current_lang, url_value

__all__ = ["LECTURE_KEYS", "VIEWER_KEYS", "ensure_navigation", "lasting_warning", "lecture_query",
           "lecture_state", "nudge", "page_id", "page_link", "page_setup", "page_widget",
           "projector_on", "query", "set_query", "url_choices",
           "url_int", "widget_key", "ViewField", "url_float", "view_value", "view_widget",
           "views", "write_view"]

#: URL keys that belong to the viewer, not to the view (not saved in a settings file)
VIEWER_KEYS = ("lang", "projector", "data")


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


def page_id() -> str:
    """The running page (its script hash; the main script's when run on its own)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx is not None else ""


# ---------------------------------------------------------------------------- lasting notices
#: session keys: the kept notices {(page, setting): (text, value, run)}, the full-run counter
_S_NOTICES, _S_RUNS, REFRESH = "_ae_notices", "_ae_full_runs", "_ae_refresh"  # (widget_key)
#: the value of a notice made by a URL reader (url_int, ...) before its view setting claims it
_UNCLAIMED = object()


def lasting_warning(name: str, value: Any, text: str | None = None, box: Any = None) -> None:
    """A warning about a replaced setting ``name`` that lasts until the user changes it.

    With ``text`` (a bad value was just replaced by ``value``): the warning is shown and kept.
    Without (the URL no longer holds the bad value: the page rewrote it, e.g. before a
    streamed run's end-of-run rerun): the kept warning is shown again while the setting still
    has ``value``, and dropped once it has another. Kept per page; arriving at the page again
    starts afresh (see :func:`page_setup`)."""
    store = st.session_state.setdefault(_S_NOTICES, {})
    k, run = (page_id(), name), st.session_state.get(_S_RUNS, 0)
    if text is None:
        kept = store.get(k)
        if kept is None:
            return
        if kept[1] is _UNCLAIMED:  # made in this run by a URL reader: its value is this one
            store[k] = (kept[0], value, kept[2])
            return
        if kept[1] != value:
            del store[k]
            return
        if kept[2] == run:  # shown already in this run
            return
        text = kept[0]
    else:
        store[k] = (text, value, run)
    (box or st).warning(text)


def _url_notice(key: str, text: str) -> None:
    """A bad page-level URL value: warned now, kept once its view setting claims it."""
    lasting_warning(key, _UNCLAIMED, text)


def _arrived() -> bool:
    """True on the first run of a page in this session or after coming from another page."""
    return st.session_state.get(_S_PAGE) != page_id()


def _remember_query() -> None:
    if _S_PAGE not in st.session_state:  # before page_setup (e.g. a test calling set_query)
        return
    st.session_state.setdefault(_S_QUERIES, {})[page_id()] = {
        k: v for k, v in query().items() if k not in LECTURE_KEYS}


def projector_on(raw: str | None) -> bool:
    return raw in ("1", "true", "on")


def lecture_state() -> tuple[str, bool]:
    """(language, projector mode) for this run, also before the page's widgets are drawn (the
    app shell titles the navigation with it). Arriving at a page, the URL decides if it names
    the value (a shared link opens exactly its view), else the session (the sidebar's links
    carry no query string); within a page the widgets decide."""
    ss = st.session_state
    url_lang, url_proj = st.query_params.get("lang"), st.query_params.get("projector")
    if _arrived() or "_lang_widget" not in ss:
        lang = url_lang if url_lang in LANGS else ss.get(_S_LANG, "en")
    else:
        lang = ss["_lang_widget"]
    if _arrived() or "_projector_widget" not in ss:
        on = projector_on(url_proj) if url_proj is not None else ss.get(_S_PROJECTOR, False)
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


def page_setup(text: Mapping[str, Mapping[str, str]]) -> Tr:
    """Language switch (URL ``lang``) and projector toggle (URL ``projector``); returns ``tr``.

    The lecture state (language, projector) and every page's own settings live in the session
    as well as in the URL: arriving at a page by a link without its settings (the sidebar's
    navigation) puts the page's last query of this session back into the URL, so its widgets
    come back as they were left; a link with settings (a shared one) opens exactly those.
    """
    ensure_navigation()
    st.session_state["_run"] = run = st.session_state.get("_run", 0) + 1  # see widget_key
    refresh = st.session_state.get(REFRESH, False)  # see widget_key and run_page
    st.session_state["_ae_refresh_run"] = run if refresh else None
    st.session_state[_S_RUNS] = st.session_state.get(_S_RUNS, 0) + 1  # see lasting_warning
    arrived = _arrived()
    if arrived:  # the page reads its URL afresh: notices kept from an earlier visit are old
        notices = st.session_state.get(_S_NOTICES, {})
        for k in [k for k in notices if k[0] == page_id()]:
            del notices[k]
    lang, on = lecture_state()
    url_lang = st.query_params.get("lang", "en")
    raw = st.query_params.get("projector", "0")
    if arrived or refresh:
        st.session_state["_lang_widget"] = lang
        st.session_state["_projector_widget"] = on
    if arrived:
        own = {k: v for k, v in query().items() if k not in LECTURE_KEYS}
        saved = st.session_state.get(_S_QUERIES, {}).get(page_id())
        if not own and saved:
            for k, v in saved.items():
                st.query_params[k] = v
    st.session_state[_S_PAGE] = page_id()
    lang = st.sidebar.selectbox(COMMON["en"]["language"], list(LANGS),
                                format_func=LANGS.__getitem__, key="_lang_widget")
    st.session_state["_lang"] = st.session_state[_S_LANG] = lang
    set_query("lang", None if lang == "en" else lang)
    tr = Tr(text, lang)
    st.sidebar.html(SVG_SAVE_JS % json.dumps(tr("save_svg")), unsafe_allow_javascript=True)
    accessibility(tr)  # skip link, focus rings (issue 29)
    lasting_warning("lang", lang, tr("url_notice") + f"\n- lang: {url_value(url_lang, 20)} (en, zh)"
                    if url_lang not in LANGS else None)
    lasting_warning("projector", on, tr("url_notice") + f"\n- projector: {url_value(raw, 20)} (1, 0)"
                    if raw not in PROJECTOR_VALUES else None)
    on = st.sidebar.toggle(tr("projector"), key="_projector_widget", help=tr("projector_help"))
    st.session_state[_S_PROJECTOR] = on
    set_query("projector", "1" if on else None)
    shell = st.session_state.get("_ae_shell")  # what the app shell drew the navigation with
    if shell is not None and shell != (lang, on) and \
            st.session_state.get("_ae_shell_fix") != (page_id(), lang, on):
        st.session_state["_ae_shell_fix"] = (page_id(), lang, on)  # once: never a loop
        st.session_state["_run"] -= 1  # the rerun continues this run (see widget_key)
        st.rerun()
    if on:
        st.html(PROJECTOR_CSS)
    return tr


def ensure_navigation() -> None:
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
    which run before the script). After runs of a fragment alone (``streams.stream``) the
    browser shows the same: the next run (``st.session_state[REFRESH] = True``) sends every
    widget's value anew with the same key (never a new copy next to a stale one).
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
    key = key if gen == 0 else f"{key}#{gen}"
    if mark and key in st.session_state:
        # values sent by a refresh: a change the browser made while one was on its way
        # arrives after it (the browser shows the sent value): it is sent back once
        sent = st.session_state.setdefault("_ae_sent", {})
        if st.session_state.get("_ae_refresh_run") == run:
            sent[key] = st.session_state[key] = st.session_state[key]
        elif key in sent and sent[key] != st.session_state[key]:
            del sent[key]
            st.session_state[key] = st.session_state[key]
    return key


def nudge(key: str, delta: int, lo: int, hi: int) -> None:
    """A button's callback: add ``delta`` to the integer widget state ``key``, kept in
    [lo, hi] (a page passes this instead of a function of its own, see :func:`labels`)."""
    st.session_state[key] = min(hi, max(lo, int(st.session_state[key]) + delta))


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
        _url_notice(key, tr("url_notice") + f"\n- {key}: {url_value(raw)} ({lo}–{hi})")
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
        _url_notice(key, tr("url_notice") + f"\n- {key}: {url_value(raw, 60)}")
        return list(default)
    return items


# ---------------------------------------------------------------------------- page view state
@dataclass(frozen=True)
class ViewField:
    """One setting of a page's view that lives in the URL (the config's own fields are
    ``config.FIELDS``): its URL key, kind, default and bounds or choices.

    kinds: ``bool`` (``1``/``0``), ``int`` and ``float`` (in [lo, hi]; a float snaps to
    ``step`` if given), ``choice`` (one of ``choices``), ``names`` (``-``-joined, each in
    ``choices``, at most once, ``min_n`` to ``max_n`` of them). A default of None is given by
    the page when it reads or writes (e.g. the last epoch of the run shown).

    Streamlit 1.67's ``bind="query-params"`` (a widget synced with the URL under its key) does
    not fit: a bound parameter cannot be set through ``st.query_params`` (the settings loader
    and the session's last query of a page set them so), its key is the widget key (the
    pages' widgets carry ``{page}.`` and a generation, see :func:`widget_key`), and a bad value
    is dropped silently where the app reports it. So the table keeps the app's own mechanism:
    seeded once from the URL (:func:`view_widget`), written back by :func:`write_view`."""

    key: str
    kind: str
    default: Any = None
    lo: float = 0
    hi: float = 1
    choices: tuple[str, ...] = ()
    min_n: int = 1
    max_n: int = 99
    step: float | None = None

    def read(self, tr: Tr, default: Any = None, hi: float | None = None) -> Any:
        """The value in the URL (absent: the default; bad: a notice and the default)."""
        default = self.default if default is None else default
        hi = self.hi if hi is None else hi
        if self.kind == "bool":
            return url_int(tr, self.key, int(default), 0, 1) == 1
        if self.kind == "int":
            return url_int(tr, self.key, default, int(self.lo), int(hi))
        if self.kind == "float":
            return url_float(tr, self.key, default, self.lo, hi, self.step)
        if self.kind == "choice":
            return url_choices(tr, self.key, [default], self.choices, 1, 1)[0]
        return url_choices(tr, self.key, default, self.choices, self.min_n, self.max_n)

    def text(self, value: Any, default: Any = None) -> str | None:
        """``value`` as the URL spells it (None: the default, left out of the URL)."""
        default = self.default if default is None else default
        if self.kind == "names":
            value, default = list(value), list(default)
        if value == default:
            return None
        if self.kind == "bool":
            return str(int(bool(value)))
        if self.kind == "float":
            return f"{value:g}"
        if self.kind == "names":
            return "-".join(value)
        return str(value)


def url_float(tr: Tr, key: str, default: float, lo: float, hi: float,
              step: float | None = None) -> float:
    """A number page parameter from the URL, in [lo, hi] (snapped to ``step`` if given)."""
    raw = st.query_params.get(key)
    if raw is None:
        return default
    try:
        v = float(str(raw).strip())
        if not math.isfinite(v) or not lo <= v <= hi:
            raise ValueError(raw)
        v += 0.0  # "-0" gives 0.0, not -0.0
        if step is not None:
            v = float(min(hi, max(lo, round(lo + round((v - lo) / step) * step, 10))))
        return v
    except ValueError:
        _url_notice(key, tr("url_notice") + f"\n- {key}: {url_value(raw)} ({lo:g}–{hi:g})")
        return default


def views() -> dict[str, dict[str, ViewField]]:
    """Every page's view settings in the URL: page -> name -> ViewField (TensorFlow
    Playground's ``state.ts``: one table of properties serialised to the URL). Built on each
    call from the registries, so an activation registered later is a choice too."""
    acts = tuple(ACTIVATIONS.names())
    epoch = ViewField("epoch", "int", None, 0, FIELDS["epochs"].hi)  # default: the last
    params = {s.field: ViewField(s.field, "int", int(s.default), s.lo, s.hi)
              if gallery.is_int_param(s) else
              ViewField(s.field, "float", s.default, s.lo, s.hi, step=0.01)
              for s in gallery.param_specs()}
    return {
        "play": {"show_test": ViewField("show_test", "bool", True),
                 "log_scale": ViewField("log_scale", "bool", False),
                 "signed": ViewField("signed", "bool", False), "epoch": epoch},
        "compare": {"acts": ViewField("acts", "names", cmp.DEFAULT_ACTS, choices=acts,
                                      min_n=cmp.MIN_ACTS, max_n=cmp.MAX_ACTS),
                    "target": ViewField("target", "int", cmp.DEFAULT_TARGET, cmp.TARGET_LO,
                                        cmp.TARGET_HI),
                    "epoch": epoch, "log": ViewField("log", "bool", False),
                    "big": ViewField("big", "bool", False),
                    "seeds": ViewField("seeds", "int", cmp.DEFAULT_SEEDS, cmp.MIN_SEEDS,
                                       cmp.MAX_SEEDS),
                    "sweep": ViewField("sweep", "bool", False),
                    "protocol": ViewField("protocol", "bool", True)},
        "dead": {"acts": ViewField("acts", "names", dead.DEFAULT_ACTS,
                                   choices=tuple(dead.activation_names())),
                 "map": ViewField("map", "choice", dead.DEFAULT_MAP,
                                  choices=tuple(dead.activation_names())),
                 "leaky_slope": ViewField("leaky_slope", "float", dead.BASE.leaky_slope,
                                          FIELDS["leaky_slope"].lo, FIELDS["leaky_slope"].hi)},
        "vanishing": {"acts": ViewField("acts", "names", vanishing.DEFAULT_ACTS,
                                        choices=tuple(vanishing.activation_names())),
                      "depth": ViewField("depth", "int", vanishing.DEFAULT_DEPTH,
                                         vanishing.MIN_DEPTH, vanishing.MAX_DEPTH),
                      "width": ViewField("width", "int", vanishing.DEFAULT_WIDTH,
                                         vanishing.MIN_WIDTH, vanishing.MAX_WIDTH),
                      "hist": ViewField("hist", "choice", None,  # default: the first shown
                                        choices=tuple(vanishing.activation_names()))},
        "zigzag": {"inputs": ViewField("inputs", "names", tuple(zigzag.INPUT_KINDS),
                                       choices=tuple(zigzag.INPUT_KINDS), max_n=2),
                   "out": ViewField("out", "choice", "linear", choices=tuple(zigzag.OUTPUTS)),
                   "nlr": ViewField("nlr", "float", zigzag.DEFAULT_LR, 1e-3, 5.0),
                   "steps": ViewField("steps", "int", zigzag.DEFAULT_STEPS, 10,
                                      zigzag.MAX_STEPS)},
        "gallery": {"view": ViewField("view", "choice", "grid", choices=("grid", "overlay")),
                    "acts": ViewField("acts", "names", acts, choices=acts),
                    "mean": ViewField("mean", "float", gallery.DEFAULT_MEAN,
                                      *gallery.MEAN_RANGE, step=0.5),
                    "sd": ViewField("sd", "float", gallery.DEFAULT_SD, *gallery.SD_RANGE,
                                    step=0.1),
                    **params},
        "lesson": {"step": ViewField("step", "int", 1, 1, lesson.N_STEPS),
                   "seed": ViewField("seed", "int", 0, 0, len(lesson.SEEDS) - 1),
                   "predict": ViewField("predict", "bool", False)},
    }




def view_value(tr: Tr, page: str, name: str, default: Any = None,
               hi: float | None = None) -> Any:
    """The view setting ``name`` of ``page`` as the URL gives it (see :meth:`ViewField.read`;
    a notice about a bad value lasts while the setting keeps its replacement)."""
    field = views()[page][name]
    value = field.read(tr, default, hi)
    lasting_warning(field.key, value)
    return value


def view_widget(tr: Tr, page: str, name: str, default: Any = None) -> str:
    """Session key of the page-level widget of view setting ``name``, seeded once from the
    URL (see :func:`page_widget`)."""
    key = page_widget(page, name, lambda: view_value(tr, page, name, default))
    lasting_warning(views()[page][name].key, st.session_state[key])
    return key


def write_view(page: str, defaults: Mapping[str, Any] | None = None, **values: Any) -> None:
    """The one writer of a page's view settings into the URL: each of ``values`` as
    :meth:`ViewField.text` spells it, left out at its default (``defaults`` gives those the
    table leaves to the page)."""
    defaults = defaults or {}
    fields = views()[page]
    for name, value in values.items():
        field = fields[name]
        set_query(field.key, field.text(value, defaults.get(name)))
