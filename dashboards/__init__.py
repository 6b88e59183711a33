"""Streamlit dashboards on the published warehouse (read-only)."""
