"""Activation Explorer: the entry file only registers the pages and runs the chosen one."""

import streamlit as st

from explorer.texts.nav import PAGES, nav_title

projector = st.query_params.get("projector") in ("1", "true", "on")
st.set_page_config(page_title="Activation Explorer", page_icon="📈", layout="wide",
                   initial_sidebar_state="collapsed" if projector else "expanded")

lang = st.query_params.get("lang", "en")
pages = [st.Page(f"pages/{name}.py", title=nav_title(name, lang), icon=icon,
                 url_path=name if name != "home" else None, default=name == "home")
         for name, icon in PAGES]
st.navigation(pages, position="sidebar").run()
