"""Every list of sources agrees with ``ingestion/registry.py``."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from benchmarks import run as benchmarks
from ingestion.registry import FACT_SOURCES, SOURCES, snapshot_sources, source
from orchestration.ingestion import sources as orchestration
from readiness import factsdoc
from simulator import servers

DBT = Path(__file__).resolve().parents[1] / "dbt_project"


def _quoted(text: str) -> list[str]:
    return re.findall(r"'([a-z_]+)'", text)


def test_orchestration_lists_the_registry_sources():
    assert [
        (s.name, s.module, s.function, s.description, s.required_config)
        for s in orchestration.SOURCES
    ] == [(s.name, s.module, s.function, s.title, s.config_keys) for s in SOURCES]
    for spec in orchestration.SOURCES:
        assert (spec.folder_setting is not None) == (source(spec.name).kind == "files")


def test_int_source_snapshots_reads_every_snapshot_source():
    sql = (DBT / "models/intermediate/int_source_snapshots.sql").read_text()
    providers = re.search(r"set providers = \[(.*?)\]", sql, re.S)
    assert providers is not None
    assert _quoted(providers.group(1)) == [s.name for s in snapshot_sources()]


def test_readiness_sources_macro_matches_the_registry():
    sql = (DBT / "macros/readiness_sources.sql").read_text()
    listed = re.search(r"return\(\[(.*?)\]\)", sql, re.S)
    assert listed is not None
    assert _quoted(listed.group(1)) == list(FACT_SOURCES)
    mapping = dict(re.findall(r"when '([a-z_]+)' then '([a-z_]+)'", sql))
    assert mapping == {s.name: s.feeds for s in snapshot_sources() if s.feeds != s.name}
    assert {s.feeds for s in snapshot_sources()} == set(FACT_SOURCES)


def test_every_source_has_its_dbt_sources_yaml():
    for entry in SOURCES:
        path = DBT / f"models/staging/{entry.staging}/_{entry.name}__sources.yml"
        assert path.exists(), path
        names = [s["name"] for s in yaml.safe_load(path.read_text())["sources"]]
        assert entry.dataset in names, (path, names)


def test_facts_reference_titles_every_fact_source():
    assert list(factsdoc.SOURCE_TITLES) == list(FACT_SOURCES)


def test_simulator_serves_every_http_source():
    apis = {s.simulator_api for s in SOURCES if s.kind == "http"}
    assert None not in apis
    assert apis == set(servers.SOURCES)
    assert set(servers.DEFAULT_CREDENTIALS) == apis


def test_benchmarks_map_sources_onto_the_registry_apis():
    for name, api in benchmarks.API_OF_SOURCE.items():
        assert source(name).simulator_api == api
    for fact_source, api in benchmarks.FACT_SOURCE_API.items():
        assert api in {s.simulator_api for s in SOURCES if s.feeds == fact_source}
    loaded_by_http = {s.name for s in SOURCES if s.kind == "http" and s.feeds != "catalog"}
    assert set(benchmarks.API_OF_SOURCE) == loaded_by_http
