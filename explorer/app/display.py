"""Display: projector mode (larger charts and fonts, folded explanations), charts, tables,
notes and the page's notices.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from ..charts.a11y import describe
from ..charts.core import PROJECTOR_FACTOR, PROJECTOR_MIN_FONT, phone_spec, projector_spec
from ..charts.tables import ChartTable, boundary_table, chart_tables, player_table
from ..export import history_csv
from ..record import RunRecord
from ..safetext import escape_md, shorten
from . import memo
from .lang import COMMON, Tr, current_lang, notice_line, user_text

__all__ = ["PHONE_CSS", "PHONE_MAIN_PX", "PROJECTOR_CSS", "PROJECTOR_MAIN_PX",
           "PROJECTOR_MIN_FONT", "PROJECTOR_SCALE", "PROJECTOR_VALUES", "SVG_SAVE_JS",
           "accessibility", "budget_notice", "described", "chart_scale", "fit", "fold", "header", "intro", "narrow_screen",
           "note", "notice", "notice_text", "pick", "player_data", "projector_mode", "px", "show_chart",
           "show_divergence", "spec", "Spec", "table", "train_error"]

#: URL values of ``projector`` that are understood (anything else gets a notice and means off)
PROJECTOR_VALUES = ("0", "1", "true", "false", "on", "off")
#: factor for chart sizes and chart fonts in projector mode
PROJECTOR_SCALE = PROJECTOR_FACTOR
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
#: width (px) of the main area in projector mode on the usual 1280x720 projector (sidebar
#: collapsed, 2rem padding each side): pages size their columns' charts for it
PROJECTOR_MAIN_PX = 1200

#: Phones (Streamlit's own breakpoint: columns stack below 640 px). A chart drawn wider than
#: the screen shrinks to its width (same aspect; Vega's SVG has a viewBox) instead of running
#: off the side; the Lesson's Back / Next stay at the top of the screen while the step scrolls.
PHONE_CSS = """<style>
@media (max-width: 640px) {
  [data-testid=stMain] h1 {font-size: 2rem !important;}
  [data-testid=stVegaLiteChart], [data-testid=stVegaLiteChart] > div,
  [data-testid=stMain] .vega-embed {max-width: 100% !important;}
  [data-testid=stVegaLiteChart] svg.marks, [data-testid=stVegaLiteChart] canvas.marks
    {max-width: 100% !important; height: auto !important;}
  .st-key-lesson_nav {position: sticky; top: 3.75rem; z-index: 5; background: #fff;
    padding-bottom: 0.4rem;}
  .st-key-lesson_nav [data-testid=stHorizontalBlock] {flex-wrap: wrap; row-gap: 0.4rem;}
  .st-key-lesson_nav [data-testid=stColumn] {flex: 1 1 calc(50% - 0.5rem) !important;
    min-width: 0 !important; width: calc(50% - 0.5rem) !important;}
  .st-key-lesson_nav [data-testid=stColumn]:nth-child(2) {order: 3;
    flex: 1 1 100% !important; width: 100% !important;}
  .st-key-lesson_nav [data-testid=stColumn]:nth-child(3) {order: 2;}
}
</style>"""
#: the main area's width (px) assumed for a phone (390 px screen, 1rem padding each side, a
#: little to spare for 360 px screens): pages size their charts for it on a phone
PHONE_MAIN_PX = 340
#: what a phone's browser says in its User-Agent (iPhone, Android phones: "Mobile")
_PHONE_UA = ("Mobi", "iPhone", "iPod", "Windows Phone")

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


def projector_mode() -> bool:
    return bool(st.session_state.get("_projector_widget", False))


def chart_scale() -> float:
    """Multiply chart sizes by this (larger in projector mode)."""
    return PROJECTOR_SCALE if projector_mode() else 1.0


def px(size: float) -> int:
    """A chart size in pixels, scaled for projector mode."""
    return int(round(size * chart_scale()))


def _vega_lite(chart: Any, projector: bool) -> dict[str, Any]:
    """The Vega-Lite spec Streamlit draws for ``chart`` (its own Altair conversion: the data
    as Arrow bytes), scaled for projector mode. None if that private helper ever moves."""
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # pragma: no cover - a future Streamlit
        return None
    out = _convert_altair_to_vega_lite_spec(chart)
    return projector_spec(out, PROJECTOR_SCALE, PROJECTOR_MIN_FONT) if projector else out


#: the names a chart's tables use (``charts.tables.chart_tables``), texts ``chart.table_*``
TABLE_LABELS = ("part", "text", "x", "y", "color", "value")


class Spec(dict):
    """A built Vega-Lite spec (a dict: what ``st.vega_lite_chart`` draws) with ``tables``, its
    data as tables (``charts.tables.chart_tables``), built with it and cached with it."""

    tables: list[ChartTable]


def _with_tables(spec: dict[str, Any], lang: str) -> Spec:
    out = Spec(spec)
    text = COMMON.get(lang, COMMON["en"])
    out.tables = chart_tables(spec, {k: text[f"chart.table_{k}"] for k in TABLE_LABELS})
    return out


def _built_spec(build: Callable[..., Any], projector: bool, name_lang: str, *args: Any,
                **kwargs: Any) -> Spec | None:
    generic = COMMON.get(name_lang, COMMON["en"])["chart.generic"]
    chart = describe(build(*args, **kwargs), "", generic)
    out = _vega_lite(chart, projector)  # (with its accessible name, issue 29)
    return None if out is None else _with_tables(out, name_lang)


def spec(build: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The chart ``build(*args, **kwargs)`` (a pure chart builder of ``explorer.charts``) as
    the Vega-Lite spec :func:`show_chart` draws, with its data as tables (:class:`Spec`), from
    the shared cache of built views (``memo``: keyed by the builder, its arguments, projector
    mode and the language; a warm visit builds no Altair chart and no table). An argument
    without a key (an array, an upload's record) builds it."""
    projector = projector_mode()
    out = memo.value(_built_spec, build, projector, current_lang(), *args, **kwargs)
    if out is None:  # pragma: no cover - no spec conversion: the Altair chart itself
        return build(*(memo.resolve(a) for a in args),
                     **{k: memo.resolve(v) for k, v in kwargs.items()})
    return out


