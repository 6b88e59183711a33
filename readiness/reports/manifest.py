"""The evidence manifest: every exported file with its SHA-256, and its verification.

``manifest.json`` lists each file of the report folder (path relative to the folder,
bytes, SHA-256) with what the report covers. :func:`verify_folder` recomputes every digest
and names each file that was changed, added or removed. The manifest's own SHA-256,
printed when the report is written, can be kept elsewhere (a ticket, an audit log) to
detect a manifest rewritten along with the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from readiness.errors import ReadinessError

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1


class ManifestEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    path: str  # relative to the report folder, '/'-separated
    bytes: int
    sha256: str


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    manifest_version: int = MANIFEST_VERSION
    algorithm: str = "sha256"
    generator: str
    generated_at: dt.datetime
    title: str
    scorecard_id: str
    scope: str
    days: list[dt.date]
    definition_hashes: list[str]
    files: list[ManifestEntry]


class Verification(BaseModel):
    model_config = ConfigDict(frozen=True)
    folder: Path
    manifest_sha256: str
    checked: list[str]  # files whose digest matched
    changed: list[str]
    added: list[str]
    removed: list[str]
    manifest_mismatch: bool = False  # the manifest's own digest differs from the expected one

    @property
    def ok(self) -> bool:
        return not (self.changed or self.added or self.removed or self.manifest_mismatch)

    def problems(self) -> list[str]:
        lines = [f"changed: {path}" for path in self.changed]
        lines += [f"added: {path}" for path in self.added]
        lines += [f"removed: {path}" for path in self.removed]
        if self.manifest_mismatch:
            lines.append(f"changed: {MANIFEST_FILE} (its SHA-256 is not the one expected)")
        return lines


class ManifestError(ReadinessError):
    """The folder has no readable manifest."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def entry(folder: Path, path: Path) -> ManifestEntry:
    return ManifestEntry(
        path=path.relative_to(folder).as_posix(),
        bytes=path.stat().st_size,
        sha256=sha256_file(path),
    )


def folder_files(folder: Path) -> list[str]:
    """Every file below ``folder`` except the manifest, as '/'-separated relative paths."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.relative_to(folder).as_posix() != MANIFEST_FILE
    )


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST_FILE
    if not folder.is_dir():
        raise ManifestError(f"{folder} is not a folder")
    if not path.is_file():
        raise ManifestError(
            f"{path} not found: not a report folder, or its manifest was removed (removed: "
            f"{MANIFEST_FILE})"
        )
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except (ValidationError, ValueError) as exc:
        first = str(exc).splitlines()[0]
        raise ManifestError(f"{path} is not a readiness manifest ({first})") from exc


def verify_folder(folder: Path, expected_manifest_sha256: str | None = None) -> Verification:
    """Recompute every digest of a report folder against its manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    manifest_sha256 = sha256_file(folder / MANIFEST_FILE)
    listed = {item.path: item for item in manifest.files}
    present = set(folder_files(folder))
    checked, changed = [], []
    for path, item in sorted(listed.items()):
        if path not in present:
            continue
        file = folder / path
        if (
            file.is_symlink()
            or file.stat().st_size != item.bytes
            or sha256_file(file) != item.sha256
        ):
            changed.append(path)
        else:
            checked.append(path)
    return Verification(
        folder=folder,
        manifest_sha256=manifest_sha256,
        checked=checked,
        changed=changed,
        added=sorted(present - set(listed)),
        removed=sorted(set(listed) - present),
        manifest_mismatch=expected_manifest_sha256 is not None
        and expected_manifest_sha256.strip().lower() != manifest_sha256,
    )


def write_manifest(folder: Path, manifest: Manifest) -> str:
    """Write ``manifest.json``; return its SHA-256."""
    path = folder / MANIFEST_FILE
    data = json.dumps(manifest.model_dump(mode="json"), indent=2) + "\n"
    path.write_text(data, encoding="utf-8")
    return sha256_file(path)
