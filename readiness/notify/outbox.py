"""The durable outbox: every message readiness sends, in the working warehouse.

Schema ``notifications`` (written only by the orchestration's notification step, after a
publish, in the pipeline's own process, so DuckDB's single writer is never contended):

- ``outbox``: one row per message key, ever. A key already there is never queued again,
  whatever its status: that is what makes a second run send nothing new. ``status`` is
  ``pending`` (queued, not yet tried), ``sent``, ``failed`` (tried, retried on the next
  run), ``expired`` (not delivered within ``expire_after_days`` of the day it is about;
  kept, never sent late), ``superseded`` (a more important message to the same
  recipient on the same run covered it: a new initiative's announcement and its first
  reminder or digest on the same day), ``sending`` (committed just before the delivery
  is tried) or ``interrupted`` (the run was killed while delivering it: it may have
  arrived, so it is never sent again, and the next run says so).
- ``delivery_attempts``: one row per attempt (append-only), with its error.

No URL and no credential is stored: ``address`` is the webhook's key or the email
addresses. The subject and body are stored, so a retry sends exactly what was queued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from readiness.notify.database import Database
from readiness.notify.messages import Message

SCHEMA = "notifications"
PENDING, SENT, FAILED, EXPIRED, SUPERSEDED = "pending", "sent", "failed", "expired", "superseded"
SENDING, INTERRUPTED = "sending", "interrupted"
INTERRUPTED_ERROR = (
    "the run was interrupted while delivering it: it may have arrived, so it is not sent again"
)
_DDL = f"""
create schema if not exists {SCHEMA};
create table if not exists {SCHEMA}.outbox (
    message_key varchar primary key,
    initiative_id varchar,
    event varchar not null,
    as_of date not null,
    recipient_ref varchar not null,
    channel varchar not null,
    address varchar,
    subject varchar not null,
    body varchar not null,
    status varchar not null,
    attempts integer not null,
    last_error varchar,
    superseded_by varchar,
    queued_at timestamp not null,
    last_attempt_at timestamp,
    sent_at timestamp
);
create table if not exists {SCHEMA}.delivery_attempts (
    message_key varchar not null,
    attempt integer not null,
    attempted_at timestamp not null,
    status varchar not null,
    error varchar
);
"""
_COLUMNS = (
    "message_key, initiative_id, event, as_of, recipient_ref, channel, address, subject, body"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class QueuedMessage:
    message: Message
    status: str
    attempts: int


class Outbox:
    """The outbox in the working warehouse (DuckDB or PostgreSQL)."""

    def __init__(self, db: Database, *, read_only: bool = False):
        self.db = db
        self.read_only = read_only
        if not read_only:
            for statement in _DDL.split(";"):
                if statement.strip():
                    db.execute(statement)

    def _exists(self) -> bool:
        ((count,),) = self.db.tuples(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = 'outbox'",
            [SCHEMA],
        )
        return count > 0

    def known_keys(self, keys: list[str]) -> set[str]:
        if not keys or not self._exists():
            return set()
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(
                key
                for (key,) in self.db.tuples(
                    f"select message_key from {SCHEMA}.outbox where message_key in ({marks})",
                    chunk,
                )
            )
        return found

    def queue(
        self,
        messages: list[Message],
        status: str = PENDING,
        superseded_by: dict[str, str] | None = None,
    ) -> None:
        """Insert new messages in one transaction (keys already present are left alone)."""
        if self.read_only:
            raise RuntimeError("the outbox is open read-only")
        if not messages:
            return
        now = _now()
        rows = [
            [
                message.key,
                message.initiative_id,
                message.event,
                message.as_of,
                message.recipient_ref,
                message.channel,
                message.address,
                message.subject,
                message.body,
                status,
                (superseded_by or {}).get(message.key),
                now,
            ]
            for message in messages
        ]
        with self.db.transaction():
            self.db.executemany(
                f"""
                insert into {SCHEMA}.outbox ({_COLUMNS}, status, attempts, superseded_by,
                    queued_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                on conflict do nothing
                """,
                rows,
            )

    def expire(self, as_of: dt.date, expire_after_days: int) -> list[QueuedMessage]:
        """Mark undelivered messages about days older than the window as expired."""
        cutoff = as_of - dt.timedelta(days=expire_after_days)
        expiring = self._select("status in (?, ?) and as_of < ?", PENDING, FAILED, cutoff)
        if expiring and not self.read_only:
            self.db.execute(
                f"update {SCHEMA}.outbox set status = ? where status in (?, ?) and as_of < ?",
                [EXPIRED, PENDING, FAILED, cutoff],
            )
        return expiring

    def due(self, as_of: dt.date, expire_after_days: int) -> list[QueuedMessage]:
        """Messages to (re)try now: pending or failed, not expired, oldest first."""
        if not self._exists():
            return []
        cutoff = as_of - dt.timedelta(days=expire_after_days)
        return self._select("status in (?, ?) and as_of >= ?", PENDING, FAILED, cutoff)

    def _select(self, where: str, *params) -> list[QueuedMessage]:
        if not self._exists():
            return []
        rows = self.db.tuples(
            f"select {_COLUMNS}, status, attempts from {SCHEMA}.outbox where {where} "
            "order by queued_at, message_key",
            list(params),
        )
        return [
            QueuedMessage(
                Message(
                    key=row[0],
                    initiative_id=row[1],
                    event=row[2],
                    as_of=row[3],
                    recipient_ref=row[4],
                    channel=row[5],
                    address=row[6],
                    subject=row[7],
                    body=row[8],
                ),
                status=row[9],
                attempts=row[10],
            )
            for row in rows
        ]

    def mark_sending(self, key: str) -> None:
        """Commit that a delivery is being tried, before trying it: a run killed during the
        delivery leaves the message ``sending``, never ``pending`` (which would send it a
        second time)."""
        self.db.execute(
            f"update {SCHEMA}.outbox set status = ?, last_attempt_at = ? where message_key = ?",
            [SENDING, _now(), key],
        )

    def interrupt_unfinished(self) -> list[QueuedMessage]:
        """Messages a killed run left ``sending``: recorded as ``interrupted`` (not resent)."""
        unfinished = self._select("status = ?", SENDING)
        for queued in unfinished:
            self.record(queued.message.key, INTERRUPTED_ERROR, status=INTERRUPTED)
        return unfinished

    def record(
        self, key: str, error: str | None, note: str | None = None, status: str | None = None
    ) -> None:
        """Record one delivery attempt (error None: sent, with an optional note), in one
        transaction."""
        now = _now()
        status = status or (SENT if error is None else FAILED)
        error = error if error is not None else note
        with self.db.transaction():
            ((attempts,),) = self.db.tuples(
                f"select attempts from {SCHEMA}.outbox where message_key = ?", [key]
            )
            self.db.execute(
                f"""
                update {SCHEMA}.outbox
                set status = ?, attempts = ?, last_error = ?, last_attempt_at = ?,
                    sent_at = ?
                where message_key = ?
                """,
                [status, attempts + 1, error, now, now if status == SENT else None, key],
            )
            self.db.execute(
                f"insert into {SCHEMA}.delivery_attempts values (?, ?, ?, ?, ?)",
                [key, attempts + 1, now, status, error],
            )
