"""Shared fixtures: isolated homes, a dbt manifest parsed once per session."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from readiness.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "tests" / "scenarios"
REAL_RESPONSES = REPO / "tests" / "fixtures" / "real"  # recorded upstream responses
BASIC = SCENARIOS / "basic"
SCENARIO_DAY = dt.date(2026, 6, 15)

os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def manifest_dir(tmp_path_factory) -> Path:
    """dbt's manifest, parsed once: every test home gets a copy instead of a 6 s parse."""
    from orchestration.evaluation.manifest import ensure_manifest

    settings = Settings(home=tmp_path_factory.mktemp("manifest-home"))
    ensure_manifest(settings)
    return settings.dbt_target_dir


@pytest.fixture
def make_settings(tmp_path, manifest_dir):
    """Settings with a fresh home under tmp_path, and the session's manifest copied in."""

    def make(name: str = "home", **kwargs) -> Settings:
        settings = Settings(home=tmp_path / name, **kwargs)
        copy_manifest(manifest_dir, settings)
        return settings

    return make


def published_days(settings: Settings) -> list[dt.date]:
    """The days the published warehouse holds scores for, in order."""
    from readiness.warehouse import connect_published

    connection = connect_published(settings)
    try:
        rows = connection.execute(
            "select distinct evaluated_on from marts.fct_entity_scores order by 1"
        ).fetchall()
    finally:
        connection.close()
    return [row[0] for row in rows]


def copy_manifest(manifest_dir: Path, settings: Settings) -> None:
    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    for file in ("manifest.json", "manifest.fingerprint"):
        shutil.copy(manifest_dir / file, settings.dbt_target_dir / file)


@pytest.fixture(scope="session")
def _scenario_run(tmp_path_factory, manifest_dir) -> tuple[Settings, Settings]:
    """The basic scenario, run once through Dagster and published; plus a frozen copy of
    what it published, for readers that must not see later tests' runs."""
    from orchestration.runner import run_days

    root = tmp_path_factory.mktemp("scenario")
    settings = Settings(
        home=root / "home",
        catalog_dir=BASIC / "catalog",
        custom_data_dir=BASIC / "custom_data",
        scorecards_dir=BASIC / "scorecards",
    )
    copy_manifest(manifest_dir, settings)
    summary = run_days(settings, SCENARIO_DAY, quiet=True)
    assert summary.success, summary.failures
    frozen = Settings(home=root / "frozen")
    frozen.home.mkdir()
    shutil.copy(settings.published_path, frozen.published_path)
    return settings, frozen


@pytest.fixture(scope="session")
def scenario_home(_scenario_run) -> Settings:
    """The scenario's home: tests may run more days in it."""
    return _scenario_run[0]


@pytest.fixture(scope="session")
def scenario_published(_scenario_run) -> Settings:
    """A home holding only the scenario's first published warehouse, never changed."""
    return _scenario_run[1]
