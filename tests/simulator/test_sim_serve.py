"""``serve_forever``: prints base URLs and credentials, serves, and stops on SIGTERM."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests


def test_serve_forever_runs_until_sigterm(tmp_path: Path) -> None:
    code = (
        "import datetime as dt; from pathlib import Path; from simulator.serve import serve_forever; "
        f"serve_forever(seed=3, services=12, today=dt.date(2026, 11, 26), out_dir=Path({str(tmp_path)!r}))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-u", "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
            if line.startswith("Ready in"):
                break
        text = "".join(lines)
        github = re.search(r"github\s+(http://127\.0\.0\.1:\d+)", text).group(1)
        token = re.search(r"Authorization: Bearer (ghp_\S+)", text).group(1)
        assert "DD-APPLICATION-KEY" in text and "Token token=" in text and "SSWS " in text
        r = requests.get(
            f"{github}/orgs/acme/repos", headers={"Authorization": f"token {token}"}, timeout=5
        )
        assert r.status_code == 200 and len(r.json()) == 12
        assert (tmp_path / "catalog" / "catalog-info.yaml").exists()
        assert len(list((tmp_path / "custom-data").glob("*.yaml"))) > 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert "Stopping the simulator." in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
