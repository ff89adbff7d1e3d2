"""Chart builders: pure functions from run records (or plain DataFrames) to Altair charts.

No Streamlit here: every builder is tested by building its chart and inspecting the spec.
Modules: ``palette`` (one colour per activation, the same on every page), ``core`` (boundary,
loss/accuracy curves, per-layer histograms, layer tables), ``compare``, ``labs``.
"""
