"""The `readiness` command line.

Every command prints progress on long work and exits non-zero with a clear message on
failure; errors the user can act on are printed without a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import warnings
from pathlib import Path

import click

from readiness.errors import ReadinessError
from readiness.settings import DEFAULT_HOME, REPO_ROOT, Settings

HOME_OPTION = click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder for the warehouse, pipeline state and Dagster home [default: {DEFAULT_HOME}].",
)


def _input_folder(flag: str, dest: str, help: str):
    """An option naming a folder readiness reads, which must exist."""
    return click.option(
        flag,
        dest,
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None,
        help=help,
    )


SERVICES_OPTION = click.option(
    "--services",
    default=150,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Size of the simulated company.",
)


def _port_option(help: str):
    return click.option(
        "--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help=help
    )


CUSTOM_DATA_HELP = "Folder of custom data files (YAML/JSON/CSV keyed by entity, schema.yml)."
CATALOG_PROBLEMS_SHOWN = 50  # at the end of a run; `readiness validate --catalog` shows all


def _settings(home: Path | None, **overrides) -> Settings:
    return Settings.from_env(home=home, **overrides)


def _fail(message: str, code: int = 1) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(code)


def _rule_locations(settings: Settings) -> dict[tuple[str, str], str]:
    """``file:line`` of every rule, by (scorecard, rule), for messages about rules."""
    from readiness.standards import load_standards

    try:
        standards = load_standards(settings.scorecards_dir)
    except ReadinessError:
        return {}
    return {
        (scorecard.id, compiled.rule.id): f"{scorecard.file}:{compiled.line or 1}"
        for scorecard in standards.scorecards
        for compiled in scorecard.rules
    }


def _echo_problems(settings: Settings, summary) -> None:
    """What went wrong in a run that still published: failed sources, rules the database
    could not evaluate. Each is named, with where to look."""
    for failure in summary.source_failures:
        # "load_<source>: source <source> failed to load: why": the step adds nothing
        reason = failure.split(": ", 1)[-1]
        click.secho(f"warning: {reason} (its facts are unknown)", fg="yellow", err=True)
    locations = _rule_locations(settings) if summary.rule_errors else {}
    for error in summary.rule_errors:
        where = locations.get((error.scorecard_id, error.rule_id), error.scorecard_id)
        click.secho(
            f"warning: {where}: rule '{error.rule_id}': the database cannot evaluate its "
            f"{error.part} on this data: {error.error} (its outcomes are unknown; the other "
            "rules were evaluated)",
            fg="yellow",
            err=True,
        )


def _echo_run_summary(settings: Settings, summary, day: dt.date) -> None:
    from orchestration.runner import summarize

    if summary.published is not None:
        _echo_problems(settings, summary)
    if not summary.success:
        click.secho(f"run failed after {summary.seconds:.1f}s", fg="red", err=True)
        for failure in summary.failures:
            click.echo(f"  {failure}", err=True)
        if summary.log_path:
            click.echo(f"  dbt log: {summary.log_path}", err=True)
        if summary.published:
            click.echo(
                f"  the evaluation was published ({summary.published}); a step after it failed",
                err=True,
            )
        else:
            click.echo(
                "  the published warehouse was left as it was: dashboards still show the last "
                "good run",
                err=True,
            )
        sys.exit(summary.exit_code)
    window = (
        str(summary.start) if summary.start == summary.end else f"{summary.start} to {summary.end}"
    )
    click.secho(f"evaluated {window} in {summary.seconds:.1f}s", fg="green")
    for label, text in summarize(settings, day):
        click.echo(f"  {label}: {text}")
    click.echo(f"  published: {summary.published}")
    for warning in summary.warnings:
        click.secho(f"  warning: {warning}", fg="yellow", err=True)
    from orchestration.catalog_problems import published_problems

    problems, entity_count = published_problems(settings, day)
    _echo_catalog_problems(problems, entity_count, limit=CATALOG_PROBLEMS_SHOWN)
    if summary.exit_code:
        click.secho(
            "  published with problems (above): exit status "
            f"{summary.exit_code}, see docs/operations.md",
            fg="yellow",
            err=True,
        )
        sys.exit(summary.exit_code)


class _Commands(click.Group):
    """Any error a user can act on ends the command with its message, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReadinessError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            raise click.exceptions.Exit(1) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """readiness: production readiness for every service, built as a warehouse."""
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    # Dagster flags some parameters we use as beta; that is for developers, not users.
    warnings.filterwarnings("ignore", module=r"dagster(\.|$)")


