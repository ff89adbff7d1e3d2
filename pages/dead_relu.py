"""Dead ReLUs (lesson claims 7–11): which units die under bad initialisation or a large
learning rate, whether they revive, and what it does to the loss — ReLU next to Leaky ReLU,
ELU and Maxout trained on the same data from the same initial draws."""

import pandas as pd
import streamlit as st

from explorer import ACTIVATIONS, FIELDS
from explorer.app import data, display, lang, memo, runs, sidebar, state
from explorer.charts import core
from explorer.charts import dead as charts
from explorer.config import run_label
from explorer.initialisers import INITIALISERS
from explorer.labs import dead as lab
from explorer.record import BLOWUP
from explorer.texts.dead_relu import TEXT

PAGE = "dead"
tr = state.page_setup(TEXT)
ALL = lab.activation_names()


def setting_names(key: str, kw: dict) -> dict:
    """The verdict's settings line with the initialiser and optimiser in the page language."""
    if key != "v.setting":
        return kw
    out = dict(kw)
    if cfg.init in INITIALISERS:
        out["init"] = lang.option_label("init", cfg.init, kw["init"])
    out["opt"] = lang.option_label("opt", cfg.optimizer, kw["opt"])
    return out



display.header(tr("title"), tr("intro"), tr("about_page"))
DERIVATIVES = ACTIVATIONS["relu"].dformula + r",\qquad " + ACTIVATIONS["leaky_relu"].dformula
if not display.projector_mode():  # projector mode: below the charts (they come first)
    st.latex(DERIVATIVES)

preset_row = st.container()
settings_box, loader_box = st.sidebar.container(), st.sidebar.container()
sidebar.config_loader(tr, PAGE, lab.BASE, lab.SHOWN, container=loader_box)
cfg = sidebar.config_sidebar(tr, PAGE, lab.BASE, lab.SHOWN, container=settings_box)

# ---------------------------------------------------------------------------- presets
with preset_row:
    if not display.projector_mode():  # the buttons say what they do; the room needs the height
        st.markdown(f"**{tr('presets')}**")
    current = lab.preset_of(cfg)
    for col, (name, changes) in zip(st.columns(len(lab.PRESETS)), lab.PRESETS.items(),
                                    strict=True):
        col.button(tr(f"preset.{name}"), key=f"{PAGE}.preset.{name}",
                   help=tr(f"preset_help.{name}"), width="stretch",
                   type="primary" if name == current else "secondary",
                   on_click=sidebar.apply_preset, args=(PAGE, lab.BASE, changes, lab.SHOWN))

# ---------------------------------------------------------------------------- page controls
c_acts, c_map, c_slope = st.columns([2, 1, 1])
acts = c_acts.multiselect(tr("acts"), ALL, key=state.view_widget(tr, PAGE, "acts"), help=tr("acts_help"),
                          format_func=lang.activation_labels(ALL, tr.lang))
state.write_view(PAGE, acts=acts)
if not acts:
    st.info(tr("need_act"))
    st.stop()
default_map = lab.DEFAULT_MAP if lab.DEFAULT_MAP in acts else acts[0]
key = state.view_widget(tr, PAGE, "map")
if st.session_state[key] not in acts:
    st.session_state[key] = default_map
map_act = c_map.selectbox(tr("map_act"), acts, key=key, help=tr("map_help"),
                          format_func=lang.activation_labels(ALL, tr.lang))
state.write_view(PAGE, map=map_act)
if "leaky_relu" in acts:
    slope_field = FIELDS["leaky_slope"]
    key = state.page_widget(PAGE, "leaky_slope", cfg.leaky_slope)
    slope = c_slope.slider(tr("leaky_slope"), slope_field.lo, slope_field.hi, step=0.01,
                           key=key, help=tr("leaky_help"))
    cfg = cfg.replace(leaky_slope=slope)
    state.write_view(PAGE, leaky_slope=slope)

# ---------------------------------------------------------------------------- train
cfgs, reduced = memo.value(lab.page_configs, cfg, acts)  # within the page's work and memory
display.budget_notice(tr, reduced, len(acts))
acts = acts[:len(cfgs)]  # (a fixed-size data set: only the first networks may fit)
map_act = map_act if map_act in acts else acts[0]
try:
    records = runs.records(cfgs)
except ValueError as exc:  # a setting the engine refuses: a message, not a traceback
    display.train_error(tr, exc)
