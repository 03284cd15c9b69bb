"""Streamlit adapter: pages, their controls, the session state. No physics: it calls the engine."""
