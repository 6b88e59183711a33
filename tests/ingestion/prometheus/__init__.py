"""Tests of the prometheus dlt source and its dbt staging models."""
