"""`siaga serve --workers N` starts the production server (Granian over siaga.wsgi) for real."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks._server import free_port
from tests.cli.test_cli_user_flow import SIAGA, database_url  # noqa: F401 - fixture: a fresh database per backend

BOOT_GUARD = 120  # s: a hang guard for the first answer (it migrates the fresh database first), not a speed check


def test_serve_with_workers_runs_granian(tmp_path, database_url):  # noqa: F811 - the imported fixture
    """The server answers the login page, hands a token report it cannot accept to Django (401 in the API's error
    shape) and stops on SIGTERM."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, SIAGA_DATA_DIR=str(tmp_path / "var"))
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen([*SIAGA, "serve", "--workers", "1", "--threads", "2", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + BOOT_GUARD
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"{base}/login/", timeout=5) as response:
                    assert response.status == 200
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
        request = urllib.request.Request(
            f"{base}/api/v1/tps/T1/status", data=b'{"status": "arrived", "at": "2024-11-27T06:10:00+07:00"}',
            method="POST", headers={"Authorization": "Bearer sg_unknown", "Idempotency-Key": "k-1",
                                    "Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("an unknown token was accepted")
        except urllib.error.HTTPError as exc:
            body = exc.read()
            assert exc.code == 401, body
            assert json.loads(body)["error"]["code"] == "not_authenticated"
        assert "granian" in Path(f"/proc/{process.pid}/cmdline").read_text().split("\0")  # serve exec()s Granian
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
