"""Compare: several activations on the same data, from the same start, with the same optimiser;
one column each, overlaid curves, a summary table and a seed sweep."""

from html import escape

import streamlit as st

from explorer import ACTIVATIONS, FIELDS
from explorer import compare as cmp
from explorer.app import data, display, lang, memo, player, runs, sidebar, state
from explorer.charts import compare as cc
from explorer.charts import core
from explorer.charts.palette import ACTIVATION_COLORS, ink
from explorer.live.frames import group_payload
from explorer.texts.compare import TEXT

PAGE = "compare"
PLAYER = "compare.player"  # the player's widget key: one transport for every column
HIST_H = 78  # height of one layer's gradient histogram in a column
BOUNDARY_MAX_H = 300  # projector mode: the player's boundaries fit under the controls


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 128)
def sweep_seed(keys: tuple, s: int):
    """One seed of the sweep (a small table of training-accuracy histories), cached."""
    with runs.training_slot(runs.job_work(cmp.configs_from_keys(keys))):  # its work: big ones wait
        return cmp.sweep_seed_from_keys(keys, s)


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 96)
def tuning_seed(keys: tuple, target: float, grid: tuple, seed: int):
    """The protocol's learning-rate search on one tuning seed, cached."""
    cfgs = cmp.configs_from_keys(keys)
    with runs.training_slot(runs.job_work(cmp.tuning_configs(cfgs, grid, seed))):
        return cmp.tuning_runs_from_keys(keys, target, grid, seed)


def hist_column(rec, epoch, y_max, width, height, lang, limit):
    """A column's gradient histograms, its title not cut at the plot's width (``limit``)."""
    hist = cc.grad_hist_column(rec, epoch, y_max=y_max, width=width, height_per_layer=height,
                               lang=lang)
    hist.title.limit = limit  # else Streamlit cuts the title at the plot's width
    return hist


def layer_tables(recs, epoch, lang, label):
    """Every column's layer table at ``epoch``, stacked."""
    return cmp.stack_tables([core.layer_table(r, epoch, lang) for r in recs],
                            [r.label_for(lang) for r in recs], label)


tr = state.page_setup(TEXT)
display.header(tr("title"), tr("intro"), tr("about_page"))

# ------------------------------------------------------------------ controls
settings_box, loader_box = st.sidebar.container(), st.sidebar.container()
sidebar.config_loader(tr, PAGE, cmp.BASE, cmp.SHOWN, container=loader_box)
base = sidebar.config_sidebar(tr, PAGE, cmp.BASE, cmp.SHOWN, container=settings_box)
sidebar.write_fields(cmp.BASE, activation=None, layer_activations=None)  # one per column
names = ACTIVATIONS.names()
top = st.columns([3.2, 2.2])
chosen = top[0].multiselect(tr("acts"), names, key=state.view_widget(tr, PAGE, "acts"), help=tr("acts_help"),
                            format_func=lang.activation_labels(names, tr.lang),
                            max_selections=cmp.MAX_ACTS)
if cmp.MIN_ACTS <= len(chosen) <= cmp.MAX_ACTS:
    st.session_state[f"{PAGE}.acts_last"] = list(chosen)
else:
    top[0].warning(tr("acts_count"))
acts = st.session_state.get(f"{PAGE}.acts_last", list(cmp.DEFAULT_ACTS))
target_pct = top[1].slider(tr("target"), cmp.TARGET_LO, cmp.TARGET_HI,
                           key=state.view_widget(tr, PAGE, "target"), help=tr("target_help"))
state.write_view(PAGE, acts=acts, target=target_pct)
target = target_pct / 100

params = [cmp.ACT_PARAMS[a] for a in acts if a in cmp.ACT_PARAMS]
if params:
    box = settings_box.expander(tr("act_params"), expanded=True)
    changes = {}
    for name in params:
        f = FIELDS[name]
        key = state.page_widget(PAGE, name, lambda n=name: getattr(base, n))
        if f.kind == "int":
            changes[name] = box.slider(tr.field_label(name), int(f.lo), int(f.hi), key=key,
                                       help=tr.field_help(name))
        else:
            changes[name] = box.slider(tr.field_label(name), float(f.lo), float(f.hi), step=0.01,
                                       key=key, help=tr.field_help(name))
    sidebar.write_fields(cmp.BASE, **changes)
    base = base.replace(**changes)

