"""The deterministic company generator: ``generate_company(seed, services, today)``.

One seeded ``random.Random`` draws every entity's compact parameters in a fixed order,
so the same seed, size and ``today`` give an identical company. Per-day state is read
from those parameters (``model.py``); event streams are derived lazily (``events.py``).
"""

from __future__ import annotations

import datetime as dt
import math

from simulator import names
from simulator.determinism import SimRandom, hex_digest, okta_id, pagerduty_id, token
from simulator.maturity import Window, draw_maturity, drift_span, probability
from simulator.model import (
    ApiEntity,
    Company,
    Coverage,
    CustomValue,
    Domain,
    EscalationPolicy,
    Link,
    Monitor,
    Person,
    Repo,
    Resource,
    Schedule,
    Service,
    Slo,
    System,
    Team,
    Workflow,
)
from simulator.timeline import ABSENT, HISTORY_DAYS, NEVER, Span

ORG = "acme"
EMAIL_DOMAIN = "acme.example"
MIN_SERVICES = 1
MAX_SERVICES = 50_000


def generate_company(seed: int = 7, services: int = 150, today: dt.date | None = None) -> Company:
    """Generate one coherent company with ``services`` catalog components.

    ``today`` defaults to the current UTC date; the history window is the 90 days
    ending on it. Same arguments give an identical company.
    """
    if not MIN_SERVICES <= services <= MAX_SERVICES:
        raise ValueError(
            f"services must be between {MIN_SERVICES} and {MAX_SERVICES}, got {services}"
        )
    today = today or dt.datetime.now(dt.UTC).date()
    return _Generator(seed, services, today).build()


def _unique(name: str, used: set[str]) -> str:
    candidate = name
    n = 2
    while candidate in used:
        candidate = f"{name}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _title(name: str) -> str:
    return " ".join(part.capitalize() for part in name.replace("_", "-").split("-"))