def show_chart(chart: Any, container: Any = None, *, export: Any = None, name: str = "",
               **kwargs: Any) -> Any:
    """Draw a chart and, under it, its data as tables (folded: :func:`data_tables`): a spec of
    :func:`spec` (nothing to build) or an Altair chart (converted here: in projector mode
    every font of the chart is enlarged too; the tables from the same conversion).

    ``container``: where (an ``st.empty`` placeholder holds the chart and its tables);
    ``export``: (page, run record(s)) of the page's export (``data.export_panel``), whose
    history file is linked under the tables; ``name``: what tells this chart's tables from
    the page's others when its title does not (e.g. the run it shows).

    The font scaling works on the Vega-Lite spec (explicit axis/legend/title/text sizes and
    the config defaults), which Streamlit builds with its own Altair conversion; if that
    private helper ever moves, the chart is drawn unscaled and without tables rather than
    not at all.
    """
    holder = (container if container is not None else st).container()
    if not isinstance(chart, dict):
        chart = described(chart)  # its accessible name (issue 29)
        built = _vega_lite(chart, projector_mode())
        if built is None:  # pragma: no cover - a future Streamlit
            return holder.altair_chart(chart, **kwargs)
        chart = _with_tables(built, current_lang())
    elif not isinstance(chart, Spec):
        chart = _with_tables(chart, current_lang())
    phone = not projector_mode() and narrow_screen()  # (legends below the plot)
    out = holder.vega_lite_chart(spec=phone_spec(chart) if phone else chart,
                                 **kwargs)  # (shared: Streamlit copies what it changes)
    title = chart.get("description", "")
    data_tables(chart.tables, f"{name} · {title}" if name else title, holder, export)
    return out


def data_tables(tables: Sequence[ChartTable], name: str, container: Any = None,
                export: Any = None) -> None:
    """A chart's data as tables (WCAG 2.1 AA, issue 29), folded under "Data as a table:
    ``name``": each table with the part of the chart it is drawn in and, when thinned, how;
    then a link to the page's export ``export`` = (page, run record(s)): its history file,
    the same bytes as the export panel's (not in projector mode: nothing to download during
    a demo; nor while the runs train). Shown in every mode and language."""
    text = COMMON.get(current_lang(), COMMON["en"])
    box = (container if container is not None else st).expander(
        text["chart.table"].format(name=escape_md(shorten(name, 60))),
        icon=":material/table_view:")
    for t in tables:
        lines = [escape_md(t.part)] if t.part else []
        if t.step > 1:
            lines.append(text["chart.table_thinned"].format(step=t.step, rows=f"{t.rows:,}"))
        if lines:
            box.caption(" · ".join(lines))
        box.dataframe(t.frame, hide_index=True)
    page, records = export if export is not None else ("", [])
    recs = [records] if isinstance(records, RunRecord) else list(records)
    if recs and all(r.complete for r in recs) and not projector_mode():  # (not while training)
        box.caption(text["chart.table_export"])
        box.download_button(text["export_history"], memo.value(history_csv, records),
                            f"{page}-history.csv", "text/csv", key=_table_key(),
                            on_click="ignore", icon=":material/download:")