@main.command()
@HOME_OPTION
@click.option(
    "--catalog",
    "catalog_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Backstage descriptor YAML: a folder (read whole) or a file such as the catalog's "
    "Location entry file; Locations are followed. Repeat for several.",
)
@_input_folder("--custom-data", "custom_data_dir", CUSTOM_DATA_HELP)
@click.option(
    "--scorecards",
    "scorecards_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of scorecards, with exemptions/ inside [default: the shipped scorecards].",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Day to evaluate [default: today, UTC].",
)
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First day of a range (a backfill in one run).",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day of a range (inclusive).",
)
@click.option(
    "--reevaluate",
    is_flag=True,
    help="Re-evaluate days already evaluated (recorded as a backfill).",
)
@click.option("--quiet", is_flag=True, help="No progress lines.")
def run(home, catalog_paths, custom_data_dir, scorecards_dir, day, start, end, reevaluate, quiet):
    """One run end to end: ingest, evaluate with dbt, publish."""
    from orchestration.runner import run_days

    settings = _settings(
        home,
        catalog_paths=tuple(catalog_paths),
        custom_data_dir=custom_data_dir,
        scorecards_dir=scorecards_dir,
    )
    if day and (start or end):
        _fail("give either --date or --from/--to, not both", code=2)
    today = dt.datetime.now(dt.UTC).date()
    first = (start or day or dt.datetime.combine(today, dt.time())).date()
    last = (end or start or day or dt.datetime.combine(today, dt.time())).date()
    # A wrong day or range is a wrong command line (exit 2), refused before anything runs.
    if last > today:
        _fail(
            f"{last} is after today ({today}, UTC): a day is evaluated once it has happened "
            "(the evidence would be today's state under a later date)",
            code=2,
        )
    if last < first:
        _fail(f"the range ends ({last}) before it starts ({first})", code=2)
    if not settings.catalog_paths and not _catalog_api_configured():
        click.secho(
            "error: no catalog configured: give --catalog DIR (or set READINESS_CATALOG), or "
            "configure sources.backstage.base_url. Every evaluation is of the catalog's entities; "
            "without one there is nothing to evaluate, and nothing was run or published.",
            fg="red",
            err=True,
        )
        sys.exit(2)
    click.echo(f"readiness run: {first}{'' if first == last else f' to {last}'} in {settings.home}")
    from orchestration.inputs import check_dlt_settings, report_custom_data_before_run

    check_dlt_settings()
    report_custom_data_before_run(settings.custom_data_dir, settings.catalog_paths, last)
    if first < settings.history_start:
        _fail(f"{first} is before the first evaluable day {settings.history_start}", code=2)
    try:
        summary = run_days(
            settings,
            first,
            last,
            reevaluate=reevaluate,
            trigger="backfill" if reevaluate else "cli",
            quiet=quiet,
        )
    except ReadinessError as exc:
        _fail(str(exc))
    _echo_run_summary(settings, summary, last)


@main.command()
@click.option(
    "--scorecards",
    "scorecards_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of scorecards [default: the shipped scorecards].",
)
@click.option(
    "--catalog",
    "catalog_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Catalog files or folders (Locations followed): report every problem and dangling "
    "reference, and check that exemptions and initiatives name real entities. Repeatable.",
)
@_input_folder("--custom-data", "custom_data_dir", CUSTOM_DATA_HELP)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit non-zero when the catalog has errors or warnings (notes do not count).",
)
def validate(scorecards_dir, catalog_paths, custom_data_dir, strict):
    """Validate scorecards, exemptions, initiatives and custom data (exit non-zero on any
    problem), and report the catalog's problems (exit non-zero for them only with --strict)."""
    from ingestion.catalog.parse import read_catalog
    from orchestration.inputs import custom_data_problems, echo_problems
    from readiness.standards import load_standards

    settings = _settings(None, scorecards_dir=scorecards_dir)
    known = None
    failed = False
    catalog_failed = False
    if catalog_paths:
        rows = read_catalog(catalog_paths)
        known = {row["entity_ref"] for row in rows.entities}
        catalog_failed = _echo_catalog_problems(rows.problems, len(rows.entities), limit=None)
    if custom_data_dir is not None:
        problems, warnings = custom_data_problems(custom_data_dir, known)
        echo_problems(f"invalid custom data in {custom_data_dir}", problems, warnings, "red")
        failed = failed or bool(problems)
        if not problems:
            click.echo(f"ok  custom data in {custom_data_dir}")
    try:
        standards = load_standards(settings.scorecards_dir, known_entities=known)
    except ReadinessError as exc:
        click.secho(str(exc), fg="red", err=True)
        sys.exit(1)
    for scorecard in standards.scorecards:
        levels = " < ".join(level.name for level in scorecard.scorecard.levels)
        click.echo(
            f"ok  {scorecard.id}: {len(scorecard.rules)} rules, levels {levels}, "
            f"definition {scorecard.definition_hash[:12]}"
        )
    click.echo(f"ok  {len(standards.exemptions)} exemption(s)")
    click.echo(f"ok  {len(standards.initiatives)} initiative(s)")
    for initiative in standards.initiatives:
        target = (
            f"level {initiative.target_level}"
            if initiative.target_level
            else f"rules {', '.join(initiative.target_rules)}"
        )
        click.echo(
            f"ok  initiative {initiative.id}: {target} on {initiative.initiative.scorecard}, "
            f"{initiative.initiative.start_date} to {initiative.initiative.due_date}"
        )
    if failed or (strict and catalog_failed):
        if strict and catalog_failed:
            click.secho("the catalog has problems (--strict)", fg="red", err=True)
        sys.exit(1)


