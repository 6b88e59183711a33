"""The fact registry: the contract between ingestion and rules.

Facts are documented once, in the dbt YAML of the entity-facts model
(``dbt_project/models/marts/_marts__models.yml``, model ``fct_entity_facts``): every column
whose ``meta.fact`` is true is a fact, with its ``data_type``, ``meta.source`` and
description. Rules may reference documented facts only; this module reads that YAML so
the validator and the warehouse can never disagree about what a fact is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from readiness.errors import ReadinessError

FACTS_MODEL = "fct_entity_facts"
FACTS_YAML = Path("models") / "marts" / "_marts__models.yml"
TYPES = {"boolean", "integer", "bigint", "double", "varchar", "date", "timestamp"}
NUMERIC_TYPES = {"integer", "bigint", "double"}


@dataclass(frozen=True)
class Fact:
    name: str
    data_type: str
    source: str
    kind: str  # "state" (from snapshots) or "event" (computed from timestamped events)
    description: str
    custom_key: str | None = None  # custom data facts: the key they read

    @property
    def is_numeric(self) -> bool:
        return self.data_type in NUMERIC_TYPES


def default_dbt_project_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "dbt_project"


@lru_cache(maxsize=8)
def load_facts(dbt_project_dir: Path | None = None) -> dict[str, Fact]:
    """Read the documented facts from the dbt YAML, keyed by name."""
    path = (dbt_project_dir or default_dbt_project_dir()) / FACTS_YAML
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReadinessError(f"cannot read the fact registry {path}: {exc}") from exc
    models = {m["name"]: m for m in spec.get("models", [])}
    if FACTS_MODEL not in models:
        raise ReadinessError(f"{path}: model {FACTS_MODEL} is not documented")
    facts: dict[str, Fact] = {}
    for column in models[FACTS_MODEL].get("columns", []):
        meta = column.get("meta") or (column.get("config") or {}).get("meta") or {}
        if not meta.get("fact"):
            continue
        data_type = str(column.get("data_type", "")).lower()
        if data_type not in TYPES or not meta.get("source"):
            raise ReadinessError(
                f"{path}: fact {column['name']} needs a data_type among {sorted(TYPES)} "
                "and meta.source"
            )
        facts[column["name"]] = Fact(
            name=column["name"],
            data_type=data_type,
            source=meta["source"],
            kind=meta.get("kind", "state"),
            description=" ".join(str(column.get("description", "")).split()),
            custom_key=meta.get("custom_key"),
        )
    return facts
