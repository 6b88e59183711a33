"""Every source readiness loads, declared once.

Each entry names the dlt source (module and function), its title, the readiness source
its facts are filed under (Okta and GitHub teams both feed ``identity``; the Backstage
catalog API feeds ``catalog``), the catalog annotation that joins its rows to entities,
the dlt config keys it needs, the simulator API that serves it, and its freshness window.

The other lists read this one or are checked against it by ``tests/test_registry.py``:
``orchestration/ingestion/sources.py``, ``simulator/servers/__init__.py``,
``benchmarks/run.py``, ``readiness/factsdoc.py``, and on the dbt side
``int_source_snapshots.sql``, ``macros/readiness_sources.sql`` and the staging folders'
``_<source>__sources.yml``.

Freshness: ``None`` means the evaluation request's window (``Settings.freshness_days``);
a number overrides it, as dbt's var ``source_freshness_days`` does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    name: str  # dlt source name; its dataset is raw_<name>, its staging folder <name>
    module: str
    function: str
    title: str
    kind: str  # "files" or "http"
    feeds: str  # the readiness source its facts are filed under (fact `meta.source`)
    annotation: str | None  # the catalog annotation joining it to entities
    joins_on: str  # how rows reach entities, in words, when there is no annotation
    config_keys: tuple[str, ...] = ()  # dlt keys that must resolve; "a|b": either
    simulator_api: str | None = None  # the simulator server speaking its API
    freshness_days: int | None = None
    staging_folder: str | None = None  # when not its own name

    @property
    def dataset(self) -> str:
        return f"raw_{self.name}"

    @property
    def staging(self) -> str:
        return self.staging_folder or self.name


SOURCES: tuple[Source, ...] = (
    Source(
        "scorecards",
        "ingestion.scorecards",
        "scorecards_source",
        "Standards as code",
        "files",
        "scorecards",
        None,
        "not joined: the standards themselves",
    ),
    Source(
        "catalog",
        "ingestion.catalog",
        "catalog_source",
        "Backstage catalog descriptors",
        "files",
        "catalog",
        None,
        "is the entities",
    ),
    Source(
        "backstage",
        "ingestion.backstage",
        "backstage_source",
        "Backstage catalog API (entities of a running Backstage)",
        "http",
        "catalog",
        None,
        "is the entities",
        config_keys=("base_url",),
        simulator_api="backstage",
        staging_folder="catalog",
    ),
    Source(
        "custom_data",
        "ingestion.custom_data",
        "custom_data_source",
        "Custom data by entity",
        "files",
        "custom_data",
        None,
        "keyed by entity ref",
    ),
    Source(
        "github",
        "ingestion.github",
        "github_source",
        "GitHub repositories: protection, reviews, CI, commits, Dependabot alerts",
        "http",
        "github",
        "github.com/project-slug",
        "repository slug",
        config_keys=("org", "token"),
        simulator_api="github",
    ),
    Source(
        "github_teams",
        "ingestion.github_teams",
        "github_teams_source",
        "GitHub teams and their members",
        "http",
        "identity",
        None,
        "team slug = catalog group name",
        config_keys=("org", "token"),
        simulator_api="github",
    ),
    Source(
        "okta",
        "ingestion.okta",
        "okta_source",
        "Okta users, groups and memberships",
        "http",
        "identity",
        None,
        "group name = catalog group name",
        config_keys=("base_url", "api_token|access_token"),
        simulator_api="okta",
    ),
    Source(
        "pagerduty",
        "ingestion.pagerduty",
        "pagerduty_source",
        "PagerDuty services, escalation policies, schedules, on-calls, incidents",
        "http",
        "pagerduty",
        "pagerduty.com/service-id",
        "service id",
        config_keys=("base_url", "api_key"),
        simulator_api="pagerduty",
    ),
    Source(
        "datadog",
        "ingestion.datadog",
        "datadog_source",
        "Datadog monitors, SLOs, SLO history",
        "http",
        "datadog",
        "datadoghq.com/service-name",
        "service tag",
        config_keys=("api_key", "app_key"),
        simulator_api="datadog",
    ),
    Source(
        "prometheus",
        "ingestion.prometheus",
        "prometheus_source",
        "Prometheus SLI series",
        "http",
        "prometheus",
        None,
        "`service` label = entity name",
        config_keys=("base_url",),
        simulator_api="prometheus",
    ),
    Source(
        "coverage",
        "ingestion.coverage",
        "coverage_source",
        "Cobertura coverage reports of the catalog's repositories",
        "http",
        "coverage",
        "github.com/project-slug",
        "repository slug",
        config_keys=("base_url",),
        simulator_api="artifacts",
    ),
)

# The readiness sources facts are filed under, in the order the facts reference lists them.
FACT_SOURCES: tuple[str, ...] = (
    "catalog",
    "custom_data",
    "identity",
    "github",
    "pagerduty",
    "datadog",
    "prometheus",
    "coverage",
)


def source(name: str) -> Source:
    for entry in SOURCES:
        if entry.name == name:
            return entry
    raise KeyError(f"unknown source {name!r}; known: {', '.join(s.name for s in SOURCES)}")


def snapshot_sources() -> tuple[Source, ...]:
    """Sources whose snapshots give a readiness source its freshness (all but standards)."""
    return tuple(entry for entry in SOURCES if entry.feeds in FACT_SOURCES)
