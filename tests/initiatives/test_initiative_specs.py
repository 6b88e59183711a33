"""Initiatives as code: validated like scorecards, with file, line, initiative and hint."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from ingestion.scorecards import initiative_rows
from readiness.errors import SpecError
from readiness.standards import load_standards
from tests.initiatives.company import SCORECARD

REPO = Path(__file__).resolve().parents[2]

GOOD = """
id: runbooks
name: Runbooks
scorecard: ops
target:
  rules: [runbook]
entities:
  tier: [1, 2]
  lifecycle: production
  team: payments
  where: "dependency_count >= 1"
start_date: 2026-03-02
due_date: 2026-03-31
owner: tina
"""


def standards(tmp_path: Path, initiative: str, name: str = "q1.yml"):
    (tmp_path / "initiatives").mkdir(parents=True, exist_ok=True)
    (tmp_path / "ops.yml").write_text(textwrap.dedent(SCORECARD).lstrip())
    (tmp_path / "initiatives" / name).write_text(textwrap.dedent(initiative).lstrip())
    return load_standards(tmp_path, known_entities=None)


def problems(tmp_path: Path, initiative: str, known: set[str] | None = None) -> list[str]:
    (tmp_path / "initiatives").mkdir(parents=True, exist_ok=True)
    (tmp_path / "ops.yml").write_text(textwrap.dedent(SCORECARD).lstrip())
    (tmp_path / "initiatives" / "q1.yml").write_text(textwrap.dedent(initiative).lstrip())
    with pytest.raises(SpecError) as info:
        load_standards(tmp_path, known_entities=known)
    return [str(problem) for problem in info.value.problems]


def test_a_valid_initiative_compiles_its_filter_like_a_rule_condition(tmp_path):
    (initiative,) = standards(tmp_path, GOOD).initiatives
    assert initiative.owner_ref == "user:default/tina"
    assert initiative.team_refs == ("group:default/payments",)
    assert initiative.target_rules == ("runbook",)
    assert initiative.entity_filter.source_text == (
        "(tier in (1, 2)) and (lifecycle in ('production')) and (dependency_count >= 1)"
    )
    assert initiative.entity_filter.sql["duckdb"].startswith("(f.tier IN (1, 2))")
    assert initiative.entity_filter.facts == ("dependency_count", "lifecycle", "tier")
    defaults = initiative.initiative.notifications
    assert defaults.channels == ["slack", "email"] and defaults.reminders == [7, 1]
    assert defaults.digest.cadence == "weekly" and defaults.digest.weekday == "monday"


def test_the_hash_ignores_formatting_and_follows_content(tmp_path):
    first = standards(tmp_path / "a", GOOD).initiatives[0].definition_hash
    reformatted = GOOD.replace("rules: [runbook]", "rules:\n    - runbook") + "# a comment\n"
    assert standards(tmp_path / "b", reformatted).initiatives[0].definition_hash == first
    moved = GOOD.replace("2026-03-31", "2026-04-30")
    assert standards(tmp_path / "c", moved).initiatives[0].definition_hash != first


@pytest.mark.parametrize(
    ("change", "line", "expected"),
    [
        (("scorecard: ops", "scorecard: opz"), 3, "unknown scorecard 'opz' (hint: use one of ops)"),
        (("rules: [runbook]", "rules: [runbook, runbok]"), 5, "unknown rule 'runbok'"),
        (("  rules: [runbook]", "  level: platinum"), 5, "unknown level 'platinum'"),
        (("due_date: 2026-03-31", "due_date: 2026-02-01"), 12, "is not after start_date"),
        (("dependency_count >= 1", "dependncy_count >= 1"), 10, "did you mean dependency_count"),
        (
            ("dependency_count >= 1", "tier in (select 1)"),
            10,
            "entities.where: subqueries are not allowed",
        ),
        (("  tier: [1, 2]", "  tier: [1, 2]\n  teir: 3"), 8, "unknown key 'entities.teir'"),
        (("owner: tina", "owner: component:default/x"), 13, "neither a user nor a group"),
        (("start_date: 2026-03-02", "start_date: March"), 11, "'March' is not a date"),
        (("owner: tina", "owner: tina\nnotifications: {reminders: [0]}"), 14, "out of range"),
        (("owner: tina", "owner: tina\nnotifications: {channels: [pager]}"), 14, "channels.0"),
    ],
)
def test_every_mistake_is_named_with_file_line_initiative_and_hint(
    tmp_path, change, line, expected
):
    (found,) = problems(tmp_path, GOOD.replace(*change))
    assert f"q1.yml:{line}: initiative 'runbooks': " in found
    assert expected in found
    assert "(hint: " in found


def test_teams_and_owner_are_checked_against_the_catalog_when_given(tmp_path):
    known = {"group:default/payments", "user:default/alice"}
    found = problems(tmp_path, GOOD.replace("team: payments", "team: paymnets"), known)
    assert any("q1.yml:9:" in p and "unknown group 'group:default/paymnets'" in p for p in found)
    assert any("q1.yml:13:" in p and "unknown owner 'user:default/tina'" in p for p in found)


def test_duplicate_ids_and_every_document_are_reported(tmp_path):
    two = GOOD + "---\n" + GOOD.replace("scorecard: ops", "scorecard: nope")
    found = problems(tmp_path, two)
    assert len(found) == 1 and "unknown scorecard 'nope'" in found[0]
    assert "q1.yml:18:" in found[0]
    found = problems(tmp_path, GOOD + "---\n" + GOOD)
    assert len(found) == 1 and "duplicate initiative id" in found[0]


def test_the_shipped_initiatives_validate_against_the_shipped_scorecards():
    shipped = load_standards(REPO / "scorecards").initiatives
    assert {i.id for i in shipped} == {"observable-tier-1-2", "tier-1-bronze"}
    by_id = {i.id: i for i in shipped}
    assert by_id["observable-tier-1-2"].target_rules == ("monitor-set", "logs-linked")
    assert by_id["tier-1-bronze"].target_level == "bronze"


def test_the_warehouse_rows_carry_the_compiled_filter_and_no_surprises(tmp_path):
    (initiative,) = standards(tmp_path, GOOD).initiatives
    rows = initiative_rows(initiative)
    (row,) = rows["initiatives"]
    assert row["initiative_id"] == "runbooks"
    assert row["definition_hash"] == initiative.definition_hash
    assert row["target_type"] == "rules" and row["target_level"] is None
    assert row["entity_filter_sql_postgres"] == initiative.entity_filter.sql["postgres"]
    assert row["reminder_days"] == "1,7" and row["channels"] == "slack,email"
    assert rows["initiative_rules"] == [
        {
            "initiative_id": "runbooks",
            "definition_hash": row["definition_hash"],
            "rule_id": "runbook",
            "position": 1,
        }
    ]
    assert [r["team_ref"] for r in rows["initiative_teams"]] == ["group:default/payments"]


def test_the_demo_moves_every_initiative_to_start_with_its_history(tmp_path):
    from orchestration.demo import demo_standards

    first = dt.date(2031, 5, 5)
    dates = demo_standards(REPO / "scorecards", tmp_path / "standards", first)
    shipped = {i.id: i.initiative for i in load_standards(REPO / "scorecards").initiatives}
    earliest = min(i.start_date for i in shipped.values())
    assert dates == {
        iid: (i.start_date - earliest + first, i.due_date - earliest + first)
        for iid, i in shipped.items()
    }
    assert min(start for start, _ in dates.values()) == first
    # the copy keeps everything else, comments included; the shipped files are untouched
    copy = (tmp_path / "standards" / "initiatives" / "tier-1-bronze.yml").read_text()
    original = (REPO / "scorecards" / "initiatives" / "tier-1-bronze.yml").read_text()
    assert copy.splitlines()[0] == original.splitlines()[0]
    assert f"start_date: {first}" in copy and f"start_date: {first}" not in original
    assert (tmp_path / "standards" / "production-readiness.yml").read_bytes() == (
        REPO / "scorecards" / "production-readiness.yml"
    ).read_bytes()
