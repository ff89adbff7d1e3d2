"""A throwaway app that exercises the browser helpers (tests/browser/test_harness_smoke.py).

It is not part of Activation Explorer: it has one widget of each kind the helpers drive (a
selectbox, a 40-option selectbox, a number input, sliders in the main area and the sidebar, a
select_slider, a sidebar language selectbox), two Altair charts whose data follow the widgets,
a slow-rerun switch and a button that raises, plus one status line the tests read back.
"""

import math
import time

import altair as alt
import pandas as pd
import streamlit as st

st.set_page_config(page_title="Browser harness", layout="wide")

fn = st.selectbox("Function", ["sin", "cos", "square"])
act = st.selectbox("Activation", [f"act{i}" for i in range(40)])
n = st.number_input("Points", min_value=10, max_value=500, value=50, step=1)
amp = st.slider("Amplitude", min_value=0.5, max_value=5.0, value=1.0, step=0.5)
lr = st.select_slider("Learning rate", options=["0.001", "0.003", "0.01", "0.03", "0.1"],
                      value="0.01")
delay = st.selectbox("Delay", ["0", "2"])
width = st.sidebar.slider("Width", min_value=1, max_value=10, value=3)
lang = st.sidebar.selectbox("Language / 语言", ["English", "中文"])
if st.button("Boom"):
    raise RuntimeError("boom on purpose")

if delay != "0" and fn != "sin":
    with st.spinner("working…"):
        time.sleep(float(delay))

f = {"sin": math.sin, "cos": math.cos, "square": lambda x: x * x}[fn]
xs = [i / (int(n) - 1) * 2 * math.pi for i in range(int(n))]
df = pd.DataFrame({"x": xs, "y": [amp * f(x) for x in xs]})
st.markdown(f"fn={fn} act={act} n={int(n)} amp={amp} width={width} lr={lr} "
            f"lang={lang} delay={delay}")
left, right = st.columns(2)
left.altair_chart(alt.Chart(df).mark_line().encode(x="x", y="y"))
right.altair_chart(alt.Chart(df.head(max(2, width * 5))).mark_bar().encode(x="x", y="y"))
