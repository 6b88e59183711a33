import shutil
from pathlib import Path

from ingestion.catalog.parse import read_catalog, tier_number

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "tests" / "fixtures" / "real" / "backstage"
SCENARIO = REPO / "tests" / "scenarios" / "basic" / "catalog"


def test_reads_the_real_backstage_descriptors(tmp_path):
    shutil.copytree(REAL, tmp_path / "catalog")
    rows = read_catalog(tmp_path / "catalog")
    # these four files are excerpts of Backstage's example catalog: what they name and do
    # not hold is reported, nothing is an error
    assert rows.count("error") == 0
    assert {(p["problem"], p["message"]) for p in rows.problems} == {
        (
            "dangling-reference",
            "spec.system: system:default/artist-engagement-portal is not in the catalog",
        ),
        ("dangling-reference", "spec.owner: group:default/team-c is not in the catalog"),
        ("dangling-reference", "spec.domain: domain:default/playback is not in the catalog"),
        ("dangling-reference", "spec.owner: group:default/cncf is not in the catalog"),
        ("dangling-reference", "spec.parent: group:default/backstage is not in the catalog"),
    }
    refs = {e["entity_ref"]: e for e in rows.entities}
    assert set(refs) >= {
        "component:default/artist-lookup",
        "component:default/backstage",
        "group:default/team-a",
        "user:default/breanna.davison",
        "system:default/audio-playback",
    }
    lookup = refs["component:default/artist-lookup"]
    assert lookup["owner_ref"] == "group:default/team-a"  # short owner expanded
    assert lookup["system_ref"] == "system:default/artist-engagement-portal"
    assert lookup["lifecycle"] == "experimental"
    assert refs["system:default/audio-playback"]["domain_ref"] == "domain:default/playback"
    assert refs["group:default/team-a"]["parent_ref"] == "group:default/backstage"
    relations = {(r["source_ref"], r["relation"], r["target_ref"]) for r in rows.relations}
    assert ("user:default/janelle.dawe", "member_of", "group:default/team-a") in relations
    assert ("group:default/team-a", "child_of", "group:default/backstage") in relations
    annotations = {(a["entity_ref"], a["key"]): a["value"] for a in rows.annotations}
    assert (
        annotations[("component:default/backstage", "github.com/project-slug")]
        == "backstage/backstage"
    )
    assert annotations[("component:default/artist-lookup", "backstage.io/tag")] == "data"
    # links without a type fall back to their icon
    types = {(link["entity_ref"], link["link_type"]) for link in rows.links}
    assert ("component:default/artist-lookup", "dashboard") in types


def test_malformed_documents_are_reported_and_skipped(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(SCENARIO, folder)
    (folder / "zz-broken.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: fine\n"
        "spec:\n  owner: payments\n---\nkind: [unclosed\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Spaceship\nmetadata:\n  name: x\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger\n"
    )
    rows = read_catalog(folder)
    errors = {(e["file"], e["document_index"]): e for e in rows.problems}
    assert errors[("zz-broken.yaml", 2)]["message"].startswith("invalid YAML")
    assert errors[("zz-broken.yaml", 2)]["line"] == 8
    assert errors[("zz-broken.yaml", 4)]["problem"] == "duplicate-entity"
    assert errors[("zz-broken.yaml", 4)]["message"] == (
        "component:default/ledger is defined again (first in services.yaml document 2); "
        "this one is skipped"
    )
    assert errors[("services.yaml", 6)]["message"] == "metadata.name is missing"
    refs = {e["entity_ref"]: e for e in rows.entities}
    assert "component:default/fine" in refs  # the document before the broken one loaded
    assert "component:default/payments-api" in refs
    # an unfamiliar kind is no error: it loads with its kind, for scorecards to target
    assert refs["spaceship:default/x"]["kind"] == "spaceship"
    assert ("zz-broken.yaml", 3) not in errors


def test_tier_numbers():
    assert [tier_number(v) for v in ("tier-1", "2", "tier3", "T4", None, "critical")] == [
        1,
        2,
        3,
        4,
        None,
        None,
    ]
