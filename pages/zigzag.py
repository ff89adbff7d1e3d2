import streamlit as st

st.title("zigzag")
st.info("This page is being built.")
