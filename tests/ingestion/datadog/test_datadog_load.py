"""The Datadog source end to end: simulator → dlt → DuckDB → dbt staging → the two rules.

The SQL in ``FACTS_SQL`` is how the entity facts ``monitor-set`` and ``slos-met`` come out
of the staging models; it reproduces ``simulator.expected.rule_outcomes`` for every
service, today and on a past day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingestion.catalog import catalog_source
from ingestion.datadog import datadog_source
from simulator import SimulatorServers, rule_outcomes, write_catalog
from simulator.model import Company
from tests.ingestion.datadog.source_support import (
    PAST_DAY,
    TODAY,
    columns,
    dbt_build,
    pipeline,
    query,
    requests_by_endpoint,
)

# monitor-set: a monitor tagged service:<dd name> exists on the day. slos-met: the service
# has at least one SLO on the day, and each one's SLI over its timeframe ending on the day
# (sum of good / sum of total events) is at least its target; no data is not met.
# The catalog gives the Datadog name: annotation datadoghq.com/service-name, else the name.
# (In a dbt model, write the date window with dbt.dateadd for PostgreSQL portability.)
FACTS_SQL = """
with
components as (
    select
        e.snapshot_on,
        e.name,
        coalesce(a.annotation_value, e.name) as dd_service
    from staging.stg_catalog__entities as e
    left join staging.stg_catalog__annotations as a
        on a.snapshot_on = e.snapshot_on
        and a.entity_ref = e.entity_ref
        and a.annotation_key = 'datadoghq.com/service-name'
    where e.kind = 'component'
),
monitored as (
    select distinct snapshot_on, tag_value as dd_service
    from staging.stg_datadog__monitor_tags
    where tag_key = 'service'
),
service_slos as (
    select s.snapshot_on, t.tag_value as dd_service, s.slo_id, s.target_pct, s.timeframe_days
    from staging.stg_datadog__slos as s
    inner join staging.stg_datadog__slo_tags as t
        on t.snapshot_on = s.snapshot_on and t.slo_id = s.slo_id and t.tag_key = 'service'
),
slo_status as (
    select
        ss.snapshot_on,
        ss.dd_service,
        ss.slo_id,
        coalesce(
            100.0 * sum(h.good_events) / nullif(sum(h.total_events), 0) >= ss.target_pct,
            false
        ) as met
    from service_slos as ss
    left join staging.stg_datadog__slo_history_daily as h
        on h.slo_id = ss.slo_id
        and h.day > ss.snapshot_on - ss.timeframe_days
        and h.day <= ss.snapshot_on
    group by ss.snapshot_on, ss.dd_service, ss.slo_id, ss.target_pct
),
service_status as (
    select snapshot_on, dd_service, bool_and(met) as all_met
    from slo_status
    group by snapshot_on, dd_service
)
select
    c.name,
    m.dd_service is not null as monitor_set,
    coalesce(s.all_met, false) as slos_met
from components as c
left join monitored as m on m.snapshot_on = c.snapshot_on and m.dd_service = c.dd_service
left join service_status as s on s.snapshot_on = c.snapshot_on and s.dd_service = c.dd_service
where c.snapshot_on = ?
order by c.name
"""

STAGING_CONTRACT = {
    "stg_datadog__snapshots": ["snapshot_on", "load_id", "loaded_at"],
    "stg_datadog__monitors": [
        "snapshot_on",
        "monitor_id",
        "name",
        "monitor_type",
        "overall_state",
        "created_at",
    ],
    "stg_datadog__monitor_tags": ["snapshot_on", "monitor_id", "tag_key", "tag_value"],
    "stg_datadog__slos": [
        "snapshot_on",
        "slo_id",
        "name",
        "slo_type",
        "target_pct",
        "timeframe",
        "timeframe_days",
        "created_at",
    ],
    "stg_datadog__slo_tags": ["snapshot_on", "slo_id", "tag_key", "tag_value"],
    "stg_datadog__slo_history_daily": ["slo_id", "day", "good_events", "total_events"],
}


def datadog(servers: SimulatorServers, **kwargs):
    credentials = servers.credentials["datadog"]
    return datadog_source(
        base_url=servers.base_urls["datadog"],
        api_key=credentials["api_key"],
        app_key=credentials["application_key"],
        snapshot_on=TODAY,
        **kwargs,
    )


@pytest.fixture(scope="module")
def warehouse(
    tmp_path_factory: pytest.TempPathFactory, servers: SimulatorServers, company: Company
) -> dict:
    """Catalog (today and the past day) and Datadog (today + one history day) loaded and
    staged once for this module's tests."""
    tmp = tmp_path_factory.mktemp("datadog")
    db = tmp / "warehouse.duckdb"
    for day in (PAST_DAY, TODAY):
        folder = tmp / f"catalog-{day}"
        write_catalog(company, folder, as_of=day)
        pipeline(tmp, "catalog", db).run(catalog_source(path=str(folder), snapshot_on=day))
    servers.reset_stats()
    started = dt.datetime.now()
    info = pipeline(tmp, "datadog", db).run(
        datadog(servers, history=[(PAST_DAY, servers.base_urls_as_of(PAST_DAY)["datadog"])])
    )
    elapsed = (dt.datetime.now() - started).total_seconds()
    stats = requests_by_endpoint(servers, "datadog")
    dbt_build(db, tmp, "staging.datadog staging.catalog")
    return {"db": db, "info": info, "stats": stats, "elapsed": elapsed}


