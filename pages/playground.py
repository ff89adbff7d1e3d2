"""Playground: train one network, watch it learn live, replay any recorded epoch."""

import streamlit as st

from explorer import FIELDS, TrainConfig, ui
from explorer.charts import core
from explorer.presets import PRESETS, matching_preset
from explorer.texts.playground import TEXT

PAGE = "play"
BASE = TrainConfig()
SHOWN = list(FIELDS)
BOUNDARY_W, BOUNDARY_H = 340, 270
CURVE_W, CURVE_H = 340, 220
HIST_W, HIST_W_WIDE, HIST_H = 580, 1080, 150

tr = ui.page_setup(TEXT)
lang = tr.lang
st.title(tr("title"))
st.markdown(tr("intro"))
cfg = ui.config_sidebar(tr, PAGE, BASE, SHOWN)

st.markdown(f"**{tr('presets')}**", help=tr("presets_help"))
row = st.container(horizontal=True)
for preset in PRESETS:
    row.button(preset.title(lang), key=f"preset.{preset.name}", help=preset.description(lang),
               on_click=ui.apply_preset, args=(PAGE, BASE, preset.changes, SHOWN))
row.button(tr("reset"), key="preset.reset", help=tr("reset_help"), icon=":material/restart_alt:",
           on_click=ui.apply_preset, args=(PAGE, BASE, {}, SHOWN))
active = matching_preset(cfg, BASE)
if active is not None:
    st.info(tr("preset_active", title=active.title(lang), description=active.description(lang)))


def url_toggle(key: str, default: bool, column) -> bool:
    """A toggle whose value lives in the URL under ``key`` (1/0; omitted when default)."""
    wkey = f"{PAGE}.{key}"
    if wkey not in st.session_state:
        st.session_state[wkey] = bool(ui.url_int(tr, key, int(default), 0, 1))
    on = column.toggle(tr(key), key=wkey, help=tr(f"{key}_help"))
    ui.set_query(key, None if on == default else str(int(on)))
    return on


top = st.container()
c_bound, c_loss, c_acc = st.columns(3)
ph_bound, ph_loss, ph_acc = c_bound.empty(), c_loss.empty(), c_acc.empty()
show_test = url_toggle("show_test", True, c_bound)
log_scale = url_toggle("log_scale", False, c_loss)
ph_summary = st.empty()
deep = len(cfg.hidden) > 5
c_grads, c_table = (st.container(), st.container()) if deep else st.columns([11, 9])
c_grads.subheader(tr("grads_title"))
signed = url_toggle("signed", False, c_grads)
ph_grads = c_grads.empty()
c_grads.caption(tr("grads_caption"))
c_table.subheader(tr("table_title"))
ph_table = c_table.empty()
c_table.caption(tr("table_caption"))


def draw(rec, epoch=None, marker=None):
    ph_bound.altair_chart(core.boundary_chart(rec, epoch, show_test=show_test, width=BOUNDARY_W,
                                              height=BOUNDARY_H, lang=lang), width="content")
    ph_loss.altair_chart(core.loss_chart(rec, log_scale=log_scale, marker_epoch=marker,
                                         width=CURVE_W, height=CURVE_H, lang=lang),
                        width="content")
    ph_acc.altair_chart(core.loss_chart(rec, metric="acc", marker_epoch=marker, width=CURVE_W,
                                        height=CURVE_H, lang=lang), width="content")
    ph_grads.altair_chart(core.grad_hist_row(rec, epoch, signed=signed, height=HIST_H, lang=lang,
                                             total_width=HIST_W_WIDE if deep else HIST_W),
                         width="content")
    ph_table.dataframe(core.layer_table(rec, epoch, lang), hide_index=True)
    ph_summary.markdown(tr("summary", text=core.summary_line(rec, epoch, lang)))


with top:
    try:
        rec = ui.train_live(cfg, tr, draw=core.LiveThrottle(draw), every=2)
    except ValueError as exc:
        st.error(tr("train_failed", error=exc))
        st.stop()
    if rec.history.empty or not rec.checkpoints:
        ui.show_divergence(tr, rec)
        st.error(tr("no_history"))
        st.stop()
    ui.show_divergence(tr, rec)
    if rec.diverged:
        st.caption(tr("diverged_recorded", last=rec.epochs_done, n=len(rec.checkpoints),
                      loss=rec.final()["train_loss"]))
    checkpoints = rec.checkpoints
    wanted = ui.url_int(tr, "epoch", checkpoints[-1], 0, cfg.epochs)
    if st.session_state.get(f"{PAGE}.epoch") not in checkpoints:
        st.session_state[f"{PAGE}.epoch"] = rec.nearest_checkpoint(wanted)
    if len(checkpoints) > 1:
        epoch = st.select_slider(tr("epoch"), checkpoints, key=f"{PAGE}.epoch",
                                 help=tr("epoch_help"))
    else:
        epoch = checkpoints[0]
    ui.set_query("epoch", None if epoch == checkpoints[-1] else str(epoch))
    st.caption(tr("params", n=rec.n_params, seconds=rec.wall_time) + " · " + tr("share_hint"))

draw(rec, epoch, marker=epoch)
