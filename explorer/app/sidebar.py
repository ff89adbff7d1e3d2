"""The sidebar: one widget per config field bound to the URL (``config_sidebar``), presets
that set those widgets (``apply_preset``) and the settings-file loader (``config_loader``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from ..activations import ACTIVATIONS
from ..config import FIELDS, Field, TrainConfig, build_config, format_value, parse_value
from ..datasets import DATASETS
from ..export import config_from_json
from ..features import FEATURES
from ..initialisers import AUTO, INITIALISERS
from ..optimisers import OPTIMISERS
from . import state
from .display import notice, notice_text, projector_mode
from .lang import Tr, current_lang, option_label, user_text
from .state import VIEWER_KEYS, query, widget_key

__all__ = ["LR_GRID", "SECTIONS", "apply_preset", "config_loader", "config_sidebar",
           "field_key", "write_config", "write_fields"]

#: learning-rate choices of the log-scale slider (a URL value off the grid is inserted)
LR_GRID = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0,
           2.0, 3.0, 5.0, 10.0]
#: sidebar sections in display order
SECTIONS = {
    "data": ["dataset", "n_samples", "noise", "test_fraction", "n_classes", "seed"],
    "network": ["features", "hidden", "activation", "leaky_slope", "elu_alpha", "maxout_k",
                "layer_activations", "init", "init_scale", "bias_init"],
    "training": ["optimizer", "lr", "momentum", "batch_size", "epochs", "l2", "n_checkpoints",
                 "grid_size"],
}


def field_key(page: str, name: str) -> str:
    return f"{page}.{name}"


def _widget_value(f: Field, value: Any) -> Any:
    """Config value -> the widget's representation."""
    if f.kind == "layers":
        return format_value(f, value)
    if f.kind in ("acts", "features"):
        return list(value)
    return value


def _choices(name: str) -> tuple[list[str], Callable[[str], str]]:
    lang = current_lang()  # captured: the format functions must not read the session later
    if name == "dataset":
        return DATASETS.names(), lambda n: DATASETS[n].label_for(lang)
    if name == "activation":
        return ACTIVATIONS.names(), lambda n: ACTIVATIONS[n].label_for(lang)
    if name == "init":
        auto = Tr({}, lang)("init.auto")
        return [AUTO, *INITIALISERS.names()], lambda n: (
            auto if n == AUTO else option_label("init", n, INITIALISERS[n].label, lang))
    if name == "optimizer":
        return OPTIMISERS.names(), lambda n: option_label("opt", n, OPTIMISERS[n].label, lang)
    raise KeyError(name)


def _render(tr: Tr, page: str, name: str, container: Any, cfg: TrainConfig) -> Any:
    """One widget for one config field (value from ``cfg`` unless the session has one);
    returns its current (widget) value."""
    f = FIELDS[name]
    key = widget_key(field_key(page, name))
    if key not in st.session_state:  # (the rate widget shows the newest rate of the run)
        value = cfg.lr_changes[-1][1] if name == "lr" and cfg.lr_changes else getattr(cfg, name)
        st.session_state[key] = _widget_value(f, value)
    label, help_ = tr.field_label(name), tr.field_help(name)
    if name in ("dataset", "activation", "init", "optimizer"):
        options, fmt = _choices(name)
        return container.selectbox(label, options, format_func=fmt, key=key, help=help_)
    if name == "lr":
        grid = sorted(set(LR_GRID) | {float(st.session_state[key])})
        return container.select_slider(label, grid, key=key, help=help_,
                                       format_func=lambda v: f"{v:g}")
    if f.kind == "layers":
        return container.text_input(label, key=key, help=help_, placeholder="16-16")
    if f.kind == "features":
        return container.multiselect(label, FEATURES.names(), key=key, help=help_,
                                     format_func=lambda n: FEATURES[n].label)
    if f.kind == "int":
        if name in ("seed", "batch_size", "n_samples", "epochs"):
            return container.number_input(label, int(f.lo), int(f.hi), step=1, key=key,
                                          help=help_)
        return container.slider(label, int(f.lo), int(f.hi), key=key, help=help_)
    if f.kind == "float":
        if name in ("init_scale", "l2"):
            return container.number_input(label, float(f.lo), float(f.hi), step=0.01,
                                          format="%.4g", key=key, help=help_)
        step = 0.01 if f.hi <= 5 else 0.1
        return container.slider(label, float(f.lo), float(f.hi), step=step, key=key,
                                help=help_)
    raise KeyError(name)


