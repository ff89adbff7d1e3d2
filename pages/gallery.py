"""Activation gallery: f and f' of every registered activation, its properties, the share of
inputs in its flat region, and its cost measured on this server."""

import streamlit as st

from explorer import ACTIVATIONS
from explorer.app import display, lang, memo, runs, state
from explorer.charts import core
from explorer.charts import gallery as charts
from explorer.labs import cost as cost_lab
from explorer.labs import gallery as lab
from explorer.texts.gallery import TEXT

tr = state.page_setup(TEXT)
ALL = ACTIVATIONS.names()
VIEWS = ["grid", "overlay"]


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 4, ttl=6 * 3600)
def measured_cost(names: tuple[str, ...], shape: tuple[tuple[str, float], ...]):
    """Per machine: measured once, then reused by every visitor (bounded cache); the table
    carries the time it was measured (shown with its age at display time)."""
    return cost_lab.measure_cost(names, dict(shape))


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 32)
def summary(names: tuple[str, ...], params: tuple[tuple[str, float], ...], mean: float,
            sd: float):
    return lab.summary(names, dict(params), mean, sd)


# the page's tables and charts are built from these (pure: their arguments say everything, so
# memo.value / display.spec keep them for the next visitor of the same view)
def summary_table(names, params, mean, sd, lang):
    return core.relabel(summary(names, params, mean, sd), lang)  # page language


def cost_table(names, shape, shown, lang, measured_at):
    """The measured cost of the activations shown (``measured_at``: which measurement)."""
    cost = measured_cost(names, shape)
    return core.relabel(cost[cost["name"].isin(shown)].reset_index(drop=True), lang)


def curve_table(names, params, zmax, lang):
    return core.relabel(lab.curves(list(names), dict(params), zmax), lang)


def flat_shares(table, name):
    row = table.set_index("name").loc[name]
    return float(row["flat"]), float(row["zero"])


def panel(name, table, curves, pdf, params, zmax, tr, **kw):
    """The grid's panel of activation ``name``."""
    act = ACTIVATIONS[name]
    row = table.set_index("name").loc[name]
    curve = curves[curves["name"] == name]
    bands = lab.panel_bands(curve, row["peak"])
    pieces = lab.maxout_pieces(lab.pieces_k(act, dict(params)), zmax) if act.pieces else None
    return charts.panel_chart(curve, tr, pdf, bands, pieces, zmax=zmax, **kw)


def cost_note(cost_shown):
    return cost_lab.exp_split(cost_shown), cost_lab.order_text(cost_lab.cost_order(cost_shown))


def view_slider(box, key: str, label: str, help_: str) -> float:
    """A slider of the gallery's view setting ``key`` (its bounds and step from the table)."""
    f = state.views()["gallery"][key]
    wkey = f"gallery.{key}"
    if wkey not in st.session_state:
        st.session_state[wkey] = state.view_value(tr, "gallery", key)
    if f.kind == "int":
        value = box.slider(label, int(f.lo), int(f.hi), step=1, key=wkey, help=help_)
    else:
        value = box.slider(label, f.lo, f.hi, step=f.step, key=wkey, help=help_)
    state.write_view("gallery", **{key: value})
    return value


# ---------------------------------------------------------------------------- controls
head = st.container()  # title first; projector mode: the input controls in a bar under it
bar = st.columns([1, 1, 1], vertical_alignment="bottom") if display.projector_mode() else None
inputs_box = None if bar else st.sidebar.expander(tr("sec_inputs"), expanded=True)
with bar[0] if bar else inputs_box:
    mean = view_slider(st, "mean", tr("mean"), tr("mean_help"))
with bar[1] if bar else inputs_box:
    sd = view_slider(st, "sd", tr("sd"), tr("sd_help"))

params = {}
with st.sidebar.expander(tr("sec_params"), expanded=True):
    for spec in lab.param_specs():
        label = tr(f"param.{spec.field}") if tr.has(f"param.{spec.field}") else spec.label
        help_ = tr("param_help", label=label, lo=spec.lo, hi=spec.hi, default=spec.default)
        params[spec.field] = view_slider(st, spec.field, label, help_)

sidebar_view = st.sidebar.expander(tr("sec_view"), expanded=True)
with bar[2] if bar else sidebar_view:
    if "gallery.view" not in st.session_state:
        st.session_state["gallery.view"] = state.view_value(tr, "gallery", "view")
    view = st.segmented_control(tr("view"), VIEWS, key="gallery.view", required=True,
                                format_func=lang.labels({v: tr(f"view.{v}") for v in VIEWS}),
                                help=tr("view_help"))
    state.write_view("gallery", view=view)
with sidebar_view:
    if "gallery.acts" not in st.session_state:
        st.session_state["gallery.acts"] = state.view_value(tr, "gallery", "acts")
    shown = st.multiselect(tr("acts"), ALL, key="gallery.acts", help=tr("acts_help"),
                           format_func=lang.activation_labels(ALL, tr.lang))
    shown = [n for n in ALL if n in shown]  # registry order
    state.write_view("gallery", acts=shown or ALL)

# ---------------------------------------------------------------------------- page body
with head:
    display.header(tr("title"), tr("intro"), tr("about_page"))
if not shown:
    st.info(tr("none_selected"))
    st.stop()

key_params = tuple(sorted(params.items()))
table = memo.derived(summary_table, tuple(shown), key_params, mean, sd, tr.lang)
cost_shape = tuple(sorted(lab.cost_params(params).items()))
with st.spinner(tr("measuring")):
    cost = measured_cost(tuple(ALL), cost_shape)
