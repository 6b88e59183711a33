"""The warehouse files: the working DuckDB the pipeline writes, and the published copy.

DuckDB allows one writer process, and a reader on the working file makes dbt and dlt
fail. So a run writes ``warehouse.duckdb`` alone, and after a build whose tests pass it
publishes an atomic copy, ``published.duckdb``, that every reader opens read-only. A
failed or killed run never replaces the published file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from readiness.errors import WarehouseError
from readiness.pause import pause_point
from readiness.settings import WAREHOUSE_ALIAS, Settings


@dataclass(frozen=True)
class PublishedVersion:
    """Identifies one published file: changes whenever a new copy is published."""

    path: Path
    mtime_ns: int
    size: int
    inode: int

    @property
    def key(self) -> str:
        return f"{self.inode}-{self.mtime_ns}-{self.size}"


def published_version(settings: Settings) -> PublishedVersion:
    path = settings.published_path
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise WarehouseError(
            f"no published warehouse at {path}: run `readiness run` (or `readiness demo`) first"
        ) from exc
    return PublishedVersion(path, stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _temporary(target: Path, pid: int) -> Path:
    return target.with_name(f".{target.name}.{pid}.tmp")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def remove_stale_temporaries(settings: Settings) -> list[Path]:
    """Delete the half-written copies of publishes whose process is gone (killed while
    copying); a copy being written by a live process is left alone."""
    target = settings.published_path
    removed = []
    for path in target.parent.glob(f".{target.name}.*.tmp"):
        pid = path.name.removeprefix(f".{target.name}.").removesuffix(".tmp")
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def publish(settings: Settings) -> Path:
    """Copy the working warehouse to ``published.duckdb`` atomically.

    The working file is checkpointed first so the copy holds every committed change
    without its write-ahead log. The copy is written beside the target, flushed to disk
    and renamed over it: readers see the old file or the new one, never a partial one.
    """
    source = settings.warehouse_path
    if not source.exists():
        raise WarehouseError(f"no working warehouse at {source} to publish")
    with duckdb.connect(str(source)) as connection:
        connection.execute("checkpoint")
    target = settings.published_path
    remove_stale_temporaries(settings)
    temporary = _temporary(target, os.getpid())
    try:
        shutil.copyfile(source, temporary)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        pause_point("publish:copied")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    manifest = {
        "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": str(source),
        "bytes": target.stat().st_size,
    }
    (settings.home / "published.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return target


def connect_published(
    settings: Settings, *, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse.

    The file is attached under the working warehouse's name so that views compiled by
    dbt (which name their catalog) resolve; local file, network and extension access
    are disabled (no extension is installed or loaded either), and the configuration is
    locked, so SQL typed by a user cannot reach outside the warehouse or turn that back
    on. ``memory_limit`` (e.g. ``"1GB"``) caps DuckDB's buffers (the SQL page's worker).
    """
    version = published_version(settings)
    connection = duckdb.connect(
        ":memory:",
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )
    if memory_limit is not None:
        connection.execute(f"set memory_limit = '{memory_limit}'")
    connection.execute(f"attach '{version.path}' as {WAREHOUSE_ALIAS} (read_only)")
    connection.execute(f"use {WAREHOUSE_ALIAS}")
    connection.execute("set enable_external_access = false")
    connection.execute("set lock_configuration = true")
    return connection
