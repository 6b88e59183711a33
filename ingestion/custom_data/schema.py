"""The keys a custom data folder may hold: ``schema.yml`` at the top of the folder.

```yaml
keys:
  - key: incident-process-documented
    type: boolean
    description: The team has written down how it runs an incident.
  - key: data-classification
    type: string
    allowed: [public, internal, confidential, restricted]
    description: The most sensitive data the service stores.
```

Types: ``boolean``, ``integer``, ``number``, ``string``, ``date`` (``YYYY-MM-DD``) and
``list`` (of strings, numbers or booleans). ``allowed`` lists the values a ``string`` or
``integer`` key (or the items of a ``list``) may take. Every custom data key that a fact
reads (``meta.custom_key`` in the facts registry) must be declared with a type the fact
can take.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from readiness.dates import parse_day
from readiness.errors import Problems
from readiness.facts import Fact
from readiness.yamlfile import iter_documents

SCHEMA_FILES = ("schema.yml", "schema.yaml")
HINT = "see docs/custom-data.md"
KeyType = Literal["boolean", "integer", "number", "string", "date", "list"]
# The custom data type a fact of each warehouse type reads.
FACT_TYPES: dict[str, KeyType] = {
    "boolean": "boolean",
    "integer": "integer",
    "bigint": "integer",
    "double": "number",
    "varchar": "string",
    "date": "date",
}


class KeySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=1, max_length=200)
    type: KeyType
    allowed: list[str | int] | None = Field(default=None, min_length=1)
    description: str = Field(min_length=1)


@dataclass(frozen=True)
class Schema:
    file: Path | None  # None: no schema file, keys are typed by the facts that read them
    keys: dict[str, KeySpec]
    lines: dict[str, int | None]

    def declared(self, key: str) -> KeySpec | None:
        return self.keys.get(key)


def schema_file(folder: Path) -> Path | None:
    for name in SCHEMA_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def _fact_keys(facts: dict[str, Fact]) -> dict[str, Fact]:
    return {fact.custom_key: fact for fact in facts.values() if fact.custom_key}


def load_schema(folder: Path, facts: dict[str, Fact], problems: Problems) -> Schema:
    """The folder's schema (or, without a file, the keys the facts read), problems added."""
    path = schema_file(folder)
    fact_keys = _fact_keys(facts)
    if path is None:
        keys = {
            key: KeySpec(key=key, type=FACT_TYPES[fact.data_type], description=fact.description)
            for key, fact in fact_keys.items()
        }
        return Schema(None, keys, dict.fromkeys(keys))
    documents = list(iter_documents(path, problems))
    if len(documents) != 1:
        if documents:
            problems.add(path, None, None, "expected one YAML document", HINT)
        return Schema(path, {}, {})
    doc = documents[0]
    data = doc.data if isinstance(doc.data, dict) else None
    if data is None or set(data) != {"keys"} or not isinstance(data["keys"], list):
        problems.add(
            path, doc.line(), "schema", "expected one key, 'keys', holding a list of keys", HINT
        )
        return Schema(path, {}, {})
    specs: list[tuple[int, KeySpec]] = []
    for index, entry in enumerate(data["keys"]):
        try:
            specs.append((index, KeySpec.model_validate(entry)))
        except ValidationError as exc:
            for error in exc.errors():
                loc = ("keys", index, *error["loc"])
                field = ".".join(str(part) for part in error["loc"])
                message = {
                    "missing": f"missing '{field}'",
                    "extra_forbidden": f"unknown key '{field}'",
                }.get(error["type"], f"{field}: {error['msg']}" if field else str(error["msg"]))
                name = entry.get("key") if isinstance(entry, dict) else None
                where = f"key '{name}'" if isinstance(name, str) else f"keys #{index + 1}"
                problems.add(path, doc.line(*loc), where, message, HINT)
    keys: dict[str, KeySpec] = {}
    lines: dict[str, int | None] = {}
    refused: set[str] = set()
    for index, spec in specs:
        line = doc.line("keys", index)
        where = f"key '{spec.key}'"
        if spec.key in keys or spec.key in refused:
            problems.add(
                path,
                line,
                where,
                f"declared twice (first on line {lines.get(spec.key)})",
                "declare each key once",
            )
            continue
        if spec.allowed is not None and spec.type not in ("string", "integer", "list"):
            problems.add(
                path,
                doc.line("keys", index, "allowed"),
                where,
                f"'allowed' does not apply to a {spec.type} key",
                "list allowed values only for string, integer and list keys",
            )
            refused.add(spec.key)
            continue
        fact = fact_keys.get(spec.key)
        if fact is not None and FACT_TYPES[fact.data_type] != spec.type:
            problems.add(
                path,
                doc.line("keys", index, "type"),
                where,
                f"declared {spec.type}, but the fact {fact.name} reads it as "
                f"{FACT_TYPES[fact.data_type]}",
                f"declare it as type {FACT_TYPES[fact.data_type]} (see docs/facts.md)",
            )
            refused.add(spec.key)
            continue
        keys[spec.key] = spec
        lines[spec.key] = line
    for key, fact in fact_keys.items():
        if key not in keys and key not in refused:
            problems.add(
                path,
                None,
                f"key '{key}'",
                f"not declared, but the fact {fact.name} reads it",
                f"declare it: - {{key: {key}, type: {FACT_TYPES[fact.data_type]}, "
                "description: ...}",
            )
    return Schema(path, keys, lines)


def check_value(spec: KeySpec, value: Any) -> tuple[Any, str] | str:
    """The value as stored for a declared key: (value, type), or why it is refused."""
    if spec.type == "boolean":
        if isinstance(value, bool):
            return value, "boolean"
        return f"is {_shown(value)}, not true or false"
    if spec.type == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return _allowed(spec, value) or (value, "number")
        return f"is {_shown(value)}, not a whole number"
    if spec.type == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value != value or value in (float("inf"), float("-inf")):
                return f"is {value}, not a finite number"
            return value, "number"
        return f"is {_shown(value)}, not a number"
    if spec.type == "string":
        if isinstance(value, str):
            return _allowed(spec, value) or (value, "string")
        return f"is {_shown(value)}, not a string (quote it)"
    if spec.type == "date":
        try:
            return parse_day(value).isoformat(), "date"
        except ValueError as exc:
            return str(exc)
    if not isinstance(value, list) or any(
        isinstance(item, dict | list) or item is None for item in value
    ):
        return f"is {_shown(value)}, not a list of strings, numbers or booleans"
    for item in value:
        refused = _allowed(spec, item)
        if refused:
            return refused
    return value, "json"


def _allowed(spec: KeySpec, value: Any) -> str | None:
    if spec.allowed is not None and value not in spec.allowed:
        return f"is {_shown(value)}, not one of {', '.join(str(v) for v in spec.allowed)}"
    return None


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    if isinstance(value, str):
        return f"'{value[:40]}'"
    return f"{value!r}"[:40]
