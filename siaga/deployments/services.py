"""Writes of the deployments app: planning an operation, re-planning as a background job, pins, publishing."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from siaga.core.locks import serialize
from siaga.core.services import audit_record
from siaga.deployments.models import Pin, Plan
from siaga.deployments.plan_index import plan_index_store
from siaga.deployments.selectors import latest_plan, operation_dataset, operation_pins
from siaga.elections.models import Operation
from siaga.forces.models import Personnel
from siaga.regions.models import TPS

REASON_MAX = 300
REPLAN = "replan"
#: Where plan_create's progress lies on the job's bar: scoring 0..0.1, then the solver's own 0..1 up to 0.95.
SCORING_STAGE, SCORING_SHARE, SOLVER_END = "kerawanan", 0.1, 0.95


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
        serialize("plan.version", operation.pk)  # a second plan of the operation waits here and takes the next number
        version = (operation.plans.aggregate(v=Max("version"))["v"] or 0) + 1
        plan = Plan.objects.create(operation=operation, version=version, pattern=config.pattern.name,
                                   seed=config.params.seed, summary=document["summary"], document=document,
                                   created_by=actor)
        plan_index_store(plan)
        audit_record(actor=actor, action="plan.create", target=f"plan:{operation.pk}/v{version}",
                     details={"pattern": config.pattern.name, "moved": document["summary"].get("moved")})
    return plan


@transaction.atomic
def plan_publish(*, plan: Plan, actor: str, user=None) -> Plan:
    """Mark a version as the published plan of its operation (others go back to draft)."""
    plan.operation.plans.exclude(pk=plan.pk).filter(status=Plan.Status.PUBLISHED).update(status=Plan.Status.DRAFT)
    plan.status = Plan.Status.PUBLISHED
    plan.save(update_fields=["status"])
    audit_record(actor=actor, user=user, action="plan.publish", target=f"plan:{plan.operation_id}/v{plan.version}")
    return plan


@transaction.atomic
def pin_add(*, operation: Operation, post_id: str, actor: str, personnel_code: str | None = None,
            tps_code: str | None = None, reason: str = "", user=None) -> Pin:
    """Pin a person or a TPS to a post; the next plan keeps it. Replaces an earlier pin of the same target."""
    if bool(personnel_code) == bool(tps_code):
        raise ValidationError("sebutkan tepat satu: personel atau TPS")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"alasan: paling banyak {REASON_MAX} karakter (ada {len(reason)})")
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
    audit_record(actor=actor, user=user, action="pin.add", target=f"pin:{personnel_code or tps_code}",
                 details={"operation": operation.pk, "post": post_id, "reason": reason})
    return pin


@transaction.atomic
def pin_remove(*, operation: Operation, actor: str, personnel_code: str | None = None,
               tps_code: str | None = None, user=None) -> int:
    """Remove the pin of a person or a TPS; returns how many were removed."""
    if bool(personnel_code) == bool(tps_code):
        raise ValidationError("sebutkan tepat satu: personel atau TPS")
    pins = Pin.objects.filter(operation=operation)
    pins = pins.filter(personnel__code=personnel_code) if personnel_code else pins.filter(tps__code=tps_code)
    count, _ = pins.delete()
    if count:
        audit_record(actor=actor, user=user, action="pin.remove", target=f"pin:{personnel_code or tps_code}",
                     details={"operation": operation.pk})
    return count


def replan_subject(operation: Operation | int) -> str:
    """The job subject of an operation's re-plans (one may run at a time)."""
    return f"operation:{getattr(operation, 'pk', operation)}"


def replan_start(*, operation: Operation, actor: str, pattern: str | None = None, seed: int | None = None,
                 user=None):
    """Queue a re-plan of the operation as a background job (siaga.core.jobs) and return the Job.

    Refused (siaga.core.jobs.JobBusy) while another re-plan of the same operation is queued or running; an unknown
    pattern is refused at once (ValidationError), not in the job.
    """
    from siaga.core.jobs import job_create, job_submit

    if pattern:
        from siaga.planning.patterns import PRESETS

        if pattern not in PRESETS:
            raise ValidationError(f"pola '{pattern}' tidak dikenal; pilih: {', '.join(sorted(PRESETS))}")
    with transaction.atomic():
        job = job_create(kind=REPLAN, subject=replan_subject(operation), actor=actor, user=user,
                         params={"operation": operation.pk, "pattern": pattern or None, "seed": seed})
        audit_record(actor=actor, user=user, action="plan.replan_start", target=f"plan:{operation.pk}/job-{job.pk}",
                     details={"job": job.pk, "pattern": pattern, "seed": seed})
        job_submit(job)
    return job


def replan_run(*, job, progress: Callable[[str, float], None]) -> dict:
    """The body of a re-plan job: plan_create around the operation's pins, reporting progress on one 0..1 bar."""

    def report(stage: str, fraction: float) -> None:
        start, end = (0.0, SCORING_SHARE) if stage == SCORING_STAGE else (SCORING_SHARE, SOLVER_END)
        progress(stage, start + (end - start) * min(max(fraction, 0.0), 1.0))

    operation = Operation.objects.select_related("election").get(pk=job.params["operation"])
    plan = plan_create(operation=operation, actor=job.created_by, pattern=job.params.get("pattern"),
                       seed=job.params.get("seed"), progress=report)
    return {"operation": operation.pk, "version": plan.version, "moved": plan.summary.get("moved")}


@transaction.atomic
def personnel_stand_down(*, code: str, status: str, actor: str, reason: str = "", user=None) -> Personnel:
    """Mark someone sick, on leave or in training (forces.services.personnel_set_status) and drop the person's pins:
    the next plan leaves the person out, and a pin of someone who cannot serve would stop it."""
    from siaga.forces.services import personnel_set_status

    person = personnel_set_status(code=code, status=status, actor=actor, reason=reason, user=user)
    if person.status != Personnel.Status.AVAILABLE:
        for pin in Pin.objects.filter(personnel=person).select_related("operation"):
            pin_remove(operation=pin.operation, actor=actor, personnel_code=code, user=user)
    return person
