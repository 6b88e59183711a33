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


def copy_manifest(manifest_dir: Path, settings: Settings) -> None:
    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    for file in ("manifest.json", "manifest.fingerprint"):
        shutil.copy(manifest_dir / file, settings.dbt_target_dir / file)


@pytest.fixture(scope="session")
def scenario_home(tmp_path_factory, manifest_dir) -> Settings:
    """The basic scenario, run once through Dagster and published."""
    from orchestration.runner import run_days

    settings = Settings(
        home=tmp_path_factory.mktemp("scenario") / "home",
        catalog_dir=BASIC / "catalog",
        custom_data_dir=BASIC / "custom_data",
        scorecards_dir=BASIC / "scorecards",
    )
    copy_manifest(manifest_dir, settings)
    summary = run_days(settings, SCENARIO_DAY, quiet=True)
    assert summary.success, summary.failures
    return settings
