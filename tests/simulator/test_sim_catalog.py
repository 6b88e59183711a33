"""The files: Backstage descriptors, custom data and Cobertura reports, as of a date."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml

from simulator import write_catalog, write_coverage, write_custom_data
from simulator.cobertura import line_rate
from simulator.model import Company
from tests.simulator.sim_support import REAL, TODAY


def _entities(root: Path) -> list[dict]:
    docs = []
    for path in sorted(root.rglob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return docs


def test_catalog_has_every_kind_and_the_join_annotations(company: Company, tmp_path: Path) -> None:
    written = write_catalog(company, tmp_path)
    assert (tmp_path / "catalog-info.yaml") in written
    entities = _entities(tmp_path)
    kinds = Counter(e["kind"] for e in entities)
    assert set(kinds) == {
        "Location",
        "Domain",
        "System",
        "Group",
        "User",
        "Component",
        "API",
        "Resource",
    }
    assert kinds["Component"] == sum(s.exists_on(company.today_day) for s in company.services)
    assert all(e["apiVersion"] == "backstage.io/v1alpha1" for e in entities)
    components = [e for e in entities if e["kind"] == "Component"]
    for c in components:
        annotations = c["metadata"]["annotations"]
        assert annotations["github.com/project-slug"].startswith("acme/")
        assert "datadoghq.com/service-name" in annotations
        assert c["metadata"]["labels"]["tier"] in {"tier-1", "tier-2", "tier-3"}
        assert c["spec"]["lifecycle"] in {"production", "experimental", "deprecated"}
    assert any("pagerduty.com/service-id" not in c["metadata"]["annotations"] for c in components)
    assert any("dependsOn" not in c["spec"] for c in components)
    link_types = Counter(
        link["type"] for c in components for link in c["metadata"].get("links", [])
    )
    assert {"runbook", "logs", "dashboard", "chat", "slack", "playbook"} <= set(link_types)
    groups = {e["metadata"]["name"]: e for e in entities if e["kind"] == "Group"}
    assert all("okta.com/group-name" in g["metadata"]["annotations"] for g in groups.values())
    assert all(
        g["metadata"]["annotations"]["github.com/team-slug"].startswith("acme/")
        for g in groups.values()
    )
    owners = [c["spec"]["owner"] for c in components]
    dangling = [
        o for o in owners if o.startswith("group:default/") and o.split("/", 1)[1] not in groups
    ]
    short = [o for o in owners if not o.startswith("group:")]
    assert dangling and short
    assert len(dangling) < len(owners) * 0.1
    location_targets = next(e for e in entities if e["kind"] == "Location")["spec"]["targets"]
    assert len(location_targets) == len(written) - 1


def test_catalog_matches_the_shape_of_the_real_backstage_examples(
    company: Company, tmp_path: Path
) -> None:
    real_file = REAL / "backstage" / "team-a-group.yaml"
    real_docs = list(yaml.safe_load_all(real_file.read_text(encoding="utf-8")))
    write_catalog(company, tmp_path)
    ours = _entities(tmp_path)
    real_user = next(
        d for d in real_docs if d["kind"] == "User" and "displayName" in d["spec"]["profile"]
    )
    our_user = next(e for e in ours if e["kind"] == "User")
    assert set(real_user) == set(our_user)
    assert set(real_user["spec"]) == set(our_user["spec"])
    assert set(real_user["spec"]["profile"]) - {"picture"} <= set(our_user["spec"]["profile"])
    real_group = next(d for d in real_docs if d["kind"] == "Group")
    our_team = next(e for e in ours if e["kind"] == "Group" and e["spec"]["type"] == "team")
    assert {"type", "profile", "parent", "children"} <= set(our_team["spec"]) and set(
        real_group["spec"]
    ) <= set(our_team["spec"])


def test_catalog_as_of_an_earlier_date_lacks_what_came_later(
    company: Company, tmp_path: Path
) -> None:
    earlier = TODAY - dt.timedelta(days=70)
    write_catalog(company, tmp_path / "now")
    write_catalog(company, tmp_path / "then", as_of=earlier)
    now = {
        e["metadata"]["name"]: e for e in _entities(tmp_path / "now") if e["kind"] == "Component"
    }
    then = {
        e["metadata"]["name"]: e for e in _entities(tmp_path / "then") if e["kind"] == "Component"
    }
    assert set(then) < set(now)
    day = earlier.toordinal()
    for name, entity in then.items():
        service = next(s for s in company.services if s.name == name)
        assert sorted(link["type"] for link in entity["metadata"].get("links", [])) == sorted(
            link.kind for link in service.links_on(day)
        )
    assert any(now[n]["metadata"].get("links") != then[n]["metadata"].get("links") for n in then)
    assert any(now[n]["spec"].get("dependsOn") != then[n]["spec"].get("dependsOn") for n in then)


def test_malformed_document_is_added_on_request_and_does_not_parse(
    company: Company, tmp_path: Path
) -> None:
    written = write_catalog(company, tmp_path, include_malformed=True)
    broken = [p for p in written if "legacy-billing-bridge" in p.name]
    assert len(broken) == 1
    with pytest.raises(yaml.YAMLError):
        list(yaml.safe_load_all(broken[0].read_text(encoding="utf-8")))
    assert not (
        set(write_catalog(company, tmp_path / "clean"))
        & {tmp_path / "clean" / "systems" / broken[0].name}
    )


def test_custom_data_is_one_mapping_per_document_with_missing_keys(
    company: Company, tmp_path: Path
) -> None:
    written = write_custom_data(company, tmp_path)
    assert written[0].name == "schema.yml"
    docs = [d for p in written[1:] for d in yaml.safe_load_all(p.read_text(encoding="utf-8"))]
    assert len(docs) == sum(s.exists_on(company.today_day) for s in company.services)
    assert all(
        set(d) == {"entity", "data"} and d["entity"].startswith("component:default/") for d in docs
    )
    values = Counter(d["data"].get("incident-process-documented", "missing") for d in docs)
    assert values[True] > 0 and values[False] > 0 and values["missing"] > 0


def test_coverage_reports_are_cobertura_with_the_expected_line_rate(
    company: Company, tmp_path: Path
) -> None:
    written = write_coverage(company, tmp_path)
    with_report = [
        s for s in company.services if line_rate(company, s, company.today_day) is not None
    ]
    assert 0 < len(written) == len(with_report) < len(company.services)
    by_repo = {s.repo.name: s for s in company.services}
    for path in written:
        root = ET.parse(path).getroot()
        assert root.tag == "coverage"
        valid, covered = int(root.get("lines-valid")), int(root.get("lines-covered"))
        lines = root.findall(".//class/lines/line")
        assert len(lines) == valid
        assert sum(int(line.get("hits")) > 0 for line in lines) == covered
        expected = line_rate(company, by_repo[path.parent.name], company.today_day)
        assert float(root.get("line-rate")) == pytest.approx(expected, abs=1e-4)
        assert root.find("packages/package/classes/class") is not None
