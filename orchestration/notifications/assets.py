"""The notification step: after each publish, send what is due, through the outbox.

It runs in the evaluation job right after ``published_warehouse`` (and in the ``notify``
job that `readiness notify` starts), in the pipeline's own process: the working
warehouse has one writer at a time, and the outbox lives in it. A delivery that fails
does not fail the step (the others are still sent, and the publish stands): the asset
check ``notifications_delivered`` fails with severity WARN, naming each channel,
recipient and error, and the message is retried on the next run. Runs of
`readiness demo` (a simulated company) use no channel, whatever the settings.
"""

import datetime as dt
import json

import dagster as dg
import duckdb

from orchestration.evaluation.sensors import TRIGGER_TAG
from orchestration.notifications.config import notify_settings
from orchestration.partitions import FIRST_DAY_TAG, run_window
from orchestration.resources import ReadinessResource
from readiness.errors import ReadinessError
from readiness.notify.database import Database
from readiness.notify.deliver import Delivery, NotifyReport, notify
from readiness.notify.plan import latest_evaluated_day
from readiness.notify.settings import NotifySettings
from readiness.settings import Settings

ASSET_NAME = "notifications"
CHECK_NAME = "notifications_delivered"
NOTIFY_JOB = "notify"


class NotifyConfig(dg.Config):
    """Which evaluated day to notify about."""

    as_of: str | None = None  # YYYY-MM-DD; default: the day the run published (or the latest)


def open_working_warehouse(settings: Settings, *, read_only: bool) -> Database:
    """The working warehouse, where the marts are read and the outbox lives: the DuckDB
    file (one writer at a time: a clear error when a run holds it), or the PostgreSQL
    database (a read-only session for a dry run)."""
    if settings.backend == "postgres":
        import psycopg2

        try:
            connection = psycopg2.connect(settings.postgres_dsn())
        except psycopg2.OperationalError as exc:
            # the message names host and port, never the password
            raise ReadinessError(
                f"cannot connect to the PostgreSQL warehouse: {str(exc).strip()}"
            ) from None
        db = Database.postgres(connection)
        if read_only:
            db.execute("set session characteristics as transaction read only")
        return db
    path = settings.warehouse_path
    if not path.exists():
        raise ReadinessError(
            f"no working warehouse at {path}: run `readiness run` (or `readiness demo`) first"
        )
    try:
        return Database.duckdb(duckdb.connect(str(path), read_only=read_only))
    except duckdb.IOException as exc:
        raise ReadinessError(
            f"the working warehouse {path} is in use by another process (a pipeline run?): "
            f"{str(exc).splitlines()[0]}. Notifications are sent after each publish anyway; "
            "try again when the run has ended"
        ) from exc


def choose_day(
    connection: Database, requested: dt.date | None, run_last_day: dt.date | None
) -> tuple[dt.date | None, str | None]:
    """The day to notify about, or (None, why not)."""
    latest = latest_evaluated_day(connection)
    if latest is None:
        return None, "nothing has been evaluated yet"
    if requested is not None:
        ((found,),) = connection.tuples(
            "select count(*) from marts.fct_entity_scores where evaluated_on = ?", [requested]
        )
        if not found:
            raise ReadinessError(
                f"{requested} has not been evaluated (the latest evaluated day is {latest})"
            )
        return requested, None
    if run_last_day is not None and run_last_day != latest:
        return None, (
            f"this run evaluated up to {run_last_day}, before the latest evaluated day "
            f"{latest} (a backfill): notifications are about the latest day only"
        )
    return latest, None


def delivery_record(delivery: Delivery) -> dict:
    message = delivery.message
    return {
        "key": message.key,
        "event": message.event,
        "channel": message.channel,
        "recipient": message.recipient_ref,
        "subject": message.subject,
        "attempt": delivery.attempt,
        "status": "sent" if delivery.error is None else "failed",
        "error": delivery.error,
        "note": delivery.note,
    }


def report_metadata(report: NotifyReport) -> dict[str, dg.MetadataValue]:
    by_channel: dict[str, dict[str, int]] = {}
    for delivery in report.deliveries:
        counts = by_channel.setdefault(delivery.message.channel, {"sent": 0, "failed": 0})
        counts["sent" if delivery.error is None else "failed"] += 1
    return {
        "as_of": dg.MetadataValue.text(report.as_of.isoformat()),
        "due": dg.MetadataValue.int(report.planned),
        "queued": dg.MetadataValue.int(len(report.queued)),
        "sent": dg.MetadataValue.int(len(report.sent)),
        "failed": dg.MetadataValue.int(len(report.failed)),
        "expired": dg.MetadataValue.int(len(report.expired)),
        "interrupted": dg.MetadataValue.int(len(report.interrupted)),
        "superseded": dg.MetadataValue.int(len(report.superseded)),
        "by_channel": dg.MetadataValue.json(by_channel),
        "unrouted": dg.MetadataValue.json(report.unrouted),
        "channels_not_configured": dg.MetadataValue.json(report.disabled_channels),
        "deliveries": dg.MetadataValue.json([delivery_record(d) for d in report.deliveries]),
    }