# run names in the page language (computed only when a view of them is built: memo.py)
table = memo.derived(core.relabel, memo.derived(lab.summary, records), tr.lang)
rec = records[acts.index(map_act)]

# projector mode: the two key charts right under the controls, the verdict below them
box_a, box_b = st.container(), st.container()
verdict_box, charts_box = (box_b, box_a) if display.projector_mode() else (box_a, box_b)
with verdict_box:
    with st.container(border=True):
        st.subheader(tr("verdict"))
        st.markdown("\n".join(f"- {tr(k, **setting_names(k, kw))}"
                               for k, kw in memo.value(lab.verdict_items, table, cfgs[0],
                                                       tr("init_auto"))))
    if display.projector_mode():
        st.latex(DERIVATIVES)
    st.markdown(f"**{tr('table')}**")
    display.table(pd.DataFrame([{tr(k): v for k, v in row.items()}
                                for row in memo.value(lab.table_rows, table,
                                                      tr("cell.diverged"))]),
                  width="stretch")
    if gone := memo.value(lab.diverged_runs, records):  # every diverged run named, as the table says
        display.note(tr("diverged_note", factor=f"{BLOWUP:g}", runs=lang.joined(
            (tr("diverged_item", act=run_label(a, tr.lang), epoch=e) for a, e, _ in gone),
            tr.lang)))
    display.note(tr("run_time", n=len(records), secs=lab.train_seconds(records)))

left, right = charts_box.columns(2)
key_h = display.pick(display.px(260), 220)  # 1280x720 projector: both charts above the fold
key_w = display.pick(display.px(440), 530)  # projector: larger fonts, the same 600 px column
display.show_chart(display.spec(charts.dead_lines, memo.derived(lab.dead_curve, records), lang=tr.lang, width=key_w,
                                     height=key_h), left, width="content", export=(PAGE, records))
cap = memo.value(lab.loss_cap, records)
display.show_chart(display.spec(charts.cap_loss_axis, memo.derived(
    core.loss_chart, records, width=key_w, height=key_h, title=tr("loss_title"),
    lang=tr.lang), cap), right, export=(PAGE, records))
if blown := memo.value(lab.over_cap, records, cap):  # (the diverged runs: named by the note above)
    right.caption(tr("loss_capped", top=f"{cap:.2g}", acts=lang.joined(
        (run_label(a, tr.lang) for a in blown), tr.lang)))

if any(lab.can_sleep(r) and r.config.activation != "relu" for r in records):
    # asleep units (Leaky ReLU) beside dead ones, whole network, every epoch
    display.show_chart(display.spec(charts.sleep_lines, memo.derived(lab.unit_curve, records),
                                    lang=tr.lang,
                                          width=display.pick(display.px(900), 1100),
                                          height=key_h), export=(PAGE, records))
    display.note(tr("sleep_caption"))

side, hist_w = lab.hist_layout(rec.n_hidden + 1)
left, right = st.columns(2) if side else (st.container(), st.container())
with left:
    display.show_chart(display.spec(charts.unit_map, memo.derived(lab.unit_states, rec),
                                    lang=tr.lang,
                                       width=display.pick(display.px(460), 520),
                                       row_height=display.px(lab.map_height(sum(rec.config.hidden))),
                                       title=tr("map_title", act=rec.label_for(tr.lang))), export=(PAGE, records))
    st.caption(tr("map_caption", map_count=sum(memo.value(lab.revivals_from_maps, rec).values()),
                  engine_count=sum(memo.value(lab.revivals_from_stats, rec).values())))
with right:
    st.markdown(f"**{tr('hist_header', act=rec.label_for(tr.lang))}**")
    st.caption(tr("hist_start"))
    hist_px = display.pick(display.px(hist_w), hist_w)  # projector: the larger fonts need the room
    display.show_chart(display.spec(core.grad_hist_row, rec, epoch=0, width_per_layer=hist_px,
                                          height=display.px(120), lang=tr.lang), export=(PAGE, records))
    st.caption(tr("hist_end", epoch=rec.checkpoints[-1]))
    display.show_chart(display.spec(core.grad_hist_row, rec, epoch=None, width_per_layer=hist_px,
                                          height=display.px(120), lang=tr.lang), export=(PAGE, records))
    display.note(tr("hist_caption"))
data.export_panel(tr, records, cfg, PAGE)
display.note(tr("share_hint"))