def player_data(records: RunRecord | Sequence[RunRecord], container: Any = None) -> None:
    """The live player's numbers (its canvases draw them) as a table, folded like a chart's
    (:func:`data_tables`): per epoch, loss and accuracy, and every layer's gradient norm at
    the snapshots, from the shared cache of built views."""
    lang = current_lang()
    t = memo.value(player_table, records, lang)
    text = COMMON.get(lang, COMMON["en"])
    box = (container if container is not None else st).expander(
        text["chart.table_player"], icon=":material/table_view:")
    thinned = text["chart.table_thinned"].format(step=t.step, rows=f"{t.rows:,}")
    box.caption(text["chart.table_player_note"] + (" " + thinned if t.step > 1 else ""))
    box.dataframe(t.frame, hide_index=True)
    b = memo.value(boundary_table, records, lang)  # (the boundary canvas's numbers)
    thinned = text["chart.table_thinned"].format(step=b.step, rows=f"{b.rows:,}")
    box.caption(text["chart.table_boundary"] + (" " + thinned if b.step > 1 else ""))
    box.dataframe(b.frame, hide_index=True)


def _table_key() -> str:
    """A key of its own for each export link of a run of the page (its charts' order)."""
    run = st.session_state.get("_run", 0)
    seen = st.session_state.get("_ae_table_links")
    n = seen[1] + 1 if isinstance(seen, tuple) and seen[0] == run else 0
    st.session_state["_ae_table_links"] = (run, n)
    return f"chart_table.export.{n}"


