"""`dbt docs generate` for the published warehouse, written into the home folder.

The docs describe every model and column (from the dbt YAML) with the types DuckDB
reports (dbt's catalog). They are generated against a private copy of the published
warehouse, so neither the running pipeline (which owns the working file) nor the
dashboard's readers (which hold the published file open) are disturbed, into a temporary
target folder (the pipeline's `dbt/target` and its manifest are left alone), with
`--no-compile` (the parsed manifest is enough for documentation; compiling every model
would triple the time). The result replaces `<home>/dbt-docs/` in one rename.

`readiness serve` calls `ensure_dbt_docs(settings)` before serving, and `readiness docs`
runs it on demand; it regenerates only when the published warehouse changed since the
last generation.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dashboards.dbt_docs_files import FILES, STAMP, dbt_docs_dir, read_generated
from orchestration.evaluation.manifest import dbt_executable, ensure_manifest
from readiness.errors import ReadinessError
from readiness.settings import Settings
from readiness.warehouse import published_version


def generate_dbt_docs(settings: Settings, *, echo: Callable[[str], None] = print) -> Path:
    """Generate the dbt docs of the published warehouse into `<home>/dbt-docs/`."""
    version = published_version(settings)  # clear error when nothing is published
    began = time.monotonic()
    echo("generating dbt docs for the published warehouse ...")
    with tempfile.TemporaryDirectory(prefix=".dbt-docs-", dir=settings.home) as scratch:
        work = Path(scratch)
        copy = work / "published-copy.duckdb"
        shutil.copyfile(version.path, copy)
        target = work / "target"
        target.mkdir()
        # --no-compile documents the parsed manifest: start from the pipeline's (parsed
        # again only when the project changed).
        shutil.copyfile(ensure_manifest(settings), target / "manifest.json")
        env = {
            **os.environ,
            **settings.dbt_env(),
            "READINESS_WAREHOUSE": str(copy),
            "DBT_TARGET_PATH": str(target),
            "DBT_LOG_PATH": str(work / "logs"),
        }
        result = subprocess.run(
            [
                dbt_executable(),
                "docs",
                "generate",
                "--static",
                "--no-compile",
                "--project-dir",
                str(settings.dbt_project_dir),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        missing = [name for name in FILES if not (target / name).exists()]
        if result.returncode != 0 or missing:
            output = (result.stdout + result.stderr).strip()[-4000:]
            raise ReadinessError(
                f"dbt docs generate failed for {settings.dbt_project_dir}"
                + (f" (missing {', '.join(missing)})" if missing else "")
                + f":\n{output}"
            )
        staged = work / "docs"
        staged.mkdir()
        for name in FILES:
            shutil.copyfile(target / name, staged / name)
        seconds = round(time.monotonic() - began, 1)
        (staged / STAMP).write_text(
            json.dumps(
                {
                    "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "published_version": version.key,
                    "seconds": seconds,
                },
                indent=2,
            )
            + "\n"
        )
        folder = dbt_docs_dir(settings)
        retired = work / "retired"
        if folder.exists():
            folder.rename(retired)
        staged.rename(folder)
    echo(f"dbt docs written to {folder} ({seconds:.1f}s)")
    return folder


def ensure_dbt_docs(settings: Settings, *, echo: Callable[[str], None] = print) -> Path:
    """The docs folder, regenerated only when the published warehouse changed since."""
    current = read_generated(settings)
    if current is not None and current.published_version == published_version(settings).key:
        return current.folder
    return generate_dbt_docs(settings, echo=echo)
