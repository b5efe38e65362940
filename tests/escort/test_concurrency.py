"""Concurrent duplicate check-ins on PostgreSQL (real connections in threads): stored exactly once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from siaga.escort.models import Checkin
from siaga.escort.services import escort_plan_generate, handover_checkin
from tests.accounts.world import build_world
from tests.escort.conftest import leg, wib

DAY = dt.date(2024, 11, 27)
THREADS = 8


def _race(calls) -> list:
    """Run the callables at once, each on its own connection; returns results or exceptions in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_resends_and_rivals():
    """Eight resends with one client id store one check-in (one created); rival ids for one end: one wins."""
    if connection.vendor != "postgresql":
        pytest.skip("threads need a server database; runs in the PostgreSQL pass")
    world = build_world()
    escort_plan_generate(operation=world.op_a, actor="test")
    convoy = leg(world.op_a, "1:35.71.01")

    def send(client_id):
        return lambda: handover_checkin(leg_id=convoy.pk, point="from", seal_numbers=["A-1"], box_count=1,
                                        client_id=client_id, at=wib(DAY, "08:00", -3), actor="test")

    results = _race([send("same") for _ in range(THREADS)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r[0].pk for r in results} == {Checkin.objects.get().pk}
    assert sum(1 for r in results if r[1]) == 1

    other = leg(world.op_a, "1:35.71.02")
    results = _race([lambda i=i: handover_checkin(leg_id=other.pk, point="from", seal_numbers=["B-1"], box_count=1,
                                                  client_id=f"rival-{i}", at=wib(DAY, "08:00", -3), actor="test")
                     for i in range(THREADS)])
    wins = [r for r in results if not isinstance(r, Exception)]
    assert len(wins) == 1 and all(isinstance(r, ValidationError) for r in results if r not in wins)
    assert Checkin.objects.filter(leg=other).count() == 1
