"""The pages' view settings in the URL (explorer/app/state.py ``views()``): one table of every
page setting that is not a config field, spelled into the URL by one writer and read back
with a notice for a bad value."""

from __future__ import annotations

import math

import pytest
from streamlit.testing.v1 import AppTest

from explorer.app.state import ViewField, views
from explorer.config import FIELDS

LECTURE = {"lang", "projector", "data"}


def _other(f: ViewField, default):
    """A valid value other than the default."""
    if f.kind == "bool":
        return not default
    if f.kind == "int":
        return int(f.lo) if default != f.lo else int(f.hi)
    if f.kind == "float":
        return f.lo if default != f.lo else f.hi
    if f.kind == "choice":
        return next(c for c in f.choices if c != default)
    return [c for c in f.choices if c not in default][:1] or list(default)[:1]


def _cases():
    for page, fields in views().items():
        for name, f in fields.items():
            default = f.default if f.default is not None else (
                f.choices[0] if f.kind == "choice" else 1)
            yield pytest.param(page, name, default, id=f"{page}.{name}")


@pytest.mark.parametrize(("page", "name", "default"), list(_cases()))
def test_default_is_left_out_and_another_value_is_spelled(page, name, default):
    f = views()[page][name]
    assert f.text(default, None if f.default is not None else default) is None
    other = _other(f, default)
    text = f.text(other, None if f.default is not None else default)
    assert text is not None and text.strip() == text and "&" not in text
    if f.kind == "bool":
        assert text == str(int(other))
    elif f.kind == "names":
        assert text.split("-") == list(other)


def test_view_keys_are_distinct_and_not_config_or_lecture_keys():
    for page, fields in views().items():
        keys = [f.key for f in fields.values()]
        assert len(set(keys)) == len(keys), page
        assert not set(keys) & LECTURE, page
        # a config field on a page's own widget (a slope slider) has the config's bounds
        for f in fields.values():
            if f.key in FIELDS and FIELDS[f.key].kind == "float":
                assert (f.lo, f.hi) == (FIELDS[f.key].lo, FIELDS[f.key].hi) or \
                    page == "gallery", (page, f.key)


def _read_script():
    import streamlit as st

    from explorer.app import state
    from explorer.app.lang import Tr

    tr = Tr({}, "en")
    page, name = st.session_state["case"]
    st.session_state["got"] = state.view_value(tr, page, name, st.session_state.get("default"))


@pytest.mark.parametrize(("page", "name", "raw", "expected", "notice"), [
    ("compare", "acts", "relu-tanh", ["relu", "tanh"], False),
    ("compare", "acts", "relu-relu", list(views()["compare"]["acts"].default), True),
    ("compare", "protocol", "0", False, False),
    ("play", "show_test", "2", True, True),
    ("gallery", "mean", "1.3", 1.5, False),  # snapped to the slider's step
    ("gallery", "mean", "nan", views()["gallery"]["mean"].default, True),
    ("zigzag", "nlr", "0.25", 0.25, False),
    ("lesson", "step", "99", 1, True),
])
def test_a_url_value_is_read_back_or_reported(page, name, raw, expected, notice):
    at = AppTest.from_function(_read_script)
    at.session_state["case"] = (page, name)
    at.query_params[views()[page][name].key] = raw
    at.run(timeout=60)
    assert not at.exception
    got = at.session_state["got"]
    if isinstance(expected, float):
        assert math.isclose(got, expected)
    else:
        assert got == expected
    assert bool(at.warning) == notice
