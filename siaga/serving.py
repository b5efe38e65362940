"""How Siaga runs in production: Granian serving ``siaga.wsgi`` (docs/decisions/0003-granian-web-server.md).

One place for the server's command line, shared by ``siaga serve --workers N`` and the load and fault runs in
``benchmarks/``, so what is measured and tested is what is deployed. No Django import.
"""

from __future__ import annotations

APP = "siaga.wsgi:application"


def granian_argv(*, host: str, port: int, workers: int, threads: int, backlog: int = 2048) -> list[str]:
    """Arguments after the Python executable: ``python -m granian ...`` with ``workers`` processes, each running
    Django in ``threads`` threads (an open command board holds one). Crashed workers are started again; on stop,
    a worker gets 10 s to finish its requests. Granian logs worker starts, stops and restarts (info)."""
    return ["-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads), "--backlog", str(backlog),
            "--respawn-failed-workers", "--workers-kill-timeout", "10", APP]


def granian_env(*, threads: int) -> dict[str, str]:
    """Environment for the server processes: Granian's thread count, which its workers read too, so Siaga knows
    how many threads a process has and gives live streams only half of them (siaga.web.sse)."""
    return {"GRANIAN_BLOCKING_THREADS": str(threads)}
