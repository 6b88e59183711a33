"""Files the simulated company keeps on disk: Backstage descriptors, custom data, coverage.

Layout written by ``write_catalog`` (Backstage descriptor YAML, multi-document files):

- ``catalog-info.yaml`` — a ``Location`` entity listing every other file (how a real
  catalog root is registered),
- ``domains.yaml`` — all ``Domain`` entities,
- ``org/<department>.yaml`` — the department ``Group``, its team ``Group``s and their
  ``User``s,
- ``systems/<system>.yaml`` — the ``System`` with its ``Component``s, ``API``s and
  ``Resource``s.

``write_custom_data`` writes one file per owning team, ``<team>.yaml``: a multi-document
YAML stream where each document is one mapping ``{entity: component:default/<name>,
data: {...}}``, and ``schema.yml`` declaring the keys. ``write_coverage`` writes ``<owner>/<repo>/coverage.xml`` (Cobertura).
Everything is rendered as of a date: entities, links and dependencies that appear later
are absent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from simulator.cobertura import coverage_xml
from simulator.model import Company, Person, Service, Team

API_VERSION = "backstage.io/v1alpha1"
LINK_ICONS = {
    "runbook": "docs",
    "logs": "search",
    "dashboard": "dashboard",
    "chat": "chat",
    "slack": "chat",
    "playbook": "help",
    "docs": "docs",
}
MALFORMED_DOCUMENT = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: legacy-billing-bridge
  annotations: {github.com/project-slug: acme/legacy-billing-bridge
spec:
  type: service
  owner: group:default/finance-core
"""

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump_all(documents: list[dict[str, Any]]) -> str:
    return yaml.dump_all(
        documents,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=120,
    )


def _write(path: Path, text: str, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(path)


def backstage_user_name(person: Person) -> str:
    """Backstage ``User`` names are the Okta login's local part (``ann.lee``)."""
    return person.login.split("@", 1)[0]


def _group_doc(company: Company, team: Team) -> dict[str, Any]:
    children = [company.teams[c].name for c in team.children]
    spec: dict[str, Any] = {
        "type": team.kind,
        "profile": {"displayName": team.title, "email": f"{team.name}@{company.email_domain}"},
    }
    if team.parent is not None:
        spec["parent"] = company.teams[team.parent].name
    spec["children"] = children
    return {
        "apiVersion": API_VERSION,
        "kind": "Group",
        "metadata": {
            "name": team.name,
            "title": team.title,
            "description": f"{team.title} ({team.kind})",
            "annotations": {
                "github.com/team-slug": f"{company.org}/{team.github_slug}",
                "okta.com/group-name": team.okta_group_name,
            },
        },
        "spec": spec,
    }


def _user_doc(company: Company, person: Person) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": "User",
        "metadata": {
            "name": backstage_user_name(person),
            "annotations": {"github.com/user-login": person.github_login},
        },
        "spec": {
            "profile": {"displayName": person.display_name, "email": person.email},
            "memberOf": [company.teams[person.team].name],
        },
    }


def _component_doc(company: Company, service: Service, day: int) -> dict[str, Any]:
    annotations = {
        "github.com/project-slug": f"{company.org}/{service.repo.name}",
        "backstage.io/source-location": f"url:https://github.com/{company.org}/{service.repo.name}/",
    }
    if service.pd_service_id:
        annotations["pagerduty.com/service-id"] = service.pd_service_id
    annotations["datadoghq.com/service-name"] = service.dd_service
    metadata: dict[str, Any] = {
        "name": service.name,
        "title": service.title,
        "description": service.description,
        "labels": {"tier": service.tier},
        "annotations": annotations,
        "tags": list(service.repo.topics),
    }
    links = [
        {
            "url": link.url,
            "title": link.title,
            "icon": LINK_ICONS.get(link.kind, "link"),
            "type": link.kind,
        }
        for link in service.links_on(day)
    ]
    if links:
        metadata["links"] = links
    spec: dict[str, Any] = {
        "type": service.kind,
        "lifecycle": service.lifecycle,
        "owner": service.owner_ref,
        "system": company.systems[service.system].name,
    }
    depends_on = service.depends_on_on(day)
    if depends_on:
        spec["dependsOn"] = depends_on
    if service.provides_apis:
        spec["providesApis"] = list(service.provides_apis)
    if service.consumes_apis:
        spec["consumesApis"] = list(service.consumes_apis)
    return {"apiVersion": API_VERSION, "kind": "Component", "metadata": metadata, "spec": spec}