cfgs, notes = memo.value(cmp.configs_for, base, acts)
if notes:
    display.notice(tr, "setting_notice", notes)
# all columns together: the page's work and memory
cfgs, reduced = memo.value(cmp.within_budget, cfgs)
display.budget_notice(tr, reduced, len(acts), draws_boundary=True)
acts = acts[:len(cfgs)]  # (a fixed-size data set: only the first columns may fit)
options = cmp.checkpoint_options(cfgs[0])
key = state.widget_key(f"{PAGE}.epoch")
live = player.PlayerSession(PLAYER)  # one transport for every column
paused_at = live.report()  # the player paused (or stepped) at this epoch
if paused_at is not None:  # the columns, the tables and the URL follow the player
    st.session_state[key] = cmp.nearest(options, paused_at)
elif key not in st.session_state:
    st.session_state[key] = cmp.nearest(options, state.view_value(tr, PAGE, "epoch", options[-1],
                                                                  cfgs[0].epochs))
elif st.session_state[key] == st.session_state.get(f"{PAGE}.epoch_end"):
    st.session_state[key] = options[-1]  # was at the end: stay at the end
elif st.session_state[key] not in options:
    st.session_state[key] = cmp.nearest(options, st.session_state[key])
st.session_state[f"{PAGE}.epoch_end"] = options[-1]
epoch = st.session_state[key]  # (the player's scrubber is the one epoch control)
# the URL: the player's own epoch (every epoch is a frame; the columns show the nearest snapshot)
state.write_view(PAGE, {"epoch": options[-1]}, epoch=min(paused_at, cfgs[0].epochs)
                 if paused_at is not None else live.shown(cfgs, epoch))

# ------------------------------------------------------------------ train
main_px = display.pick(cmp.MAIN_WIDTH[False], display.PROJECTOR_MAIN_PX)
fs = display.chart_scale()  # text in the columns grows with the charts in projector mode


def player_data(recs, **options):
    """The player's data for the runs of ``recs`` (complete or still training)."""
    return group_payload(
        recs, labels=player.labels(tr.lang), titles=[r.label_for(tr.lang) for r in recs],
        colors=[ACTIVATION_COLORS[r.config.activation] for r in recs],
        log_scale=bool(st.session_state[state.view_widget(tr, PAGE, "log")]),
        scale=fs, min_font=display.pick(0, display.PROJECTOR_MIN_FONT),
        big=bool(st.session_state[state.view_widget(tr, PAGE, "big")]),
        max_height=display.pick(0, BOUNDARY_MAX_H), lang=tr.lang, **options)


# runs not trained yet: every column trains at once and animates in the player as it trains
live.stream_group(cfgs, tr, st.container(), player_data)
try:
    with st.spinner(tr("training_many", n=len(cfgs))):
        recs = runs.records(cfgs, dense=True)
except ValueError as exc:
    st.error(tr("train_failed", error=str(exc)))
    st.stop()

vkey, vfmt = memo.value(cmp.verdict, recs, target, tr.lang)
line = tr(vkey, **{**vfmt, "never": lang.joined(vfmt["never"], tr.lang)})
if vfmt["never"] and vkey not in ("verdict.none", "verdict.one"):
    line += tr("verdict.never", never=lang.joined(vfmt["never"], tr.lang), epochs=vfmt["epochs"])
if vfmt["diverged"]:
    line += tr("verdict.diverged", diverged=lang.joined(vfmt["diverged"], tr.lang))
st.info(line, icon=":material/speed:")
display.note(tr("same_start", seed=base.seed))
player_box = st.container()  # the player: every boundary and both curves, one transport

