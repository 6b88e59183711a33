"""Sending initiative notifications: the Dagster step after publish, and `readiness notify`."""
