"""With the database down, `siaga` says so in one line and exits 2, never a traceback or the password (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", (["stats"], ["plan", "--operation", "1", "--out", "plan-out"]))
def test_one_line_and_no_password(tmp_path, command):
    env = {**os.environ, "DATABASE_URL": "postgres://postgres:s3cret-pw@127.0.0.1:1/nothing",
           "SIAGA_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "siaga.cli.main", *command], env=env, capture_output=True, cwd=tmp_path,
                         text=True, timeout=300)
    assert out.returncode == 2, (out.returncode, out.stderr[-1500:])
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, out.stderr[-1500:]
    assert "Traceback" not in out.stderr and "s3cret-pw" not in out.stderr
    assert "127.0.0.1:1/nothing" in lines[0] and "DATABASE_URL" in lines[0]
