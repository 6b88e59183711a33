"""The coverage source end to end: artifact store (or folder) → dlt → DuckDB → dbt staging
→ the code-coverage rule, for every service today and on a past day."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.catalog import catalog_source
from ingestion.coverage import coverage_source
from simulator import SimulatorServers, rule_outcomes, write_catalog, write_coverage
from simulator.model import Company
from tests.ingestion.coverage.test_coverage_parse import BILLION_LAUGHS, COVERAGE_PY
from tests.ingestion.datadog.source_support import (
    PAST_DAY,
    TODAY,
    columns,
    dbt_build,
    pipeline,
    query,
    requests_by_endpoint,
)

# code-coverage: the repository's latest report has line-rate > 0.85 (no report: fail).
# The catalog gives the repository: annotation github.com/project-slug, lower-cased.
FACTS_SQL = """
with
components as (
    select e.snapshot_on, e.name, lower(a.annotation_value) as repo_full_name
    from staging.stg_catalog__entities as e
    left join staging.stg_catalog__annotations as a
        on a.snapshot_on = e.snapshot_on
        and a.entity_ref = e.entity_ref
        and a.annotation_key = 'github.com/project-slug'
    where e.kind = 'component'
)
select c.name, coalesce(r.line_rate_pct > 85, false) as code_coverage
from components as c
left join staging.stg_coverage__reports as r
    on r.snapshot_on = c.snapshot_on and r.repo_full_name = c.repo_full_name
where c.snapshot_on = ?
order by c.name
"""


def catalog_slugs(db: Path, day) -> list[str]:
    """The repositories the lead passes: the catalog's github.com/project-slug values."""
    rows = query(
        db,
        "select value from raw_catalog.annotations "
        "where key = 'github.com/project-slug' and snapshot_on = ? order by 1",
        [day],
    )
    return [r[0] for r in rows]


def artifacts(servers: SimulatorServers, **kwargs):
    return coverage_source(
        base_url=servers.base_urls["artifacts"],
        token=servers.credentials["artifacts"]["bearer_token"],
        snapshot_on=TODAY,
        **kwargs,
    )


@pytest.fixture(scope="module")
def warehouse(
    tmp_path_factory: pytest.TempPathFactory, servers: SimulatorServers, company: Company
) -> dict:
    tmp = tmp_path_factory.mktemp("coverage")
    db = tmp / "warehouse.duckdb"
    for day in (PAST_DAY, TODAY):
        folder = tmp / f"catalog-{day}"
        write_catalog(company, folder, as_of=day)
        pipeline(tmp, "catalog", db).run(catalog_source(path=str(folder), snapshot_on=day))
    slugs = catalog_slugs(db, TODAY)
    servers.reset_stats()
    pipeline(tmp, "coverage", db).run(
        artifacts(
            servers,
            repositories=slugs,
            history=[(PAST_DAY, servers.base_urls_as_of(PAST_DAY)["artifacts"])],
        )
    )
    stats = requests_by_endpoint(servers, "artifacts")
    dbt_build(db, tmp, "staging.coverage staging.catalog")
    return {"db": db, "stats": stats, "slugs": slugs}


def test_staging_models_expose_the_contract(warehouse):
    db = warehouse["db"]
    assert columns(db, "staging", "stg_coverage__snapshots") == [
        "snapshot_on",
        "load_id",
        "loaded_at",
    ]
    assert columns(db, "staging", "stg_coverage__reports") == [
        "snapshot_on",
        "repo_full_name",
        "line_rate_pct",
        "branch_rate_pct",
        "lines_valid",
        "lines_covered",
        "generated_at",
    ]
    assert columns(db, "staging", "stg_coverage__errors") == [
        "snapshot_on",
        "repo_full_name",
        "message",
    ]
    types = dict(
        query(
            db,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'stg_coverage__reports'",
        )
    )
    assert types == {
        "snapshot_on": "DATE",
        "repo_full_name": "VARCHAR",
        "line_rate_pct": "DOUBLE",
        "branch_rate_pct": "DOUBLE",
        "lines_valid": "INTEGER",
        "lines_covered": "INTEGER",
        "generated_at": "TIMESTAMP",
    }
    low, high = query(
        db, "select min(line_rate_pct), max(line_rate_pct) from staging.stg_coverage__reports"
    )[0]
    assert 0 <= low < high <= 100


