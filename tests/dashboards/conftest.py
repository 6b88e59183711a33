"""Fixtures of the dashboard tests: a small demo company with a week of history.

The hand-written scenario (`scenario_published`) has one day: exact numbers, unknown,
exempt and not-applicable outcomes, a team hierarchy. Trends, movers and level history
need days, so a small simulated company (30 services, 8 days, over HTTP like
`readiness demo`) is built once per test session and shared by the xdist workers
(a file lock; the first worker builds, the others wait and reuse), with its dbt docs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from streamlit.testing.v1 import AppTest

from readiness.settings import REPO_ROOT, Settings
from tests.conftest import copy_manifest

DEMO_SERVICES = 30
DEMO_DAYS = 8
VIEWS = REPO_ROOT / "dashboards" / "views"


def _session_root(request, tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker has its own base folder inside the session's folder.
    return base.parent if hasattr(request.config, "workerinput") else base


@pytest.fixture(scope="session")
def demo_home(request, tmp_path_factory, manifest_dir) -> Settings:
    """A published 30-service company with 8 days of history and generated dbt docs."""
    from orchestration.dbt_docs import generate_dbt_docs
    from orchestration.demo import run_demo

    root = _session_root(request, tmp_path_factory)
    settings = Settings(home=root / "dashboards-demo" / "home")
    done = settings.home.parent / "built"
    with FileLock(str(root / "dashboards-demo.lock")):
        if not done.exists():
            shutil.rmtree(settings.home, ignore_errors=True)  # a failed earlier attempt
            copy_manifest(manifest_dir, settings)
            result = run_demo(
                settings,
                services=DEMO_SERVICES,
                days=DEMO_DAYS,
                echo=lambda _: None,
                quiet=True,
            )
            assert result.summary.success, result.summary.failures
            generate_dbt_docs(settings, echo=lambda _: None)
            done.write_text(result.day.isoformat())
    return settings


def run_page(page: str, home: Path, monkeypatch, **query_params: str) -> AppTest:
    """Run one page file with AppTest against a home; fail on any exception shown."""
    monkeypatch.setenv("READINESS_HOME", str(home))
    app = AppTest.from_file(str(VIEWS / page), default_timeout=60)
    app.query_params.update(query_params)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}
