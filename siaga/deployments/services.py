"""Writes of the deployments app: planning an operation, pins, publishing."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from siaga.core.services import audit_record
from siaga.deployments.models import Pin, Plan
from siaga.deployments.plan_index import plan_index_store
from siaga.deployments.selectors import latest_plan, operation_dataset, operation_pins
from siaga.elections.models import Operation
from siaga.forces.models import Personnel
from siaga.regions.models import TPS


def plan_create(*, operation: Operation, actor: str, config_text: str | None = None, pattern: str | None = None,
                seed: int | None = None, progress: Callable[[str, float], None] | None = None) -> Plan:
    """Plan the operation from stored data, around its pins and its latest version, and store a new version.

    The solver runs outside the transaction (it only reads); the new version is written in one.
    """
    from siaga.planning.config import parse_plan_config
    from siaga.planning.run import plan_dataset

    config = parse_plan_config(config_text if config_text is not None else operation.plan_toml,
                               source=f"operasi {operation.pk} plan.toml", pattern_override=pattern,
                               seed_override=seed)
    previous = latest_plan(operation)
    document = plan_dataset(operation_dataset(operation), config, pins=operation_pins(operation),
                            previous=previous.document if previous else None,
                            source=operation.name, progress=progress)
    with transaction.atomic():
        version = (operation.plans.aggregate(v=Max("version"))["v"] or 0) + 1
        plan = Plan.objects.create(operation=operation, version=version, pattern=config.pattern.name,
                                   seed=config.params.seed, summary=document["summary"], document=document,
                                   created_by=actor)
        plan_index_store(plan)
        audit_record(actor=actor, action="plan.create", target=f"plan:{operation.pk}/v{version}",
                     details={"pattern": config.pattern.name, "moved": document["summary"].get("moved")})
    return plan


@transaction.atomic
def plan_publish(*, plan: Plan, actor: str) -> Plan:
    """Mark a version as the published plan of its operation (others go back to draft)."""
    plan.operation.plans.exclude(pk=plan.pk).filter(status=Plan.Status.PUBLISHED).update(status=Plan.Status.DRAFT)
    plan.status = Plan.Status.PUBLISHED
    plan.save(update_fields=["status"])
    audit_record(actor=actor, action="plan.publish", target=f"plan:{plan.operation_id}/v{plan.version}")
    return plan


@transaction.atomic
def pin_add(*, operation: Operation, post_id: str, actor: str, personnel_code: str | None = None,
            tps_code: str | None = None, reason: str = "") -> Pin:
    """Pin a person or a TPS to a post; the next plan keeps it. Replaces an earlier pin of the same target."""
    if bool(personnel_code) == bool(tps_code):
        raise ValidationError("sebutkan tepat satu: personel atau TPS")
    target: dict = {}
    if personnel_code:
        person = Personnel.objects.filter(code=personnel_code).first()
        if person is None:
            raise ValidationError(f"personel '{personnel_code}' tidak dikenal")
        target["personnel"] = person
    else:
        tps = TPS.objects.filter(code=tps_code).first()
        if tps is None:
            raise ValidationError(f"TPS '{tps_code}' tidak dikenal")
        target["tps"] = tps
    previous = latest_plan(operation)
    if previous and post_id not in {p["id"] for p in previous.document.get("posts", [])}:
        raise ValidationError(f"pos '{post_id}' tidak ada dalam rencana versi {previous.version}")
    pin, _ = Pin.objects.update_or_create(operation=operation, **target,
                                          defaults={"post_id": post_id, "reason": reason, "created_by": actor})
    audit_record(actor=actor, action="pin.add", target=f"pin:{personnel_code or tps_code}",
                 details={"operation": operation.pk, "post": post_id, "reason": reason})
    return pin


@transaction.atomic
def pin_remove(*, operation: Operation, actor: str, personnel_code: str | None = None,
               tps_code: str | None = None) -> int:
    """Remove the pin of a person or a TPS; returns how many were removed."""
    pins = Pin.objects.filter(operation=operation)
    pins = pins.filter(personnel__code=personnel_code) if personnel_code else pins.filter(tps__code=tps_code)
    count, _ = pins.delete()
    if count:
        audit_record(actor=actor, action="pin.remove", target=f"pin:{personnel_code or tps_code}",
                     details={"operation": operation.pk})
    return count
