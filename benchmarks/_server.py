"""Start and stop a real Siaga server (Granian, as `siaga serve --workers N` runs it; or gunicorn as a peer) for load
and fault runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from siaga.serving import APP, granian_argv, granian_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A server process serving siaga.wsgi on 127.0.0.1:port with the given environment: ``granian`` (production,
    siaga.serving) or ``gunicorn`` (gthread; the server Siaga used before, kept as a benchmark peer)."""

    env: dict[str, str]
    workers: int = 2
    threads: int = 8
    port: int = field(default_factory=free_port)
    log: Path | None = None
    kind: str = "granian"
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        if self.kind == "granian":
            argv = [sys.executable, *granian_argv(host="127.0.0.1", port=self.port, workers=self.workers,
                                                  threads=self.threads, backlog=4096)]
        else:
            argv = [sys.executable, "-m", "gunicorn", APP, "--bind", f"127.0.0.1:{self.port}",
                    "--workers", str(self.workers), "--threads", str(self.threads), "--worker-class", "gthread",
                    "--timeout", "60", "--graceful-timeout", "5", "--backlog", "4096"]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
        # as siaga serve: plans parsed at worker start, the thread count known to the workers
        env = {**os.environ, "SIAGA_WARMUP": "1", **granian_env(threads=self.threads), **self.env}
        self.process = subprocess.Popen(argv, env=env, stdout=out, stderr=out,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/login/", timeout=1) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"server did not answer within {timeout} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die mid-request, as in a power cut."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
