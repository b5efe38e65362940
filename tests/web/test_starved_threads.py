"""Live streams and stalled request bodies cannot take the threads that field reports need (issue 10, item 4).

A probe had opened 24 `/posko/events` streams from one partner session, or 24 connections that sent headers with
`Content-Length: 2000` and stalled: either made every status report of a served Siaga (2 workers × 8 threads)
time out. Here Siaga is served by Granian as in production, with 1 worker × 4 threads so few connections are enough:
six streams from one session, six from other sessions and twelve stalled bodies are opened and confirmed, then
status reports are sent. Every report must be answered. The client timeout is a hang guard, not a speed check:
before the caps, the reports waited for the streams to end (5 minutes) and the guard failed them.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest

from benchmarks._server import Server
from tests.cli.test_cli_user_flow import run

THREADS = 4
HANG_GUARD = 60  # s a report may wait before the test calls it starved
PASSWORD = "Rahasia-Panjang-1"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A served Kediri scenario with a draft plan, an admin with a token, on a fresh SQLite database."""
    data = tmp_path_factory.mktemp("starve")
    db = f"sqlite:///{data / 'siaga.sqlite3'}"
    run(["init"], db, data)
    run(["scenario", "load", "kediri-kota-pilkada-2024"], db, data)
    run(["plan", "--operation", "1", "--out", str(data / "plan")], db, data)
    run(["user", "create", "boss", "--role", "admin", "--password", PASSWORD], db, data)
    token = re.search(r"(sg_[A-Za-z0-9_-]{20,})", run(["token", "create", "boss"], db, data).stdout).group(1)
    server = Server(env={"DATABASE_URL": db, "SIAGA_DATA_DIR": str(data), "SIAGA_LOG_LEVEL": "WARNING"},
                    workers=1, threads=THREADS, log=data / "server.log").start()
    try:
        yield server, token
    finally:
        server.stop()


def _session_cookie(base: str) -> str:
    """Log in as the admin; the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login/", timeout=HANG_GUARD) as response:
        page = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": "boss", "password": PASSWORD}).encode()
    opener.open(urllib.request.Request(f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"}),
                timeout=HANG_GUARD).read()
    return next(c.value for c in jar if c.name == "sessionid")


def _open_stream(port: int, session: str) -> tuple[socket.socket, str]:
    """Open /posko/events with the session and wait for its first frame: ("held", a live stream), ("busy", refused
    at once) or ("waiting", no answer within the guard: it waits for a thread)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /posko/events?operation=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                 f"Cookie: sessionid={session}\r\n\r\n".encode())
    sock.settimeout(HANG_GUARD)
    seen = b""
    try:
        while b"retry:" not in seen or (b"\r\n\r\n" not in seen):
            chunk = sock.recv(4096)
            if not chunk:
                break
            seen += chunk
        if b"event: busy" not in seen and b"retry: 30000" in seen:
            seen += sock.recv(4096)  # the busy event may follow its retry line in another chunk
    except TimeoutError:
        return sock, "waiting"
    assert b" 200 " in seen.split(b"\r\n", 1)[0], seen[:200]
    return sock, "busy" if b"event: busy" in seen else "held"


def _stall_body(port: int, path: str = "/api/v1/tps/3506012001-001/status") -> socket.socket:
    """Send the headers of a status report announcing 2000 bytes of body, and only five of them."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 f"Content-Length: 2000\r\nIdempotency-Key: stall\r\n\r\n{{\"a\":".encode())
    return sock


def _report(base: str, token: str, key: str, tps: str) -> int:
    body = json.dumps({"status": "arrived", "at": "2024-11-27T06:10:00+07:00"}).encode()
    request = urllib.request.Request(f"{base}/api/v1/tps/{tps}/status", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Idempotency-Key": key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=HANG_GUARD) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_status_reports_are_answered_with_streams_and_stalled_bodies_open(served):
    server, token = served
    own = _session_cookie(server.url)
    others = [_session_cookie(server.url) for _ in range(6)]
    sockets, outcome = [], {"own": [], "others": []}
    try:
        for _ in range(6):
            sock, state = _open_stream(server.port, own)
            sockets.append(sock)
            outcome["own"].append(state)
        for session in others:
            sock, state = _open_stream(server.port, session)
            sockets.append(sock)
            outcome["others"].append(state)
        sockets += [_stall_body(server.port) for _ in range(12)]
        # one session holds at most two streams, the process at most half its threads; the rest are told "busy"
        assert outcome["own"] == ["held", "held", "busy", "busy", "busy", "busy"], outcome
        assert outcome["others"] == ["busy"] * 6, outcome
        statuses = [_report(server.url, token, f"starve-{i}", f"3506012001-{1 + i % 5:03d}") for i in range(10)]
        assert statuses == [201] * 10, statuses
    finally:
        for sock in sockets:
            sock.close()


def test_stalled_bodies_of_anonymous_writes_get_401_unread(served):
    """A stalled anonymous write is answered 401 in the API's error shape at once: the body is never waited for."""
    server, _ = served
    sock = _stall_body(server.port, "/api/v1/incidents")
    sock.settimeout(HANG_GUARD)
    try:
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n", 1)[0].endswith(b"401 Unauthorized"), answer[:300]
    assert json.loads(body)["error"]["code"] == "not_authenticated"