def _catalog_api_configured() -> bool:
    from orchestration.ingestion.sources import source_spec

    return source_spec("backstage").configured(_settings(None))


def _echo_catalog_problems(problems, entity_count: int, limit: int | None) -> bool:
    """Print the catalog's problems, errors first; True when any is an error or warning."""
    from orchestration.catalog_problems import format_problems, summary_line

    errors = [p for p in problems if p["severity"] in ("error", "warning")]
    line = summary_line(problems, entity_count)
    if not problems:
        click.echo(f"ok  {line}")
        return False
    click.secho(line, fg="yellow" if errors else None)
    for text in format_problems(problems, limit):
        click.echo(f"  {text}")
    return bool(errors)


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_PIPELINE_SECRETS = ("SOURCES__", "NOTIFICATIONS__", "DESTINATION__")


def _check_login(settings: Settings, host: str, no_login: bool) -> None:
    """Say loudly whether the dashboard is behind a login; refuse to serve it to the
    network without one unless told to (docs/security.md)."""
    from dashboards.access import load_login_config

    config = load_login_config(settings.home)
    if config.enabled:
        policy = config.policy
        click.echo(
            f"login: OpenID Connect ({config.source}); allowed domains "
            f"{sorted(policy.allowed_domains) or '-'}, groups {sorted(policy.allowed_groups) or '-'}; "
            f"SQL page for {sorted(policy.sql_emails | policy.sql_groups) or 'nobody'}"
        )
        return
    if host not in _LOOPBACK and not no_login:
        raise ReadinessError(
            f"refusing to serve on {host} without a login: the dashboard shows every "
            "service's weaknesses to whoever reaches it. Configure the login "
            "(docs/security.md, 'Putting the dashboard behind a login') or pass --no-login"
        )
    click.secho(
        "WARNING: login is off: anyone who can reach this port sees every page, the SQL "
        "page included. Fine for the local demo; see docs/security.md before sharing it.",
        fg="yellow",
        bold=True,
        err=True,
    )


def _serve(settings: Settings, port: int, host: str, no_login: bool = False) -> None:
    from orchestration.dbt_docs import ensure_dbt_docs
    from readiness.warehouse import published_version

    published_version(settings)  # fail early with a clear message when nothing is published
    _check_login(settings, host, no_login)
    try:
        ensure_dbt_docs(settings, echo=click.echo)
    except ReadinessError as exc:
        # The docs page says they are missing; the dashboard itself does not need them.
        click.secho(f"warning: dbt docs not generated: {exc}", fg="yellow", err=True)
    app = REPO_ROOT / "dashboards" / "app.py"
    click.echo(f"serving the dashboard on http://{host}:{port} (Ctrl-C to stop)")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        # secrets (the login) from the home folder only, never a stray ~/.streamlit file
        "--secrets.files",
        str(settings.home / "secrets.toml"),
    ]
    # The dashboard reads the published file only: it gets no source or channel secret.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_PIPELINE_SECRETS) and key != "READINESS_PG_PASSWORD"
    }
    env["READINESS_HOME"] = str(settings.home)
    with contextlib.suppress(KeyboardInterrupt):
        subprocess.run(command, env=env, check=False)


