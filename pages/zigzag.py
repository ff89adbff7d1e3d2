"""Zig-zag updates (claim 3): a two-weight neuron on all-positive vs zero-centred inputs, and
the same-sign share of the updates, layer by layer, in real sigmoid and tanh networks."""

import streamlit as st

from explorer import DATASETS
from explorer.app import data, display, lang, memo, runs, sidebar, state
from explorer.charts import core
from explorer.charts import zigzag as charts
from explorer.labs import budget
from explorer.labs import zigzag as zz
from explorer.texts.zigzag import TEXT

tr = state.page_setup(TEXT)
PAGE = "zigzag"
KINDS = list(zz.INPUT_KINDS)
NET_SHOWN = ["dataset", "n_samples", "noise", "seed", "hidden", "init", "lr", "batch_size",
             "epochs"]


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 32)
def toy(kinds: tuple[str, ...], lr: float, steps: int, seed: int, output: str):
    toy_runs = {k: zz.run_neuron(k, lr, steps, seed, output) for k in kinds}
    sweep = zz.seed_sweep(lr, steps, seed, output, kinds)
    box = zz.bounds(toy_runs)
    grids = {k: zz.loss_grid(k, seed, output, box) for k in kinds}
    moments = {k: zz.input_moments(k, seed) for k in kinds}
    return toy_runs, sweep, box, grids, moments


def toy_view(kinds: tuple[str, ...], lr: float, steps: int, seed: int, output: str) -> dict:
    """The toy's runs and what the page shows of them, one value (shared: memo.value)."""
    toy_runs, sweep, box, grids, moments = toy(kinds, lr, steps, seed, output)
    return {"runs": toy_runs, "sweep": sweep, "box": box, "grids": grids, "moments": moments,
            "nums": zz.toy_verdict(toy_runs, sweep), "paths": zz.path_frame(toy_runs)}


def toy_chart(name: str, args: tuple, tr, **kw):
    """The toy's chart ``name`` (contour.<kind>, distance, quadrant, sweep) of the toy run
    with ``args`` (see :func:`toy_view`)."""
    v = memo.value(toy_view, *args)
    kinds = list(args[0])
    if name.startswith("contour."):
        k = name.split(".", 1)[1]
        return charts.contour_chart(v["grids"][k], v["paths"], k, tr, v["box"], **kw)
    if name == "distance":
        return charts.distance_chart(v["paths"], kinds, tr, zz.TOL, **kw)
    if name == "quadrant":
        return charts.quadrant_chart(zz.quadrant_table(v["runs"]), kinds, tr, **kw)
    return charts.sweep_chart(v["sweep"], kinds, tr, int(args[2]), **kw)


# ---------------------------------------------------------------------------- controls
head = st.container()  # title first; projector mode: the neuron's controls in a bar under it
if display.projector_mode():
    slots = st.columns([3.3, 3.4, 1.6, 1.3], vertical_alignment="bottom")  # labels fit at 1280
else:
    slots = [st.sidebar.expander(tr("sec_neuron"), expanded=True)] * 4
with slots[0]:
    if "zigzag.inputs" not in st.session_state:
        st.session_state["zigzag.inputs"] = state.view_value(tr, PAGE, "inputs")
    kinds = st.pills(tr("inputs"), KINDS, selection_mode="multi", key="zigzag.inputs",
                     format_func=lang.labels({k: tr(f"kind_short.{k}") for k in KINDS}),
                     help=tr("inputs_help"))
    kinds = [k for k in KINDS if k in (kinds or [])]
    state.write_view(PAGE, inputs=kinds or KINDS)

with slots[1]:
    if "zigzag.out" not in st.session_state:
        st.session_state["zigzag.out"] = state.view_value(tr, PAGE, "out")
    output = st.segmented_control(tr("out"), list(zz.OUTPUTS), key="zigzag.out", required=True,
                                  format_func=lang.labels({o: tr(f"out.{o}") for o in zz.OUTPUTS}),
                                  help=tr("out_help"))
    state.write_view(PAGE, out=output)

with slots[2]:
    if "zigzag.nlr" not in st.session_state:
        st.session_state["zigzag.nlr"] = state.view_value(tr, PAGE, "nlr")
    grid = sorted(set(zz.LR_GRID) | {float(st.session_state["zigzag.nlr"])})
    lr = st.select_slider(tr("nlr"), grid, key="zigzag.nlr", help=tr("nlr_help"),
                          format_func=lang.labels({v: f"{v:g}" for v in grid}))
    state.write_view(PAGE, nlr=lr)

with slots[3]:
    if "zigzag.steps" not in st.session_state:
        st.session_state["zigzag.steps"] = state.view_value(tr, PAGE, "steps")
    steps = st.number_input(tr("steps"), 10, zz.MAX_STEPS, step=50, key="zigzag.steps",
                            help=tr("steps_help"))
    state.write_view(PAGE, steps=steps)
    display.note(tr("seed_note"))

settings_box, loader_box = st.sidebar.container(), st.sidebar.container()
sidebar.config_loader(tr, PAGE, zz.NET_BASE, NET_SHOWN, container=loader_box)
cfg = sidebar.config_sidebar(tr, PAGE, zz.NET_BASE, NET_SHOWN, container=settings_box)

# ---------------------------------------------------------------------------- the neuron
with head:
    display.header(tr("title"), tr("intro"), tr("about_page"))
if not display.projector_mode():  # projector mode: below the charts (they come first)
    st.latex(zz.GRAD_TEX)
if not kinds:
    st.info(tr("none_selected"))
    st.stop()

