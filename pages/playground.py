"""Playground: train one network, watch it learn live, replay any recorded epoch; or train on
an uploaded CSV."""

import streamlit as st

from explorer import ACTIVATIONS, FIELDS, TrainConfig
from explorer.app import data, display, memo, player, runs, sidebar, state
from explorer.app.lang import joined as lang_joined
from explorer.charts import core
from explorer.charts import network as net_chart
from explorer.labs import budget
from explorer.live.frames import payload as player_payload
from explorer.presets import PRESETS, matching_preset, seed_configs
from explorer.texts.playground import TEXT

PAGE = "play"
PRESET_NAMED = {p.name: p for p in PRESETS}
PLAYER = "play.player"  # the live player's widget key
BASE = TrainConfig()
SHOWN = list(FIELDS)
BOUNDARY_W, BOUNDARY_H = 340, 270
CURVE_W, CURVE_H = 340, 220
HIST_W, HIST_H = 1080, 150  # the histograms: the expander's full width
NET_W, NET_H = 1080, 380  # the network diagram: widest drawing, height of its body

def preset_name(cfg, base):
    """The name of the preset ``cfg`` is (None: none), for memo.value (a preset's own
    functions do not pickle)."""
    preset = matching_preset(cfg, base)
    return None if preset is None else preset.name


tr = state.page_setup(TEXT)
lang = tr.lang
display.header(tr("title"), tr("intro"), tr("about_page"))
source_box = st.sidebar.container()  # data source first, above the data widgets
settings_box, loader_box = st.sidebar.container(), st.sidebar.container()
sidebar.config_loader(tr, PAGE, BASE, SHOWN, container=loader_box)
upload = data.uploading(PAGE)
shown = [f for f in SHOWN if not (upload and f in data.BUILTIN_DATA_FIELDS)]
live = player.PlayerSession(PLAYER)  # (reads the run's first rate: the widget shows the newest)
cfg = sidebar.config_sidebar(tr, PAGE, BASE, shown, container=settings_box)
cfg = live.config(cfg)  # the rate changed while paused at e: from e on
own_data = data.data_source(tr, PAGE, cfg, container=source_box)
if upload and own_data is None:
    st.stop()  # data_source said what is missing or wrong
if own_data is None:  # one run within the page budget: bounded seconds and memory for any link
    fitted = memo.value(budget.fit, [cfg], min_grid=budget.DRAWN_GRID,  # (with the player's frames)
                        min_checkpoints=budget.DRAWN_CHECKPOINTS, frames=True)
    cfg = fitted.cfgs[0]
    display.budget_notice(tr, fitted.reduced, 1, draws_boundary=True)

if display.projector_mode():  # one compact button: the room needs the height for the charts
    row = st.popover(tr("presets"), icon=":material/school:", help=tr("presets_help"))
else:
    st.markdown(f"**{tr('presets')}**", help=tr("presets_help"))
    row = st.container(horizontal=True)
for preset in PRESETS:
    row.button(preset.title(lang), key=f"preset.{preset.name}", help=preset.description(lang),
               on_click=live.preset, args=(PAGE, BASE, preset.changes, shown))
row.button(tr("reset"), key="preset.reset", help=tr("reset_help"), icon=":material/restart_alt:",
           on_click=live.preset, args=(PAGE, BASE, {}, shown))
active = PRESET_NAMED.get(memo.value(preset_name, cfg, BASE))
preset_box = st.empty()  # the preset's description; what the run did is added once trained
if active is not None and own_data is None:
    preset_box.info(tr("preset_active", title=active.title(lang),
                       description=active.description(lang)))


# the view's switches, for the player and the charts below alike, in one row above them
switches = st.container(horizontal=True, gap="large")
show_test, log_scale, signed = (
    switches.toggle(tr(name), key=state.view_widget(tr, PAGE, name), help=tr(f"{name}_help"))
    for name in ("show_test", "log_scale", "signed"))
state.write_view(PAGE, show_test=show_test, log_scale=log_scale, signed=signed)
player_box = st.container()  # the live lab bench: transport + animated charts
top = st.container()
ph_summary = st.empty()
st.subheader(tr("table_title"))
ph_table = st.empty()
display.note(tr("table_caption"))
# the player's charts once more as Vega-Lite charts (tooltips, PNG / SVG export), folded: the
# player above is the one view; these follow the epoch shown
charts_box = st.expander(tr("static_charts"), icon=":material/bar_chart:")
c_bound, c_loss, c_acc = charts_box.columns(3)
ph_bound, ph_loss, ph_acc = c_bound.empty(), c_loss.empty(), c_acc.empty()
charts_box.markdown(f"**{tr('grads_title')}**")
ph_grads = charts_box.empty()
display.note(tr("grads_caption"), charts_box)
net_box = st.container()  # the network diagram (its own block; follows the epoch shown)
bottom = st.container()


#: projector mode: widths that fit a 1280 px projector's columns with the larger chart fonts
COL_W = display.pick(display.px(BOUNDARY_W), 360)
MIN_FONT = display.pick(0, display.PROJECTOR_MIN_FONT)  # the player's text, as the charts'
GRADS_W = display.pick(display.px(HIST_W), 1100)


