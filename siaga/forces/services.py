"""Writes of the forces app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from siaga.core.services import audit_record
from siaga.forces.models import Personnel


@transaction.atomic
def personnel_set_status(*, code: str, status: str, actor: str, reason: str = "", user=None) -> Personnel:
    """Mark a person available, on leave, sick or in training (only available people are planned)."""
    person = Personnel.objects.select_for_update().filter(code=code).first()
    if person is None:
        raise ValidationError(f"personel '{code}' tidak dikenal")
    if status not in Personnel.Status.values:
        raise ValidationError(f"status '{status}' tidak dikenal; pilih: {', '.join(Personnel.Status.values)}")
    before = person.status
    if before != status:
        person.status = status
        person.full_clean()
        person.save(update_fields=["status"])
        audit_record(actor=actor, user=user, action="personnel.status", target=f"personnel:{code}",
                     details={"from": before, "to": status, "reason": reason})
    return person
