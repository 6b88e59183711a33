"""Source freshness as Dagster asset checks, on each source's ``snapshots`` table.

The same rule as the warehouse applies (int_source_status_daily): a source is fresh
when its latest snapshot is at most ``freshness_days`` older than the day evaluated. A
stale or never-loaded source fails its check (severity WARN: the evaluation still runs
and says `unknown`), so Dagster shows which source to look at.
"""

import dagster as dg
from dagster import AssetCheckExecutionContext

from orchestration.ingestion.assets import pipeline
from orchestration.ingestion.sources import SOURCES, SourceSpec
from orchestration.partitions import run_window
from orchestration.resources import ReadinessResource


def latest_snapshot(spec: SourceSpec, readiness: ReadinessResource):
    """The newest snapshot day the source loaded, or None (read through dlt's client)."""
    loaded = pipeline(readiness.settings(), spec)
    try:
        with loaded.sql_client() as client:
            rows = client.execute_sql(
                f"select max(snapshot_on) from {client.make_qualified_table_name('snapshots')}"
            )
    except Exception:  # dataset or table missing: the source never loaded
        return None
    return rows[0][0] if rows else None


def freshness_check(spec: SourceSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey([spec.dataset, "snapshots"]),
        name=f"{spec.name}_is_fresh",
        description=f"{spec.description}: latest snapshot within the freshness window.",
        blocking=False,
    )
    def _check(context: AssetCheckExecutionContext, readiness: ReadinessResource):
        _, day = run_window(context)
        last = latest_snapshot(spec, readiness)
        window = readiness.freshness_days
        if last is None:
            return dg.AssetCheckResult(
                passed=False,
                severity=dg.AssetCheckSeverity.WARN,
                description=f"source {spec.name} never loaded",
                metadata={"freshness_days": window},
            )
        age = (day - last).days
        return dg.AssetCheckResult(
            passed=age <= window,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"source {spec.name} last loaded {last} ({age} days before {day})",
            metadata={"last_snapshot_on": str(last), "age_days": age, "freshness_days": window},
        )

    return _check


def freshness_checks() -> list[dg.AssetChecksDefinition]:
    return [freshness_check(spec) for spec in SOURCES if spec.name != "scorecards"]
