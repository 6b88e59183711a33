import datetime as dt

import dagster as dg

from orchestration.build import EVALUATE_JOB, INGEST_JOB, build_definitions


def test_definitions_hold_assets_schedule_and_one_lineage_graph(make_settings):
    settings = make_settings(catalog_dir="tests/scenarios/basic/catalog")
    defs = build_definitions(settings)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}

    # dlt tables, dbt models and the publish step are all assets
    for key in (
        "raw_catalog/entities",
        "raw_catalog/links",
        "raw_custom_data/entity_values",
        "raw_scorecards/rules",
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
    assert graph.get(dg.AssetKey(["raw_catalog", "entities"])).is_materializable
    assert "marts/fct_entity_facts" in parents("marts/fct_rule_outcomes")
    assert "marts/fct_entity_scores" in parents("published_warehouse")

    # daily partitions, today included, and a schedule at 06:00 UTC
    schedule = defs.resolve_schedule_def("daily_at_0600_utc")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone in (None, "UTC")
    for name in (INGEST_JOB, EVALUATE_JOB):
        assert isinstance(defs.resolve_job_def(name).partitions_def, dg.DailyPartitionsDefinition)
    assert schedule.job_name == INGEST_JOB
    # evaluation follows every ingestion run, failed or not
    sensors = {s.name: s for s in defs.sensors}
    assert set(sensors) == {
        "evaluate_after_ingestion_success",
        "evaluate_after_ingestion_failure",
    }
    partitions = defs.resolve_job_def(EVALUATE_JOB).partitions_def
    assert isinstance(partitions, dg.DailyPartitionsDefinition)
    assert partitions.get_last_partition_key() == dt.datetime.now(dt.UTC).date().isoformat()


def test_unconfigured_sources_are_left_out_of_ingestion(make_settings):
    settings = make_settings(catalog_dir="tests/scenarios/basic/catalog")
    defs = build_definitions(settings)
    ingest = {k.to_user_string() for k in defs.resolve_job_def(INGEST_JOB).asset_layer.selected_asset_keys}
    assert "raw_catalog/entities" in ingest
    assert "raw_custom_data/entity_values" not in ingest
    evaluate = {k.to_user_string() for k in defs.resolve_job_def(EVALUATE_JOB).asset_layer.selected_asset_keys}
    assert "published_warehouse" in evaluate and "marts/fct_rule_outcomes" in evaluate
    assert not evaluate & ingest
