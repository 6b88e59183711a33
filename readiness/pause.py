"""Named points where a run can be held, so that a test can kill the pipeline at a known
step and check that nothing stored is lost or half-written (docs/security.md,
"Kill-safety").

Off unless ``READINESS_PAUSE_AT`` names the point. Then ``READINESS_PAUSE_DIR`` is a folder
holding two FIFOs made by the test, ``reached`` and ``resume``: at the point, the process
writes ``<point> <pid>`` to ``reached`` (which blocks until the test reads it) and then
blocks reading ``resume`` until the test writes to it, or kills the process. Nothing
sleeps and nothing is timed: the test knows the process is at the point when it has read
the line. A point holds once per process.

The points: ``dlt-load`` (a source's dlt load has committed its first job, the others not
yet), ``dbt:after-outcomes`` (fct_rule_outcomes committed, fct_evaluations not yet; held
inside dbt's own process through ``orchestration.dbt_pause``), ``publish:copied`` (the
new copy is written beside the published file, not yet renamed over it) and
``notify:sent`` (a message was delivered, its delivery not yet recorded).
"""

from __future__ import annotations

import os
from pathlib import Path

PAUSE_AT = "READINESS_PAUSE_AT"
PAUSE_DIR = "READINESS_PAUSE_DIR"
_held: set[str] = set()


def pause_requested(name: str) -> bool:
    return os.environ.get(PAUSE_AT) == name and name not in _held


def pause_point(name: str) -> None:
    """Hold here if the environment asks for this point (see the module docstring)."""
    if not pause_requested(name):
        return
    _held.add(name)
    folder = Path(os.environ[PAUSE_DIR])
    with (folder / "reached").open("w") as reached:
        reached.write(f"{name} {os.getpid()}\n")
    with (folder / "resume").open() as resume:
        resume.read()
