import streamlit as st

st.title("dead_relu")
st.info("This page is being built.")
