"""Tests of the datadog dlt source and its dbt staging models."""
