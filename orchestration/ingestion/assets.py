"""dlt sources as Dagster assets: one multi-asset per source, one asset per table.

Asset keys are ``raw_<source>/<table>``, the same keys dagster-dbt gives the dbt
sources of those tables, so ingestion and models form one lineage graph.
"""

import datetime as dt
import os
from pathlib import Path

import dagster as dg
import dlt
from dagster import AssetExecutionContext
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.common.runtime.collector import NullCollector
from dlt.pipeline.trace import get_trace_file_path

from orchestration.destination import dlt_destination, loader_file_format
from orchestration.ingestion.failures import failure_message
from orchestration.ingestion.sources import SourceSpec, source_spec
from orchestration.meta import record_load_failure
from orchestration.partitions import days_of, run_window
from orchestration.resources import ReadinessResource
from readiness.pause import pause_point, pause_requested
from readiness.settings import Settings

# Sources that read what another source loaded: coverage reads the catalog's repositories
# (from catalog files, the Backstage catalog API, or both).
UPSTREAM = {
    "coverage": [
        dg.AssetKey(["raw_catalog", "annotations"]),
        dg.AssetKey(["raw_backstage", "annotations"]),
    ]
}


class RawTableTranslator(DagsterDltTranslator):
    """Asset key ``raw_<source>/<table>``, grouped under ``ingestion``."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        dataset = data.pipeline.dataset_name if data.pipeline else "raw"
        return spec.replace_attributes(
            key=dg.AssetKey([dataset, data.resource.table_name]),
            group_name="ingestion",
            deps=UPSTREAM.get(dataset.removeprefix("raw_"), []),
        )


class LoadPausePoint(NullCollector):
    """dlt's progress hook, used for one thing: the kill-safety point ``dlt-load``
    (readiness.pause), held when a load has committed its first job and not the rest."""

    def update(self, name: str, inc: int = 1, *args, **kwargs) -> None:
        if name == "Jobs" and inc and (self.step or "").startswith("Load"):
            pause_point("dlt-load")


def pipeline_name(spec: SourceSpec) -> str:
    return f"readiness_{spec.name}"


def pipeline(settings: Settings, spec: SourceSpec) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=pipeline_name(spec),
        pipelines_dir=str(settings.dlt_dir),
        destination=dlt_destination(settings),
        dataset_name=spec.dataset,
        progress=LoadPausePoint() if pause_requested("dlt-load") else NullCollector(),
    )


def source_assets(spec: SourceSpec, settings: Settings) -> dg.AssetsDefinition:
    @dlt_assets(
        dlt_source=spec.placeholder(),
        dlt_pipeline=pipeline(settings, spec),
        name=f"load_{spec.name}",
        dagster_dlt_translator=RawTableTranslator(),
        op_tags={"readiness/source": spec.name},
    )
    def _load(
        context: AssetExecutionContext, dlt: DagsterDltResource, readiness: ReadinessResource
    ):
        run_settings = readiness.settings()
        first_day, last_day = run_window(context)
        days = days_of(first_day, last_day)
        if not spec.configured(run_settings):
            raise dg.Failure(f"source {spec.name} is not configured (set {spec.option})")
        context.log.info(f"loading {spec.name} as the snapshot of {last_day}")
        # Merge loads go through a staging dataset; empty it afterwards instead of keeping
        # a second copy of every event table.
        os.environ.setdefault("LOAD__TRUNCATE_STAGING_DATASET", "true")
        try:
            extra = (
                {"repositories": catalog_repositories(run_settings, last_day)}
                if spec.name == "coverage"
                else {}
            )
            yield from dlt.run(
                context=context,
                dlt_source=spec.build(run_settings, days, **extra),
                dlt_pipeline=pipeline(run_settings, spec),
                loader_file_format=loader_file_format(run_settings),
            )
        except Exception as error:
            message = failure_message(error)
            forget_failed_trace(run_settings, spec)
            record_load_failure(run_settings, spec.name, last_day, message, context.run_id)
            # Not chained to the error: Dagster stores a cause's text and stack, and an
            # HTTP library's text can hold a URL with a credential in it.
            raise dg.Failure(
                f"source {spec.name} failed to load: {message}",
                metadata={"error_type": type(error).__name__},
            ) from None

    return _load


def forget_failed_trace(settings: Settings, spec: SourceSpec) -> None:
    """Delete dlt's trace of a failed load: it keeps the HTTP library's error text, which
    can hold a URL with a credential in it (readiness keeps its own, redacted, record in
    raw_meta.load_failures)."""
    Path(get_trace_file_path(str(settings.dlt_dir), pipeline_name(spec))).unlink(missing_ok=True)


def catalog_repositories(settings: Settings, day: dt.date) -> list[str]:
    """The ``github.com/project-slug`` values of the newest catalog snapshot on or before
    ``day`` (catalog files and the Backstage catalog API alike), read through dlt's client
    for each catalog dataset (any destination)."""
    found: set[str] = set()
    errors = []
    for name in ("catalog", "backstage"):
        try:
            found.update(_repositories(settings, name, day))
        except Exception as error:  # that catalog source was never loaded
            errors.append(f"{name}: {error}")
    if len(errors) == 2:
        raise dg.Failure(
            "source coverage needs the catalog's repositories, which are not loaded: "
            + "; ".join(errors)
        )
    return sorted(found)


def _repositories(settings: Settings, name: str, day: dt.date) -> list[str]:
    catalog = pipeline(settings, source_spec(name))
    with catalog.sql_client() as client:
        rows = client.execute_sql(
            f"""
            select distinct lower(annotations.value)
            from {client.make_qualified_table_name("annotations")} as annotations
            inner join (
                select snapshot_on, max(_dlt_load_id) as load_id
                from {client.make_qualified_table_name("snapshots")}
                where snapshot_on <= %s
                group by snapshot_on
                order by snapshot_on desc
                limit 1
            ) as latest
                on latest.snapshot_on = annotations.snapshot_on
                and latest.load_id = annotations._dlt_load_id
            where annotations.key = 'github.com/project-slug'
            order by 1
            """,
            day,
        )
    return [row[0] for row in rows]