def write_config(cfg: TrainConfig, base: TrainConfig) -> None:
    """Every config field into the URL: the fields that differ from ``base`` (the rest left out)."""
    for name, f in FIELDS.items():
        value = getattr(cfg, name)
        state.set_query(name, None if value == getattr(base, name) else format_value(f, value))


def write_fields(base: TrainConfig, **values: Any) -> None:
    """Config fields a page sets itself into the URL: each left out at ``base``'s value, and
    a value of None removes the field (a page that does not use it)."""
    for name, value in values.items():
        f = FIELDS[name]
        state.set_query(name, None if value is None or value == getattr(base, name)
                        else format_value(f, value))


def config_sidebar(tr: Tr, page: str, base: TrainConfig, show: Sequence[str],
                   container: Any = None, sections: bool = True) -> TrainConfig:
    """Sidebar widgets for the fields in ``show``, bound to the URL.

    Fields not shown keep the value from the URL (or ``base``), so a link can still set them.
    Returns a valid TrainConfig; problems are reported in the page, never raised.
    """
    container = container or st.sidebar
    url_cfg, errors = TrainConfig.from_query(query(), base)
    slot = st.empty()  # the URL's notice, kept until a setting changes (state.lasting_warning)
    if "layer_activations" in show and field_key(page, "layer_activations") not in st.session_state:
        st.session_state[field_key(page, "layer_activations")] = list(url_cfg.layer_activations)
    values = url_cfg.to_dict()
    problems: list[str] = []
    for section, names in SECTIONS.items():
        names = [n for n in names if n in show]
        if not names:
            continue
        box = container.expander(tr(section), expanded=True) if sections \
            else container
        for name in names:
            if name == "layer_activations":
                values[name] = _layer_acts_widget(tr, page, box, values)
                continue
            if not _relevant(name, values):
                continue
            raw = _render(tr, page, name, box, url_cfg)
            f = FIELDS[name]
            try:
                values[name] = parse_value(f, raw) if f.kind == "layers" else raw
                if f.kind == "layers":
                    TrainConfig(hidden=values[name])  # validate widths/depth now
            except ValueError as exc:
                problems.append(str(exc).split(" (")[0])
                values[name] = getattr(url_cfg, name)
    try:
        cfg = TrainConfig(**values)
    except ValueError as exc:
        cfg, more = build_config(TrainConfig, values, base)
        problems.extend(more or [str(exc)])
    state.lasting_warning("config", cfg, notice_text(tr, "url_notice", errors) if errors else None,
                          slot)
    if problems:
        notice(tr, "setting_notice", problems)
    write_config(cfg, base)
    return cfg


def _relevant(name: str, values: Mapping[str, Any]) -> bool:
    """Hide widgets whose field has no effect with the current choices."""
    acts = values.get("layer_activations") or (values.get("activation"),)
    if name == "leaky_slope":
        return "leaky_relu" in acts
    if name == "elu_alpha":
        return "elu" in acts
    if name == "maxout_k":
        return "maxout" in acts
    if name == "momentum":
        return OPTIMISERS[values["optimizer"]].uses_momentum
    if name == "n_classes":
        lo, hi = DATASETS[values["dataset"]].classes
        return lo != hi
    if name == "noise":
        return DATASETS[values["dataset"]].has_noise
    if name == "n_samples":
        return DATASETS[values["dataset"]].fixed_size is None
    return True