# ------------------------------------------------------------------ one column per activation
col_px, width = cmp.column_px(len(recs), main_px), cmp.chart_width(len(recs), main_px)
half_px = cmp.column_px(2, main_px) - display.pick(60, 80)  # room for legends (and projector fonts)
y_max = memo.value(cmp.grad_y_max, recs)
for col, rec in zip(st.columns(len(recs)), recs, strict=True):
    act = rec.config.activation
    spec = ACTIVATIONS[act]
    fig = memo.value(cmp.column_figures, rec, epoch)
    with col:
        colour = ACTIVATION_COLORS[act]
        params_text = tr("col.params_more", n=rec.n_params, k=rec.config.maxout_k) \
            if spec.pieces else tr("col.params", n=rec.n_params)
        init = lang.option_label("init", cmp.init_name(rec.config), cmp.init_label(rec.config))
        caption = tr("col.init_line", init=init) + " · " + params_text
        st.html(  # fixed heights keep the columns' charts level whatever the label lengths
            f"<div title='{escape(rec.label_for(tr.lang))}' style='font-size:{1.4 * fs:.2f}rem;font-weight:700;"
            f"color:{ink(colour)};border-bottom:4px solid {colour};padding-bottom:2px;"
            f"white-space:nowrap;overflow:hidden;text-overflow:ellipsis'>{escape(rec.label_for(tr.lang))}"
            f"</div>" + ("" if display.projector_mode() else  # the lecturer says it; the room needs the height
            f"<div style='font-size:{0.875 * fs:.2f}rem;color:#4b5563;min-height:4em;"
            f"line-height:1.3em;margin-top:6px'>{escape(caption)}</div>"))
        if rec.diverged_at is not None:
            st.error(tr("col.diverged", epoch=rec.diverged_at))
        reached = rec.epochs_to(target)
        lines = [tr("col.acc", train=core.fmt_pct(fig["train_acc"], 1),
                    test=core.fmt_pct(fig["test_acc"], 1)),
                 tr("col.reached", target=target_pct, epoch=reached) if reached is not None
                 else tr("col.not_reached", target=target_pct),
                 tr("col.dead_sat", dead="—" if spec.pieces else f"{fig['dead']}/{fig['units']}",
                    sat="—" if spec.saturating == "no" else core.fmt_pct(fig["saturated_frac"]))]
        st.html(f"<div style='font-size:{fs:.2f}rem;line-height:1.5em;min-height:4.6em'>" + "".join(
            f"<div style='white-space:nowrap;overflow:hidden;text-overflow:ellipsis' "
            f"title='{escape(x)}'>{escape(x)}</div>" for x in lines) + "</div>")
        display.show_chart(display.spec(hist_column, rec, epoch, y_max,
                                        display.pick(width, width - 24), display.px(HIST_H),
                                        tr.lang, col_px), width="content", export=(PAGE, recs),
                           name=rec.label_for(tr.lang))
display.note(tr("columns_caption"))

# ------------------------------------------------------------------ curves
st.subheader(tr("curves"))
log_loss = st.toggle(tr("log_loss"), key=state.view_widget(tr, PAGE, "log"))
state.write_view(PAGE, log=log_loss)
left, right = st.columns(2)
display.show_chart(display.spec(core.loss_chart, recs, log_scale=log_loss, marker_epoch=epoch, metric="loss",
                                   width=half_px, height=display.px(300), lang=tr.lang,
                                   title=tr("loss_title")), left, width="content", export=(PAGE, recs))
display.show_chart(display.spec(core.loss_chart, recs, marker_epoch=epoch, metric="acc", width=half_px,
                                   height=display.px(300), lang=tr.lang, title=tr("acc_title"),
                                   legend=False), right, width="content", export=(PAGE, recs))
display.note(tr("curves_caption"))

# ------------------------------------------------------------------ the player (drawn above)
with player_box:
    big = st.toggle(tr("big"), help=tr("big_help"), key=state.view_widget(tr, PAGE, "big"))
    state.write_view(PAGE, big=big)
    # other runs than the session's last: they play (the columns, the tables and the URL
    # follow the player's report: its scrubber is the one epoch control)
    shown, seek, autoplay = live.view(cfgs, max(r.epochs_done for r in recs), epoch, epoch,
                                      paused_at)
    state.write_view(PAGE, {"epoch": options[-1]}, epoch=shown)
    # Step +1 epoch between snapshots: every column's frame of that epoch
    live.mount(memo.value(
        group_payload, recs, labels=player.labels(tr.lang), titles=[r.label_for(tr.lang) for r in recs],
        colors=[ACTIVATION_COLORS[r.config.activation] for r in recs], log_scale=log_loss,
        seek=shown, seek_nonce=seek, extras=live.extras(cfgs),
        scale=fs, min_font=display.pick(0, display.PROJECTOR_MIN_FONT), big=big,
        max_height=display.pick(0, BOUNDARY_MAX_H), autoplay=autoplay, lang=tr.lang),
        cfgs, [r.epochs_done for r in recs])
    display.player_data(recs)  # its numbers as a table (issue 29)

