"""Event streams derived lazily from the company's parameters.

Commits, Dependabot alerts, PagerDuty incidents and SLO series are never stored up
front: each is computed from a counter-based hash (``determinism.py``) the first time
it is asked for, and small per-entity results are cached. "As of day D" always means
the end of that day (23:59:59 UTC); nothing after it is ever returned.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator import names
from simulator.determinism import entity_rng, hash64, hex_digest, stream_id, token, unit
from simulator.timeline import DAY_SECONDS, NEVER, active, day_end_epoch, day_start_epoch

if TYPE_CHECKING:
    from simulator.model import Company, Repo, Service, Slo

_COMMITS = stream_id("commits")
_COMMIT_TIME = stream_id("commit-time")
_COMMIT_AUTHOR = stream_id("commit-author")
_COVERAGE = stream_id("coverage")
_SLO_DAY = stream_id("slo-day")
_SLO_TRAFFIC = stream_id("slo-traffic")
_INCIDENT_ID = stream_id("incident-id")

COMMIT_MESSAGES = (
    "Fix flaky test",
    "Bump dependencies",
    "Add retry to client",
    "Refactor handler",
    "Update runbook link",
    "Improve logging",
    "Tune connection pool",
    "Add metrics",
    "Handle empty payloads",
    "Upgrade base image",
    "Remove dead code",
    "Add input validation",
)


def _poisson(rate: float, u: float) -> int:
    """Inverse-CDF Poisson draw from one uniform, for small rates."""
    k = 0
    p = math.exp(-rate)
    cumulative = p
    while u > cumulative and k < 50:
        k += 1
        p *= rate / k
        cumulative += p
    return k


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    epoch: int
    author: int  # person index
    message: str


@dataclass(frozen=True, slots=True)
class Alert:
    number: int
    severity: str  # low, medium, high, critical
    ecosystem: str  # PIP, NPM, MAVEN, GO (GraphQL spelling; REST lower-cases it)
    package: str
    manifest: str
    scope: str  # runtime, development
    ghsa: str
    cve: str
    vulnerable_range: str
    patched: str
    created: int  # epoch seconds
    resolution: str  # open, fixed, dismissed, auto_dismissed
    resolved: int  # epoch seconds; NEVER when open forever
    dismissed_reason: str | None

    def state_at(self, epoch: int) -> str | None:
        if self.created > epoch:
            return None
        if self.resolution != "open" and self.resolved <= epoch:
            return self.resolution
        return "open"


@dataclass(frozen=True, slots=True)
class Incident:
    service: int
    seq: int
    created: int
    acknowledged: int
    resolved: int
    urgency: str
    title: str
    number: int
    id: str

    def status_at(self, epoch: int) -> str | None:
        if self.created > epoch:
            return None
        if self.resolved <= epoch:
            return "resolved"
        if self.acknowledged <= epoch:
            return "acknowledged"
        return "triggered"


class CompanyEvents:
    """Lazily computed, cached event data for one company."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self.seed = company.seed
        self._alerts: dict[int, tuple[Alert, ...]] = {}
        self._incidents: tuple[Incident, ...] | None = None
        self._incidents_by_service: dict[int, tuple[Incident, ...]] = {}
        self._slo_days: dict[int, tuple[int, list[float]]] = {}
        self._slo_prefix: dict[int, list[float]] = {}
        self._commit_counts: dict[int, bytes] = {}
        self._commit_prefix: dict[int, list[int]] = {}
        self._commit_cache: dict[tuple[int, int, int], Commit] = {}

    # -- commits -------------------------------------------------------------------

    def _commits_on(self, service: Service, day: int) -> int:
        repo = service.repo
        if day < repo.created_day or not active(repo.active_span, day):
            return 0
        n = _poisson(repo.commit_rate, unit(self.seed, _COMMITS, service.index, day))
        if day == repo.created_day:
            n = max(n, 1)
        return n

    def _commit(self, service: Service, day: int, k: int) -> Commit:
        key = (service.index, day, k)
        commit = self._commit_cache.get(key)
        if commit is None:
            commit = self._commit_cache[key] = self._make_commit(service, day, k)
        return commit

    def _make_commit(self, service: Service, day: int, k: int) -> Commit:
        members = self.company.teams[service.owner_team].members or [0]
        h = hash64(self.seed, _COMMIT_TIME, service.index, day, k)
        # Spread commits over working hours; later k are later in the day.
        seconds = 7 * 3600 + (k * 2400 + h % 2400) % (13 * 3600)
        author = members[hash64(self.seed, _COMMIT_AUTHOR, service.index, day, k) % len(members)]
        return Commit(
            sha=hex_digest(self.seed, _COMMITS, service.index, day, k),
            epoch=day_start_epoch(day) + seconds,
            author=author,
            message=COMMIT_MESSAGES[h % len(COMMIT_MESSAGES)],
        )

    def _pre_window_commits(self, repo: Repo) -> tuple[int, int, int]:
        """(count, first day, last day) of the evenly spread commits before the window."""
        start = self.company.window_start_day
        last = min(start, repo.active_span[1]) - 1
        if repo.created_day >= start or last < repo.created_day:
            return 0, 0, 0
        return repo.commits_before_window, repo.created_day, last

    def _day_counts(self, service: Service) -> bytes:
        """Commits per day over the window (index 0 = first window day), cached."""
        cached = self._commit_counts.get(service.index)
        if cached is None:
            start = self.company.window_start_day
            cached = bytes(
                min(255, self._commits_on(service, d))
                for d in range(start, self.company.today_day + 1)
            )
            self._commit_counts[service.index] = cached
        return cached

    def _window_count(self, service: Service, as_of_day: int) -> int:
        start = self.company.window_start_day
        return sum(self._day_counts(service)[: max(0, as_of_day - start + 1)])

    def commit_count(self, service: Service, as_of_day: int) -> int:
        """Commits on the default branch up to the end of ``as_of_day``."""
        return self._window_count(service, as_of_day) + self._pre_window_commits(service.repo)[0]

    def _prefix(self, service: Service) -> list[int]:
        """Commits before each window day (``prefix[i]`` = days ``0..i-1``), cached."""
        cached = self._commit_prefix.get(service.index)
        if cached is None:
            cached = [0]
            for n in self._day_counts(service):
                cached.append(cached[-1] + n)
            self._commit_prefix[service.index] = cached
        return cached

    def commit_at(self, service: Service, as_of_day: int, position: int) -> Commit | None:
        """The ``position``-th commit (0 = newest) of the default branch as of a day."""
        start = self.company.window_start_day
        last_offset = min(as_of_day, self.company.today_day) - start
        remaining = position
        if last_offset >= 0:
            prefix = self._prefix(service)
            in_window = prefix[last_offset + 1]
            if position < in_window:
                # Counting from the oldest window commit; within a day, later k are newer.
                index = in_window - 1 - position
                offset = bisect.bisect_right(prefix, index) - 1
                return self._commit(service, start + offset, index - prefix[offset])
            remaining = position - in_window
        count, first, last = self._pre_window_commits(service.repo)
        if remaining >= count:
            return None
        # remaining = 0 is the newest pre-window commit, on ``last``; older ones spread back.
        span_days = max(0, last - first)
        day = last - (span_days * remaining) // max(1, count - 1) if count > 1 else last
        return self._commit(service, day, 10_000 + remaining)

    def latest_commit(self, service: Service, as_of_day: int) -> Commit | None:
        return self.commit_at(service, as_of_day, 0)

    # -- Dependabot alerts ----------------------------------------------------------

    def alerts(self, service: Service) -> tuple[Alert, ...]:
        """Every alert the repository ever had (filter with ``Alert.state_at``)."""
        cached = self._alerts.get(service.index)
        if cached is not None:
            return cached
        repo = service.repo
        rng = entity_rng(self.seed, "alerts", service.index)
        today = self.company.today_day
        first_day = max(repo.created_day, self.company.window_start_day - 120)
        count = _poisson(0.6 + 5.0 * repo.alert_propensity, rng.random())
        ecosystem = {
            "Python": "PIP",
            "Java": "MAVEN",
            "Kotlin": "MAVEN",
            "TypeScript": "NPM",
            "Go": "GO",
        }.get(repo.language, "NPM")
        alerts = []
        for number in range(1, count + 1):
            created_day = rng.randint(first_day, today)
            created = day_start_epoch(created_day) + rng.randint(3600, 80000)
            u = rng.random()
            severity = (
                "low" if u < 0.28 else "medium" if u < 0.62 else "high" if u < 0.88 else "critical"
            )
            resolution, resolved, reason = "open", NEVER, None
            if severity in ("high", "critical"):
                hygiene = repo.hygiene_span
                if active(hygiene, created_day):
                    resolution, resolved = "fixed", created + rng.randint(1, 5) * DAY_SECONDS
                elif created_day < hygiene[0] < NEVER:
                    resolution, resolved = (
                        "fixed",
                        day_start_epoch(hygiene[0]) + rng.randint(1, 4) * DAY_SECONDS,
                    )
                elif rng.random() < 0.15:
                    resolution, resolved, reason = (
                        "dismissed",
                        created + rng.randint(2, 30) * DAY_SECONDS,
                        "tolerable_risk",
                    )
            else:
                u = rng.random()
                if u < 0.35:
                    resolution, resolved = "fixed", created + rng.randint(3, 40) * DAY_SECONDS
                elif u < 0.52:
                    resolution, resolved = "dismissed", created + rng.randint(1, 30) * DAY_SECONDS
                    reason = rng.choice(
                        ("tolerable_risk", "no_bandwidth", "not_used", "inaccurate")
                    )
                elif u < 0.56:
                    resolution, resolved = (
                        "auto_dismissed",
                        created + rng.randint(1, 10) * DAY_SECONDS,
                    )
            package = rng.choice(names.PACKAGES[ecosystem])
            major = rng.randint(1, 6)
            minor = rng.randint(0, 20)
            ghsa = "GHSA-" + "-".join(
                token(rng.getrandbits(40), 4, "23456789cfghjmpqrvwx") for _ in range(3)
            )
            alerts.append(
                Alert(
                    number=number,
                    severity=severity,
                    ecosystem=ecosystem,
                    package=package,
                    manifest=names.MANIFESTS[ecosystem],
                    scope="runtime" if rng.random() < 0.8 else "development",
                    ghsa=ghsa,
                    cve=f"CVE-{rng.randint(2019, 2026)}-{rng.randint(1000, 49999)}",
                    vulnerable_range=f"< {major}.{minor}.{rng.randint(1, 9)}",
                    patched=f"{major}.{minor}.{rng.randint(10, 19)}",
                    created=created,
                    resolution=resolution,
                    resolved=resolved,
                    dismissed_reason=reason,
                )
            )
        alerts.sort(key=lambda a: a.created)
        result = tuple(dataclasses.replace(a, number=i + 1) for i, a in enumerate(alerts))
        self._alerts[service.index] = result
        return result

    # -- PagerDuty incidents ---------------------------------------------------------

    def _raw_incidents(self, service: Service) -> list[tuple[int, int, int, int, str, str]]:
        rng = entity_rng(self.seed, "incidents", service.index)
        if service.pd_service_id is None:
            return []
        start = max(self.company.window_start_day, service.created_day)
        today = self.company.today_day
        days = today - start + 1
        rate = service.incident_rate * days / 90.0
        count = _poisson(rate, rng.random()) if rate < 40 else int(rate)
        stamps = [
            day_start_epoch(rng.randint(start, today)) + rng.randint(0, DAY_SECONDS - 1)
            for _ in range(count)
        ]
        if service.burst_day != NEVER and service.burst_day >= start:
            base = day_start_epoch(service.burst_day) + rng.randint(0, 12 * 3600)
            stamps += [base + rng.randint(0, 30 * 3600) for _ in range(service.burst_size)]
        out = []
        for seq, created in enumerate(sorted(stamps)):
            ack = created + rng.randint(60, 20 * 60)
            resolved = ack + int(rng.lognormvariate(7.5, 1.0))
            urgency = "high" if rng.random() < 0.7 else "low"
            title = rng.choice(names.INCIDENT_TITLES)
            out.append((created, seq, ack, resolved, urgency, title))
        return out

    def incidents(self) -> tuple[Incident, ...]:
        """All incidents of the company over the window, oldest first, numbered globally."""
        if self._incidents is not None:
            return self._incidents
        raw = []
        for service in self.company.services:
            for created, seq, ack, resolved, urgency, title in self._raw_incidents(service):
                raw.append((created, service.index, seq, ack, resolved, urgency, title))
        raw.sort()
        result = []
        by_service: dict[int, list[Incident]] = {}
        for rank, (created, svc, seq, ack, resolved, urgency, title) in enumerate(raw):
            incident = Incident(
                service=svc,
                seq=seq,
                created=created,
                acknowledged=ack,
                resolved=resolved,
                urgency=urgency,
                title=f"{title}: {self.company.services[svc].name}",
                number=1000 + rank,
                id="Q"
                + token(
                    hash64(self.seed, _INCIDENT_ID, svc, seq),
                    13,
                    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                ),
            )
            result.append(incident)
            by_service.setdefault(svc, []).append(incident)
        self._incidents_by_service = {k: tuple(v) for k, v in by_service.items()}
        self._incidents = tuple(result)
        return self._incidents

    def service_incidents(self, service: Service) -> tuple[Incident, ...]:
        self.incidents()
        return self._incidents_by_service.get(service.index, ())

    # -- SLOs ------------------------------------------------------------------------

    def _slo_series(self, slo: Slo) -> tuple[int, list[float]]:
        """(first day, daily good-event ratio in percent) from 40 days before the window."""
        cached = self._slo_days.get(slo.index)
        if cached is not None:
            return cached
        first = self.company.window_start_day - 40
        budget = 100.0 - slo.target
        values = []
        for day in range(first, self.company.today_day + 1):
            u = (
                unit(self.seed, _SLO_DAY, slo.index, day, 0)
                + unit(self.seed, _SLO_DAY, slo.index, day, 1)
                + unit(self.seed, _SLO_DAY, slo.index, day, 2)
                - 1.5
            ) * 2.0
            burn = slo.base_burn * max(0.0, 1.0 + slo.noise * u)
            for dip_day, length, depth in slo.dips:
                if dip_day <= day < dip_day + length:
                    burn += depth
            values.append(max(0.0, min(100.0, 100.0 - budget * burn)))
        result = (first, values)
        self._slo_days[slo.index] = result
        return result

    def slo_daily(self, slo: Slo, day: int) -> float | None:
        """Good-event ratio (percent) of one day, or None before the SLO existed."""
        first, values = self._slo_series(slo)
        if day < max(first, slo.created_day - 40) or day > self.company.today_day:
            return None
        return values[day - first]

    def slo_sli(self, slo: Slo, first_day: int, last_day: int) -> float | None:
        """SLI over a day range: the mean of the daily ratios (equal traffic weighting).

        Uses cached prefix sums, so rolling windows over many days stay cheap.
        """
        first, values = self._slo_series(slo)
        valid_from = max(first, slo.created_day - 40)
        lo = max(first_day, valid_from)
        hi = min(last_day, self.company.today_day)
        if hi < lo:
            return None
        prefix = self._slo_prefix.get(slo.index)
        if prefix is None:
            prefix = [0.0]
            for v in values:
                prefix.append(prefix[-1] + v)
            self._slo_prefix[slo.index] = prefix
        return (prefix[hi - first + 1] - prefix[lo - first]) / (hi - lo + 1)

    def slo_traffic(self, slo: Slo) -> int:
        """Requests per day counted by the SLO's denominator.

        Constant per SLO so that the count-weighted SLI Datadog computes from the series
        equals the plain mean of the daily ratios used everywhere else.
        """
        return 20_000 + hash64(self.seed, _SLO_TRAFFIC, slo.index) % 500_000

    def slo_met(self, slo: Slo, as_of_day: int) -> bool | None:
        """Whether the SLO meets its target over its timeframe ending on ``as_of_day``."""
        if slo.created_day > as_of_day:
            return None
        sli = self.slo_sli(slo, as_of_day - slo.timeframe_days + 1, as_of_day)
        return None if sli is None else sli >= slo.target

    # -- coverage --------------------------------------------------------------------

    def coverage_rate(self, service: Service, day: int) -> float | None:
        cov = service.repo.coverage
        if cov is None or not active(cov.span, day) or day < service.created_day:
            return None
        ws, today = self.company.window_start_day, self.company.today_day
        progress = min(1.0, max(0.0, (day - ws) / max(1, today - ws)))
        noise = (unit(self.seed, _COVERAGE, service.index, day) - 0.5) * 0.006
        return max(
            0.0, min(1.0, cov.start_rate + (cov.end_rate - cov.start_rate) * progress + noise)
        )

    # -- helpers shared by servers and the rule self-check -------------------------------

    def incidents_between(
        self, service: Service, first_epoch: int, last_epoch: int
    ) -> list[Incident]:
        return [
            i for i in self.service_incidents(service) if first_epoch <= i.created <= last_epoch
        ]

    def open_alerts(self, service: Service, as_of_day: int) -> list[Alert]:
        cutoff = day_end_epoch(as_of_day)
        return [a for a in self.alerts(service) if a.state_at(cutoff) == "open"]
