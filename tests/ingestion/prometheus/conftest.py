"""A 40-service simulated company and its servers, shared by this folder's tests."""

from tests.ingestion.datadog.source_support import _clean_servers, company, servers

__all__ = ["_clean_servers", "company", "servers"]