def _in_catalog(person: Person, day: int) -> bool:
    """Leavers linger in the catalog for a month before the directory sync removes them."""
    status = person.okta_status_on(day)
    if status is None:
        return False
    return status != "DEPROVISIONED" or day - person.status_change_day < 30


def catalog_documents(
    company: Company, as_of: dt.date | None = None, include_malformed: bool = False
) -> dict[str, list[dict[str, Any]] | str]:
    """The catalog's files as of a date: relative path -> its documents (or, for the
    malformed demonstration file, its text). ``catalog-info.yaml`` comes last: a
    ``Location`` listing every other file."""
    day = company.day_of(as_of)
    files: dict[str, list[dict[str, Any]] | str] = {}
    domain_owner: dict[int, str] = {}
    for team in company.teams:
        if team.kind == "department":
            domain_owner.setdefault(team.domain, team.name)
    files["domains.yaml"] = [
        {
            "apiVersion": API_VERSION,
            "kind": "Domain",
            "metadata": {"name": d.name, "title": d.title, "description": d.description},
            "spec": {"owner": f"group:default/{domain_owner.get(i, company.teams[0].name)}"},
        }
        for i, d in enumerate(company.domains)
    ]
    people_by_team: dict[int, list[Person]] = {}
    for person in company.people:
        if _in_catalog(person, day):
            people_by_team.setdefault(person.team, []).append(person)
    for department in (t for t in company.teams if t.kind == "department"):
        docs = [_group_doc(company, department)]
        docs += [_group_doc(company, company.teams[c]) for c in department.children]
        for team_index in (department.index, *department.children):
            docs += [_user_doc(company, p) for p in people_by_team.get(team_index, [])]
        files[f"org/{department.name}.yaml"] = docs
    services_by_system: dict[int, list[Service]] = {}
    for service in company.services:
        if service.exists_on(day):
            services_by_system.setdefault(service.system, []).append(service)
    apis_by_system: dict[int, list[Any]] = {}
    for api in company.apis:
        if company.services[api.provider].exists_on(day):
            apis_by_system.setdefault(api.system, []).append(api)
    resources_by_system: dict[int, list[Any]] = {}
    for resource in company.resources:
        resources_by_system.setdefault(resource.system, []).append(resource)
    for index, system in enumerate(company.systems):
        docs = [
            {
                "apiVersion": API_VERSION,
                "kind": "System",
                "metadata": {
                    "name": system.name,
                    "title": system.title,
                    "description": f"The {system.title} system.",
                },
                "spec": {
                    "owner": f"group:default/{company.teams[system.owner].name}",
                    "domain": company.domains[system.domain].name,
                },
            }
        ]
        docs += [_component_doc(company, s, day) for s in services_by_system.get(index, [])]
        for api in apis_by_system.get(index, []):
            provider = company.services[api.provider]
            docs.append(
                {
                    "apiVersion": API_VERSION,
                    "kind": "API",
                    "metadata": {
                        "name": api.name,
                        "description": f"{api.type} interface of {provider.title}.",
                    },
                    "spec": {
                        "type": api.type,
                        "lifecycle": provider.lifecycle,
                        "owner": f"group:default/{company.teams[api.owner].name}",
                        "system": system.name,
                        "definition": _api_definition(api.type, api.name),
                    },
                }
            )
        for resource in resources_by_system.get(index, []):
            docs.append(
                {
                    "apiVersion": API_VERSION,
                    "kind": "Resource",
                    "metadata": {
                        "name": resource.name,
                        "description": f"{resource.flavour} used by {system.title}.",
                        "tags": [resource.flavour],
                    },
                    "spec": {
                        "type": resource.type,
                        "owner": f"group:default/{company.teams[resource.owner].name}",
                        "system": system.name,
                    },
                }
            )
        files[f"systems/{system.name}.yaml"] = docs
    if include_malformed:
        files["systems/zz-legacy-billing-bridge.yaml"] = MALFORMED_DOCUMENT
    location = {
        "apiVersion": API_VERSION,
        "kind": "Location",
        "metadata": {
            "name": f"{company.org}-catalog",
            "description": "Root of the simulated company's catalog.",
        },
        "spec": {"type": "file", "targets": [f"./{path}" for path in files]},
    }
    files["catalog-info.yaml"] = [location]
    return files


