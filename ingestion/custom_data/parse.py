"""Reading and validating custom data files into (entity, key, value) rows.

Formats, by extension:
- ``.yaml``/``.yml``: each document is ``{entity: <ref>, data: {key: value}}``, or a list
  of them;
- ``.json``: one such object, or a list of them;
- ``.csv``: a header row whose first column is ``entity``; every other column is a key,
  and an empty cell sets nothing.

``schema.yml`` at the top of the folder declares the keys (see ``schema.py``). Each value
is checked against its key's declared type and allowed values (without a schema file,
against the type of the fact that reads it, and for the same type in every file); entities
are checked against the catalog when one is given.

What is refused, and how much: a file that cannot be read (too big, binary, not UTF-8,
not YAML/JSON/CSV) is refused whole, so nothing of a half-read file is loaded; otherwise
each item (a document, a list entry, a CSV row) is loaded whole or not at all. Every
refusal is an error row with file, item, line, entity and key where known, and a hint.
The keys of a refused item are listed in ``refused`` with their entity: the facts that
read them are unknown for that entity, not false, since the data said something invalid.
Two items setting the same key of the same entity are ambiguous: the second is refused
and the key is unknown for the entity.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingestion.custom_data.schema import (
    HINT,
    SCHEMA_FILES,
    KeySpec,
    Schema,
    check_value,
    load_schema,
)
from readiness.dates import parse_day
from readiness.errors import Problems
from readiness.facts import Fact, load_facts
from readiness.refs import normalize_ref
from readiness.yamlfile import DEFAULT_LIMITS, iter_documents, read_text

EXTENSIONS = {".yaml", ".yml", ".json", ".csv"}
ITEM_HINT = "an item is {entity: <ref>, data: {key: value, ...}}; see docs/custom-data.md"
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass
class CustomDataRows:
    values: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)  # keys whose facts are unknown
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def problems(self, folder: Path) -> Problems:
        """The errors as problems naming the file (under ``folder``), line and item."""
        problems = Problems()
        for error in self.errors:
            where = []
            if error.get("item") is not None:
                where.append(f"item {error['item']}")
            if error.get("entity_ref"):
                where.append(error["entity_ref"])
            if error.get("data_key"):
                where.append(f"key '{error['data_key']}'")
            problems.add(
                Path(folder) / error["file"],
                error.get("line"),
                ", ".join(where) or None,
                error["message"],
                error.get("hint"),
            )
        return problems


@dataclass(frozen=True)
class _Item:
    number: int  # 1-based position in the file
    line: int | None
    entry: Any
    csv: bool = False  # values are CSV cells (text), read according to the key's type
    problem: str | None = None  # a CSV row that is no item (wrong number of values)


@dataclass(frozen=True)
class _Refusal:
    key: str
    message: str
    hint: str


class _Reader:
    """Validates the items of one folder, in file order."""

    def __init__(self, folder: Path, schema: Schema, known_entities: set[str] | None):
        self.folder = folder
        self.schema = schema
        self.known = known_entities
        self.rows = CustomDataRows()
        self.first: dict[tuple[str, str], str] = {}  # (entity, key) -> where it was set
        self.types: dict[str, tuple[str, str]] = {}  # undeclared key -> (type, where)

    def error(
        self,
        file: str,
        item: int | None,
        line: int | None,
        message: str,
        hint: str | None = None,
        entity_ref: str | None = None,
        data_key: str | None = None,
    ) -> None:
        self.rows.errors.append(
            {
                "file": file,
                "item": item,
                "line": line,
                "entity_ref": entity_ref,
                "data_key": data_key,
                "message": message,
                "hint": hint,
            }
        )

    def item(self, file: str, item: _Item) -> None:
        entry = item.entry
        if not isinstance(entry, dict):
            self.error(file, item.number, item.line, "an item must be a mapping", ITEM_HINT)
            return
        extra = sorted(str(key) for key in set(entry) - {"entity", "data"})
        if extra:
            self.error(
                file, item.number, item.line, f"unknown key '{extra[0]}' in the item", ITEM_HINT
            )
            return
        entity = entry.get("entity")
        if not isinstance(entity, str) or not entity.strip():
            self.error(
                file,
                item.number,
                item.line,
                "missing 'entity' (an entity ref)" if entity is None else "'entity' is not a ref",
                ITEM_HINT,
            )
            return
        try:
            ref = normalize_ref(entity, default_kind="component")
        except ValueError as exc:
            self.error(file, item.number, item.line, str(exc), ITEM_HINT)
            return
        data = entry.get("data")
        if not isinstance(data, dict):
            self.error(
                file, item.number, item.line, "'data' must be a mapping of keys", ITEM_HINT, ref
            )
            return
        where = f"{file}:{item.line}" if item.line else f"{file} item {item.number}"
        accepted: list[dict[str, Any]] = []
        refusals: list[_Refusal] = []
        keys: list[str] = []
        for raw_key, raw_value in data.items():
            key = str(raw_key)
            if item.csv and raw_value in (None, ""):
                continue  # an empty cell sets nothing
            keys.append(key)
            outcome = self.value(key, raw_value, item.csv, where)
            if isinstance(outcome, _Refusal):
                refusals.append(outcome)
            else:
                text, value_type = outcome
                accepted.append({"key": key, "value": text, "value_type": value_type})
        for row in accepted:
            first = self.first.get((ref, row["key"]))
            if first is not None:
                refusals.append(
                    _Refusal(
                        row["key"],
                        f"is also set at {first}: which one holds is ambiguous",
                        "set each key of an entity in one place; until then the fact is unknown",
                    )
                )
        if refusals:
            for refusal in refusals:
                self.error(
                    file, item.number, item.line, refusal.message, refusal.hint, ref, refusal.key
                )
            self.rows.refused.extend(
                {"entity_ref": ref, "key": key, "file": file, "line": item.line} for key in keys
            )
            return
        for row in accepted:
            self.first[(ref, row["key"])] = where
            self.rows.values.append({"entity_ref": ref, **row, "file": file, "line": item.line})
        if self.known is not None and ref not in self.known:
            self.error(
                file,
                item.number,
                item.line,
                f"{ref} is not in the catalog: its values are not used",
                "use the entity's ref as in the catalog, e.g. component:default/name",
                ref,
            )

    def value(
        self, key: str, value: Any, from_csv: bool, where: str
    ) -> tuple[str | None, str] | _Refusal:
        """(text, value type) of an accepted value, or why it is refused."""
        spec = self.schema.declared(key)
        if spec is None and self.schema.file is not None:
            close = difflib.get_close_matches(key, list(self.schema.keys), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            return _Refusal(
                key,
                "unknown key (not declared in the schema)",
                hint + f"declare it in {self.schema.file.name}, or fix its spelling",
            )
        if from_csv:
            value = _csv_value(value, spec)
        if spec is not None:
            checked = check_value(spec, value)
            if isinstance(checked, str):
                return _Refusal(key, checked, _type_hint(spec))
            stored, value_type = checked
            return _text(stored), value_type
        if isinstance(value, str) and _DATE_LIKE.match(value.strip()):
            try:
                value = parse_day(value)  # a date, whichever format wrote it
            except ValueError as exc:
                return _Refusal(key, str(exc), "write a real day as YYYY-MM-DD")
        text, value_type = _typed(value)
        if value_type != "null":
            previous = self.types.setdefault(key, (value_type, where))
            if previous[0] != value_type:
                return _Refusal(
                    key,
                    f"is {_a(value_type)} here but {_a(previous[0])} at {previous[1]}",
                    f"give the key one type everywhere, and declare it in {SCHEMA_FILES[0]}",
                )
        return text, value_type


def _a(value_type: str) -> str:
    return {"json": "a list or mapping", "null": "empty"}.get(value_type, f"a {value_type}")


def _type_hint(spec: KeySpec) -> str:
    if spec.allowed is not None:
        return f"use one of {', '.join(str(v) for v in spec.allowed)}; {HINT}"
    examples = {
        "boolean": "true or false",
        "integer": "a whole number, e.g. 3",
        "number": "a number, e.g. 99.5",
        "string": "text, in quotes if it looks like a number or a date",
        "date": "a day as YYYY-MM-DD",
        "list": "a list, e.g. [a, b]",
    }
    return f"'{spec.key}' is declared {spec.type}: write {examples[spec.type]}"


def _typed(value: Any) -> tuple[str | None, str]:
    """The value as text and its type name (boolean, number, string, date, json, null)."""
    if value is None:
        return None, "null"
    if isinstance(value, bool):
        return ("true" if value else "false"), "boolean"
    if isinstance(value, int | float):
        return repr(value), "number"
    if isinstance(value, str):
        return value, "string"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat(), "date"
    return json.dumps(value, sort_keys=True, default=str), "json"


def _text(value: Any) -> str | None:
    if isinstance(value, str) or value is None:
        return value
    return _typed(value)[0]


def _csv_value(text: Any, spec: KeySpec | None) -> Any:
    """A CSV cell as the value its key's type reads (inferred when the key is undeclared)."""
    if not isinstance(text, str):
        return text
    stripped = text.strip()
    kind = spec.type if spec is not None else None
    if kind in (None, "boolean") and stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    if kind in (None, "integer", "number") and _INTEGER.match(stripped):
        return int(stripped)
    if kind in (None, "number"):
        try:
            number = float(stripped)
        except ValueError:
            return text
        return number if number == number and abs(number) != float("inf") else text
    return text


