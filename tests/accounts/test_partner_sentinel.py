"""A partner reads everything it can reach and never meets personal data (issue 11).

A database holds sentinel values where personal data and free text live: a person named ``ZZSENTINEL Budi`` with
NRP ``99999999`` standing at a post, a user ``zzsentinel-user`` who acts everywhere, and ``ZZSENTINEL-TEXT`` typed
into every free-text field (incident text, notes, reasons). Then, as a partner, the test reads every GET route of
the OpenAPI document (path parameters filled from what the list routes answer), every page of the web's URL
patterns, every download and the live stream, and fails on any sentinel. A route added later is covered
without editing this test; a path parameter it cannot fill fails the test, naming it.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from siaga.accounts.services import user_create
from siaga.core.models import Job
from siaga.dataio.scenario_load import scenario_load
from siaga.deployments.models import Plan
from siaga.deployments.services import pin_add, plan_create, plan_publish
from siaga.forces.models import Personnel, Unit
from siaga.risk.models import IndicatorValue
from siaga.risk.services import catalogue_sync, tps_set_category
from siaga.scenarios import load_scenario
from tests.web.conftest import _wipe

NAME = "ZZSENTINEL Budi"
NRP = "99999999"
TEXT = "ZZSENTINEL-TEXT"
ACTOR = "zzsentinel-user"
#: the NRP as a whole number only (an XLSX holds floats such as 0.999999994 that are no NRP)
SENTINELS = re.compile(rb"zzsentinel|(?<![0-9.])99999999(?![0-9])", re.IGNORECASE)
POLRES = "POLRES-KEDIRI-KOTA"


@dataclass
class Seeded:
    operation_id: int
    version: int
    post_id: str
    tps_code: str
    person_code: str
    values: dict[str, list[str]]  # path parameter name -> candidate values (for parameters no list route names)


def _post(client: Client, url: str, body: dict, status=(200, 201, 202)) -> dict:
    response = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code in status, (url, response.status_code, response.content[:500])
    return response.json()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        catalogue_sync()
        _, operation = scenario_load(scenario=load_scenario("kediri-kota-pilkada-2024"), actor=ACTOR)
        first = plan_create(operation=operation, actor=ACTOR)
        post = next(p for p in first.document["posts"] if p.get("commander"))
        person = Personnel.objects.get(code=post["commander"])
        Personnel.objects.filter(pk=person.pk).update(code=NRP, name=NAME)
        pin_add(operation=operation, post_id=post["id"], actor=ACTOR, personnel_code=NRP, reason=TEXT)
        tps_code = post["tps"][0]
        tps_set_category(code=tps_code, category="sangat_rawan", reason=TEXT, actor=ACTOR)
        IndicatorValue.objects.filter(tps__code=tps_code).update(note=TEXT)
        plan = plan_create(operation=operation, actor=ACTOR)
        plan_publish(plan=plan, actor=ACTOR)
        assert any(a["personnel"] == NRP for a in plan.document["assignments"]), "the sentinel person stands nowhere"

        admin = user_create(username=ACTOR, role="admin", actor=ACTOR)[0]
        partner = user_create(username="mitra-sentinel-check", role="partner", actor="test",
                              unit=Unit.objects.get(code=POLRES))[0]
        client = Client()
        client.force_login(admin)
        _post(client, f"/api/v1/tps/{tps_code}/status", {"status": "arrived", "note": TEXT,
                                                              "at": timezone.now().isoformat()})
        incident = _post(client, "/api/v1/incidents", {"type": "intimidation", "severity": "high", "text": TEXT,
                                                        "tps": tps_code})
        _post(client, f"/api/v1/incidents/{incident['id']}/transitions", {"to": "verified", "note": TEXT})
        _post(client, f"/api/v1/incidents/{incident['id']}/dispatch", {"note": TEXT})
        second = _post(client, "/api/v1/incidents", {"type": "logistics", "severity": "low", "text": TEXT,
                                                      "tps": tps_code})
        _post(client, f"/api/v1/incidents/{second['id']}/transitions", {"to": "rejected", "note": TEXT})

        from siaga.escort.models import Leg
        from siaga.escort.services import escort_plan_generate, handover_checkin, leg_mark_missing

        escort_plan_generate(operation=operation, actor=ACTOR)
        legs = list(Leg.objects.filter(operation=operation, tps__code=tps_code).order_by("seq"))
        Leg.objects.filter(pk__in=[x.pk for x in legs]).update(note=TEXT)
        legs[0].escorts.add(Personnel.objects.get(code=NRP))
        handover_checkin(leg_id=legs[0].pk, point="from", seal_numbers=["S-1"], box_count=1, client_id="zz-1",
                         actor=ACTOR, note=TEXT)
        leg_mark_missing(leg_id=legs[-1].pk, note=TEXT, actor=ACTOR)
        job = Job.objects.create(kind="replan", subject=f"operation:{operation.pk}", params={"note": TEXT},
                                 state=Job.State.FAILED, message=TEXT, created_by=ACTOR)
        Plan.objects.filter(pk=plan.pk).update(created_by=ACTOR)
        staged = client.post("/api/v1/imports", {"kind": "personnel", "file": _personnel_csv()})
        assert staged.status_code == 201, staged.content[:500]
        values = {"version": [str(plan.version)], "a": [str(first.version)], "b": [str(plan.version)], "job_id": [str(job.pk)], "token": [staged.json()["token"]]}
        yield partner, Seeded(operation.pk, plan.version, post["id"], tps_code, NRP, values)
        _wipe()


def _personnel_csv():
    """A staged upload of admin's that names the sentinel person (a partner must not read it back)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from siaga.formats import HEADERS

    row = {"personnel_id": "99999998", "name": NAME, "force": "polri", "rank": "BRIPDA", "unit_id": POLRES,
           "status": "available"}
    header = HEADERS["personnel"]
    text = ",".join(header) + "\n" + ",".join(row.get(h, "") for h in header) + "\n"
    return SimpleUploadedFile("personel.csv", text.encode(), content_type="text/csv")


