"""Fault test: the server is killed (SIGKILL, master and workers) in the middle of a load of field reports that
retry until acknowledged. Afterwards every acknowledged report is stored exactly once and none twice.

Runs against PostgreSQL (the production database) with the production server (Granian, as `siaga serve --workers N` starts it) in a subprocess.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.db import connection

from benchmarks._server import Server, free_port
from siaga.accounts.models import Profile
from siaga.accounts.services import token_create, user_create
from siaga.dataio.scenario_load import scenario_load
from siaga.deployments.services import plan_create, plan_publish
from siaga.forces.models import Personnel
from siaga.risk.services import catalogue_sync
from siaga.scenarios import load_scenario

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
STEPS = ("arrived", "opened", "voting", "closed", "counting", "counted", "handed_over")
CLIENTS = 8
#: A client sends until the test stops it; this only bounds a run whose stop never comes.
MAX_REPORTS_PER_CLIENT = 5000


def _field_officers(count: int) -> list[tuple[str, list[str]]]:
    """(token, TPS codes) of ``count`` field officers, each the commander of one post of the published plan."""
    catalogue_sync()
    _, operation = scenario_load(scenario=load_scenario("kediri-kota-pilkada-2024"), actor="test")
    plan = plan_publish(plan=plan_create(operation=operation, actor="test"), actor="test")
    out = []
    for i, post in enumerate([p for p in plan.document["posts"] if p.get("commander")][:count]):
        person = Personnel.objects.get(code=post["commander"])
        user, _ = user_create(username=f"fault-{i}", role="field_officer", actor="test", unit=person.unit)
        Profile.objects.filter(user=user).update(personnel=person)
        out.append((token_create(user=user, actor="test")[1], post["tps"]))
    return out


def _post(url: str, token: str, key: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Idempotency-Key": key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}") if exc.code < 500 else {}


RETRIES: list[int] = []  # one entry per failed attempt (connection refused, reset, or 5xx): proof of the outage


def _post_until_answered(url: str, token: str, key: str, body: dict) -> tuple[int, dict]:
    """Resend the same report (same key) until the server answers other than 5xx, as the phone page does."""
    for _attempt in range(600):
        try:
            status, payload = _post(url, token, key, body)
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
            # refused, reset, or cut mid-answer (IncompleteRead) while the server is down: resend the same key
            RETRIES.append(1)
            time.sleep(0.1)
            continue
        if status < 500:
            return status, payload
        time.sleep(0.1)
    return 0, {"error": "never answered"}


def test_acknowledged_reports_survive_a_server_kill_exactly_once():
    """SIGKILL mid-load, restart, clients retry with the same keys: acknowledged = stored, no key twice.

    The test arranges its conditions instead of hoping for them (a busy machine may be slow at anything): the
    clients send without end until told to stop; the server is killed once every client has had reports
    acknowledged; it is restarted only after a client's request has failed against the dead server (a request
    cut in flight or refused); the clients stop once every one of them has had reports acknowledged by the new
    server. So the kill always lands in the middle of the load."""
    if connection.vendor != "postgresql":
        pytest.skip("the fault test runs on PostgreSQL (scripts/test.sh's second pass)")
    officers = _field_officers(CLIENTS)
    RETRIES.clear()
    db = connection.settings_dict
    env = {"DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "SIAGA_DATA_DIR": os.environ.get("SIAGA_DATA_DIR", "/tmp"), "SIAGA_LOG_LEVEL": "WARNING"}
    port = free_port()
    server = Server(env=env, workers=2, threads=4, port=port).start()
    acknowledged: dict[str, tuple[int, int]] = {}  # key -> (first status, report id)
    replays_ok, lock, errors = [], threading.Lock(), []
    acks = [0] * len(officers)  # acknowledged reports per client
    stop = threading.Event()

    def client(token: str, tps_codes: list[str], index: int) -> None:
        try:
            send_all(token, tps_codes, index)
        except Exception as exc:  # a crash in a client thread must fail the test with its reason
            errors.append((index, "client crashed", repr(exc)))

    def send_all(token: str, tps_codes: list[str], index: int) -> None:
        n = 0
        while not stop.is_set() and n < MAX_REPORTS_PER_CLIENT:
            key = str(uuid.uuid4())
            tps = tps_codes[n % len(tps_codes)]
            body = {"status": STEPS[n % len(STEPS)], "at": f"2024-11-27T{7 + n % 12:02d}:{n % 60:02d}:00+07:00"}
            url = f"http://127.0.0.1:{port}/api/v1/tps/{tps}/status"
            status, payload = _post_until_answered(url, token, key, body)
            if status not in (200, 201):
                errors.append((key, status, payload))
                return
            # a deliberate replay after the acknowledgement: must answer 200 with the same report
            again = _post_until_answered(url, token, key, body) if n % 10 == 0 else (200, payload)
            with lock:
                acknowledged[key] = (status, payload["id"])
                replays_ok.append(again[0] == 200 and again[1].get("id") == payload["id"])
                acks[index] += 1
            n += 1

    def wait_for(condition, what: str) -> None:
        """Wait (bounded generously; the bound only keeps a broken server from hanging the suite)."""
        for _ in range(3000):
            if condition() or errors:
                return
            time.sleep(0.1)
        pytest.fail(f"gave up waiting for {what}")

    threads = [threading.Thread(target=client, args=(t, codes, i)) for i, (t, codes) in enumerate(officers)]
    for t in threads:
        t.start()
    try:
        wait_for(lambda: min(acks) >= 5, "every client to have reports acknowledged before the kill")
        before = list(acks)
        server.kill()  # mid-load: requests in flight die with the workers
        wait_for(lambda: bool(RETRIES), "a request to fail against the killed server")
        server = Server(env=env, workers=2, threads=4, port=port).start()
        wait_for(lambda: all(a >= b + 5 for a, b in zip(acks, before, strict=True)),
                 "every client to have reports acknowledged by the restarted server")
    finally:
        stop.set()
        for t in threads:
            t.join(180)
        server.stop()
    assert not errors, errors[:5]
    assert RETRIES, "the kill hit no request: the test proved nothing"
    assert len(acknowledged) == sum(acks) and all(a >= 10 for a in acks)
    assert all(replays_ok)
    from siaga.operations.models import StatusReport

    rows = list(StatusReport.objects.filter(client_id__in=list(acknowledged)).values_list("client_id", "id"))
    stored = {}
    for key, pk in rows:
        assert key not in stored, f"report {key} stored twice"
        stored[key] = pk
    assert stored == {key: pk for key, (_, pk) in acknowledged.items()}
    assert StatusReport.objects.count() == len(acknowledged)  # nothing stored that no client sent