# --- reading each format ------------------------------------------------------------------


def _yaml_items(path: Path, problems: Problems) -> Iterator[_Item]:
    number = 0
    for doc in iter_documents(path, problems):
        entries = doc.data if isinstance(doc.data, list) else [doc.data]
        for index, entry in enumerate(entries):
            number += 1
            loc = (index,) if isinstance(doc.data, list) else ()
            yield _Item(number, doc.line(*loc), entry)


class _Duplicate(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _unclosed(text: str) -> bool:
    """Whether JSON text ends inside a string or with brackets still open (cut short)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return in_string or depth > 0


def _json_items(path: Path, problems: Problems) -> list[_Item] | None:
    text = read_text(path, problems, DEFAULT_LIMITS)
    if text is None:
        return None
    decoder = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_refuse_constant)
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        truncated = _unclosed(text)
        problems.add(
            path,
            exc.lineno,
            None,
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            + (": the file ends before the JSON does" if truncated else ""),
            "the file looks truncated: write it again whole"
            if truncated
            else "fix the JSON syntax (a missing comma, quote or bracket)",
        )
        return None
    except _Duplicate as exc:
        problems.add(path, None, None, f"duplicate key '{exc}' in a JSON object", "remove one")
        return None
    except (ValueError, RecursionError) as exc:
        problems.add(path, None, None, f"invalid JSON: {exc}", "write plain JSON")
        return None
    if not isinstance(data, list):
        return [_Item(1, 1, data)]
    # The line of each top-level item, from where the decoder finds it.
    lines: list[int | None] = []
    position = text.index("[") + 1
    for _ in data:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        lines.append(text.count("\n", 0, position) + 1)
        try:
            position = decoder.raw_decode(text, position)[1]
        except (ValueError, _Duplicate):
            lines[-1:] = [None]
            break
    lines += [None] * (len(data) - len(lines))
    return [_Item(n, lines[n - 1], entry) for n, entry in enumerate(data, start=1)]


def _csv_items(path: Path, problems: Problems) -> list[_Item] | None:
    text = read_text(path, problems, DEFAULT_LIMITS)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            problems.add(
                path, 1, None, "the CSV file is empty", "write a header row: entity,key,..."
            )
            return None
        names = [name.strip() for name in header]
        if not names or names[0].lower() != "entity":
            first = names[0] if names else ""
            problems.add(
                path,
                1,
                None,
                f"the first column is '{first}', not 'entity'",
                "name the first column entity; its values are entity refs "
                "(component:default/name or just name)",
            )
            return None
        for index, name in enumerate(names):
            if not name:
                problems.add(path, 1, None, f"column {index + 1} has no name", "name every column")
                return None
            if name in names[:index]:
                problems.add(path, 1, None, f"column '{name}' appears twice", "name it once")
                return None
        items: list[_Item] = []
        for cells in reader:
            number, line = len(items) + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                message = f"{len(cells)} values for {len(names)} columns"
                items.append(_Item(number, line, None, problem=message))
                continue
            entry = {"entity": cells[0], "data": dict(zip(names[1:], cells[1:], strict=True))}
            items.append(_Item(number, line, entry, csv=True))
        return items
    except csv.Error as exc:
        problems.add(path, reader.line_num, None, f"invalid CSV: {exc}", "fix the quoting")
        return None


def _items(path: Path, problems: Problems) -> list[_Item] | None:
    if path.suffix == ".csv":
        return _csv_items(path, problems)
    if path.suffix == ".json":
        return _json_items(path, problems)
    return list(_yaml_items(path, problems))


def data_files(folder: Path) -> list[Path]:
    """The custom data files below ``folder`` (the schema file is not data)."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix in EXTENSIONS
        and path.is_file()
        and not (path.parent == folder and path.name in SCHEMA_FILES)
    )