def test_staging_models_expose_the_contract(warehouse):
    db = warehouse["db"]
    for model, expected in STAGING_CONTRACT.items():
        assert columns(db, "staging", model) == expected, model
    types = dict(
        query(
            db,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'stg_datadog__slos'",
        )
    )
    assert types["target_pct"] == "DOUBLE" and types["timeframe_days"] == "INTEGER"
    assert types["created_at"] == "TIMESTAMP"
    snapshots = query(db, "select snapshot_on from staging.stg_datadog__snapshots order by 1")
    assert snapshots == [(PAST_DAY,), (TODAY,)]


@pytest.mark.parametrize("day", [TODAY, PAST_DAY], ids=["today", "past-day"])
def test_facts_reproduce_expected_rule_outcomes(warehouse, company, day):
    expected = rule_outcomes(company, day)
    rows = query(warehouse["db"], FACTS_SQL, [day])
    got = {name: (monitor_set, slos_met) for name, monitor_set, slos_met in rows}
    assert set(got) == set(expected)
    want = {n: (r["monitor-set"], r["slos-met"]) for n, r in expected.items()}
    assert got == want
    # both outcomes occur, so the comparison means something
    assert {m for m, _ in got.values()} == {True, False}
    assert {s for _, s in got.values()} == {True, False}


def test_raw_state_matches_the_company(warehouse, company):
    db = warehouse["db"]
    for day in (TODAY, PAST_DAY):
        ordinal = day.toordinal()
        monitors = {m.id for m in company.monitors if m.exists_on(ordinal)}
        slos = {s.id for s in company.slos if s.created_day <= ordinal}
        loaded = query(
            db, "select monitor_id from staging.stg_datadog__monitors where snapshot_on = ?", [day]
        )
        assert {r[0] for r in loaded} == monitors
        loaded = query(
            db, "select slo_id from staging.stg_datadog__slos where snapshot_on = ?", [day]
        )
        assert {r[0] for r in loaded} == slos
    # tags split at the first colon; every monitor carries its service tag
    untagged = query(
        db,
        "select count(*) from staging.stg_datadog__monitors m where not exists ("
        " select 1 from staging.stg_datadog__monitor_tags t where t.snapshot_on = m.snapshot_on"
        " and t.monitor_id = m.monitor_id and t.tag_key = 'service')",
    )
    assert untagged == [(0,)]
    target = {s.id: s.target for s in company.slos}
    for slo_id, target_pct, timeframe, days in query(
        db,
        "select slo_id, target_pct, timeframe, timeframe_days from staging.stg_datadog__slos "
        "where snapshot_on = ?",
        [TODAY],
    ):
        assert target_pct == pytest.approx(target[slo_id])
        assert days == int(timeframe.rstrip("d"))


def test_slo_history_covers_history_days_plus_timeframe(warehouse, company):
    first_day, last_day, slos = query(
        warehouse["db"],
        "select min(day), max(day), count(distinct slo_id) "
        "from staging.stg_datadog__slo_history_daily",
    )[0]
    assert last_day == TODAY
    longest = max(s.timeframe_days for s in company.slos)
    # SLOs created late have no samples before they existed; the oldest ones reach back
    assert first_day == TODAY - dt.timedelta(days=90 + longest - 1)
    assert slos == len([s for s in company.slos if s.created_day <= TODAY.toordinal()])


def test_one_request_per_slo_and_per_page(warehouse, company):
    slos = len([s for s in company.slos if s.created_day <= TODAY.toordinal()])
    assert warehouse["stats"] == {
        "GET /api/v1/monitor": 2,  # one page for today, one for the history day
        "GET /api/v1/slo": 2,
        "GET /api/v1/slo/{slo_id}/history": slos,
    }


def test_daily_run_requests_do_not_grow_with_services(tmp_path: Path, servers, company):
    """A daily run: 1 monitor page + 1 SLO page + 1 history request per SLO (here < 1,000
    monitors and SLOs), against 2 per service + 1 per SLO for per-service calls."""
    pipeline(tmp_path, "datadog").run(datadog(servers))
    stats = requests_by_endpoint(servers, "datadog")
    slos = len([s for s in company.slos if s.created_day <= TODAY.toordinal()])
    services = len([s for s in company.services if s.exists_on(TODAY.toordinal())])
    total = sum(stats.values())
    assert total == 2 + slos
    naive = 2 * services + slos
    assert total < naive


def test_rerun_of_a_day_is_not_counted_twice(tmp_path: Path, servers, company):
    db = tmp_path / "warehouse.duckdb"
    pipe = pipeline(tmp_path, "datadog", db)
    pipe.run(datadog(servers))
    pipe.run(datadog(servers))
    raw_loads = query(db, "select count(distinct _dlt_load_id) from raw_datadog.monitors")
    assert raw_loads == [(2,)]
    history_rows = query(
        db,
        "select count(*), count(distinct slo_id || cast(day as varchar)) from raw_datadog.slo_history_daily",
    )[0]
    assert history_rows[0] == history_rows[1]  # merged on (slo_id, day)


def test_building_the_source_does_no_io(servers):
    source = datadog_source(
        base_url="http://unset", api_key="unset", app_key="unset", snapshot_on=TODAY
    )
    assert set(source.resources) >= {
        "monitors",
        "monitor_tags",
        "slos",
        "slo_tags",
        "slo_history_daily",
        "snapshots",
    }
    assert servers.stats() == {}
