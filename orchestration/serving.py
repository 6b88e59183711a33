"""`readiness serve` in the background, for the browser tests and the render benchmark."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

from readiness.settings import REPO_ROOT, Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served_dashboard(
    settings: Settings,
    *,
    log_name: str = "serve.log",
    timeout_s: float = 120,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """`readiness serve` on a free port (or ``port``); yields the base URL once Streamlit
    is healthy, stops the server (its whole process group) after. Output goes to
    `<home>/<log_name>`; ``env`` is added to the server's environment."""
    port = port or free_port()
    log_path = settings.home / log_name
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "serve", "--home", str(settings.home)]
        + ["--port", str(port)],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {}), "READINESS_HOME": str(settings.home)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
            ):
                if response.status == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard did not start: {log_path.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        process.wait(timeout=20)
        log.close()
