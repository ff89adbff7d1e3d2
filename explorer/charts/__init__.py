"""Chart builders: pure functions from run records (or plain DataFrames) to Altair charts.

No Streamlit here: every builder is tested by building its chart and inspecting the spec.
Modules: ``palette`` (one colour per activation, the same on every page), ``core`` (boundary,
loss/accuracy curves; re-exports ``style``: text, formats, axes, titles, projector fonts, and
``layers``: per-layer histograms, layer tables, summary), ``compare``, ``network``, the labs'.
"""
