"""Exemptions as code: what validation refuses (file, line, what to do), and the validity
window every part applies (starts_on <= day < expires_on)."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from ingestion.catalog.parse import read_catalog
from readiness.errors import SpecError
from readiness.exemptions import Exemption, ExemptionStatus
from readiness.standards import load_standards
from tests.conftest import BASIC
from tests.reports.conftest import HERE

VALID = {
    "entity": "ledger",
    "scorecard": "scenario",
    "rule": "runbook",
    "reason": "Being rewritten.",
    "requested_by": "alice@example.com",
    "approved_by": "cto@example.com",
    "starts_on": "2026-06-15",
    "expires_on": "2026-06-16",
}


def standards_with(tmp_path: Path, body: str):
    """The basic scenario's scorecard with ``body`` as its only exemption file."""
    folder = tmp_path / "scorecards"
    shutil.copytree(BASIC / "scorecards", folder)
    for old in (folder / "exemptions").iterdir():
        old.unlink()
    (folder / "exemptions" / "x.yml").write_text(textwrap.dedent(body).lstrip())
    known = {row["entity_ref"] for row in read_catalog(BASIC / "catalog").entities}
    return load_standards(folder, known_entities=known)


def problems(tmp_path: Path, body: str) -> list[str]:
    with pytest.raises(SpecError) as error:
        standards_with(tmp_path, body)
    return [str(problem) for problem in error.value.problems]


def one(**changes) -> str:
    """One exemption as YAML: VALID with ``changes`` (None drops a key)."""
    fields = {k: v for k, v in {**VALID, **changes}.items() if v is not None}
    return yaml.safe_dump([fields], sort_keys=False)


def test_the_scenario_exemptions_are_valid_against_the_catalog(tmp_path):
    standards = standards_with(tmp_path, (HERE / "scenario" / "windows.yml").read_text())
    assert [(e.entity_ref, e.exemption.rule) for e in standards.exemptions] == [
        ("component:default/ledger", "has-deps"),
        ("component:default/ledger", "runbook"),
        ("component:default/orphan-svc", "runbook"),
        ("component:default/search-ui", "*"),
    ]


def test_an_unknown_entity_is_refused_with_file_and_line(tmp_path):
    (problem,) = problems(tmp_path, "# first line\n" + one(entity="ledgr"))
    assert problem.endswith(
        "x.yml:2: exemption of component:default/ledgr from scenario/runbook: unknown entity "
        "'component:default/ledgr' (not in the catalog) (hint: use the entity's ref as in the "
        "catalog, e.g. component:default/name)"
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"approved_by": None},
            "missing key 'approved_by' (hint: every exemption needs an approver)",
        ),
        ({"approved_by": "  "}, "'approved_by' is empty (hint: every exemption needs an approver)"),
        (
            {"approved_by": "Alice@example.com"},
            "approved by its own requester (alice@example.com)",
        ),
        (
            {"starts_on": "2026-06-16", "expires_on": "2026-06-15"},
            "expires_on 2026-06-15 is before starts_on 2026-06-16",
        ),
        (
            {"expires_on": "2026-06-15"},
            "expires_on 2026-06-15 is the same day as starts_on: the exemption would never apply",
        ),
        ({"rule": "runbok"}, "unknown rule 'runbok' in scorecard 'scenario'"),
        ({"scorecard": "prod"}, "unknown scorecard 'prod'"),
        ({"expires": "2026-07-01"}, "unknown key 'expires'"),
        ({"starts_on": "soon"}, "starts_on: 'soon' is not a date"),
    ],
)
def test_each_invalid_exemption_gets_a_clear_error(tmp_path, changes, expected):
    (problem,) = problems(tmp_path, one(**changes))
    assert "x.yml:" in problem
    assert expected in problem


def test_overlapping_windows_of_one_rule_are_refused_but_consecutive_ones_are_not(tmp_path):
    consecutive = one() + one(starts_on="2026-06-16", expires_on="2026-07-01")
    assert len(standards_with(tmp_path / "a", consecutive).exemptions) == 2
    overlapping = one() + one(starts_on="2026-01-01", expires_on=None)
    (problem,) = problems(tmp_path / "b", overlapping)
    starts_on_line = overlapping.splitlines().index("  starts_on: '2026-01-01'") + 1
    assert (
        f"x.yml:{starts_on_line}: exemption of component:default/ledger from scenario/runbook: "
        "overlaps the exemption at "
    ) in problem
    assert "x.yml:1 (2026-06-15 to 2026-06-16)" in problem


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2026, 6, 14), ExemptionStatus.NOT_STARTED),
        (dt.date(2026, 6, 15), ExemptionStatus.ACTIVE),  # starts_on: first day it applies
        (dt.date(2026, 6, 16), ExemptionStatus.EXPIRED),  # expires_on: first day it does not
        (dt.date(2030, 1, 1), ExemptionStatus.EXPIRED),
    ],
)
def test_validity_window(day, status):
    assert Exemption.model_validate(VALID).status_on(day) is status


def test_without_expiry_an_exemption_stays_active():
    exemption = Exemption.model_validate({**VALID, "expires_on": None})
    assert exemption.status_on(dt.date(2099, 12, 31)) is ExemptionStatus.ACTIVE
    assert exemption.status_on(dt.date(2026, 6, 14)) is ExemptionStatus.NOT_STARTED
