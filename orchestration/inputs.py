"""What the command line says about the files a user gives it, before any work starts.

``readiness validate`` and ``readiness run`` read the custom data folder (and the catalog
for its entities) with the same code the dlt source loads them with, and print every
problem with file, line, item, entity and a hint: a problem is never only stored.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from pathlib import Path

import click

from readiness.errors import Problems, ReadinessError

DLT_FILES = ("config.toml", "secrets.toml")


def dated_folder(folder: Path | None, day: dt.date) -> Path | None:
    """A folder setting as of ``day`` (``{date}`` in it names one folder per day)."""
    if folder is None:
        return None
    return Path(str(folder).replace("{date}", day.isoformat()))


def catalog_entities(catalog_paths: Sequence[Path]) -> set[str] | None:
    """The entity refs of a catalog (files and folders, Locations followed), or None
    without one (a catalog read only from a Backstage API is not known before the run)."""
    existing = [path for path in catalog_paths if path.exists()]
    if not existing:
        return None
    from ingestion.catalog.parse import read_catalog

    return {row["entity_ref"] for row in read_catalog(existing).entities}


def custom_data_problems(
    folder: Path, known_entities: set[str] | None
) -> tuple[Problems, list[str]]:
    """Every problem of a custom data folder, and its warnings (e.g. no schema file)."""
    from ingestion.custom_data.parse import read_custom_data

    rows = read_custom_data(folder, known_entities=known_entities)
    return rows.problems(folder), rows.warnings


def echo_problems(title: str, problems: Problems, warnings: list[str], color: str) -> None:
    for warning in warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    if problems:
        click.secho(f"{title}: {len(problems)} problem(s)", fg=color, err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)


def report_custom_data_before_run(
    custom_data_dir: Path | None, catalog_paths: Sequence[Path], day: dt.date
) -> None:
    """Print the custom data problems of the day a run loads (its items are not loaded)."""
    folder = dated_folder(custom_data_dir, day)
    if folder is None or not folder.is_dir():
        return
    known = catalog_entities([dated_folder(path, day) for path in catalog_paths])
    problems, warnings = custom_data_problems(folder, known)
    echo_problems(
        f"custom data in {folder} (what is named is not used; the rest loads)",
        problems,
        warnings,
        "yellow",
    )


def check_dlt_settings() -> list[Path]:
    """Refuse a malformed ``.dlt/config.toml`` or ``secrets.toml`` before anything runs.

    dlt reads them lazily and a source would fail with a parser's message, or quietly be
    taken as not configured; here the file and line are named (never a value: the file
    may hold secrets). Returns the files checked.
    """
    import dlt

    context = dlt.current.run_context()
    checked: list[Path] = []
    for folder in dict.fromkeys((Path(context.settings_dir), Path(context.global_dir))):
        for name in DLT_FILES:
            path = folder / name
            if not path.is_file():
                continue
            try:
                tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ReadinessError(
                    f'{path}: invalid TOML: {exc} (fix the file; `key = "value"` under '
                    "[sources.<name>], see README.md)"
                ) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise ReadinessError(
                    f"{path}: cannot read the file ({exc}); save it as UTF-8"
                ) from None
            checked.append(path)
    return checked
