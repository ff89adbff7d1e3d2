import streamlit as st

st.title("vanishing")
st.info("This page is being built.")