class _Generator:
    """Draws the company in a fixed order; each ``_make_*`` step appends to the lists."""

    def __init__(self, seed: int, size: int, today: dt.date) -> None:
        self.seed = seed
        self.size = size
        self.today = today.toordinal()
        self.window_start = self.today - HISTORY_DAYS + 1
        self.rng = SimRandom(f"readiness-simulator:{seed}:{size}:{today.isoformat()}")
        self.domains: list[Domain] = []
        self.teams: list[Team] = []
        self.people: list[Person] = []
        self.systems: list[System] = []
        self.services: list[Service] = []
        self.resources: list[Resource] = []
        self.apis: list[ApiEntity] = []
        self.slos: list[Slo] = []
        self.monitors: list[Monitor] = []
        self.escalation_policies: list[EscalationPolicy] = []
        self.schedules: list[Schedule] = []
        self.leaf_teams: list[int] = []
        self.department_heads: dict[int, int] = {}

    # -- orchestration -------------------------------------------------------------

    def build(self) -> Company:
        n_teams = max(5, math.ceil(self.size / 6.5))
        n_departments = max(3, math.ceil(n_teams / 5))
        n_domains = max(3, math.ceil(n_departments / 2))
        self._make_domains(n_domains)
        self._make_departments_and_teams(n_departments, n_teams)
        self._make_people()
        self._make_systems(max(n_domains * 2, math.ceil(self.size / 10)))
        self._make_on_call()
        self._make_services()
        self._make_resources_and_apis()
        self._make_dependencies()
        return Company(
            seed=self.seed,
            size=self.size,
            today=dt.date.fromordinal(self.today),
            org=ORG,
            email_domain=EMAIL_DOMAIN,
            domains=self.domains,
            teams=self.teams,
            people=self.people,
            systems=self.systems,
            services=self.services,
            resources=self.resources,
            apis=self.apis,
            slos=self.slos,
            monitors=self.monitors,
            escalation_policies=self.escalation_policies,
            schedules=self.schedules,
        )

    # -- organisation ----------------------------------------------------------------

    def _make_domains(self, count: int) -> None:
        rng = self.rng
        words = list(names.DOMAIN_WORDS)
        rng.shuffle(words)
        used: set[str] = set()
        i = 0
        while len(self.domains) < count:
            word = words[i % len(words)]
            qualifier = names.DOMAIN_QUALIFIERS[(i // len(words)) % len(names.DOMAIN_QUALIFIERS)]
            base = word if not qualifier else f"{word}-{qualifier}"
            name = _unique(base, used)
            self.domains.append(
                Domain(
                    name=name,
                    title=_title(name),
                    description=f"Everything {_title(name)} builds and runs.",
                )
            )
            i += 1

    def _make_departments_and_teams(self, n_departments: int, n_teams: int) -> None:
        rng = self.rng
        used: set[str] = set()
        dept_qualifiers = ("", "product", "platform", "labs", "ops", "services")
        per_domain: dict[int, int] = {}
        for d in range(n_departments):
            domain = d % len(self.domains)
            k = per_domain.get(domain, 0)
            per_domain[domain] = k + 1
            qualifier = dept_qualifiers[k % len(dept_qualifiers)]
            base = (
                self.domains[domain].name
                if not qualifier
                else f"{self.domains[domain].name}-{qualifier}"
            )
            name = _unique(base, used)
            self.teams.append(
                Team(
                    index=len(self.teams),
                    name=name,
                    title=f"{_title(name)} Department",
                    kind="department",
                    parent=None,
                    domain=domain,
                    okta_group_name=f"dept-{name}",
                    has_okta_group=True,
                    okta_group_id=okta_id(self.seed, "00g", len(self.teams)),
                    github_slug=name,
                    github_id=4_200_000 + len(self.teams),
                    maturity=0.5,
                    trend=0,
                    created_day=self.today - rng.randint(800, 2500),
                )
            )
        departments = list(range(n_departments))
        words_by_dept: dict[int, list[str]] = {}
        for t in range(n_teams):
            dept = departments[t % n_departments]
            words = words_by_dept.setdefault(
                dept, rng.sample(names.TEAM_WORDS, len(names.TEAM_WORDS))
            )
            word = words[(t // n_departments) % len(words)]
            name = _unique(f"{self.teams[dept].name}-{word}", used)
            maturity, trend = draw_maturity(rng)
            index = len(self.teams)
            u = rng.random()
            if u < 0.6:
                okta_name = f"eng-{name}"
            elif u < 0.8:
                okta_name = f"{name}-team"
            elif u < 0.92:
                okta_name = "eng_" + name.replace("-", "_")
            else:
                okta_name = f"grp-{name}-members"
            github_slug = name if rng.random() < 0.85 else f"team-{name}"
            team = Team(
                index=index,
                name=name,
                title=_title(name),
                kind="team",
                parent=dept,
                domain=self.teams[dept].domain,
                okta_group_name=okta_name,
                has_okta_group=True,
                okta_group_id=okta_id(self.seed, "00g", index),
                github_slug=github_slug,
                github_id=4_200_000 + index,
                maturity=maturity,
                trend=trend,
                created_day=self.today - rng.randint(200, 2000),
            )
            self.teams.append(team)
            self.teams[dept].children.append(index)
            self.leaf_teams.append(index)
        # One catalog team that the identity provider does not know about.
        missing = self.leaf_teams[rng.randrange(len(self.leaf_teams))]
        self.teams[missing].has_okta_group = False
        for team in self.teams:
            team.pd_team_id = pagerduty_id(self.seed, "pd-team", team.index)

    def _make_people(self) -> None:
        rng = self.rng
        used_logins: set[str] = set()
        used_github: set[str] = set()
        leaf = self.leaf_teams
        n_zero = max(1, round(len(leaf) * 0.06))
        zero_active = set(rng.sample(leaf, n_zero))
        # Department heads first, then team members.
        for team in self.teams:
            if team.kind == "department":
                self.department_heads[team.index] = self._person(
                    team.index, used_logins, used_github, False
                )
        for t in leaf:
            for _ in range(rng.randint(3, 8)):
                self._person(t, used_logins, used_github, t in zero_active)
        # A team whose people were all moved up to the department: its group is empty.
        if len(leaf) >= 10:
            empty = leaf[rng.randrange(len(leaf))]
            while empty in zero_active or not self.teams[empty].has_okta_group:
                empty = leaf[rng.randrange(len(leaf))]
            team = self.teams[empty]
            parent = self.teams[team.parent if team.parent is not None else empty]
            for p in team.members:
                self.people[p].team = parent.index
                parent.members.append(p)
            team.members = []

    def _person(self, team: int, used_logins: set[str], used_github: set[str], leaver: bool) -> int:
        rng = self.rng
        index = len(self.people)
        first = rng.choice(names.FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        base = f"{first}.{last}".lower()
        login = base
        n = 2
        while login in used_logins:
            login = f"{base}{n}"
            n += 1
        used_logins.add(login)
        f, l_ = first.lower(), last.lower()
        u = rng.random()
        if u < 0.35:
            gh = f"{f}{l_}"
        elif u < 0.50:
            gh = f"{f[0]}{l_}"
        elif u < 0.60:
            gh = f"{f}-{l_}"
        elif u < 0.70:
            gh = f"{f[0]}{l_}-{ORG}"
        elif u < 0.80:
            gh = f"{f}-{l_[0]}"
        elif u < 0.90:
            gh = f"{f}{l_}{rng.randint(1, 99)}"
        elif u < 0.95:
            gh = f"{l_}{f}"
        else:
            gh = f"{f[:3]}{rng.choice(['dev', 'codes', 'ops', 'hacks'])}"
        gh = _unique(gh, used_github)
        created = (
            self.today - rng.randint(95, 2400)
            if rng.random() > 0.05
            else self.window_start + rng.randint(0, 80)
        )
        initial = "ACTIVE"
        change_day, after = NEVER, ""
        u = rng.random()
        if leaver:
            change_day = (
                self.window_start + rng.randint(-40, 75)
                if rng.random() < 0.6
                else self.window_start - rng.randint(5, 200)
            )
            after = "DEPROVISIONED"
        elif u < 0.04:
            change_day = self.window_start + rng.randint(-120, 85)
            after = "DEPROVISIONED"
        elif u < 0.06:
            change_day = self.window_start + rng.randint(0, 85)
            after = "SUSPENDED"
        elif u < 0.075:
            initial = "PROVISIONED"
        change_day = max(change_day, created + 1) if change_day != NEVER else NEVER
        person = Person(
            index=index,
            first=first,
            last=last,
            okta_id=okta_id(self.seed, "00u", index),
            login=f"{login}@{EMAIL_DOMAIN}",
            github_login=gh,
            github_id=51_000_000 + index * 7,
            team=team,
            created_day=created,
            status_change_day=change_day,
            status_after=after,
            initial_status=initial,
            pd_user_id=pagerduty_id(self.seed, "pd-user", index) if rng.random() < 0.8 else None,
        )
        self.people.append(person)
        self.teams[team].members.append(index)
        return index

    def _make_systems(self, count: int) -> None:
        rng = self.rng
        used: set[str] = set()
        departments = [t.index for t in self.teams if t.kind == "department"]
        for i in range(count):
            dept = departments[i % len(departments)]
            owner_candidates = self.teams[dept].children or [dept]
            owner = owner_candidates[rng.randrange(len(owner_candidates))]
            word = names.SYSTEM_WORDS[(i // len(departments)) % len(names.SYSTEM_WORDS)]
            name = _unique(f"{self.teams[dept].name}-{word}", used)
            self.systems.append(
                System(name=name, title=_title(name), domain=self.teams[dept].domain, owner=owner)
            )

    def _make_on_call(self) -> None:
        """One schedule per team and one or two escalation policies whose tiers drift."""
        rng = self.rng
        for t in self.leaf_teams:
            team = self.teams[t]
            for p in team.members:
                if self.people[p].pd_user_id is None and rng.random() < 0.7:
                    self.people[p].pd_user_id = pagerduty_id(self.seed, "pd-user", p)
            on_call = tuple(p for p in team.members if self.people[p].pd_user_id)
            schedule = Schedule(
                index=len(self.schedules),
                id=pagerduty_id(self.seed, "pd-schedule", len(self.schedules)),
                team=t,
                name=f"{team.title} primary",
                users=on_call,
                time_zone=rng.choice(("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo")),
            )
            self.schedules.append(schedule)
            head = self.department_heads[team.parent] if team.parent is not None else None
            if head is not None and self.people[head].pd_user_id is None:
                self.people[head].pd_user_id = pagerduty_id(self.seed, "pd-user", head)
            for k in range(1 if rng.random() < 0.8 else 2):
                p_two = probability(team.maturity, 0.0)
                p_three = probability(team.maturity, -0.45)
                u = rng.random()
                tiers_after = 3 if u < p_three else 2 if u < p_two else 1
                shift = team.trend if rng.random() < 0.5 else 0
                tiers_before = max(1, min(3, tiers_after - shift))
                change = (
                    rng.randint(self.window_start + 1, self.today)
                    if tiers_before != tiers_after
                    else NEVER
                )
                tier_users = tuple(
                    p for p in (head, on_call[0] if on_call else head) if p is not None
                )
                index = len(self.escalation_policies)
                self.escalation_policies.append(
                    EscalationPolicy(
                        index=index,
                        id=pagerduty_id(self.seed, "pd-ep", index),
                        team=t,
                        name=f"{team.title} escalation" + (" (business hours)" if k else ""),
                        tiers_before=tiers_before,
                        tiers_after=tiers_after,
                        change_day=change,
                        schedule=schedule.index,
                        tier_users=tier_users,
                        rule_ids=tuple(
                            pagerduty_id(self.seed, f"pd-rule-{r}", index) for r in range(3)
                        ),
                    )
                )

    # -- services --------------------------------------------------------------------

    def _make_services(self) -> None:
        rng = self.rng
        used_names: set[str] = set()
        systems_by_dept: dict[int, list[int]] = {}
        for i, system in enumerate(self.systems):
            dept = self.teams[system.owner].parent
            key = dept if dept is not None else system.owner
            systems_by_dept.setdefault(key, []).append(i)
        eps_by_team: dict[int, list[int]] = {}
        for ep in self.escalation_policies:
            eps_by_team.setdefault(ep.team, []).append(ep.index)
        leaf = self.leaf_teams
        owners = [leaf[i % len(leaf)] for i in range(min(self.size, len(leaf)))]
        weights = [0.4 + rng.random() * 1.6 for _ in leaf]
        owners += rng.choices(leaf, weights=weights, k=self.size - len(owners))
        rng.shuffle(owners)
        for index, owner in enumerate(owners):
            self.services.append(
                self._service(index, owner, used_names, systems_by_dept, eps_by_team)
            )

    def _service(
        self,
        index: int,
        owner: int,
        used_names: set[str],
        systems_by_dept: dict[int, list[int]],
        eps_by_team: dict[int, list[int]],
    ) -> Service:
        rng = self.rng
        team = self.teams[owner]
        m, trend = team.maturity, team.trend
        u = rng.random()
        kind = "service" if u < 0.88 else "website" if u < 0.95 else "library"
        suffixes = {
            "service": names.SERVICE_SUFFIXES,
            "website": names.WEBSITE_SUFFIXES,
            "library": names.LIBRARY_SUFFIXES,
        }[kind]
        name = _unique(f"{rng.choice(names.SERVICE_NOUNS)}-{rng.choice(suffixes)}", used_names)
        u = rng.random()
        lifecycle = "production" if u < 0.85 else "experimental" if u < 0.94 else "deprecated"
        u = rng.random()
        tier = "tier-1" if u < 0.2 else "tier-2" if u < 0.65 else "tier-3"
        dept = team.parent if team.parent is not None else owner
        candidates = systems_by_dept.get(dept) or list(range(len(self.systems)))
        own = [s for s in candidates if self.systems[s].owner == owner]
        system = rng.choice(own) if own and rng.random() < 0.7 else rng.choice(candidates)
        created = (
            self.today - rng.randint(120, 1500)
            if rng.random() > 0.06
            else self.window_start + rng.randint(3, 80)
        )
        window = Window(start=self.window_start, today=self.today, created=created)

        u = rng.random()
        if u < 0.03:
            owner_ref, defect = f"group:default/{team.name}-legacy", "dangling"
        elif u < 0.07:
            owner_ref, defect = team.name, "short"
        else:
            owner_ref, defect = f"group:default/{team.name}", ""
        u = rng.random()
        if u < 0.85:
            dd_service = name
        elif u < 0.92:
            dd_service = f"{name}-prod"
        else:
            dd_service = name.replace("-", "_")
        has_pd = rng.random() < 0.92
        eps = eps_by_team.get(owner, [])
        ep = rng.choice(eps) if eps and has_pd else None

        links = self._links(name, dd_service, team, window)
        deps_span = drift_span(rng, m, trend, 0.24, window)
        incident_doc = self._custom_flag(m, trend, 0.1, window)
        on_call_reviewed = self._custom_flag(m, trend, -0.1, window)
        repo = self._repo(index, name, kind, lifecycle, team, window)
        incident_rate = (1.0 + 15.0 * (1.0 - m) ** 1.5) * rng.uniform(0.5, 1.5)
        if kind == "library":
            incident_rate *= 0.2
        burst_day, burst_size = NEVER, 0
        if rng.random() < 0.05 + 0.12 * (1 - m):
            burst_day = rng.randint(self.window_start, self.today)
            burst_size = rng.randint(2, 5)
        service = Service(
            index=index,
            name=name,
            title=_title(name),
            description=f"{_title(name)} — part of {self.systems[system].title}.",
            kind=kind,
            lifecycle=lifecycle,
            tier=tier,
            system=system,
            owner_team=owner,
            owner_ref=owner_ref,
            owner_defect=defect,
            dd_service=dd_service,
            pd_service_id=pagerduty_id(self.seed, "pd-service", index) if has_pd else None,
            escalation_policy=ep,
            created_day=created,
            depends_on=[],
            deps_span=deps_span,
            consumes_apis=[],
            provides_apis=[],
            links=links,
            incident_doc=incident_doc,
            data_classification=rng.choice(
                ("public", "internal", "internal", "confidential", "restricted")
            ),
            on_call_reviewed=on_call_reviewed,
            repo=repo,
            incident_rate=incident_rate,
            burst_day=burst_day,
            burst_size=burst_size,
        )
        if kind != "library":
            self._slos(service, m, trend, window)
        self._monitors(service, m, trend, window)
        return service

    def _links(self, name: str, dd_service: str, team: Team, window: Window) -> list[Link]:
        rng = self.rng
        m, trend = team.maturity, team.trend
        links: list[Link] = []

        def add(kind: str, ease: float, url: str, title: str) -> None:
            span = drift_span(rng, m, trend, ease, window)
            if span != ABSENT:
                links.append(Link(kind=kind, url=url, title=title, span=span))

        add("docs", 0.2, f"https://docs.{EMAIL_DOMAIN}/{name}", "Documentation")
        if rng.random() < 0.5:
            runbook = f"https://runbooks.{EMAIL_DOMAIN}/{name}"
        else:
            runbook = f"https://{ORG}.atlassian.net/wiki/spaces/OPS/pages/{rng.randint(10**6, 10**7)}/{name}+runbook"
        add("runbook", 0.16, runbook, "Runbook")
        add("logs", 0.25, f"https://app.datadoghq.com/logs?query=service%3A{dd_service}", "Logs")
        dash = f"{rng.getrandbits(36):09x}"
        add(
            "dashboard",
            0.05,
            f"https://app.datadoghq.com/dashboard/{dash[:3]}-{dash[3:6]}-{dash[6:]}",
            "Service dashboard",
        )
        chat_kind = "chat" if rng.random() < 0.7 else "slack"
        channel = f"C{rng.getrandbits(48):012X}"
        add(chat_kind, 0.22, f"https://{ORG}.slack.com/archives/{channel}", f"#{team.name}")
        add("playbook", -0.1, f"https://playbooks.{EMAIL_DOMAIN}/{name}", "Incident playbook")
        return links

    def _custom_flag(self, m: float, trend: int, ease: float, window: Window) -> CustomValue:
        """A yes/no custom-data key whose value may flip once in the window."""
        rng = self.rng
        if rng.random() < 0.08:
            return CustomValue(None, None, NEVER)  # nobody ever filled it in
        span = drift_span(rng, m, trend, ease, window)
        if span == ABSENT:
            return CustomValue(False, False, NEVER)
        if span[1] != NEVER:
            return CustomValue(True, False, span[1])
        if span[0] <= window.created or span[0] < window.start:
            return CustomValue(True, True, NEVER)
        # Gained during the window; before that the key was either false or not there.
        return CustomValue(None if rng.random() < 0.3 else False, True, span[0])

    def _repo(
        self, index: int, name: str, kind: str, lifecycle: str, team: Team, window: Window
    ) -> Repo:
        rng = self.rng
        m, trend = team.maturity, team.trend
        u = rng.random()
        repo_name = name if u < 0.88 else f"{name}-service" if u < 0.94 else f"svc-{name}"
        repo_id = 600_000_000 + index * 16 + rng.randint(0, 15)
        u = rng.random()
        visibility = "internal" if u < 0.6 else "private" if u < 0.95 else "public"
        language = rng.choice(names.LANGUAGES)
        protection = drift_span(rng, m, trend, 0.18, window)
        mode = None
        approvals_span: Span = ABSENT
        approvals = 0
        if protection != ABSENT:
            mode = "classic" if rng.random() < 0.55 else "ruleset"
            inner = drift_span(rng, m, trend, 0.12, window)
            start, end = max(protection[0], inner[0]), min(protection[1], inner[1])
            if start < end and inner != ABSENT:
                approvals_span = (start, end)
                approvals = 1 if rng.random() < 0.7 else 2
        elif rng.random() < 0.3:
            mode = "ruleset"  # a ruleset that exists but is not enforced
        ci_span = drift_span(rng, m, trend, 0.25, window)
        u = rng.random()
        ci_kind = None
        if ci_span != ABSENT:
            ci_kind = (
                "actions"
                if u < 0.72
                else "jenkins"
                if u < 0.84
                else "circleci"
                if u < 0.94
                else "gitlab"
            )
        workflows: list[Workflow] = []
        if ci_kind == "actions":
            for k, (wf_name, wf_file) in enumerate(
                rng.sample(names.WORKFLOW_NAMES, rng.randint(1, 3))
            ):
                created = ci_span[0] if k == 0 else max(ci_span[0], window.early_day(rng))
                if created >= ci_span[1]:
                    created = ci_span[0]
                workflows.append(
                    Workflow(
                        id=10_000_000 + index * 8 + k,
                        name=wf_name,
                        path=f".github/workflows/{wf_file}",
                        created_day=created,
                        disabled_day=ci_span[1],
                    )
                )
        activity_ease = 0.1 if lifecycle == "production" and kind != "library" else -0.35
        active_span = drift_span(rng, m, trend, activity_ease, window)
        if active_span == ABSENT:
            idle_since = (
                window.created + 1
                if window.created >= window.start
                else window.start - rng.randint(1, 200)
            )
            active_span = (window.created, max(window.created + 1, idle_since))
        else:
            active_span = (min(active_span[0], window.created), active_span[1])
        commit_rate = rng.uniform(0.35, 3.0) * (0.5 + m)
        coverage: Coverage | None = None
        cov_span = drift_span(rng, m, trend, 0.0, window)
        if cov_span != ABSENT or rng.random() < 0.3:
            if cov_span == ABSENT:
                cov_span = (window.early_day(rng), NEVER)
            if rng.random() < probability(m, -0.3):
                end_rate = rng.uniform(0.86, 0.97)
            else:
                end_rate = rng.uniform(0.35, 0.85)
            start_rate = max(0.05, min(0.99, end_rate - trend * rng.uniform(0.0, 0.08)))
            tool = {
                "Python": "coverage.py",
                "Java": "jacoco",
                "Kotlin": "jacoco",
                "TypeScript": "istanbul",
            }.get(language, "gcovr")
            coverage = Coverage(
                tool=tool,
                span=cov_span,
                start_rate=start_rate,
                end_rate=end_rate,
                lines_valid=rng.randint(120, 480),
                branches_valid=rng.randint(20, 120),
            )
        return Repo(
            name=repo_name,
            id=repo_id,
            node_id="R_kgDO" + token(repo_id, 6),
            default_branch="main" if rng.random() < 0.8 else "master",
            visibility=visibility,
            language=language,
            topics=(self.domains[team.domain].name, language.lower().replace("+", "p")),
            created_day=window.created,
            archived=lifecycle == "deprecated" and rng.random() < 0.4,
            protection_mode=mode,
            protection=protection,
            approvals=approvals,
            approvals_span=approvals_span,
            ruleset_id=1_000_000 + index,
            ci_kind=ci_kind,
            ci_span=ci_span,
            workflows=workflows,
            commit_rate=commit_rate,
            active_span=active_span,
            commits_before_window=rng.randint(20, 3000),
            coverage=coverage,
            alert_propensity=rng.uniform(0.0, 1.0) * (1.3 - m),
            hygiene_span=drift_span(rng, m, trend, 0.05, window),
        )

    def _slos(self, service: Service, m: float, trend: int, window: Window) -> None:
        rng = self.rng
        span = drift_span(rng, m, trend, -0.05, window)
        if span == ABSENT:
            return
        count = 1 if rng.random() < 0.7 else 2
        tier_targets = {
            "tier-1": (99.9, 99.95, 99.99),
            "tier-2": (99.5, 99.9),
            "tier-3": (99.0, 99.5),
        }
        for k in range(count):
            kind = "availability" if k == 0 else "latency"
            target = rng.choice(tier_targets[service.tier])
            healthy = rng.random() < probability(m, -0.05)
            base_burn = rng.uniform(0.15, 0.7) if healthy else rng.uniform(0.8, 1.6)
            dips = []
            for _ in range(rng.randint(0, 1 if healthy else 3)):
                dips.append(
                    (
                        rng.randint(self.window_start - 30, self.today),
                        rng.randint(1, 3),
                        rng.uniform(2.0, 12.0),
                    )
                )
            index = len(self.slos)
            budget = 100.0 - target
            self.slos.append(
                Slo(
                    index=index,
                    id=hex_digest(self.seed, 5, index, length=32),
                    service=service.index,
                    name=f"{service.title} {kind}",
                    kind=kind,
                    target=target,
                    warning=round(target + budget * 0.5, 3) if rng.random() < 0.6 else None,
                    timeframe="30d" if rng.random() < 0.7 else "7d",
                    created_day=span[0],
                    base_burn=base_burn,
                    noise=rng.uniform(0.05, 0.4),
                    dips=tuple(dips),
                    in_prometheus=kind == "availability" and rng.random() < 0.6,
                )
            )
            service.slos.append(index)

    def _monitors(self, service: Service, m: float, trend: int, window: Window) -> None:
        rng = self.rng
        span = drift_span(rng, m, trend, 0.2, window)
        if span == ABSENT:
            return
        tag = service.dd_service
        team = self.teams[service.owner_team].name
        templates = (
            (
                "query alert",
                "High error rate on {s}",
                "sum(last_5m):sum:trace.http.request.errors{{service:{s}}}.as_count() / sum:trace.http.request.hits{{service:{s}}}.as_count() > 0.05",
            ),
            (
                "query alert",
                "High latency on {s}",
                "avg(last_5m):avg:trace.http.request.duration{{service:{s}}} > 0.5",
            ),
            (
                "service check",
                "{s} health check",
                '"http.can_connect".over("service:{s}").by("host").last(3).count_by_status()',
            ),
            (
                "log alert",
                "Error logs spike on {s}",
                'logs("service:{s} status:error").index("main").rollup("count").last("5m") > 50',
            ),
        )
        for k in range(rng.randint(1, 3)):
            mtype, name_t, query_t = templates[(k + rng.randint(0, 3)) % len(templates)]
            created = span[0] if k == 0 else max(span[0], window.early_day(rng))
            if created >= span[1]:
                created = span[0]
            monitor = Monitor(
                id=30_000_000 + len(self.monitors) * 3 + rng.randint(0, 2),
                service=service.index,
                name=name_t.format(s=tag),
                type=mtype,
                query=query_t.format(s=tag),
                tags=(f"service:{tag}", f"team:{team}", "env:prod"),
                created_day=created,
                deleted_day=span[1],
                priority=rng.choice((None, 1, 2, 3)),
            )
            service.monitors.append(len(self.monitors))
            self.monitors.append(monitor)

    # -- catalog relations -------------------------------------------------------------

    def _make_resources_and_apis(self) -> None:
        rng = self.rng
        used: set[str] = set()
        for _ in range(max(2, self.size // 6)):
            system = rng.randrange(len(self.systems))
            rtype, flavour = rng.choice(names.RESOURCE_KINDS)
            name = _unique(f"{self.systems[system].name}-{flavour}", used)
            self.resources.append(
                Resource(
                    name=name,
                    type=rtype,
                    flavour=flavour,
                    system=system,
                    owner=self.systems[system].owner,
                )
            )
        providers = [s for s in self.services if s.kind == "service"] or self.services
        for _ in range(max(1, self.size // 5)):
            provider = rng.choice(providers)
            api_type = rng.choice(("openapi", "openapi", "grpc", "asyncapi"))
            name = _unique(f"{provider.name}-{'events' if api_type == 'asyncapi' else 'api'}", used)
            self.apis.append(
                ApiEntity(
                    name=name,
                    type=api_type,
                    system=provider.system,
                    owner=provider.owner_team,
                    provider=provider.index,
                )
            )
            provider.provides_apis.append(f"api:default/{name}")

    def _make_dependencies(self) -> None:
        rng = self.rng
        by_system: dict[int, list[int]] = {}
        for s in self.services:
            by_system.setdefault(s.system, []).append(s.index)
        resources_by_system: dict[int, list[int]] = {}
        for i, r in enumerate(self.resources):
            resources_by_system.setdefault(r.system, []).append(i)
        n = len(self.services)
        for service in self.services:
            if service.deps_span == ABSENT:
                continue
            refs: list[str] = []
            for _ in range(rng.randint(1, 4)):
                u = rng.random()
                local = by_system.get(service.system, [])
                local_res = resources_by_system.get(service.system, [])
                if u < 0.3 and local_res:
                    ref = f"resource:default/{self.resources[rng.choice(local_res)].name}"
                elif u < 0.4 and self.resources:
                    ref = f"resource:default/{rng.choice(self.resources).name}"
                elif u < 0.75 and len(local) > 1:
                    ref = f"component:default/{self.services[rng.choice(local)].name}"
                else:
                    ref = f"component:default/{self.services[rng.randrange(n)].name}"
                if ref != service.ref and ref not in refs:
                    refs.append(ref)
            if not refs:
                refs.append(f"resource:default/{rng.choice(self.resources).name}")
            service.depends_on = refs
            if self.apis and rng.random() < 0.4:
                api = rng.choice(self.apis)
                if api.provider != service.index:
                    service.consumes_apis.append(f"api:default/{api.name}")
