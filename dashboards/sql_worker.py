"""The process that runs one SQL-page query: `python -m dashboards.sql_worker`.

The dashboard never runs a TPM's query in its own process. This worker reads one JSON
request on stdin, caps its own address space first (so a query that builds gigabytes of
strings fails with DuckDB's out-of-memory error instead of taking the server down), opens
the published warehouse read-only with no file, network or extension access
(`readiness.warehouse.connect_published`), and streams the result to stdout as Arrow IPC,
cut at the row limit and at the byte limit. Its last line on stderr is a JSON status.
The dashboard kills it at the time limit, whatever it is doing (planning, executing or
sending rows).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path
from typing import Any, BinaryIO

BATCH_ROWS = 1024


def _cap_memory(megabytes: int) -> None:
    limit = megabytes << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _rows_within(batch, budget: int) -> int:
    """How many leading rows of ``batch`` fit in ``budget`` bytes (binary search)."""
    low, high = 0, batch.num_rows
    while low < high:
        middle = (low + high + 1) // 2
        if batch.slice(0, middle).nbytes <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def stream_result(relation, sink: BinaryIO, row_limit: int, byte_limit: int) -> dict[str, Any]:
    """Write at most ``row_limit`` rows and about ``byte_limit`` bytes of ``relation``."""
    import pyarrow as pa

    reader = relation.limit(row_limit + 1).to_arrow_reader(BATCH_ROWS)
    status: dict[str, Any] = {"rows": 0, "bytes": 0, "more_rows": False, "byte_cut": False}
    with pa.ipc.new_stream(sink, reader.schema) as writer:
        for batch in reader:
            room_rows = row_limit - status["rows"]
            if batch.num_rows > room_rows:
                status["more_rows"] = True
                batch = batch.slice(0, room_rows)
            size = batch.nbytes
            if status["bytes"] + size > byte_limit:
                keep = _rows_within(batch, byte_limit - status["bytes"])
                batch = batch.slice(0, keep)
                size = batch.nbytes
                status["byte_cut"] = True
            if batch.num_rows:
                writer.write_batch(batch)
                status["rows"] += batch.num_rows
                status["bytes"] += size
            if status["byte_cut"] or status["more_rows"]:
                break
    return status


def run(request: dict[str, Any], sink: BinaryIO) -> dict[str, Any]:
    import duckdb

    from readiness.errors import ReadinessError
    from readiness.settings import Settings
    from readiness.warehouse import connect_published

    try:
        connection = connect_published(
            Settings(home=Path(request["home"])), memory_limit=f"{request['duckdb_memory_mb']}MB"
        )
    except ReadinessError as exc:
        return {"error": str(exc)}
    try:
        relation = connection.sql(request["sql"])
        if relation is None:  # a statement without a result (the guard lets none through)
            return {"error": "the statement returns no rows"}
        return stream_result(relation, sink, request["row_limit"], request["byte_limit"])
    except duckdb.OutOfMemoryException as exc:
        return {"error": f"DuckDB: {exc}".splitlines()[0], "out_of_memory": True}
    except MemoryError:
        return {"error": "out of memory", "out_of_memory": True}
    except duckdb.Error as exc:
        return {"error": f"DuckDB: {exc}"}
    finally:
        connection.close()


def main() -> None:
    request = json.loads(sys.stdin.readline())
    _cap_memory(request["process_memory_mb"])
    status = run(request, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    sys.stderr.write("\n" + json.dumps(status) + "\n")


if __name__ == "__main__":
    main()
