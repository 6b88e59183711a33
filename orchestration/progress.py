"""A console logger for in-process runs: one line per step and per asset, not Dagster's
debug stream."""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg
from dagster._core.log_manager import LOG_RECORD_METADATA_ATTR

_STEP_LABELS = {
    "STEP_START": "started",
    "STEP_SUCCESS": "done",
    "STEP_FAILURE": "FAILED",
}


_WRAPPERS = {"DagsterExecutionStepExecutionError", "DagsterUserCodeExecutionError"}


def root_cause(error) -> str:
    """The first error under Dagster's step wrapper, on one line: what the user can act on
    (never the stack, nor the exception it was raised from, whose text may hold a URL)."""
    while error.cause is not None and error.cls_name in _WRAPPERS:
        error = error.cause
    message = error.message.strip()
    # "module.path.Failure: text" or "Failure: text": the text is what the user acts on
    head, _, text = message.partition(": ")
    if head.rsplit(".", 1)[-1] == error.cls_name:
        message = text
    return message.splitlines()[0] if message else error.cls_name


class _ProgressHandler(logging.Handler):
    def __init__(self, stream) -> None:
        super().__init__()
        self.stream = stream
        self.started: dict[str, float] = {}
        self.reported: set[str] = set()  # a partitioned asset reports once, not per day

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, LOG_RECORD_METADATA_ATTR, None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is None:
            return
        kind = event.event_type_value
        now = time.monotonic()
        if step.endswith("_is_fresh"):  # freshness checks: only a failure is worth a line
            if kind == "ASSET_CHECK_EVALUATION":
                evaluation = event.event_specific_data
                if not evaluation.passed:
                    self.stream.write(f"  ! {evaluation.description}\n")
                    self.stream.flush()
            return
        if kind == "STEP_START":
            self.started[step] = now
            self.stream.write(f"  - {step} ...\n")
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            seconds = now - self.started.get(step, now)
            self.stream.write(f"  - {step} {_STEP_LABELS[kind]} in {seconds:.1f}s\n")
            if kind == "STEP_FAILURE" and event.step_failure_data and event.step_failure_data.error:
                self.stream.write(f"    {root_cause(event.step_failure_data.error)}\n")
        elif kind == "STEP_SKIPPED":
            self.stream.write(f"  - {step} skipped (an upstream step failed)\n")
        elif kind == "ASSET_MATERIALIZATION":
            key = event.asset_key.to_user_string() if event.asset_key else "?"
            if key.startswith(("marts/", "published_warehouse")) and key not in self.reported:
                self.reported.add(key)
                self.stream.write(f"      materialized {key}\n")
        self.stream.flush()


@dg.logger(
    config_schema={"quiet": dg.Field(bool, default_value=False)},
    description="One line per step and per mart, for the command line.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("readiness.progress")
    logger.handlers.clear()
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    if init_context.logger_config["quiet"]:
        # A logger without handlers falls back to Python's last-resort handler, which
        # prints every warning and error (Dagster's step failures, with their stack).
        logger.addHandler(logging.NullHandler())
    else:
        logger.addHandler(_ProgressHandler(sys.stderr))
    return logger