@pytest.mark.parametrize("day", [TODAY, PAST_DAY], ids=["today", "past-day"])
def test_code_coverage_reproduces_expected_rule_outcomes(warehouse, company, day):
    expected = {n: r["code-coverage"] for n, r in rule_outcomes(company, day).items()}
    got = dict(query(warehouse["db"], FACTS_SQL, [day]))
    assert got == expected
    assert set(got.values()) == {True, False}


def test_reports_match_the_company(warehouse, company):
    from simulator.cobertura import line_totals

    rows = query(
        warehouse["db"],
        "select repo_full_name, lines_valid, lines_covered from staging.stg_coverage__reports "
        "where snapshot_on = ?",
        [TODAY],
    )
    expected = {
        f"{company.org}/{s.repo.name}": line_totals(company, s, TODAY.toordinal())
        for s in company.services
        if s.exists_on(TODAY.toordinal())
    }
    assert {repo: (v, c) for repo, v, c in rows} == {
        repo: totals for repo, totals in expected.items() if totals is not None
    }
    assert query(warehouse["db"], "select count(*) from staging.stg_coverage__errors") == [(0,)]


def test_one_request_per_repository_and_day(warehouse):
    # today + one history day; 404 (no report) costs the same single request
    assert warehouse["stats"] == {"GET /{owner}/{repo}/coverage.xml": 2 * len(warehouse["slugs"])}


def test_folder_with_broken_reports_loads_the_rest(tmp_path: Path, company):
    folder = tmp_path / "reports"
    written = write_coverage(company, folder, as_of=TODAY)
    (folder / "acme" / "zz-truncated").mkdir(parents=True)
    (folder / "acme" / "zz-truncated" / "coverage.xml").write_bytes(COVERAGE_PY[:200])
    (folder / "acme" / "zz-hostile").mkdir()
    (folder / "acme" / "zz-hostile" / "coverage.xml").write_bytes(BILLION_LAUGHS)
    db = tmp_path / "warehouse.duckdb"
    pipeline(tmp_path, "coverage").run(coverage_source(path=folder, snapshot_on=TODAY))
    assert query(db, "select count(*) from raw_coverage.reports") == [(len(written),)]
    errors = query(db, "select repo_full_name, message from raw_coverage.errors order by 1")
    assert [repo for repo, _ in errors] == ["acme/zz-hostile", "acme/zz-truncated"]
    assert "entity declarations are not allowed" in errors[0][1]
    assert "not well-formed XML" in errors[1][1]
    # a folder given as a string works too, restricted to the listed repositories
    pipeline(tmp_path / "again", "coverage").run(
        coverage_source(path=str(folder), repositories=["acme/zz-hostile"], snapshot_on=TODAY)
    )
    assert query(
        tmp_path / "again" / "warehouse.duckdb", "select count(*) from raw_coverage.errors"
    ) == [(1,)]


def test_building_the_source_does_no_io(servers):
    source = coverage_source(base_url="http://unset", token="unset", snapshot_on=TODAY)
    assert set(source.resources) >= {"reports", "errors", "snapshots"}
    assert servers.stats() == {}


def test_an_artifact_store_needs_the_repository_list(tmp_path: Path, servers):
    from dlt.pipeline.exceptions import PipelineStepFailed

    with pytest.raises(PipelineStepFailed, match="artifact store cannot be listed"):
        pipeline(tmp_path, "coverage").run(artifacts(servers))
