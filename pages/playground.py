"""Playground: train one network, watch it learn live, replay any recorded epoch; or train on
an uploaded CSV."""

import streamlit as st

from explorer import ACTIVATIONS, FIELDS, TrainConfig, ui
from explorer.charts import core
from explorer.charts import network as net_chart
from explorer.labs import budget
from explorer.live import component as live
from explorer.live.frames import payload as player_payload
from explorer.presets import PRESETS, matching_preset
from explorer.texts.playground import TEXT

PAGE = "play"
PLAYER = "play.player"  # the live player's widget key
BASE = TrainConfig()
SHOWN = list(FIELDS)
BOUNDARY_W, BOUNDARY_H = 340, 270
CURVE_W, CURVE_H = 340, 220
HIST_W, HIST_H = 1080, 150  # the histograms: the expander's full width
NET_W, NET_H = 1080, 380  # the network diagram: widest drawing, height of its body

tr = ui.page_setup(TEXT)
lang = tr.lang
ui.header(tr("title"), tr("intro"), tr("about_page"))
source_box = st.sidebar.container()  # data source first, above the data widgets
settings_box, loader_box = st.sidebar.container(), st.sidebar.container()
ui.config_loader(tr, PAGE, BASE, SHOWN, container=loader_box)
upload = ui.uploading(PAGE)
shown = [f for f in SHOWN if not (upload and f in ui.BUILTIN_DATA_FIELDS)]
first_lr = live.url_lr()  # the run's first rate (the widget shows the newest)
cfg = ui.config_sidebar(tr, PAGE, BASE, shown, container=settings_box)
cfg = live.lr_config(PLAYER, cfg, first_lr)  # the rate changed while paused at e: from e on
data = ui.data_source(tr, PAGE, cfg, container=source_box)
if upload and data is None:
    st.stop()  # data_source said what is missing or wrong
if data is None:  # one run within the page budget: bounded seconds and memory for any link
    fitted = budget.fit([cfg], min_grid=budget.DRAWN_GRID,
                        min_checkpoints=budget.DRAWN_CHECKPOINTS)
    cfg = fitted.cfgs[0]
    ui.budget_notice(tr, fitted.reduced, 1, draws_boundary=True)

if ui.projector_mode():  # one compact button: the room needs the height for the charts
    row = st.popover(tr("presets"), icon=":material/school:", help=tr("presets_help"))
else:
    st.markdown(f"**{tr('presets')}**", help=tr("presets_help"))
    row = st.container(horizontal=True)
for preset in PRESETS:
    row.button(preset.title(lang), key=f"preset.{preset.name}", help=preset.description(lang),
               on_click=live.set_widgets, args=(PLAYER, PAGE, BASE, preset.changes, shown))
row.button(tr("reset"), key="preset.reset", help=tr("reset_help"), icon=":material/restart_alt:",
           on_click=live.set_widgets, args=(PLAYER, PAGE, BASE, {}, shown))
active = matching_preset(cfg, BASE)
preset_box = st.empty()  # the preset's description; what the run did is added once trained
if active is not None and data is None:
    preset_box.info(tr("preset_active", title=active.title(lang),
                       description=active.description(lang)))


def url_toggle(key: str, default: bool, column) -> bool:
    """A toggle whose value lives in the URL under ``key`` (1/0; omitted when default)."""
    wkey = ui.widget_key(f"{PAGE}.{key}")
    if wkey not in st.session_state:
        st.session_state[wkey] = bool(ui.url_int(tr, key, int(default), 0, 1))
    on = column.toggle(tr(key), key=wkey, help=tr(f"{key}_help"))
    ui.set_query(key, None if on == default else str(int(on)))
    return on


# the view's switches, for the player and the charts below alike, in one row above them
switches = st.container(horizontal=True, gap="large")
show_test = url_toggle("show_test", True, switches)
log_scale = url_toggle("log_scale", False, switches)
signed = url_toggle("signed", False, switches)
player_box = st.container()  # the live lab bench: transport + animated charts
top = st.container()
ph_summary = st.empty()
st.subheader(tr("table_title"))
ph_table = st.empty()
ui.note(tr("table_caption"))
# the player's charts once more as Vega-Lite charts (tooltips, PNG / SVG export), folded: the
# player above is the one view; these follow the epoch shown
charts_box = st.expander(tr("static_charts"), icon=":material/bar_chart:")
c_bound, c_loss, c_acc = charts_box.columns(3)
ph_bound, ph_loss, ph_acc = c_bound.empty(), c_loss.empty(), c_acc.empty()
charts_box.markdown(f"**{tr('grads_title')}**")
ph_grads = charts_box.empty()
ui.note(tr("grads_caption"), charts_box)
net_box = st.container()  # the network diagram (its own block; follows the epoch shown)
bottom = st.container()


#: projector mode: widths that fit a 1280 px projector's columns with the larger chart fonts
COL_W = ui.pick(ui.px(BOUNDARY_W), 360)
MIN_FONT = ui.pick(0, ui.PROJECTOR_MIN_FONT)  # the player's text, as the charts'
GRADS_W = ui.pick(ui.px(HIST_W), 1100)