def read_custom_data(
    folder: Path,
    known_entities: set[str] | None = None,
    facts: dict[str, Fact] | None = None,
) -> CustomDataRows:
    """Validate and read every custom data file below ``folder``."""
    folder = Path(folder)
    schema_problems = Problems()
    schema = load_schema(folder, facts if facts is not None else load_facts(), schema_problems)
    reader = _Reader(folder, schema, known_entities)
    if schema.file is None:
        reader.rows.warnings.append(
            f"{folder}: no {SCHEMA_FILES[0]}: keys are checked only against the facts that "
            "read them and for one type across files (declare them: docs/custom-data.md)"
        )
    for problem in schema_problems:
        reader.error(
            str(Path(problem.file).relative_to(folder)) if problem.file else SCHEMA_FILES[0],
            None,
            problem.line,
            f"{problem.where}: {problem.message}" if problem.where else problem.message,
            problem.hint,
        )
    for path in data_files(folder):
        relative = str(path.relative_to(folder))
        problems = Problems()
        items = _items(path, problems)
        for problem in problems:
            where = f"{problem.where}: " if problem.where else ""
            reader.error(relative, None, problem.line, where + problem.message, problem.hint)
        for item in items or []:
            if item.problem is not None:
                reader.error(relative, item.number, item.line, item.problem, "one value per column")
                continue
            reader.item(relative, item)
    return reader.rows
