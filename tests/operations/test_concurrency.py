"""Exactly once under concurrent duplicates, on PostgreSQL: many threads send the same report at the same moment
(the phone's retry racing its first try), and two operators send one squad to two incidents at once."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from siaga.operations.models import Dispatch, Incident, IncidentEvent, OpsEvent, StatusReport
from tests.operations.conftest import post_status, wib

pytestmark = pytest.mark.postgres  # the SQLite pass leaves them out; locally on SQLite they skip
THREADS = 8


def _race(fn, n: int = THREADS) -> list:
    """Run ``fn(i)`` in n threads released together; each thread closes its own database connection."""
    from django.db import connections

    barrier, results, errors = threading.Barrier(n), [None] * n, []

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises writers); runs in the PostgreSQL pass")


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_stored_once(world):
    """Eight simultaneous POSTs with one Idempotency-Key: one 201, seven 200 with the same body, one row, one
    event."""
    _postgres_only()
    user = world.users["field_officer"]
    key = str(uuid.uuid4())

    def send(_):
        client = Client()
        client.force_login(user)
        response = post_status(client, "T1", "opened", wib("07:00"), key=key)
        return response.status_code, response.content

    results = _race(send)
    assert sorted(status for status, _ in results) == [200] * (THREADS - 1) + [201]
    assert len({body for _, body in results}) == 1
    assert StatusReport.objects.filter(client_id=key).count() == 1
    assert OpsEvent.objects.filter(kind="tps_status").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_incident_duplicates_stored_once(world):
    """The same incident sent simultaneously by eight retries is one incident with one history row."""
    _postgres_only()
    from siaga.operations.context import operation_for_regency
    from siaga.operations.services import incident_report

    user, tps = world.users["field_officer"], world.tps["t1"]
    district = tps.village.district
    context = operation_for_regency(district.regency_id, wib("08:00"))

    def send(_):
        return incident_report(context=context, district=district, tps=tps, type="intimidation", severity="high",
                               text="dua kelompok saling dorong", at=wib("08:00"), client_id="dup-1",
                               actor="field", user=user)[1]

    assert sorted(_race(send)) == [False] + [True] * (THREADS - 1)
    assert Incident.objects.count() == 1 and IncidentEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_squad_cannot_go_to_two_incidents_at_once(world):
    """Two operators accept the same squad for two incidents at the same moment: one wins, the other gets 409."""
    _postgres_only()
    from siaga.operations.context import operation_for_regency
    from siaga.operations.services import incident_report, incident_transition

    tps = world.tps["t1"]
    district = tps.village.district
    context = operation_for_regency(district.regency_id, wib("08:00"))
    ids = []
    for i in range(2):
        incident, _ = incident_report(context=context, district=district, tps=tps, type="supporter_clash",
                                      severity="high", text=f"bentrok {i}", at=wib("08:00"), client_id=f"c-{i}",
                                      actor="field", user=world.users["field_officer"])
        incident_transition(incident_id=incident.pk, to="verified", actor="commander")
        ids.append(incident.pk)
    user = world.users["commander"]

    def accept(i):
        client = Client()
        client.force_login(user)
        return client.post(f"/api/v1/incidents/{ids[i]}/dispatch", {"squad": "R-01"},
                           content_type="application/json").status_code

    assert sorted(_race(accept, 2)) == [201, 409]
    assert Dispatch.objects.filter(squad="R-01").count() == 1
