"""Streamlit entry point for dbssim (thin: the pages will live in ``dbssim/ui/``)."""

import streamlit as st

st.set_page_config(page_title="dbssim", layout="wide")

st.title("dbssim — DBS programming simulator")
st.write(
    "dbssim is a deep brain stimulation programming simulator for neurology trainees and "
    "educators. On simulated patients, starting with dystonia treated by GPi stimulation, "
    "you choose a lead, contacts and stimulation settings and see how they trade benefit "
    "against side effects. It is a teaching tool, not a clinical device; the programming "
    "pages are being built."
)
