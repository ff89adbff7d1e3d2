"""Home: what the app is for, and a link to every page."""

import streamlit as st

from explorer.app import state
from explorer.texts.home import TEXT
from explorer.texts.nav import PAGES, nav_title

tr = state.page_setup(TEXT)
st.title(tr("title"))
st.markdown(tr("intro"))
cols = st.columns(3)
for i, (name, icon) in enumerate(PAGES[1:]):
    with cols[i % 3].container(border=True):
        state.page_link(name, label=nav_title(name, tr.lang), icon=icon,
                        query_params=state.lecture_query())  # the room's language and projector
        st.caption(tr(f"about.{name}"))
st.caption(tr("footer"))
