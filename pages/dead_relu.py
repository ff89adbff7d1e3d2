"""Dead ReLUs (lesson claims 7–11): which units die under bad initialisation or a large
learning rate, whether they revive, and what it does to the loss — ReLU next to Leaky ReLU,
ELU and Maxout trained on the same data from the same initial draws."""

import pandas as pd
import streamlit as st

from explorer import ACTIVATIONS, FIELDS, ui
from explorer.charts import core
from explorer.charts import dead as charts
from explorer.initialisers import INITIALISERS
from explorer.labs import dead as lab
from explorer.texts.dead_relu import TEXT

PAGE = "dead"
tr = ui.page_setup(TEXT)
ALL = lab.activation_names()


def setting_names(key: str, kw: dict) -> dict:
    """The verdict's settings line with the initialiser and optimiser in the page language."""
    if key != "v.setting":
        return kw
    out = dict(kw)
    if cfg.init in INITIALISERS:
        out["init"] = ui.option_label("init", cfg.init, kw["init"])
    out["opt"] = ui.option_label("opt", cfg.optimizer, kw["opt"])
    return out



st.title(tr("title"))
ui.intro(tr("intro"), tr("about_page"))
st.latex(ACTIVATIONS["relu"].dformula + r",\qquad " + ACTIVATIONS["leaky_relu"].dformula)

preset_row = st.container()
settings_box, loader_box = st.sidebar.container(), st.sidebar.container()
ui.config_loader(tr, PAGE, lab.BASE, lab.SHOWN, container=loader_box)
cfg = ui.config_sidebar(tr, PAGE, lab.BASE, lab.SHOWN, container=settings_box)

# ---------------------------------------------------------------------------- presets
with preset_row:
    st.markdown(f"**{tr('presets')}**")
    current = lab.preset_of(cfg)
    for col, (name, changes) in zip(st.columns(len(lab.PRESETS)), lab.PRESETS.items(),
                                    strict=True):
        col.button(tr(f"preset.{name}"), key=f"{PAGE}.preset.{name}",
                   help=tr(f"preset_help.{name}"), width="stretch",
                   type="primary" if name == current else "secondary",
                   on_click=ui.apply_preset, args=(PAGE, lab.BASE, changes, lab.SHOWN))

# ---------------------------------------------------------------------------- page controls
c_acts, c_map, c_slope = st.columns([2, 1, 1])
key = ui.page_widget(
    PAGE, "acts", lambda: ui.url_choices(tr, "acts", lab.DEFAULT_ACTS, ALL, 1, len(ALL)))
acts = c_acts.multiselect(tr("acts"), ALL, key=key, help=tr("acts_help"),
                          format_func=lambda a: ACTIVATIONS[a].label)
ui.set_query("acts", None if acts == list(lab.DEFAULT_ACTS) else "-".join(acts))
if not acts:
    st.info(tr("need_act"))
    st.stop()
default_map = lab.DEFAULT_MAP if lab.DEFAULT_MAP in acts else acts[0]
key = ui.page_widget(
    PAGE, "map", lambda: ui.url_choices(tr, "map", [lab.DEFAULT_MAP], ALL, 1, 1)[0])
if st.session_state[key] not in acts:
    st.session_state[key] = default_map
map_act = c_map.selectbox(tr("map_act"), acts, key=key, help=tr("map_help"),
                          format_func=lambda a: ACTIVATIONS[a].label)
ui.set_query("map", None if map_act == lab.DEFAULT_MAP else map_act)
if "leaky_relu" in acts:
    slope_field = FIELDS["leaky_slope"]
    key = ui.page_widget(PAGE, "leaky_slope", cfg.leaky_slope)
    slope = c_slope.slider(tr("leaky_slope"), slope_field.lo, slope_field.hi, step=0.01,
                           key=key, help=tr("leaky_help"))
    cfg = cfg.replace(leaky_slope=slope)
    ui.set_query("leaky_slope", None if slope == lab.BASE.leaky_slope else f"{slope:g}")

# ---------------------------------------------------------------------------- train
cfgs, cut = lab.build_configs(cfg, acts)
if cut is not None:
    st.warning(tr("epochs_cut", epochs_asked=cfg.epochs, epochs=cut))
records = ui.cached_train_many(cfgs)
table = lab.summary(records)
rec = records[acts.index(map_act)]

with st.container(border=True):
    st.subheader(tr("verdict"))
    st.markdown("\n".join(f"- {tr(k, **setting_names(k, kw))}"
                           for k, kw in lab.verdict_items(table, cfg, tr("init_auto"))))

st.markdown(f"**{tr('table')}**")
ui.table(pd.DataFrame([{tr(k): v for k, v in row.items()} for row in lab.table_rows(table)]),
         width="stretch")
ui.note(tr("run_time", n=len(records), secs=lab.train_seconds(records)))

left, right = st.columns(2)
ui.show_chart(charts.dead_lines(lab.dead_curve(records), lang=tr.lang, width=ui.px(440),
                                height=ui.px(260)), left, width="content")
cap = lab.loss_cap(records)
ui.show_chart(charts.cap_loss_axis(
    core.loss_chart(records, width=ui.px(440), height=ui.px(260), title=tr("loss_title"),
                    lang=tr.lang), cap), right)
if cap is not None:
    right.caption(tr("loss_capped", top=f"{cap:.2g}", acts=", ".join(lab.over_cap(records, cap))))

side, hist_w = lab.hist_layout(rec.n_hidden + 1)
left, right = st.columns(2) if side else (st.container(), st.container())
with left:
    ui.show_chart(charts.unit_map(lab.unit_states(rec), lang=tr.lang, width=ui.px(460),
                                  row_height=ui.px(lab.map_height(sum(rec.config.hidden))),
                                  title=tr("map_title", act=rec.label)))
    st.caption(tr("map_caption", map_count=sum(lab.revivals_from_maps(rec).values()),
                  engine_count=sum(lab.revivals_from_stats(rec).values())))
with right:
    st.markdown(f"**{tr('hist_header', act=rec.label)}**")
    st.caption(tr("hist_start"))
    ui.show_chart(core.grad_hist_row(rec, epoch=0, width_per_layer=ui.px(hist_w),
                                     height=ui.px(120), lang=tr.lang))
    st.caption(tr("hist_end", epoch=rec.checkpoints[-1]))
    ui.show_chart(core.grad_hist_row(rec, epoch=None, width_per_layer=ui.px(hist_w),
                                     height=ui.px(120), lang=tr.lang))
    ui.note(tr("hist_caption"))
ui.export_panel(tr, records, cfg, PAGE)
ui.note(tr("share_hint"))
