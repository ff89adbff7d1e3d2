"""The app shell around the pages (``streamlit_app.py``): the titled navigation and the run
of the chosen page (its turn at the server's gate, the refresh of the widgets' values)."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from ..gate import Gate, Left, capacity_from_env
from . import runs, state
from .lang import COMMON
from .state import REFRESH

__all__ = ["GATE", "run_page", "show_titled_navigation"]


#: full script runs of the pages, first come first served (explorer/gate.py; issue 26)
GATE = Gate(capacity_from_env())
#: seconds a run waits at the gate before the page shows its place
SHOW_AFTER = 1.0


def run_page(page: Any) -> None:
    """Run the chosen ``page`` (``st.navigation``'s) once it is its turn at :data:`GATE`
    (while it waits over ``SHOW_AFTER`` s the page shows its place in the queue). A refresh (see
    ``state.widget_key``) lasts until a run ends, also by ``st.stop()``: a run interrupted by
    the browser's next change has not sent every widget, so the next run sends them again."""
    sid, start, note = runs.session_id(), time.monotonic(), []

    def waiting(ahead: int) -> None:
        if time.monotonic() - start >= SHOW_AFTER:
            if not note:
                note.append(st.empty())
            lang = state.lecture_state()[0]
            note[0].info(COMMON.get(lang, COMMON["en"])["page_queue"].format(place=ahead + 1),
                         icon=":material/hourglass_top:")

    try:
        with GATE.run(alive=lambda: not st.runtime.exists() or runs.is_active(sid),
                      on_wait=waiting):
            if note:
                note[0].empty()
            page.run()
    except Left:  # the tab was closed while it waited
        st.stop()
    except StopException:
        st.session_state.pop(REFRESH, None)
        raise
    st.session_state.pop(REFRESH, None)


def show_titled_navigation() -> None:
    """Let ``st.navigation`` draw the sidebar navigation.

    ``.streamlit/config.toml`` sets ``client.showSidebarNavigation = false`` so that a cold
    server's first run, which Streamlit makes in its legacy ``pages/`` folder mode, shows no
    navigation of raw file names ("streamlit app", "dead relu"); the entry file calls this before
    ``st.navigation``, which then draws the titled pages. Streamlit leaves that legacy mode after
    the first ``st.navigation`` call, so the option stays on for the life of the process.
    """
    from streamlit import config

    if config.get_option("client.showSidebarNavigation") is False:
        config.set_option("client.showSidebarNavigation", True, "explorer.app.shell")
