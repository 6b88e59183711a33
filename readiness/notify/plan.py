"""Which messages are due on a day, read from the initiative marts.

For each initiative in force that has started, on the day ``as_of``:

- created: every team with work left (action items) hears about the initiative once,
  with its action items, as long as the due date has not passed;
- reminder: when the due date is within N days for a reminder N of the initiative's
  (``reminders: [7, 1]``), teams with work left get the reminder for the smallest such N,
  once (a run that misses the 7-day day still sends the 1-day reminder when due);
- digest: per digest period (the day for ``daily``; the week starting on the digest
  weekday for ``weekly``), the owner gets progress, projection and lagging teams, and every
  team with work left gets its own progress and action items; the owner's digests stop
  once the initiative is done and past its due date;
- overdue: after the due date, each team with work left is escalated, once, to its parent
  team (to the owner when it has none);
- level drop: an entity in scope of an initiative with ``level_drop_alerts`` that holds a
  lower level than the day before is reported to its owning team, with what broke.

Recipients: teams and owners reached by the initiative's channels that are configured;
a recipient with no route on a channel (no webhook, no email address) is reported as
unrouted and not queued, so it is queued as soon as a route exists. A channel that is not
configured at all plans nothing; a preview (a dry run) still builds its messages, apart,
to show what it would carry once configured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from readiness.notify.database import Database
from readiness.notify.messages import (
    CREATED,
    DIGEST,
    LEVEL_DROP,
    OVERDUE,
    REMINDER,
    ActionItem,
    Initiative,
    LevelDrop,
    Message,
    Progress,
    created_text,
    level_drop_text,
    overdue_text,
    owner_digest_text,
    reminder_text,
    team_digest_text,
)
from readiness.notify.settings import NotifySettings

UNRESOLVED_OWNER = "(owner not resolved)"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Plan:
    as_of: dt.date
    messages: list[Message] = field(default_factory=list)
    unrouted: list[str] = field(default_factory=list)  # "channel: recipient (why)"
    disabled_channels: dict[str, str] = field(default_factory=dict)
    # previews only: the messages of channels not configured, never queued
    unconfigured: list[Message] = field(default_factory=list)


def _rows(db: Database, sql: str, *params) -> list[dict]:
    return db.rows(sql, params)


def latest_evaluated_day(db: Database) -> dt.date | None:
    ((day,),) = db.tuples("select max(evaluated_on) from marts.fct_entity_scores")
    return day


def _initiatives(db: Database) -> list[Initiative]:
    rows = _rows(
        db,
        """
        select initiative_id, name, description, scorecard_id, target_text, start_date,
            due_date, owner_ref, channels, digest_cadence, digest_weekday, reminder_days,
            escalate_overdue, level_drop_alerts
        from marts.dim_initiatives
        where is_current
        order by initiative_id
        """,
    )
    return [
        Initiative(
            initiative_id=row["initiative_id"],
            name=row["name"],
            description=row["description"] or "",
            scorecard_id=row["scorecard_id"],
            target_text=row["target_text"],
            start_date=row["start_date"],
            due_date=row["due_date"],
            owner_ref=row["owner_ref"],
            channels=tuple(c for c in (row["channels"] or "").split(",") if c),
            digest_cadence=row["digest_cadence"],
            digest_weekday=row["digest_weekday"],
            reminder_days=tuple(int(d) for d in (row["reminder_days"] or "").split(",") if d),
            escalate_overdue=bool(row["escalate_overdue"]),
            level_drop_alerts=bool(row["level_drop_alerts"]),
        )
        for row in rows
    ]


def _progress(db: Database, as_of: dt.date) -> dict[str, dict[str, Progress]]:
    rows = _rows(
        db,
        """
        select progress.*
        from marts.fct_initiative_progress_daily as progress
        inner join marts.dim_initiatives as initiatives
            on initiatives.initiative_id = progress.initiative_id
            and initiatives.definition_hash = progress.definition_hash
            and initiatives.is_current
        where progress.evaluated_on = ?
        """,
        as_of,
    )
    result: dict[str, dict[str, Progress]] = {}
    for row in rows:
        result.setdefault(row["initiative_id"], {})[row["scope_ref"]] = Progress(
            scope_ref=row["scope_ref"],
            parent_team_ref=row["parent_team_ref"],
            entities_in_scope=row["entities_in_scope"],
            entities_done=row["entities_done"],
            entities_remaining=row["entities_remaining"],
            pct_complete=float(row["pct_complete"]),
            expected_pct=float(row["expected_pct"]),
            burn_rate_per_day=None
            if row["burn_rate_per_day"] is None
            else float(row["burn_rate_per_day"]),
            rate_window_days=row["rate_window_days"],
            projected_completion_on=row["projected_completion_on"],
            status=row["status"],
            is_lagging=bool(row["is_lagging"]),
        )
    return result


def _action_item(row: dict) -> ActionItem:
    return ActionItem(
        entity_ref=row["entity_ref"],
        team_ref=row["team_ref"],
        rule_id=row["rule_id"],
        rule_name=row["rule_name"],
        level=row["level"],
        outcome=row["outcome"],
        reason=row["reason"],
        remediation=row["remediation"] or "",
    )


def _action_items(db: Database, as_of: dt.date) -> dict[tuple[str, str], list[ActionItem]]:
    rows = _rows(
        db,
        """
        select items.*
        from marts.fct_initiative_action_items as items
        inner join marts.dim_initiatives as initiatives
            on initiatives.initiative_id = items.initiative_id
            and initiatives.definition_hash = items.definition_hash
            and initiatives.is_current
        where items.evaluated_on = ?
        order by items.entity_ref, items.level_rank, items.rule_position
        """,
        as_of,
    )
    result: dict[tuple[str, str], list[ActionItem]] = {}
    for row in rows:
        team = row["team_ref"] or UNRESOLVED_OWNER
        result.setdefault((row["initiative_id"], team), []).append(_action_item(row))
    return result


def _level_drops(
    db: Database, as_of: dt.date, initiatives: dict[str, Initiative]
) -> list[LevelDrop]:
    alerting = [i.initiative_id for i in initiatives.values() if i.level_drop_alerts]
    if not alerting:
        return []
    placeholders = ", ".join("?" for _ in alerting)
    drops = _rows(
        db,
        f"""
        select entities.scorecard_id, entities.entity_ref, entities.team_ref,
            entities.initiative_id, entities.level, before.level as level_before
        from marts.fct_initiative_entities_daily as entities
        inner join marts.dim_initiatives as initiatives
            on initiatives.initiative_id = entities.initiative_id
            and initiatives.definition_hash = entities.definition_hash
            and initiatives.is_current
        left join marts.fct_entity_scores as before
            on before.evaluated_on = entities.evaluated_on - interval '1 day'
            and before.scorecard_id = entities.scorecard_id
            and before.entity_ref = entities.entity_ref
        where entities.evaluated_on = ? and entities.dropped_level
            and entities.team_ref is not null
            and entities.initiative_id in ({placeholders})
        order by entities.scorecard_id, entities.entity_ref, entities.initiative_id
        """,
        as_of,
        *alerting,
    )
    if not drops:
        return []
    broke = _rows(
        db,
        """
        select now_.scorecard_id, now_.entity_ref, now_.rule_id, rules.name as rule_name,
            now_.level, now_.outcome, now_.reason, rules.remediation,
            cast(null as varchar) as team_ref
        from marts.fct_rule_outcomes as now_
        inner join marts.fct_rule_outcomes as before
            on before.evaluated_on = now_.evaluated_on - interval '1 day'
            and before.scorecard_id = now_.scorecard_id
            and before.rule_id = now_.rule_id
            and before.entity_ref = now_.entity_ref
        inner join marts.dim_rules as rules
            on rules.scorecard_id = now_.scorecard_id
            and rules.definition_hash = now_.definition_hash
            and rules.rule_id = now_.rule_id
        where now_.evaluated_on = ?
            and now_.outcome in ('fail', 'unknown')
            and before.outcome in ('pass', 'exempt', 'not_applicable')
        order by now_.level_rank, rules.position
        """,
        as_of,
    )
    broken: dict[tuple[str, str], list[ActionItem]] = {}
    for row in broke:
        broken.setdefault((row["scorecard_id"], row["entity_ref"]), []).append(_action_item(row))
    grouped: dict[tuple[str, str], LevelDrop] = {}
    for row in drops:
        key = (row["scorecard_id"], row["entity_ref"])
        initiative = initiatives[row["initiative_id"]]
        previous = grouped.get(key)
        if previous is None:
            grouped[key] = LevelDrop(
                scorecard_id=row["scorecard_id"],
                entity_ref=row["entity_ref"],
                team_ref=row["team_ref"],
                level_before=row["level_before"],
                level_now=row["level"],
                now_failing=tuple(broken.get(key, [])),
                initiatives=(initiative.name,),
                channels=initiative.channels,
            )
        else:
            grouped[key] = replace(
                previous,
                initiatives=(*previous.initiatives, initiative.name),
                channels=tuple(dict.fromkeys((*previous.channels, *initiative.channels))),
            )
    return list(grouped.values())


def _contacts(db: Database) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for ref, email in db.tuples(
        "select recipient_ref, email from marts.dim_notification_contacts order by 1, 2"
    ):
        result.setdefault(ref, []).append(email)
    return result


def digest_period_start(initiative: Initiative, as_of: dt.date) -> dt.date | None:
    """The first day of the digest period holding ``as_of`` (None: no digests)."""
    if initiative.digest_cadence == "daily":
        return as_of
    if initiative.digest_cadence == "weekly":
        weekday = _WEEKDAYS.index(initiative.digest_weekday)
        return as_of - dt.timedelta(days=(as_of.weekday() - weekday) % 7)
    return None


def reminder_due(initiative: Initiative, as_of: dt.date) -> int | None:
    """The reminder to send on ``as_of``: the smallest N with 0 <= days left <= N."""
    days_left = (initiative.due_date - as_of).days
    applicable = [n for n in initiative.reminder_days if 0 <= days_left <= n]
    return min(applicable) if applicable else None


class _Builder:
    def __init__(
        self,
        as_of: dt.date,
        settings: NotifySettings,
        contacts,
        plan: Plan,
        preview_unconfigured: bool = False,
    ):
        self.as_of = as_of
        self.settings = settings
        self.contacts = contacts
        self.plan = plan
        self.preview_unconfigured = preview_unconfigured

    def add(
        self,
        channels: tuple[str, ...],
        key: str,
        initiative_id: str | None,
        event: str,
        recipient_ref: str,
        subject: str,
        body: str,
    ) -> None:
        def message(channel: str, address: str) -> Message:
            return Message(
                key=f"{key}/{channel}",
                initiative_id=initiative_id,
                event=event,
                as_of=self.as_of,
                recipient_ref=recipient_ref,
                channel=channel,
                address=address,
                subject=subject,
                body=body,
            )

        for channel in channels:
            if not self.settings.enabled(channel):
                self.plan.disabled_channels[channel] = self.settings.disabled_reason(channel)
                if self.preview_unconfigured:
                    address = (
                        "(no webhook configured)"
                        if channel == "slack"
                        else ", ".join(self.contacts.get(recipient_ref, [])) or "(no email address)"
                    )
                    self.plan.unconfigured.append(message(channel, address))
                continue
            if channel == "slack":
                address = self.settings.slack.route(recipient_ref)
                why = (
                    f"no webhook for it in notifications.slack.webhooks "
                    f"(key '{recipient_ref.split('/', 1)[-1]}') and no default_webhook"
                )
            else:
                address = ", ".join(self.contacts.get(recipient_ref, [])) or None
                why = "no email address (no active members, member Users or group email)"
            if address is None:
                note = f"{channel}: {recipient_ref} ({why})"
                if note not in self.plan.unrouted:
                    self.plan.unrouted.append(note)
                continue
            self.plan.messages.append(message(channel, address))


def _initiative_messages(
    build: _Builder,
    initiative: Initiative,
    scopes: dict[str, Progress],
    items: dict[tuple[str, str], list[ActionItem]],
    url: str | None,
) -> None:
    as_of = build.as_of
    iid = initiative.initiative_id
    overall = scopes["initiative"]
    teams = [p for ref, p in sorted(scopes.items()) if ref != "initiative"]

    def emit(event: str, key: str, recipient: str, text: tuple[str, str]) -> None:
        build.add(initiative.channels, f"{iid}/{key}", iid, event, recipient, *text)

    reminder = reminder_due(initiative, as_of)
    period = digest_period_start(initiative, as_of)
    for team in teams:
        ref = team.scope_ref
        if team.entities_remaining == 0 or ref == UNRESOLVED_OWNER:
            continue
        team_items = items.get((iid, ref), [])
        if as_of <= initiative.due_date:
            text = created_text(initiative, as_of, ref, team, overall, team_items, url)
            emit(CREATED, f"created/{ref}", ref, text)
        if reminder is not None:
            text = reminder_text(initiative, as_of, reminder, ref, team, team_items, url)
            emit(REMINDER, f"reminder-{reminder}d/{ref}", ref, text)
        if period is not None:
            text = team_digest_text(initiative, as_of, period, ref, team, team_items, url)
            emit(DIGEST, f"digest-{period}/{ref}", ref, text)
        if as_of > initiative.due_date and initiative.escalate_overdue:
            parent = team.parent_team_ref or initiative.owner_ref
            text = overdue_text(initiative, as_of, ref, parent, team, team_items, url)
            emit(OVERDUE, f"overdue/{ref}/{parent}", parent, text)
    if period is not None and (overall.entities_remaining > 0 or as_of <= initiative.due_date):
        owner = initiative.owner_ref
        text = owner_digest_text(initiative, as_of, period, overall, teams, url)
        emit(DIGEST, f"digest-{period}/{owner}", owner, text)


def plan_messages(
    db: Database, as_of: dt.date, settings: NotifySettings, *, preview_unconfigured: bool = False
) -> Plan:
    """Every message due on ``as_of`` (whether or not already in the outbox); with
    ``preview_unconfigured``, also those of the channels not configured, apart."""
    plan = Plan(as_of)
    initiatives = {i.initiative_id: i for i in _initiatives(db)}
    if not initiatives:
        return plan
    progress = _progress(db, as_of)
    items = _action_items(db, as_of)
    build = _Builder(as_of, settings, _contacts(db), plan, preview_unconfigured)
    url = settings.dashboard_url
    for initiative in initiatives.values():
        scopes = progress.get(initiative.initiative_id, {})
        if as_of >= initiative.start_date and "initiative" in scopes:
            _initiative_messages(build, initiative, scopes, items, url)
    for drop in _level_drops(db, as_of, initiatives):
        key = f"level-drop/{drop.scorecard_id}/{drop.entity_ref}/{as_of}/{drop.team_ref}"
        subject, body = level_drop_text(drop, as_of, url)
        build.add(drop.channels, key, None, LEVEL_DROP, drop.team_ref, subject, body)
    return plan
