"""Streamlit adapter: pages, widgets and session state. No physics here; it calls the engine."""
