""" "Days since" is counted one way: calendar days in UTC, in the model and the ground truth.

The warehouse's own SQL (the compiled dbt models int_github_facts_daily and
int_pagerduty_facts_daily) runs over synthetic inputs for every day of a year, with
events on each side of the 7-day and 14-day boundaries (the first and last second of the
boundary days, the day itself, the next day), and is compared with the simulator's
ground truth (simulator.timeline.days_since and window_epochs, which
simulator/expected.py uses). Any day of the year gives the same answer on both sides, so
the demo's comparison cannot depend on the day the suite runs.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import duckdb
import pytest

from orchestration.evaluation.manifest import dbt_executable
from readiness.settings import Settings
from simulator.timeline import DAY_SECONDS, day_start_epoch, days_since, window_epochs

YEAR = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]
# (days before the evaluated day, seconds into that day); negative: after the day
COMMIT_CASES = [(0, 0), (0, DAY_SECONDS - 1), (1, 43_200), (7, 0), (7, DAY_SECONDS - 1)]
COMMIT_CASES += [(8, 0), (8, DAY_SECONDS - 1)]
INCIDENT_CASES = [(0, DAY_SECONDS - 1), (-1, 0), (13, 0), (13, DAY_SECONDS - 1)]
INCIDENT_CASES += [(14, 0), (14, DAY_SECONDS - 1)]
MODELS = ("int_github_facts_daily", "int_pagerduty_facts_daily")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory, manifest_dir) -> dict[str, str]:
    """The two models' SQL, compiled by dbt from the project (one dbt call)."""
    from tests.conftest import copy_manifest

    settings = Settings(home=tmp_path_factory.mktemp("days-since"))
    copy_manifest(manifest_dir, settings)
    settings.ensure_home()
    result = subprocess.run(
        [dbt_executable(), "compile", "--quiet", "--select", *MODELS],
        cwd=settings.dbt_project_dir,
        env={**os.environ, **settings.dbt_env()},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    folder = settings.dbt_target_dir / "compiled" / "readiness" / "models" / "intermediate"
    return {model: (folder / f"{model}.sql").read_text() for model in MODELS}


def pipeline_time_zone() -> str:
    """The time zone dbt runs in (TZ of its environment: DuckDB's session zone)."""
    return Settings().dbt_env()["TZ"]


def epoch_of(day: dt.date, back: int, seconds: int) -> int:
    return day_start_epoch(day.toordinal() - back) + seconds


def timestamp(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


def inputs(connection: duckdb.DuckDBPyConnection) -> None:
    """The models' upstream relations, with one entity per (day, case)."""
    connection.execute(
        """
        create schema intermediate; create schema staging;
        create table intermediate.int_evaluation_days (day date);
        create table intermediate.int_catalog_entities_daily (
            evaluated_on date, entity_ref varchar, kind varchar, github_repo varchar,
            pagerduty_service_id varchar);
        create table intermediate.int_provider_snapshot_days (
            evaluated_on date, provider varchar, snapshot_on date);
        create table staging.stg_github__repositories (
            snapshot_on date, repo_full_name varchar, branch_protected boolean,
            required_approving_review_count integer, ci_configured boolean);
        create table staging.stg_github__commits (repo_full_name varchar, committed_at timestamp);
        create table staging.stg_github__vulnerability_alerts (
            repo_full_name varchar, alert_number integer, severity varchar,
            created_at timestamp, fixed_at timestamp, dismissed_at timestamp);
        create table staging.stg_pagerduty__services (
            snapshot_on date, service_id varchar, escalation_policy_id varchar);
        create table staging.stg_pagerduty__escalation_policies (
            snapshot_on date, escalation_policy_id varchar, escalation_rule_count integer);
        create table staging.stg_pagerduty__incidents (
            incident_id varchar, service_id varchar, created_at timestamp with time zone);
        """
    )
    entities, repositories, commits, services, incidents, snapshots = [], [], [], [], [], []
    for day in YEAR:
        snapshots += [(day, "github", day), (day, "pagerduty", day)]
        for index, (back, seconds) in enumerate(COMMIT_CASES):
            repo = f"acme/{day}-c{index}"
            entities.append((day, f"component:default/{day}-c{index}", "component", repo, None))
            repositories.append((day, repo, True, 1, True))
            commits.append((repo, timestamp(epoch_of(day, back, seconds))))
        for index, (back, seconds) in enumerate(INCIDENT_CASES):
            service = f"P{day}-i{index}"
            entities.append((day, f"component:default/{day}-i{index}", "component", None, service))
            services.append((day, service, "EP"))
            created = dt.datetime.fromtimestamp(epoch_of(day, back, seconds), dt.UTC)
            incidents.append((f"{service}-1", service, created))
    connection.executemany(
        "insert into intermediate.int_evaluation_days values (?)", [(d,) for d in YEAR]
    )
    connection.executemany(
        "insert into intermediate.int_catalog_entities_daily values (?, ?, ?, ?, ?)", entities
    )
    connection.executemany(
        "insert into intermediate.int_provider_snapshot_days values (?, ?, ?)", snapshots
    )
    connection.executemany(
        "insert into staging.stg_github__repositories values (?, ?, ?, ?, ?)", repositories
    )
    connection.executemany("insert into staging.stg_github__commits values (?, ?)", commits)
    connection.executemany("insert into staging.stg_pagerduty__services values (?, ?, ?)", services)
    connection.execute(
        "insert into staging.stg_pagerduty__escalation_policies "
        "select distinct snapshot_on, 'EP', 2 from staging.stg_pagerduty__services"
    )
    connection.executemany(
        "insert into staging.stg_pagerduty__incidents values (?, ?, ?)", incidents
    )


def test_days_since_and_windows_agree_on_every_day_of_a_year(compiled):
    connection = duckdb.connect(":memory:")
    connection.execute(f"set TimeZone = '{pipeline_time_zone()}'")
    inputs(connection)

    def fact(model: str, column: str) -> dict[tuple[dt.date, str], int | None]:
        sql = f"select evaluated_on, entity_ref, {column} from ({compiled[model]})"
        return {(day, ref): value for day, ref, value in connection.execute(sql).fetchall()}

    ages = fact("int_github_facts_daily", "days_since_last_commit")
    counts = fact("int_pagerduty_facts_daily", "incident_count_14d")
    disagreements = []
    for day in YEAR:
        for index, (back, seconds) in enumerate(COMMIT_CASES):
            truth = days_since(epoch_of(day, back, seconds), day.toordinal())
            model = ages[(day, f"component:default/{day}-c{index}")]
            if model != truth or (model <= 7) != (truth <= 7):
                disagreements.append(("commit", day, back, seconds, model, truth))
        first, last = window_epochs(day.toordinal(), 14)
        for index, (back, seconds) in enumerate(INCIDENT_CASES):
            truth = int(first <= epoch_of(day, back, seconds) <= last)
            model = counts[(day, f"component:default/{day}-i{index}")]
            if model != truth:
                disagreements.append(("incident", day, back, seconds, model, truth))
    assert disagreements == []
    # the boundary itself, written out: 7 days old passes "at most 7 days", 8 does not
    assert [
        days_since(epoch_of(YEAR[0], back, s), YEAR[0].toordinal()) for back, s in COMMIT_CASES
    ] == [0, 0, 1, 7, 7, 8, 8]


def test_the_ground_truth_uses_calendar_days():
    # 2026-12-02: a commit at 00:00:00 UTC seven days before is 7 days old (the day the
    # suite once failed on, when the ground truth counted seconds).
    day = dt.date(2026, 12, 2).toordinal()
    assert days_since(day_start_epoch(day - 7), day) == 7
    assert days_since(day_start_epoch(day - 7) - 1, day) == 8
    first, last = window_epochs(day, 14)
    assert (first, last) == (day_start_epoch(day - 13), day_start_epoch(day + 1) - 1)
