"""Errors a user can act on: what was wrong, where, and what to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in a user-supplied file (scorecard, exemption, catalog, ...).

    ``where`` names the object inside the file (``rule 'owner-set'``, ``document 3``);
    ``hint`` says what to do about it.
    """

    file: Path | str | None
    line: int | None
    where: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        location = str(self.file) if self.file is not None else "<input>"
        if self.line is not None:
            location += f":{self.line}"
        text = f"{location}: "
        if self.where:
            text += f"{self.where}: "
        text += self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


@dataclass
class Problems:
    """Collects problems so that validation reports all of them at once."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        file: Path | str | None,
        line: int | None,
        where: str | None,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.items.append(Problem(file, line, where, message, hint))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def raise_if_any(self, what: str) -> None:
        if self.items:
            raise SpecError(what, list(self.items))


class ReadinessError(Exception):
    """Base class: every error the command line reports without a traceback."""


class SpecError(ReadinessError):
    """A scorecard, initiative, exemption or catalog file is invalid."""

    def __init__(self, what: str, problems: list[Problem]):
        self.what = what
        self.problems = problems
        lines = [f"{what}: {len(problems)} problem(s)"] + [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


class WarehouseError(ReadinessError):
    """The warehouse is missing, locked or not yet published."""
