"""A simulated company and local servers that speak the real APIs.

- ``generate_company(seed, services, today)`` — a deterministic organisation
- ``write_catalog`` / ``write_custom_data`` / ``write_coverage`` — its files
- ``SimulatorServers`` — GitHub, Okta, PagerDuty, Datadog, Prometheus and an artifact
  store on 127.0.0.1, with history (``/_as_of/YYYY-MM-DD``), faults and counters
- ``serve_forever`` — the blocking entry point behind ``readiness simulator``
- ``rule_outcomes`` — the sixteen template rules evaluated from the model (ground truth)
"""

from simulator.catalog import write_catalog, write_coverage, write_custom_data
from simulator.company import generate_company
from simulator.expected import level_distribution, rule_outcomes
from simulator.model import Company
from simulator.serve import serve_forever
from simulator.servers import SimulatorServers

__all__ = [
    "Company",
    "SimulatorServers",
    "generate_company",
    "level_distribution",
    "rule_outcomes",
    "serve_forever",
    "write_catalog",
    "write_coverage",
    "write_custom_data",
]
