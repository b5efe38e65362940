"""Web test data: Kota Kediri Pilkada 2024 loaded and planned once per module, one user per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from siaga.accounts.services import user_create
from siaga.dataio.scenario_load import scenario_load
from siaga.deployments.services import plan_create
from siaga.forces.models import Unit
from siaga.risk.services import catalogue_sync
from siaga.scenarios import load_scenario

ROLES = ("admin", "planner", "commander", "field_officer", "partner")
COMMANDER_UNIT = "POLSEK-MOJOROTO"
POLRES = "POLRES-KEDIRI-KOTA"


@dataclass
class Kediri:
    operation: object
    plan: object
    users: dict


def _wipe():
    """Remove what the module fixture stored, so later test modules start from an empty database."""
    from django.apps import apps
    from django.db import connection

    models = [m for m in apps.get_models() if m._meta.app_label in
              {"core", "regions", "forces", "elections", "risk", "deployments", "escort", "operations", "accounts",
               "auth", "sessions"}
              and m._meta.label != "auth.Permission"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        for m in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(m._meta.db_table)}")
            for f in m._meta.local_many_to_many:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(f.remote_field.through._meta.db_table)}")
        cursor.execute("PRAGMA foreign_keys = ON")


@pytest.fixture(scope="module")
def kediri(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        catalogue_sync()
        _, operation = scenario_load(scenario=load_scenario("kediri-kota-pilkada-2024"), actor="test")
        plan = plan_create(operation=operation, actor="test")
        units = {"admin": None, "planner": POLRES, "commander": COMMANDER_UNIT, "field_officer": COMMANDER_UNIT,
                 "partner": POLRES}
        users = {role: user_create(username=f"web-{role}", role=role, actor="test",
                                   unit=Unit.objects.get(code=code) if code else None)[0]
                 for role, code in units.items()}
        yield Kediri(operation, plan, users)
        _wipe()


@pytest.fixture
def as_role(kediri):
    def make(role: str) -> Client:
        client = Client()
        client.force_login(kediri.users[role])
        return client
    return make
