"""Vanishing gradients (lesson claims 2 and 5): per-layer gradient norms of a deep, narrow
network for several activations trained on the same data, batches and seed."""

import pandas as pd
import streamlit as st

from explorer.app import data, display, lang, memo, runs, sidebar, state
from explorer.charts import core
from explorer.charts import vanishing as charts
from explorer.labs import vanishing as lab
from explorer.texts.vanishing import TEXT

PAGE = "vanishing"
tr = state.page_setup(TEXT)
ALL = lab.activation_names()



display.header(tr("title"), tr("intro"), tr("about_page"))
if not display.projector_mode():  # projector mode: below the chart (it comes first)
    st.latex(lab.CHAIN_RULE)

settings_box, loader_box = st.sidebar.container(), st.sidebar.container()
sidebar.config_loader(tr, PAGE, lab.BASE, lab.SHOWN, container=loader_box)
cfg = sidebar.config_sidebar(tr, PAGE, lab.BASE, lab.SHOWN, container=settings_box)

# ---------------------------------------------------------------------------- page controls
c_acts, c_depth, c_width = st.columns([2, 1, 1])
acts = c_acts.multiselect(tr("acts"), ALL, key=state.view_widget(tr, PAGE, "acts"), help=tr("acts_help"),
                          format_func=lang.activation_labels(ALL, tr.lang))
depth = c_depth.slider(tr("depth"), lab.MIN_DEPTH, lab.MAX_DEPTH,
                       key=state.view_widget(tr, PAGE, "depth"),
                       help=tr("depth_help", max=lab.MAX_DEPTH))
width = c_width.slider(tr("width"), lab.MIN_WIDTH, lab.MAX_WIDTH,
                       key=state.view_widget(tr, PAGE, "width"), help=tr("width_help"))
state.write_view(PAGE, acts=acts, depth=depth, width=width)

if not acts:
    st.info(tr("need_act"))
    st.stop()

# ---------------------------------------------------------------------------- train
# within the page's work and memory
cfgs, reduced = memo.value(lab.page_configs, cfg, acts, depth, width)
display.budget_notice(tr, reduced, len(acts))
acts = acts[:len(cfgs)]  # (a fixed-size data set: only the first networks may fit)
try:
    records = runs.records(cfgs)
except ValueError as exc:  # a setting the engine refuses: a message, not a traceback
    display.train_error(tr, exc)
for rec in records:
    if rec.diverged_at is not None:
        st.error(tr("diverged_act", act=rec.label_for(tr.lang), epoch=rec.diverged_at))

# (computed only when a view of them is built, see explorer/app/memo.py)
profile = memo.derived(lab.depth_profile, records)
# run names in the page language
table = memo.derived(core.relabel, memo.derived(lab.ratio_table, records), tr.lang)

# ---------------------------------------------------------------------------- verdict
# projector mode: the key chart right under the controls, the verdict below it
box_a, box_b = st.container(), st.container()
verdict_box, chart_box = (box_b, box_a) if display.projector_mode() else (box_a, box_b)
with verdict_box.container(border=True):
    st.subheader(tr("verdict"))
    st.markdown("\n".join(f"- {tr(k, **kw)}" for k, kw in memo.value(
        lab.verdict_items, table, sep=lang.list_sep(tr.lang))))
if display.projector_mode():
    verdict_box.latex(lab.CHAIN_RULE)
# both panels and the legend fit the column: 1140 px at 1600x1000 with the sidebar open
display.show_chart(display.spec(charts.depth_chart, profile, lang=tr.lang, width=470,
                                      total_width=display.pick(1100, None),
                                      height=display.pick(display.px(300), 250)), chart_box, export=(PAGE, records))
dropped = memo.value(charts.dropped_points, profile, tr.lang)
if dropped:
    chart_box.caption(tr("zero_dropped", items=lang.joined(dropped, tr.lang)))

st.markdown(f"**{tr('table')}**")
display.table(pd.DataFrame([{tr(k): v for k, v in row.items()}
                           for row in memo.value(lab.table_rows, table)]),
              width="stretch")
display.note(tr("run_time", n=len(records), secs=lab.train_seconds(records)))
left, right = st.columns(2)
curve_w = display.pick(display.px(470), 520)  # projector: larger fonts, the same 600 px column
display.show_chart(display.spec(core.loss_chart, records, width=curve_w, height=display.px(240),
                                   title=tr("loss_title"), lang=tr.lang), left, export=(PAGE, records))
display.show_chart(display.spec(core.loss_chart, records, metric="acc", width=curve_w, height=display.px(240),
                                   title=tr("acc_title"), lang=tr.lang), right, export=(PAGE, records))

# ---------------------------------------------------------------------------- histograms
st.subheader(tr("hist_header"))
key = state.view_widget(tr, PAGE, "hist", acts[0])
if st.session_state[key] not in acts:
    st.session_state[key] = acts[0]
hist_act = st.selectbox(tr("hist_act"), acts, key=key, help=tr("hist_help"),
                        format_func=lang.activation_labels(ALL, tr.lang))
state.write_view(PAGE, {"hist": acts[0]}, hist=hist_act)
rec = records[acts.index(hist_act)]
w = display.pick(display.px(lab.hist_width(rec.n_hidden + 1)),  # projector: fit 1280 px, larger fonts
                 lab.hist_width(rec.n_hidden + 1))
st.markdown(f"**{tr('hist_start')}**")
display.show_chart(display.spec(core.grad_hist_row, rec, epoch=0, width_per_layer=w, height=display.px(130),
                                      lang=tr.lang), export=(PAGE, records))
st.markdown(f"**{tr('hist_end', epoch=rec.checkpoints[-1])}**")
display.show_chart(display.spec(core.grad_hist_row, rec, epoch=None, width_per_layer=w, height=display.px(130),
                                      lang=tr.lang), export=(PAGE, records))
display.note(tr("hist_caption"))
data.export_panel(tr, records, cfg, PAGE)
display.note(tr("share_hint"))