# ------------------------------------------------------------------ summary
st.subheader(tr("summary"))
headers = {k: tr(f"th.{k}", target=target_pct) for k in cmp.SUMMARY_COLUMNS}
display.table(memo.value(cmp.format_summary, memo.derived(cmp.summary_table, recs, target, tr.lang),
                         headers, never=tr("never")))
notes = []
for group in cmp.time_groups(recs):
    r = recs[group[0]]
    if len(group) > 1:
        notes.append(tr("time_note.stack", names=lang.joined((recs[i].label_for(tr.lang) for i in group), tr.lang),
                        secs=r.wall_time, n=len(group)))
    else:
        notes.append(tr("time_note.alone", name=r.label_for(tr.lang), secs=r.wall_time))
if any(ACTIVATIONS[a].pieces for a in acts):
    notes.append(tr("params_note", k=base.maxout_k))
notes.append(tr("table_note"))
display.note("  \n".join(notes))
with st.expander(tr("layers_expander", epoch=epoch)):
    display.table(memo.value(layer_tables, recs, epoch, tr.lang, tr("th.label")))

# ------------------------------------------------------------------ seed sweep
st.subheader(tr("sweep"))
st.markdown(tr("sweep_intro", seed=base.seed, target=target_pct))
ctl = st.columns([1, 1, 3], vertical_alignment="bottom")
out = st.container()
n_seeds = ctl[0].number_input(tr("seeds"), cmp.MIN_SEEDS, cmp.MAX_SEEDS, step=1,
                              key=state.view_widget(tr, PAGE, "seeds"), help=tr("seeds_help"))
run = ctl[1].toggle(tr("run_sweep"), key=state.view_widget(tr, PAGE, "sweep"),
                    help=tr("run_sweep_help"))
protocol = ctl[2].toggle(tr("protocol"), key=state.view_widget(tr, PAGE, "protocol"),
                         help=tr("protocol_help"))
state.write_view(PAGE, seeds=n_seeds, sweep=run, protocol=protocol)
scfgs = memo.value(cmp.protocol_configs, cfgs) if protocol else list(cfgs)
sweep_work = memo.value(cmp.sweep_budget, cfgs)  # what the comparison's runs leave of the page's budget
if protocol:  # the learning-rate search counts against the same work budget
    plan = memo.value(cmp.protocol_plan, scfgs, n_seeds, sweep_work)
    grid, allowed = plan["grid"], plan["seeds"]
else:
    grid, allowed = [], memo.value(cmp.sweep_seeds_allowed, scfgs, n_seeds, sweep_work)
if not run:
    out.info(tr("sweep_off", n=n_seeds))
elif allowed < cmp.MIN_SEEDS:  # capped to nothing: not even the fewest seeds fit the budget
    out.warning(tr("sweep_too_big", min=cmp.MIN_SEEDS,
                   times=f"{cmp.sweep_overshoot(scfgs, sweep_work):.1f}"),
                icon=":material/speed:")
