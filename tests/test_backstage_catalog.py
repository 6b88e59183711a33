"""A catalog written as Backstage users write it (tests/scenarios/backstage, issue 12).

What each convention must give is written down by hand below, from the files: the
entities reached (through the entry file's Locations, or the whole folder), the problems
reported, and every (entity, rule) outcome, score and level. They are compared exactly
through the file source, and through the Backstage catalog API source against the
simulator serving the same descriptors.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from ingestion.catalog.parse import read_catalog
from orchestration.demo import environment
from orchestration.runner import run_days
from readiness.warehouse import connect_published
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "backstage"
CATALOG = SCENARIO / "catalog"
ENTRY = CATALOG / "catalog-info.yaml"
DAY = dt.date(2026, 6, 15)

# Every entity the entry file's Locations reach: (kind, title, display name) as written.
REACHED = {
    "location:default/acme-root": ("location", "acme-root", "acme-root"),
    "location:default/loop-first": ("location", "loop-first", "loop-first"),
    "location:default/loop-second": ("location", "loop-second", "loop-second"),
    "location:default/platform": ("location", "platform", "platform"),
    "group:default/engineering": ("group", "engineering", "Engineering"),
    "group:default/payments": ("group", "payments (group)", "Payments Team"),
    "group:default/search": ("group", "Search", "Search"),
    "group:default/empty-team": ("group", "empty-team", "empty-team"),
    "user:default/alice": ("user", "alice", "Alice Adams"),
    "user:default/bob": ("user", "bob", "bob"),
    "user:default/bea": ("user", "bea", "bea"),
    "user:default/carol": ("user", "carol", "carol"),
    "user:default/dave": ("user", "dave", "dave"),
    "system:default/checkout": ("system", "checkout", "checkout"),
    "component:default/checkout-api": ("component", "Checkout-API", "Checkout-API"),
    "component:default/checkout-worker": ("component", "Checkout worker", "Checkout worker"),
    "resource:default/orders-db": ("resource", "orders-db", "orders-db"),
    "component:default/search-ui": ("component", "Search UI", "Search UI"),
    "component:default/legacy-report": ("component", "legacy-report", "legacy-report"),
    "api:default/petstore": ("api", "Petstore API", "Petstore API"),
    "domain:default/commerce": ("domain", "Commerce", "Commerce"),
    "domain:default/payments-domain": ("domain", "payments-domain", "payments-domain"),
    "template:default/new-service": ("template", "New service", "New service"),
    "airesource:default/assistant": ("airesource", "Support assistant", "Support assistant"),
}
STRAY = {"component:default/stray": ("component", "stray", "stray")}  # folder scan only

# Problems only the whole catalog shows (dangling references): the same from any source.
DANGLING = {
    (
        "warning",
        "dangling-reference",
        "user:default/dave",
        "spec.memberOf: group:default/ghost-team is not in the catalog",
    ),
    (
        "warning",
        "dangling-reference",
        "component:default/checkout-api",
        "spec.dependsOn: component:default/ghost-svc is not in the catalog",
    ),
    (
        "warning",
        "dangling-reference",
        "component:default/legacy-report",
        "spec.dependsOn: component:default/nowhere is not in the catalog",
    ),
}
# Problems of reading files: (severity, problem, file, line, entity, message)
FILE_PROBLEMS = {
    (
        "warning",
        "location-target-missing",
        "catalog-info.yaml",
        15,
        "location:default/acme-root",
        "Location target ./missing.yaml does not exist",
    ),
    (
        "warning",
        "location-cycle",
        "loop/second.yaml",
        7,
        "location:default/loop-second",
        "Location target ./first.yaml leads back to loop/first.yaml, which is on its own "
        "path of Locations: not followed again",
    ),
    (
        "note",
        "not-a-descriptor",
        "apis/petstore.oas.yaml",
        None,
        None,
        "not an entity descriptor (no apiVersion or kind): skipped",
    ),
}

SCORED = ("checkout-api", "checkout-worker", "search-ui", "legacy-report", "assistant")
RULES = ("owner-set", "has-deps", "runbook", "team-owner")
EXPECTED_OUTCOMES = {
    # owner-set: Payments has 3 members by memberOf (bob, alice, and bea by full ref)
    "checkout-api": ("pass", "pass", "pass", "pass"),  # ghost-svc does not count
    # a User owner is allowed (owner-set) but not a team (team-owner)
    "checkout-worker": ("pass", "pass", "fail", "fail"),
    # Search's member comes from Group.spec.members; orders-db's dependencyOf is its dependency
    "search-ui": ("pass", "pass", "fail", "pass"),
    # empty-team has no member; the only dependsOn is dangling
    "legacy-report": ("fail", "fail", "fail", "pass"),
    # a custom kind, targeted by the scorecard
    "assistant": ("pass", "fail", "pass", "pass"),
}
EXPECTED_SCORES = {
    "checkout-api": (100.0, "silver"),
    "checkout-worker": (60.0, "bronze"),
    "search-ui": (80.0, "bronze"),
    "legacy-report": (20.0, None),
    "assistant": (80.0, None),
}
OWNER_SET_REASONS = {
    "legacy-report": "owner group:default/empty-team has no member in the catalog (no User "
    "lists it in spec.memberOf, and its spec.members is empty)",
}
TEAMS = {
    # team: (title, root, depth, catalog members)
    "group:default/engineering": ("Engineering", "group:default/engineering", 0, 0),
    "group:default/payments": ("Payments Team", "group:default/engineering", 1, 3),
    "group:default/search": ("Search", "group:default/engineering", 1, 1),
    "group:default/empty-team": ("empty-team", "group:default/engineering", 1, 0),
}
RELATIONS = {
    ("component:default/checkout-worker", "subcomponent_of", "component:default/checkout-api"),
    ("domain:default/payments-domain", "subdomain_of", "domain:default/commerce"),
    ("component:default/checkout-api", "provides_api", "api:default/petstore"),
    ("component:default/checkout-worker", "consumes_api", "api:default/petstore"),
    ("component:default/search-ui", "depends_on", "resource:default/orders-db"),
    ("component:default/checkout-api", "depends_on", "resource:default/orders-db"),
    ("component:default/checkout-api", "depends_on", "component:default/ghost-svc"),
}
# Payments is told once at the mailbox bob and bea share.
PAYMENTS_CONTACTS = {
    ("alice@example.com", "user:default/alice", "catalog_member"),
    ("payments-oncall@example.com", "user:default/bea", "catalog_member"),
}


def problem_set(problems) -> set[tuple]:
    return {
        (p["severity"], p["problem"], p["file"], p["line"], p["entity_ref"], p["message"])
        for p in problems
    }


def test_the_entry_file_reaches_what_its_locations_name():
    rows = read_catalog(ENTRY)
    assert {
        e["entity_ref"]: (e["kind"], e["title"], e["display_name"] or e["title"])
        for e in rows.entities
    } == REACHED
    problems = problem_set(rows.problems)
    dangling = {p for p in problems if p[1] == "dangling-reference"}
    assert {(p[0], p[1], p[4], p[5]) for p in dangling} == DANGLING
    assert problems - dangling == FILE_PROBLEMS


def test_a_folder_is_read_whole_and_each_file_once():
    folder = read_catalog(CATALOG)
    assert {e["entity_ref"] for e in folder.entities} == set(REACHED) | set(STRAY)
    # org.yaml is named twice by the entry file and found by the scan: no duplicates
    assert not [p for p in folder.problems if p["problem"] == "duplicate-entity"]
    assert problem_set(folder.problems) == problem_set(read_catalog(ENTRY).problems)
    # the entry file and the folder together: the same, read once
    both = read_catalog([ENTRY, CATALOG])
    assert sorted(e["entity_ref"] for e in both.entities) == sorted(set(REACHED) | set(STRAY))


def test_placeholders_and_spec_relations_are_kept_as_written():
    rows = read_catalog(ENTRY)
    relations = {(r["source_ref"], r["relation"], r["target_ref"]) for r in rows.relations}
    assert relations >= RELATIONS
    assert ("user:default/carol", "member_of", "group:default/search") in relations
    locations = {e["entity_ref"]: e for e in rows.entities if e["kind"] == "location"}
    assert locations["location:default/loop-first"]["file"] == "loop/first.yaml"


def served_documents() -> list[tuple[str, dict]]:
    """What a Backstage fed from the entry file serves: the descriptors the file source
    reached (Backstage follows the same Locations), each from its file."""
    rows = read_catalog(ENTRY)
    wanted = {(e["file"], e["document_index"]) for e in rows.entities}
    documents = []
    for file in sorted({file for file, _ in wanted}):
        for index, document in enumerate(yaml.safe_load_all((CATALOG / file).read_text()), 1):
            if (file, index) in wanted:
                documents.append((file, document))
    return documents


@pytest.fixture(scope="module")
def through_files(tmp_path_factory, manifest_dir):
    from readiness.settings import Settings
    from tests.conftest import copy_manifest

    settings = Settings(
        home=tmp_path_factory.mktemp("backstage-files") / "home",
        catalog_paths=(ENTRY,),
        scorecards_dir=SCENARIO / "scorecards",
    )
    copy_manifest(manifest_dir, settings)
    summary = run_days(settings, DAY, quiet=True)
    assert summary.success, summary.failures
    assert not summary.source_failures and not summary.warnings
    return settings


@pytest.fixture(scope="module")
def through_api(tmp_path_factory, manifest_dir):
    from readiness.settings import Settings
    from simulator import SimulatorServers, generate_company
    from tests.conftest import copy_manifest

    settings = Settings(
        home=tmp_path_factory.mktemp("backstage-api") / "home",
        scorecards_dir=SCENARIO / "scorecards",
    )
    copy_manifest(manifest_dir, settings)
    with SimulatorServers(generate_company(seed=7, services=5, today=DAY)) as servers:
        servers.apis["backstage"].serve_entities(served_documents())
        config = {
            "SOURCES__BACKSTAGE__BASE_URL": servers.base_urls["backstage"],
            "SOURCES__BACKSTAGE__TOKEN": servers.credentials["backstage"]["token"],
            "SOURCES__BACKSTAGE__PAGE_SIZE": "5",
        }
        with environment(config):
            summary = run_days(settings, DAY, quiet=True)
        requests = servers.stats()[("backstage", "GET /api/catalog/entities/by-query")]
    assert summary.success, summary.failures
    assert not summary.source_failures and not summary.warnings
    return settings, requests


def fetch(settings, sql: str, *params):
    connection = connect_published(settings)
    try:
        return connection.execute(sql, list(params)).fetchall()
    finally:
        connection.close()


def check_published(settings, expected_entities: dict) -> None:
    entities = fetch(
        settings, "select entity_ref, kind, title, display_name, is_current from marts.dim_entities"
    )
    assert {ref: (kind, title, name) for ref, kind, title, name, _ in entities} == (
        expected_entities
    )
    outcomes = fetch(
        settings,
        "select entity_ref, rule_id, outcome, reason from marts.fct_rule_outcomes "
        "where evaluated_on = ?",
        DAY,
    )
    refs = {name: ref for ref in expected_entities if (name := ref.split("/", 1)[1]) in SCORED}
    assert {(ref, rule): outcome for ref, rule, outcome, _ in outcomes} == {
        (refs[name], rule): outcome
        for name, row in EXPECTED_OUTCOMES.items()
        for rule, outcome in zip(RULES, row, strict=True)
    }
    reasons = {ref: reason for ref, rule, outcome, reason in outcomes if rule == "owner-set"}
    assert {name: reasons[refs[name]] for name in OWNER_SET_REASONS} == OWNER_SET_REASONS
    scores = fetch(
        settings,
        "select entity_ref, score_pct, level from marts.fct_entity_scores where evaluated_on = ?",
        DAY,
    )
    assert {ref: (score, level) for ref, score, level in scores} == {
        refs[name]: expected for name, expected in EXPECTED_SCORES.items()
    }
    facts = fetch(
        settings,
        "select entity_ref, owner_kind, owner_member_source, owner_active_member_count, "
        "dependency_count from marts.fct_entity_facts where evaluated_on = ? "
        "and entity_ref in ('component:default/checkout-worker', 'component:default/checkout-api')",
        DAY,
    )
    assert sorted(facts) == [
        ("component:default/checkout-api", "group", "catalog", 3, 1),
        ("component:default/checkout-worker", "user", "catalog", 1, 1),
    ]
    teams = fetch(
        settings,
        "select team_ref, title, root_ref, depth, catalog_member_count from marts.dim_teams",
    )
    assert {team: tuple(rest) for team, *rest in teams} == TEAMS
    relations = fetch(
        settings, "select entity_ref, relation, target_ref from marts.dim_entity_relations"
    )
    assert set(relations) >= RELATIONS
    contacts = fetch(
        settings,
        "select email, person, source from marts.dim_notification_contacts "
        "where recipient_ref = 'group:default/payments'",
    )
    assert set(contacts) == PAYMENTS_CONTACTS


@pytest.mark.slow
def test_the_entry_file_publishes_and_scores_every_component_it_reaches(through_files):
    check_published(through_files, REACHED)
    problems = fetch(
        through_files,
        "select severity, problem, file, line, entity_ref, message "
        "from marts.fct_catalog_problems where snapshot_on = ?",
        DAY,
    )
    assert {(p[0], p[1], p[4], p[5]) for p in problems} >= DANGLING
    assert set(problems) >= FILE_PROBLEMS and len(problems) == len(FILE_PROBLEMS) + len(DANGLING)


@pytest.mark.slow
def test_the_catalog_api_gives_the_same_entities_and_outcomes(through_api):
    settings, requests = through_api
    check_published(settings, REACHED)
    # 24 entities, 5 a page: 5 requests, following the cursor
    assert requests == 5
    problems = fetch(
        settings,
        "select severity, problem, entity_ref, message, provider, file "
        "from marts.fct_catalog_problems where snapshot_on = ?",
        DAY,
    )
    # Backstage follows the Locations itself: only what the whole catalog shows is left
    assert {p[:4] for p in problems} == DANGLING
    assert {p[4] for p in problems} == {"backstage_api"}
    assert {p[5] for p in problems} == {
        "file:/srv/catalog/org.yaml",
        "file:/srv/catalog/services/checkout.yaml",
        "file:/srv/catalog/services/search.yaml",
    }
    provider = fetch(settings, "select distinct provider from marts.dim_entities")
    assert provider == [("backstage_api",)]


def test_served_documents_are_the_reached_descriptors():
    documents = served_documents()
    assert len(documents) == len(REACHED)
    assert all(Path(CATALOG / file).is_file() for file, _ in documents)


@pytest.mark.slow
def test_the_service_and_team_pages_show_the_catalog_problems(through_files, monkeypatch):
    from tests.dashboards.conftest import run_page

    app = run_page(
        "service.py", through_files.home, monkeypatch, service="component:default/legacy-report"
    )
    warnings = [w.value for w in app.warning]
    assert any(
        "spec.dependsOn: component:default/nowhere is not in the catalog" in w
        and "services/search.yaml:20 (document 2)" in w
        for w in warnings
    ), warnings
    rules = app.dataframe[0].value.set_index("name")
    assert rules.loc["Owner set and staffed", "reason"] == OWNER_SET_REASONS["legacy-report"]

    app = run_page("team.py", through_files.home, monkeypatch, team="group:default/payments")
    assert app.header[0].value == "Payments Team"
    warnings = [w.value for w in app.warning]
    assert any(
        "`component:default/checkout-api` spec.dependsOn: component:default/ghost-svc is not "
        "in the catalog" in w
        for w in warnings
    ), warnings
    services = app.dataframe[-1].value
    # checkout-worker is owned by a User of Payments: it counts in the team
    assert set(services.title) == {"Checkout-API", "Checkout worker"}
