"""The simulated company as compact per-entity parameters.

Nothing here is a per-day snapshot. Each entity carries the dates on which its
capabilities appear or disappear (``Span``), and the few methods below answer "what is
true on day D" from those parameters. Event streams (commits, incidents, alerts, SLO
series) are derived on demand in ``events.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.timeline import HISTORY_DAYS, Span, active

if TYPE_CHECKING:
    from simulator.events import CompanyEvents


@dataclass(slots=True)
class Domain:
    name: str
    title: str
    description: str


@dataclass(slots=True)
class Team:
    """A Backstage Group. ``kind`` is ``department`` (parent) or ``team`` (owns services)."""

    index: int
    name: str
    title: str
    kind: str
    parent: int | None
    domain: int
    okta_group_name: str
    has_okta_group: bool
    okta_group_id: str
    github_slug: str
    github_id: int
    maturity: float
    trend: int  # +1 improving, 0 stable, -1 declining
    created_day: int
    members: list[int] = field(default_factory=list)
    children: list[int] = field(default_factory=list)
    pd_team_id: str = ""


@dataclass(slots=True)
class Person:
    index: int
    first: str
    last: str
    okta_id: str
    login: str  # Okta login == email
    github_login: str
    github_id: int
    team: int
    created_day: int
    status_change_day: int  # NEVER when the status never changes
    status_after: str  # DEPROVISIONED, SUSPENDED; "" when it never changes
    initial_status: str  # ACTIVE, or PROVISIONED for accounts never activated
    pd_user_id: str | None

    @property
    def email(self) -> str:
        return self.login

    @property
    def display_name(self) -> str:
        return f"{self.first} {self.last}"

    def exists_on(self, day: int) -> bool:
        return self.created_day <= day

    def okta_status_on(self, day: int) -> str | None:
        if day < self.created_day:
            return None
        if day >= self.status_change_day:
            return self.status_after
        return self.initial_status


@dataclass(slots=True)
class System:
    name: str
    title: str
    domain: int
    owner: int


@dataclass(slots=True)
class Link:
    kind: str  # runbook, logs, dashboard, chat, slack, playbook, docs
    url: str
    title: str
    span: Span


@dataclass(slots=True)
class Workflow:
    id: int
    name: str
    path: str
    created_day: int
    disabled_day: int  # NEVER when never disabled

    def state_on(self, day: int) -> str | None:
        if day < self.created_day:
            return None
        return "disabled_manually" if day >= self.disabled_day else "active"


@dataclass(slots=True)
class Coverage:
    tool: str  # coverage.py, jacoco, istanbul, gcovr
    span: Span  # when reports are published
    start_rate: float  # line rate at the start of the history window
    end_rate: float  # line rate today
    lines_valid: int
    branches_valid: int


@dataclass(slots=True)
class Repo:
    name: str
    id: int
    node_id: str
    default_branch: str
    visibility: str  # public, private, internal
    language: str
    topics: tuple[str, ...]
    created_day: int
    archived: bool
    protection_mode: str | None  # classic, ruleset, or None
    protection: Span
    approvals: int  # required approving reviews while ``approvals_span`` is active
    approvals_span: Span
    ruleset_id: int
    ci_kind: str | None  # actions, jenkins, circleci, gitlab, or None
    ci_span: Span
    workflows: list[Workflow]
    commit_rate: float  # expected commits per active day
    active_span: Span  # commits happen only in this span
    commits_before_window: int
    coverage: Coverage | None
    alert_propensity: float  # how likely open critical/high alerts are
    hygiene_span: Span  # while active, critical/high alerts get fixed within days


@dataclass(slots=True)
class CustomValue:
    """A custom-data value that may change once: ``None`` means the key is absent."""

    before: bool | None
    after: bool | None
    change_day: int

    def on(self, day: int) -> bool | None:
        return self.after if day >= self.change_day else self.before


@dataclass(slots=True)
class Service:
    index: int
    name: str
    title: str
    description: str
    kind: str  # service, website, library
    lifecycle: str
    tier: str
    system: int
    owner_team: int
    owner_ref: str  # exactly as written in the catalog
    owner_defect: str  # "", "dangling", "short"
    dd_service: str
    pd_service_id: str | None
    escalation_policy: int | None
    created_day: int
    depends_on: list[str]
    deps_span: Span
    consumes_apis: list[str]
    provides_apis: list[str]
    links: list[Link]
    incident_doc: CustomValue
    data_classification: str
    on_call_reviewed: CustomValue
    repo: Repo
    incident_rate: float  # expected incidents over the history window
    burst_day: int  # NEVER when no burst
    burst_size: int
    slos: list[int] = field(default_factory=list)
    monitors: list[int] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"component:default/{self.name}"

    def exists_on(self, day: int) -> bool:
        return self.created_day <= day

    def links_on(self, day: int) -> list[Link]:
        return [link for link in self.links if active(link.span, day)]

    def depends_on_on(self, day: int) -> list[str]:
        return list(self.depends_on) if active(self.deps_span, day) else []


@dataclass(slots=True)
class Resource:
    name: str
    type: str
    flavour: str
    system: int
    owner: int


@dataclass(slots=True)
class ApiEntity:
    name: str
    type: str  # openapi, grpc, asyncapi
    system: int
    owner: int
    provider: int  # service index


@dataclass(slots=True)
class Slo:
    index: int
    id: str
    service: int
    name: str
    kind: str  # availability, latency
    target: float  # percent, e.g. 99.9
    warning: float | None
    timeframe: str  # 7d, 30d
    created_day: int
    base_burn: float  # share of the daily error budget normally consumed (1.0 = exactly on target)
    noise: float  # relative day-to-day variation of the burn
    dips: tuple[tuple[int, int, float], ...]  # (first day, length, extra burn) bad stretches
    in_prometheus: bool

    @property
    def timeframe_days(self) -> int:
        return int(self.timeframe.rstrip("d"))


@dataclass(slots=True)
class Monitor:
    id: int
    service: int
    name: str
    type: str
    query: str
    tags: tuple[str, ...]
    created_day: int
    deleted_day: int
    priority: int | None

    def exists_on(self, day: int) -> bool:
        return self.created_day <= day < self.deleted_day


@dataclass(slots=True)
class EscalationPolicy:
    index: int
    id: str
    team: int
    name: str
    tiers_before: int
    tiers_after: int
    change_day: int
    schedule: int  # schedule index used by tier 1
    tier_users: tuple[int, ...]  # person indexes used by tiers 2 and 3
    rule_ids: tuple[str, ...]

    def tiers_on(self, day: int) -> int:
        return self.tiers_after if day >= self.change_day else self.tiers_before


@dataclass(slots=True)
class Schedule:
    index: int
    id: str
    team: int
    name: str
    users: tuple[int, ...]
    time_zone: str


@dataclass
class Company:
    """One coherent simulated organisation. Build it with ``generate_company``."""

    seed: int
    size: int
    today: dt.date
    org: str
    email_domain: str
    domains: list[Domain]
    teams: list[Team]
    people: list[Person]
    systems: list[System]
    services: list[Service]
    resources: list[Resource]
    apis: list[ApiEntity]
    slos: list[Slo]
    monitors: list[Monitor]
    escalation_policies: list[EscalationPolicy]
    schedules: list[Schedule]
    _events: CompanyEvents | None = field(default=None, repr=False)
    _index: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    @property
    def today_day(self) -> int:
        return self.today.toordinal()

    @property
    def window_start_day(self) -> int:
        return self.today_day - HISTORY_DAYS + 1

    @property
    def events(self) -> CompanyEvents:
        """Lazily derived event streams (commits, incidents, alerts, SLO series)."""
        if self._events is None:
            from simulator.events import CompanyEvents

            self._events = CompanyEvents(self)
        return self._events

    def lookup(self, kind: str) -> dict[str, int]:
        """Name → index maps, built once: ``repo``, ``repo_id``, ``team``, ``okta_group``,
        ``person_okta``, ``slo``, ``monitor``, ``pd_service``, ``ep``, ``schedule``,
        ``pd_user``, ``github_team``."""
        if not self._index:
            self._index = {
                "repo": {s.repo.name: s.index for s in self.services},
                "repo_id": {str(s.repo.id): s.index for s in self.services},
                "team": {t.name: t.index for t in self.teams},
                "github_team": {t.github_slug: t.index for t in self.teams},
                "okta_group": {t.okta_group_id: t.index for t in self.teams if t.has_okta_group},
                "person_okta": {p.okta_id: p.index for p in self.people},
                "slo": {s.id: s.index for s in self.slos},
                "monitor": {str(m.id): i for i, m in enumerate(self.monitors)},
                "pd_service": {s.pd_service_id: s.index for s in self.services if s.pd_service_id},
                "ep": {e.id: e.index for e in self.escalation_policies},
                "schedule": {s.id: s.index for s in self.schedules},
                "pd_user": {p.pd_user_id: p.index for p in self.people if p.pd_user_id},
            }
        return self._index[kind]

    def day_of(self, value: dt.date | None) -> int:
        """Clamp an as-of date to the company's today (the future is not simulated)."""
        if value is None:
            return self.today_day
        return min(value.toordinal(), self.today_day)
