"""The dbt manifest Dagster builds its asset graph from, prepared once per project version.

`@dbt_assets` needs ``manifest.json`` at import. Parsing costs a dbt start-up (~6 s), so
the manifest is kept in the home folder with a fingerprint of the project's files and
re-parsed only when a model, macro or YAML file changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from readiness.errors import ReadinessError
from readiness.settings import Settings

_PROJECT_SUFFIXES = {".sql", ".yml", ".yaml", ".md", ".csv"}


def project_fingerprint(project_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(project_dir.rglob("*")):
        relative = path.relative_to(project_dir)
        if relative.parts[0] in {"target", "logs", "dbt_packages"} or path.is_dir():
            continue
        if path.suffix in _PROJECT_SUFFIXES:
            digest.update(str(relative).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def ensure_manifest(settings: Settings) -> Path:
    """Return the manifest path, running `dbt parse` first when it is missing or stale."""
    target = settings.dbt_target_dir
    manifest = target / "manifest.json"
    stamp = target / "manifest.fingerprint"
    fingerprint = project_fingerprint(settings.dbt_project_dir)
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return manifest
    settings.ensure_home()
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(settings.dbt_project_dir)],
        env={**os.environ, **settings.dbt_env()},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not manifest.exists():
        raise ReadinessError(
            "dbt parse failed for "
            f"{settings.dbt_project_dir}:\n{(result.stdout + result.stderr).strip()[-4000:]}"
        )
    stamp.write_text(fingerprint)
    return manifest
