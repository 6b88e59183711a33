"""`readiness report` (+ `report verify`) and `readiness gate`: click commands the main
group registers (``main.add_command(report)``, ``main.add_command(gate)``).

Both read the published warehouse only, so they run beside a pipeline run.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from readiness.errors import ReadinessError
from readiness.settings import DEFAULT_HOME, Settings

_HOME = click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder holding published.duckdb [default: $READINESS_HOME or {DEFAULT_HOME}].",
)
_DAY = click.DateTime(["%Y-%m-%d"])


def _fail(message: str, code: int = 1) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(code)


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


@click.group(
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@_HOME
@click.option("--scorecard", "scorecard", metavar="ID", help="Scorecard id (required).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="New or empty folder to write the report into (required).",
)
@click.option("--domain", metavar="D", help="Only entities of this domain (e.g. commerce).")
@click.option("--team", metavar="T", help="Only entities owned by this team or any group below it.")
@click.option("--entity", metavar="REF", help="Only this entity (e.g. component:default/ledger).")
@click.option("--date", "day", type=_DAY, help="One evaluated day [default: the latest].")
@click.option("--from", "start", type=_DAY, help="First day of a range.")
@click.option("--to", "end", type=_DAY, help="Last day of a range (inclusive).")
@click.option(
    "--format",
    "formats",
    default="csv,xlsx,json,html,pdf",
    show_default=True,
    metavar="LIST",
    help="Comma-separated formats to write.",
)
@click.pass_context
def report(ctx, home, scorecard, out_dir, domain, team, entity, day, start, end, formats):
    """Write a compliance report of a scorecard, with a manifest of SHA-256 digests.

    \b
    readiness report --scorecard ID --out DIR [--domain D] [--team T] [--entity REF]
                     [--date D | --from D --to D] [--format csv,xlsx,json,html,pdf]
    readiness report verify DIR

    Reads the published warehouse only. Exit status: 0 written, 1 bad input or nothing
    published (nothing written).
    """
    if ctx.invoked_subcommand is not None:
        return
    from pydantic import ValidationError

    from readiness.reports import ReportFilters, build_report, parse_formats, write_report
    from readiness.reports.write import check_out_dir

    missing = [
        name for name, value in (("--scorecard", scorecard), ("--out", out_dir)) if not value
    ]
    if missing:
        _fail(f"missing {' and '.join(missing)} (see `readiness report --help`)")
    if day and (start or end):
        _fail("give either --date or --from/--to, not both")
    settings = Settings.from_env(home=home)
    try:
        chosen = parse_formats(formats)
        check_out_dir(out_dir)
        filters = ReportFilters(
            scorecard=scorecard,
            domain=domain,
            team=team,
            entity=entity,
            day=_date(day),
            start=_date(start),
            end=_date(end),
        )
        click.echo(f"readiness report: {filters.scorecard} from {settings.published_path}")
        built = build_report(settings, filters)
        click.echo(
            f"  {built.scope.description}; {built.period}; "
            f"{len({e.entity_ref for e in built.entities})} entities, "
            f"{len(built.outcomes)} outcomes, {len(built.exemptions)} exemptions"
        )
        written = write_report(
            built,
            out_dir,
            chosen,
            on_file=lambda name, size: click.echo(f"  wrote {name} ({size:,} bytes)"),
        )
    except ValidationError as exc:
        _fail("; ".join(error["msg"].removeprefix("Value error, ") for error in exc.errors()))
    except ReadinessError as exc:
        _fail(str(exc))
    click.secho(f"wrote {len(written.files)} files and {written.manifest_path}", fg="green")
    click.echo(f"  manifest sha256: {written.manifest_sha256}")
    click.echo(f"  verify later with: readiness report verify {written.folder}")


@report.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--manifest-sha256",
    "expected",
    metavar="HEX",
    help="Also check the manifest itself against the digest printed when it was written.",
)
def verify(folder, expected):
    """Check a report folder against its manifest.

    Exit status 0 when every listed file is present and unchanged and nothing was added;
    1 otherwise, naming each file changed, added or removed.
    """
    from readiness.reports import verify_folder

    try:
        result = verify_folder(folder, expected)
    except ReadinessError as exc:
        _fail(str(exc))
    if not result.ok:
        for line in result.problems():
            click.secho(line, fg="red", err=True)
        click.secho(f"{folder}: the report does NOT match its manifest", fg="red", err=True)
        sys.exit(1)
    click.secho(
        f"ok  {len(result.checked)} files match {folder / 'manifest.json'} "
        f"(sha256 {result.manifest_sha256})",
        fg="green",
    )


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@_HOME
@click.option("--entity", required=True, metavar="REF", help="The entity to deploy.")
@click.option("--scorecard", required=True, metavar="ID", help="Scorecard id.")
@click.option("--level", required=True, metavar="LEVEL", help="Level it must hold (or higher).")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for pipelines.",
)
@click.option(
    "--max-age-days",
    type=click.IntRange(min=0),
    default=None,
    help="Cannot tell when the latest published evaluation is older than this.",
)
def gate(home, entity, scorecard, level, output, max_age_days):
    """Exit 0 when ENTITY holds LEVEL in the latest published evaluation.

    \b
    Exit status:
      0  ready: the entity holds the level (or a higher one)
      1  not ready: the failing or unknown rules at that level and below are listed
      2  cannot tell: nothing published; unknown scorecard, entity or level; the entity
         was not evaluated on the latest day; or the evaluation is too old
    """
    from readiness.gate import EXIT_CODES, GateStatus, check_gate, render_text

    try:
        result = check_gate(
            Settings.from_env(home=home), entity, scorecard, level, max_age_days=max_age_days
        )
    except Exception as exc:  # a gate that cannot answer must never look like "ready"
        code = EXIT_CODES[GateStatus.CANNOT_TELL]
        if output == "json":
            click.echo(
                json.dumps(
                    {
                        "status": "cannot_tell",
                        "exit_code": code,
                        "message": f"internal error: {exc}",
                    }
                )
            )
        _fail(f"cannot tell: {exc}", code)
    if output == "json":
        click.echo(result.model_dump_json(indent=2))
    else:
        text = render_text(result)
        if result.status is GateStatus.READY:
            click.secho(text, fg="green")
        else:
            click.secho(
                text,
                fg="red" if result.status is GateStatus.NOT_READY else "yellow",
                err=result.status is GateStatus.CANNOT_TELL,
            )
    sys.exit(result.exit_code)
