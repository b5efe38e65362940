"""Routes for operations, their plan versions, one plan document (filtered per role), and the plan workspace's
writes: pins, re-planning as a background job, publishing, and comparing two versions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from siaga.accounts.models import Role
from siaga.accounts.policy import require_reader, require_writer
from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.api.common import redacted, user_of
from siaga.api.pagination import DB_INT_MAX, PageParams, page, page_of
from siaga.core.services import write_as
from siaga.deployments import selectors as dsel
from siaga.deployments.access import plan_document_for
from siaga.deployments.models import Pin, Plan
from siaga.elections.models import Operation

router = Router(tags=["operasi dan rencana"])

#: Path ids and versions start at 1 and fit the database's bigint (larger ones made SQLite raise OverflowError).
OperationId = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="Operation id.")]
Version = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="Plan version (1, 2, ...).")]

#: Roles that get the whole-plan summary in version lists (others read their part through the document).
FULL_SUMMARY_ROLES = frozenset({Role.ADMIN, Role.PLANNER})


class OperationOut(Schema):
    id: int
    name: str
    election: str
    election_kind: str
    voting_day: dt.date
    start: dt.date
    end: dt.date
    commanding_unit: str | None
    synthetic: bool


class PlanVersionOut(Schema):
    version: int
    status: str
    pattern: str
    seed: int
    created_at: dt.datetime
    created_by: str
    summary: dict[str, Any] | None


class PinIn(Schema):
    post: str = Field(..., min_length=1, max_length=80, description="Post id of the latest plan version.")
    personnel: str | None = Field(None, max_length=40, description="NRP of the person to pin (or give tps).")
    tps: str | None = Field(None, max_length=40, description="Id of the TPS to pin (or give personnel).")
    reason: str = Field("", max_length=300)


class PinOut(Schema):
    kind: str = Field(..., description="personnel or tps")
    target: str | None = Field(..., description="NRP or TPS id (partners see pins of TPS only)")
    name: str
    rank: str
    post: str
    reason: str
    created_by: str
    created_at: dt.datetime


class ReplanIn(Schema):
    pattern: str | None = Field(None, max_length=60, description="A preset pattern; default: the operation's plan.toml.")
    seed: int | None = Field(None, ge=0, le=2**31 - 1)


class JobOut(Schema):
    id: int
    kind: str
    state: str = Field(..., description="queued, running, done or failed")
    state_label: str
    progress: float = Field(..., description="0..1")
    stage: str
    stage_label: str
    message: str = Field(..., description="Why it failed (readable), else empty")
    result: dict[str, Any] = Field(..., description='{"operation", "version", "moved"} when done')
    operation: int | None
    version: int | None = Field(..., description="The new plan version when done")
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def operation_out(o: Operation) -> dict:
    return {"id": o.pk, "name": o.name, "election": o.election.name, "election_kind": o.election.kind,
            "voting_day": o.election.voting_day, "start": o.start, "end": o.end,
            "commanding_unit": o.commanding_unit.code if o.commanding_unit_id else None, "synthetic": o.synthetic}


def _operations():
    return Operation.objects.select_related("election", "commanding_unit")


@router.get("/operations", response=page_of(OperationOut), summary="Operations that touch your area")
@redacted("elections.operation")
def operation_list(request, params: Query[PageParams]):
    user = user_of(request)
    require_reader(user)
    return page(scope(user, _operations()), params, operation_out)


@router.get("/operations/{operation_id}", response=OperationOut, summary="One operation")
@redacted("elections.operation")
def operation_detail(request, operation_id: OperationId):
    user = user_of(request)
    require_reader(user)
    return operation_out(get_visible_or_404(user, _operations(), pk=operation_id))


@router.get("/operations/{operation_id}/plans", response=page_of(PlanVersionOut),
            summary="Plan versions of an operation, newest first")
@redacted("deployments.plan")
def plan_list(request, operation_id: OperationId, params: Query[PageParams]):
    user = user_of(request)
    role = require_reader(user)
    operation = get_visible_or_404(user, _operations(), pk=operation_id)
    qs = scope(user, Plan.objects.filter(operation=operation).order_by("-version")).defer("document")
    full = role in FULL_SUMMARY_ROLES

    def out(p: Plan) -> dict:
        return {"version": p.version, "status": p.status, "pattern": p.pattern, "seed": p.seed,
                "created_at": p.created_at, "created_by": p.created_by, "summary": p.summary if full else None}

    return page(qs, params, out)


@router.get("/plans/{operation_id}/compare", response=dict[str, Any],
            summary="Compare two plan versions: people and TPS that changed post, posts added/removed, deltas")
@redacted("plan.comparison")
def plan_compare(request, operation_id: OperationId,
                 a: Annotated[int, Query(ge=1, le=DB_INT_MAX, description="The older version.")],
                 b: Annotated[int, Query(ge=1, le=DB_INT_MAX, description="The newer version.")]):
    user = user_of(request)
    require_reader(user)
    return dsel.plan_comparison(user, operation_id, a, b)


@router.get("/plans/{operation_id}/{version}", response=dict[str, Any],
            summary="A plan document (plan.json, schema siaga.plan/1) as your role may read it")
@redacted("plan.document")
def plan_document(request, operation_id: OperationId, version: Version):
    user = user_of(request)
    require_reader(user)
    plan = get_visible_or_404(user, Plan.objects.all(), operation_id=operation_id, version=version)
    return plan_document_for(user, plan.document)


@router.post("/plans/{operation_id}/{version}/publish", response=PlanVersionOut,
             summary="Publish a version (the operation's other versions go back to draft)")
def plan_publish(request, operation_id: OperationId, version: Version):
    from siaga.deployments.services import plan_publish as publish

    user = user_of(request)
    require_writer(user, Plan)
    plan = get_visible_or_404(user, Plan.objects.select_related("operation"), operation_id=operation_id,
                              version=version)
    plan = write_as(user, publish, plan=plan)
    return {"version": plan.version, "status": plan.status, "pattern": plan.pattern, "seed": plan.seed,
            "created_at": plan.created_at, "created_by": plan.created_by, "summary": plan.summary}


@router.get("/operations/{operation_id}/pins", response=page_of(PinOut), summary="Pins of an operation in your area")
@redacted("deployments.pin")
def pin_list(request, operation_id: OperationId, params: Query[PageParams]):
    user = user_of(request)
    require_reader(user)
    operation = get_visible_or_404(user, _operations(), pk=operation_id)
    return page(dsel.pins_visible(user, operation), params, dsel.pin_row)


@router.post("/operations/{operation_id}/pins", response={201: PinOut},
             summary="Pin a person or a TPS to a post of the latest plan (moves it there in the next plan)")
def pin_create(request, operation_id: OperationId, body: PinIn):
    from siaga.deployments.services import pin_add

    user = user_of(request)
    operation = dsel.pin_write_target(user, operation_id, body.post, personnel_code=body.personnel,
                                      tps_code=body.tps)
    pin = write_as(user, pin_add, operation=operation, post_id=body.post, personnel_code=body.personnel or None,
                   tps_code=body.tps or None, reason=body.reason)
    return Status(201, dsel.pin_row(Pin.objects.select_related("personnel", "tps__village").get(pk=pin.pk)))


@router.delete("/operations/{operation_id}/pins/{target}", response={204: None},
               summary="Remove the pin of a person (NRP) or a TPS (id)")
def pin_delete(request, operation_id: OperationId, target: str):
    from siaga.deployments.services import pin_remove

    user = user_of(request)
    operation, person, tps = dsel.pin_removal_target(user, operation_id, target)
    write_as(user, pin_remove, operation=operation, personnel_code=person, tps_code=tps)
    return Status(204, None)


@router.post("/operations/{operation_id}/replan", response={202: JobOut},
             summary="Re-plan the operation around its pins as a background job; poll GET /jobs/{id}")
def replan(request, operation_id: OperationId, body: ReplanIn | None = None):
    from siaga.core.jobs import JobBusy
    from siaga.deployments.services import replan_start

    user = user_of(request)
    require_writer(user, Plan)
    operation = get_visible_or_404(user, _operations(), pk=operation_id)
    body = body or ReplanIn()
    try:
        job = write_as(user, replan_start, operation=operation, pattern=body.pattern, seed=body.seed)
    except JobBusy as exc:
        raise HttpError(409, str(exc)) from None
    return Status(202, dsel.job_status(job))


@router.get("/jobs/{job_id}", response=JobOut, summary="A background job: state, progress, stage, error, result")
@redacted("core.job")
def job_detail(request, job_id: Annotated[int, Path(ge=1, le=DB_INT_MAX, description="Job id.")]):
    user = user_of(request)
    require_reader(user)
    return dsel.job_status(dsel.job_get(user, job_id))