toy_args = (tuple(kinds), float(lr), int(steps), cfg.seed, output)
toy_shown = memo.value(toy_view, *toy_args)  # (shared, built once per link: never changed)
toy_runs, moments, nums = toy_shown["runs"], toy_shown["moments"], toy_shown["nums"]

# projector mode: the two contour plots right under the controls, the verdict below them
box_a, box_b = st.container(), st.container()
verdict_box, charts_box = (box_b, box_a) if display.projector_mode() else (box_a, box_b)
if display.projector_mode():
    verdict_box.latex(zz.GRAD_TEX)
with verdict_box.container(border=True):
    st.markdown(f"**{tr('verdict_header')}**")
    for k, run in toy_runs.items():
        result = (tr("result.reached", n=run.steps_to_opt) if run.steps_to_opt is not None
                  else tr("result.missed", budget=run.steps_done))
        st.markdown("- " + tr("verdict.reach", kind=tr(f"kind.{k}"), result=result, tol=zz.TOL))
        if run.diverged_at is not None:
            st.warning(tr("diverged", kind=tr(f"kind.{k}"), step=run.diverged_at))
    if len(toy_runs) == 2:
        if nums["ratio"] is not None:
            st.markdown("- " + tr("verdict.ratio", ratio=nums["ratio"]))
        st.markdown("- " + tr("verdict.same", pos=nums["positive_same"],
                              cen=nums["centred_same"]))
        st.markdown("- " + tr("verdict.sweep", first=nums["first_seed"], last=nums["last_seed"],
                              slower=nums["slower_seeds"], n=nums["n_seeds"],
                              mp=nums["median_pos"], mc=nums["median_cen"]))
        st.markdown("- " + tr("verdict.cond", m0=moments["positive"]["mean0"],
                              m1=moments["positive"]["mean1"], cp=moments["positive"]["cond"],
                              cc=moments["centred"]["cond"]))
    else:
        k = kinds[0]
        st.markdown("- " + tr("verdict.same_one", kind=tr(f"kind.{k}"), pct=nums[f"{k}_same"]))

cols = charts_box.columns(2, gap="large")
for col, k in zip(cols, kinds, strict=False):
    run = toy_runs[k]
    sub = (tr("contour.sub_reached", n=run.steps_to_opt, tol=zz.TOL)
           if run.steps_to_opt is not None
           else tr("contour.sub_missed", budget=run.steps_done, tol=zz.TOL))
    with col:
        display.show_chart(display.spec(toy_chart, f"contour.{k}", toy_args, tr, title=tr(f"kind.{k}"),
                                                subtitle=sub, width=display.pick(display.px(500), 560),
                                                height=display.pick(display.px(550), 350)),
                           width=display.pick("content", "stretch"))

c1, c2, c3 = st.columns(3, gap="medium")
small = {"width": display.px(420), "height": display.px(330)}
with c1:
    display.show_chart(display.spec(toy_chart, "distance", toy_args, tr, **small), width="stretch")
with c2:
    display.show_chart(display.spec(toy_chart, "quadrant", toy_args, tr, **small),
                  width="stretch")
with c3:
    display.show_chart(display.spec(toy_chart, "sweep", toy_args, tr, **small), width="stretch")

# ---------------------------------------------------------------------------- a real network
st.header(tr("net_header"))
display.intro(tr("net_intro"), tr("about_net"))
try:
    # both runs within the page budget
    fitted = memo.value(budget.fit, memo.derived(zz.net_configs, cfg))
    display.budget_notice(tr, fitted.reduced, len(fitted.cfgs))
    recs = runs.records(fitted.cfgs)  # stacked, as budget.page_work counts them
except ValueError as exc:
    st.error(tr("net_failed", error=exc))
    st.stop()
for rec in recs:
    display.show_divergence(tr, rec)
# run names in the page language (computed only when a view of them is built: memo.py)
table = memo.derived(core.relabel, memo.derived(zz.same_sign_layers, recs), tr.lang)
net = memo.value(zz.net_verdict, table)

with st.container(border=True):
    st.markdown(f"**{tr('verdict_header')}**")
    st.markdown("- " + tr("net.verdict_first", s=net["sigmoid_first"], t=net["tanh_first"]))
    st.markdown("- " + tr("net.verdict_deep", s=net["sigmoid_deep"], t=net["tanh_deep"]))
    st.markdown("- " + tr("net.verdict_batch", s=net["sigmoid_deep_batch"],
                          t=net["tanh_deep_batch"]))

left, right = st.columns(2, gap="large")
big = {"width": display.px(560), "height": display.px(360)}
with left:
    display.show_chart(display.spec(charts.layer_chart, table, "per_sample", tr, tr("chart.sample"),
                                          tr("chart.sample_sub"), **big), width="stretch", export=(PAGE, recs))
with right:
    display.show_chart(display.spec(charts.layer_chart, table, "per_batch", tr, tr("chart.batch"),
                                          tr("chart.batch_sub"), **big), width="stretch", export=(PAGE, recs))
dataset = DATASETS[cfg.dataset]
st.caption(tr("net_caption", hidden="-".join(str(h) for h in cfg.hidden),
              dataset=dataset.label_for(tr.lang),
              epochs=cfg.epochs, batch=cfg.batch_size, lr=cfg.lr, seed=cfg.seed,
              acc_s=recs[0].final()["train_acc"], acc_t=recs[1].final()["train_acc"]))
data.export_panel(tr, recs, cfg, PAGE)
display.note(tr("share_hint"))
