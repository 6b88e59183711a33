"""Reading custom data files into (entity, key, value) rows.

Formats, by extension:
- ``.yaml``/``.yml``/``.json``: each document is ``{entity: <ref>, data: {key: value}}``,
  or a list of them.
- ``.csv``: a header row whose first column is ``entity``; every other column is a key.

A malformed item becomes an error row (file, item, line) and is skipped.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readiness.errors import Problems
from readiness.refs import normalize_ref
from readiness.yamlfile import iter_documents

EXTENSIONS = {".yaml", ".yml", ".json", ".csv"}


@dataclass
class CustomDataRows:
    values: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _typed(value: Any) -> tuple[str | None, str]:
    """The value as text and its JSON type name (boolean, number, string, json, null)."""
    if value is None:
        return None, "null"
    if isinstance(value, bool):
        return ("true" if value else "false"), "boolean"
    if isinstance(value, int | float):
        return repr(value), "number"
    if isinstance(value, str):
        return value, "string"
    return json.dumps(value, sort_keys=True, default=str), "json"


def _csv_value(text: str) -> Any:
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "":
        return None
    try:
        return int(lowered)
    except ValueError:
        try:
            return float(lowered)
        except ValueError:
            return text


def _add(rows: CustomDataRows, entity: Any, data: Any, file: str, item: int, line: int | None):
    if not isinstance(entity, str) or not entity.strip():
        rows.errors.append(
            {
                "file": file,
                "item": item,
                "line": line,
                "message": "missing 'entity' (an entity ref)",
            }
        )
        return
    if not isinstance(data, dict):
        rows.errors.append(
            {
                "file": file,
                "item": item,
                "line": line,
                "message": "'data' must be a mapping of keys",
            }
        )
        return
    try:
        ref = normalize_ref(entity, default_kind="component")
    except ValueError as exc:
        rows.errors.append({"file": file, "item": item, "line": line, "message": str(exc)})
        return
    for key, value in data.items():
        text, value_type = _typed(value)
        rows.values.append(
            {
                "entity_ref": ref,
                "key": str(key),
                "value": text,
                "value_type": value_type,
                "file": file,
            }
        )


def read_custom_data(folder: Path) -> CustomDataRows:
    rows = CustomDataRows()
    files = sorted(p for p in folder.rglob("*") if p.suffix in EXTENSIONS and p.is_file())
    for path in files:
        relative = str(path.relative_to(folder))
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                if not reader.fieldnames or reader.fieldnames[0].strip().lower() != "entity":
                    rows.errors.append(
                        {
                            "file": relative,
                            "item": None,
                            "line": 1,
                            "message": "the first CSV column must be 'entity'",
                        }
                    )
                    continue
                entity_column = reader.fieldnames[0]
                for number, record in enumerate(reader, start=1):
                    data = {k: _csv_value(v or "") for k, v in record.items() if k != entity_column}
                    _add(rows, record.get(entity_column), data, relative, number, number + 1)
            continue
        problems = Problems()
        item = 0
        for doc in iter_documents(path, problems):
            items = doc.data if isinstance(doc.data, list) else [doc.data]
            for index, entry in enumerate(items):
                item += 1
                loc = (index,) if isinstance(doc.data, list) else ()
                if not isinstance(entry, dict) or set(entry) - {"entity", "data"}:
                    rows.errors.append(
                        {
                            "file": relative,
                            "item": item,
                            "line": doc.line(*loc),
                            "message": "expected a mapping with keys 'entity' and 'data'",
                        }
                    )
                    continue
                _add(rows, entry.get("entity"), entry.get("data"), relative, item, doc.line(*loc))
        for problem in problems:
            rows.errors.append(
                {"file": relative, "item": None, "line": problem.line, "message": problem.message}
            )
    return rows
