"""Routes for operations, their plan versions, and one plan document (filtered per role)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Path, Query, Router, Schema

from siaga.accounts.models import Role
from siaga.accounts.scoping import get_visible_or_404, plan_document_for, require_reader, scope
from siaga.api.common import user_of
from siaga.api.pagination import DB_INT_MAX, PageParams, page, page_of
from siaga.deployments.models import Plan
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


def operation_out(o: Operation) -> dict:
    return {"id": o.pk, "name": o.name, "election": o.election.name, "election_kind": o.election.kind,
            "voting_day": o.election.voting_day, "start": o.start, "end": o.end,
            "commanding_unit": o.commanding_unit.code if o.commanding_unit_id else None, "synthetic": o.synthetic}


def _operations():
    return Operation.objects.select_related("election", "commanding_unit")


@router.get("/operations", response=page_of(OperationOut), summary="Operations that touch your area")
def operation_list(request, params: Query[PageParams]):
    user = user_of(request)
    require_reader(user)
    return page(scope(user, _operations()), params, operation_out)


@router.get("/operations/{operation_id}", response=OperationOut, summary="One operation")
def operation_detail(request, operation_id: OperationId):
    user = user_of(request)
    require_reader(user)
    return operation_out(get_visible_or_404(user, _operations(), pk=operation_id))


@router.get("/operations/{operation_id}/plans", response=page_of(PlanVersionOut),
            summary="Plan versions of an operation, newest first")
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


@router.get("/plans/{operation_id}/{version}", response=dict[str, Any],
            summary="A plan document (plan.json, schema siaga.plan/1) as your role may read it")
def plan_document(request, operation_id: OperationId, version: Version):
    user = user_of(request)
    require_reader(user)
    plan = get_visible_or_404(user, Plan.objects.all(), operation_id=operation_id, version=version)
    return plan_document_for(user, plan.document)
