"""Streamlit dashboards reading the published warehouse."""
