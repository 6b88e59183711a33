"""Running a TPM's query on the published warehouse, inside limits of rows, bytes, memory
and time.

The text is checked first (`dashboards.sql_guard`), then run in a worker process
(`dashboards.sql_worker`) on a fresh read-only connection
(`readiness.warehouse.connect_published`: file attached read-only, no file, network or
extension access, configuration locked). The worker's address space is capped, so a query
that builds huge values fails with an out-of-memory message while the dashboard carries
on; the result comes back as Arrow, cut at the row limit and at the byte limit; and the
time limit covers everything (planning, execution and fetching the rows): at the deadline
the worker is killed. The worker gets no secret: only the home folder and a minimal
environment.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from dashboards.sql_guard import check_query
from readiness.settings import REPO_ROOT, Settings

DEFAULT_ROW_LIMIT = 10_000
DEFAULT_TIME_LIMIT_S = 20.0
DEFAULT_BYTE_LIMIT = 64 << 20  # of the result, as Arrow
PROCESS_MEMORY_MB = 2048  # the worker's address space
DUCKDB_MEMORY_MB = 1024  # DuckDB's own buffer limit inside it


class QueryFailed(RuntimeError):
    """DuckDB refused or failed the query (syntax, unknown column, time limit, ...)."""


@dataclass(frozen=True)
class QueryResult:
    frame: pd.DataFrame
    truncated: bool  # more rows than the row limit: only the first `row_limit` are kept
    seconds: float
    byte_cut: bool = False  # the rows after these would pass the byte limit: not fetched
    byte_limit: int = DEFAULT_BYTE_LIMIT

    @property
    def note(self) -> str | None:
        """What was cut, for the page (None when the result is whole)."""
        if self.byte_cut:
            return (
                f"cut at the result size limit of {self.byte_limit / (1 << 20):g} MB: the rows "
                "after these were not fetched. Select fewer or shorter columns (e.g. "
                "left(reason, 200)), or aggregate."
            )
        if self.truncated:
            return "cut at the row limit; more rows match"
        return None


def _worker_environment() -> dict[str, str]:
    """What the worker needs and nothing else: no credential reaches it."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "TMPDIR")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def _read_until(
    process: subprocess.Popen, deadline: float, max_bytes: int
) -> tuple[bytes, bytes, str | None]:
    """stdout and stderr of the worker until it exits, or why it was stopped."""
    out, err = bytearray(), bytearray()
    streams = {process.stdout.fileno(): out, process.stderr.fileno(): err}
    while streams:
        left = deadline - time.monotonic()
        if left <= 0:
            return bytes(out), bytes(err), "time"
        ready, _, _ = select.select(list(streams), [], [], left)
        for fd in ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                del streams[fd]
                continue
            streams[fd].extend(chunk)
            if len(out) > max_bytes or len(err) > 1 << 20:
                return bytes(out), bytes(err), "size"
    return bytes(out), bytes(err), None


def run_query(
    settings: Settings,
    sql: str,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    byte_limit: int = DEFAULT_BYTE_LIMIT,
    process_memory_mb: int = PROCESS_MEMORY_MB,
) -> QueryResult:
    """Check and run one query; raise RefusedQuery or QueryFailed with a clear message."""
    check_query(sql)
    request = {
        "home": str(Path(settings.home)),
        "sql": sql.strip().rstrip(";"),
        "row_limit": row_limit,
        "byte_limit": byte_limit,
        "process_memory_mb": process_memory_mb,
        "duckdb_memory_mb": min(DUCKDB_MEMORY_MB, process_memory_mb // 2),
    }
    began = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboards.sql_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_worker_environment(),
        cwd=settings.home if Path(settings.home).is_dir() else None,
        start_new_session=True,
    )
    try:
        process.stdin.write((json.dumps(request) + "\n").encode())
        process.stdin.close()
        out, err, stopped = _read_until(process, began + time_limit_s, byte_limit * 2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
        process.stderr.close()
    seconds = time.monotonic() - began
    if stopped == "time":
        raise QueryFailed(
            f"The query was stopped after the time limit of {time_limit_s:g} s (running it "
            "and fetching its rows). Narrow it (filter on `evaluated_on`, aggregate before "
            "joining) and run it again."
        )
    status = _status(err, stopped)
    if "error" in status:
        if status.get("out_of_memory"):
            raise QueryFailed(
                "The query needs more memory than the SQL page allows "
                f"({process_memory_mb / 1024:g} GB): {status['error']}. Select fewer or "
                "shorter values, or aggregate."
            )
        raise QueryFailed(status["error"])
    frame = pa.ipc.open_stream(out).read_all().to_pandas()
    return QueryResult(
        frame, status["more_rows"], seconds, status["byte_cut"], byte_limit=byte_limit
    )


def _status(err: bytes, stopped: str | None) -> dict:
    lines = [line for line in err.decode(errors="replace").splitlines() if line.strip()]
    if stopped == "size":
        return {"error": "The query's result was larger than the SQL page accepts."}
    try:
        status = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        status = None
    if not isinstance(status, dict):
        # the worker died without a word: killed for memory by the system, most likely
        return {
            "error": "the query's process ended without an answer (out of memory?)",
            "out_of_memory": True,
        }
    return status
