"""Where readiness keeps its files and reads its inputs.

Everything readiness writes lives in the home folder (default ``.readiness/``): the
working warehouse, the published copy, dlt pipeline state, dbt's target and logs, and
the Dagster home. Inputs (catalog, custom data, scorecards) are read where they are.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from readiness.errors import ReadinessError
from readiness.facts import default_dbt_project_dir

DEFAULT_HOME = Path(".readiness")
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCORECARDS = REPO_ROOT / "scorecards"
# First day of the daily partitions: history can be evaluated back to here.
DEFAULT_HISTORY_START = dt.date(2025, 1, 1)
WAREHOUSE_ALIAS = "warehouse"  # the catalog name views are compiled against
BACKENDS = ("duckdb", "postgres")
# PostgreSQL connection settings, read from the environment (the password is a secret:
# it is never written anywhere by readiness).
PG_ENVIRONMENT = (
    "READINESS_PG_HOST",
    "READINESS_PG_PORT",
    "READINESS_PG_USER",
    "READINESS_PG_PASSWORD",
    "READINESS_PG_DATABASE",
)


def _absolute(path: Path | str) -> Path:
    return Path(path).expanduser().resolve()


@dataclass(frozen=True)
class Settings:
    home: Path = DEFAULT_HOME
    # The catalog: files and folders of Backstage descriptors (``--catalog``, repeatable).
    # ``catalog_dir`` names one of them (the first), for callers that give a single path.
    catalog_dir: Path | None = None
    catalog_paths: tuple[Path, ...] = ()
    custom_data_dir: Path | None = None
    scorecards_dir: Path = DEFAULT_SCORECARDS
    dbt_project_dir: Path = field(default_factory=default_dbt_project_dir)
    history_start: dt.date = DEFAULT_HISTORY_START
    freshness_days: int = 2
    # Where the warehouse lives: "duckdb" (a file in the home folder, published as a
    # read-only copy) or "postgres" (a server; connection from READINESS_PG_* variables).
    backend: str = "duckdb"

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ReadinessError(
                f"unknown warehouse backend {self.backend!r}: use one of {', '.join(BACKENDS)}"
            )
        # Absolute paths: Dagster, dlt and dbt run with other working directories.
        for name in ("home", "catalog_dir", "custom_data_dir", "scorecards_dir", "dbt_project_dir"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _absolute(value))
        paths = tuple(_absolute(p) for p in self.catalog_paths)
        if self.catalog_dir is not None and self.catalog_dir not in paths:
            paths = (self.catalog_dir, *paths)
        object.__setattr__(self, "catalog_paths", paths)
        object.__setattr__(self, "catalog_dir", paths[0] if paths else None)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Settings from ``READINESS_*`` environment variables, then explicit overrides.

        A value that cannot be right is refused with the variable's name: a home that is a
        file, a folder that does not exist (unless it names one folder per day with
        ``{date}``), a freshness that is not a whole number of days, an unknown backend, a
        PostgreSQL port that is not a port.
        """
        env = os.environ if environ is None else environ
        values: dict = {}
        if env.get("READINESS_CATALOG"):  # several paths: separated by os.pathsep (":")
            paths = [p for p in env["READINESS_CATALOG"].split(os.pathsep) if p]
            for text in paths:
                if "\x00" in text:
                    raise ReadinessError("READINESS_CATALOG holds a NUL character: name a path")
                if "{date}" not in text and not Path(text).expanduser().exists():
                    raise ReadinessError(
                        f"READINESS_CATALOG={text}: does not exist (name the catalog's "
                        "folders or entry files, separated by ':')"
                    )
            values["catalog_paths"] = tuple(Path(p).expanduser() for p in paths)
        for key, name in (
            ("READINESS_HOME", "home"),
            ("READINESS_CUSTOM_DATA", "custom_data_dir"),
            ("READINESS_SCORECARDS", "scorecards_dir"),
        ):
            if env.get(key) and overrides.get(name) is None:
                values[name] = _folder(key, env[key], must_exist=name != "home")
        if env.get("READINESS_FRESHNESS_DAYS"):
            values["freshness_days"] = _whole_number(
                "READINESS_FRESHNESS_DAYS", env["READINESS_FRESHNESS_DAYS"], 1, 365
            )
        if env.get("READINESS_WAREHOUSE_BACKEND"):
            backend = env["READINESS_WAREHOUSE_BACKEND"].strip().lower()
            if backend not in BACKENDS:
                raise ReadinessError(
                    f"READINESS_WAREHOUSE_BACKEND={env['READINESS_WAREHOUSE_BACKEND']!r} is not "
                    f"a warehouse backend readiness has: use one of {', '.join(BACKENDS)}"
                )
            values["backend"] = backend
            if backend == "postgres" and env.get("READINESS_PG_PORT"):
                _whole_number("READINESS_PG_PORT", env["READINESS_PG_PORT"], 1, 65535)
        overrides = {k: v for k, v in overrides.items() if v is not None and v != ()}
        if "catalog_dir" in overrides or "catalog_paths" in overrides:
            values.pop("catalog_paths", None)
        values.update(overrides)
        home = Path(values.get("home", DEFAULT_HOME)).expanduser()
        if home.exists() and not home.is_dir():
            raise ReadinessError(f"the home folder {home} is a file: name a folder (--home DIR)")
        return cls(**values)

    def with_(self, **changes) -> Settings:
        changes = {k: v for k, v in changes.items() if v is not None}
        # A new catalog replaces the old one, whichever way it is named.
        if "catalog_dir" in changes and "catalog_paths" not in changes:
            changes["catalog_paths"] = ()
        elif "catalog_paths" in changes and "catalog_dir" not in changes:
            changes["catalog_dir"] = None
        return replace(self, **changes)

    # --- files in the home folder -------------------------------------------------
    @property
    def warehouse_path(self) -> Path:
        return self.home / f"{WAREHOUSE_ALIAS}.duckdb"

    @property
    def published_path(self) -> Path:
        return self.home / "published.duckdb"

    @property
    def dlt_dir(self) -> Path:
        return self.home / "dlt"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def dbt_target_dir(self) -> Path:
        return self.home / "dbt" / "target"

    @property
    def dbt_log_dir(self) -> Path:
        return self.home / "dbt" / "logs"

    def postgres_dsn(self, environ: dict[str, str] | None = None) -> str:
        """The PostgreSQL connection URL from READINESS_PG_* (for dlt; never logged)."""
        env = os.environ if environ is None else environ
        user = env.get("READINESS_PG_USER", "readiness")
        password = env.get("READINESS_PG_PASSWORD", "")
        host = env.get("READINESS_PG_HOST", "127.0.0.1")
        port = env.get("READINESS_PG_PORT", "5432")
        database = env.get("READINESS_PG_DATABASE", "readiness")
        credentials = f"{user}:{password}" if password else user
        return f"postgresql://{credentials}@{host}:{port}/{database}"

    def dbt_env(self) -> dict[str, str]:
        """Environment for dbt subprocesses (profiles.yml reads the warehouse from it)."""
        return {
            "READINESS_DBT_TARGET": self.backend,
            "READINESS_WAREHOUSE": str(self.warehouse_path),
            "DBT_LOG_PATH": str(self.dbt_log_dir),
            "DBT_TARGET_PATH": str(self.dbt_target_dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_PROFILES_DIR": str(self.dbt_project_dir),
            # Days are calendar days in UTC whatever the machine's zone: DuckDB takes its
            # session time zone from TZ (a timestamp with a time zone becomes a date in
            # it), PostgreSQL sessions from PGTZ.
            "TZ": "UTC",
            "PGTZ": "UTC",
        }

    def ensure_home(self) -> None:
        for folder in (self.home, self.dlt_dir, self.dagster_home, self.dbt_log_dir):
            folder.mkdir(parents=True, exist_ok=True)


def _whole_number(variable: str, text: str, low: int, high: int) -> int:
    value = text.strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise ReadinessError(f"{variable}={text!r}: write a whole number from {low} to {high}")
    return int(value)


def _folder(variable: str, text: str, must_exist: bool) -> Path:
    path = Path(text).expanduser()
    if "\x00" in text:
        raise ReadinessError(f"{variable} holds a NUL character: name a folder")
    if must_exist and "{date}" not in text and not path.is_dir():
        what = "is not a folder" if path.exists() else "does not exist"
        raise ReadinessError(f"{variable}={text}: {what} (name the folder readiness reads)")
    return path
