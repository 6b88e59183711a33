"""Local HTTP servers that speak the real APIs for one simulated company.

``SimulatorServers`` starts one threaded server per API on 127.0.0.1 (ephemeral ports
unless given), exposes their base URLs and the valid credentials, counts requests per
endpoint template, and switches faults on and off per source.
"""

from __future__ import annotations

import threading
from collections import Counter
from types import TracebackType
from typing import Any

from simulator.model import Company
from simulator.servers.artifacts import ArtifactsApi
from simulator.servers.backstage import BackstageApi
from simulator.servers.datadog import DatadogApi
from simulator.servers.faults import FAULT_KINDS
from simulator.servers.framework import ApiServer, RunningServer
from simulator.servers.github import GitHubApi
from simulator.servers.okta import OktaApi
from simulator.servers.pagerduty import PagerDutyApi
from simulator.servers.prometheus import PrometheusApi

SOURCES = ("github", "okta", "pagerduty", "datadog", "prometheus", "artifacts", "backstage")

DEFAULT_CREDENTIALS: dict[str, dict[str, str]] = {
    "github": {"token": "ghp_simulatorToken0000000000000000000000"},
    "okta": {"token": "00sim-okta-ssws-token-0000000000000000000"},
    "pagerduty": {"api_key": "u+simulatorPagerDutyKey0"},
    "datadog": {
        "api_key": "5im0000000000000000000000000dd01",
        "application_key": "5im000000000000000000000000000000000dd01",
    },
    "prometheus": {},
    "artifacts": {"bearer_token": "sim-artifacts-token-0001"},
    "backstage": {"token": "sim-backstage-static-token-0001"},
}

_APIS: dict[str, type[ApiServer]] = {
    "github": GitHubApi,
    "okta": OktaApi,
    "pagerduty": PagerDutyApi,
    "datadog": DatadogApi,
    "prometheus": PrometheusApi,
    "artifacts": ArtifactsApi,
    "backstage": BackstageApi,
}

__all__ = ["FAULT_KINDS", "SOURCES", "SimulatorServers"]


class SimulatorServers:
    """All simulated APIs of one company, each on its own port.

    ``ports`` maps a source to a fixed port (0 or missing = ephemeral).
    ``prometheus_token`` turns on bearer auth for Prometheus (off by default, as in a
    stock Prometheus); ``credentials`` overrides the default valid credentials.
    """

    def __init__(
        self,
        company: Company,
        host: str = "127.0.0.1",
        ports: dict[str, int] | None = None,
        prometheus_token: str | None = None,
        credentials: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.company = company
        self.host = host
        self.ports = dict(ports or {})
        unknown = set(self.ports) - set(SOURCES)
        if unknown:
            raise ValueError(
                f"unknown sources in ports: {sorted(unknown)}; known: {', '.join(SOURCES)}"
            )
        self._credentials = {k: dict(v) for k, v in DEFAULT_CREDENTIALS.items()}
        for source, values in (credentials or {}).items():
            self._credentials[source] = dict(values)
        if prometheus_token:
            self._credentials["prometheus"] = {"bearer_token": prometheus_token}
        self._stats: Counter[tuple[str, str]] = Counter()
        self._stats_lock = threading.Lock()
        self.apis: dict[str, ApiServer] = {
            source: cls(company, self._credentials[source], self._stats, self._stats_lock)
            for source, cls in _APIS.items()
        }
        self._running: dict[str, RunningServer] = {}

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> SimulatorServers:
        if self._running:
            return self
        try:
            for source in SOURCES:
                server = RunningServer(self.apis[source], self.host, self.ports.get(source, 0))
                server.start()
                self._running[source] = server
        except OSError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self._running.values():
            server.stop()
        self._running.clear()

    def __enter__(self) -> SimulatorServers:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what clients need ----------------------------------------------------------------

    @property
    def base_urls(self) -> dict[str, str]:
        """``{source: "http://127.0.0.1:PORT"}`` for the running servers."""
        if not self._running:
            raise RuntimeError("the simulator servers are not started; call start() first")
        return {
            source: f"http://{self.host}:{server.port}" for source, server in self._running.items()
        }

    def base_urls_as_of(self, as_of: Any) -> dict[str, str]:
        """Base URLs that show the company as of a past date (``/_as_of/YYYY-MM-DD``)."""
        return {
            source: f"{url}/_as_of/{as_of.isoformat()}" for source, url in self.base_urls.items()
        }

    @property
    def credentials(self) -> dict[str, dict[str, str]]:
        """Valid credentials per source (copies; changing them changes nothing)."""
        return {k: dict(v) for k, v in self._credentials.items()}

    # -- measurements ----------------------------------------------------------------------

    def stats(self) -> dict[tuple[str, str], int]:
        """Requests so far per ``(source, "METHOD /endpoint/{template}")``."""
        with self._stats_lock:
            return dict(self._stats)

    def reset_stats(self) -> None:
        with self._stats_lock:
            self._stats.clear()

    # -- faults ------------------------------------------------------------------------------

    def set_fault(self, source: str, kind: str, **params: Any) -> dict[str, Any]:
        """Switch a fault on for one source; returns the effective parameters.

        Kinds and their parameters (defaults in ``servers/faults.py``):
        ``rate_limit(count, reset_seconds, variant)``, ``server_errors(count, status)``,
        ``slow(seconds, count)``, ``malformed_json(count)``,
        ``broken_pagination(mode, count)``, ``expired_token(count)``.
        """
        if source not in self.apis:
            raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
        return self.apis[source].faults.set(kind, **params)

    def clear_faults(self, source: str | None = None) -> None:
        for name, api in self.apis.items():
            if source is None or name == source:
                api.faults.clear()

    def faults(self) -> dict[str, dict[str, dict[str, Any]]]:
        return {name: api.faults.snapshot() for name, api in self.apis.items()}