def _leaks(body: bytes) -> list[str]:
    return sorted({m.group(0).decode(errors="replace") for m in SENTINELS.finditer(body)})


def _stream_head(response, target: int) -> bytes:
    """The frames of a live stream up to the event ``target`` (the last one the partner may see), then closed."""
    frames: list[bytes] = []
    for chunk in response.streaming_content:
        frames.append(chunk if isinstance(chunk, bytes) else chunk.encode())
        ids = [int(x) for x in re.findall(rb"^id: (\d+)$", frames[-1], re.M)]
        if (ids and max(ids) >= target) or (target == 0 and len(frames) > 1) or frames[-1].startswith(b": ping"):
            break
    response.close()
    return b"".join(frames)


def _text_of(response, target: int = 0) -> bytes:
    """Every byte a user could read: a streamed body, and the unzipped parts of an XLSX."""
    if response.get("Content-Type", "").startswith("text/event-stream"):
        body = _stream_head(response, target)
    elif getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return body


def _items(payload) -> list[dict]:
    if isinstance(payload, dict) and isinstance(payload.get("items"), list):
        return payload["items"]
    if isinstance(payload, list):
        return payload
    return []


def _fill(template: str, params: list[str], known: dict[str, list[str]]) -> list[str]:
    """Concrete paths for a templated path, one per candidate value of each parameter (bounded)."""
    paths = [template]
    for name in params:
        values = known.get(name)
        if not values:
            pytest.fail(f"no value for path parameter {{{name}}} of {template}: add a list route or a source to "
                        "the sentinel test's seeding (the test must reach every route)")
        paths = [p.replace("{" + name + "}", v) for p in paths for v in dict.fromkeys(values[:5])]
    return paths


def _shape(template: str) -> str:
    return re.sub(r"\{\w+\}", "{}", template)


def _api_get_paths(admin: Client, seed: Seeded) -> list[str]:
    """Every GET path of the OpenAPI document, parameters filled from admin's answers of the list routes.

    A route ``/x/{p}`` takes ``p`` from the items of the list route ``/x`` (their ``p``, ``code``, ``id`` or
    ``version``), and ``/x/{p}/y`` the same values; other parameters, and required query parameters, come from
    the seeding (``Seeded.values``)."""
    spec = admin.get("/api/v1/openapi.json").json()
    gets = {path: ops["get"] for path, ops in spec["paths"].items() if "get" in ops}
    common = {k: list(v) for k, v in seed.values.items()}
    common["operation_id"] = [str(seed.operation_id)]
    # the sentinel TPS and person first
    from_list: dict[str, list[str]] = {"/api/v1/tps/{}": [seed.tps_code], "/api/v1/personnel/{}": [seed.person_code]}
    paths: list[str] = []
    for template in sorted(gets, key=lambda p: (p.count("{"), p)):
        names = re.findall(r"\{(\w+)\}", template)
        known = dict(common)
        for name in names:  # the values of the list route whose items this parameter names
            prefix = _shape(template[:template.index("{" + name + "}") + len(name) + 2])
            if prefix in from_list:
                known[name] = from_list[prefix]
        query = [p["name"] for p in gets[template].get("parameters", []) if p.get("in") == "query"
                 and p.get("required")]
        for path in _fill(template, names, known):
            if query:
                path += "?" + "&".join(f"{q}={_fill('{' + q + '}', [q], common)[0]}" for q in query)
            paths.append(path)
            response = admin.get(path)
            if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
                continue
            for child in gets:  # /api/v1/units -> /api/v1/units/{code}
                m = re.fullmatch(re.escape(template) + r"/\{(\w+)\}", child)
                if not m:
                    continue
                for item in _items(response.json()):
                    if isinstance(item, dict):
                        value = next((item[f] for f in (m.group(1), "code", "id", "version")
                                      if item.get(f) is not None), None)
                        if value is not None:
                            from_list.setdefault(_shape(child), []).append(str(value))
    return sorted(set(paths))