cost_shown = memo.derived(cost_table, tuple(ALL), cost_shape, tuple(shown), tr.lang,
                          float(cost["measured_at"].iloc[0]))
nums = memo.value(lab.verdict_numbers, table, cost_shown, sep=lang.list_sep(tr.lang))
when_kind, when_fmt = cost_lab.measured_when(float(cost["measured_at"].iloc[0]), cost_lab.wall())
when = tr(f"when.{when_kind}", **when_fmt)  # its age, computed now (the table is cached)

def show_verdict() -> None:
    """What the numbers say (computed from the table shown below)."""
    with st.container(border=True):
        st.markdown(f"**{tr('verdict_header')}**")
        st.markdown("- " + tr("verdict.peak", label=nums["low_label"], peak=nums["low_peak"],
                              z=nums["low_z"], gain=nums["low_gain"]))
        if nums["n_sat"]:
            st.markdown("- " + tr("verdict.sat", mean=mean, sd=sd, items=nums["sat_list"]))
        if nums["n_zero"]:
            st.markdown("- " + tr("verdict.zero", items=nums["zero_list"]))
        if nums["n_free"]:
            st.markdown("- " + tr("verdict.free", items=nums["free_labels"]))
        if nums.get("n_exp"):
            st.markdown("- " + tr("verdict.cost", ratio=nums["exp_ratio"], n=nums["n_exp"],
                                  lin_ratio=nums["lin_ratio"], n_lin=nums["n_lin"],
                                  slow=nums["slow_label"], slow_ratio=nums["slow_ratio"],
                                  when=when))
        else:
            st.markdown("- " + tr("verdict.cost_noexp", slow=nums["slow_label"],
                                  slow_ratio=nums["slow_ratio"], when=when))


if not display.projector_mode():  # projector mode: below the panels (they come first)
    show_verdict()

zmax = lab.z_limit(mean, sd)
curves = memo.derived(curve_table, tuple(shown), key_params, zmax, tr.lang)
pdf = memo.derived(charts.pdf_frame, mean, sd, zmax)

if view == "grid":
    display.note(tr("grid_caption"))
    n_cols = 3
    for start in range(0, len(shown), n_cols):
        cols = st.columns(n_cols, gap="medium")
        for col, name in zip(cols, shown[start:start + n_cols], strict=False):
            act = ACTIVATIONS[name]
            flat, zero = memo.value(flat_shares, table, name)
            sub = tr("flat_share", flat=f"{flat:.1%}", zero=f"{zero:.1%}")
            with col:
                display.show_chart(display.spec(panel, name, table, curves, pdf, key_params, zmax, tr,
                                                      title=act.label_for(tr.lang), subtitle=sub,
                                                      width=display.px(280), height=display.px(270)),
                                   width="stretch")
                st.latex(lab.latex_lines(act.formula))
                st.latex(lab.latex_lines(act.dformula))
                display.note(act.notes_for(tr.lang))
                if act.pieces:
                    st.caption(tr("maxout_caption", k=lab.pieces_k(act, params)))
                if act.learned:
                    st.caption(tr("prelu_caption", a=lab.act_param(act, params)))
else:
    left, right = st.columns(2, gap="large")
    big = {"width": display.px(560), "height": display.px(460)}
    with left:
        display.show_chart(display.spec(charts.overlay_chart, curves, "f", tr, title=tr("overlay_f"), zmax=zmax,
                                                **big), width="stretch")
    with right:
        display.show_chart(display.spec(charts.overlay_chart, curves, "df", tr, pdf=pdf, title=tr("overlay_df"),
                                                zmax=zmax, **big), width="stretch")
    display.note(tr("grid_caption"))
    st.subheader(tr("formulas"))
    cols = st.columns(3, gap="medium")
    for i, name in enumerate(shown):
        act = ACTIVATIONS[name]
        with cols[i % 3].container(border=True):
            st.markdown(f"**{act.label_for(tr.lang)}**")
            st.latex(act.formula)
            st.latex(act.dformula)

if display.projector_mode():
    show_verdict()
st.subheader(tr("numbers_header"))
left, right = st.columns(2, gap="large")
with left:
    display.show_chart(display.spec(charts.share_chart, table, tr, width=display.px(520)), width="stretch")
with right:
    display.show_chart(display.spec(charts.cost_chart, cost_shown, tr, width=display.px(520)), width="stretch")
split, order = memo.value(cost_note, cost_shown)
display.note(" ".join(
    [tr("cost_order", order=order,
        tie=cost_lab.COST_TIE)]
    + ([tr("cost_split.holds")] if split["holds"] else [])
    + ([tr("cost_split.fails", items=lang.list_sep(tr.lang).join(split["exceptions"]),
           tie=cost_lab.COST_TIE, dear=split["dearest_lin"])] if split["holds"] is False else [])
    + [tr("cost_caption", when=when, rounds=cost_lab.COST_ROUNDS, n=cost_lab.COST_N,
          block=cost_lab.COST_BLOCK, stat=tr(f"stat.{cost_lab.STATISTIC}"))]))

st.subheader(tr("table_header"))
display.table(memo.value(charts.properties_frame, table, tr), height=38 + 35 * len(shown))
st.subheader(tr("measured_header"))
display.table(memo.value(charts.measured_frame, table, cost_shown, tr), height=38 + 35 * len(shown))
