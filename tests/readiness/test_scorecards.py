import textwrap
from pathlib import Path

import pytest

from readiness.errors import SpecError
from readiness.facts import load_facts
from readiness.standards import load_standards

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_RULES = {
    "bronze": {
        "dependency-set",
        "branch-protection",
        "logs-linked",
        "owner-set",
        "chat-channel-set",
        "monitor-set",
        "runbook-linked",
    },
    "silver": {
        "no-vulnerabilities",
        "ci-pipeline",
        "incident-playbook",
        "recent-commit",
        "merge-approval",
    },
    "gold": {"escalation-tiers", "slos-met", "few-incidents", "code-coverage"},
}


def test_shipped_template_has_exactly_the_sixteen_rules_on_their_levels():
    standards = load_standards(REPO / "scorecards")
    (template,) = [s for s in standards.scorecards if s.id == "production-readiness"]
    assert [level.name for level in template.scorecard.levels] == ["bronze", "silver", "gold"]
    by_level: dict[str, set[str]] = {}
    for compiled in template.rules:
        by_level.setdefault(compiled.rule.level, set()).add(compiled.rule.id)
        assert compiled.rule.description and compiled.rule.remediation and compiled.rule.points > 0
    assert by_level == TEMPLATE_RULES


def write(folder: Path, text: str, name: str = "card.yml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip())
    return path


CARD = """
id: card
name: Card
levels: [bronze, silver]
rules:
  - id: one
    name: One
    level: bronze
    points: 1
    description: d
    remediation: r
    condition: has_runbook_link
{extra}
"""


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(SpecError) as error:
        load_standards(folder, load_facts())
    return [str(p) for p in error.value.problems]


def rule(rule_id: str, level: str = "bronze", condition: str = "has_logs_link") -> str:
    return textwrap.indent(
        textwrap.dedent(
            f"""
            - id: {rule_id}
              name: N
              level: {level}
              points: 2
              description: d
              remediation: r
              condition: "{condition}"
            """
        ),
        "  ",
    )


def test_errors_name_file_line_rule_and_hint(tmp_path):
    path = write(
        tmp_path,
        CARD.format(
            extra=rule("one")
            + rule("two", level="platinum")
            + rule("three", condition="read_csv('/etc/passwd') is null")
            + rule("four", condition="has_runbok_link")
        ),
    )
    problems = problems_of(tmp_path)
    assert len(problems) == 4
    text = path.read_text().splitlines()
    dup, level, func, fact = problems
    assert dup.startswith(
        f"{path}:{text.index('  - id: one', 10) + 1}: rule 'one': duplicate rule id"
    )
    assert "rule 'two': unknown level 'platinum'" in level and "hint: use one of" in level
    assert f"{path}:" in level
    assert "rule 'three': condition: function 'read_csv' is not allowed" in func
    assert "rule 'four'" in fact and "did you mean has_runbook_link" in fact
    # the line named is the line of the offending key
    line_of_level = int(level.split(":")[1])
    assert "level: platinum" in text[line_of_level - 1]


def test_missing_and_unknown_keys_and_bad_ids(tmp_path):
    write(
        tmp_path,
        """
        id: Bad Id
        name: Card
        levels: [bronze]
        rules:
          - id: one
            name: One
            level: bronze
            points: 0
            description: d
            conditon: has_runbook_link
        """,
    )
    problems = problems_of(tmp_path)
    joined = "\n".join(problems)
    assert "'Bad Id' is not a valid id" in joined
    assert "rule 'one': missing key 'remediation'" in joined
    assert "rule 'one': unknown key 'conditon'" in joined
    assert "rules.0.points" in joined


def test_duplicate_scorecard_ids_across_files(tmp_path):
    write(tmp_path, CARD.format(extra=""), "a.yml")
    write(tmp_path, CARD.format(extra=""), "b.yml")
    (problem,) = problems_of(tmp_path)
    assert "duplicate scorecard id" in problem and "a.yml" in problem


def test_yaml_syntax_error_names_the_line(tmp_path):
    write(tmp_path, "id: card\nrules: [\n")
    (problem,) = problems_of(tmp_path)
    assert "invalid YAML" in problem and "card.yml:" in problem


def test_definition_hash_ignores_formatting_but_not_content(tmp_path):
    first = load_standards(write(tmp_path / "a", CARD.format(extra="")).parent).scorecards[0]
    reformatted = CARD.format(extra="").replace(
        "levels: [bronze, silver]", "levels:\n  - bronze\n  - silver\n# note"
    )
    second = load_standards(write(tmp_path / "b", reformatted).parent).scorecards[0]
    assert first.definition_hash == second.definition_hash
    changed = CARD.format(extra="").replace("points: 1", "points: 2")
    third = load_standards(write(tmp_path / "c", changed).parent).scorecards[0]
    assert third.definition_hash != first.definition_hash


def test_exemption_validation(tmp_path):
    write(tmp_path, CARD.format(extra=""))
    write(
        tmp_path / "exemptions",
        """
        - entity: component:default/a
          scorecard: card
          rule: one
          reason: r
          requested_by: me
          starts_on: 2026-01-01
        - entity: b
          scorecard: card
          rule: nope
          reason: r
          requested_by: me
          approved_by: you
          starts_on: 2026-01-01
        - entity: c
          scorecard: card
          rule: "*"
          reason: r
          requested_by: me
          approved_by: you
          starts_on: 2026-02-01
          expires_on: 2026-01-01
        - entity: d
          scorecard: nope
          rule: one
          reason: r
          requested_by: me
          approved_by: you
          starts_on: 2026-01-01
        """,
        "x.yml",
    )
    joined = "\n".join(problems_of(tmp_path))
    assert "missing key 'approved_by'" in joined and "every exemption needs an approver" in joined
    assert "unknown rule 'nope' in scorecard 'card'" in joined
    assert "expires_on 2026-01-01 is before starts_on 2026-02-01" in joined
    assert "unknown scorecard 'nope'" in joined
    assert "x.yml:" in joined


def test_facts_reference_page_is_generated_from_the_registry():
    from readiness.factsdoc import render

    assert (REPO / "docs" / "facts.md").read_text() == render(), (
        "docs/facts.md is out of date: run `python -m readiness.factsdoc > docs/facts.md`"
    )