def draw(rec, epoch=None, marker=None):
    display.show_chart(display.spec(core.boundary_chart, rec, epoch, show_test=show_test, width=COL_W,
                                           height=display.px(BOUNDARY_H), lang=lang),
                       ph_bound, width="content", export=(PAGE, rec))
    display.show_chart(display.spec(core.loss_chart, rec, log_scale=log_scale, marker_epoch=marker,
                                       width=COL_W, height=display.px(CURVE_H), lang=lang),
                       ph_loss, width="content", export=(PAGE, rec))
    display.show_chart(display.spec(core.loss_chart, rec, metric="acc", marker_epoch=marker, width=COL_W,
                                       height=display.px(CURVE_H), lang=lang), ph_acc, width="content", export=(PAGE, rec))
    display.show_chart(display.spec(core.grad_hist_row, rec, epoch, signed=signed, height=display.px(HIST_H), lang=lang,
                                          total_width=GRADS_W,
                                          max_width=display.px(150)),
                       ph_grads, width="content", export=(PAGE, rec))
    display.table(memo.value(core.layer_table, rec, epoch, lang), ph_table)
    ph_summary.markdown(tr("summary", text=memo.value(core.summary_line, rec, epoch, lang)))


with top:
    view = dict(labels=player.labels(lang), show_test=show_test, log_scale=log_scale,
                signed=signed, scale=display.chart_scale(), min_font=MIN_FONT, lang=lang)
    try:  # a new config trains in the background and streams its frames to the player
        rec = live.record(cfg, tr, player_box, lambda r, **kw: player_payload(r, **view, **kw),
                          own_data)
    except ValueError as exc:
        st.error(tr("train_failed", error=exc))
        st.stop()
    if rec.history.empty or not rec.checkpoints:
        display.show_divergence(tr, rec)
        st.error(tr("no_history"))
        st.stop()
    display.show_divergence(tr, rec)
    if rec.diverged:
        st.caption(tr("diverged_recorded", last=rec.epochs_done, n=len(rec.checkpoints),
                      loss=rec.final()["train_loss"]))
    if cfg.layer_activations:
        st.markdown(tr("per_layer", layers=" → ".join(
            tr("per_layer_item", n=i + 1, act=ACTIVATIONS[a].label_for(tr.lang))
            for i, a in enumerate(rec.config.hidden_activations()))))
    checkpoints = rec.checkpoints
    wanted = state.view_value(tr, PAGE, "epoch", checkpoints[-1], cfg.epochs)
    paused_at = live.report()  # the player paused (or stepped) at this epoch
    if paused_at is not None:
        wanted = min(paused_at, rec.epochs_done)
    # the epoch of the charts below: the player's scrubber is the one epoch control (a
    # session value, seeded from the URL, that follows the player's reports)
    epoch_key = state.widget_key(f"{PAGE}.epoch")
    if paused_at is not None or st.session_state.get(epoch_key) not in checkpoints:
        st.session_state[epoch_key] = rec.nearest_checkpoint(wanted)
    epoch = st.session_state[epoch_key]
    # the charts below, the URL and the view follow the player's report
    shown, seek, autoplay = live.view([rec.config], rec.epochs_done, epoch, wanted, paused_at)
    state.write_view(PAGE, {"epoch": checkpoints[-1]}, epoch=shown)
    if (plan := live.caption(rec.config, lang)) is not None:
        st.markdown(plan)  # "learning rate 0.3 → 1 from epoch 120"
    st.caption(tr("params", n=rec.n_params, seconds=rec.wall_time) +
               ("" if display.projector_mode() else " · " + tr("share_hint")))

# Step +1 epoch between snapshots: the frame of that epoch (the page then reruns)
stepped = [] if own_data is not None else [cfg]
with player_box:
    extra = live.extras(stepped, shown if shown not in checkpoints else None)
    live.mount(memo.value(
        player_payload, rec, seek=shown, seek_nonce=seek, autoplay=autoplay, extra=extra[0] if extra else [],
        data_tag="upload" if own_data is not None else "", **view),
        stepped, [rec.epochs_done] * len(stepped))
    display.player_data(rec)  # its numbers as a table (issue 29)
if active is not None and own_data is None:  # every number from the run shown
    vkey, vargs = active.verdict(rec)
    if vkey:
        # the point over the verdict seeds: the others trained stacked and cached
        tally = active.tally(rec, runs.records(seed_configs(rec.config)))
        items = [(s, tr(f"seed_status.{v}", seed=s))
                 for s, v in zip(tally.seeds, tally.statuses, strict=True)]
        seeds = lang_joined((tr("seed_shown", item=i) if s == tally.shown else i
                             for s, i in items), lang)
        preset_box.info(tr("preset_active", title=active.title(lang),
                           description=active.description(lang)) + "\n\n"
                        + tr("preset_run", text=tr(vkey, **vargs)) + "\n\n"
                        + tr("preset_seeds", k=tally.k, n=tally.n, seeds=seeds))
draw(rec, epoch, marker=epoch)


def draw_network(rec, epoch=None, container=None):
    """The network diagram at the checkpoint nearest ``epoch``, in ``container``."""
    display.show_chart(display.spec(net_chart.network_chart, rec, epoch, width=display.pick(display.px(NET_W), 1150),
                                               height=display.px(NET_H), lang=lang,
                                               font_scale=display.chart_scale(),  # its texts are data
                                               min_font=MIN_FONT),
                       container, width="content", export=(PAGE, rec))


with net_box.expander(net_chart.nt("details", lang), icon=":material/hub:"):
    ph_net = st.empty()  # the player draws the network too: shown once unless opened
    display.note(net_chart.caption(lang))
draw_network(rec, epoch, ph_net)
data.export_panel(tr, rec, cfg, PAGE, container=bottom)
