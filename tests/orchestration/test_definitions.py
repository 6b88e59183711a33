import datetime as dt

import dagster as dg

from orchestration.build import EVALUATE_JOB, INGEST_JOB, build_definitions
from orchestration.evaluation.sensors import evaluation_request
from orchestration.partitions import FIRST_DAY_TAG, LAST_DAY_TAG, window_tags


def test_definitions_hold_assets_schedule_and_one_lineage_graph(make_settings):
    settings = make_settings(catalog_dir="tests/scenarios/basic/catalog")
    defs = build_definitions(settings)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}

    # dlt tables, dbt models and the publish step are all assets
    for key in (
        "raw_catalog/entities",
        "raw_custom_data/entity_values",
        "raw_scorecards/rules",
        "raw_github/repositories",
        "raw_okta/group_members",
        "raw_pagerduty/incidents",
        "raw_datadog/slo_history_daily",
        "raw_coverage/reports",
        "staging/stg_catalog__entities",
        "marts/fct_entity_facts",
        "marts/fct_rule_outcomes",
        "marts/fct_entity_scores",
        "marts/dim_entities",
        "published_warehouse",
    ):
        assert key in keys, key

    def parents(key: str) -> set[str]:
        node = graph.get(dg.AssetKey.from_user_string(key))
        return {k.to_user_string() for k in node.parent_keys}

    # dbt sources are the dlt assets themselves: one graph from raw tables to publish
    assert "raw_catalog/entities" in parents("staging/stg_catalog__entities")
    assert "raw_github/repositories" in parents("staging/stg_github__repositories")
    assert graph.get(dg.AssetKey(["raw_catalog", "entities"])).is_materializable
    assert "marts/fct_entity_facts" in parents("marts/fct_rule_outcomes")
    assert "marts/fct_entity_scores" in parents("published_warehouse")
    # coverage reads the catalog's repositories, so it loads after the catalog
    assert "raw_catalog/annotations" in parents("raw_coverage/reports")

    # daily partitions (today included) for the per-day marts only
    daily = graph.get(dg.AssetKey(["marts", "fct_rule_outcomes"])).partitions_def
    assert isinstance(daily, dg.DailyPartitionsDefinition)
    assert daily.get_last_partition_key() == dt.datetime.now(dt.UTC).date().isoformat()
    assert graph.get(dg.AssetKey(["staging", "stg_catalog__entities"])).partitions_def is None
    assert graph.get(dg.AssetKey(["published_warehouse"])).partitions_def is None

    # a schedule at 06:00 UTC starts ingestion; evaluation follows every ingestion run
    schedule = defs.resolve_schedule_def("daily_at_0600_utc")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == INGEST_JOB
    sensors = {s.name: s for s in defs.sensors}
    assert set(sensors) == {"evaluate_after_ingestion_success", "evaluate_after_ingestion_failure"}
    assert all(s.job_name == EVALUATE_JOB for s in sensors.values())


def test_the_schedule_asks_for_the_day_it_runs(make_settings):
    defs = build_definitions(make_settings(catalog_dir="tests/scenarios/basic/catalog"))
    schedule = defs.resolve_schedule_def("daily_at_0600_utc")
    moment = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)
    with dg.build_schedule_context(scheduled_execution_time=moment) as context:
        (request,) = schedule.evaluate_tick(context).run_requests
    assert request.tags[FIRST_DAY_TAG] == request.tags[LAST_DAY_TAG] == "2026-11-26"
    assert request.tags["dagster/partition"] == "2026-11-26"


def test_evaluation_follows_the_ingested_days():
    run = dg.DagsterRun(
        job_name=INGEST_JOB,
        run_id="abc",
        tags={
            **window_tags(dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
            "readiness/reevaluate": "true",
            "readiness/trigger": "backfill",
        },
    )
    request = evaluation_request(run)
    assert request.run_key == "evaluate-after-abc"
    assert request.tags["dagster/asset_partition_range_start"] == "2026-09-01"
    assert request.tags["dagster/asset_partition_range_end"] == "2026-09-30"
    config = request.run_config["ops"]["dbt_build_daily"]["config"]
    assert config == {"reevaluate": True, "trigger": "backfill"}


def test_unconfigured_sources_are_left_out_of_ingestion(make_settings):
    settings = make_settings(catalog_dir="tests/scenarios/basic/catalog")
    defs = build_definitions(settings)
    ingest = {
        k.to_user_string() for k in defs.resolve_job_def(INGEST_JOB).asset_layer.selected_asset_keys
    }
    assert "raw_catalog/entities" in ingest
    assert "raw_custom_data/entity_values" not in ingest
    evaluate = {
        k.to_user_string()
        for k in defs.resolve_job_def(EVALUATE_JOB).asset_layer.selected_asset_keys
    }
    assert "published_warehouse" in evaluate and "marts/fct_rule_outcomes" in evaluate
    assert not evaluate & ingest
