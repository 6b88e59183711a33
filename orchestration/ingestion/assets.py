"""dlt sources as Dagster assets: one multi-asset per source, one asset per table.

Asset keys are ``raw_<source>/<table>``, the same keys dagster-dbt gives the dbt
sources of those tables, so ingestion and models form one lineage graph.
"""

import dagster as dg
import dlt
from dagster import AssetExecutionContext
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from orchestration.ingestion.failures import failure_message, record_load_failure
from orchestration.ingestion.sources import SourceSpec
from orchestration.partitions import evaluation_window
from orchestration.resources import ReadinessResource
from readiness.settings import Settings


class RawTableTranslator(DagsterDltTranslator):
    """Asset key ``raw_<source>/<table>``, grouped under ``ingestion``."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        dataset = data.pipeline.dataset_name if data.pipeline else "raw"
        return spec.replace_attributes(
            key=dg.AssetKey([dataset, data.resource.table_name]),
            group_name="ingestion",
            deps=[],
        )


def pipeline(settings: Settings, spec: SourceSpec) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=f"readiness_{spec.name}",
        pipelines_dir=str(settings.dlt_dir),
        destination=dlt.destinations.duckdb(str(settings.warehouse_path)),
        dataset_name=spec.dataset,
    )


def source_assets(
    spec: SourceSpec, settings: Settings, partitions: dg.PartitionsDefinition
) -> dg.AssetsDefinition:
    @dlt_assets(
        dlt_source=spec.placeholder(),
        dlt_pipeline=pipeline(settings, spec),
        name=f"load_{spec.name}",
        dagster_dlt_translator=RawTableTranslator(),
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        op_tags={"readiness/source": spec.name},
    )
    def _load(
        context: AssetExecutionContext, dlt: DagsterDltResource, readiness: ReadinessResource
    ):
        run_settings = readiness.settings()
        _, last_day = evaluation_window(context)
        if not spec.configured(run_settings):
            raise dg.Failure(
                f"source {spec.name} is not configured "
                + (
                    f"(set --{spec.folder_setting.removesuffix('_dir').replace('_', '-')} DIR)"
                    if spec.folder_setting
                    else f"(set sources.{spec.name}.{', '.join(spec.required_config)})"
                )
            )
        context.log.info(f"loading {spec.name} as the snapshot of {last_day}")
        try:
            yield from dlt.run(
                context=context,
                dlt_source=spec.build(run_settings, last_day),
                dlt_pipeline=pipeline(run_settings, spec),
            )
        except Exception as error:
            message = failure_message(error)
            record_load_failure(run_settings, spec.name, last_day, message, context.run_id)
            raise dg.Failure(f"source {spec.name} failed to load: {message}") from error

    return _load
