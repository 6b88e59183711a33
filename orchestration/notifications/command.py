"""`readiness notify`: send (or, with --dry-run, show) the initiative notifications due.

Sending runs the Dagster job ``notify`` in-process on the home's instance, so it is
recorded like every other run and holds the working warehouse the way the pipeline does.
A dry run opens the working warehouse read-only, writes nothing and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from orchestration.notifications.assets import (
    ASSET_NAME,
    NOTIFY_JOB,
    choose_day,
    notify_run_config,
    open_working_warehouse,
    report_from_metadata,
)
from orchestration.notifications.config import notify_settings
from readiness.errors import ReadinessError
from readiness.notify.deliver import NotifyReport, notify
from readiness.settings import DEFAULT_HOME, Settings


def preview(settings: Settings, as_of: dt.date | None) -> NotifyReport:
    """What a run would send now, read-only."""
    channels = notify_settings()
    connection = open_working_warehouse(settings, read_only=True)
    try:
        day, why_not = choose_day(connection, as_of, None)
        if day is None:
            raise ReadinessError(f"nothing to notify about: {why_not}")
        return notify(connection, day, channels, dry_run=True)
    finally:
        connection.close()


def send(settings: Settings, as_of: dt.date | None) -> tuple[bool, list[dict], str, list[str]]:
    """Run the ``notify`` job in-process; (success, deliveries, summary or error, notes:
    channels not configured and recipients without a route)."""
    from orchestration.build import build_definitions
    from orchestration.runner import dagster_instance, root_cause

    notify_settings()  # a bad setting fails here, with its key, before Dagster starts
    settings.ensure_home()
    job = build_definitions(settings).resolve_job_def(NOTIFY_JOB)
    result = job.execute_in_process(
        # the progress logger, quiet: the command prints its own lines
        run_config={
            **notify_run_config(as_of),
            "loggers": {"progress": {"config": {"quiet": True}}},
        },
        instance=dagster_instance(settings),
        raise_on_error=False,
    )
    if not result.success:
        errors = [
            root_cause(event.step_failure_data.error)
            for event in result.all_events
            if event.is_step_failure and event.step_failure_data and event.step_failure_data.error
        ]
        return False, [], "; ".join(errors) or "the notify run failed", []
    (materialization,) = [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key.to_user_string() == ASSET_NAME
    ]
    metadata = materialization.metadata
    if "skipped" in metadata:
        return True, [], f"nothing sent: {metadata['skipped'].value}", []
    notes = [
        f"{channel} not configured, nothing sent on it: {reason}"
        for channel, reason in sorted(_json(metadata, "channels_not_configured").items())
    ] + [f"no route, not queued: {note}" for note in _json(metadata, "unrouted")]
    summary = (
        f"{metadata['as_of'].value}: {metadata['due'].value} due, {metadata['queued'].value} new, "
        f"sent {metadata['sent'].value}, failed {metadata['failed'].value}, "
        f"expired {metadata['expired'].value}"
    )
    interrupted = metadata.get("interrupted")
    if interrupted is not None and interrupted.value:
        summary += (
            f", interrupted {interrupted.value} (a killed run was delivering them: "
            "not sent again, they may have arrived)"
        )
    return True, report_from_metadata(metadata), summary, notes


def _json(metadata: dict, key: str):
    value = metadata.get(key)
    return getattr(value, "data", value) or {}


def _print_message(message, note: str = "") -> None:
    click.secho(
        f"\n=== {message.channel} to {message.recipient_ref} [{message.address}]{note}",
        bold=True,
    )
    click.echo(f"key: {message.key}")
    click.echo(f"subject: {message.subject}")
    click.echo("\n".join(f"  {line}" for line in message.body.splitlines()))


def _print_dry_run(report: NotifyReport) -> None:
    for channel, reason in sorted(report.disabled_channels.items()):
        click.secho(
            f"{channel} not configured, so a run sends nothing on it: {reason}", fg="yellow"
        )
    for note in report.unrouted:
        click.secho(f"no route (would not be queued): {note}", fg="yellow")
    for message in report.expired:
        click.echo(f"would expire: {message.key}")
    for message in report.superseded:
        click.echo(f"superseded (recorded, never sent): {message.key}")
    for delivery in report.deliveries:
        retry = f" (retry, attempt {delivery.attempt})" if delivery.attempt > 1 else ""
        _print_message(delivery.message, retry)
    for message in report.unconfigured:
        _print_message(message, f" ({message.channel} not configured: not sent, not queued)")
    click.echo("")
    click.echo(f"dry run, nothing written or sent: {report.summary()}")


@click.command("notify")
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder for the warehouse, pipeline state and Dagster home [default: {DEFAULT_HOME}].",
)
@click.option("--dry-run", is_flag=True, help="Print what would be sent; write and send nothing.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The evaluated day to notify about [default: the latest evaluated day].",
)
def notify_command(home: Path | None, dry_run: bool, day: dt.datetime | None) -> None:
    """Send the initiative notifications due (created, digests, reminders, escalations,
    level drops); each message once, failed ones retried."""
    settings = Settings.from_env(home=home)
    as_of = day.date() if day else None
    try:
        if dry_run:
            _print_dry_run(preview(settings, as_of))
            return
        ok, deliveries, summary, notes = send(settings, as_of)
    except ReadinessError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
    if not ok:
        click.secho(f"error: {summary}", fg="red", err=True)
        sys.exit(1)
    for note in notes:
        click.secho(note, fg="yellow", err=True)
    for delivery in deliveries:
        if delivery["status"] == "sent":
            click.echo(
                f"sent    {delivery['channel']:5} {delivery['recipient']}: {delivery['subject']}"
            )
        else:
            click.secho(f"FAILED  {delivery['error']}", fg="red", err=True)
    failed = [d for d in deliveries if d["status"] != "sent"]
    click.secho(summary, fg="red" if failed else "green")
    if failed:
        click.echo("failed messages stay in the outbox and are retried on the next run", err=True)
        sys.exit(1)
