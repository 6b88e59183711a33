"""The Dagster code location: `dagster dev -m orchestration.definitions` (or `make dev`).

Definitions are built lazily from ``READINESS_*`` environment variables when Dagster
loads the code location, never at import.
"""

from __future__ import annotations

import dagster as dg

from orchestration.build import build_definitions
from readiness.settings import Settings


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(Settings.from_env())