@main.command()
@HOME_OPTION
@_port_option("Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--no-login",
    is_flag=True,
    help="Serve on a non-loopback address without a login (everyone who reaches it sees all).",
)
def serve(home, port, host, no_login):
    """Serve the dashboard on the published warehouse (read-only).

    Login (OpenID Connect) is off unless configured in <home>/secrets.toml or
    READINESS_AUTH_* variables: see docs/security.md.
    """
    try:
        _serve(_settings(home), port, host, no_login)
    except ReadinessError as exc:
        _fail(str(exc))


@main.command()
@HOME_OPTION
@click.option("--force", is_flag=True, help="Regenerate even when the warehouse is unchanged.")
def docs(home, force):
    """Generate the dbt docs (every mart and column) for the published warehouse."""
    from orchestration.dbt_docs import ensure_dbt_docs, generate_dbt_docs

    settings = _settings(home)
    try:
        folder = (generate_dbt_docs if force else ensure_dbt_docs)(settings, echo=click.echo)
    except ReadinessError as exc:
        _fail(str(exc))
    click.echo(f"ok  dbt docs in {folder} (served on the dashboard's Data docs page)")


@main.command()
@HOME_OPTION
@SERVICES_OPTION
@click.option("--seed", default=7, show_default=True, help="Seed of the simulated company.")
@click.option(
    "--days",
    default=90,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="Days of history to build (one backfill run).",
)
@click.option(
    "--no-serve", is_flag=True, help="Stop after the run instead of serving the dashboard."
)
@_port_option("Port for the dashboard.")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day of the history [default: today, UTC].",
)
@click.option(
    "--catalog-api",
    is_flag=True,
    help="Read the catalog from the simulator's Backstage catalog API instead of files.",
)
def demo(home, services, seed, days, no_serve, port, today, catalog_api):
    """Generate a simulated company, run everything on it, and serve the dashboard."""
    from orchestration.demo import run_demo

    settings = _settings(home)
    try:
        result = run_demo(
            settings,
            services=services,
            seed=seed,
            days=days,
            echo=click.echo,
            today=today.date() if today else None,
            catalog_api=catalog_api,
        )
    except ReadinessError as exc:
        _fail(str(exc))
    click.echo(
        "requests to the simulated APIs: "
        + ", ".join(f"{source} {count}" for source, count in sorted(result.requests.items()))
    )
    _echo_run_summary(settings, result.summary, result.day)
    if not no_serve:
        _serve(settings, port, "127.0.0.1")


@main.command()
@SERVICES_OPTION
@click.option("--seed", default=7, show_default=True, help="Seed of the simulated company.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The simulated company's today [default: today, UTC].",
)
@click.option(
    "--port",
    "ports",
    multiple=True,
    metavar="SOURCE=PORT",
    help="Fixed port for a source, e.g. --port github=9001 (default: free ports).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the company's catalog, custom data and coverage files here.",
)
def simulator(services, seed, host, today, ports, out_dir):
    """Serve a simulated company's GitHub, Okta, PagerDuty, Datadog and Prometheus APIs."""
    from simulator.serve import serve_forever

    fixed: dict[str, int] = {}
    for item in ports:
        source, _, port = item.partition("=")
        if not port.isdigit():
            _fail(f"--port {item!r}: write SOURCE=PORT, e.g. github=9001")
        fixed[source] = int(port)
    serve_forever(
        seed=seed,
        services=services,
        host=host,
        today=today.date() if today else None,
        ports=fixed or None,
        out_dir=out_dir,
    )


@main.command()
@HOME_OPTION
def dev(home):
    """Start the Dagster UI on this home's definitions and run history."""
    from orchestration.runner import dagster_instance

    settings = _settings(home)
    dagster_instance(settings)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(settings.dagster_home),
        "READINESS_HOME": str(settings.home),
        **settings.dbt_env(),
    }
    command = [
        str(Path(sys.executable).with_name("dagster")),
        "dev",
        "-m",
        "orchestration.definitions",
    ]
    with contextlib.suppress(KeyboardInterrupt):
        subprocess.run(command, env=env, check=False, cwd=REPO_ROOT)


def _register_commands() -> None:
    """Commands that live beside the code they drive."""
    from orchestration.notifications.command import notify_command
    from orchestration.reports.command import gate, report

    main.add_command(report)
    main.add_command(gate)
    main.add_command(notify_command)


_register_commands()


if __name__ == "__main__":
    main()
