"""dbt models as Dagster assets, and the publish step that follows a passing build."""

import getpass
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.evaluation.dbt_results import build_failure, emit_once, failed_nodes
from orchestration.evaluation.manifest import ensure_manifest
from orchestration.evaluation.rule_probe import (
    OUTCOMES_MODEL,
    find_broken_rules,
    rule_errors_observation,
)
from orchestration.meta import record_evaluation_request, record_rule_errors
from orchestration.partitions import run_window
from orchestration.resources import ReadinessResource
from readiness.settings import Settings
from readiness.warehouse import publish


class EvaluationConfig(dg.Config):
    """How this run evaluates its days."""

    reevaluate: bool = False  # re-evaluate days already evaluated (an explicit backfill)
    trigger: str = "schedule"  # recorded with the evaluation: schedule, cli, backfill, ...


class ReadinessDbtTranslator(DagsterDbtTranslator):
    """Models grouped by layer (staging, intermediate, marts); sources keep dbt's default
    keys ``<source>/<table>``, which are the dlt assets' keys."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "model":
            fqn = dbt_resource_props.get("fqn", [])
            return fqn[1] if len(fqn) > 2 else "models"
        return super().get_group_name(dbt_resource_props)


def dbt_project(settings: Settings) -> DbtProject:
    return DbtProject(
        project_dir=settings.dbt_project_dir,
        target_path=settings.dbt_target_dir,
        profiles_dir=settings.dbt_project_dir,
    )


def triggered_by(context: AssetExecutionContext) -> str:
    """Who started the run: the Dagster UI user, else the operating-system user."""
    return context.run.tags.get("dagster/user") or getpass.getuser()


# The per-day marts, tagged `daily` in dbt: partitioned by day in Dagster, incremental by
# day in dbt. A model that reads them must be tagged too (Dagster runs the daily group
# after the rest, so nothing outside it may depend on it).
DAILY_MODELS = "tag:daily"


def evaluation_assets(
    settings: Settings, partitions: dg.PartitionsDefinition
) -> list[dg.AssetsDefinition]:
    project = dbt_project(settings)
    manifest = ensure_manifest(settings)

    def build(
        context: AssetExecutionContext,
        dbt: DbtCliResource,
        readiness: ReadinessResource,
        config: EvaluationConfig,
    ):
        run_settings = readiness.settings()
        # dbt runs as a subprocess: profiles.yml reads the warehouse path from the
        # environment this process hands down.
        os.environ.update(run_settings.dbt_env())
        start, end = run_window(context)
        context.log.info(f"evaluating {start} to {end} (reevaluate={config.reevaluate})")
        # The request is data, not dbt vars: kept as evidence, and dbt's partial parsing
        # stays valid from one day to the next.
        record_evaluation_request(
            run_settings,
            request_id=f"{context.run_id}:{context.op_def.name}",
            first_day=start,
            last_day=end,
            reevaluate=config.reevaluate,
            trigger=config.trigger,
            triggered_by=triggered_by(context),
        )
        emitted: set = set()
        invocation = dbt.cli(["build"], context=context, raise_on_error=False)
        yield from emit_once(invocation.stream(), emitted)
        failed = failed_nodes(invocation)
        if OUTCOMES_MODEL in {node.name for node in failed}:
            # One rule the database cannot evaluate must not stop the day: find it, record
            # it for this request, and build again (it is then unknown, with the error).
            evaluated_request, broken = find_broken_rules(run_settings)
            if broken:
                record_rule_errors(run_settings, evaluated_request, broken)
                for error in broken:
                    context.log.warning(
                        f"rule {error.rule_id!r} of scorecard {error.scorecard_id!r} cannot be "
                        f"evaluated ({error.part}: {error.error}): its outcomes are unknown"
                    )
                yield rule_errors_observation(context.assets_def.keys, broken)
                invocation = dbt.cli(["build"], context=context, raise_on_error=False)
                yield from emit_once(invocation.stream(), emitted)
                failed = failed_nodes(invocation)
        if failed:
            raise build_failure(failed)

    # Staging, the window's working tables and the dimensions: one invocation, not
    # partitioned (they describe the latest state, or the run's window).
    @dbt_assets(
        manifest=manifest,
        project=project,
        name="dbt_build",
        exclude=DAILY_MODELS,
        dagster_dbt_translator=ReadinessDbtTranslator(),
    )
    def dbt_models(
        context: AssetExecutionContext,
        dbt: DbtCliResource,
        readiness: ReadinessResource,
        config: EvaluationConfig,
    ):
        yield from build(context, dbt, readiness, config)

    # The daily marts: a range of days is one invocation (a 90-day backfill is one build).
    @dbt_assets(
        manifest=manifest,
        project=project,
        name="dbt_build_daily",
        select=DAILY_MODELS,
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        dagster_dbt_translator=ReadinessDbtTranslator(),
    )
    def dbt_daily_models(
        context: AssetExecutionContext,
        dbt: DbtCliResource,
        readiness: ReadinessResource,
        config: EvaluationConfig,
    ):
        yield from build(context, dbt, readiness, config)

    @dg.asset(
        name="published_warehouse",
        group_name="publish",
        deps=[*dbt_models.keys, *dbt_daily_models.keys],
        description=(
            "The read-only copy of the warehouse that dashboards, reports and SQL users open. "
            "Replaced atomically, only after builds whose tests pass."
        ),
        kinds={"duckdb"},
    )
    def published_warehouse(
        context: AssetExecutionContext, readiness: ReadinessResource
    ) -> dg.MaterializeResult:
        run_settings = readiness.settings()
        if run_settings.backend == "postgres":
            # PostgreSQL serves readers and the writer at once (MVCC): the marts the build
            # committed are what readers see; there is no file to copy.
            return dg.MaterializeResult(metadata={"backend": "postgres", "schema": "marts"})
        path = publish(run_settings)
        return dg.MaterializeResult(
            metadata={"path": dg.MetadataValue.path(str(path)), "bytes": path.stat().st_size}
        )

    return [dbt_models, dbt_daily_models, published_warehouse]