def notification_assets(after: dg.AssetKey) -> list[dg.AssetsDefinition]:
    @dg.asset(
        name=ASSET_NAME,
        group_name="notify",
        deps=[after],
        description=(
            "Initiative notifications (created, digest, reminders, overdue escalation, level "
            "drops) for the latest published day, delivered through the outbox "
            "notifications.outbox of the working warehouse: each message once; failures "
            "retried on the next run."
        ),
        check_specs=[
            dg.AssetCheckSpec(
                CHECK_NAME,
                asset=ASSET_NAME,
                description="Every message due was delivered (WARN: failures are retried).",
            )
        ],
        kinds={"slack", "email"},
    )
    def notifications(
        context: dg.AssetExecutionContext, readiness: ReadinessResource, config: NotifyConfig
    ) -> dg.MaterializeResult:
        settings = readiness.settings()
        # The demo's company is simulated: whatever this machine's settings say, its runs
        # use no channel (`readiness notify --dry-run` shows what they would carry).
        demo = context.run.tags.get(TRIGGER_TAG) == "demo"
        channels = NotifySettings() if demo else notify_settings()
        if demo:
            context.log.info("demo run: notifications use no channel (a simulated company)")
        requested = dt.date.fromisoformat(config.as_of) if config.as_of else None
        # In the evaluation job, the day it published; in the notify job, none.
        run_last_day = run_window(context)[1] if FIRST_DAY_TAG in context.run.tags else None
        connection = open_working_warehouse(settings, read_only=False)
        try:
            as_of, why_not = choose_day(connection, requested, run_last_day)
            if as_of is None:
                context.log.info(f"no notifications: {why_not}")
                return dg.MaterializeResult(
                    metadata={"skipped": dg.MetadataValue.text(why_not or "")},
                    check_results=[
                        dg.AssetCheckResult(
                            check_name=CHECK_NAME, passed=True, description=f"skipped: {why_not}"
                        )
                    ],
                )

            def log(delivery: Delivery) -> None:
                message = delivery.message
                if delivery.error is None:
                    context.log.info(
                        f"sent {message.channel} to {message.recipient_ref}: {message.subject}"
                    )
                else:
                    context.log.warning(f"delivery failed, retried next run: {delivery.error}")

            report = notify(connection, as_of, channels, on_delivery=log)
        finally:
            connection.close()
        for channel, reason in report.disabled_channels.items():
            context.log.info(f"{channel} not sent: {reason}")
        for note in report.unrouted:
            context.log.warning(f"no route, not queued: {note}")
        for message in report.interrupted:
            context.log.warning(
                f"interrupted by a killed run while being delivered, not sent again (it may "
                f"have arrived): {message.channel} to {message.recipient_ref}: {message.subject}"
            )
        for message in report.expired:
            context.log.warning(
                f"expired undelivered after {channels.expire_after_days} days: "
                f"{message.channel} to {message.recipient_ref}: {message.subject}"
            )
        context.log.info(report.summary())
        failures = [d.error for d in report.failed]
        if failures:
            description = "; ".join(failures)
        elif demo:
            description = (
                "demo run (a simulated company): no channel used; "
                "`readiness notify --dry-run` shows the messages"
            )
        elif report.disabled_channels and not report.deliveries:
            description = "nothing sent: " + "; ".join(
                f"{channel} not configured ({reason})"
                for channel, reason in sorted(report.disabled_channels.items())
            )
        else:
            description = f"{len(report.sent)} message(s) delivered"
        return dg.MaterializeResult(
            metadata=report_metadata(report),
            check_results=[
                dg.AssetCheckResult(
                    check_name=CHECK_NAME,
                    passed=not failures,
                    severity=dg.AssetCheckSeverity.WARN,
                    description=description,
                    metadata={"failed": dg.MetadataValue.json(failures)},
                )
            ],
        )

    return [notifications]


def notify_run_config(as_of: dt.date | None) -> dict:
    return {"ops": {ASSET_NAME: {"config": {"as_of": as_of.isoformat() if as_of else None}}}}


def report_from_metadata(metadata: dict) -> list[dict]:
    value = metadata.get("deliveries")
    data = getattr(value, "data", value)
    return json.loads(data) if isinstance(data, str) else list(data or [])