def write_catalog(
    company: Company, out_dir: Path, as_of: dt.date | None = None, include_malformed: bool = False
) -> list[Path]:
    """Write the Backstage catalog as of a date; returns the files written.

    ``include_malformed`` adds ``systems/zz-legacy-billing-bridge.yaml`` holding one
    document that is not valid YAML, to demonstrate error reporting.
    """
    out_dir = Path(out_dir)
    written: list[Path] = []
    for relative, documents in catalog_documents(company, as_of, include_malformed).items():
        text = documents if isinstance(documents, str) else _dump_all(documents)
        _write(out_dir / relative, text, written)
    return written


def _api_definition(api_type: str, name: str) -> str:
    if api_type == "openapi":
        return f"openapi: 3.0.3\ninfo:\n  title: {name}\n  version: 1.0.0\npaths:\n  /health:\n    get:\n      responses:\n        '200':\n          description: OK\n"
    if api_type == "grpc":
        return f'syntax = "proto3";\npackage {name.replace("-", "_")};\nservice Api {{\n  rpc Health (Empty) returns (Empty);\n}}\nmessage Empty {{}}\n'
    return f"asyncapi: 2.6.0\ninfo:\n  title: {name}\n  version: 1.0.0\nchannels:\n  events:\n    subscribe:\n      message:\n        payload:\n          type: object\n"


def custom_data_for(company: Company, service: Service, day: int) -> dict[str, Any]:
    """The custom-data keys of one service as of a day (absent keys are left out)."""
    data: dict[str, Any] = {}
    documented = service.incident_doc.on(day)
    if documented is not None:
        data["incident-process-documented"] = documented
    data["data-classification"] = service.data_classification
    reviewed = service.on_call_reviewed.on(day)
    if reviewed is not None:
        data["on-call-handbook-reviewed"] = reviewed
    return data


# The keys the simulated company's custom data holds, as its ``schema.yml`` declares them.
CUSTOM_DATA_SCHEMA = {
    "keys": [
        {
            "key": "incident-process-documented",
            "type": "boolean",
            "description": "The owning team has written down how it runs an incident.",
        },
        {
            "key": "data-classification",
            "type": "string",
            "allowed": ["public", "internal", "confidential", "restricted"],
            "description": "The most sensitive class of data the service stores.",
        },
        {
            "key": "on-call-handbook-reviewed",
            "type": "boolean",
            "description": "The team reviewed its on-call handbook this quarter.",
        },
    ]
}


def write_custom_data(company: Company, out_dir: Path, as_of: dt.date | None = None) -> list[Path]:
    """Write custom data per owning team as multi-document YAML streams of ``{entity, data}``,
    and the folder's ``schema.yml`` declaring the keys."""
    out_dir = Path(out_dir)
    day = company.day_of(as_of)
    by_team: dict[int, list[dict[str, Any]]] = {}
    for service in company.services:
        if service.exists_on(day):
            by_team.setdefault(service.owner_team, []).append(
                {"entity": service.ref, "data": custom_data_for(company, service, day)}
            )
    written: list[Path] = []
    _write(out_dir / "schema.yml", yaml.safe_dump(CUSTOM_DATA_SCHEMA, sort_keys=False), written)
    for team_index, documents in sorted(by_team.items()):
        _write(out_dir / f"{company.teams[team_index].name}.yaml", _dump_all(documents), written)
    return written


def write_coverage(company: Company, out_dir: Path, as_of: dt.date | None = None) -> list[Path]:
    """Write ``<owner>/<repo>/coverage.xml`` for every repository with a report as of the date."""
    out_dir = Path(out_dir)
    day = company.day_of(as_of)
    written: list[Path] = []
    for service in company.services:
        if not service.exists_on(day):
            continue
        xml = coverage_xml(company, service, day)
        if xml is not None:
            _write(out_dir / company.org / service.repo.name / "coverage.xml", xml, written)
    return written
