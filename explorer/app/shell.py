"""The app shell around the pages (``streamlit_app.py``): the titled navigation and the run
of the chosen page."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from .state import REFRESH

__all__ = ["run_page", "show_titled_navigation"]


def run_page(page: Any) -> None:
    """Run the chosen ``page`` (``st.navigation``'s). A refresh (see :func:`widget_key`) lasts
    until a run ends, also by ``st.stop()``: a run interrupted by the browser's next change
    has not sent every widget, so the next run sends them again."""
    try:
        page.run()
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
