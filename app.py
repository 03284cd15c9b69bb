"""Streamlit entry point for dbssim: page config, state, navigation (pages: dbssim/ui/)."""

import streamlit as st

from dbssim.ui import navigation, state

st.set_page_config(page_title="dbssim — DBS programming simulator", page_icon="🧠", layout="wide")
state.init_state()
navigation.render()