@pytest.mark.django_db
def test_partner_reads_no_sentinel_anywhere(seeded):
    partner, seed = seeded
    admin = Client()
    from django.contrib.auth import get_user_model

    admin.force_login(get_user_model().objects.get(username=ACTOR))
    client = Client()
    client.force_login(partner)
    checked: dict[str, int] = {}
    leaks: list[str] = []

    last_event = client.get(f"/api/v1/operations/{seed.operation_id}/events?after=0&limit=500").json()["next"]
    assert last_event > 0  # the stream has events to carry

    def read(path: str) -> None:
        response = client.get(path)
        checked[path] = response.status_code
        found = _leaks(_text_of(response, last_event))
        if found:
            leaks.append(f"{path} ({response.status_code}): {', '.join(found)}")

    # the admin sees the sentinels (the test is not blind)
    assert _leaks(admin.get(f"/api/v1/plans/{seed.operation_id}/{seed.version}").content)
    assert _leaks(admin.get("/api/v1/incidents").content)

    api_paths = _api_get_paths(admin, seed)
    for path in api_paths:
        read(path)
        read(path + ("&" if "?" in path else "?") + f"operation={seed.operation_id}")
    for path in _page_paths(seed):
        read(path)
    assert len(api_paths) >= 20 and len(checked) >= 60, checked
    assert checked[f"/rencana/{seed.operation_id}/{seed.version}/plan.xlsx"] == 200
    print("\n".join(f"{code} {path}" for path, code in sorted(checked.items())))
    assert not leaks, "partner read personal data or free text:\n" + "\n".join(leaks)


def _page_paths(seed: Seeded) -> list[str]:
    """Every web page with its parameters filled, plus the query variants that draw panels and downloads."""
    from siaga.web.views import DOWNLOADS

    op, version = str(seed.operation_id), str(seed.version)
    values = {"operation_id": [op], "version": [version], "name": sorted(DOWNLOADS), "post_id": [seed.post_id],
              "job_id": seed.values["job_id"], "code": [seed.tps_code], "leg_id": [],
              "incident_id": [], "kind": ["tps", "personnel"], "token": ["0" * 32]}
    from siaga.escort.models import Leg
    from siaga.operations.models import Incident

    values["leg_id"] = [str(pk) for pk in Leg.objects.filter(note=TEXT).values_list("pk", flat=True)[:3]]
    values["incident_id"] = [str(pk) for pk in Incident.objects.values_list("pk", flat=True)[:3]]
    out: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith("api/") or route.startswith("admin/") or route.startswith("static"):
                    continue
                names = re.findall(r"<(?:\w+:)?(\w+)>", route)
                template = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
                out.extend(_fill(template, names, values))

    walk(get_resolver().url_patterns, "")
    extra = [f"/peta/tps/{seed.tps_code}/?partial=1", f"/rencana/?operation={op}&version={version}",
             f"/rencana/pos/{seed.post_id}/?operation={op}", f"/posko/?operation={op}",
             f"/posko/data.json?operation={op}", f"/peta/data.json?operation={op}",
             f"/rencana/data.json?operation={op}", f"/rencana/{op}/banding/?a=1&b={version}",
             f"/personel/?q={NAME.split()[0]}", f"/personel/?q={seed.person_code}", "/admin/", "/?lang=en"]
    return sorted(set(out + extra) - {"/posko/events"}) + [f"/posko/events?operation={op}&after=0"]


def test_every_get_route_declares_its_redaction():
    """Every GET route of the API hands out its answer through a declared policy (``siaga.api.common.redacted``),
    so a new route cannot skip the partner rules; every declared kind names a known policy."""
    from siaga.api.main import build_api
    from siaga.core.redaction import policy

    api = build_api()
    undeclared, seen = [], 0
    for router_prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "GET" in operation.methods:
                    seen += 1
                    kind = getattr(operation.view_func, "siaga_redaction", None)
                    if kind is None:
                        undeclared.append(f"{router_prefix}{path}")
                    else:
                        policy(kind)
    assert seen >= 20
    assert not undeclared, f"GET routes without @redacted(kind): {undeclared}"
