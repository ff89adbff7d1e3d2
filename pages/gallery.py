import streamlit as st

st.title("gallery")
st.info("This page is being built.")
