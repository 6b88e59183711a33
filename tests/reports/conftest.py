"""The compliance scenario: tests/scenarios/basic evaluated on three days in one backfill,
with exemptions (scenario/windows.yml) that are not started, active and expired across
those days. Reports, the gate and the exemption marts are all checked against it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from readiness.settings import Settings
from tests.conftest import BASIC, copy_manifest

HERE = Path(__file__).resolve().parent
D0, D1, D2 = dt.date(2026, 6, 14), dt.date(2026, 6, 15), dt.date(2026, 6, 16)
DAYS = (D0, D1, D2)
PAYMENTS, LEDGER, ORPHAN, SEARCH = (
    f"component:default/{n}" for n in ("payments-api", "ledger", "orphan-svc", "search-ui")
)


def dated_copies(source: Path, root: Path) -> Path:
    """One copy of ``source`` per scenario day, so every day has its own snapshot."""
    for day in DAYS:
        shutil.copytree(source, root / day.isoformat())
    return root / "{date}"


@pytest.fixture(scope="session")
def compliance(tmp_path_factory, manifest_dir) -> Settings:
    """The scenario's home, run once (one ingestion and one evaluation over three days)."""
    from orchestration.runner import run_days

    root = tmp_path_factory.mktemp("compliance")
    scorecards = root / "scorecards"
    shutil.copytree(BASIC / "scorecards", scorecards)
    shutil.rmtree(scorecards / "exemptions")
    (scorecards / "exemptions").mkdir()
    shutil.copy(HERE / "scenario" / "windows.yml", scorecards / "exemptions" / "windows.yml")
    settings = Settings(
        home=root / "home",
        catalog_dir=dated_copies(BASIC / "catalog", root / "catalog"),
        custom_data_dir=dated_copies(BASIC / "custom_data", root / "custom_data"),
        scorecards_dir=scorecards,
    )
    copy_manifest(manifest_dir, settings)
    summary = run_days(settings, D0, D2, quiet=True)
    assert summary.success, summary.failures
    return settings
