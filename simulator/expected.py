"""Ground truth: the sixteen template rules evaluated straight from the company model.

The warehouse computes the same outcomes from what the sources ingest over HTTP; this
module computes them from the generator's parameters, so tests (and the demo's closing
note) can compare the two and so the simulator can prove that every rule has both
passing and failing services. Semantics follow the rule descriptions in the brief:

- owner-set: ``spec.owner`` (full or short ref) names a catalog Group whose
  ``okta.com/group-name`` is an Okta group with at least one ACTIVE member.
- slos-met: the service has at least one SLO and every SLO meets its target over its
  timeframe ending on the day (no SLO → fail).
- escalation-tiers: the PagerDuty service's escalation policy has ≥ 2 rules (no PagerDuty
  service → fail).
- few-incidents: fewer than 2 incidents created in the 14 days ending on the day (a
  service without PagerDuty has none).
- recent-commit: the last commit on the default branch is at most 7 days old.

Days are calendar days in UTC (``simulator.timeline.days_since`` and ``window_epochs``),
as the warehouse counts them: a commit made at any time 7 days before the day is 7
days old, and "the 14 days ending on the day" are that day and the 13 before it, whole.
- code-coverage: the Cobertura report's line-rate is above 0.85 (no report → fail).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from simulator.cobertura import line_rate
from simulator.model import Company, Service
from simulator.timeline import active, days_since, window_epochs

RULES: dict[str, str] = {
    "dependency-set": "bronze",
    "branch-protection": "bronze",
    "logs-linked": "bronze",
    "owner-set": "bronze",
    "chat-channel-set": "bronze",
    "monitor-set": "bronze",
    "runbook-linked": "bronze",
    "no-vulnerabilities": "silver",
    "ci-pipeline": "silver",
    "incident-playbook": "silver",
    "recent-commit": "silver",
    "merge-approval": "silver",
    "escalation-tiers": "gold",
    "slos-met": "gold",
    "few-incidents": "gold",
    "code-coverage": "gold",
}
LEVELS = ("bronze", "silver", "gold")


def _owner_ok(company: Company, service: Service, day: int) -> bool:
    ref = service.owner_ref
    name = ref.split("/", 1)[1] if ref.startswith("group:") else ref
    team_index = company.lookup("team").get(name)
    if team_index is None:
        return False
    team = company.teams[team_index]
    if not team.has_okta_group:
        return False
    return any(company.people[p].okta_status_on(day) == "ACTIVE" for p in team.members)


def _protected(service: Service, day: int) -> bool:
    repo = service.repo
    return repo.protection_mode is not None and active(repo.protection, day)


def _ci(service: Service, day: int) -> bool:
    repo = service.repo
    if repo.ci_kind == "actions":
        return any(w.state_on(day) == "active" for w in repo.workflows)
    return repo.ci_kind is not None and active(repo.ci_span, day)


def rule_outcomes(company: Company, as_of: dt.date | None = None) -> dict[str, dict[str, bool]]:
    """``{service name: {rule id: passed}}`` for services that exist on the day."""
    day = company.day_of(as_of)
    events = company.events
    out: dict[str, dict[str, bool]] = {}
    for s in company.services:
        if not s.exists_on(day):
            continue
        kinds = {link.kind for link in s.links_on(day)}
        latest = events.latest_commit(s, day)
        ep = (
            company.escalation_policies[s.escalation_policy]
            if s.escalation_policy is not None
            else None
        )
        slos = [company.slos[i] for i in s.slos if company.slos[i].created_day <= day]
        coverage = line_rate(company, s, day)
        out[s.name] = {
            "dependency-set": bool(s.depends_on_on(day)),
            "branch-protection": _protected(s, day),
            "logs-linked": "logs" in kinds,
            "owner-set": _owner_ok(company, s, day),
            "chat-channel-set": bool(kinds & {"chat", "slack"}),
            "monitor-set": any(company.monitors[m].exists_on(day) for m in s.monitors),
            "runbook-linked": "runbook" in kinds,
            "no-vulnerabilities": not any(
                a.severity in ("high", "critical") for a in events.open_alerts(s, day)
            ),
            "ci-pipeline": _ci(s, day),
            "incident-playbook": s.incident_doc.on(day) is True,
            "recent-commit": latest is not None and days_since(latest.epoch, day) <= 7,
            "merge-approval": _protected(s, day)
            and active(s.repo.approvals_span, day)
            and s.repo.approvals >= 1,
            "escalation-tiers": s.pd_service_id is not None
            and ep is not None
            and ep.tiers_on(day) >= 2,
            "slos-met": bool(slos) and all(events.slo_met(slo, day) for slo in slos),
            "few-incidents": len(events.incidents_between(s, *window_epochs(day, 14))) < 2,
            "code-coverage": coverage is not None and coverage > 0.85,
        }
    return out


def level_of(results: dict[str, bool]) -> str:
    """Highest level whose rules, and all lower levels' rules, pass; else ``none``."""
    held = "none"
    for level in LEVELS:
        if all(passed for rule, passed in results.items() if RULES[rule] == level):
            held = level
        else:
            break
    return held


def level_distribution(company: Company, as_of: dt.date | None = None) -> Counter[str]:
    return Counter(level_of(r) for r in rule_outcomes(company, as_of).values())
