"""A planned Kota Kediri operation whose data carries script payloads (issue 10, stored XSS).

Every free-text field that a planner, an import or a phone can fill and that a page draws carries markup that
would run if it were ever parsed as HTML: district, village, unit, person, operation and election names, TPS
ids, pin reasons, the manual category reason, incident text, escort notes. ``hostile`` loads the scenario,
writes the payloads, plans twice (for the compare page), publishes, builds the escort legs and files an
incident, and makes one user per role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from siaga.accounts.models import Profile
from siaga.accounts.services import user_create
from siaga.dataio.scenario_load import scenario_load
from siaga.deployments.services import pin_add, plan_create, plan_publish
from siaga.elections.models import Election, Operation
from siaga.escort.models import Leg
from siaga.escort.services import escort_plan_generate
from siaga.forces.models import Personnel, Unit
from siaga.operations.context import operation_context, plan_cache_clear
from siaga.operations.services import incident_report, incident_transition
from siaga.regions.models import TPS, District, Village
from siaga.risk.services import catalogue_sync, tps_set_category
from siaga.scenarios import load_scenario

PASSWORD = "uji-xss-peramban-123"
DISTRICT = "35.71.01"  # Mojoroto: the commander's district
# Each sets window.__xss if it ever runs; the test fails on that, on any on* attribute in the DOM and on dialogs.
IMG = '<img src=x onerror="window.__xss=1">'
SVG = '"><svg onload=window.__xss=1>'
ALERT = "<script>alert(1)</script>"
MARKERS = ("<img src=x", "<svg onload", "<script>")


@dataclass
class Hostile:
    operation: Operation
    plans: list
    tps_codes: list[str]  # payload TPS ids, in the commander's district
    post_id: str  # a post of the latest plan that holds a payload TPS
    users: dict  # role -> username


def _tag(payload: str, n: int, limit: int) -> str:
    text = f"{payload}{n}"
    assert len(text) <= limit, text
    return text


@pytest.fixture
def hostile() -> Hostile:
    plan_cache_clear()
    catalogue_sync()
    _, operation = scenario_load(scenario=load_scenario("kediri-kota-pilkada-2024"), actor="test")

    district = District.objects.get(code=DISTRICT)
    District.objects.filter(pk=district.pk).update(name=f"{IMG} Mojoroto")
    for n, village in enumerate(Village.objects.filter(district=district).order_by("code")):
        Village.objects.filter(pk=village.pk).update(name=_tag(SVG if n % 2 else IMG, n, 100))
    tps = list(TPS.objects.filter(village__district=district).order_by("code")[:4])
    codes = [_tag(SVG if n % 2 else IMG, n, 40) for n in range(len(tps))]
    for row, code in zip(tps, codes, strict=True):
        TPS.objects.filter(pk=row.pk).update(code=code)
    for n, unit in enumerate(Unit.objects.order_by("code")):
        Unit.objects.filter(pk=unit.pk).update(name=_tag(IMG if n % 2 else SVG, n, 150))
    for n, person in enumerate(Personnel.objects.filter(unit__districts=district).distinct().order_by("code")):
        Personnel.objects.filter(pk=person.pk).update(name=_tag(SVG if n % 2 else IMG, n, 150))
    Operation.objects.filter(pk=operation.pk).update(name=f"{ALERT} Operasi {SVG}")
    Election.objects.filter(pk=operation.election_id).update(name=f"{IMG} Pilkada")
    operation.refresh_from_db()

    tps_set_category(code=codes[0], category="khusus", reason=f"{SVG} alasan {ALERT}", actor="test")
    first = plan_create(operation=operation, actor="test")
    post = next(p for p in first.document["posts"] if codes[1] in p["tps"])
    other = next(p for p in first.document["posts"] if p["district"] == DISTRICT and p["id"] != post["id"])
    pin_add(operation=operation, post_id=post["id"], tps_code=codes[2], reason=f"{IMG} dekat {ALERT}", actor="test")
    person = next(pid for pid in other["personnel"] if pid != other.get("commander"))
    pin_add(operation=operation, post_id=post["id"], personnel_code=person, reason=f"{SVG} pindah", actor="test")
    second = plan_create(operation=operation, actor="test")
    plan_publish(plan=second, actor="test")
    plan_cache_clear()

    escort_plan_generate(operation=operation, actor="test")
    leg = Leg.objects.filter(operation=operation, district=district).order_by("pk").first()
    Leg.objects.filter(pk=leg.pk).update(note=f"{IMG} catatan")

    polres = Unit.objects.get(code="POLRES-KEDIRI-KOTA")
    polsek = Unit.objects.get(code="POLSEK-MOJOROTO")
    users = {}
    for role, unit in (("admin", None), ("planner", polres), ("commander", polsek), ("partner", polres)):
        user, _ = user_create(username=f"xss-{role}", role=role, actor="test", password=PASSWORD, unit=unit)
        users[role] = user.username
    leader = next(p for p in second.document["posts"] if p["district"] == DISTRICT and p.get("commander"))
    commander = Personnel.objects.get(code=leader["commander"])
    field, _ = user_create(username="xss-field", role="field_officer", actor="test", password=PASSWORD,
                           unit=commander.unit)
    Profile.objects.filter(user=field).update(personnel=commander)
    users["field_officer"] = field.username

    target = TPS.objects.get(code=codes[1])
    context = operation_context(operation)
    voting = dt.datetime.combine(operation.election.voting_day, dt.time(9, 0), tzinfo=dt.timezone(dt.timedelta(hours=7)))
    incident, _ = incident_report(context=context, district=target.village.district, tps=target, type="supporter_clash",
                                  severity="high", text=f"{IMG} massa {SVG} {ALERT}", client_id="xss-1", actor="test",
                                  user=field, at=voting)
    incident_transition(incident_id=incident.pk, to="verified", actor="test")
    yield Hostile(operation, [first, second], codes, post["id"], users)
    plan_cache_clear()