def narrow_screen() -> bool:
    """True when the browser says it is a phone (its User-Agent): the page lays its charts
    out for :data:`PHONE_MAIN_PX` (the CSS above still shrinks anything wider)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no browser (a test's AppTest run)
        return False
    return any(mark in agent for mark in _PHONE_UA)


def fit(width: int) -> int:
    """A chart width (px) that fits the screen: ``width``, at most the phone's main area on a
    phone (projector mode is a large screen: unchanged)."""
    if projector_mode() or not narrow_screen():
        return width
    return min(width, PHONE_MAIN_PX)


def pick(normal: Any, projector: Any) -> Any:
    """``projector`` in projector mode, else ``normal`` (sizes and layouts that differ)."""
    return projector if projector_mode() else normal


def header(title: str, intro_text: str, label: str) -> None:
    """The page's title and explanation. In projector mode the explanation is folded under
    ``label`` next to the title (one row: the charts start high on a 720 px projector)."""
    if not projector_mode():
        st.title(title)
        intro(intro_text, label)
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
    """A page's explanation: shown in full, or collapsed under ``label`` in projector mode and
    on a phone (the page's controls and charts start on the first screen)."""
    if projector_mode() or narrow_screen():
        st.expander(label, icon=":material/info:").markdown(text)
    else:
        st.markdown(text)


def note(text: str, container: Any = None) -> None:
    """A long explanatory caption: hidden in projector mode (the lecturer explains)."""
    if not projector_mode():
        (container if container is not None else st).caption(text)


def notice(tr: Tr, key: str, lines: Sequence[str]) -> None:
    """``st.warning`` with the heading ``tr(key)`` and one bullet per line (each line shown
    literally: the user's values in it are escaped, see :func:`user_text`)."""
    st.warning(notice_text(tr, key, lines))


def notice_text(tr: Tr, key: str, lines: Sequence[str]) -> str:
    """The Markdown of :func:`notice`."""
    return tr(key) + "\n" + "\n".join(f"- {escape_md(shorten(notice_line(tr, e), 400))}"
                                      for e in lines)


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


def show_divergence(tr: Tr, rec: RunRecord) -> None:
    if rec.diverged_at is not None:
        st.error(tr("diverged", epoch=rec.diverged_at))


#: Accessibility on every page (WCAG 2.1 AA, issue 29). KaTeX's displayed formulas overflow
#: their box by a pixel or two and so become scroll regions a keyboard cannot reach: a little
#: padding lets them fit. Every button, link, summary and focusable element shows the
#: keyboard's focus as a ring in the primary colour.
A11Y_CSS = """<style>
[data-testid=stMain] .katex-display {padding: 0 3px;}
[data-testid=stApp] button:focus-visible, [data-testid=stApp] a:focus-visible,
[data-testid=stApp] summary:focus-visible, [data-testid=stApp] [tabindex]:focus-visible
  {outline: 2px solid #a61e4d !important; outline-offset: 2px;}
</style>"""

#: "Skip to the player / charts / content": the first stop of the Tab key on every page (before
#: the header's and the sidebar's controls), visible once it has the focus. It moves the focus
#: to the page's live player, else its first chart, else the main area. Installed once per
#: browser tab; its label follows the page language and what the page shows. It also lets the
#: keyboard reach a table or formula that scrolls in its box. (No "<" directly
#: before a letter or "/" in it: the HTML sanitiser would drop the whole script.)
SKIP_JS = """<script>
window.__aeSkip = %s;
(() => {
  const target = () => {
    for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
      const r = h.shadowRoot && h.shadowRoot.querySelector('.player-root');
      if (r) return [r, 'player'];
    }
    const c = document.querySelector('[data-testid=stMain] [data-testid=stVegaLiteChart]');
    if (c) return [c, 'chart'];
    return [document.querySelector('[data-testid=stMain]'), 'main'];
  };
  const label = (a) => { a.textContent = window.__aeSkip[target()[1]]; };
  let a = document.getElementById('ae-skip');
  if (!a) {
    const css = document.createElement('style');
    css.textContent = '#ae-skip {position: fixed; left: 0.75rem; top: -4rem; z-index: 1000100;'
      + ' padding: 0.5rem 1rem; background: #ffffff; color: #a61e4d; font-weight: 600;'
      + ' border: 2px solid #a61e4d; border-radius: 0.5rem; text-decoration: underline;}'
      + ' #ae-skip:focus {top: 0.75rem; outline: 2px solid #111827; outline-offset: 2px;}';
    document.head.appendChild(css);
    a = document.createElement('a');
    a.id = 'ae-skip';
    a.href = '#';
    a.setAttribute('data-testid', 'aeSkipLink');
    document.body.insertBefore(a, document.body.firstChild);
    a.addEventListener('focus', () => label(a));
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const t = target()[0];
      if (!t) return;
      if (!t.hasAttribute('tabindex')) t.setAttribute('tabindex', '-1');
      t.scrollIntoView({block: 'start'});
      t.focus({preventScroll: true});
    });
  }
  label(a);
  // a table or formula wider than the screen (a phone, projector mode's large text) scrolls
  // in its box: the box takes the keyboard's focus, so the arrow keys scroll it (WCAG 2.1.1)
  if (!window.__aeScrollers) {
    window.__aeScrollers = true;
    let queued = false;
    const reach = () => {
      queued = false;
      const boxes = '[data-testid=stTable] > div, [data-testid=stMain] .katex-display';
      for (const b of document.querySelectorAll(boxes)) {
        const scrolls = b.scrollWidth > b.clientWidth; // (sideways: their only scroll)
        if (scrolls && !b.hasAttribute('tabindex')) b.setAttribute('tabindex', '0');
        if (!scrolls && b.getAttribute('tabindex') === '0') b.removeAttribute('tabindex');
      }
    };
    const soon = () => { if (!queued) { queued = true; requestAnimationFrame(reach); } };
    new MutationObserver(soon).observe(document.body, {childList: true, subtree: true});
    window.addEventListener('resize', soon);
    soon();
  }
})();
</script>"""


def described(chart: Any) -> Any:
    """``chart`` with an accessible name in the page language (``charts.a11y.describe``: its
    titles; a chart without one is "Chart")."""
    lang = current_lang()
    return describe(chart, "", COMMON.get(lang, COMMON["en"])["chart.generic"])


def accessibility(tr: Tr) -> None:
    """The skip link (:data:`SKIP_JS`, in the page language) and :data:`A11Y_CSS`."""
    skip = {k: tr(f"skip.{k}") for k in ("player", "chart", "main")}
    st.html(A11Y_CSS)
    st.sidebar.html(SKIP_JS % json.dumps(skip, ensure_ascii=False), unsafe_allow_javascript=True)
