"""Which tests decide whether a day is published.

The tests of the scoring marts (outcomes, scores, entities, teams and what they are built
from) stop the build and the publish; a failing test of a side mart (initiatives and
notifications, compliance reports, catalog problems and relations) is a failed asset
check and a warning in the run's summary, and the day's scores still publish.
"""

from __future__ import annotations

import json
import shutil

import pytest

from orchestration.runner import run_days
from readiness.warehouse import connect_published
from tests.conftest import BASIC, SCENARIO_DAY

SIDE_FOLDERS = {"initiatives", "compliance", "catalog"}
SCORING = {"fct_rule_outcomes", "fct_entity_scores", "dim_entities", "dim_teams"}


def test_scoring_mart_tests_block_and_side_mart_tests_warn(manifest_dir):
    manifest = json.loads((manifest_dir / "manifest.json").read_text())
    severities: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        model = manifest["nodes"][node["attached_node"]]
        folder = model["fqn"][2] if model["fqn"][1] == "marts" and len(model["fqn"]) > 3 else None
        key = "side" if folder in SIDE_FOLDERS else model["name"]
        severities.setdefault(key, set()).add(node["config"]["severity"].lower())
    assert severities["side"] == {"warn"}
    for name in SCORING:
        assert severities[name] == {"error"}, name
    assert {"dim_notification_contacts", "fct_catalog_problems"} <= {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][2:3] and node["fqn"][2] in SIDE_FOLDERS
    }


@pytest.mark.slow
def test_a_failing_side_mart_test_still_publishes_the_scores(make_settings, tmp_path):
    # A copy of the project whose notification contacts carry a test that fails.
    project = tmp_path / "dbt_project"
    settings = make_settings(
        catalog_paths=(BASIC / "catalog",), scorecards_dir=BASIC / "scorecards"
    )
    shutil.copytree(
        settings.dbt_project_dir, project, ignore=shutil.ignore_patterns("target", "logs")
    )
    models = project / "models" / "marts" / "initiatives" / "_initiatives__models.yml"
    models.write_text(
        models.read_text().replace(
            "values: [okta, catalog_member, group_email, catalog_user]",
            "values: [okta]",
        )
    )
    settings = settings.with_(dbt_project_dir=project)
    shutil.rmtree(settings.dbt_target_dir)  # the copy is parsed for itself
    summary = run_days(settings, SCENARIO_DAY, quiet=True)
    assert summary.success, summary.failures
    assert summary.published == settings.published_path
    assert [
        w for w in summary.warnings if "dim_notification_contacts" in w and "accepted_values" in w
    ]
    connection = connect_published(settings)
    try:
        scores = connection.execute(
            "select count(*) from marts.fct_entity_scores where evaluated_on = ?", [SCENARIO_DAY]
        ).fetchone()
    finally:
        connection.close()
    assert scores == (4,)
