"""A real `readiness` subprocess held at a named point (readiness.pause), to be killed
(SIGKILL to its whole process group: dbt's process too) or resumed.

The process writes to the FIFO ``reached`` when it gets to the point and then waits on
``resume``: the test knows it is there when it has read that line. Nothing is timed; the
timeouts only bound a test that would otherwise hang when the process dies before the
point (then the test fails and says what the process printed).
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from readiness.pause import PAUSE_AT, PAUSE_DIR

READINESS = str(Path(sys.executable).with_name("readiness"))
DEADLINE_S = 600.0


class PausedRun:
    def __init__(self, args: list[str], env: dict[str, str], point: str | None, folder: Path):
        self.point = point
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.log = folder / "output.log"
        extra = {}
        if point is not None:
            os.mkfifo(folder / "reached")
            os.mkfifo(folder / "resume")
            extra = {PAUSE_AT: point, PAUSE_DIR: str(folder)}
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [READINESS, *args],
                env={**env, **extra},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed as a whole
            )

    def output(self) -> str:
        return self.log.read_text()

    def wait_reached(self) -> str:
        """Block until the process is held at the point; its line ``<point> <pid>``."""
        fd = os.open(self.folder / "reached", os.O_RDONLY | os.O_NONBLOCK)
        deadline = time.monotonic() + DEADLINE_S
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([fd], [], [], 1.0)
                if ready:
                    data = os.read(fd, 4096)
                    if data:
                        return data.decode().strip()
                if self.process.poll() is not None:
                    raise AssertionError(
                        f"readiness exited ({self.process.returncode}) before reaching "
                        f"{self.point}:\n{self.output()}"
                    )
        finally:
            os.close(fd)
        raise AssertionError(f"readiness did not reach {self.point}:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL to the process group (the CLI, Dagster in-process, dbt's process)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def resume(self) -> None:
        """Let it go on (opening ``resume`` blocks until the process waits on it)."""

        def write() -> None:
            with (self.folder / "resume").open("w") as resume:
                resume.write("go\n")

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        writer.join(DEADLINE_S)
        if writer.is_alive():
            raise AssertionError(f"readiness never waited on resume:\n{self.output()}")

    def wait(self) -> int:
        return self.process.wait(timeout=DEADLINE_S)
