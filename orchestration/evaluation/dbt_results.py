"""What a dbt invocation did, in words a user can act on, and its events sent once.

A failed build is reported as the nodes that failed (model or test, its file, the first
line of dbt's message), not as Dagster's wrapper around the dbt process and its stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import dagster as dg

_FAILED = {"error", "fail", "runtime error"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
MAX_NODES = 5


@dataclass(frozen=True)
class FailedNode:
    unique_id: str
    resource_type: str  # model, test, ...
    name: str
    path: str | None  # the file in the dbt project
    message: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.resource_type} {self.name}{where}: {self.message}"


def _first_lines(message: str | None) -> str:
    lines = [line.strip() for line in _ANSI.sub("", message or "").splitlines() if line.strip()]
    # dbt's runtime errors start with "Runtime Error in model x (path)": the cause follows.
    useful = [line for line in lines if not line.startswith("Runtime Error in ")]
    return " ".join((useful or lines or ["failed"])[:2])[:400]


def failed_nodes(invocation: Any) -> list[FailedNode]:
    """The nodes of a finished invocation that errored or whose test failed."""
    if invocation.is_successful():
        return []
    try:
        results = invocation.get_artifact("run_results.json").get("results", [])
    except FileNotFoundError:  # dbt stopped before running anything (a compilation error)
        error = invocation.get_error()
        return [FailedNode("dbt", "dbt", "invocation", None, _first_lines(str(error)))]
    nodes = {**invocation.manifest.get("nodes", {})}
    failed = []
    for result in results:
        if result.get("status") not in _FAILED:
            continue
        unique_id = result["unique_id"]
        node = nodes.get(unique_id, {})
        failed.append(
            FailedNode(
                unique_id,
                node.get("resource_type", unique_id.split(".")[0]),
                node.get("name", unique_id.rsplit(".", 1)[-1]),
                node.get("original_file_path"),
                _first_lines(result.get("message")),
            )
        )
    if not failed:
        error = invocation.get_error()
        failed.append(FailedNode("dbt", "dbt", "invocation", None, _first_lines(str(error))))
    return failed


def build_failure(failed: list[FailedNode]) -> dg.Failure:
    shown = "; ".join(str(node) for node in failed[:MAX_NODES])
    more = f" (and {len(failed) - MAX_NODES} more)" if len(failed) > MAX_NODES else ""
    return dg.Failure(
        description=f"dbt build failed: {shown}{more}",
        metadata={"failed": dg.MetadataValue.json([str(node) for node in failed])},
        allow_retries=False,
    )


def _event_key(event: Any) -> tuple | None:
    if isinstance(event, dg.Output):
        return ("output", event.output_name)
    if isinstance(event, dg.AssetMaterialization):
        return ("materialization", event.asset_key)
    if isinstance(event, dg.AssetCheckResult | dg.AssetCheckEvaluation):
        return ("check", event.asset_key, event.check_name)
    return None


def emit_once(events: Iterable[Any], emitted: set) -> Iterator[Any]:
    """The events not yet emitted by an earlier invocation of the same step (a rebuild
    after a rule error reports again what the first build already reported)."""
    for event in events:
        key = _event_key(event)
        if key is not None:
            if key in emitted:
                continue
            emitted.add(key)
        yield event
