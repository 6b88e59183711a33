"""Reading the files users commit: safe YAML that remembers where every value came from.

Every YAML readiness reads from a user (standards, initiatives, exemptions, the catalog,
custom data) goes through :func:`iter_documents`, which

- reads the file only when it is under a size limit, is text (no NUL bytes) and is UTF-8,
  and says which of these it is not, with the line of the first bad byte;
- composes each document with PyYAML's safe loader (no Python objects, no custom tags);
- refuses a mapping that repeats a key (YAML says keys are unique; PyYAML silently keeps
  the last one, so two ``condition:`` keys would hide one), a document nested deeper than a
  limit, a recursive alias, and alias expansion beyond a budget (a "billion laughs" file of
  1 KB would otherwise expand to gigabytes), each with its file, document and line;
- keeps a timestamp-looking scalar that is not a real day (``2026-02-30``) as the string it
  is, so that the field that wants a date refuses it by name instead of a crash here.

A refused document is recorded in ``problems`` and skipped; the file's other documents still
load, since every document is parsed on its own.
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
_MERGE_TAG = "tag:yaml.org,2002:merge"
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class Limits:
    """What one user file may hold. The defaults fit a catalog of 20,000 services."""

    max_file_bytes: int = 16 * 1024 * 1024
    max_depth: int = 100  # nesting of mappings and sequences in one document
    max_alias_nodes: int = 10_000  # values produced by expanding aliases, per document


DEFAULT_LIMITS = Limits()


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


class _Refused(Exception):
    """A document that parses but is refused (duplicate key, alias bomb, too deep)."""

    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line = line
        self.hint = hint


def _path_text(loc: Location) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


class _Builder:
    """Turns a composed node graph into Python data, line numbers and limits checked."""

    def __init__(self, offset: int, limits: Limits):
        self.offset = offset  # lines before the document in its file
        self.limits = limits
        self.lines: dict[Location, int] = {}
        self.scalars = yaml.SafeLoader("")
        self.visited: set[int] = set()
        self.expanded = 0
        self.path: set[int] = set()

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def build(self, node: yaml.Node, loc: Location, depth: int = 0) -> Any:
        if isinstance(node, yaml.ScalarNode):
            self.lines[loc] = node.start_mark.line + 1 + self.offset
            return self._scalar(node)
        identity = id(node)
        if identity in self.path:
            raise _Refused(
                self.line_of(node),
                f"recursive alias at {_path_text(loc)}",
                "an alias may not refer to the mapping or list that contains it",
            )
        if depth > self.limits.max_depth:
            raise _Refused(
                self.line_of(node),
                f"nested deeper than {self.limits.max_depth} levels at {_path_text(loc[:3])}...",
                "flatten the document",
            )
        if identity in self.visited:  # reached again through an alias: an expansion
            self.expanded += 1 + len(node.value)
            if self.expanded > self.limits.max_alias_nodes:
                raise _Refused(
                    self.line_of(node),
                    f"aliases expand to more than {self.limits.max_alias_nodes} values "
                    f"(at {_path_text(loc[:4])}): an alias bomb?",
                    "write the values out, or use fewer aliases",
                )
        else:
            self.visited.add(identity)
        self.lines[loc] = self.line_of(node)
        if node.tag not in _COLLECTION_TAGS:
            raise _Refused(
                self.line_of(node),
                f"cannot read the value at {_path_text(loc)}: the tag {node.tag} is not plain YAML",
                "plain YAML only: no tags such as !!python/object",
            )
        if isinstance(node, yaml.MappingNode):
            self.path.add(identity)
            try:
                return self._mapping(node, loc, depth)
            finally:
                self.path.discard(identity)
        self.path.add(identity)
        try:
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        finally:
            self.path.discard(identity)

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.scalars.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            if node.tag == _TIMESTAMP_TAG:
                # e.g. 2026-02-30: not a day; the field that wants a date says so.
                return str(node.value)
            raise _Refused(
                self.line_of(node),
                f"cannot read the value {str(node.value)[:40]!r}: {exc}",
                "quote the value to make it a string",
            ) from exc
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            raise _Refused(
                self.line_of(node),
                f"cannot read the value: {problem}",
                "plain YAML only: no tags such as !!python/object",
            ) from exc

    def _key(self, node: yaml.Node, loc: Location) -> str | int:
        if not isinstance(node, yaml.ScalarNode):
            raise _Refused(
                self.line_of(node),
                f"a key at {_path_text(loc)} is a {'mapping' if isinstance(node, yaml.MappingNode) else 'list'}",
                "keys are names: write a plain scalar before ':'",
            )
        key = self._scalar(node)
        return key if isinstance(key, str | int) and not isinstance(key, bool) else str(key)

    def _mapping(self, node: yaml.MappingNode, loc: Location, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise _Refused(
                            self.line_of(key_node),
                            f"'<<' at {_path_text(loc)} must merge a mapping",
                            "merge an alias of a mapping: <<: *defaults",
                        )
                    value = self.build(source, loc, depth + 1)
                    for key, item in value.items():
                        merged.setdefault(key, item)
                continue
            key = self._key(key_node, loc)
            line = self.line_of(key_node)
            if key in first_line:
                raise _Refused(
                    line,
                    f"duplicate key '{key}' at {_path_text(loc)} (first on line {first_line[key]})",
                    "YAML keys are unique, and only the last one would be read: remove one",
                )
            first_line[key] = line
            result[key] = self.build(value_node, (*loc, key), depth + 1)
            self.lines[(*loc, key)] = line
        if merged:
            result = {**merged, **result}
        return result


def read_text(path: Path, problems: Problems, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """The text of a user file, or None with the reason in ``problems``.

    Refused: a file over the size limit, a binary file (NUL bytes), and one that is not
    UTF-8 (the line of the first bad byte is given). A UTF-8 byte-order mark is dropped.
    """
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            problems.add(
                path,
                None,
                None,
                f"the file is {size:,} bytes, more than the limit of {limits.max_file_bytes:,}",
                "split it into several files",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.add(path, None, None, f"cannot read file: {exc.strerror or exc}", "check the path")
        return None
    if b"\x00" in data:
        problems.add(
            path,
            None,
            None,
            "a binary file, not text (it contains NUL bytes)",
            "remove it from the folder, or save it as UTF-8 text",
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(
            path,
            data[: exc.start].count(b"\n") + 1,
            None,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8",
        )
        return None


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


def _syntax_problem(
    exc: yaml.YAMLError, path: Path, first_line: int, chunk: str, index: int, problems: Problems
) -> None:
    where = f"document {index + 1}"
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        last_line = first_line + len(chunk.rstrip().splitlines()) - 1
        line = min(mark.line + first_line, last_line) if mark else first_line
        problem = " ".join(str(exc.problem or exc).split())
        hint = "fix the YAML syntax (indentation, quoting, a missing ':')"
        if "nesting depth" in problem:
            hint = "flatten the document"
        problems.add(path, line, where, f"invalid YAML: {problem}", hint)
    else:
        problems.add(path, first_line, where, f"invalid YAML: {exc}")


def iter_documents(
    path: Path, problems: Problems, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Document]:
    """Yield the documents of a (possibly multi-document) YAML file.

    A document that cannot be read or is refused is recorded in ``problems`` with its
    file, document number and line, and skipped; the other documents still load. A file
    that cannot be read at all (size, binary, encoding) is one problem without a document.
    """
    text = read_text(path, problems, limits)
    if text is None:
        return
    index = 0
    for first_line, chunk in _split_documents(text):
        if not chunk.strip() or chunk.strip() == "---":
            continue
        try:
            node = yaml.compose(chunk, Loader=_LOADER)
        except yaml.YAMLError as exc:
            _syntax_problem(exc, path, first_line, chunk, index, problems)
            index += 1
            continue
        except RecursionError:
            problems.add(path, first_line, f"document {index + 1}", "nested too deep to read")
            index += 1
            continue
        if node is None:
            continue
        builder = _Builder(first_line - 1, limits)
        try:
            data = builder.build(node, ())
        except _Refused as refused:
            problems.add(path, refused.line, f"document {index + 1}", str(refused), refused.hint)
            index += 1
            continue
        yield Document(path, index, data, builder.lines)
        index += 1


def yaml_files(folder: Path) -> list[Path]:
    """Every ``*.yml``/``*.yaml`` file below ``folder``, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.suffix in {".yml", ".yaml"} and p.is_file())
