"""Two plans of one operation, or two imports, at the same time: the second waits for the first (issue 10, item 9).

Before, both read the same latest version (or found the same TPS missing) and both wrote: one ended in a
UniqueViolation traceback, its plan lost. These tests force that interleaving: each writer waits at a barrier
between reading and writing, so without a lock both have read before either writes. With the lock the second
writer cannot reach the barrier while the first holds it; the first stops waiting after BARRIER_WAIT and writes,
and the second then reads what the first stored. The wait only delays the run: nothing here asserts a time.

PostgreSQL only: SQLite transactions are IMMEDIATE in Siaga, so its writers queue by themselves, and the test
database of the SQLite pass is in memory, where threads cannot share one.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection

from siaga.dataio import importer
from siaga.dataio.importer import import_dataset
from siaga.dataio.scenario_load import scenario_load
from siaga.deployments import services
from siaga.deployments.models import Plan
from siaga.regions.models import TPS
from siaga.risk.services import catalogue_sync
from siaga.scenarios import load_scenario

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
BARRIER_WAIT = 5.0


def _both(target) -> list:
    """Run ``target`` in two threads; their results or exceptions, in order."""
    outcomes: list = [None, None]

    def run(i: int) -> None:
        try:
            outcomes[i] = target()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _wait_at(barrier: threading.Barrier) -> None:
    with contextlib.suppress(threading.BrokenBarrierError):  # the other writer is held by the lock: go on alone
        barrier.wait(timeout=BARRIER_WAIT)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (scripts/test.sh); SQLite writers queue by IMMEDIATE transactions")


def test_two_plans_of_one_operation_get_two_versions(postgres_only, monkeypatch):
    catalogue_sync()
    _, operation = scenario_load(scenario=load_scenario("kediri-kota-pilkada-2024"), actor="test")
    barrier = threading.Barrier(2)
    store = services.plan_index_store

    def store_after_both_read(plan):  # inside the write, after the version number was taken
        _wait_at(barrier)
        return store(plan)

    monkeypatch.setattr(services, "plan_index_store", store_after_both_read)
    outcomes = _both(lambda: services.plan_create(operation=operation, actor="test").version)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(outcomes) == [1, 2]
    assert sorted(Plan.objects.filter(operation=operation).values_list("version", flat=True)) == [1, 2]


def test_two_imports_of_the_same_new_tps_both_succeed(postgres_only, monkeypatch):
    catalogue_sync()
    dataset = load_scenario("kediri-kota-pilkada-2024").dataset
    barrier = threading.Barrier(2)
    upsert = importer._upsert_regions

    def upsert_after_both_began(*args, **kwargs):  # both found the TPS missing before either inserts them
        _wait_at(barrier)
        return upsert(*args, **kwargs)

    monkeypatch.setattr(importer, "_upsert_regions", upsert_after_both_began)
    outcomes = _both(lambda: import_dataset(dataset=dataset, actor="test", source="tps.csv"))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    created = sorted(o.tables["tps"].created for o in outcomes)
    assert created == [0, 839] and TPS.objects.count() == 839
