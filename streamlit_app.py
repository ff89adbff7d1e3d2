"""Activation Explorer: the entry file only registers the pages and runs the chosen one."""

import streamlit as st

from explorer.app import display, shell, state
from explorer.texts.nav import PAGES, nav_title

# the lecture state (language, projector) survives the sidebar's links, which drop the URL query
lang, projector = st.session_state["_ae_shell"] = state.lecture_state()
st.set_page_config(page_title="Activation Explorer", page_icon="📈", layout="wide",
                   initial_sidebar_state="collapsed" if projector else "auto")

st.html(display.PHONE_CSS)  # every page: charts no wider than a phone's screen
shell.show_titled_navigation()  # see .streamlit/config.toml: no flash of raw file names
pages = [st.Page(f"pages/{name}.py", title=nav_title(name, lang), icon=icon,
                 url_path=name if name != "home" else None, default=name == "home")
         for name, icon in PAGES]
shell.run_page(st.navigation(pages, position="sidebar"))
