"""Tests of the coverage dlt source and its dbt staging models."""