def draw(rec, epoch=None, marker=None):
    ui.show_chart(core.boundary_chart(rec, epoch, show_test=show_test, width=COL_W,
                                      height=ui.px(BOUNDARY_H), lang=lang),
                  ph_bound, width="content")
    ui.show_chart(core.loss_chart(rec, log_scale=log_scale, marker_epoch=marker,
                                  width=COL_W, height=ui.px(CURVE_H), lang=lang),
                  ph_loss, width="content")
    ui.show_chart(core.loss_chart(rec, metric="acc", marker_epoch=marker, width=COL_W,
                                  height=ui.px(CURVE_H), lang=lang), ph_acc, width="content")
    ui.show_chart(core.grad_hist_row(rec, epoch, signed=signed, height=ui.px(HIST_H), lang=lang,
                                     total_width=GRADS_W,
                                     max_width=ui.px(150)),
                  ph_grads, width="content")
    ui.table(core.layer_table(rec, epoch, lang), ph_table)
    ph_summary.markdown(tr("summary", text=core.summary_line(rec, epoch, lang)))


with top:
    try:
        if data is not None:
            with st.spinner(tr("training_upload")):
                rec = ui.train_on_data(cfg, data, tr)
        else:
            view = dict(labels=live.labels(lang), show_test=show_test, log_scale=log_scale,
                        signed=signed, scale=ui.chart_scale(), min_font=MIN_FONT, lang=lang)
            resumed = live.resume_view(PLAYER, cfg)  # (a new rate: stands where it was)
            live.train_streaming(  # a new config: trains in the background, streams frames
                cfg, player_box, lambda r, cache: player_payload(r, cache=cache, **view,
                                                                 **resumed), PLAYER, tr)
            rec = ui.train_live(cfg, tr)
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
    if cfg.layer_activations:
        st.markdown(tr("per_layer", layers=" → ".join(
            tr("per_layer_item", n=i + 1, act=ACTIVATIONS[a].label_for(tr.lang))
            for i, a in enumerate(rec.config.hidden_activations()))))
    checkpoints = rec.checkpoints
    wanted = ui.url_int(tr, "epoch", checkpoints[-1], 0, cfg.epochs)
    paused_at = live.new_report(PLAYER)  # the player paused (or stepped) at this epoch
    if paused_at is not None:
        wanted = min(paused_at, rec.epochs_done)
    if len(checkpoints) > 1:
        epoch_key = ui.widget_key(f"{PAGE}.epoch")
        if paused_at is not None or st.session_state.get(epoch_key) not in checkpoints:
            st.session_state[epoch_key] = rec.nearest_checkpoint(wanted)
        epoch = st.select_slider(tr("epoch"), checkpoints, key=epoch_key,
                                 help=tr("epoch_help"))
    else:
        epoch = checkpoints[0]
    shown, seek, autoplay = live.shown_epoch(PLAYER, rec, epoch, wanted, paused_at)
    ui.set_query("epoch", None if shown == checkpoints[-1] else str(shown))
    live.report_applied(PLAYER)  # slider, URL and view follow the player's report
    if (plan := live.lr_caption(rec.config, lang)) is not None:
        st.markdown(plan)  # "learning rate 0.3 → 1 from epoch 120"
    st.caption(tr("params", n=rec.n_params, seconds=rec.wall_time) +
               ("" if ui.projector_mode() else " · " + tr("share_hint")))

# Step +1 epoch between snapshots: the frame of that epoch (the page then reruns)
prepare_step = None if data is not None else ui.player_step([cfg], [f"{PLAYER}.extra"],
                                                            [rec.epochs_done])
with player_box:
    if data is None:
        extra = live.extra_frames(cfg, f"{PLAYER}.extra", shown if shown not in checkpoints
                                  else None)
    else:
        extra = []
    live.mount_player(player_payload(
        rec, labels=live.labels(lang), show_test=show_test, log_scale=log_scale, signed=signed,
        seek=shown, seek_nonce=seek, autoplay=autoplay, extra=extra, scale=ui.chart_scale(),
        min_font=MIN_FONT, data_tag="upload" if data is not None else "", lang=lang), PLAYER,
        prepare_step)
if active is not None and data is None:  # every number from the run shown
    vkey, vargs = active.verdict(rec)
    if vkey:
        preset_box.info(tr("preset_active", title=active.title(lang),
                           description=active.description(lang)) + "\n\n"
                        + tr("preset_run", text=tr(vkey, **vargs)))
draw(rec, epoch, marker=epoch)


def draw_network(rec, epoch=None, container=None):
    """The network diagram at the checkpoint nearest ``epoch``, in ``container``."""
    ui.show_chart(net_chart.network_chart(rec, epoch, width=ui.pick(ui.px(NET_W), 1150),
                                          height=ui.px(NET_H), lang=lang,
                                          font_scale=ui.chart_scale(),  # its texts are data
                                          min_font=MIN_FONT),
                  container, width="content")


with net_box.expander(net_chart.nt("details", lang), icon=":material/hub:"):
    ph_net = st.empty()  # the player draws the network too: shown once unless opened
    ui.note(net_chart.caption(lang))
draw_network(rec, epoch, ph_net)
ui.export_panel(tr, rec, cfg, PAGE, container=bottom)
