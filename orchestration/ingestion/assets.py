"""dlt sources as Dagster assets: one multi-asset per source, one asset per table.

Asset keys are ``raw_<source>/<table>``, the same keys dagster-dbt gives the dbt
sources of those tables, so ingestion and models form one lineage graph.
"""

from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg
import dlt
from dagster import AssetExecutionContext
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.extract.source import DltSource

from ingestion.catalog import catalog_source
from ingestion.custom_data import custom_data_source
from ingestion.scorecards import scorecards_source
from orchestration.partitions import evaluation_window
from orchestration.resources import ReadinessResource
from readiness.settings import Settings


@dataclass(frozen=True)
class FileSource:
    """A dlt source read from a folder, and the setting that names the folder."""

    name: str
    factory: Callable[..., DltSource]
    setting: str  # attribute of Settings holding the folder
    description: str


FILE_SOURCES = (
    FileSource("scorecards", scorecards_source, "scorecards_dir", "Standards as code"),
    FileSource("catalog", catalog_source, "catalog_dir", "Backstage catalog descriptors"),
    FileSource("custom_data", custom_data_source, "custom_data_dir", "Custom data by entity"),
)


def dataset_name(source_name: str) -> str:
    return f"raw_{source_name}"


class RawTableTranslator(DagsterDltTranslator):
    """Asset key ``raw_<source>/<table>``, grouped under ``ingestion``."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        source_name = data.pipeline.dataset_name if data.pipeline else "raw"
        return spec.replace_attributes(
            key=dg.AssetKey([source_name, data.resource.table_name]),
            group_name="ingestion",
            deps=[],
        )


def pipeline(settings: Settings, source_name: str) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=f"readiness_{source_name}",
        pipelines_dir=str(settings.dlt_dir),
        destination=dlt.destinations.duckdb(str(settings.warehouse_path)),
        dataset_name=dataset_name(source_name),
    )


def file_source_assets(
    source: FileSource, settings: Settings, partitions: dg.PartitionsDefinition
) -> dg.AssetsDefinition:
    # The source built here only describes the tables: file sources read lazily, when
    # the asset runs with the real folder and day.
    @dlt_assets(
        dlt_source=source.factory(path="", snapshot_on=None),
        dlt_pipeline=pipeline(settings, source.name),
        name=f"load_{source.name}",
        dagster_dlt_translator=RawTableTranslator(),
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
    )
    def _load(
        context: AssetExecutionContext, dlt: DagsterDltResource, readiness: ReadinessResource
    ):
        run_settings = readiness.settings()
        folder = getattr(run_settings, source.setting)
        if folder is None:
            raise dg.Failure(
                f"source {source.name} is not configured: set its folder "
                f"(readiness run --{source.setting.removesuffix('_dir').replace('_', '-')} DIR)"
            )
        _, last_day = evaluation_window(context)
        context.log.info(f"loading {source.name} from {folder} as the snapshot of {last_day}")
        yield from dlt.run(
            context=context,
            dlt_source=source.factory(path=str(folder), snapshot_on=last_day),
            dlt_pipeline=pipeline(run_settings, source.name),
        )

    return _load
