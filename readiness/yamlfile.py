"""YAML loading that remembers where every value came from (file and line).

Validation messages must name the line of the offending rule, so plain ``yaml.safe_load``
is not enough: we compose the node graph and keep each node's start line beside the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from readiness.errors import Problems

Location = tuple[str | int, ...]
# libyaml's parser when PyYAML was built with it (several times faster on big catalogs).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass
class Document:
    """One YAML document of a file, with the line of every mapping key and sequence item."""

    file: Path
    index: int  # 0-based position of the document in the file
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line(self, *location: str | int) -> int | None:
        """The line of ``location`` or, failing that, of its nearest parent."""
        loc: Location = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def _construct(
    node: yaml.Node, loc: Location, lines: dict[Location, int], scalars: yaml.SafeLoader
) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = scalars.construct_object(key_node, deep=True)
            key = key if isinstance(key, str | int) else str(key)
            result[key] = _construct(value_node, (*loc, key), lines, scalars)
            lines[(*loc, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*loc, i), lines, scalars) for i, item in enumerate(node.value)]
    try:
        return scalars.construct_object(node, deep=True)
    except ValueError:
        if node.tag == _TIMESTAMP_TAG:
            # e.g. 2026-02-30: not a day; kept as written, and the reader that wants a
            # date (or the catalog's checks) says so.
            return str(node.value)
        raise


def _split_documents(text: str) -> Iterator[tuple[int, str]]:
    """Split a YAML stream at its ``---`` separators: (first line number, text) per document.

    Parsing each document on its own means one broken document does not hide the ones
    after it (a YAML parser cannot resynchronise after a syntax error).
    """
    start, chunk = 1, []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        marker = line.rstrip("\r\n")
        if marker == "---" or marker.startswith("--- "):
            yield start, "".join(chunk)
            start, chunk = number, [line]
            continue
        chunk.append(line)
    yield start, "".join(chunk)


def iter_documents(path: Path, problems: Problems) -> Iterator[Document]:
    """Yield the documents of a (possibly multi-document) YAML file.

    A document with a syntax error is recorded in ``problems`` with its file, document
    number and line, and skipped; the other documents still load.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(path, None, None, f"cannot read file: {exc}", "check the path and encoding")
        return
    index = 0
    for first_line, chunk in _split_documents(text):
        if not chunk.strip() or chunk.strip() == "---":
            continue
        # Pad with empty lines so that marks carry the line numbers of the whole file.
        padded = "\n" * (first_line - 1) + chunk
        try:
            node = yaml.compose(padded, Loader=_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            last_line = first_line + len(chunk.rstrip().splitlines()) - 1
            problems.add(
                path,
                min(mark.line + 1, last_line) if mark else first_line,
                f"document {index + 1}",
                f"invalid YAML: {exc.problem or exc}",
                "fix the YAML syntax (indentation, quoting, a missing ':')",
            )
            index += 1
            continue
        except yaml.YAMLError as exc:
            problems.add(path, first_line, f"document {index + 1}", f"invalid YAML: {exc}")
            index += 1
            continue
        if node is None:
            continue
        lines: dict[Location, int] = {}
        data = _construct(node, (), lines, yaml.SafeLoader(""))
        yield Document(path, index, data, lines)
        index += 1


def yaml_files(folder: Path) -> list[Path]:
    """Every ``*.yml``/``*.yaml`` file below ``folder``, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.suffix in {".yml", ".yaml"} and p.is_file())