else:
    tuning = None
    if protocol and len(grid) > 1:
        if len(grid) < len(cmp.LR_FACTORS):
            out.info(tr("sweep.grid_small", grid=", ".join(f"{g:g}" for g in grid)))
        tkeys = tuple(runs.cfg_key(c) for c in cmp.sweep_configs(scfgs, 0))
        with out, st.spinner(tr("sweep.tuning_progress")):
            tuning = cmp.tune_lr(scfgs, target, grid, seed_fn=lambda s: tuning_seed(
                tkeys, target, tuple(grid), s))
        scfgs = cmp.tuned_configs(scfgs, tuning)
        if missing := cmp.unchosen(tuning):
            names = [ACTIVATIONS[a].label_for(tr.lang) for a in missing]
            out.warning(tr("sweep.unchosen", acts=lang.joined(names, tr.lang), lr=f"{base.lr:g}"))
    elif protocol:
        out.info(tr("sweep.no_search"))
    keys = tuple(runs.cfg_key(c) for c in cmp.sweep_configs(scfgs, 0))  # snapshots don't matter
    if allowed < n_seeds:
        out.warning(tr("sweep_capped", n=allowed, asked=n_seeds))
        n_seeds = allowed
    bar = out.progress(0.0, text=tr("sweep_progress", done=0, n=n_seeds))
    hist = cmp.run_sweep(scfgs, n_seeds, seed_fn=lambda _c, s: sweep_seed(keys, s),
                         progress=lambda f: bar.progress(
                             f, text=tr("sweep_progress", done=round(f * n_seeds), n=n_seeds)))
    bar.empty()
    seed_runs = cmp.sweep_runs(hist, target)
    ref = cmp.reference_for(acts)
    stats = cmp.sweep_stats(seed_runs, acts, ref)
    lines = [tr(k, **f)
             + (tr("sweep.pair.never", **f) if k != "sweep.pair.unknown"
                and f.get("never_act", 0) + f.get("never_ref", 0) else "")
             + (tr("sweep.lesson_pair") if f.get("lesson") else "")
             for k, f in cmp.sweep_verdict(stats, target, ref, tr.lang)]
    out.success("\n".join(f"- {x}" for x in lines) + "\n\n" + tr("sweep.lesson"),
                icon=":material/insights:")
    init = cmp.init_name(scfgs[0])
    tseeds = cmp.tuning_seeds(base.seed)
    tseeds_text = f"{tseeds[0]}–{tseeds[-1]}" if len(tseeds) > 1 else str(tseeds[0])
    if protocol and tuning is not None:
        out.markdown(tr("sweep.protocol_on", grid=", ".join(f"{g:g}" for g in grid),
                        n_tune=len(tseeds), tseeds=tseeds_text, target=target_pct,
                        tepochs=cmp.tuning_epochs(cfgs[0].epochs),
                        floor=cmp.target_text(target - cmp.LEARN_SLACK),
                        init=lang.option_label("init", init, cmp.init_label(scfgs[0]))))
    elif protocol:
        out.markdown(tr("sweep.protocol_init", lr=f"{base.lr:g}",
                        init=lang.option_label("init", init, cmp.init_label(scfgs[0]))))
    else:
        out.markdown(tr("sweep.protocol_off", lr=f"{base.lr:g}"))
    if tuning is not None:
        with out.expander(tr("sweep.tuning", tseeds=tseeds_text)):
            heads = {k: tr(f"sweep.tune.{k}", target=target_pct) for k in cmp.TUNING_COLUMNS
                     if k != "seeds"}
            display.table(cmp.format_tuning(tuning, heads, cmp.tuning_epochs(cfgs[0].epochs),
                                            lang=tr.lang))
    strip = cmp.strip_frame(seed_runs, cc.never_x(cfgs[0].epochs))
    a, b = out.columns([3, 2])
    display.show_chart(cc.sweep_chart(strip, stats, acts, cfgs[0].epochs, str(target_pct),
                                      width=int(main_px * 0.58), lang=tr.lang), a, width="stretch")  # fits its column
    display.show_chart(cc.ratio_chart(stats, ref, width=int(main_px * 0.37), lang=tr.lang), b,
                       width="stretch")
    cov = stats.loc[stats["activation"] != ref, "coverage"]
    sweep_headers = {k: tr(f"sweep.th.{k}", ref=ACTIVATIONS[ref].label_for(tr.lang),
                           cov=f"{100 * cov.min():.0f}" if len(cov) else "—")
                     for k in cmp.SWEEP_COLUMNS}
    shown = cmp.format_sweep(stats, sweep_headers, never=tr("never"), init_labels=False,
                             lang=tr.lang)
    shown[sweep_headers["init"]] = [lang.option_label("init", i, cmp.INITIALISERS[i].label)
                                    for i in stats["init"]]
    display.table(shown, out)
    out.caption(tr("sweep.ratio_note", ref=ACTIVATIONS[ref].label_for(tr.lang)) + "  \n" +
                tr("sweep_time", n=n_seeds, k=len(acts), secs=cmp.sweep_wall_time(hist)))
data.export_panel(tr, recs, base, PAGE)
display.note(tr("share_hint"))