def _layer_acts_widget(tr: Tr, page: str, box: Any, values: dict[str, Any]) -> tuple[str, ...]:
    key = field_key(page, "layer_activations")
    current = list(st.session_state.get(key) or [])
    n = len(values["hidden"])
    on_key = widget_key(key + ".on")
    if on_key not in st.session_state:
        st.session_state[on_key] = bool(current)
    on = box.toggle(tr("custom_layers"), key=on_key, help=tr.field_help("layer_activations"))
    if not on:
        st.session_state[key] = []
        return ()
    names = ACTIVATIONS.names()
    chosen = []
    for i in range(n):
        layer_key = widget_key(f"{key}.{i}")
        default = current[i] if i < len(current) else values["activation"]
        if st.session_state.get(layer_key) not in names:
            st.session_state[layer_key] = default if default in names else names[0]
        chosen.append(box.selectbox(tr("layer_n", n=i + 1), names, key=layer_key,
                                    format_func=lambda a: ACTIVATIONS[a].label_for(tr.lang)))
    st.session_state[key] = chosen
    return tuple(chosen)


def apply_preset(page: str, base: TrainConfig, changes: Mapping[str, Any],
                 show: Sequence[str]) -> None:
    """Set the widgets of ``page`` to ``base`` with ``changes`` (use as on_click callback).

    The URL gets every field too, so widgets hidden until now (which will be drawn with a
    fresh key, see :func:`widget_key`) start from the preset's values as well.
    """
    cfg = base.replace(**changes)
    for name in show:
        if name == "layer_activations":
            st.session_state[field_key(page, name)] = list(cfg.layer_activations)
            continue
        st.session_state[widget_key(field_key(page, name), mark=False)] = \
            _widget_value(FIELDS[name], getattr(cfg, name))
    if "layer_activations" in show:
        key = field_key(page, "layer_activations")
        st.session_state[widget_key(key + ".on", mark=False)] = bool(cfg.layer_activations)
        for i, a in enumerate(cfg.layer_activations):
            st.session_state[widget_key(f"{key}.{i}", mark=False)] = a
    write_config(cfg, base)


def config_loader(tr: Tr, page: str, base: TrainConfig, show: Sequence[str],
                  container: Any = None) -> None:
    """Upload a settings JSON: sets the widgets (and so the URL) of this page.

    Call it before ``config_sidebar`` (it sets widget state, which Streamlit allows only
    before the widgets are drawn in a run). Every config field of the file goes into the URL
    (shown fields also into their widgets), and the page's own keys (``acts``, ``epoch``, ...)
    replace the current ones: their widgets are reset so the page reads them from the URL
    again. Hidden in projector mode.
    """
    if projector_mode():
        return
    errors = st.session_state.pop(f"{page}.cfgfile.errors", None)
    if errors:  # from the file loaded in the previous run
        notice(tr, "load_config_bad", errors)
    box = (container or st.sidebar).expander(tr("load_config"), icon=":material/upload_file:")
    up = box.file_uploader(tr("load_config"), type=["json"], key=f"{page}.cfgfile",
                           help=tr("load_config_help"), label_visibility="collapsed")
    if up is None:
        st.session_state.pop(f"{page}.cfgfile.done", None)
        return
    marker = (up.name, up.size, up.file_id)
    if st.session_state.get(f"{page}.cfgfile.done") == marker:
        box.caption(tr("load_config_done", name=user_text(up.name)))  # a name, not Markdown
        return
    cfg, page_keys, errors = config_from_json(up.getvalue(), base)
    if errors:
        st.session_state[f"{page}.cfgfile.errors"] = errors
    apply_preset(page, base, {n: getattr(cfg, n) for n in FIELDS}, show)
    write_config(cfg, base)
    for name in FIELDS:
        if name not in show:  # a page-level widget for a config field (e.g. a slope slider)
            st.session_state.pop(widget_key(field_key(page, name), mark=False), None)
    page_keys = {k: v for k, v in page_keys.items() if k not in VIEWER_KEYS and k not in FIELDS}
    for k in [k for k in query() if k not in FIELDS and k not in VIEWER_KEYS]:
        if k not in page_keys:
            state.set_query(k, None)
    for k, v in page_keys.items():
        state.set_query(k, v[:200])
    for k in set(page_keys) | {"epoch"}:
        st.session_state.pop(widget_key(field_key(page, k), mark=False), None)
    st.session_state[f"{page}.cfgfile.done"] = marker
    st.session_state["_run"] -= 1  # the rerun continues this run (see widget_key)
    st.rerun()
