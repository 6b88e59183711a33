"""Exemptions as code: ``scorecards/exemptions/*.yml``.

Each file holds a list of exemptions (or one mapping). An exemption names an entity, a
scorecard and a rule (or ``rule: "*"`` for the whole scorecard), why, who asked, who
approved, and from when until when it applies. An active exemption turns the outcome
into ``exempt``; an expired one stops applying by itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from readiness.errors import Problems
from readiness.refs import normalize_ref
from readiness.scorecards import CompiledScorecard
from readiness.yamlfile import iter_documents, yaml_files

WHOLE_SCORECARD = "*"


class Exemption(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entity: str = Field(min_length=1)
    scorecard: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    requested_by: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    starts_on: dt.date
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class LocatedExemption:
    exemption: Exemption
    entity_ref: str
    file: Path
    line: int | None


def load_exemptions(
    folder: Path,
    scorecards: list[CompiledScorecard],
    problems: Problems,
    known_entities: set[str] | None = None,
) -> list[LocatedExemption]:
    """Validate every exemption file below ``folder`` (missing folder: no exemptions)."""
    if not folder.is_dir():
        return []
    rules_by_scorecard = {sc.id: {r.rule.id for r in sc.rules} for sc in scorecards}
    result: list[LocatedExemption] = []
    for path in yaml_files(folder):
        for doc in iter_documents(path, problems):
            items = doc.data if isinstance(doc.data, list) else [doc.data]
            for index, item in enumerate(items):
                loc = (index,) if isinstance(doc.data, list) else ()
                line = doc.line(*loc)
                where = f"exemption #{index + 1}"
                if not isinstance(item, dict):
                    problems.add(path, line, where, "an exemption must be a mapping")
                    continue
                try:
                    exemption = Exemption.model_validate(item)
                except ValidationError as exc:
                    for error in exc.errors():
                        key = ".".join(str(p) for p in error["loc"])
                        message = (
                            f"missing key '{key}'"
                            if error["type"] == "missing"
                            else f"unknown key '{key}'"
                            if error["type"] == "extra_forbidden"
                            else f"{key}: {error['msg']}"
                        )
                        hint = (
                            "every exemption needs an approver"
                            if key == "approved_by"
                            else "see docs/writing-rules.md#exemptions"
                        )
                        problems.add(path, doc.line(*loc, *error["loc"]), where, message, hint)
                    continue
                entity_ref = normalize_ref(exemption.entity, default_kind="component")
                where = f"exemption of {entity_ref} from {exemption.scorecard}/{exemption.rule}"
                if exemption.scorecard not in rules_by_scorecard:
                    problems.add(
                        path,
                        doc.line(*loc, "scorecard"),
                        where,
                        f"unknown scorecard '{exemption.scorecard}'",
                        f"use one of {', '.join(sorted(rules_by_scorecard)) or '(none loaded)'}",
                    )
                    continue
                if (
                    exemption.rule != WHOLE_SCORECARD
                    and exemption.rule not in rules_by_scorecard[exemption.scorecard]
                ):
                    problems.add(
                        path,
                        doc.line(*loc, "rule"),
                        where,
                        f"unknown rule '{exemption.rule}' in scorecard '{exemption.scorecard}'",
                        f"use a rule id of that scorecard, or '{WHOLE_SCORECARD}' for all of it",
                    )
                    continue
                if exemption.expires_on and exemption.expires_on < exemption.starts_on:
                    problems.add(
                        path,
                        doc.line(*loc, "expires_on"),
                        where,
                        f"expires_on {exemption.expires_on} is before starts_on "
                        f"{exemption.starts_on}",
                        "swap the dates or fix the typo",
                    )
                    continue
                if known_entities is not None and entity_ref not in known_entities:
                    problems.add(
                        path,
                        doc.line(*loc, "entity"),
                        where,
                        f"unknown entity '{entity_ref}' (not in the catalog)",
                        "use the entity's ref as in the catalog, e.g. component:default/name",
                    )
                    continue
                result.append(LocatedExemption(exemption, entity_ref, path, line))
    return result
