"""Everything in the scorecards folder, validated together: scorecards, exemptions and
initiatives.

``readiness validate`` and the ``scorecards`` dlt source both go through
:func:`load_standards`, so what validates is exactly what loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readiness.errors import Problems
from readiness.exemptions import LocatedExemption, load_exemptions
from readiness.facts import Fact, load_facts
from readiness.initiatives import INITIATIVES_FOLDER, CompiledInitiative, load_initiatives
from readiness.scorecards import CompiledScorecard, load_scorecards

EXEMPTIONS_FOLDER = "exemptions"


@dataclass(frozen=True)
class Standards:
    folder: Path
    scorecards: tuple[CompiledScorecard, ...]
    exemptions: tuple[LocatedExemption, ...]
    initiatives: tuple[CompiledInitiative, ...] = ()


def load_standards(
    folder: Path,
    facts: dict[str, Fact] | None = None,
    known_entities: set[str] | None = None,
) -> Standards:
    """Validate the whole folder; raise SpecError listing every problem found."""
    facts = facts if facts is not None else load_facts()
    problems = Problems()
    invalid: set[str] = set()  # scorecards found but invalid: already reported
    scorecards = load_scorecards(folder, facts, problems, invalid)
    exemptions = load_exemptions(
        folder / EXEMPTIONS_FOLDER, scorecards, problems, known_entities, invalid
    )
    initiatives = load_initiatives(
        folder / INITIATIVES_FOLDER, scorecards, facts, problems, known_entities, invalid
    )
    problems.raise_if_any(f"invalid standards in {folder}")
    return Standards(folder, tuple(scorecards), tuple(exemptions), tuple(initiatives))
