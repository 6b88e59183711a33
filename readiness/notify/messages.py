"""The messages readiness sends, and their text.

Every message has a deterministic key built from what it is about (initiative, event,
period, recipient, channel): the same situation on the same day always gives the same
key, so the outbox can refuse to send it twice. The text is plain, readable both as an
email body and as a Slack message (Slack renders ``*bold*`` and bullet lines).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Events, in order of precedence for one (initiative, recipient, channel) on one run: a
# team told about a new initiative today needs no reminder or digest of it the same day.
CREATED = "created"
REMINDER = "reminder"
DIGEST = "digest"
OVERDUE = "overdue"
LEVEL_DROP = "level_drop"
EVENTS = (CREATED, REMINDER, DIGEST, OVERDUE, LEVEL_DROP)
PRECEDENCE = {CREATED: 0, REMINDER: 1, DIGEST: 2}
MAX_ENTITIES = 40  # entities listed in one message; the rest are counted


@dataclass(frozen=True)
class Message:
    key: str
    initiative_id: str | None  # None for a level-drop alert (it can concern several)
    event: str
    as_of: dt.date
    recipient_ref: str
    channel: str
    address: str  # email: the addresses; slack: the webhook's key (never its URL)
    subject: str
    body: str

    @property
    def precedence_group(self) -> tuple[str, str, str] | None:
        if self.event in PRECEDENCE and self.initiative_id:
            return (self.initiative_id, self.recipient_ref, self.channel)
        return None


@dataclass(frozen=True)
class Initiative:
    initiative_id: str
    name: str
    description: str
    scorecard_id: str
    target_text: str
    start_date: dt.date
    due_date: dt.date
    owner_ref: str
    channels: tuple[str, ...]
    digest_cadence: str
    digest_weekday: str
    reminder_days: tuple[int, ...]
    escalate_overdue: bool
    level_drop_alerts: bool


@dataclass(frozen=True)
class Progress:
    scope_ref: str  # "initiative" or a team ref
    parent_team_ref: str | None
    entities_in_scope: int
    entities_done: int
    entities_remaining: int
    pct_complete: float
    expected_pct: float
    burn_rate_per_day: float | None
    rate_window_days: int | None
    projected_completion_on: dt.date | None
    status: str
    is_lagging: bool


@dataclass(frozen=True)
class ActionItem:
    entity_ref: str
    team_ref: str | None
    rule_id: str
    rule_name: str
    level: str
    outcome: str
    reason: str | None
    remediation: str


@dataclass(frozen=True)
class LevelDrop:
    scorecard_id: str
    entity_ref: str
    team_ref: str
    level_before: str | None
    level_now: str | None
    now_failing: tuple[ActionItem, ...]
    initiatives: tuple[str, ...]  # names of the initiatives covering the entity
    channels: tuple[str, ...] = field(default=())


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _period(initiative: Initiative, as_of: dt.date, period_start: dt.date) -> str:
    if initiative.digest_cadence == "daily":
        return f"Daily digest, {as_of}."
    return f"Weekly digest, week of {period_start} (as of {as_of})."


def _level(name: str | None) -> str:
    return name or "no level"


def _due_phrase(initiative: Initiative, as_of: dt.date) -> str:
    days = (initiative.due_date - as_of).days
    if days > 1:
        return f"due {initiative.due_date} ({_n(days, 'day')} left)"
    if days == 1:
        return f"due {initiative.due_date} (tomorrow)"
    if days == 0:
        return f"due {initiative.due_date} (today)"
    return f"was due {initiative.due_date} ({_n(-days, 'day')} overdue)"


def _progress_line(progress: Progress, label: str) -> str:
    return (
        f"{label}: {progress.entities_done} of {progress.entities_in_scope} done "
        f"({progress.pct_complete:.1f} %, the straight line to the due date is at "
        f"{progress.expected_pct:.1f} %)"
    )


def _projection(progress: Progress) -> str:
    if progress.entities_remaining == 0:
        return "complete"
    if progress.burn_rate_per_day is None:
        return "no projection yet (too little history)"
    if progress.projected_completion_on is None:
        return (
            f"not finishing at the current rate ({progress.burn_rate_per_day:+.2f} entities "
            f"a day over {progress.rate_window_days} days)"
        )
    return (
        f"projected to finish {progress.projected_completion_on} at "
        f"{progress.burn_rate_per_day:.2f} entities a day (last {progress.rate_window_days} days)"
    )


def action_item_lines(items: list[ActionItem]) -> list[str]:
    """Items grouped by entity, one line per rule, with its remediation."""
    by_entity: dict[str, list[ActionItem]] = {}
    for item in items:
        by_entity.setdefault(item.entity_ref, []).append(item)
    lines: list[str] = []
    for index, (entity, entity_items) in enumerate(sorted(by_entity.items())):
        if index == MAX_ENTITIES:
            lines.append(
                f"... and {len(by_entity) - MAX_ENTITIES} more entities (see the dashboard)"
            )
            break
        lines.append(f"• {entity}")
        for item in entity_items:
            status = "unknown" if item.outcome == "unknown" else "failing"
            detail = f" ({item.reason})" if item.outcome == "unknown" and item.reason else ""
            lines.append(
                f"    - {item.rule_name} [{item.rule_id}, {item.level}]: {status}{detail}. "
                f"{' '.join(item.remediation.split())}"
            )
    return lines


def _footer(initiative: Initiative | None, dashboard_url: str | None) -> list[str]:
    lines = [""]
    if initiative is not None:
        lines.append(f"Initiative {initiative.initiative_id}, owned by {initiative.owner_ref}.")
    if dashboard_url:
        lines.append(f"Dashboard: {dashboard_url}")
    lines.append("Sent by readiness.")
    return lines


def _header(initiative: Initiative, as_of: dt.date) -> list[str]:
    lines = [
        f"*{initiative.name}*: {initiative.target_text} on the {initiative.scorecard_id} "
        f"scorecard, {_due_phrase(initiative, as_of)}."
    ]
    if initiative.description.strip():
        lines.append(" ".join(initiative.description.split()))
    return lines


def created_text(
    initiative: Initiative,
    as_of: dt.date,
    team_ref: str,
    team: Progress,
    overall: Progress,
    items: list[ActionItem],
    dashboard_url: str | None,
) -> tuple[str, str]:
    subject = f"[readiness] New initiative for {team_ref}: {initiative.name}"
    lines = [
        f"{team_ref} has work in a new initiative.",
        *_header(initiative, as_of),
        "",
        _progress_line(team, "Your team"),
        _progress_line(overall, "Everyone"),
        "",
        f"Your action items ({_n(team.entities_remaining, 'entity', 'entities')}):",
        *action_item_lines(items),
        *_footer(initiative, dashboard_url),
    ]
    return subject, "\n".join(lines)


def reminder_text(
    initiative: Initiative,
    as_of: dt.date,
    days: int,
    team_ref: str,
    team: Progress,
    items: list[ActionItem],
    dashboard_url: str | None,
) -> tuple[str, str]:
    when = "tomorrow" if days == 1 else f"in {days} days"
    subject = f"[readiness] Reminder: {initiative.name} is due {when} ({initiative.due_date})"
    lines = [
        f"Reminder for {team_ref}: {initiative.name} is {_due_phrase(initiative, as_of)}.",
        *_header(initiative, as_of),
        "",
        _progress_line(team, "Your team"),
        "",
        f"Still to do ({_n(team.entities_remaining, 'entity', 'entities')}):",
        *action_item_lines(items),
        *_footer(initiative, dashboard_url),
    ]
    return subject, "\n".join(lines)


def team_digest_text(
    initiative: Initiative,
    as_of: dt.date,
    period_start: dt.date,
    team_ref: str,
    team: Progress,
    items: list[ActionItem],
    dashboard_url: str | None,
) -> tuple[str, str]:
    subject = f"[readiness] {initiative.name}: {team_ref}, {team.entities_remaining} to go"
    lines = [
        f"{_period(initiative, as_of, period_start)} For {team_ref}.",
        *_header(initiative, as_of),
        "",
        _progress_line(team, "Your team"),
        f"Your team is {_status_words(team.status)}; {_projection(team)}.",
        "",
        f"Still to do ({_n(team.entities_remaining, 'entity', 'entities')}):",
        *action_item_lines(items),
        *_footer(initiative, dashboard_url),
    ]
    return subject, "\n".join(lines)


def _status_words(status: str) -> str:
    return {
        "done": "done",
        "on_track": "on track",
        "behind": "behind the straight line to the due date",
        "projected_late": "projected to finish late",
        "overdue": "overdue",
    }.get(status, status)


def owner_digest_text(
    initiative: Initiative,
    as_of: dt.date,
    period_start: dt.date,
    overall: Progress,
    teams: list[Progress],
    dashboard_url: str | None,
) -> tuple[str, str]:
    subject = (
        f"[readiness] {initiative.name}: {overall.pct_complete:.0f} % done, "
        f"{_status_words(overall.status)}"
    )
    lagging = [team for team in teams if team.is_lagging]
    lines = [
        _period(initiative, as_of, period_start),
        *_header(initiative, as_of),
        "",
        _progress_line(overall, "Progress"),
        f"Status: {_status_words(overall.status)}; {_projection(overall)}.",
        "",
    ]
    if lagging:
        lines.append(f"Lagging teams ({len(lagging)} of {len(teams)}):")
        for team in sorted(lagging, key=lambda t: (-t.entities_remaining, t.scope_ref)):
            lines.append(
                f"• {team.scope_ref}: {team.entities_done} of {team.entities_in_scope} done "
                f"({team.pct_complete:.1f} % vs {team.expected_pct:.1f} %), "
                f"{_status_words(team.status)}"
            )
    else:
        lines.append(f"No team is lagging ({len(teams)} teams in scope).")
    lines.extend(_footer(initiative, dashboard_url))
    return subject, "\n".join(lines)


def overdue_text(
    initiative: Initiative,
    as_of: dt.date,
    team_ref: str,
    escalated_to: str,
    team: Progress,
    items: list[ActionItem],
    dashboard_url: str | None,
) -> tuple[str, str]:
    subject = f"[readiness] Overdue: {team_ref} on {initiative.name} (due {initiative.due_date})"
    lines = [
        f"Escalation to {escalated_to}: {team_ref} still has {team.entities_remaining} of "
        f"{team.entities_in_scope} entities to finish for {initiative.name}, which "
        f"{_due_phrase(initiative, as_of)}.",
        *_header(initiative, as_of),
        "",
        f"What {team_ref} still has to do:",
        *action_item_lines(items),
        *_footer(initiative, dashboard_url),
    ]
    return subject, "\n".join(lines)


def level_drop_text(drop: LevelDrop, as_of: dt.date, dashboard_url: str | None) -> tuple[str, str]:
    subject = (
        f"[readiness] {drop.entity_ref} dropped to {_level(drop.level_now)} on {drop.scorecard_id}"
    )
    lines = [
        f"{drop.entity_ref} (owned by {drop.team_ref}) went from {_level(drop.level_before)} "
        f"to {_level(drop.level_now)} on the {drop.scorecard_id} scorecard on {as_of}.",
        f"It counts in: {', '.join(drop.initiatives)}.",
        "",
    ]
    if drop.now_failing:
        lines.append("What broke since the day before:")
        lines.extend(action_item_lines(list(drop.now_failing)))
    else:
        lines.append("A rule of its level is no longer passing; see the dashboard.")
    lines.extend(_footer(None, dashboard_url))
    return subject, "\n".join(lines)
