"""One notification run: plan what is due, queue what is new, deliver what is queued.

1. Plan every message due on the day (:mod:`readiness.notify.plan`).
2. Keep the new ones (a key already in the outbox, whatever its status, is never queued
   again); among new messages of one initiative to one recipient on one channel, only the
   most important is queued (created > reminder > digest); the others are recorded as
   superseded so that a later run of the same period does not send them either.
3. Expire what was not delivered in time; queue the new messages.
4. Try every pending or failed message: a failure is recorded with its error and retried
   on the next run; the other messages are still sent.

A dry run does steps 1-3 read-only and returns what would be sent, writing and sending
nothing; it also shows what the channels not configured would carry (a real run plans
nothing on them, so they are queued once configured, for as long as they are due).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from readiness.notify.channels import DeliveryError, SmtpSession, post_webhook
from readiness.notify.database import Database
from readiness.notify.messages import PRECEDENCE, Message
from readiness.notify.outbox import SUPERSEDED, Outbox
from readiness.notify.plan import plan_messages
from readiness.notify.settings import NotifySettings
from readiness.pause import pause_point


@dataclass(frozen=True)
class Delivery:
    message: Message
    error: str | None = None  # None: delivered (or, in a dry run, would be tried)
    note: str | None = None
    attempt: int = 1


@dataclass
class NotifyReport:
    as_of: dt.date
    dry_run: bool
    planned: int = 0  # messages due on the day, including those already in the outbox
    queued: list[Message] = field(default_factory=list)
    superseded: list[Message] = field(default_factory=list)
    expired: list[Message] = field(default_factory=list)
    # left `sending` by a killed run: may have arrived, so not sent again
    interrupted: list[Message] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    unrouted: list[str] = field(default_factory=list)
    disabled_channels: dict[str, str] = field(default_factory=dict)
    # dry runs only: what the channels not configured would carry (never queued)
    unconfigured: list[Message] = field(default_factory=list)

    @property
    def sent(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.error is None]

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.error is not None]

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        text = (
            f"{self.as_of}: {self.planned} message(s) due, {len(self.queued)} new; "
            f"{verb} {len(self.sent)}"
        )
        if self.failed:
            text += f", {len(self.failed)} failed (retried on the next run)"
        if self.expired:
            text += f", {len(self.expired)} expired"
        if self.interrupted:
            text += (
                f", {len(self.interrupted)} interrupted by a killed run (not resent: "
                "it may have arrived)"
            )
        if self.superseded:
            text += f", {len(self.superseded)} superseded"
        if self.unconfigured:
            channels = sorted({m.channel for m in self.unconfigured})
            text += (
                f"; {len(self.unconfigured)} more once {' and '.join(channels)} "
                f"{'is' if len(channels) == 1 else 'are'} configured"
            )
        return text


def _precedence(new: list[Message]) -> tuple[list[Message], list[Message], dict[str, str]]:
    """Split new messages into those to queue and those a more important one covers."""
    winners: dict[tuple[str, str, str], Message] = {}
    for message in new:
        group = message.precedence_group
        if group is None:
            continue
        best = winners.get(group)
        if best is None or PRECEDENCE[message.event] < PRECEDENCE[best.event]:
            winners[group] = message
    queue, superseded, by = [], [], {}
    for message in new:
        group = message.precedence_group
        if group is not None and winners[group].key != message.key:
            superseded.append(message)
            by[message.key] = winners[group].key
        else:
            queue.append(message)
    return queue, superseded, by


Sender = Callable[[Message], str | None]


def notify(
    connection: Database,
    as_of: dt.date,
    settings: NotifySettings,
    *,
    dry_run: bool = False,
    on_delivery: Callable[[Delivery], None] | None = None,
) -> NotifyReport:
    """Plan, queue and deliver the messages of ``as_of`` (see the module docstring).

    ``connection`` is the working warehouse: opened read-only for a dry run, else
    read-write (the caller holds it, so nothing else writes the outbox meanwhile).
    """
    plan = plan_messages(connection, as_of, settings, preview_unconfigured=dry_run)
    report = NotifyReport(
        as_of=as_of,
        dry_run=dry_run,
        planned=len(plan.messages),
        unrouted=plan.unrouted,
        disabled_channels=plan.disabled_channels,
    )
    outbox = Outbox(connection, read_only=dry_run)
    known = outbox.known_keys([m.key for m in plan.messages])
    new = [m for m in plan.messages if m.key not in known]
    report.queued, report.superseded, superseded_by = _precedence(new)
    report.expired = [q.message for q in outbox.expire(as_of, settings.expire_after_days)]
    if dry_run:
        # what the channels not configured would carry, under the same rules
        seen = outbox.known_keys([m.key for m in plan.unconfigured])
        report.unconfigured = _precedence([m for m in plan.unconfigured if m.key not in seen])[0]
        retries = outbox.due(as_of, settings.expire_after_days)
        report.deliveries = [Delivery(q.message, attempt=q.attempts + 1) for q in retries] + [
            Delivery(m) for m in report.queued
        ]
        return report
    report.interrupted = [q.message for q in outbox.interrupt_unfinished()]
    outbox.queue(report.queued)
    outbox.queue(report.superseded, status=SUPERSEDED, superseded_by=superseded_by)

    smtp = SmtpSession(settings.email)
    senders: dict[str, Sender] = {
        "slack": lambda message: post_webhook(settings.slack, message),
        "email": smtp.send,
    }
    try:
        for queued in outbox.due(as_of, settings.expire_after_days):
            message = queued.message
            note = None
            try:
                if not settings.enabled(message.channel):
                    raise DeliveryError(
                        f"{message.channel} is not configured any more: "
                        f"{settings.disabled_reason(message.channel)}"
                    )
                outbox.mark_sending(message.key)
                note = senders[message.channel](message)
                error = None
            except DeliveryError as exc:
                error = f"{message.channel} to {message.recipient_ref}: {exc}"
            except Exception as exc:  # noqa: BLE001 - one message must not stop the others
                # only the type: an unexpected error's text could carry a URL (a secret)
                error = f"{message.channel} to {message.recipient_ref}: {type(exc).__name__}"
            if error is None:
                pause_point("notify:sent")
            outbox.record(message.key, error, note)
            delivery = Delivery(message, error, note, queued.attempts + 1)
            report.deliveries.append(delivery)
            if on_delivery is not None:
                on_delivery(delivery)
    finally:
        smtp.close()
    return report
