"""The Streamlit layer: every module of the package that imports Streamlit is here.

``lang`` (the page's translator), ``state`` (URL and lecture state, widget keys), ``display``
(projector mode, charts, notes, notices), ``sidebar`` (config widgets, presets, the settings
loader), ``runs`` (the one way a page gets run records: caches, training slots, background
jobs), ``player`` (the live player and its state in the session), ``data`` (upload, export).
Imports go one way: lang <- display <- state <- sidebar <- player, lang <- runs <- player,
state <- data (no cycle, no private name across modules).
"""
